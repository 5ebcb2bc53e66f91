"""The live state a command reads is frozen out of the garbage collector's walks.

A large cloud's state is tens of thousands of dicts that live until the command
ends; ``specc.cli.common.long_lived`` moves them to the permanent generation
(``gc.freeze``) so the collections while planning do not walk them again
(bench/bench_plan.py measures the difference).
"""

from __future__ import annotations

import gc
from pathlib import Path

from typer.testing import CliRunner

from specc.cli.app import build_app

REPO = Path(__file__).resolve().parents[2]
SNAPSHOT = REPO / "tests" / "planning" / "snapshots" / "nfs-baseline-partial.json"


def test_plan_freezes_the_state_it_read() -> None:
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        result = CliRunner().invoke(
            build_app(),
            ["plan", str(REPO / "examples" / "nfs-baseline.yaml"), "--state", str(SNAPSHOT)],
        )
        assert result.exit_code == 0, result.output
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
