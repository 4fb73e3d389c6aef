"""After a plain, non-editable install, sendrules finds the bundled packs from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from tests.installing import install_copy

ROOT = Path(__file__).resolve().parents[1]


def test_installed_package_ships_the_standards(tmp_path):
    target = tmp_path / "site"
    install = install_copy(target)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("SENDRULES_STANDARDS",)}
    env["PYTHONPATH"] = str(target)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sendrules; print(sendrules.__file__, sendrules.BUNDLED_STANDARDS, "
            "sendrules.BUNDLED_FEATURES)",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    module, standards, features = probe.stdout.split()
    assert module.startswith(str(target)), "the installed copy must be the one imported"
    assert Path(standards) == target / "sendrules" / "standards", "the packs are installed inside the package"
    assert (Path(features) / "send-ap").is_dir(), "so are the scenarios"
    assert not (target / "engine").exists() and not (target / "api").exists(), (
        "one namespace: nothing generic at the top"
    )
    script = target / "bin" / "sendrules"
    assert script.exists(), "the console command is installed"
    listed = subprocess.run(
        [sys.executable, str(script), "standards", "--format", "json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    assert [row["version"] for row in json.loads(listed.stdout)] == [
        "1.0.0",
        "1.1.0",
        "1.2.0",
        "1.3.0",
        "1.4.0",
        "1.5.0",
        "2.0.0-draft",
    ]
    decided = subprocess.run(
        [
            sys.executable,
            str(script),
            "decide",
            str(ROOT / "examples" / "journey.json"),
            "--as-of",
            "2025-06-01",
            "--format",
            "json",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert decided.returncode == 0, decided.stderr
    assert json.loads(decided.stdout)["standards"]["version"] == "1.5.0"
    page = subprocess.run(
        [
            sys.executable,
            str(script),
            "decide",
            str(ROOT / "examples" / "journey.json"),
            "--as-of",
            "2025-06-01",
            "--format",
            "html",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert page.returncode == 0, page.stderr
    assert "<svg" in page.stdout and "--rule: #b1b4b6" in page.stdout, (
        "the pages' templates and stylesheet are installed"
    )


def test_every_code_folder_is_packaged():
    """pyproject.toml lists the packages one by one (the data folders are mapped in): a new
    folder of code under sendrules/ must be added there, or an install would leave it out."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts) for path in (ROOT / "sendrules").rglob("__init__.py")
    }
    assert on_disk <= listed, f"not in pyproject.toml's packages: {sorted(on_disk - listed)}"


def _locked_versions() -> dict[str, str]:
    """The pinned versions of requirements.lock, by normalised project name."""
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonicalize_name(name.split("[", 1)[0])] = version.strip()
    return pins


def test_the_lockfile_satisfies_pyproject():
    """scripts/setup.sh and CI install requirements.lock: every dependency of pyproject.toml
    (runtime and the test, postgres and cluster extras) must be pinned there at a version its
    specifier accepts — a dependency added or tightened without re-locking fails here."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in ("test", "postgres", "cluster"):
        wanted += project["optional-dependencies"][extra]
    pins = _locked_versions()
    problems = []
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement.name} is not in requirements.lock")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{requirement.name}=={pins[name]} does not satisfy {requirement.specifier}")
    assert not problems, "re-lock (docs/development.md): " + "; ".join(problems)


def test_test_tools_and_drivers_are_not_runtime_dependencies():
    """What only our tests or an optional feature need stays in an extra: a caseworker system
    installing sendrules does not get the test runner's parallel plugin or a PostgreSQL driver."""
    from packaging.requirements import Requirement

    runtime = {
        Requirement(text).name.lower()
        for text in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    assert not runtime & {"pytest-xdist", "psycopg", "hypothesis", "mypy", "ruff", "durable-rules", "dask"}
