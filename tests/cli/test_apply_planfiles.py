"""Sealed plan files through the CLI: edits refused, bad files named as bad plan files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_apply import NFS, env_for, journals, secrets_of, specc

from specc.sim import running


@pytest.fixture(scope="module")
def saved_plan(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The text of a plan of the NFS example against an empty simulator."""
    folder = tmp_path_factory.mktemp("plan")
    env = env_for(folder)
    out = folder / "plan.json"
    made = specc("plan", NFS, "--sim", "-o", out, env=env, cwd=folder)
    assert made.returncode == 0, made.stderr
    return out.read_text()


def _apply(path: Path, tmp_path: Path) -> tuple[int, str, int]:
    """Apply *path* on a fresh simulator: exit code, stderr, API calls the simulator saw."""
    with running() as sim:
        env = env_for(tmp_path, sim, **secrets_of(NFS))
        run = specc("apply", path, "--hosts", "skip", env=env, cwd=tmp_path)
        return run.returncode, " ".join((run.stdout + run.stderr).split()), sim.call_count


def test_hand_edited_plan_is_refused_before_any_call(saved_plan: str, tmp_path: Path) -> None:
    """The issue's case: "name": "zone1" -> "zone9" inside createZone's parameters."""
    data = json.loads(saved_plan)
    step = next(s for s in data["steps"] if s["id"] == "create:zone:zone1")
    step["params"]["name"] = "zone9"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    code, out, calls = _apply(path, tmp_path)
    assert code == 1
    assert "plan.json: the plan file was changed after it was made" in out
    assert "refusing to apply an edited plan" in out and "specc plan -o" in out
    assert calls == 0
    assert journals(tmp_path) == ""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.json", lambda t: t[: len(t) // 2], "not valid JSON (truncated?)"),
        ("plan.json", lambda t: '{"format": "other"}', "not a specc plan file"),
        ("plan.json", lambda t: "[1, 2]\n", "not a plan file (a plan file is a JSON object"),
        ("compose.yaml", lambda t: "services:\n  web: {image: x}\n", "neither a specc spec nor"),
        ("plan.yaml", lambda t: "format: specc-plan\nversion: 1\nsteps: []\n", "a plan in YAML"),
        ("notes.txt", lambda t: "hello\n", "not a plan file"),
    ],
    ids=["truncated", "foreign-json", "json-list", "foreign-yaml", "plan-as-yaml", "text"],
)
def test_bad_plan_files_are_named_as_such(
    saved_plan: str, tmp_path: Path, name: str, content: object, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content(saved_plan))  # type: ignore[operator]
    code, out, calls = _apply(path, tmp_path)
    assert code == 1
    assert message in out
    assert "SPC0" not in out and "SPC1" not in out, "not reported as spec errors"
    assert calls == 0


def test_plan_file_under_any_name_is_applied(saved_plan: str, tmp_path: Path) -> None:
    path = tmp_path / "reviewed-plan"
    path.write_text(saved_plan)
    code, out, _ = _apply(path, tmp_path)
    assert code == 0, out
    assert "Apply complete" in out
