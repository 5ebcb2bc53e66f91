"""``specc validate`` and ``specc schema`` through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from specc.cli.app import build_app
from specc.spec.schema import schema_text

ROOT = Path(__file__).resolve().parents[2]
NFS = ROOT / "examples" / "nfs-baseline.yaml"
BAD = Path(__file__).parent / "bad_input"
NEGATIVE_WARNING = """\
subnets:
  - {name: mgmt, cidr: 10.0.0.0/24, role: management, gateway: 10.0.0.1}
backends:
  - {name: nfs1, type: nfs, server: 10.0.0.20, export: /export/primary}
  - {name: sec1, type: nfs, server: 10.0.0.21, export: /export/secondary}
zones:
  - name: z1
    dns: [10.0.0.2]
    internal_dns: [10.0.0.2]
    pods:
      - name: p1
        subnet: mgmt
        start_ip: 10.0.0.100
        end_ip: 10.0.0.150
        clusters:
          - name: c1
            hypervisor: KVM
            hosts:
              - {name: h1, address: 10.0.0.11, os: el8}
          - name: c2
            hypervisor: KVM
    primary_storage:
      - {name: ps1, backend: nfs1, scope: cluster, pod: p1, cluster: c1}
    secondary_storage:
      - {name: ss1, backend: sec1}
"""


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The console script's path: ``main()`` with its error handling."""
    return subprocess.run(
        [sys.executable, "-c", "from specc.cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


def test_valid_spec_exits_0() -> None:
    code, out = _run("validate", str(NFS))
    assert code == 0
    assert out.strip().endswith("valid: 0 error(s), 0 warning(s)")


def test_invalid_spec_exits_1_with_located_lines() -> None:
    path = BAD / "SPC110-L10-inline-secret.yaml"
    code, out = _run("validate", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{path}:10:")
    assert "  SPC110  " in lines[0]
    assert lines[1].startswith("  hint: ")
    assert "hunter2" not in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_json_format(tmp_path: Path) -> None:
    code, out = _run("validate", "--format", "json", str(BAD / "SPC102-L3-missing-key.yaml"))
    assert code == 1
    doc = json.loads(out)
    assert doc["valid"] is False and doc["spec_hash"] == ""
    assert doc["specs"][0]["counts"] == {"error": 1, "warning": 0, "info": 0}
    (d,) = doc["diagnostics"]
    assert (d["code"], d["line"], d["severity"], d["path"]) == ("SPC102", 3, "error", "subnets/0")
    code, out = _run("validate", "-f", "json", str(NFS))
    assert code == 0
    assert json.loads(out)["spec_hash"].startswith("sha256:")


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    spec = tmp_path / "w.yaml"
    spec.write_text(NEGATIVE_WARNING)
    code, out = _run("validate", str(spec))
    assert code == 0, out
    assert "warning: " in out
    code, out = _run("validate", "--strict", str(spec))
    assert code == 1
    assert out.strip().startswith(f"{spec}:")


def test_max_limits_the_lines(tmp_path: Path) -> None:
    spec = tmp_path / "many.yaml"
    spec.write_text("subnets:\n" + "".join(f"  - {{name: s{i}, x{i}: 1}}\n" for i in range(30)))
    code, out = _run("validate", "--max", "5", str(spec))
    assert code == 1
    assert "... and 85 more" in out  # 30 unknown keys, 60 missing
    assert sum(1 for line in out.splitlines() if "  SPC1" in line) == 5


def test_missing_file_is_a_usage_error_without_traceback() -> None:
    proc = _main("validate", "no-such-spec.yaml")
    assert proc.returncode == 2
    assert "no such file or folder: no-such-spec.yaml" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_no_argument_is_a_usage_error() -> None:
    proc = _main("validate")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr


def test_colour_on_a_terminal() -> None:
    proc = _main("validate", str(BAD / "SPC100-L4-unknown-key.yaml"), env={"FORCE_COLOR": "1"})
    assert proc.returncode == 1
    assert "\x1b[" in proc.stdout


def test_schema_prints_the_checked_in_file() -> None:
    code, out = _run("schema")
    assert code == 0
    assert out == schema_text()
    assert out == (ROOT / "schemas" / "specc-v1.schema.json").read_text("utf-8")


def test_bad_input_through_the_console_entry_point() -> None:
    for name in ("SPC007-L7-alias-bomb.yaml", "SPC005-L1-binary-junk.yaml"):
        proc = _main("validate", str(BAD / name))
        assert proc.returncode == 1
        assert name.split("-")[0] in proc.stdout
        assert "Traceback" not in proc.stdout + proc.stderr


def test_each_argument_is_its_own_spec_and_all_examples_are_clean() -> None:
    examples = sorted(str(p) for p in (ROOT / "examples").glob("*.yaml"))
    code, out = _run("validate", "--strict", *examples)
    assert code == 0, out
    assert (
        out.strip()
        == f"valid: {len(examples)} of {len(examples)} specs valid, 0 error(s), 0 warning(s)"
    )
    code, out = _run("validate", "-f", "json", str(NFS), str(BAD / "SPC100-L4-unknown-key.yaml"))
    assert code == 1
    doc = json.loads(out)
    assert [s["valid"] for s in doc["specs"]] == [True, False]
    assert doc["spec_hash"] == ""


def test_merge_makes_the_arguments_one_spec(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "subnets:\n  - {name: mgmt, cidr: 10.0.0.0/24, role: management}\n"
    )
    (tmp_path / "b.yaml").write_text(
        "subnets:\n  - {name: mgmt, cidr: 10.0.1.0/24, role: management}\n"
    )
    files = [str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]
    code, _ = _run("validate", *files)
    assert code == 0
    code, out = _run("validate", "--merge", *files)
    assert code == 1
    assert f"{tmp_path / 'b.yaml'}:2:" in out  # the second 'mgmt' is a duplicate name
