"""``specc scripts`` and ``specc runbook`` through the CLI, and the secret scan."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import specc
from hosts.hosthelp import (
    ALL_SPECS,
    CEPH_KEY,
    EXAMPLES,
    HERE,
    HOST_PASSWORD,
    SF_PASSWORD,
    load_spec,
    spec_id,
)
from hosts.hostsecrets import secret_values
from specc.cli.app import build_app
from specc.cloud.state import LiveState
from specc.errors import UsageError
from specc.planning.planfile import dump_plan
from specc.spec import require

CEPH = next(p for p in EXAMPLES if p.stem == "ceph-rbd-kvm")
VALUES = (CEPH_KEY, SF_PASSWORD, HOST_PASSWORD)


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), list(args), env=env)
    return result.exit_code, result.output


def test_scripts_writes_executable_scripts_and_the_golden_index(tmp_path: Path) -> None:
    code, out = invoke("scripts", str(CEPH), "-o", str(tmp_path / "s"))
    assert code == 0, out
    assert "wrote 7 host script(s)" in out
    golden = HERE / "golden" / CEPH.stem / "scripts"
    names = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert names == sorted(p.name for p in golden.iterdir())
    for p in (tmp_path / "s").iterdir():
        assert p.read_text() == (golden / p.name).read_text()
        if p.suffix == ".sh":
            assert p.stat().st_mode & stat.S_IXUSR
    index = json.loads((tmp_path / "s" / "index.json").read_text())
    first = index["scripts"][0]
    assert first["role"] == "ceph-admin" and first["before"] == ["storagepool:zone-ceph/rbd-zone"]


@pytest.mark.parametrize("fmt,name", [("markdown", "runbook.md"), ("html", "runbook.html")])
def test_runbook_from_spec_matches_golden(tmp_path: Path, fmt: str, name: str) -> None:
    code, out = invoke("runbook", str(CEPH), "-o", str(tmp_path / name), "--format", fmt)
    assert code == 0, out
    assert (tmp_path / name).read_text() == (HERE / "golden" / CEPH.stem / name).read_text()


def test_runbook_sections_in_order() -> None:
    text = (HERE / "golden" / CEPH.stem / "runbook.md").read_text()
    marks = [
        "## 1. Preflight checks",
        "## 2. Steps, in execution order",
        "create zone ",
        "script:ceph-admin:ceph1",
        "create storagepool ",
        "## 3. Verification",
        "## 4. Warnings",
        "6.4 GB",
        "## 5. Rollback notes",
    ]
    at = [text.index(m) for m in marks]
    assert at == sorted(at)
    spec = require([CEPH])
    assert f"Spec hash: `{spec.spec_hash}`" in text


@pytest.mark.parametrize("name", ["plan.json", "ceph.plan", "plan"])
def test_runbook_from_a_plan_file(tmp_path: Path, name: str) -> None:
    """A plan file is one that is not YAML, whatever its name (as apply takes it)."""
    v = require([CEPH])
    assert v.spec is not None
    plan_file = tmp_path / name
    plan_file.write_text(dump_plan(specc.plan(v, LiveState(v.spec.cloudstack.version, {}))))
    code, out = invoke("runbook", str(plan_file), "-o", str(tmp_path / "rb.md"))
    assert code == 0, out
    text = (tmp_path / "rb.md").read_text()
    assert v.spec_hash in text and "script:kvm-ceph-client:kvm-c1" in text
    assert "create storagepool " in text


def test_runbook_refuses_a_plan_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("format: specc-plan\nsteps: []\n")
    run = subprocess.run(
        [sys.executable, "-m", "specc.cli", "runbook", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "a plan in YAML is not a plan file" in run.stderr
    assert "runbook takes the JSON file" in run.stderr


def test_runbook_rejects_an_unknown_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(build_app(), ["runbook", str(CEPH), "--format", "pdf"])
    assert isinstance(result.exception, UsageError)
    assert "unknown format 'pdf'" in result.exception.message


@pytest.mark.parametrize("path", ALL_SPECS, ids=spec_id)
def test_no_secret_value_in_any_output(path: Path, tmp_path: Path) -> None:
    env, _files = secret_values(load_spec(path))
    env = {**os.environ, **env}
    outputs = []
    code, out = invoke("scripts", str(path), "-o", str(tmp_path / "s"), env=env)
    assert code == 0, out
    outputs.append(out)
    for fmt in ("markdown", "html"):
        code, out = invoke(
            "runbook", str(path), "-o", str(tmp_path / f"rb.{fmt}"), "--format", fmt, env=env
        )
        assert code == 0, out
        outputs.append(out)
    code, out = invoke("runbook", str(path), env=env)
    assert code == 0 and "## 1. Preflight checks" in out
    outputs.append(out)
    outputs += [p.read_text() for p in tmp_path.rglob("*") if p.is_file()]
    blob = "\n".join(outputs)
    for value in VALUES:
        assert value not in blob


def test_scripts_removes_what_an_earlier_run_wrote_and_keeps_the_rest(tmp_path: Path) -> None:
    out = tmp_path / "s"
    assert invoke("scripts", str(CEPH), "-o", str(out))[0] == 0
    (out / "notes.txt").write_text("mine")
    ocfs2 = next(p for p in EXAMPLES if p.stem == "ocfs2-san-kvm")
    assert invoke("scripts", str(ocfs2), "-o", str(out))[0] == 0
    names = sorted(p.name for p in out.iterdir())
    assert "kvm-ceph-client__kvm-c1.sh" not in names
    assert "notes.txt" in names and "ocfs2-node__san-lun1__kvm-o1.sh" in names
