"""Chain the access log like the decision log: ``seq``, ``prev_hash``, ``entry_hash`` on every
row, a one-row ``access_log_head``, and the rows already there chained in ``id`` order.

Revision ID: 0003
Revises: 0002

The hash is written out here (not imported) so this migration keeps computing what it computed
when it was released; ``sendrules.decisionlog.chain.access_entry_hash`` computes the same.
"""

import hashlib
import json

from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
FIELDS = ("seq", "at", "principal", "role", "action", "decision_id", "detail", "prev_hash")


def _hash(row: dict) -> str:
    chained = {"chain": "access", "chain_format": 1, **{name: row[name] for name in FIELDS}}
    text = json.dumps(chained, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    postgresql = op.get_context().dialect.name == "postgresql"
    # SQLite cannot add a NOT NULL column without a default; every row gets its value below.
    op.add_column("access_log", sa.Column("seq", sa.BigInteger, nullable=False, server_default="0"))
    op.add_column("access_log", sa.Column("prev_hash", sa.String(64), nullable=False, server_default=""))
    op.add_column("access_log", sa.Column("entry_hash", sa.String(64), nullable=False, server_default=""))
    head = op.create_table(
        "access_log_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
    )

    # Chain the rows already there, oldest (lowest id) first. The append-only trigger is out of
    # the way only inside this migration's transaction.
    if postgresql:
        op.execute("ALTER TABLE access_log DISABLE TRIGGER access_log_no_update")
    else:
        op.execute("DROP TRIGGER access_log_no_update")
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, at, principal, role, action, decision_id, detail FROM access_log ORDER BY id")
    ).all()
    seq, previous = 0, GENESIS
    for row in rows:
        values = dict(row._mapping, seq=seq + 1, prev_hash=previous)
        values["entry_hash"] = _hash(values)
        connection.execute(
            sa.text(
                "UPDATE access_log SET seq = :seq, prev_hash = :prev_hash, entry_hash = :entry_hash WHERE id = :id"
            ),
            values,
        )
        seq, previous = values["seq"], values["entry_hash"]
    op.bulk_insert(head, [{"id": 1, "seq": seq, "entry_hash": previous}])
    op.create_index("ix_access_log_seq", "access_log", ["seq"], unique=True)

    if postgresql:
        op.execute("ALTER TABLE access_log ENABLE TRIGGER access_log_no_update")
        for column in ("seq", "prev_hash", "entry_hash"):
            op.alter_column("access_log", column, server_default=None)
        op.execute(
            "CREATE TRIGGER access_log_head_no_delete BEFORE DELETE ON access_log_head "
            "FOR EACH ROW EXECUTE FUNCTION decision_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER access_log_head_no_truncate BEFORE TRUNCATE ON access_log_head "
            "FOR EACH STATEMENT EXECUTE FUNCTION decision_log_append_only()"
        )
    else:
        op.execute(
            "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN "
            "SELECT RAISE(ABORT, 'the access log is append-only (UPDATE on access_log)'); END"
        )
        op.execute(
            "CREATE TRIGGER access_log_head_no_delete BEFORE DELETE ON access_log_head BEGIN "
            "SELECT RAISE(ABORT, 'the access log is append-only (DELETE on access_log_head)'); END"
        )


def downgrade() -> None:
    raise RuntimeError("the access log is never downgraded: that would drop its chain")
