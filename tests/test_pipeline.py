"""The pipeline is the package's API: its stages, run one by one, give ``specc.plan``."""

from __future__ import annotations

import inspect
from pathlib import Path

import specc
import specc.changes.differ
import specc.planning.compiler
from specc.cloud.state import LiveState
from specc.planning.planfile import dump_plan

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ceph-rbd-kvm.yaml"


def test_stage_names_stay_functions_after_their_packages_load() -> None:
    # a package called diff or plan would have replaced these on import
    for name in ("load", "check", "build", "read", "diff", "compile", "plan"):
        assert inspect.isfunction(getattr(specc, name)), name


def test_stages_compose_to_plan() -> None:
    live = LiveState("4.18.0.0", {})
    validated = specc.check(specc.load(EXAMPLE))
    assert validated.ok
    desired = specc.build(validated)
    changes = specc.diff(desired, live)
    by_stage = specc.compile(validated, desired, live, changes)
    whole = specc.plan([EXAMPLE], live)
    assert by_stage.steps and dump_plan(by_stage) == dump_plan(whole)
    assert any(c.action == "create" for c in whole.changes)
