"""Applies finish under faults within one run: lost answers, dropped reads.

Exact faults, no randomness: the simulator drops the answer of the next call of a
named command (``Simulator.drop_next``), before or after the call ran. A dropped
connection after the request went out is the ambiguous case ("it may have run").
"""

from __future__ import annotations

import time
from pathlib import Path

from exechelp import EXAMPLES, FAST, apply, client, duplicates, plan_of, read, secrets_for

from specc.cloud.client import CloudClient, Credentials, RetryPolicy
from specc.execute.executor import Event
from specc.render._common import has_changes
from specc.sim import running

NFS = next(p for p in EXAMPLES if p.name == "nfs-baseline.yaml")
CEPH = next(p for p in EXAMPLES if p.name == "ceph-rbd-kvm.yaml")
HOLD_S = 0.3  # a dropped answer: held, then the connection closed


def _lost(events: list[Event], step: str) -> list[str]:
    return [e.text for e in events if e.kind == "info" and e.step == step]


def test_lost_create_answer_is_found_by_key_not_sent_again(tmp_path: Path) -> None:
    with running() as sim:
        sim.config.timeout_hold_s = HOLD_S
        api = client(sim)
        plan = plan_of(NFS, read(api))
        sim.drop_next("createZone", after_call=True)  # the zone is made, the answer lost
        sim.drop_next("createPod", after_call=True)
        events: list[Event] = []
        apply(plan, api, tmp_path / "j.jsonl", secrets_for(plan), events)  # one run
        assert _lost(events, "create:zone:zone1") == ["answer lost; found by its key"]
        assert any(e.kind == "reused" and e.step == "create:zone:zone1" for e in events)
        live = read(api)
        assert [z["name"] for z in live.items("zone")] == ["zone1"]
        assert duplicates(live) == []
        assert not has_changes(plan_of(NFS, live))


def test_lost_create_that_never_ran_is_sent_again(tmp_path: Path) -> None:
    with running() as sim:
        sim.config.timeout_hold_s = HOLD_S
        api = client(sim)
        plan = plan_of(NFS, read(api))
        sim.drop_next("createZone", after_call=False)  # dropped before it ran
        events: list[Event] = []
        apply(plan, api, tmp_path / "j.jsonl", secrets_for(plan), events)
        assert _lost(events, "create:zone:zone1") == ["answer lost; sending it again"]
        assert any(e.kind == "done" and e.step == "create:zone:zone1" for e in events)
        live = read(api)
        assert len(live.items("zone")) == 1
        assert duplicates(live) == []
        assert not has_changes(plan_of(NFS, live))


def test_lost_answers_of_updates_and_async_creates_are_resolved(tmp_path: Path) -> None:
    with running() as sim:
        sim.config.timeout_hold_s = HOLD_S
        api = client(sim)
        plan = plan_of(CEPH, read(api))
        sim.drop_next("updateZone", after_call=True)  # sets a value: sent again
        sim.drop_next("addTrafficType", after_call=True, times=2)  # async create-first
        sim.drop_next("updatePhysicalNetwork", after_call=False)
        events: list[Event] = []
        apply(plan, api, tmp_path / "j.jsonl", secrets_for(plan), events)
        lost = [e for e in events if e.kind == "info" and e.text.startswith("answer lost")]
        assert len(lost) == 4
        live = read(api)
        assert duplicates(live) == []
        assert not has_changes(plan_of(CEPH, live))


def test_a_create_whose_answers_keep_getting_lost_fails_after_bounded_sends(
    tmp_path: Path,
) -> None:
    with running() as sim:
        sim.config.timeout_hold_s = HOLD_S
        api = client(sim)
        plan = plan_of(NFS, read(api))
        sim.drop_next("createZone", after_call=False, times=4)
        events: list[Event] = []
        try:
            apply(plan, api, tmp_path / "j.jsonl", secrets_for(plan), events)
        except Exception as exc:  # the ApplyError of the executor
            assert "create:zone:zone1 failed" in str(exc)
            assert "it may have run" in str(exc)
        else:
            raise AssertionError("four lost answers in a row fail the step")
        assert len(_lost(events, "create:zone:zone1")) == 3
        assert read(api).items("zone") == ()


def test_dropped_read_is_retried_after_a_short_timeout() -> None:
    with running() as sim:  # the simulator holds a dropped call 30 s
        policy = RetryPolicy(backoff_s=0.01, read_timeout_s=0.5)
        api = CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key), policy)
        api.list("listZones", "zone")  # connect once
        sim.drop_next("listZones")
        started = time.monotonic()
        assert api.list("listZones", "zone") == []
        took = time.monotonic() - started
        assert api.retries == 1
        assert 0.5 <= took < 5, took  # not the 30 s a write may wait


def test_read_timeouts_grow_per_attempt_and_writes_wait_long() -> None:
    policy = RetryPolicy(read_timeout_s=5, request_timeout_s=30, attempts=4)
    assert [policy.timeout("listHosts", n) for n in (1, 2, 3, 4)] == [5, 10, 20, 30]
    assert policy.timeout("queryAsyncJobResult", 1) == 5
    assert policy.timeout("addHost", 1) == 30  # AddHostCmd is synchronous


def test_random_faults_converge_in_one_apply(tmp_path: Path) -> None:
    """5 % faults (503s and lost answers after the call ran): one apply converges."""
    with running(latency_ms=1, fault_rate=0.05, fault_seed=11) as sim:
        sim.config.timeout_hold_s = HOLD_S
        sim.set_faults(timeouts_after_call=True)
        api = client(sim, FAST)
        plan = plan_of(CEPH, read(api))
        apply(plan, api, tmp_path / "j.jsonl", secrets_for(plan))
        sim.set_faults(fault_rate=0.0)
        final = read(api)
        assert duplicates(final) == []
        assert not has_changes(plan_of(CEPH, final))
