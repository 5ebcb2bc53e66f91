"""Throwaway environments for the clients other people wrote, cached by their versions.

Each environment is built once per machine under the cache folder (``SPECC_TOOL_CACHE``,
else ``$XDG_CACHE_HOME/specc-conformance``, else ``~/.cache/specc-conformance``), in a
folder named by what it holds and a hash of it, so a new pin builds a new one and a
repeated run costs nothing. Builders of the same environment (pytest-xdist workers)
take a file lock; a ``.complete`` marker is written last, so a half-built environment
(an interrupted run) is never used but wiped and built again.

The venv is made without pip (``python3 -m venv --without-pip``: Debian's Python lacks
``ensurepip`` unless python3-venv is installed) and filled by the running
interpreter's pip (``pip --python``).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class ToolEnvError(RuntimeError):
    """An environment could not be built (the message holds the installer's output)."""


def cache_root() -> Path:
    """Where environments are kept."""
    explicit = os.environ.get("SPECC_TOOL_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specc-conformance"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _run(argv: list[str], cwd: Path | None = None, timeout: float = 900) -> None:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-4000:]
        raise ToolEnvError(f"{' '.join(argv)} exited {proc.returncode}:\n{tail}")


def cached(kind: str, pins: tuple[str, ...], build: Callable[[Path], None]) -> Path:
    """The folder of environment *kind* holding *pins*, built by *build* when missing."""
    key = hashlib.sha256("\n".join((sys.version, *pins)).encode()).hexdigest()[:12]
    final = cache_root() / f"{kind}-{key}"
    marker = final / ".complete"
    if marker.exists():
        return final
    with _locked(cache_root() / f"{kind}-{key}.lock"):
        if marker.exists():
            return final
        shutil.rmtree(final, ignore_errors=True)
        final.mkdir(parents=True)
        build(final)
        marker.write_text("\n".join(pins) + "\n")
    return final


def python_env(kind: str, requirements: tuple[str, ...]) -> Path:
    """A venv holding the pinned *requirements*; returns its folder (``bin/python`` in it)."""

    def build(path: Path) -> None:
        _run([sys.executable, "-m", "venv", "--without-pip", str(path)])
        pip = [sys.executable, "-m", "pip", "--python", str(path / "bin" / "python")]
        _run([*pip, "install", "-q", "--disable-pip-version-check", *requirements])

    return cached(kind, requirements, build)


def npm_env(kind: str, packages: tuple[str, ...]) -> Path:
    """A folder with the pinned npm *packages* installed in its ``node_modules``."""
    npm = shutil.which("npm")
    if npm is None:
        raise ToolEnvError("npm is not installed (.ci/run installs it)")

    def build(path: Path) -> None:
        (path / "package.json").write_text('{"name": "specc-conformance", "private": true}\n')
        _run([npm, "install", "--no-audit", "--no-fund", "--silent", *packages], cwd=path)

    return cached(kind, packages, build)
