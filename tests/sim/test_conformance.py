"""Every command the simulator serves matches the real API contract.

The list of commands comes from the running simulator's own ``listApis``, so a
command added by any handler module is checked without touching this test.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from simhelp import client

from specc.sim import running

CONTRACT = Path(__file__).resolve().parents[2].parent / "shared" / "cloudstack-api"


@cache
def contract(name: str) -> dict[str, Any]:
    apis: dict[str, Any] = json.loads((CONTRACT / name).read_text())["apis"]
    return apis


def served(api_version: str) -> list[dict[str, Any]]:
    with running(api_version=api_version) as sim:
        apis: list[dict[str, Any]] = client(sim).listApis()["api"]
    return apis


def _shape(params: list[dict[str, Any]]) -> dict[str, bool]:
    return {p["name"]: bool(p["required"]) for p in params}


def test_the_contract_files_are_there() -> None:
    assert len(contract("apis.json")) > 700
    assert len(contract("apis-4.22.1-from-go-sdk.json")) > 700


@pytest.mark.parametrize("api_version", ["4.18", "4.22"])
def test_every_served_command_matches_the_contract(api_version: str) -> None:
    old, new = contract("apis.json"), contract("apis-4.22.1-from-go-sdk.json")
    apis = served(api_version)
    assert len(apis) >= 29
    problems = []
    for api in apis:
        name = api["name"]
        if api_version == "4.18":
            ref = old.get(name)
            if ref is None:  # a command newer than 4.18 must be in the newer file
                problems.append(f"{name}: served on 4.18 but not a 4.18 command")
                continue
        else:
            ref = new.get(name) or old.get(name)
            if ref is None:
                problems.append(f"{name}: not in any contract")
                continue
        if bool(api["isasync"]) != bool(ref["isasync"]):
            problems.append(f"{name}: isasync {api['isasync']} != {ref['isasync']}")
        have, want = _shape(api["params"]), _shape(ref["params"])
        if have != want:
            missing = sorted(set(want) - set(have))
            extra = sorted(set(have) - set(want))
            required = sorted(k for k in set(have) & set(want) if have[k] != want[k])
            problems.append(f"{name}: missing {missing} extra {extra} required differs {required}")
    assert problems == []


def test_list_commands_answer_under_the_real_item_key() -> None:
    new = contract("apis-4.22.1-from-go-sdk.json")
    with running(api_version="4.22", seed="devcloud") as sim:
        c = client(sim)
        checked = 0
        for api in c.listApis()["api"]:
            name = api["name"]
            key = new.get(name, {}).get("list_response_key")
            required = [p for p in api["params"] if p["required"]]
            if not name.startswith("list") or not key or required:
                continue
            answer = c._request(name)  # the raw response, unwrapped by cs
            if answer:
                assert key in answer, f"{name} answered {sorted(answer)}, expected {key}"
                checked += 1
        assert checked >= 10


# Where the server's listApis misdescribes a response, the command's code is the truth:
# apache/cloudstack#7837, ListTrafficTypesCmd answers TrafficTypeResponse (with the network
# labels) while listApis lists ProviderResponse's fields.
MISDESCRIBED = {
    "listTrafficTypes": {
        "kvmnetworklabel",
        "vmwarenetworklabel",
        "xennetworklabel",
        "hypervnetworklabel",
        "ovm3networklabel",
        "traffictype",
    }
}
REQUIRED_ARGS = {
    "listStorageProviders": {"type": "primary"},
    "listTemplates": {"templatefilter": "all"},
    "listIsos": {"isofilter": "all"},
}


@pytest.mark.parametrize("api_version", ["4.18", "4.22"])
def test_list_answers_hold_only_fields_the_contract_names(api_version: str) -> None:
    """Every field of every listed item is a response field of the command's contract."""
    apis = contract("apis.json" if api_version == "4.18" else "apis-4.22.1-from-go-sdk.json")
    with running(api_version=api_version, seed="devcloud") as sim:
        c = client(sim)
        pnet = c.listPhysicalNetworks()["physicalnetwork"][0]["id"]
        args = {**REQUIRED_ARGS, "listTrafficTypes": {"physicalnetworkid": pnet}}
        problems, checked = [], 0
        for api in c.listApis()["api"]:
            name = api["name"]
            required = [p["name"] for p in api["params"] if p["required"]]
            if not name.startswith("list") or name == "listApis" or name not in apis:
                continue
            if required and name not in args:
                continue
            answer = c._request(name, **args.get(name, {}))
            allowed = {r["name"] for r in apis[name].get("response", [])}
            allowed |= MISDESCRIBED.get(name, set())
            for key, items in answer.items():
                for item in items if isinstance(items, list) else []:
                    checked += 1
                    extra = sorted(set(item) - allowed)
                    if extra:
                        problems.append(f"{name} {key}: {extra}")
        assert checked > 50
        assert sorted(set(problems)) == []
