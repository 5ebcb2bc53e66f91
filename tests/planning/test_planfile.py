"""The plan file: schema, round trip, and clear errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from plan_helpers import REPO, empty, plan_for

from specc.errors import PlanError
from specc.planning.planfile import PLAN_SCHEMA, dump_plan, load_plan, schema_text


def test_checked_in_schema_is_the_one_the_code_checks_against() -> None:
    path = REPO / "schemas" / "plan-v1.schema.json"
    assert path.read_text(encoding="utf-8") == schema_text()
    jsonschema.Draft202012Validator.check_schema(PLAN_SCHEMA)


def test_example_plans_validate_and_round_trip(example: Path, tmp_path: Path) -> None:
    plan = plan_for(example, empty())
    text = dump_plan(plan)
    jsonschema.validate(json.loads(text), PLAN_SCHEMA)
    out = tmp_path / "plan.json"
    out.write_text(text, encoding="utf-8")
    assert load_plan(out) == plan
    assert dump_plan(load_plan(out)) == text


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda t: t[: len(t) // 2], "not valid JSON (truncated?)"),
        (lambda t: t.replace('"version": 1', '"version": 7'), "version 7 is not supported"),
        (lambda t: t.replace('"specc-plan"', '"other"'), "not a specc plan file"),
        (lambda t: t.replace('"is_async": false', '"is_async": "no"', 1), "invalid plan file"),
    ],
)
def test_bad_plan_files_get_clear_errors(tmp_path: Path, mangle: object, message: str) -> None:
    plan = plan_for(REPO / "examples" / "nfs-baseline.yaml", empty())
    path = tmp_path / "plan.json"
    path.write_text(mangle(dump_plan(plan)), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(PlanError) as err:
        load_plan(path)
    assert message in err.value.message


def test_no_secret_value_in_any_plan(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CEPH_A_CLOUDSTACK_KEY", "KVM_ROOT_PASSWORD", "SF_PASSWORD", "CEPH_KEY"):
        monkeypatch.setenv(name, "TOPSECRETVALUE")
    assert "TOPSECRETVALUE" not in dump_plan(plan_for(example, empty()))


def test_plan_file_is_sealed_and_any_edit_is_refused(tmp_path: Path) -> None:
    """The issue's case: a createZone's name edited by hand inside a saved plan."""
    text = dump_plan(plan_for(REPO / "examples" / "nfs-baseline.yaml", empty()))
    data = json.loads(text)
    assert data["digest"].startswith("sha256:")
    path = tmp_path / "plan.json"
    edited = text.replace('"name": "zone1"', '"name": "zone9"', 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(PlanError) as err:
        load_plan(path)
    assert "the plan file was changed after it was made" in err.value.message
    assert "specc plan -o" in err.value.hint


def test_reindented_plan_keeps_its_seal(tmp_path: Path) -> None:
    plan = plan_for(REPO / "examples" / "nfs-baseline.yaml", empty())
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(json.loads(dump_plan(plan))), encoding="utf-8")
    assert load_plan(path) == plan


def test_unsealed_plan_file_is_refused_by_name(tmp_path: Path) -> None:
    data = json.loads(dump_plan(plan_for(REPO / "examples" / "nfs-baseline.yaml", empty())))
    del data["digest"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanError, match="not sealed"):
        load_plan(path)
