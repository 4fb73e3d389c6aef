"""The decision log: every decision recorded, chained, and replayable by an auditor.

One module per concern:

* ``config``          -- where the log is and which keys to use (environment, TOML file)
* ``crypto``          -- child-id pseudonyms (HMAC-SHA256) and request encryption (AES-GCM)
* ``schema``          -- the tables (SQLAlchemy Core); ``migrations/`` creates them (Alembic)
* ``database``        -- connecting (SQLite or PostgreSQL), locking the chain head, migrating
* ``chain``           -- what an entry's hash covers, and walking the chain to verify it
* ``store``           -- ``DecisionLog``: append, get, iterate, verify, rekey
* ``standards_store`` -- every standards version ever used, by content hash, and rebuilding it
* ``recorder``        -- deciding a request and recording it in one step
* ``replay``          -- re-evaluating a logged decision and diffing the result
* ``masking``         -- what ``log show`` prints without ``--unmask``
* ``cli``             -- ``sendrules log …`` and ``sendrules replay``

See docs/decision-log.md.
"""
