"""The decision log: entries, the chain head, the standards store; append-only triggers.

Revision ID: 0001
Revises:
"""

from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS = "0" * 64
IMMUTABLE = (
    "seq",
    "decision_id",
    "recorded_at",
    "as_of",
    "input_sha256",
    "child_pseudonym",
    "pseudonym_key",
    "standards_id",
    "standards_version",
    "standards_sha256",
    "engine_version",
    "backend",
    "calendar_data",
    "decision_json",
    "decision_sha256",
    "prev_hash",
    "entry_hash",
)


def upgrade() -> None:
    op.create_table(
        "standards_texts",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("standards_id", sa.String(64), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("files_json", sa.Text, nullable=False),
    )
    op.create_table(
        "decision_log",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("decision_id", sa.String(36), nullable=False, unique=True),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("input_sha256", sa.String(64), nullable=False),
        sa.Column("child_pseudonym", sa.String(64), nullable=False),
        sa.Column("pseudonym_key", sa.String(40), nullable=False),
        sa.Column("standards_id", sa.String(64), nullable=False),
        sa.Column("standards_version", sa.String(64), nullable=False),
        sa.Column("standards_sha256", sa.String(64), sa.ForeignKey("standards_texts.sha256"), nullable=False),
        sa.Column("engine_version", sa.String(32), nullable=False),
        sa.Column("backend", sa.String(32), nullable=False),
        sa.Column("calendar_data", sa.String(64), nullable=False),
        sa.Column("decision_json", sa.Text, nullable=False),
        sa.Column("decision_sha256", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("request_key_id", sa.String(32), nullable=False),
        sa.Column("request_payload", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_decision_log_child_pseudonym", "decision_log", ["child_pseudonym"])
    head = op.create_table(
        "decision_log_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "entry_hash": GENESIS}])
    _append_only_triggers()


def _append_only_triggers() -> None:
    """Refuse UPDATE of chained columns and DELETE, in the database itself. Defence in depth:
    the hash chain detects what a database owner does anyway (they can drop triggers)."""
    columns = ", ".join(IMMUTABLE)
    if op.get_context().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION decision_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the decision log is append-only (% on %)', TG_OP, TG_TABLE_NAME;
            END $$""")
        for table, event in (
            ("decision_log", f"UPDATE OF {columns}"),
            ("decision_log", "DELETE"),
            ("standards_texts", "UPDATE"),
            ("standards_texts", "DELETE"),
        ):
            name = f"{table}_no_{event.split()[0].lower()}"
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION decision_log_append_only()"
            )
        for table in ("decision_log", "standards_texts", "decision_log_head"):
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION decision_log_append_only()"
            )
        op.execute(
            "CREATE TRIGGER decision_log_head_no_delete BEFORE DELETE ON decision_log_head "
            "FOR EACH ROW EXECUTE FUNCTION decision_log_append_only()"
        )
    else:
        for table, event in (
            ("decision_log", f"UPDATE OF {columns}"),
            ("decision_log", "DELETE"),
            ("standards_texts", "UPDATE"),
            ("standards_texts", "DELETE"),
            ("decision_log_head", "DELETE"),
        ):
            name = f"{table}_no_{event.split()[0].lower()}"
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} BEGIN "
                f"SELECT RAISE(ABORT, 'the decision log is append-only ({event.split()[0]} "
                f"on {table})'); END"
            )


def downgrade() -> None:
    raise RuntimeError("the decision log is never downgraded: that would drop recorded decisions")
