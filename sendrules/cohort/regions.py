"""Local authority -> region, from a bundled lookup (``data/local_authorities.csv``).

The 153 local authorities with education functions in England (counties, unitary
authorities, metropolitan districts, London boroughs and the City of London), each with its ONS
(GSS) code, its three-digit DfE local authority number, its name, and its ONS region (E12...).
Compiled from ONS's Local Authority District to Region lookup (Open Government Licence) by way
of mySociety's "UK local authority names and codes" lookup (MIT licence), with the DfE numbers of
the authorities created since 2019 (Buckinghamshire 825, Dorset 838, Bournemouth, Christchurch
and Poole 839, North and West Northamptonshire 940/941, Cumberland 942, Westmorland and Furness
943) added from DfE's local authority number list. docs/cohorts.md says how to update it.

A journey may name its local authority either way (CONTRACT §1); both resolve to the same
authority. A code that is well formed but not in the lookup has no region ("unknown").
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LOOKUP = Path(__file__).with_name("data") / "local_authorities.csv"
ENGLAND = ("E92000001", "England")


@dataclass(frozen=True)
class LocalAuthority:
    code: str
    number: str
    name: str
    region_code: str
    region_name: str


@lru_cache(maxsize=1)
def _table() -> dict[str, LocalAuthority]:
    table: dict[str, LocalAuthority] = {}
    with LOOKUP.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            authority = LocalAuthority(
                row["la_code"], row["la_number"], row["la_name"], row["region_code"], row["region_name"]
            )
            table[authority.code] = authority
            table[authority.number] = authority
    return table


def authority(code: str | None) -> LocalAuthority | None:
    """The authority named by an ONS code or a DfE number, or None."""
    return _table().get(code) if code else None


def region_of(code: str | None) -> str | None:
    """The region code (E12...) of a local authority code or number, or None when unknown."""
    found = authority(code)
    return found.region_code if found else None


def canonical_code(code: str | None) -> str | None:
    """The ONS code of an authority named either way; an unknown code is returned as given."""
    found = authority(code)
    return found.code if found else code


@lru_cache(maxsize=1)
def region_names() -> dict[str, str]:
    return {entry.region_code: entry.region_name for entry in _table().values()}


def all_authorities() -> list[LocalAuthority]:
    """Every authority once, in code order."""
    return sorted({entry.code: entry for entry in _table().values()}.values(), key=lambda entry: entry.code)


def name_of(breakdown: str, key: str | None) -> str | None:
    """A readable name for a breakdown key (local authority or region), when there is one."""
    if key is None:
        return None
    if breakdown == "la":
        found = authority(key)
        return found.name if found else None
    if breakdown == "region":
        return region_names().get(key)
    if breakdown == "england":
        return ENGLAND[1]
    return None
