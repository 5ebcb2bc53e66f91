"""Preflight through the CLI: every missing secret, file, credential and endpoint at once,
before the first API call; ``specc plan`` warns about the same secrets."""

from __future__ import annotations

import socket
from pathlib import Path

from test_apply import CEPH, NFS, env_for, journals, secrets_of, specc

from specc.sim import running


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_issue_case_names_the_missing_secret_and_runs_nothing(tmp_path: Path) -> None:
    """``unset KVM_ROOT_PASSWORD; specc apply examples/nfs-baseline.yaml --sim --auto-approve``."""
    env = {k: v for k, v in env_for(tmp_path).items() if k != "KVM_ROOT_PASSWORD"}
    run = specc("apply", NFS, "--sim", "--auto-approve", env=env, cwd=tmp_path)
    err = _flat(run.stderr)
    assert run.returncode == 1
    assert "preflight found 1 problem; nothing was sent to" in err
    assert "secret {env: KVM_ROOT_PASSWORD} is not set" in err
    assert "(needed by create:host:zone1/pod1/kvm1/kvm1-h1 and 2 more steps)" in err
    assert "ok " not in run.stdout and "create zone" not in run.stdout  # nothing planned or run
    assert "Traceback" not in run.stderr


def test_every_missing_secret_is_named_and_no_api_call_is_made(tmp_path: Path) -> None:
    """Two secrets missing (Ceph key, host password): both named, the simulator sees nothing."""
    with running() as sim:
        env = env_for(tmp_path, sim)  # no secret at all
        plan = tmp_path / "plan.json"
        made = specc("plan", CEPH, "-o", plan, env=env, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        before = sim.call_count
        for target in (CEPH, plan):
            run = specc("apply", target, "--auto-approve", env=env, cwd=tmp_path)
            err = _flat(run.stderr)
            assert run.returncode == 1, run.stdout
            assert "preflight found 2 problems" in err
            assert "secret {env: CEPH_CLOUDSTACK_KEY} is not set" in err
            assert "secret {env: KVM_ROOT_PASSWORD} is not set" in err
        assert sim.call_count == before, "preflight sends no API request"
    assert journals(tmp_path) == ""


def test_secrets_files_credentials_and_endpoint_are_reported_together(tmp_path: Path) -> None:
    spec = tmp_path / "nfs.yaml"
    spec.write_text(NFS.read_text().replace("{env: KVM_ROOT_PASSWORD}", "{file: missing-pw}", 1))
    args = ("apply", spec, "--auto-approve", "--hosts", "ssh", "--ssh-key", tmp_path / "no-key")
    nothing = specc(*args, env=env_for(tmp_path), cwd=tmp_path)  # no cloud configured at all
    err = _flat(nothing.stderr)
    assert nothing.returncode == 1
    assert "preflight found 4 problems; nothing was sent to any cloud" in err
    assert "secret {env: KVM_ROOT_PASSWORD} is not set" in err  # the other two hosts
    assert "secret {file: missing-pw} cannot be read" in err
    assert f"--ssh-key {tmp_path / 'no-key'} cannot be read" in err
    assert "no cloud to connect to" in err
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}/client/api"
    creds = {"CLOUDSTACK_ENDPOINT": endpoint, "CLOUDSTACK_KEY": "k", "CLOUDSTACK_SECRET": "s"}
    down = specc(*args, env=env_for(tmp_path, **creds), cwd=tmp_path)
    err = _flat(down.stderr)
    assert down.returncode == 1
    assert f"preflight found 4 problems; nothing was sent to {endpoint}" in err
    assert f"cannot reach {endpoint}: connection refused" in err
    assert "Traceback" not in down.stderr


def test_plan_warns_about_the_secrets_apply_would_refuse(tmp_path: Path) -> None:
    env = {k: v for k, v in env_for(tmp_path).items() if k != "KVM_ROOT_PASSWORD"}
    run = specc("plan", NFS, "--sim", "--detailed-exitcode", env=env, cwd=tmp_path)
    assert run.returncode == 2, run.stderr  # the documented exit code: changes
    err = _flat(run.stderr)
    assert "warning: secret {env: KVM_ROOT_PASSWORD} is not set" in err
    assert "'specc apply' refuses this plan on this machine until it is fixed" in err
    assert "+ create zone:zone1" in run.stdout
    quiet = specc("plan", NFS, "--sim", env={**env, **secrets_of(NFS)}, cwd=tmp_path)
    assert quiet.returncode == 0 and "warning" not in quiet.stderr
