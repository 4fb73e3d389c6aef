"""The VS Code extension's files (editors/vscode/) and, once built, its .vsix."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

import sendrules

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "editors" / "vscode"
ARTEFACT = ROOT / "build" / "artefacts" / f"sendrules-{sendrules.__version__}.vsix"


def _manifest() -> dict:
    return json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))


def test_the_extension_has_the_version_of_sendrules_and_names_files_that_exist():
    manifest = _manifest()
    assert manifest["version"] == sendrules.__version__
    (language,) = manifest["contributes"]["languages"]
    assert language["id"] == "sendrules" and language["extensions"] == [".rules"]
    (grammar,) = manifest["contributes"]["grammars"]
    assert grammar["scopeName"] == "source.sendrules"
    for relative in (manifest["main"], grammar["path"], language["configuration"], "LICENSE", "README.md"):
        assert (EXTENSION / relative).is_file(), relative
    json.loads((EXTENSION / language["configuration"]).read_text(encoding="utf-8"))


def test_the_extension_starts_sendrules_lsp_for_rules_and_pack_yaml_files():
    source = (EXTENSION / "extension.js").read_text(encoding="utf-8")
    assert 'args: ["lsp"]' in source
    assert '{ scheme: "file", language: "sendrules" }' in source
    assert 'pattern: "**/{manifest,parameters,events}.yaml"' in source
    assert (
        _manifest()["contributes"]["configuration"]["properties"]["sendrules.command"]["default"]
        == "sendrules"
    )


@pytest.mark.skipif(
    not ARTEFACT.is_file() and not os.environ.get("SENDRULES_REQUIRE_NODE"),
    reason="the .vsix is built by scripts/build-vscode-extension.sh (CI)",
)
def test_the_built_vsix_holds_the_extension_and_its_language_client():
    assert ARTEFACT.is_file(), f"{ARTEFACT} was not built"
    with zipfile.ZipFile(ARTEFACT) as vsix:
        names = set(vsix.namelist())
        packaged = json.loads(vsix.read("extension/package.json"))
    assert {
        "extension/extension.js",
        "extension/syntaxes/sendrules.tmLanguage.json",
        "extension/language-configuration.json",
        "extension.vsixmanifest",
    } <= names
    assert any(name.startswith("extension/node_modules/vscode-languageclient/") for name in names)
    assert not any(name.startswith("extension/node_modules/@vscode/vsce/") for name in names)
    assert packaged["version"] == sendrules.__version__
