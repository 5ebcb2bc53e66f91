"""``specc import`` and ``specc validate`` through the CLI, on a snapshot of the devcloud seed.

The devcloud seed is a cloud specc did not build (the simulator's Marvin-style
sandbox). The import is validated as it is (every placeholder reported as SPC111,
nothing else), filled, and planned offline against the same snapshot with
``--detailed-exitcode``: exit 0, no changes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from import_helpers import fill
from mini_cloud import client, read

from specc.cloud.snapshot import dump_snapshot
from specc.sim import running


def _specc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specc.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with running(seed="devcloud") as sim:
        live = read(client(sim))
    path = tmp_path_factory.mktemp("snap") / "live.json"
    path.write_text(dump_snapshot(live), encoding="utf-8")
    return path


def test_import_validate_fill_plan(snapshot: Path, tmp_path: Path) -> None:
    out = tmp_path / "spec.yaml"
    done = _specc("import", "--state", str(snapshot), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "placeholder(s) to fill in" in done.stderr
    holes = out.read_text().count("'<fill in: ")
    assert holes > 0
    check = _specc("validate", str(out))
    assert check.returncode == 1
    codes = [line.split()[1] for line in check.stdout.splitlines() if line.startswith(str(out))]
    assert codes.count("SPC111") == holes, check.stdout
    assert set(codes) == {"SPC111"}, check.stdout
    out.write_text(fill(out.read_text()), encoding="utf-8")
    assert _specc("validate", "--strict", str(out)).returncode == 0
    plan = _specc("plan", str(out), "--state", str(snapshot), "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr


def test_import_is_byte_identical_and_splits(snapshot: Path, tmp_path: Path) -> None:
    one = _specc("import", "--state", str(snapshot))
    two = _specc("import", "--state", str(snapshot))
    assert one.returncode == 0 and one.stdout == two.stdout
    folder = tmp_path / "spec"
    assert _specc("import", "--state", str(snapshot), "-o", str(folder)).returncode == 0
    assert (folder / "cloud.yaml").exists()
    assert any(p.name.startswith("zone-") for p in folder.iterdir())


def test_import_selection_errors(snapshot: Path) -> None:
    bad = _specc("import", "--state", str(snapshot), "--zone", "nowhere")
    assert bad.returncode == 1 and "no such zone" in bad.stdout + bad.stderr
    bad = _specc("import", "--state", str(snapshot), "--kinds", "widgets")
    assert bad.returncode == 1 and "unknown section" in bad.stdout + bad.stderr
    only = _specc("import", "--state", str(snapshot), "--kinds", "offerings,settings")
    assert only.returncode == 0 and "zones:" not in only.stdout
