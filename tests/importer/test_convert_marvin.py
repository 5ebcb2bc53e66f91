"""``specc convert marvin`` on Marvin configs, applied to the simulator.

``marvin/advanced.cfg`` and ``marvin/setup.cfg`` are apache/cloudstack 4.18.2.5
``setup/dev/advanced.cfg`` and ``tools/marvin/marvin/config/setup.cfg`` as they are,
licence comment lines included (``configGenerator.getSetupConfig`` drops lines
starting with ``#``). ``marvin/basic.cfg``, ``marvin/advancedsg.cfg`` and
``marvin/advdualzone.cfg`` are configs of our own whose JSON equals the upstream
``setup/dev`` files of those names: a Basic zone, an Advanced zone with security
groups, and two Advanced zones.

Each is converted, planned against a fresh simulator (4.18 and 4.22) and applied
with its Simulator hosts at provisional addresses, then given the addresses
``listHosts`` shows (as the placeholder's comment says) and validated with
``--strict``; every field is checked through the API against the config, and a
second plan changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from ipaddress import IPv4Network
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from cs import CloudStack
from import_helpers import changes_of
from mini_cloud import client, execute, read
from ruamel.yaml import YAML

import specc
from specc.cloud.kinds.normalise import norm_scalar
from specc.importer.marvin import convert, read_config
from specc.sim import running

HERE = Path(__file__).resolve().parent / "marvin"
CONFIGS = ("advanced.cfg", "setup.cfg", "basic.cfg", "advancedsg.cfg", "advdualzone.cfg")
SIM_HOST = re.compile(r"'<fill in: the address the Simulator gives [^>]*>'")


class _Secrets(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "password"


def _one(api: CloudStack, command: str, key: str, **args: Any) -> dict[str, Any]:
    items = getattr(api, command)(**args).get(key, [])
    assert len(items) == 1, (command, args, items)
    return dict(items[0])


def _provisional(text: str) -> str:
    """Each Simulator host at a provisional address: its pod subnet's last free ones."""
    doc = YAML(typ="safe").load(text)
    cidrs = {s["name"]: IPv4Network(s["cidr"]) for s in doc.get("subnets", [])}
    fills = []
    for zone in doc["zones"]:
        for pod in zone.get("pods", []):
            top = cidrs[pod["subnet"]].broadcast_address
            hosts = [h for c in pod.get("clusters", []) for h in c.get("hosts", [])]
            fills += [
                str(top - n) for n, h in enumerate(hosts, 1) if SIM_HOST.match(repr(h["address"]))
            ]
    found = iter(fills)
    return SIM_HOST.sub(lambda _: next(found), text)


def _listed(text: str, api: CloudStack) -> str:
    """The provisional addresses replaced by those ``listHosts`` shows, cluster by cluster.

    A Simulator host gets its address from the mock agent
    (``MockAgentManagerImpl.getIpAddress``); the hosts of one cluster are alike in
    these configs, so the n-th spec host takes the n-th listed one.
    """
    doc = YAML(typ="safe").load(text)
    for zone in doc["zones"]:
        zid = _one(api, "listZones", "zone", name=zone["name"])["id"]
        for pod in zone.get("pods", []):
            pid = _one(api, "listPods", "pod", zoneid=zid, name=pod["name"])["id"]
            for cluster in pod.get("clusters", []):
                if cluster["hypervisor"] != "Simulator":
                    continue
                cid = _one(api, "listClusters", "cluster", podid=pid, name=cluster["name"])["id"]
                listed = api.listHosts(clusterid=cid, type="Routing")["host"]
                listed.sort(key=lambda h: [int(p) for p in h["ipaddress"].split(".")])
                for host, item in zip(cluster["hosts"], listed, strict=True):
                    old = rf"address: {re.escape(str(host['address']))}(?![\d.])"
                    text = re.sub(old, f"address: {item['ipaddress']}", text)
    return text


