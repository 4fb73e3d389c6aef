"""Policy officers' executable scenarios: Gherkin features run against the standards.

* ``features/<pack id>/*.feature`` -- scenarios in the words a policy officer uses, tagged with
  the versions they apply to (``@v1.1.0``);
* ``sendrules.scenarios.steps``    -- the phrases those scenarios may use (thin: they build a journey and
  call ``DecisionService.decide``, exactly as the CLI and HTTP API do);
* ``sendrules.scenarios.runner``   -- runs the scenarios of one version or all versions through pytest-bdd
  and reports each scenario (``sendrules test``);
* ``sendrules.scenarios.coverage`` -- which rules, table rows and clauses the scenarios exercised;
* ``sendrules.scenarios.report``   -- the report as a table or JSON.

See docs/features.md.
"""

from __future__ import annotations

from pathlib import Path

from sendrules import BUNDLED_FEATURES


def bundled_features() -> Path:
    """The folder of the bundled feature files (``<pack id>/*.feature``)."""
    return BUNDLED_FEATURES
