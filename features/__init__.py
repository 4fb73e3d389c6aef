"""Policy officers' executable scenarios: Gherkin features run against the standards.

* ``features/<pack id>/*.feature`` -- scenarios in the words a policy officer uses, tagged with
  the versions they apply to (``@v1.1.0``);
* ``features.steps``    -- the phrases those scenarios may use (thin: they build a journey and
  call ``DecisionService.decide``, exactly as the CLI and HTTP API do);
* ``features.runner``   -- runs the scenarios of one version or all versions through pytest-bdd
  and reports each scenario (``sendrules test``);
* ``features.coverage`` -- which rules, table rows and clauses the scenarios exercised;
* ``features.report``   -- the report as a table or JSON.

See docs/features.md.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_features() -> Path:
    """The folder of the feature files installed with the package (``<pack id>/*.feature``)."""
    return Path(str(resources.files(__name__)))
