"""``specc apply`` and ``specc drift`` end to end: the console script on a simulator.

Secrets get distinctive values; no output, log or journal may contain one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from specc.cloud.client import CloudClient, Credentials
from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import LiveIndex
from specc.cloud.live import read_live
from specc.sim import Simulator, running

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
NFS = REPO / "examples" / "nfs-baseline.yaml"
CEPH = REPO / "examples" / "ceph-rbd-kvm.yaml"


def secrets_of(*specs: Path) -> dict[str, str]:
    """A distinctive value for every ``{env: NAME}`` the specs name."""
    names = {n for s in specs for n in re.findall(r"env:\s*([A-Z_0-9]+)", s.read_text())}
    return {n: f"S3cr3t+{n.lower()}/x==" for n in sorted(names)}


def env_for(home: Path, sim: Simulator | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env.update({"HOME": str(home), "SPECC_LOCK_DIR": str(home / "locks"), "COLUMNS": "400"})
    if sim is not None:
        env.update(sim.env())
    env.update(extra)
    return env


def specc(*args: str | Path, env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("specc")
    assert exe, "the specc console script is installed with the package"
    return subprocess.run(
        [exe, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=dict(env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def popen(*args: str | Path, env: Mapping[str, str], cwd: Path) -> subprocess.Popen[str]:
    exe = shutil.which("specc")
    assert exe
    return subprocess.Popen(
        [exe, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=dict(env),
        cwd=cwd,
    )


def no_secret_in(texts: list[str], secrets: Mapping[str, str]) -> None:
    for value in secrets.values():
        for text in texts:
            assert value not in text


def duplicates(sim: Simulator) -> list[str]:
    api = CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key))
    live = read_live(api)
    index = LiveIndex(live.resources)
    out = []
    for name, kind in KINDS.items():
        seen: dict[tuple[str, ...], int] = {}
        for item in live.items(name):
            key = kind.key(item, index)
            if key is not None:
                seen[key] = seen.get(key, 0) + 1
        out += [f"{name}:{k}" for k, n in seen.items() if n > 1]
    return out


def journals(folder: Path) -> str:
    return "".join(p.read_text() for p in sorted(folder.rglob("*.jsonl")))


def known_settings_only(example: Path, dest: Path) -> Path:
    """A copy of *example*: settings the simulator knows, file secrets made here."""
    with running() as sim:
        api = CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key))
        known = {c["name"] for c in api.list("listConfigurations", "configuration")}
    lines, in_settings = [], False
    for line in example.read_text().splitlines():
        if re.match(r"^settings:\s*$", line):
            in_settings = True
        elif in_settings and not line.startswith((" ", "#")) and line.strip():
            in_settings = False
        match = re.match(r"^\s+([a-z0-9_.]+):", line) if in_settings else None
        if match and match.group(1) not in known:
            continue
        lines.append(line)
    text = "\n".join(lines) + "\n"
    # file secrets live under /etc on a real machine: here, under the test's folder
    for path in sorted(set(re.findall(r"file:\s*(/[^\s},]+)", text))):
        local = dest / "secrets" / Path(path).name
        local.parent.mkdir(exist_ok=True)
        local.write_text(f"F1le+s3cret/{local.name}==\n")
        text = text.replace(path, str(local))
    out = dest / example.name
    out.write_text(text)
    return out


def test_apply_names_the_settings_that_wait_for_a_restart(tmp_path: Path) -> None:
    """A non-dynamic setting (network.gc.wait, isdynamic false) counts after a restart."""
    spec = tmp_path / "settings.yaml"
    spec.write_text("settings:\n  network.gc.wait: 300\n  ping.timeout: 3\n")
    env = env_for(tmp_path)
    run = specc("apply", spec, "--sim", "--auto-approve", env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    after = run.stdout.split("Apply complete")[1]
    assert "Restart the management servers" in after
    assert "configuration:network.gc.wait: isdynamic false" in after
    assert "ping.timeout" not in after  # dynamic


@pytest.mark.parametrize("name", [p.name for p in EXAMPLES])
def test_apply_then_drift_is_in_sync_on_every_example(tmp_path: Path, name: str) -> None:
    spec = known_settings_only(REPO / "examples" / name, tmp_path)
    secrets = secrets_of(spec)
    env = env_for(tmp_path, **secrets)
    state = tmp_path / "sim.db"
    sim_args = ("--sim", "--sim-state", state)
    run = specc(
        "apply", spec, *sim_args, "--hosts", "skip", "--auto-approve", env=env, cwd=tmp_path
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Apply complete" in run.stdout
    drift = specc("drift", spec, *sim_args, env=env, cwd=tmp_path)
    assert drift.returncode == 0, drift.stdout + drift.stderr
    assert drift.stdout.startswith("In sync")
    for f in (tmp_path / "secrets").glob("*"):
        secrets[f.name] = f.read_text().strip()
    no_secret_in([run.stdout, run.stderr, drift.stdout, journals(tmp_path)], secrets)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "Ctrl-C"])
def test_kill_in_the_middle_then_rerun_converges(tmp_path: Path, sig: signal.Signals) -> None:
    secrets = secrets_of(CEPH)
    with running(latency_ms=60) as sim:
        env = env_for(tmp_path, sim, **secrets)
        plan = tmp_path / "plan.json"
        made = specc("plan", CEPH, "-o", plan, env=env, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        first = popen("apply", plan, "--hosts", "skip", env=env, cwd=tmp_path)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if journals(tmp_path).count('"event":"done"') >= 8:
                break
            time.sleep(0.02)
        first.send_signal(sig)
        out1, err1 = first.communicate()
        if sig == signal.SIGKILL:
            assert first.returncode == -signal.SIGKILL
        else:
            assert first.returncode == 130 and "apply interrupted" in err1
            assert "Traceback" not in err1
        done_before = journals(tmp_path).count('"event":"done"')
        steps = len(json.loads(plan.read_text())["steps"])
        assert 8 <= done_before < steps, "killed in the middle"
        again = specc("apply", plan, "--hosts", "skip", env=env, cwd=tmp_path)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "resuming from" in again.stdout
        assert duplicates(sim) == []
        drift = specc("drift", CEPH, env=env, cwd=tmp_path)
        assert drift.returncode == 0, drift.stdout
        replan = specc("plan", CEPH, "--detailed-exitcode", env=env, cwd=tmp_path)
        assert replan.returncode == 0, replan.stdout
        texts = [out1, err1, again.stdout, again.stderr, drift.stdout, journals(tmp_path)]
        no_secret_in(texts, secrets)


def test_concurrent_apply_is_refused_by_the_lock(tmp_path: Path) -> None:
    with running() as sim:
        env = env_for(tmp_path, sim, **secrets_of(NFS))
        plan = tmp_path / "plan.json"
        assert specc("plan", NFS, "-o", plan, env=env, cwd=tmp_path).returncode == 0
        sim.set_faults(latency_ms=300)  # the first apply outlasts the second's start-up
        first = popen("apply", plan, "--hosts", "skip", env=env, cwd=tmp_path)
        deadline = time.monotonic() + 30
        while not list((tmp_path / "locks").glob("*.lock")) and time.monotonic() < deadline:
            time.sleep(0.02)
        second = specc("apply", plan, "--hosts", "skip", env=env, cwd=tmp_path)
        sim.set_faults(latency_ms=0)
        out, err = first.communicate(timeout=120)
        assert first.returncode == 0, out + err
    assert second.returncode == 1
    assert "another apply holds the lock on " + sim.endpoint in second.stderr
    assert f"pid {first.pid}" in second.stderr
    assert "Traceback" not in second.stderr


def test_stale_plan_is_refused(tmp_path: Path) -> None:
    with running() as sim:
        env = env_for(tmp_path, sim, **secrets_of(NFS))
        plan = tmp_path / "plan.json"
        assert specc("plan", NFS, "-o", plan, env=env, cwd=tmp_path).returncode == 0
        api = CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key))
        api.call("createDiskOffering", name="behind-your-back", displaytext="x", disksize=1)
        run = specc("apply", plan, "--hosts", "skip", env=env, cwd=tmp_path)
        assert run.returncode == 1
        assert "plan is stale, run plan again" in run.stderr
        assert read_live(api).items("zone") == ()
    assert journals(tmp_path) == ""


def test_apply_spec_asks_and_refuses_without_a_terminal(tmp_path: Path) -> None:
    with running() as sim:
        env = env_for(tmp_path, sim, **secrets_of(NFS))
        run = specc("apply", NFS, "--hosts", "skip", env=env, cwd=tmp_path)
        assert run.returncode == 1
        assert "+ create zone:zone1" in run.stdout  # the plan is shown first
        assert "not applying without confirmation" in run.stderr
        assert "--auto-approve" in run.stderr
        api = CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key))
        assert read_live(api).items("zone") == ()
        done = specc("apply", NFS, "--hosts", "skip", "--auto-approve", env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        noop = specc("apply", NFS, "--auto-approve", env=env, cwd=tmp_path)
        assert noop.returncode == 0 and "No changes" in noop.stdout


def test_manual_host_scripts_wait_for_hosts_done(tmp_path: Path) -> None:
    secrets = secrets_of(CEPH)
    with running() as sim:
        env = env_for(tmp_path, sim, **secrets)
        plan = tmp_path / "plan.json"
        assert specc("plan", CEPH, "-o", plan, env=env, cwd=tmp_path).returncode == 0
        scripts = [s["id"] for s in json.loads(plan.read_text())["steps"] if "script" in s]
        assert scripts
        run = specc("apply", plan, env=env, cwd=tmp_path)
        assert run.returncode == 3  # paused, not failed (tests/cli/test_apply_pause.py)
        assert "wait for an operator" in run.stdout and "--hosts-done" in run.stdout
        written = list((tmp_path / ".specc" / "scripts").glob("*.sh"))
        assert written
        done_args = [a for s in scripts for a in ("--hosts-done", s)]
        again = specc("apply", plan, *done_args, env=env, cwd=tmp_path)
        assert again.returncode == 0, again.stdout + again.stderr
        no_secret_in([p.read_text() for p in written] + [run.stderr, again.stdout], secrets)


def test_drift_formats_and_exit_codes(tmp_path: Path) -> None:
    with running() as sim:
        env = env_for(tmp_path, sim, **secrets_of(NFS))
        done = specc("apply", NFS, "--hosts", "skip", "--auto-approve", env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        api = CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key))
        pool = next(p for p in read_live(api).items("storagepool") if p["name"] == "nfs-primary-1")
        sim.tamper("storagepool", pool["id"], tags="NFS,DRIFT")
        # an object made behind specc's back is unmanaged (CloudStack's own are built-in)
        api.call("createDiskOffering", name="by-hand", displaytext="by hand", disksize=7)
        text = specc("drift", NFS, env=env, cwd=tmp_path)
        assert text.returncode == 2
        assert "update storagepool:zone1/nfs-primary-1" in text.stdout
        assert "Unmanaged (not in the spec, left alone): 1" in text.stdout
        js = specc("drift", NFS, "--format", "json", env=env, cwd=tmp_path)
        data = json.loads(js.stdout)
        assert js.returncode == 2 and data["in_sync"] is False
        assert [d["resource"] for d in data["drift"]] == ["storagepool:zone1/nfs-primary-1"]
        assert [u.split(" (")[0] for u in data["unmanaged"]] == ["diskoffering:by-hand"]
        assert any(b.startswith("diskoffering:Small (") for b in data["builtin"])
        prom_file = tmp_path / "specc.prom"
        prom = specc("drift", NFS, "--format", "prometheus", "-o", prom_file, env=env, cwd=tmp_path)
        assert prom.returncode == 2
        metrics = prom_file.read_text()
        assert 'specc_drift_resources{kind="storagepool"} 1' in metrics
        assert 'specc_drift_resources{kind="zone"} 0' in metrics
        assert "specc_drift_in_sync 0" in metrics
        stamp = re.search(r"^specc_drift_last_run_timestamp_seconds (\d+)$", metrics, re.M)
        assert stamp and abs(int(stamp.group(1)) - time.time()) < 60
    gone = specc("drift", NFS, env=env, cwd=tmp_path)  # the simulator is gone
    assert gone.returncode == 1 and "cannot reach" in gone.stderr


def test_drift_api_error_mid_refresh_is_exit_1_and_writes_nothing(tmp_path: Path) -> None:
    with running(fail=("listClusters",)) as sim:
        env = env_for(tmp_path, sim, **secrets_of(NFS))
        out = tmp_path / "specc.prom"
        run = specc("drift", NFS, "--format", "prometheus", "-o", out, env=env, cwd=tmp_path)
    assert run.returncode == 1
    assert "listClusters failed:" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


def test_ephemeral_simulator_leaves_no_journal_for_the_next_run(tmp_path: Path) -> None:
    """A failed --sim run (missing secret), then the same command with it set, succeeds."""
    secrets = secrets_of(NFS)
    env = {k: v for k, v in env_for(tmp_path).items() if k not in secrets}
    first = specc("apply", NFS, "--sim", "--auto-approve", env=env, cwd=tmp_path)
    assert first.returncode == 1, first.stdout + first.stderr
    assert not list(tmp_path.rglob("*.jsonl")), "an ephemeral simulator keeps no journal"
    second = specc("apply", NFS, "--sim", "--auto-approve", env={**env, **secrets}, cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Apply complete" in second.stdout
    assert "temporary journal" in second.stdout
    assert not list(tmp_path.rglob("*.jsonl"))


def test_finished_journal_is_not_trusted_for_a_cloud_without_its_ids(tmp_path: Path) -> None:
    """Same spec, same fresh starting state, same folder, same journal (--journal): the old
    journal skips nothing (tests/cli/test_apply_identity.py: the default journal is per cloud).
    """
    env = {**os.environ, "KVM_ROOT_PASSWORD": "demo"}
    spec = str(REPO / "examples" / "nfs-baseline.yaml")
    argv = [sys.executable, "-m", "specc.cli", "apply", spec, "--sim", "--sim-state", "a.db"]
    argv += ["--auto-approve", "--journal", "j.jsonl"]
    run = {"cwd": tmp_path, "env": env, "capture_output": True, "text": True, "timeout": 300}
    first = subprocess.run(argv, **run)  # type: ignore[call-overload]
    assert first.returncode == 0, first.stdout + first.stderr
    (tmp_path / "a.db").unlink()  # the cloud is reset to its identical starting state
    second = subprocess.run(argv, **run)  # type: ignore[call-overload]
    out = second.stdout + second.stderr
    assert second.returncode == 1, out
    assert "belongs to another cloud (cloud:" in " ".join(out.split())
    assert "Traceback" not in out
