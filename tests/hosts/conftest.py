"""Fixtures of the host-script tests (helpers in hosthelp.py): the shim bin, a sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from hosts.hosthelp import SHIM, SHIMMED, Sandbox, stand_ins


@pytest.fixture(scope="session")
def shim_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("shimbin")
    for name in SHIMMED:
        (d / name).symlink_to(SHIM)
    for path in stand_ins():
        (d / path.name).symlink_to(path)
    return d


@pytest.fixture
def sandbox(tmp_path: Path, shim_bin: Path) -> Sandbox:
    return Sandbox(tmp_path, shim_bin)
