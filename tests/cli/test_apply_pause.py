"""Manual host scripts are a planned pause: every waiting script listed at once, a
distinct exit code, ``--continue`` after the operator ran them, the journal recording it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from test_apply import CEPH, duplicates, env_for, journals, secrets_of, specc

from specc.sim import running

PAUSED = 3  # documented in docs/apply.md and README.md


def _scripts(plan: Path) -> list[str]:
    return [s["id"] for s in json.loads(plan.read_text())["steps"] if s["type"] == "host_script"]


def test_ceph_saved_plan_pauses_once_for_every_script_then_continues(tmp_path: Path) -> None:
    secrets = secrets_of(CEPH)
    with running() as sim:
        env = env_for(tmp_path, sim, **secrets)
        plan = tmp_path / "plan.json"
        assert specc("plan", CEPH, "-o", plan, env=env, cwd=tmp_path).returncode == 0
        scripts = _scripts(plan)
        assert len(scripts) == 7  # 3 hosts x (storage NIC, Ceph client) + the Ceph admin

        first = specc("apply", plan, env=env, cwd=tmp_path)
        assert first.returncode == PAUSED, first.stdout + first.stderr
        assert first.stderr == ""  # a pause is not an error
        out = first.stdout
        assert "Apply paused: 7 host scripts wait for an operator" in out
        listed = re.findall(r"^\s+\d+\. (\S+) on ", out, re.M)
        assert sorted(listed) == sorted(scripts), "every waiting script, in one run"
        assert "ssh root@10.20.0.11 bash -s < .specc/scripts/script_storage-network_kvm-c1.sh" in (
            out
        )
        assert f"specc apply {plan} --continue" in out
        assert "FAILED" not in out
        assert "ok create:cluster:zone-ceph/pod1/kvm-ceph" in out  # it ran all it could
        assert "create:host:" not in out.split("Apply paused")[0]  # hosts wait for scripts
        for sid in scripts:
            name = sid.replace(":", "_") + ".sh"
            assert (tmp_path / ".specc" / "scripts" / name).is_file()
        log = journals(tmp_path)
        assert sorted(re.findall(r'"event":"paused","step":"([^"]+)"', log)) == sorted(scripts)
        assert '"event":"finished"' not in log

        again = specc("apply", plan, env=env, cwd=tmp_path)  # no confirmation: pauses again
        assert again.returncode == PAUSED
        assert "waited for an operator last time" in again.stdout

        done = specc("apply", plan, "--continue", env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.count("ok (run by the operator)") == 7
        assert "Apply complete" in done.stdout
        log = journals(tmp_path)
        assert log.count('"confirmed":"--continue"') == 7
        assert log.rstrip().endswith('{"event":"finished"}')
        assert duplicates(sim) == []
        replan = specc("plan", CEPH, "--detailed-exitcode", env=env, cwd=tmp_path)
        assert replan.returncode == 0, replan.stdout


def test_ceph_spec_pauses_and_continues_through_a_new_plan(tmp_path: Path) -> None:
    """``apply SPEC``: the rerun plans again; --continue confirms the scripts handed out."""
    env = env_for(tmp_path, **secrets_of(CEPH))
    sim = ("--sim", "--sim-state", tmp_path / "sim.db")
    first = specc("apply", CEPH, *sim, "--auto-approve", env=env, cwd=tmp_path)
    assert first.returncode == PAUSED, first.stdout + first.stderr
    assert "Apply paused: 7 host scripts wait for an operator" in first.stdout
    assert "--auto-approve --continue" in first.stdout
    done = specc("apply", CEPH, *sim, "--auto-approve", "--continue", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok (run by the operator)" in done.stdout
    replan = specc("plan", CEPH, *sim, "--detailed-exitcode", env=env, cwd=tmp_path)
    assert replan.returncode == 0, replan.stdout


def test_a_script_changed_since_the_pause_is_not_confirmed_by_continue(tmp_path: Path) -> None:
    """--continue confirms what the operator was handed: an edited script file pauses again."""
    env = env_for(tmp_path, **secrets_of(CEPH))
    sim = ("--sim", "--sim-state", tmp_path / "sim.db")
    plan = tmp_path / "plan.json"
    assert specc("plan", CEPH, *sim, "-o", plan, env=env, cwd=tmp_path).returncode == 0
    assert specc("apply", plan, *sim, env=env, cwd=tmp_path).returncode == PAUSED
    edited = tmp_path / ".specc" / "scripts" / "script_ceph-admin_ceph1.sh"
    edited.write_text(edited.read_text() + "echo changed\n")
    run = specc("apply", plan, *sim, "--continue", env=env, cwd=tmp_path)
    assert run.returncode == PAUSED, run.stdout + run.stderr
    assert "Apply paused: 1 host script waits for an operator" in run.stdout
    assert "1. script:ceph-admin:ceph1 on " in run.stdout
