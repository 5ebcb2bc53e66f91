"""Shared networks updated and pruned through the CLI, on the simulator at 4.18 and 4.22.

advanced-sg and basic-zone are applied as they stand (plus, in the Advanced zone, a
second shared network with its own range). Then:

- the display text changes in the spec: the plan updates the network in place
  (``updateNetwork id displaytext``, async: ``UpdateNetworkCmd`` is a
  ``BaseAsyncCustomIdCmd``, ``NetworkServiceImpl.updateGuestNetwork`` sets it), no
  replace; after the apply the next plan has no changes;
- a shared network leaves the spec with its ranges: ``plan --prune`` deletes it with one
  ``deleteNetwork`` (async, ``DeleteNetworkCmd``), which removes its IP ranges itself
  (``NetworkOrchestrator.destroyNetwork`` -> ``deleteVlansInNetwork``, apache/cloudstack
  4.18.2.5 and 4.22.1.0): no ``deleteVlanIpRange`` of its own, and no ``--force``
  needed; after the apply the next ``plan --prune`` has no changes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cs import CloudStack
from plan_helpers import REPO

from specc.sim import running

ADVANCED = REPO / "examples" / "advanced-sg.yaml"
BASIC = REPO / "examples" / "basic-zone.yaml"

SECOND_SUBNET = """  - name: shared-sg-2
    cidr: 10.147.32.0/24
    role: guest
    gateway: 10.147.32.1
    vlan: 32
"""
SECOND_NETWORK = """      - name: shared-sg-2
        offering: DefaultSharedNetworkOfferingWithSGService
        subnet: shared-sg-2
        ranges:
          - subnet: shared-sg-2
            start: 10.147.32.100
            end: 10.147.32.119
