"""Fixtures of the host-script tests (helpers in hosthelp.py): the shim bin, a sandbox.

The bin links every shared command to ``shim.sh`` and every plug-in shim
(``shims/commands/<command>``) under its own name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hosts.hosthelp import COMMAND_SHIMS, SHIM, SHIMMED, Sandbox


@pytest.fixture(scope="session")
def shim_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("shimbin")
    for name in SHIMMED:
        (d / name).symlink_to(SHIM)
    for shim in COMMAND_SHIMS:  # the plug-ins: a backend's own commands
        (d / shim.name).symlink_to(shim)
    return d


@pytest.fixture
def sandbox(tmp_path: Path, shim_bin: Path) -> Sandbox:
    return Sandbox(tmp_path, shim_bin)
