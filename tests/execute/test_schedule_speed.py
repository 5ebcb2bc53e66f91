"""The executor's schedule: independent steps overlap, dependent ones never do.

Deterministic: the assertions are about the recorded order of start and end
events and journal records, never about seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

from exechelp import REPO, apply, client, plan_of, read, secrets_for

from specc.execute.executor import Event
from specc.execute.schedule import dependencies
from specc.sim import running

NFS = REPO / "examples" / "nfs-baseline.yaml"
ENDS = {"done", "reused", "skipped", "check", "failed"}


def test_independent_steps_overlap_up_to_the_parallelism(tmp_path: Path) -> None:
    # a little latency keeps each call in flight long enough to overlap others
    with running(latency_ms=5) as sim:
        api = client(sim)
        plan = plan_of(NFS, read(api))
        events: list[Event] = []
        apply(plan, api, tmp_path / "j.jsonl", secrets_for(plan), events, parallelism=3)
    deps = dependencies(plan)
    ended: set[str] = set()
    running_now: set[str] = set()
    most = 0
    for event in events:
        if event.kind == "start":
            missing = [d for d in deps.get(event.step, ()) if d not in ended]
            assert missing == [], f"{event.step} started before {missing} ended"
            running_now.add(event.step)
            most = max(most, len(running_now))
        elif event.kind in ENDS:
            running_now.discard(event.step)
            ended.add(event.step)
    assert ended == {s.id for s in plan.steps}
    assert most == 3  # independent steps did run side by side, never more than allowed


def test_the_journal_records_a_step_done_before_a_dependent_starts(tmp_path: Path) -> None:
    with running(latency_ms=2) as sim:
        api = client(sim)
        plan = plan_of(NFS, read(api))
        journal = tmp_path / "j.jsonl"
        apply(plan, api, journal, secrets_for(plan))
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    at = {(r["event"], r.get("step")): i for i, r in enumerate(records)}
    deps = dependencies(plan)
    pairs = [(d, s) for s, before in deps.items() for d in before]
    assert pairs, "the plan has dependencies to check"
    for before, step in pairs:
        assert at[("done", before)] < at[("start", step)], (before, step)
