"""Every API call of every example plan matches the real CloudStack 4.18 contract.

The contract is ../shared/cloudstack-api/apis.json (listApis of 4.18.0.0): the
command exists, every parameter exists, required ones are present and the async
flag matches.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from plan_helpers import SHARED, empty, plan_for

from specc.cloud.kinds import KINDS
from specc.core.steps import ApiCall, Wait

APIS = SHARED / "cloudstack-api" / "apis.json"
APIS_422 = SHARED / "cloudstack-api" / "apis-4.22.1-from-go-sdk.json"


@cache
def _apis(path: Path = APIS) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8"))["apis"])


def _check(command: str, params: dict[str, Any], is_async: bool | None) -> list[str]:
    api = _apis().get(command)
    if api is None:
        return [f"{command}: no such command"]
    known = {p["name"] for p in api["params"]}
    required = {p["name"] for p in api["params"] if p.get("required")}
    errors = [f"{command}: unknown parameter {p}" for p in sorted(set(params) - known)]
    errors += [f"{command}: missing required {p}" for p in sorted(required - set(params))]
    if is_async is not None and bool(api["isasync"]) != is_async:
        errors.append(f"{command}: is_async {is_async}, the API says {api['isasync']}")
    return errors


@pytest.mark.parametrize("version", ["4.18.0.0"])
def test_every_api_call_of_every_example_matches_the_contract(example: Path, version: str) -> None:
    plan = plan_for(example, empty(version))
    errors: list[str] = []
    for step in plan.steps:
        if isinstance(step, ApiCall):
            errors += [f"{step.id}: {e}" for e in _check(step.command, step.params, step.is_async)]
        elif isinstance(step, Wait):
            errors += [f"{step.id}: {e}" for e in _check(step.command, step.params, None)]
    assert not errors, "\n".join(errors)
    assert any(isinstance(s, ApiCall) for s in plan.steps)


def test_kind_tables_name_real_commands_params_and_list_fields() -> None:
    apis = _apis()
    apis422 = dict(json.loads(APIS_422.read_text(encoding="utf-8"))["apis"])
    errors: list[str] = []
    for kind in KINDS.values():
        for command, async_flag in (
            (kind.list_command, False),
            (kind.create_command, kind.create_async),
            (kind.update_command, kind.update_async),
            (kind.delete_command, kind.delete_async),
        ):
            if command is not None and bool(apis[command]["isasync"]) != async_flag:
                errors.append(f"{kind.name}: {command} async flag")
        listed_418 = {str(r["name"]) for r in apis[kind.list_command].get("response", [])}
        listed_422 = {str(r["name"]) for r in apis422[kind.list_command].get("response", [])}
        create_params = (
            {p["name"] for p in apis[kind.create_command]["params"]}
            if kind.create_command
            else set()
        )
        exempt = kind.name in ("traffictype", "hostha")
        for f in kind.fields:
            if f.create and kind.create_command and f.create not in create_params:
                errors.append(f"{kind.name}.{f.name}: {f.create} not a create param")
            command = f.via or kind.update_command
            update_params = {p["name"] for p in apis[command]["params"]} if command else set()
            if f.update and command and f.update not in update_params:
                errors.append(f"{kind.name}.{f.name}: {f.update} not a param of {command}")
            if f.readable("4.18.0.0") and not exempt and f.list_field not in listed_418:
                errors.append(f"{kind.name}.{f.name}: {f.list_field} not listed on 4.18")
            if f.readable("4.22.1") and not exempt and f.list_field not in listed_422:
                errors.append(f"{kind.name}.{f.name}: {f.list_field} not listed on 4.22")
    assert not errors, "\n".join(errors)


def test_kind_listing_parents_and_delete_rules_name_real_params() -> None:
    """A kind's list arguments, parent fields and delete rules match the 4.18 contract."""
    apis = _apis()
    errors: list[str] = []

    def params_of(command: str) -> set[str]:
        return {str(p["name"]) for p in apis[command]["params"]}

    for kind in KINDS.values():
        listed = {str(r["name"]) for r in apis[kind.list_command].get("response", [])}
        list_params = params_of(kind.list_command)
        errors += [
            f"{kind.name}: {arg} not a param of {kind.list_command}"
            for arg in kind.listing.args
            if arg not in list_params
        ]
        if kind.listing.per_parent is not None and kind.listing.per_parent not in list_params:
            errors.append(f"{kind.name}: {kind.listing.per_parent} not a list param")
        has_paging = {"page", "pagesize"} <= list_params
        if kind.listing.paged != has_paging:
            errors.append(f"{kind.name}: paged={kind.listing.paged}, the API says {has_paging}")
        # a parent field the reader stamps itself (listVmwareDcs: no zone uuid) is its own
        errors += [
            f"{kind.name}: parent field {p.field} not listed by {kind.list_command}"
            for p in kind.parents
            if p.field not in listed and p.field != kind.listing.parent_stamp
        ]
        stamp = kind.listing.parent_stamp
        if stamp is not None and (stamp in listed or not stamp.startswith("_")):
            errors.append(f"{kind.name}: parent_stamp {stamp} would hide a listed field")
        if kind.delete_command is None:
            continue
        rules = kind.deletion
        delete_params = params_of(kind.delete_command)
        if rules.id_param not in delete_params:
            errors.append(f"{kind.name}: {rules.id_param} not a param of {kind.delete_command}")
        if rules.forced and "forced" not in delete_params:
            errors.append(f"{kind.name}: {kind.delete_command} takes no forced")
        step = rules.maintenance({}, False) if rules.maintenance else None
        if step is not None:
            errors += _check(step.command, {"id": "x"}, True)
    assert not errors, "\n".join(errors)
