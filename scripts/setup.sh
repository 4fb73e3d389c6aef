#!/usr/bin/env bash
# Set up a development environment: a virtualenv in .venv with the project installed in
# editable mode (so .venv/bin/sendrules always runs the working tree's code) and its test
# dependencies. Safe to run again. tests/test_packaging.py checks a normal, non-editable
# install as users get it.
#
#   bash scripts/setup.sh            # then: .venv/bin/sendrules ..., .venv/bin/python -m pytest -n auto
#   PYTHON=python3.12 bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: Python 3.11 or newer is needed ($PYTHON is $("$PYTHON" --version 2>&1 || echo missing))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
# The Rete backend's engine, built from source with our patch (third_party/durable-rules/).
bash scripts/install-durable-rules.sh .venv/bin/python
# Exactly the versions that were tested (requirements.lock, made by uv from pyproject.toml; see
# docs/development.md), then the project itself without resolving anything again.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --requirement requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