def _check_zone(api: CloudStack, zone: dict[str, Any]) -> dict[str, Any]:
    """The zone and its physical networks as the config sets them; the listed zone."""
    live = _one(api, "listZones", "zone", name=zone["name"])
    basic = zone.get("networktype") == "Basic"
    sg = str(zone.get("securitygroupenabled")).lower() == "true"
    for key in ("dns1", "dns2", "internaldns1", "internaldns2", "domain"):
        assert live.get(key) == zone.get(key), key
    # createZones sends guestcidraddress only without security groups.
    assert live.get("guestcidraddress") == (None if sg else zone.get("guestcidraddress"))
    assert live["networktype"] == zone.get("networktype", "Advanced")
    # ConfigurationManagerImpl.createZone turns security groups on in a Basic zone.
    assert live["securitygroupsenabled"] is (sg or basic)
    assert live["allocationstate"] == "Enabled"
    for pn in zone["physical_networks"]:
        found = _one(
            api, "listPhysicalNetworks", "physicalnetwork", zoneid=live["id"], name=pn["name"]
        )
        assert found.get("vlan") == pn.get("vlan") and found["state"] == "Enabled"
        assert found["isolationmethods"] == ",".join(pn.get("isolationmethods") or ["VLAN"])
        assert found.get("tags") == (",".join(pn["tags"]) if pn.get("tags") else None)
        # createPhysicalNetwork does not send broadcastdomainrange: the zone type decides.
        assert found["broadcastdomainrange"] == ("POD" if basic else "ZONE")
        types = api.listTrafficTypes(physicalnetworkid=found["id"])["traffictype"]
        assert {t["traffictype"] for t in types} >= {t["typ"] for t in pn["traffictypes"]}
        enabled = api.listNetworkServiceProviders(physicalnetworkid=found["id"], state="Enabled")
        names = {p["name"] for p in enabled["networkserviceprovider"]}
        assert names >= {p["name"] for p in pn["providers"]}
    return live


def _check_networks(api: CloudStack, zone: dict[str, Any], live: dict[str, Any]) -> None:
    """Public ranges, or the shared guest network and its ranges (createZones)."""
    ranges = api.listVlanIpRanges(zoneid=live["id"]).get("vlaniprange", [])
    shared = api.listNetworks(zoneid=live["id"], listall=True, type="Shared").get("network", [])
    pods = {p["name"]: p["id"] for p in api.listPods(zoneid=live["id"])["pod"]}
    if zone.get("networktype") == "Basic":
        (net,) = shared
        assert net["name"] == net["displaytext"] == "guestNetworkForBasicZone"
        assert net["networkofferingname"] == "DefaultSharedNetworkOfferingWithSGService"
        want = [(pods[p["name"]], r) for p in zone["pods"] for r in p.get("guestIpRanges", [])]
    elif str(zone.get("securitygroupenabled")).lower() == "true":
        (net,) = shared
        last = zone["ipranges"][-1]
        assert net["name"] == net["displaytext"] == "Shared SG enabled network"
        assert net["networkofferingname"] == "DefaultSharedNetworkOfferingWithSGService"
        assert (net["gateway"], net["netmask"], net["vlan"]) == (
            last["gateway"],
            last["netmask"],
            last["vlan"],
        )
        want = [(None, last)]
    else:
        assert shared == []
        want = [(None, r) for r in zone.get("ipranges", [])]
    assert len(ranges) == len(want)
    for pod, rng in want:
        (hit,) = [r for r in ranges if r["startip"] == rng["startip"]]
        assert (hit["endip"], hit["gateway"], hit["netmask"]) == (
            rng["endip"],
            rng["gateway"],
            rng["netmask"],
        )
        assert hit["vlan"].removeprefix("vlan://") == rng.get("vlan", "untagged")
        assert hit.get("podid") == pod
        assert hit["forvirtualnetwork"] is not bool(shared)
        if shared:
            assert hit["networkid"] == shared[0]["id"]


def _at(url: str) -> tuple[str | None, str | None, str]:
    """Scheme, host and path of an NFS url: ``nfs://h:/p`` (Marvin's form) is ``nfs://h/p``."""
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.path