"""


def _specc(*args: str | Path, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI, run in *cwd* (an apply keeps its journal under the working directory)."""
    exe = shutil.which("specc")
    assert exe
    return subprocess.run(
        [exe, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
        cwd=cwd,
    )


def _env(sim_env: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env.update(sim_env)
    env["KVM_ROOT_PASSWORD"] = "secret-pw"
    return env


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _advanced(tmp_path: Path) -> tuple[Path, Path, Path]:
    """advanced-sg with a second shared network; that with a new display text; and
    the second without the added network."""
    text = ADVANCED.read_text()
    text = _edit(text, "\nbackends:\n", "\n" + SECOND_SUBNET + "\nbackends:\n")
    full = _edit(text, "    pods:\n", SECOND_NETWORK + "    pods:\n")
    changed = _edit(
        full,
        "display_text: Shared SG enabled network",
        "display_text: Shared SG network, renamed",
    )
    pruned = _edit(changed, SECOND_NETWORK, "")
    return _write(tmp_path, full, changed, pruned)


def _basic(tmp_path: Path) -> tuple[Path, Path, Path]:
    """basic-zone; with a display text for its network; and without the network and
    the pod's guest range in it."""
    full = BASIC.read_text()
    network = (
        "      - name: guestNetworkForBasicZone\n"
        "        offering: DefaultSharedNetworkOfferingWithSGService\n"
    )
    changed = _edit(full, network, network + "        display_text: Basic zone guest network\n")
    ranges = (
        "        guest_ranges:\n"
        "          - subnet: guest-pod1\n"
        "            start: 60.147.41.2\n"
        "            end: 60.147.41.254\n"
    )
    pruned = _edit(_edit(changed, ranges, ""), "    shared_networks:\n" + network, "")
    pruned = _edit(pruned, "        display_text: Basic zone guest network\n", "")
    return _write(tmp_path, full, changed, pruned)


def _write(tmp_path: Path, *texts: str) -> tuple[Path, Path, Path]:
    paths = tuple(tmp_path / name for name in ("full.yaml", "changed.yaml", "pruned.yaml"))
    for path, text in zip(paths, texts, strict=True):
        path.write_text(text)
    return paths  # type: ignore[return-value]


def _plan(spec: Path, out: Path, *flags: str, env: dict[str, str], cwd: Path) -> dict[str, Any]:
    run = _specc("plan", spec, *flags, "-o", out, env=env, cwd=cwd)
    assert run.returncode == 0, run.stdout + run.stderr
    return dict(json.loads(out.read_text()))


def _apply(plan: Path, env: dict[str, str], cwd: Path) -> None:
    run = _specc("apply", plan, "--hosts", "skip", env=env, cwd=cwd)
    assert run.returncode == 0, run.stdout + run.stderr


def _in_sync(spec: Path, *flags: str, env: dict[str, str], cwd: Path) -> None:
    run = _specc("plan", spec, *flags, "--detailed-exitcode", env=env, cwd=cwd)
    assert run.returncode == 0, run.stdout + run.stderr


def _live(api: CloudStack) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """Shared networks (name -> display text) and IP ranges (start, end) of the cloud."""
    nets = api.listNetworks(listall="true", type="Shared").get("network", [])
    ranges = api.listVlanIpRanges().get("vlaniprange", [])
    return (
        {n["name"]: n["displaytext"] for n in nets},
        {(r["startip"], r["endip"]) for r in ranges if not r["forvirtualnetwork"]},
    )


def _calls(plan: dict[str, Any]) -> list[tuple[str, dict[str, Any], bool]]:
    return [(s["command"], s["params"], s["is_async"]) for s in plan["steps"] if s.get("command")]


@pytest.mark.parametrize("version", ["4.18", "4.22"])
@pytest.mark.parametrize("zone", ["advanced-sg", "basic-zone"])
def test_a_shared_network_is_updated_in_place_and_pruned(
    tmp_path: Path, version: str, zone: str
) -> None:
    full, changed, pruned = (_advanced if zone == "advanced-sg" else _basic)(tmp_path)
    if zone == "advanced-sg":
        where, name, text = "sg1", "shared-sg", "Shared SG network, renamed"
        gone, its_ranges = "shared-sg-2", {("10.147.32.100", "10.147.32.119")}
    else:
        where, name, text = "basic1", "guestNetworkForBasicZone", "Basic zone guest network"
        gone, its_ranges = name, {("60.147.41.2", "60.147.41.254")}
    with running(api_version=version) as sim:
        env = _env(sim.env())
        api = CloudStack(endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key)
        first = _specc("apply", full, "--auto-approve", "--hosts", "skip", env=env, cwd=tmp_path)
        assert first.returncode == 0, first.stdout + first.stderr
        nets, ranges = _live(api)
        assert gone in nets and its_ranges <= ranges

        plan = _plan(changed, tmp_path / "update.json", env=env, cwd=tmp_path)
        (change,) = [c for c in plan["changes"] if c["action"] != "noop"]
        assert (change["resource"], change["action"]) == (f"network:{where}/{name}", "update")
        assert [f["field"] for f in change["fields"]] == ["displaytext"]
        ((command, params, is_async),) = _calls(plan)
        assert (command, sorted(params), params["displaytext"], is_async) == (
            "updateNetwork",
            ["displaytext", "id"],
            text,
            True,
        )
        _apply(tmp_path / "update.json", env, tmp_path)
        assert _live(api)[0][name] == text
        _in_sync(changed, env=env, cwd=tmp_path)

        plan = _plan(pruned, tmp_path / "prune.json", "--prune", env=env, cwd=tmp_path)
        deletes = [c for c in plan["changes"] if c["action"] == "delete"]
        assert [c["resource"] for c in deletes] == [f"network:{where}/{gone}"]
        ((command, params, is_async),) = _calls(plan)
        assert (command, sorted(params), is_async) == ("deleteNetwork", ["id"], True)
        assert any("goes with the delete of its network" in n for n in plan["notes"])
        _apply(tmp_path / "prune.json", env, tmp_path)
        nets_after, ranges_after = _live(api)
        assert gone not in nets_after
        assert ranges_after == ranges - its_ranges
        _in_sync(pruned, "--prune", env=env, cwd=tmp_path)
