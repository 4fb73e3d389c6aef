"""sendrules: a rules engine for England's national SEND and alternative provision standards.

One namespace, one subpackage per part of the architecture (docs/architecture.md):

* ``sendrules.dsl``         -- the standards front end: pack files -> parse -> check -> compile (IR)
* ``sendrules.engine``      -- the calendar, journeys, both backends, decisions (pure: no I/O)
* ``sendrules.decisionlog`` -- the append-only, hash-chained decision log and replay
* ``sendrules.policy``      -- diff and document standards versions for policy teams
* ``sendrules.scenarios``   -- policy officers' Gherkin scenarios, run against the standards
* ``sendrules.api``         -- the command line and the HTTP service

The standards packs and the scenarios are data, kept at the top of the repository
(``standards/``, ``features/``) and installed inside the package (``sendrules/standards``,
``sendrules/features``); the two paths below find them in either place.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.3.0"

_PACKAGE = Path(__file__).resolve().parent


def _data_folder(name: str) -> Path:
    """``name`` inside the installed package, or at the top of a source checkout."""
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


#: The folder that holds the bundled standards packs (``<pack id>/<version>/``).
BUNDLED_STANDARDS = _data_folder("standards")

#: The folder that holds the bundled scenarios (``<pack id>/*.feature``).
BUNDLED_FEATURES = _data_folder("features")
