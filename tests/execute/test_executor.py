"""The executor on the real simulator: order, parallelism, journal, resume, faults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exechelp import REPO, apply, client, duplicates, plan_of, read, secrets_for

from specc.cloud.client import RetryPolicy
from specc.core.steps import ApiCall
from specc.errors import ApplyError, PlanError, SecretError
from specc.execute.executor import Event
from specc.execute.journal import Journal, plan_identity
from specc.execute.schedule import dependencies
from specc.render._common import has_changes
from specc.sim import running

NFS = REPO / "examples" / "nfs-baseline.yaml"
CEPH = REPO / "examples" / "ceph-rbd-kvm.yaml"


def test_dependencies_follow_the_plan_and_zone_stages() -> None:
    with running() as sim:
        plan = plan_of(NFS, read(client(sim)))
    deps = dependencies(plan)
    position = {s.id: i for i, s in enumerate(plan.steps)}
    for step_id, before in deps.items():
        assert all(position[d] < position[step_id] for d in before), step_id
    enable = "enable:zone:zone1"
    ancestors: set[str] = set()
    todo = [enable]
    while todo:
        for d in deps[todo.pop()]:
            if d not in ancestors:
                ancestors.add(d)
                todo.append(d)
    # the zone is enabled after its hosts, pools and image stores
    for step in plan.steps:
        if isinstance(step, ApiCall) and step.command in ("addHost", "createStoragePool"):
            assert step.id in ancestors
    # hosts of one cluster do not wait for each other
    hosts = [s.id for s in plan.steps if isinstance(s, ApiCall) and s.command == "addHost"]
    assert len(hosts) > 1 and not any(h in deps[o] for h in hosts for o in hosts)


def test_apply_converges_and_journals_without_secrets(tmp_path: Path) -> None:
    with running() as sim:
        api = client(sim)
        plan = plan_of(CEPH, read(api))
        env = secrets_for(plan)
        assert env, "the Ceph example has secrets"
        events: list[Event] = []
        outcome = apply(plan, api, tmp_path / "j.jsonl", env, events)
        assert len(outcome.done) == len(plan.steps)
        again = plan_of(CEPH, read(api))
        assert not has_changes(again)
        assert duplicates(read(api)) == []
    text = (tmp_path / "j.jsonl").read_text()
    shown = text + "".join(e.text for e in events)
    for value in env.values():
        assert value not in shown
    records = [json.loads(line) for line in text.splitlines()]
    assert records[0]["event"] == "begin" and records[-1] == {"event": "finished"}
    assert {r["step"] for r in records if r["event"] == "done"} == {s.id for s in plan.steps}


def test_missing_secret_names_the_reference(tmp_path: Path) -> None:
    with running() as sim:
        api = client(sim)
        plan = plan_of(CEPH, read(api))
        env = secrets_for(plan)
        missing = sorted(env)[0]
        del env[missing]
        with pytest.raises(ApplyError, match=f"secret {{env: {missing}}} is not set"):
            apply(plan, api, tmp_path / "j.jsonl", env)


def test_secret_error_never_shows_a_value(tmp_path: Path) -> None:
    from specc.core.steps import SecretParam
    from specc.execute.secrets import Masker, SecretResolver

    resolver = SecretResolver({}, tmp_path, Masker())
    with pytest.raises(SecretError) as err:
        resolver.read(SecretParam("file", "nope.key"))
    assert "nope.key" in err.value.message


def test_failed_step_is_shown_and_a_rerun_resumes(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    with running(fail=("createStoragePool",)) as sim:
        api = client(sim)
        plan = plan_of(NFS, read(api))
        env = secrets_for(plan)
        with pytest.raises(ApplyError, match=r"step create:storagepool:zone1/nfs-primary-1 failed"):
            apply(plan, api, journal, env)
        zones_before = len(read(api).items("zone"))
        sim.set_faults(fail=())
        events: list[Event] = []
        outcome = apply(plan, api, journal, env, events)
        assert any("failed last time" in e.text for e in events)
        skipped = {e.step for e in events if e.kind == "skipped"}
        assert (
            "create:zone:zone1" in skipped
            and "create:storagepool:zone1/nfs-primary-1" in outcome.done
        )
        assert len(read(api).items("zone")) == zones_before == 1
        assert not has_changes(plan_of(NFS, read(api)))
        assert duplicates(read(api)) == []


def test_failing_async_job_fails_the_step_then_converges(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    with running(fail=("registerTemplate", "enableHAForHost")) as sim:
        api = client(sim)
        plan = plan_of(NFS, read(api))
        env = secrets_for(plan)
        assert any(isinstance(s, ApiCall) and s.is_async for s in plan.steps)
        with pytest.raises(ApplyError, match="failed"):
            apply(plan, api, journal, env)
        sim.set_faults(fail=())
        apply(plan, api, journal, env)
        assert not has_changes(plan_of(NFS, read(api)))
        assert duplicates(read(api)) == []


def test_half_completed_create_is_found_not_resent(tmp_path: Path) -> None:
    journal_path = tmp_path / "j.jsonl"
    with running() as sim:
        api = client(sim)
        plan = plan_of(NFS, read(api))
        create = next(s for s in plan.steps if s.id == "create:zone:zone1")
        assert isinstance(create, ApiCall)
        # the request went out and the process died before the answer was journaled
        api.call(create.command, **{k: v for k, v in create.params.items() if isinstance(v, str)})
        journal = Journal(journal_path, plan_identity(plan))
        journal.open(len(plan.steps))
        journal.record({"event": "start", "step": create.id})
        journal.close()
        events: list[Event] = []
        apply(plan, api, journal_path, secrets_for(plan), events)
        assert any(e.kind == "reused" and e.step == create.id for e in events)
        assert len(read(api).items("zone")) == 1
        assert not has_changes(plan_of(NFS, read(api)))


def test_stale_plan_is_refused(tmp_path: Path) -> None:
    with running() as sim:
        api = client(sim)
        plan = plan_of(NFS, read(api))
        api.call("createDiskOffering", name="behind-your-back", displaytext="x", disksize=1)
        with pytest.raises(PlanError, match="plan is stale, run plan again"):
            apply(plan, api, tmp_path / "j.jsonl", secrets_for(plan))
        assert not (tmp_path / "j.jsonl").exists()


def test_journal_of_another_cloud_is_refused(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    with running(fail=("createStoragePool",)) as sim:
        api = client(sim)
        plan = plan_of(NFS, read(api))
        with pytest.raises(ApplyError):
            apply(plan, api, journal, secrets_for(plan))
    with (
        running() as other,
        pytest.raises(ApplyError, match="records ids this cloud does not have"),
    ):
        apply(plan, client(other), journal, secrets_for(plan))


def test_random_faults_and_latency_converge_without_duplicates(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    with running(seed=None, latency_ms=2, fault_rate=0.05, fault_seed=7) as sim:
        sim.config.timeout_hold_s = 1.5  # a dropped answer: held, then the connection closed
        api = client(sim)
        plan = plan_of(CEPH, read(api))
        env = secrets_for(plan)
        converged = False
        for _ in range(30):  # a run may fail on a fault; each rerun resumes
            try:
                apply(plan, api, journal, env)
            except ApplyError:
                continue
            converged = True
            break
        sim.set_faults(fault_rate=0.0)
        assert converged
        assert api.retries > 0, "the faults were hit and retried"
        final = read(api)
        assert duplicates(final) == []
        assert not has_changes(plan_of(CEPH, final))
    for value in env.values():
        assert value not in journal.read_text()


def test_half_completed_delete_is_not_an_error_on_rerun(tmp_path: Path) -> None:
    from specc.planning.compiler import compile_plan
    from specc.spec import require

    journal_path = tmp_path / "j.jsonl"
    with running() as sim:
        api = client(sim)
        validated = require([NFS])
        assert validated.spec is not None
        first = plan_of(NFS, read(api))
        apply(first, api, tmp_path / "first.jsonl", secrets_for(first))
        api.call("createDiskOffering", name="extra", displaytext="x", disksize=1)
        plan = compile_plan(validated.spec, read(api), spec_hash="h", prune=True)
        delete = next(
            s
            for s in plan.steps
            if isinstance(s, ApiCall) and str(s.resource) == "diskoffering:extra"
        )
        assert delete.command == "deleteDiskOffering"
        api.call(delete.command, **{k: v for k, v in delete.params.items() if isinstance(v, str)})
        journal = Journal(journal_path, plan_identity(plan))
        journal.open(len(plan.steps))
        journal.record({"event": "start", "step": delete.id})
        journal.close()
        events: list[Event] = []
        apply(plan, api, journal_path, secrets_for(plan), events)
        assert any(e.kind == "reused" and e.step == delete.id for e in events)


def test_network_loss_mid_apply_then_rerun_converges(tmp_path: Path) -> None:
    import threading

    journal = tmp_path / "j.jsonl"
    with running() as sim:
        plan = plan_of(NFS, read(client(sim)))
        env = secrets_for(plan)
        cut = threading.Event()

        def lose_network(event: Event) -> None:
            if event.kind == "done" and event.step.startswith("create:pod") and not cut.is_set():
                cut.set()
                sim.config.timeout_hold_s = 0.2
                sim.set_faults(fault_rate=1.0)  # from now on: 503s and dropped answers

        policy = RetryPolicy(attempts=2, backoff_s=0.01, request_timeout_s=2)
        with pytest.raises(ApplyError, match=r"cannot reach|no answer|503"):
            apply(plan, client(sim, policy), journal, env, [], parallelism=4, report=lose_network)
        assert cut.is_set()
        sim.set_faults(fault_rate=0.0)  # the network is back
        events: list[Event] = []
        apply(plan, client(sim), journal, env, events)
        assert any(e.kind == "skipped" for e in events)
        assert not has_changes(plan_of(NFS, read(client(sim))))
        assert duplicates(read(client(sim))) == []


def test_stable_fingerprint_ignores_heartbeats_but_not_drift(tmp_path: Path) -> None:
    import dataclasses

    with running() as sim:
        api = client(sim)
        apply(
            plan_of(NFS, read(api)),
            api,
            tmp_path / "first.jsonl",
            secrets_for(plan_of(NFS, read(api))),
        )
        api.call("createDiskOffering", name="extra", displaytext="x", disksize=1)
        live = read(api)
        plan = dataclasses.replace(plan_of(NFS, live), live_fingerprint=live.stable_fingerprint())
        host = live.items("host")[0]
        sim.tamper("host", host["id"], lastpinged="2026-11-23T20:00:00+0000", cpuused="42%")
        assert read(api).fingerprint() != live.fingerprint()
        apply(plan, api, tmp_path / "j1.jsonl", secrets_for(plan))  # not stale
        pool = read(api).items("storagepool")[0]
        sim.tamper("storagepool", pool["id"], tags="DRIFT")
        with pytest.raises(PlanError, match="plan is stale"):
            apply(plan, api, tmp_path / "j2.jsonl", secrets_for(plan))
