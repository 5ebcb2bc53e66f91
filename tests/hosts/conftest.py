"""Fixtures of the host-script tests (helpers in hosthelp.py): the shim bin, a sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from hosts.hosthelp import SHIM, SHIMMED, Sandbox


@pytest.fixture(scope="session")
def shim_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("shimbin")
    for name in SHIMMED:
        (d / name).symlink_to(SHIM)
    return d


@pytest.fixture
def sandbox(tmp_path: Path, shim_bin: Path) -> Sandbox:
    return Sandbox(tmp_path, shim_bin)
