"""Policy officers' executable scenarios: Gherkin features run against the standards.

* ``features/<pack id>/*.feature`` -- scenarios in the words a policy officer uses, tagged with
  the versions they apply to (``@v1.1.0``);
* ``sendrules.scenarios.features`` -- reads feature files (the official Gherkin parser);
* ``sendrules.scenarios.phrasebook`` -- the pack's phrases for its events
  (``standards/<pack id>/phrases.yaml``): checked against each version's vocabulary, compiled;
* ``sendrules.scenarios.overlap``  -- whether two phrases can match one step;
* ``sendrules.scenarios.steps``    -- the generic phrases, and how any phrase changes a journey (thin:
  they build a journey and call ``DecisionService.decide``, exactly as the CLI and HTTP API do);
* ``sendrules.scenarios.plugin``   -- the pytest plugin that collects feature files as tests;
* ``sendrules.scenarios.runner``   -- runs the scenarios of one version or all versions through pytest
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
