"""Fixtures for the population layer: small cohorts written to temporary files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sendrules.cohort import synth
from sendrules.cohort.runner import RunOptions, run

AS_OF = date(2025, 6, 1)
DRAFT = "send-ap@2.0.0-draft"


def write_jsonl(path: Path, journeys) -> Path:
    path.write_text("".join(json.dumps(journey) + "\n" for journey in journeys), encoding="utf-8")
    return path


def child(number: int, la: str = "E09000007", born: str = "2012-03-04") -> dict:
    return {"id": f"T-{number:04d}", "date_of_birth": born, "local_authority": la}


def run_cohort(
    tmp_path: Path,
    journeys_or_path,
    *,
    name: str = "out",
    standards: str | None = DRAFT,
    as_of: date = AS_OF,
    **options,
) -> tuple[Path, dict]:
    """Run a cohort (a list of journeys or a file) and return (output folder, manifest)."""
    path = journeys_or_path
    if not isinstance(path, Path):
        path = write_jsonl(tmp_path / f"{name}.jsonl", journeys_or_path)
    out = tmp_path / name
    options.setdefault("workers", 1)
    manifest = run(RunOptions(input=path, out=out, as_of=as_of, standards=standards, **options))
    return out, manifest


@pytest.fixture(scope="session")
def draft(library):
    return library.resolve(DRAFT, AS_OF)


@pytest.fixture(scope="session")
def synthetic_file(tmp_path_factory, draft) -> Path:
    """300 synthetic journeys under the draft's vocabulary."""
    path = tmp_path_factory.mktemp("synth") / "cohort.jsonl"
    with path.open("wb") as sink:
        synth.write_jsonl(300, 11, draft, sink)
    return path
