"""``--prune`` against the simulator (which refuses deletes the way CloudStack does).

The nfs-baseline example is applied through the CLI; a spec without one host and
without one of its two pools is then planned and applied with ``--prune``. A pool is
deleted only from Maintenance and a host (unforced) only from Maintenance, so each
delete must come after its maintenance step, children before parents.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from cs import CloudStack
from plan_helpers import EXAMPLES

import specc.sim

BASELINE = next(p for p in EXAMPLES if p.stem == "nfs-baseline")

# CloudStack names a host after its address: the live key ends with it.
HOST = "host:zone1/pod1/kvm1/10.10.0.13"
POOL = "storagepool:zone1/nfs-primary-2"


def _specc(*args: str | Path, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI, run in *cwd* (an apply keeps its journal under the working directory)."""
    exe = shutil.which("specc")
    assert exe
    return subprocess.run(
        [exe, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
        cwd=cwd,
    )


def _specs(tmp_path: Path) -> tuple[Path, Path]:
    """nfs-baseline with a second pool (on its own export), and without it and kvm1-h3."""
    text = BASELINE.read_text()
    lines = text.splitlines()
    start = lines.index("              - name: kvm1-h3")
    end = lines.index("    primary_storage:")
    pruned = tmp_path / "pruned.yaml"
    pruned.write_text("\n".join(lines[:start] + lines[end:]) + "\n")
    backend = "  - name: nfs-secondary\n"
    extra_backend = (
        "  - name: nfs-extra\n    type: nfs\n    server: 10.10.0.22\n    export: /export/extra\n"
    )
    pool = "    secondary_storage:\n"
    extra_pool = (
        "      - name: nfs-primary-2\n        backend: nfs-extra\n        scope: cluster\n"
        "        pod: pod1\n        cluster: kvm1\n"
    )
    assert backend in text and pool in text
    full = tmp_path / "full.yaml"
    full.write_text(text.replace(backend, extra_backend + backend).replace(pool, extra_pool + pool))
    return full, pruned


def test_prune_deletes_a_pool_and_a_host_after_maintenance(tmp_path: Path) -> None:
    state, plan_file = tmp_path / "sim.db", tmp_path / "prune.json"
    sim = ("--sim", "--sim-state", state)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env["KVM_ROOT_PASSWORD"] = "secret-pw"
    full, pruned = _specs(tmp_path)
    first = _specc("apply", full, *sim, "--auto-approve", "--hosts", "skip", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr

    planned = _specc("plan", pruned, *sim, "--prune", "-o", plan_file, env=env, cwd=tmp_path)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    steps = json.loads(plan_file.read_text())["steps"]
    index = {s["id"]: i for i, s in enumerate(steps)}
    commands = {s["id"]: s.get("command") for s in steps}
    assert commands[f"maintenance:{POOL}"] == "enableStorageMaintenance"
    assert commands[f"maintenance:{HOST}"] == "prepareHostForMaintenance"
    assert index[f"maintenance:{POOL}"] < index[f"delete:{POOL}"]
    assert index[f"maintenance:{HOST}"] < index[f"delete:{HOST}"]
    assert f"maintenance:{POOL}" in steps[index[f"delete:{POOL}"]]["depends_on"]
    assert "forced" not in steps[index[f"delete:{HOST}"]]["params"]

    applied = _specc("apply", plan_file, *sim, "--hosts", "skip", env=env, cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr

    with specc.sim.running(state=state) as server:
        api = CloudStack(endpoint=server.endpoint, key=server.api_key, secret=server.secret_key)
        hosts = {h["ipaddress"] for h in api.listHosts(type="Routing").get("host", [])}
        pools = {p["name"] for p in api.listStoragePools().get("storagepool", [])}
    assert "10.10.0.13" not in hosts and {"10.10.0.11", "10.10.0.12"} <= hosts
    assert "nfs-primary-2" not in pools and "nfs-primary-1" in pools

    again = _specc("plan", pruned, *sim, "--prune", "--detailed-exitcode", env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 to destroy" in again.stdout
