"""Fixtures: a running simulator and the real `cs` client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cs import CloudStack
from simhelp import client

from specc.sim import Simulator, running


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with running() as s:
        yield s


@pytest.fixture
def cs(sim: Simulator) -> CloudStack:
    return client(sim)