def _check_through_api(api: CloudStack, config: dict[str, Any], spec: str) -> None:
    addresses = {
        str(h["address"])
        for z in YAML(typ="safe").load(spec)["zones"]
        for p in z.get("pods", [])
        for c in p.get("clusters", [])
        for h in c.get("hosts", [])
    }
    for zone in config["zones"]:
        live = _check_zone(api, zone)
        _check_networks(api, zone, live)
        for pod in zone["pods"]:
            live_pod = _one(api, "listPods", "pod", zoneid=live["id"], name=pod["name"])
            assert live_pod["gateway"] == pod["gateway"] and live_pod["netmask"] == pod["netmask"]
            assert live_pod["startip"][0] == pod["startip"]
            assert live_pod["endip"][0] == pod["endip"]
            network = IPv4Network(f"{pod['gateway']}/{pod['netmask']}", strict=False)
            for cluster in pod["clusters"]:
                found = api.listClusters(podid=live_pod["id"], name=cluster["clustername"])
                live_c = found["cluster"][0]
                assert live_c["hypervisortype"].lower() == cluster["hypervisor"].lower()
                assert live_c["clustertype"] == cluster["clustertype"]
                hosts = api.listHosts(clusterid=live_c["id"], type="Routing")["host"]
                assert len(hosts) == len(cluster["hosts"])
                for host in hosts:  # the mock agent's address, which the spec now has
                    assert host["ipaddress"] in addresses and host["state"] == "Up"
                    assert IPv4Network(host["ipaddress"]).subnet_of(network)
                pools = api.listStoragePools(clusterid=live_c["id"])["storagepool"]
                want = {
                    (p["name"], p["url"].split("//")[1].split("/", 1)[1])
                    for p in cluster["primaryStorages"]
                }
                assert {(p["name"], p["path"].lstrip("/")) for p in pools} == want
                assert {p["scope"] for p in pools} <= {"CLUSTER"}
        stores = api.listImageStores(zoneid=live["id"])["imagestore"]
        assert {_at(s["url"]) for s in stores} == {_at(s["url"]) for s in zone["secondaryStorages"]}
        assert {s["name"] for s in stores} == {s["url"] for s in zone["secondaryStorages"]}
    for setting in config.get("globalConfig", []):
        listed = api.listConfigurations(name=setting["name"])["configuration"]
        value = next(c["value"] for c in listed if c["name"] == setting["name"])
        assert norm_scalar(value) == norm_scalar(setting["value"]), setting["name"]


@pytest.mark.parametrize("version", ["4.18", "4.22"])
@pytest.mark.parametrize("name", CONFIGS)
def test_convert_apply_check(name: str, version: str, tmp_path: Path) -> None:
    text = (HERE / name).read_text(encoding="utf-8")
    config = read_config(text)
    result = convert(text)
    assert all(s.startswith("$.") for s in result.skipped)
    spec = tmp_path / "spec.yaml"
    with running(api_version=version) as sim:
        api = client(sim)
        spec.write_text(_provisional(result.text), encoding="utf-8")
        first = specc.check(specc.load(spec), strict=True)
        assert first.ok, [d.message for d in first.diagnostics]
        execute(specc.plan(first, read(api), scripts=False), api, _Secrets())
        provisional = spec.read_text(encoding="utf-8")
        filled = _listed(provisional, api)
        assert filled.count("address: ") == provisional.count("address: ")
        spec.write_text(filled, encoding="utf-8")
        validated = specc.check(specc.load(spec), strict=True)
        assert validated.ok, [d.message for d in validated.diagnostics]
        _check_through_api(api, config, filled)
        again = specc.plan(validated, read(api), scripts=False)
    assert changes_of(again) == []


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


