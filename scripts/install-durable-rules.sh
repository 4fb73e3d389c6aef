#!/usr/bin/env bash
# Build and install durable-rules 2.0.28 with our patch into a Python environment.
# See third_party/durable-rules/README.md for why. Usage:
#   bash scripts/install-durable-rules.sh .venv/bin/python
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${1:-.venv/bin/python}
VERSION=2.0.28
PATCH="$PWD/third_party/durable-rules/durable_rules-$VERSION-sendrules.patch"
SHA256=053b26f5e48d312d4fa27995243f954671be6eece477f150c059c364eb4d7d61

installed=$("$PYTHON" -c 'import importlib.metadata as m; print(m.version("durable_rules"))' 2>/dev/null || true)
if [ "$installed" = "$VERSION+sendrules1" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
  --no-build-isolation "durable-rules==$VERSION" -d "$work" 2>/dev/null \
  || "$PYTHON" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
       "durable-rules==$VERSION" -d "$work"
sdist="$work/durable_rules-$VERSION.tar.gz"
echo "$SHA256  $sdist" | sha256sum --check --quiet
tar -xzf "$sdist" -C "$work"
if command -v git >/dev/null 2>&1; then
  (cd "$work/durable_rules-$VERSION" && git apply --whitespace=nowarn "$PATCH")
elif command -v patch >/dev/null 2>&1; then
  (cd "$work/durable_rules-$VERSION" && patch --quiet -p1 < "$PATCH")
else
  echo "install-durable-rules: needs git or patch to apply $PATCH" >&2
  exit 1
fi
# setup.py overwrites CFLAGS, but CPPFLAGS reaches the compiler; -O2 restores optimisation.
if ! CPPFLAGS="-O2" "$PYTHON" -m pip install --disable-pip-version-check --no-cache-dir \
     "$work/durable_rules-$VERSION" > "$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  echo "install-durable-rules: the build failed (log above)" >&2
  exit 1
fi
"$PYTHON" -c 'import durable.engine, durable_rules_engine'
