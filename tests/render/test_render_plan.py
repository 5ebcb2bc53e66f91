"""The plan renderers: text, markdown and CloudMonkey commands."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from specc.cloud.state import LiveState
from specc.core.steps import ApiCall, Plan
from specc.hosts.collect import host_scripts
from specc.planning.compiler import compile_plan
from specc.render.cmk import cmk_command, render_cmk
from specc.render.markdown import render_markdown
from specc.render.text import render_text
from specc.spec import require

REPO = Path(__file__).resolve().parents[2]


def _plan(name: str) -> Plan:
    validated = require([REPO / "examples" / name])
    assert validated.spec is not None
    return compile_plan(
        validated.spec,
        LiveState("4.18.0.0", {}),
        spec_hash=validated.spec_hash,
        host_scripts=host_scripts(validated.spec),
    )


def test_cmk_commands_use_step_variables_and_secret_references() -> None:
    plan = _plan("production.yaml")
    steps = {s.id: s for s in plan.steps}
    rbd = steps["create:storagepool:zone-a/a-rbd"]
    assert isinstance(rbd, ApiCall)
    line = cmk_command(rbd)
    assert line.startswith("create storagepool ")
    assert 'zoneid="$CREATE_ZONE_ZONE_A"' in line
    assert '$(printf %s "$CEPH_A_CLOUDSTACK_KEY" | jq -sRr @uri)' in line
    sf = cmk_command(steps["create:storagepool:zone-a/a-sf-zone"])
    assert "clusterAdminPassword=$(cat /etc/specc/secrets/solidfire-a)" in sf
    script = render_cmk(plan)
    assert "CREATE_ZONE_ZONE_A=$(cmk -o json create zone " in script


def test_cmk_script_is_valid_bash(tmp_path: Path) -> None:
    path = tmp_path / "plan.sh"
    path.write_text(render_cmk(_plan("production.yaml")))
    run = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


def test_cmk_script_passes_shellcheck(tmp_path: Path) -> None:
    assert shutil.which("shellcheck"), "shellcheck is not installed (.ci/run installs it)"
    path = tmp_path / "plan.sh"
    path.write_text(render_cmk(_plan("ceph-rbd-kvm.yaml")))
    run = subprocess.run(
        ["shellcheck", "-S", "warning", str(path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout


def test_text_and_markdown_show_changes_and_counts() -> None:
    plan = _plan("nfs-baseline.yaml")
    text = render_text(plan)
    assert "  + create zone:zone1" in text
    assert text.rstrip().endswith("Plan: 21 to add, 2 to change, 0 to replace, 0 to destroy.")
    md = render_markdown(plan)
    assert md.startswith("### specc plan")
    assert "| `+` | create | `zone:zone1` |" in md
    assert "<details><summary>" in md


def test_no_changes_says_so() -> None:
    plan = Plan("sha256:x", "sha256:y", "4.18.0.0", (), ())
    assert "No changes. The live cloud matches the spec." in render_text(plan)
    assert "No changes" in render_markdown(plan)


def test_renderers_are_pure_and_stable() -> None:
    plan = _plan("solidfire-vmware.yaml")
    assert render_cmk(plan) == render_cmk(plan)
    assert render_markdown(plan) == render_markdown(plan)