def _converted(config: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    result = convert(json.dumps(config))
    return YAML(typ="safe").load(result.text), result.skipped


def _advancedsg() -> dict[str, Any]:
    return dict(read_config((HERE / "advancedsg.cfg").read_text(encoding="utf-8")))


def test_an_sg_zone_takes_its_last_range_only() -> None:
    """createZones: ``iprange = ipranges.pop()``; ``guestcidraddress`` not sent with SG;
    a pod range refused outside a Basic zone (createVlanAndPublicIpRange)."""
    config = _advancedsg()
    zone = config["zones"][0]
    first = dict(zone["ipranges"][0], startip="10.147.31.100", endip="10.147.31.109")
    zone["ipranges"].insert(0, first)
    zone["guestcidraddress"] = "10.1.1.0/24"
    zone["pods"][0]["guestIpRanges"] = [dict(first)]
    doc, skipped = _converted(config)
    (net,) = doc["zones"][0]["shared_networks"]
    assert [(r["start"], r["end"]) for r in net["ranges"]] == [("10.147.31.150", "10.147.31.159")]
    assert "guest_cidr" not in doc["zones"][0] and "guest_ranges" not in doc["zones"][0]["pods"][0]
    assert any(s.startswith("$.zones[0].ipranges[0]: not sent") for s in skipped)
    assert any(s.startswith("$.zones[0].guestcidraddress: not sent") for s in skipped)
    assert any("pods[0].guestIpRanges[0]: not converted (the server refuses" in s for s in skipped)


def test_offerings_and_ranges_by_zone_type() -> None:
    """The Basic network's offering (networkofferingname, else EIP/ELB with Public traffic)."""
    config = read_config((HERE / "basic.cfg").read_text(encoding="utf-8"))
    zone = config["zones"][0]
    zone["networkofferingname"] = "MySharedOffering"
    doc, _ = _converted(config)
    assert doc["zones"][0]["shared_networks"][0]["offering"] == "MySharedOffering"
    del zone["networkofferingname"]
    zone["physical_networks"][0]["traffictypes"].append({"typ": "Public"})
    zone["ipranges"] = [{"startip": "10.0.0.2", "endip": "10.0.0.9"}]
    doc, skipped = _converted(config)
    offering = doc["zones"][0]["shared_networks"][0]["offering"]
    assert offering == "DefaultSharedNetscalerEIPandELBNetworkOffering"
    assert "public_ranges" not in doc["zones"][0]
    assert any("ipranges[0]: not converted (the public (EIP) ranges" in s for s in skipped)
    advanced = read_config((HERE / "advanced.cfg").read_text(encoding="utf-8"))
    advanced["zones"][0]["networkofferingname"] = "MySharedOffering"
    advanced["zones"][0]["pods"][0]["guestIpRanges"] = [{"startip": "10.0.0.2"}]
    doc, skipped = _converted(advanced)
    assert "shared_networks" not in doc["zones"][0]
    assert any(s.startswith("$.zones[0].networkofferingname:") for s in skipped)
    assert any("guestIpRanges[0]: not converted (createPods ignores" in s for s in skipped)


def test_providers_and_host_urls() -> None:
    """configureProviders enables four providers; a host's address is its URL's host."""
    config = _advancedsg()
    pn = config["zones"][0]["physical_networks"][0]
    pn["providers"].append({"name": "ConfigDrive"})
    cluster = config["zones"][0]["pods"][0]["clusters"][0]
    cluster["hypervisor"] = "KVM"
    cluster["hosts"] = [{"url": "http://10.147.29.5"}, {"url": "http://kvm2.lan/x"}]
    doc, skipped = _converted(config)
    assert doc["zones"][0]["physical_networks"][0]["providers"] == [
        "VirtualRouter",
        "SecurityGroupProvider",
    ]
    assert "$.zones[0].physical_networks[0].providers[2]: configureProviders does not" in (
        " ".join(skipped)
    )
    hosts = doc["zones"][0]["pods"][0]["clusters"][0]["hosts"]
    assert [(h["address"], h.get("url")) for h in hosts] == [
        ("10.147.29.5", None),
        ("kvm2.lan", "http://kvm2.lan/x"),
    ]


def test_a_pods_vmwaredc_is_the_zones_vcenter() -> None:
    """createClusters -> addVmWareDataCenter with the pod's vmwaredc; a zone's is unused."""
    config = read_config((HERE / "advanced.cfg").read_text(encoding="utf-8"))
    zone = config["zones"][0]
    zone["vmwaredc"] = {"name": "DC0", "vcenter": "vc.lan", "username": "u", "password": "p"}
    zone["pods"][0]["vmwaredc"] = {
        "name": "DC1",
        "vcenter": "10.0.0.9",
        "username": "administrator@vsphere.local",
        "password": "s3cr3t-vc",
    }
    result = convert(json.dumps(config))
    doc = YAML(typ="safe").load(result.text)
    assert doc["zones"][0]["vcenter"] == {
        "host": "10.0.0.9",
        "datacenter": "DC1",
        "username": "administrator@vsphere.local",
        "password": {"env": "SANDBOX_SIMULATOR_VCENTER_PASSWORD"},
    }
    assert "s3cr3t-vc" not in result.text
    assert "$.zones[0].vmwaredc: createZones does not use it" in " ".join(result.skipped)
