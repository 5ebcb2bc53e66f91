"""``specc plan`` against a live endpoint: the simulator, an unreachable one, a failing one."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from plan_helpers import REPO

from specc.sim import running

SPEC = REPO / "examples" / "nfs-baseline.yaml"


def _specc(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("specc")
    assert exe
    full = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    full.update(env or {})
    return subprocess.run(
        [exe, *map(str, args)], capture_output=True, text=True, timeout=120, check=False, env=full
    )


def test_plan_against_an_embedded_simulator_shows_changes_and_writes_the_plan(
    tmp_path: Path,
) -> None:
    out = tmp_path / "plan.json"
    run = _specc("plan", SPEC, "--sim", "-o", out, "--detailed-exitcode")
    assert run.returncode == 2, run.stderr
    assert "+ create zone:zone1" in run.stdout
    assert out.exists()


def test_unreachable_endpoint_is_a_clear_error_without_a_plan_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    env = {
        "CLOUDSTACK_ENDPOINT": "http://127.0.0.1:9/client/api",
        "CLOUDSTACK_KEY": "k",
        "CLOUDSTACK_SECRET": "s",
    }
    run = _specc("plan", SPEC, "-o", out, "--detailed-exitcode", env=env)
    assert run.returncode == 1
    assert "error:" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


def test_api_error_in_the_middle_of_the_refresh_writes_no_plan(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    with running(fail=["listStoragePools"]) as sim:
        run = _specc("plan", SPEC, "-o", out, "--detailed-exitcode", env=sim.env())
    assert run.returncode == 1
    assert "listStoragePools" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


def test_no_changes_exits_0_with_detailed_exitcode(tmp_path: Path) -> None:
    from mini_cloud import client, execute, read
    from plan_helpers import load_spec

    from specc.cloud.snapshot import dump_snapshot
    from specc.planning.compiler import compile_plan

    spec, spec_hash = load_spec(SPEC)
    with running() as sim:
        api = client(sim)
        execute(
            compile_plan(spec, read(api), spec_hash=spec_hash), api, {"KVM_ROOT_PASSWORD": "pw"}
        )
        snap = tmp_path / "live.json"
        snap.write_text(dump_snapshot(read(api)))
    run = _specc("plan", SPEC, "--state", snap, "--detailed-exitcode")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No changes. The live cloud matches the spec." in run.stdout
    assert "Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy." in run.stdout


def test_saved_plan_records_the_stable_fingerprint(tmp_path: Path) -> None:
    """Heartbeats and usage change on a real cloud; the plan must not record them."""
    import json

    out = tmp_path / "plan.json"
    run = _specc("plan", SPEC, "--sim", "-o", out)
    assert run.returncode in (0, 2), run.stderr
    recorded = json.loads(out.read_text(encoding="utf-8"))["live_fingerprint"]
    assert recorded.startswith("stable-sha256:"), recorded
