"""Golden plans: every example against an empty cloud and against a snapshot.

Host scripts are left out here (their content belongs to the host-scripts tests);
test_host_scripts_sit_right_before_the_steps_that_need_them checks their placement.
Set SPECC_REGEN=1 to rewrite the golden files after an intended change (the test
still compares, so a regenerated run passes only if the output is stable).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from plan_helpers import HERE, REPO, empty, plan_for

from specc.cloud.state import LiveState
from specc.core.steps import HostScript
from specc.planning.planfile import dump_plan
from specc.render.text import render_text

GOLDEN = HERE / "golden"


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SPECC_REGEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with SPECC_REGEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def test_example_against_empty_cloud_matches_golden(example: Path) -> None:
    plan = plan_for(example, empty(), scripts=False)
    _check(f"{example.stem}.txt", render_text(plan))
    _check(f"{example.stem}.json", dump_plan(plan))


def _snapshot(name: str) -> LiveState:
    data = json.loads((HERE / "snapshots" / name).read_text(encoding="utf-8"))
    resources = {k: tuple(v) for k, v in data["resources"].items()}
    return LiveState(data["api_version"], resources)


def test_against_snapshot_matches_golden() -> None:
    live = _snapshot("nfs-baseline-partial.json")
    plan = plan_for(REPO / "examples" / "nfs-baseline.yaml", live, scripts=False)
    _check("nfs-baseline-partial.txt", render_text(plan))
    _check("nfs-baseline-partial.json", dump_plan(plan))


def test_plan_is_byte_stable_across_runs_and_live_order() -> None:
    live = _snapshot("nfs-baseline-partial.json")
    rng = random.Random(7)
    shuffled = {k: tuple(rng.sample(list(v), len(v))) for k, v in live.resources.items()}
    spec = REPO / "examples" / "production.yaml"
    first = dump_plan(plan_for(spec, live))
    second = dump_plan(plan_for(spec, LiveState(live.api_version, shuffled)))
    assert first == second
    assert dump_plan(plan_for(spec, empty())) == dump_plan(plan_for(spec, empty()))


def test_host_scripts_sit_right_before_the_steps_that_need_them(example: Path) -> None:
    plan = plan_for(example, empty())
    position = {s.id: i for i, s in enumerate(plan.steps)}
    scripts = [s for s in plan.steps if isinstance(s, HostScript)]
    for script in scripts:
        assert script.needed_by, script.id
        for needer in script.needed_by:
            assert position[script.id] < position[needer]
            assert script.id in plan.steps[position[needer]].depends_on
        first = min(position[n] for n in script.needed_by)
        between = plan.steps[position[script.id] + 1 : first]
        assert all(isinstance(s, HostScript) for s in between), script.id
