"""The one error the decision log raises: a stable code and a message that says what to do.

It is an ``EngineError``, so the command line reports it exactly like a bad journey: one
line on stderr (or JSON with ``--format json``), exit code 2, never a traceback.

Codes: ``invalid_log_url``, ``log_not_found``, ``log_unavailable``, ``log_schema``,
``invalid_config``, ``missing_key``, ``invalid_key``, ``unknown_decision``,
``undecryptable_request``, ``request_hash_mismatch``, ``standards_not_stored``,
``standards_hash_mismatch``, ``standards_changed``, ``ambiguous_standards``.
"""

from __future__ import annotations

from sendrules.engine.errors import EngineError


class LogError(EngineError):
    """Something about the decision log, its configuration or its keys is wrong."""
