"""The compiled-standards cache on disk: a pack is compiled once per machine, not once per process.

Building a standard (parse, check, compile) costs about 0.3 s for the bundled pack and minutes
for a generated pack of 20,000 rules; ``sendrules decide`` is a new process each time, so
without this cache every decision from the command line paid it again (issue 12 #2). The HTTP
service and cohort workers keep their standards in memory anyway; they gain only at start-up.

What is cached: the ``ir.CompiledStandard`` of a pack that built without errors, pickled. The
file name is a sha256 over the pack's content hash, the name the pack is displayed by (it is
in every rule's ``source_file``), and a fingerprint of the code that compiles and defines the
IR (``sendrules/dsl/*.py`` and the engine version), so an edited pack, a pack read from another
folder and a changed compiler all miss. A loaded entry must be a ``CompiledStandard`` with the
expected content hash, else it is ignored and rebuilt.

Where: ``SENDRULES_CACHE_DIR`` if set (empty: no cache), else ``$XDG_CACHE_HOME/sendrules/standards``,
else ``~/.cache/sendrules/standards``. Loading a pickle runs code, so the cache is used only
when the folder and the file belong to the current user and nobody else can write to them
(the folder is created 0700 and files 0600); otherwise it is skipped, never trusted. The cache
is an optimisation: a failure to read or write it never fails a decision, it only costs the
build. Delete the folder at any time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from sendrules.dsl import ir

#: The environment variable naming the cache folder ("" turns the cache off).
CACHE_DIR_VARIABLE = "SENDRULES_CACHE_DIR"


def cache_dir() -> Path | None:
    """The cache folder this process uses, or None when the cache is off."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sendrules" / "standards"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of what decides the shape of a compiled standard: the DSL's source and the engine
    version (read once per process)."""
    from sendrules import __version__

    digest = hashlib.sha256(f"{__version__}|{sys.version_info[:2]}".encode())
    dsl = Path(ir.__file__).parent
    for path in sorted(dsl.glob("*.py")) + sorted(dsl.glob("*.lark")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def entry_name(content_sha256: str, display: str) -> str:
    key = hashlib.sha256(f"{content_sha256}|{display}|{code_fingerprint()}".encode()).hexdigest()
    return f"{key}.pickle"


def load(content_sha256: str, display: str) -> ir.CompiledStandard | None:
    """The cached compiled standard, or None (no cache, a miss, or an entry not to be trusted)."""
    folder = cache_dir()
    if folder is None or not _private(folder, directory=True):
        return None
    path = folder / entry_name(content_sha256, display)
    try:
        with open(path, "rb") as handle:
            if not _private_stat(os.fstat(handle.fileno()), directory=False):
                return None
            standard = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 -- a damaged entry is a miss: it is rebuilt and replaced
        return None
    if not isinstance(standard, ir.CompiledStandard) or standard.sha256 != content_sha256:
        return None
    return standard


def store(standard: ir.CompiledStandard, display: str) -> bool:
    """Write the entry atomically (a reader sees the old file or the whole new one). True if
    written; False when the cache is off or cannot be written (nothing else happens)."""
    folder = cache_dir()
    if folder is None:
        return False
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder, directory=True):
            return False
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".entry-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:  # mkstemp creates the file 0600
                pickle.dump(standard, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / entry_name(standard.sha256, display))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        return False
    return True


def _private(path: Path, directory: bool) -> bool:
    try:
        return _private_stat(path.stat(), directory)
    except OSError:
        return False


def _private_stat(info: os.stat_result, directory: bool) -> bool:
    """Owned by this user, of the right kind, and writable by nobody else."""
    kind_ok = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)
    return kind_ok and info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
