"""The bundled standards packs (data only: YAML and ``.rules`` files).

This package holds no code. It exists so that the packs ship inside the installed
distribution and can be found from any working directory (see ``engine.library``).
Layout: ``<pack id>/<version>/`` with ``manifest.yaml``, ``parameters.yaml``,
``events.yaml`` and one or more ``*.rules`` files.
"""

from pathlib import Path

#: The folder that holds the bundled packs.
BUNDLED_STANDARDS = Path(__file__).resolve().parent
