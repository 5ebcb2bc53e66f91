"""Messages a user reads (issue 14, point 7), through the console script.

An apply on a simulator state file is shared by the tests of this module.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from review_helpers import NFS, REPO, specc


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulator state with examples/nfs-baseline.yaml applied from a saved plan."""
    home = tmp_path_factory.mktemp("applied")
    plan = home / "plan.json"
    made = specc("plan", NFS, "--sim", "--sim-state", home / "sim.db", "-o", plan, cwd=home)
    assert made.returncode == 0, made.stderr
    run = specc("apply", plan, "--sim", "--sim-state", home / "sim.db", "--auto-approve", cwd=home)
    assert run.returncode == 0, run.stdout + run.stderr
    return home


def _copy(applied: Path, tmp_path: Path) -> Path:
    state = tmp_path / "sim.db"
    shutil.copy(applied / "sim.db", state)
    return state


def test_a_plan_applied_twice_says_so_without_a_dash_head(applied: Path) -> None:
    again = specc(
        "apply", applied / "plan.json", "--sim", "--sim-state", applied / "sim.db",
        "--auto-approve", cwd=applied,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    assert "this plan was already applied in full; nothing to do" in again.stdout
    assert "--:" not in again.stdout


def test_drift_of_one_resource_is_singular(applied: Path, tmp_path: Path) -> None:
    state = _copy(applied, tmp_path)
    spec = tmp_path / "nfs.yaml"
    text = NFS.read_text()
    assert "expunge.delay: 3600" in text
    spec.write_text(text.replace("expunge.delay: 3600", "expunge.delay: 7200"))
    run = specc("drift", spec, "--sim", "--sim-state", state, cwd=tmp_path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Drift: 1 resource differs from the spec." in run.stdout


def test_an_unmanaged_ha_record_is_named_by_its_host_not_none(
    applied: Path, tmp_path: Path
) -> None:
    state = _copy(applied, tmp_path)
    spec = tmp_path / "nfs.yaml"
    third = (
        "              - name: kvm1-h3\n                address: 10.10.0.13\n"
        "                os: el8\n                password: {env: KVM_ROOT_PASSWORD}\n"
        "                ha: true\n"
    )
    assert third in NFS.read_text()
    spec.write_text(NFS.read_text().replace(third, ""))
    run = specc("plan", spec, "--sim", "--sim-state", state, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    ha = [line for line in run.stdout.splitlines() if "hostha:zone1/pod1/kvm1/10.10.0.13" in line]
    assert len(ha) == 1 and "(hostid " in ha[0], run.stdout
    assert "(None)" not in run.stdout


def test_errors_are_one_line_when_not_on_a_terminal(tmp_path: Path) -> None:
    missing = tmp_path / ("very-long-directory-name-" * 4) / "snapshot.json"
    run = specc("plan", NFS, "--state", missing, cwd=tmp_path)
    assert run.returncode == 1
    first = run.stderr.splitlines()[0]
    assert first.startswith("error: ") and str(missing) in first and len(first) > 120


def test_validate_a_folder_says_it_merges_into_one_spec(tmp_path: Path) -> None:
    folder = REPO / "examples"
    run = specc("validate", folder, cwd=tmp_path)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"note: {folder}: a folder is ONE spec split over files: its ")
    assert f"specc validate {folder}/*.yaml" in lines[0]
    assert lines[-1] == f"note: {folder} was validated as one merged spec (see the note above)"
    each = specc("validate", *sorted(folder.glob("*.yaml")), cwd=tmp_path)
    assert each.returncode == 0 and "note:" not in each.stdout
    js = specc("validate", folder, "--format", "json", cwd=tmp_path)
    assert "a folder is ONE spec" in json.loads(js.stdout)["notes"][0]
