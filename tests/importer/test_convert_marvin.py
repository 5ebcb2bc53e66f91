"""``specc convert marvin`` on the upstream configs, applied to the simulator.

The upstream files (apache/cloudstack 4.18.2.5 ``setup/dev/advanced.cfg`` and
``tools/marvin/marvin/config/setup.cfg``) are kept under ``marvin/`` as they are,
licence comment lines included (``configGenerator.getSetupConfig`` drops lines
starting with ``#``). Each is converted, validated with ``--strict``, planned
against a fresh simulator and applied; every field is then checked through the API
against the config, and a second plan changes nothing but the simulator hosts (listed
at a mock address, not their URL's).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from import_helpers import changes_of
from mini_cloud import client, execute, read

import specc
from specc.cloud.kinds.normalise import norm_scalar
from specc.importer.marvin import convert, read_config
from specc.sim import running

HERE = Path(__file__).resolve().parent / "marvin"
CONFIGS = ("advanced.cfg", "setup.cfg")


class _Secrets(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "password"


def _check_through_api(api: Any, config: dict[str, Any]) -> None:
    for zone in config["zones"]:
        live = api.listZones(name=zone["name"])["zone"][0]
        for key in ("dns1", "dns2", "internaldns1", "internaldns2", "guestcidraddress"):
            assert live.get(key) == zone.get(key), key
        assert live["networktype"] == zone["networktype"]
        assert live["allocationstate"] == "Enabled"
        for pn in zone["physical_networks"]:
            found = api.listPhysicalNetworks(zoneid=live["id"], name=pn["name"])
            live_pn = found["physicalnetwork"][0]
            assert live_pn.get("vlan") == pn.get("vlan") and live_pn["state"] == "Enabled"
            types = api.listTrafficTypes(physicalnetworkid=live_pn["id"])["traffictype"]
            assert {t["traffictype"] for t in types} >= {t["typ"] for t in pn["traffictypes"]}
            enabled = api.listNetworkServiceProviders(
                physicalnetworkid=live_pn["id"], state="Enabled"
            )["networkserviceprovider"]
            assert {p["name"] for p in enabled} >= {p["name"] for p in pn["providers"]}
        ranges = api.listVlanIpRanges(zoneid=live["id"]).get("vlaniprange", [])
        for rng in zone.get("ipranges", []):
            hit = [r for r in ranges if r["startip"] == rng["startip"]]
            assert hit and hit[0]["endip"] == rng["endip"] and hit[0]["gateway"] == rng["gateway"]
            assert hit[0]["netmask"] == rng["netmask"]
            assert hit[0]["vlan"].removeprefix("vlan://") == rng["vlan"]
        for pod in zone["pods"]:
            live_pod = api.listPods(zoneid=live["id"], name=pod["name"])["pod"][0]
            assert live_pod["gateway"] == pod["gateway"] and live_pod["netmask"] == pod["netmask"]
            assert live_pod["startip"][0] == pod["startip"]
            assert live_pod["endip"][0] == pod["endip"]
            for cluster in pod["clusters"]:
                found = api.listClusters(podid=live_pod["id"], name=cluster["clustername"])
                live_c = found["cluster"][0]
                assert live_c["hypervisortype"].lower() == cluster["hypervisor"].lower()
                assert live_c["clustertype"] == cluster["clustertype"]
                hosts = api.listHosts(clusterid=live_c["id"], type="Routing")["host"]
                assert len(hosts) == len(cluster["hosts"])
                pools = api.listStoragePools(clusterid=live_c["id"])["storagepool"]
                want = {
                    (p["name"], p["url"].split("//")[1].split("/", 1)[1])
                    for p in cluster["primaryStorages"]
                }
                assert {(p["name"], p["path"].lstrip("/")) for p in pools} == want
        stores = api.listImageStores(zoneid=live["id"])["imagestore"]
        assert {s["url"] for s in stores} == {s["url"] for s in zone["secondaryStorages"]}
    for setting in config.get("globalConfig", []):
        listed = api.listConfigurations(name=setting["name"])["configuration"]
        value = next(c["value"] for c in listed if c["name"] == setting["name"])
        assert norm_scalar(value) == norm_scalar(setting["value"]), setting["name"]


@pytest.mark.parametrize("name", CONFIGS)
def test_convert_apply_check(name: str, tmp_path: Path) -> None:
    text = (HERE / name).read_text(encoding="utf-8")
    config = read_config(text)
    result = convert(text)
    assert all(s.startswith("$.") for s in result.skipped)
    spec = tmp_path / "spec.yaml"
    spec.write_text(result.text, encoding="utf-8")
    validated = specc.check(specc.load(spec), strict=True)
    assert validated.ok, [d.message for d in validated.diagnostics]
    with running() as sim:
        api = client(sim)
        execute(specc.plan(validated, read(api), scripts=False), api, _Secrets())
        _check_through_api(api, config)
        again = specc.plan(validated, read(api), scripts=False)
    # A simulator host is listed at the address the mock agent was given
    # (specc.sim.handlers.simagent, after MockAgentManagerImpl), never at its URL's
    # "host" (sim/c0/h0): those hosts do not match by address, everything else does.
    left = [c for c in changes_of(again) if not c.startswith("host:")]
    assert left == []
    assert all(" create " in c for c in changes_of(again) if c.startswith("host:"))


def test_unknown_sections_are_reported_with_their_path(tmp_path: Path) -> None:
    config = read_config((HERE / "advanced.cfg").read_text(encoding="utf-8"))
    config["zones"][0]["pods"][0]["clusters"][0]["frobnicate"] = 1
    config["zones"][0]["physical_networks"][0]["providers"].append({"name": "Netscaler"})
    config["extra"] = {}
    path = tmp_path / "odd.cfg"
    path.write_text("# a comment line\n" + json.dumps(config), encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "specc.cli",
            "convert",
            "marvin",
            str(path),
            "-o",
            str(tmp_path / "s.yaml"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "$.zones[0].pods[0].clusters[0].frobnicate: unknown key" in done.stderr
    assert "$.zones[0].physical_networks[0].providers[3]: provider Netscaler" in done.stderr
    assert "$.extra: unknown section" in done.stderr
    assert "$.dbSvr: not converted" in done.stderr
    assert (tmp_path / "s.yaml").read_text().startswith("# Converted by")
