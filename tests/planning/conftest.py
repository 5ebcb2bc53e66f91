"""Fixtures of the plan tests (helpers live in plan_helpers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_helpers import EXAMPLES, REPO


@pytest.fixture(params=[p.name for p in EXAMPLES])
def example(request: pytest.FixtureRequest) -> Path:
    """Each example spec in turn."""
    return REPO / "examples" / str(request.param)
