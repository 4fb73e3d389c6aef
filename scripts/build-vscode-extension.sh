#!/usr/bin/env bash
# Build the VS Code extension (editors/vscode/) into build/artefacts/sendrules-VERSION.vsix.
# Installs Node.js and npm from Debian's packages when the machine has no node (Debian 12
# gives Node 18, Debian 13 Node 20: the pinned tools work with both), installs the extension's
# locked npm packages (npm ci), tests its TextMate grammar with VS Code's tokenizer (npm test),
# and packages it with @vscode/vsce.
#
#   bash scripts/build-vscode-extension.sh        # then: code --install-extension build/artefacts/sendrules-*.vsix
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nodejs npm
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "build-vscode-extension: Node.js 18 or newer is needed (this is $(node --version))" >&2
  exit 1
fi
echo "build-vscode-extension: node $(node --version), npm $(npm --version)"

version=$(node -p 'require("./editors/vscode/package.json").version')
mkdir -p build/artefacts
(
  cd editors/vscode
  # no install scripts: nothing the build uses needs one (vsce-sign's fetches a signing tool)
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  npm test
  # --skip-license: the extension's LICENSE file is there; --allow-missing-repository: the
  # extension is installed from the .vsix, not from a marketplace page.
  node node_modules/@vscode/vsce/vsce package --allow-missing-repository --skip-license \
    --out "../../build/artefacts/sendrules-$version.vsix"
)
echo "build-vscode-extension: build/artefacts/sendrules-$version.vsix"
