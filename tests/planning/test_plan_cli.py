"""``specc plan`` end to end: the real console script against snapshot files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from plan_helpers import HERE, REPO

SNAPSHOT = HERE / "snapshots" / "nfs-baseline-partial.json"
SPEC = REPO / "examples" / "nfs-baseline.yaml"


def _specc(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("specc")
    assert exe, "the specc console script is installed with the package"
    return subprocess.run(
        [exe, *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )


def test_plan_against_a_snapshot_writes_the_plan_and_exits_2_with_changes(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    run = _specc("plan", SPEC, "--state", SNAPSHOT, "-o", out, "--detailed-exitcode")
    assert run.returncode == 2, run.stderr
    assert "~ update storagepool:zone1/nfs-primary-1" in run.stdout
    assert "Plan: 7 to add, 5 to change, 1 to replace, 0 to destroy." in run.stdout
    assert json.loads(out.read_text())["format"] == "specc-plan"
    again = _specc("plan", SPEC, "--state", SNAPSHOT)
    assert again.returncode == 0 and again.stdout == run.stdout


def test_formats(tmp_path: Path) -> None:
    md = _specc("plan", SPEC, "--state", SNAPSHOT, "--format", "markdown")
    assert md.returncode == 0 and md.stdout.startswith("### specc plan")
    cmk = _specc("plan", SPEC, "--state", SNAPSHOT, "--format", "cmk")
    assert "cmk -o json update storagepool id=sp-1 tags=NFS" in cmk.stdout
    js = _specc("plan", SPEC, "--state", SNAPSHOT, "--format", "json")
    assert json.loads(js.stdout)["spec_hash"].startswith("sha256:")


def test_bad_snapshots_give_a_clear_error_and_no_plan_file(tmp_path: Path) -> None:
    text = SNAPSHOT.read_text()
    cases = {
        "truncated.json": text[: len(text) // 2],
        "other-version.json": text.replace('"version": 1', '"version": 9'),
    }
    for name, body in cases.items():
        bad = tmp_path / name
        bad.write_text(body)
        out = tmp_path / f"{name}.plan.json"
        run = _specc("plan", SPEC, "--state", bad, "-o", out, "--detailed-exitcode")
        assert run.returncode == 1, (name, run.stdout, run.stderr)
        assert "error:" in run.stderr and "Traceback" not in run.stderr
        assert not out.exists()


def test_duplicate_live_keys_fail_without_a_plan_file(tmp_path: Path) -> None:
    data = json.loads(SNAPSHOT.read_text())
    twin = dict(data["resources"]["storagepool"][0], id="sp-twin")
    data["resources"]["storagepool"].append(twin)
    snap = tmp_path / "dup.json"
    snap.write_text(json.dumps(data))
    out = tmp_path / "plan.json"
    run = _specc("plan", SPEC, "--state", snap, "-o", out)
    assert run.returncode == 1
    assert "sp-1" in run.stderr and "sp-twin" in run.stderr
    assert not out.exists()


def _spec_location(name: str, after: str) -> str:
    """``file:line:col`` of the list item ``- name: <name>`` that follows line *after*."""
    lines = SPEC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == after)
    for number, line in enumerate(lines[start:], start + 1):
        if line.strip() == f"- name: {name}":
            return f"{SPEC}:{number}:{line.index('name') + 1}"
    raise AssertionError(f"{name} not found after {after}")


def test_an_unknown_os_type_names_the_template_in_the_spec(tmp_path: Path) -> None:
    data = json.loads(SNAPSHOT.read_text())
    data["resources"]["ostype"] = [{"id": "os-1", "description": "Some Other OS"}]
    data["resources"]["template"] = []
    snap = tmp_path / "no-rocky.json"
    snap.write_text(json.dumps(data))
    out = tmp_path / "plan.json"
    run = _specc("plan", SPEC, "--state", snap, "-o", out)
    assert run.returncode == 1, run.stdout
    where = _spec_location("rocky9-kvm", "templates:")
    assert f"error: {where}: OS type 'Rocky Linux 9' is not known" in run.stderr
    assert "Traceback" not in run.stderr and not out.exists()


def test_a_duplicate_live_key_names_the_resource_in_the_spec(tmp_path: Path) -> None:
    data = json.loads(SNAPSHOT.read_text())
    twin = dict(data["resources"]["storagepool"][0], id="sp-twin")
    data["resources"]["storagepool"].append(twin)
    snap = tmp_path / "dup.json"
    snap.write_text(json.dumps(data))
    run = _specc("plan", SPEC, "--state", snap)
    assert run.returncode == 1
    where = _spec_location("nfs-primary-1", "primary_storage:")
    assert f"error: {where}: storagepool:zone1/nfs-primary-1: 2 live storagepool" in run.stderr
