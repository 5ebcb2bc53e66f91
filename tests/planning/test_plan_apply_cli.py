"""The whole product path through the CLI: ``plan -o``, ``apply``, ``plan`` -> exit 0.

Against a simulator kept in a state file. Three examples cover the plan-file forms
(plain URLs, a Ceph URL with a url-encoded secret inside a concat, a VMware cluster
with SolidFire key=value URLs); the library round trip covers every example.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from plan_helpers import EXAMPLES

CLI_EXAMPLES = [
    p for p in EXAMPLES if p.stem in ("nfs-baseline", "ceph-rbd-kvm", "solidfire-vmware")
]


def _specc(*args: str | Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("specc")
    assert exe
    return subprocess.run(
        [exe, *map(str, args)], capture_output=True, text=True, timeout=300, check=False, env=env
    )


@pytest.mark.parametrize("example", CLI_EXAMPLES, ids=[p.stem for p in CLI_EXAMPLES])
def test_plan_apply_plan_converges_through_the_cli(example: Path, tmp_path: Path) -> None:
    state, plan_file = tmp_path / "sim.db", tmp_path / "plan.json"
    sim = ("--sim", "--sim-state", state)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    first = _specc("plan", example, *sim, "-o", plan_file, "--detailed-exitcode", env=env)
    assert first.returncode == 2, first.stderr
    secrets = {
        s["secret"]["name"]
        for step in json.loads(plan_file.read_text())["steps"]
        for s in [*step.get("params", {}).values(), *step.get("secrets", [])]
        if isinstance(s, dict) and "secret" in s
    }
    for step in json.loads(plan_file.read_text())["steps"]:
        for value in step.get("params", {}).values():
            if isinstance(value, dict) and "concat" in value:
                secrets |= {p["secret"]["name"] for p in value["concat"] if "secret" in p}
    env.update({name: "AQBb+x/yZ9kQ==" for name in secrets})
    applied = _specc("apply", plan_file, *sim, "--hosts", "skip", env=env)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    again = _specc("plan", example, *sim, "--detailed-exitcode", env=env)
    assert again.returncode == 0, again.stdout
    assert "Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy." in again.stdout
