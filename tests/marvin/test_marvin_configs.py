"""CloudStack's own Marvin data centers, written as specs, applied and checked through the API.

``specs/basic.yaml``, ``specs/advancedsg.yaml`` and ``specs/advanced.yaml`` are specs of
our own equivalent to apache/cloudstack's ``setup/dev/basic.cfg``, ``advancedsg.cfg`` and
``advanced.cfg`` (4.22.1.0),
which ``tools/marvin/marvin/deployDataCenter.py`` turns into API calls. Each test plans
the spec against a fresh simulator, applies it, and then asks the server, with the
``cs`` client only, for every field the Marvin config sets: the zone, its physical
network, traffic types and providers, the shared network and its ranges, the pod,
cluster, hosts, primary and secondary storage, and the global settings. What each
config sets that is left out is said at the top of its spec.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from cs import CloudStack

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "planning"))

from mini_cloud import client, execute, read  # noqa: E402
from plan_helpers import load_spec  # noqa: E402

from specc.planning.compiler import compile_plan  # noqa: E402
from specc.render._common import has_changes  # noqa: E402
from specc.sim import running  # noqa: E402

GLOBAL_CONFIG = {
    "storage.cleanup.interval": "300",
    "direct.agent.load.size": "1000",
    "default.page.size": "10000",
    "instance.name": "QA",
    "workers": "10",
    "vm.op.wait.interval": "5",
    "account.cleanup.interval": "600",
    "guest.domain.suffix": "sandbox.simulator",
    "expunge.delay": "60",
    "vm.allocation.algorithm": "random",
    "expunge.interval": "60",
    "expunge.workers": "3",
    "check.pod.cidrs": "true",
}


class _Secrets(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "password"


def _one(api: CloudStack, command: str, key: str, **args: Any) -> dict[str, Any]:
    items = getattr(api, command)(**args).get(key, [])
    assert len(items) == 1, (command, args, items)
    return dict(items[0])


def _apply(name: str, version: str) -> Any:
    spec = load_spec(HERE / "specs" / f"{name}.yaml")[0]
    sim = running(api_version=version)
    return spec, sim


def _deploy(spec: Any, api: CloudStack) -> None:
    plan = compile_plan(spec, read(api), spec_hash="sha256:marvin")
    execute(plan, api, _Secrets())
    again = compile_plan(spec, read(api), spec_hash="sha256:marvin")
    assert not has_changes(again), [c for c in again.changes if c.action != "noop"]


def _check_settings(api: CloudStack, extra: dict[str, str]) -> None:
    for name, value in {**GLOBAL_CONFIG, **extra}.items():
        listed = [
            c for c in api.listConfigurations(name=name)["configuration"] if c["name"] == name
        ]
        assert listed and listed[0]["value"] == value, (name, listed)


def _check_storage(api: CloudStack, zone: dict[str, Any], primary: str, secondary: str) -> None:
    pool = _one(api, "listStoragePools", "storagepool", zoneid=zone["id"], name="PS0")
    assert pool["type"] == "NetworkFilesystem" and pool["scope"] == "CLUSTER"
    assert [pool["ipaddress"], pool["path"]] == primary.split(":", 1)
    assert pool["clustername"] == "C0"
    store = _one(api, "listImageStores", "imagestore", zoneid=zone["id"])
    assert store["providername"] == "NFS"
    host, path = secondary.split(":", 1)
    assert store["url"] in (f"nfs://{host}{path}", f"nfs://{host}:{path}")


@pytest.mark.parametrize("version", ["4.18", "4.22"])
def test_basic_cfg(version: str) -> None:
    spec, sim_cm = _apply("basic", version)
    with sim_cm as sim:
        api = client(sim)
        _deploy(spec, api)
        zone = _one(api, "listZones", "zone", name="Sandbox-simulator")
        assert zone["networktype"] == "Basic" and zone["securitygroupsenabled"] is True
        assert (zone["dns1"], zone["internaldns1"]) == ("8.8.8.8", "8.8.8.8")
        assert zone["allocationstate"] == "Enabled"
        pnet = _one(api, "listPhysicalNetworks", "physicalnetwork", zoneid=zone["id"])
        assert (pnet["name"], pnet["isolationmethods"], pnet["state"]) == (
            "Sandbox-pnet",
            "L3",
            "Enabled",
        )
        assert pnet["broadcastdomainrange"] == "POD"
        types = api.listTrafficTypes(physicalnetworkid=pnet["id"])["traffictype"]
        assert {"Guest", "Management"} <= {t["traffictype"] for t in types}
        providers = api.listNetworkServiceProviders(physicalnetworkid=pnet["id"])
        states = {p["name"]: p["state"] for p in providers["networkserviceprovider"]}
        assert states["VirtualRouter"] == states["SecurityGroupProvider"] == "Enabled"
        pod = _one(api, "listPods", "pod", zoneid=zone["id"], name="POD0")
        assert (pod["gateway"], pod["netmask"]) == ("172.16.15.1", "255.255.255.0")
        assert (pod["startip"][0], pod["endip"][0]) == ("172.16.15.2", "172.16.15.254")
        net = _one(api, "listNetworks", "network", zoneid=zone["id"], listall=True, type="Shared")
        assert net["networkofferingname"] == "DefaultSharedNetworkOfferingWithSGService"
        rng = _one(api, "listVlanIpRanges", "vlaniprange", networkid=net["id"])
        assert (rng["startip"], rng["endip"], rng["gateway"], rng["netmask"]) == (
            "60.147.41.2",
            "60.147.41.254",
            "60.147.41.1",
            "255.255.255.0",
        )
        assert rng["podid"] == pod["id"] and rng["forvirtualnetwork"] is False
        cluster = _one(api, "listClusters", "cluster", zoneid=zone["id"], name="C0")
        assert (cluster["hypervisortype"], cluster["clustertype"]) == ("Simulator", "CloudManaged")
        hosts = api.listHosts(clusterid=cluster["id"], type="Routing")["host"]
        assert len(hosts) == 2 and all(h["state"] == "Up" for h in hosts)
        _check_storage(
            api,
            zone,
            "nfsstor:/export/home/sandbox/primary",
            "nfsstor:/export/home/sandbox/secondary",
        )
        _check_settings(
            api,
            {
                "secstorage.allowed.internal.sites": "172.16.15.0/24",
                "enable.dynamic.scale.vm": "true",
            },
        )


@pytest.mark.parametrize("version", ["4.18", "4.22"])
def test_advancedsg_cfg(version: str) -> None:
    spec, sim_cm = _apply("advancedsg", version)
    with sim_cm as sim:
        api = client(sim)
        _deploy(spec, api)
        zone = _one(api, "listZones", "zone", name="Sandbox-Simulator")
        assert zone["networktype"] == "Advanced" and zone["securitygroupsenabled"] is True
        assert (zone["dns1"], zone["internaldns1"]) == ("10.147.28.6", "10.147.28.6")
        pnet = _one(api, "listPhysicalNetworks", "physicalnetwork", zoneid=zone["id"])
        assert (pnet["name"], pnet["isolationmethods"], pnet["tags"]) == (
            "Sandbox-pnet",
            "VLAN",
            "cloud-simulator-pnet",
        )
        types = {
            t["traffictype"]
            for t in api.listTrafficTypes(physicalnetworkid=pnet["id"])["traffictype"]
        }
        assert {"Guest", "Management"} <= types and "Public" not in types
        providers = api.listNetworkServiceProviders(physicalnetworkid=pnet["id"])
        states = {p["name"]: p["state"] for p in providers["networkserviceprovider"]}
        assert states["VirtualRouter"] == states["SecurityGroupProvider"] == "Enabled"
        net = _one(api, "listNetworks", "network", zoneid=zone["id"], listall=True, type="Shared")
        assert net["name"] == net["displaytext"] == "Shared SG enabled network"
        assert net["networkofferingname"] == "DefaultSharedNetworkOfferingWithSGService"
        assert (net["gateway"], net["netmask"], net["vlan"]) == (
            "10.147.31.1",
            "255.255.255.0",
            "31",
        )
        rng = _one(api, "listVlanIpRanges", "vlaniprange", networkid=net["id"])
        assert (rng["startip"], rng["endip"], rng["gateway"]) == (
            "10.147.31.150",
            "10.147.31.159",
            "10.147.31.1",
        )
        assert rng["vlan"] == "vlan://31" and rng["forvirtualnetwork"] is False
        pod = _one(api, "listPods", "pod", zoneid=zone["id"], name="POD0")
        assert (pod["startip"][0], pod["endip"][0]) == ("10.147.29.150", "10.147.29.159")
        cluster = _one(api, "listClusters", "cluster", zoneid=zone["id"], name="C0")
        assert cluster["hypervisortype"] == "Simulator"
        (host,) = api.listHosts(clusterid=cluster["id"], type="Routing")["host"]
        assert host["state"] == "Up"
        _check_storage(
            api,
            zone,
            "10.147.28.6:/export/home/sandbox/primary",
            "10.147.28.6:/export/home/sandbox/sstor",
        )
        _check_settings(api, {"secstorage.allowed.internal.sites": "10.147.28.0/24"})


@pytest.mark.parametrize("version", ["4.18", "4.22"])
def test_advanced_cfg(version: str) -> None:
    spec, sim_cm = _apply("advanced", version)
    with sim_cm as sim:
        api = client(sim)
        _deploy(spec, api)
        zone = _one(api, "listZones", "zone", name="Sandbox-simulator")
        assert zone["networktype"] == "Advanced" and not zone["securitygroupsenabled"]
        assert zone["guestcidraddress"] == "10.1.1.0/24"
        assert (zone["dns1"], zone["internaldns1"]) == ("10.147.28.6", "10.147.28.6")
        pnet = _one(api, "listPhysicalNetworks", "physicalnetwork", zoneid=zone["id"])
        assert (pnet["name"], pnet["isolationmethods"], pnet["vlan"]) == (
            "Sandbox-pnet",
            "VLAN",
            "100-200",
        )
        listed = api.listTrafficTypes(physicalnetworkid=pnet["id"])["traffictype"]
        assert {"Guest", "Management", "Public"} <= {t["traffictype"] for t in listed}
        providers = api.listNetworkServiceProviders(physicalnetworkid=pnet["id"])
        states = {p["name"]: p["state"] for p in providers["networkserviceprovider"]}
        assert {states[n] for n in ("VirtualRouter", "VpcVirtualRouter", "InternalLbVm")} == {
            "Enabled"
        }
        rng = _one(api, "listVlanIpRanges", "vlaniprange", zoneid=zone["id"])
        assert (rng["startip"], rng["endip"], rng["gateway"], rng["netmask"], rng["vlan"]) == (
            "192.168.2.2",
            "192.168.2.200",
            "192.168.2.1",
            "255.255.255.0",
            "vlan://50",
        )
        assert rng["forvirtualnetwork"] is True
        pod = _one(api, "listPods", "pod", zoneid=zone["id"], name="POD0")
        assert (pod["startip"][0], pod["endip"][0]) == ("172.16.15.2", "172.16.15.200")
        for cluster_name, pools in (("C0", {"PS0", "PS1"}), ("C1", {"PS2", "PS3"})):
            cluster = _one(api, "listClusters", "cluster", zoneid=zone["id"], name=cluster_name)
            assert cluster["hypervisortype"] == "Simulator"
            hosts = api.listHosts(clusterid=cluster["id"], type="Routing")["host"]
            assert len(hosts) == 2 and all(h["state"] == "Up" for h in hosts)
            listed_pools = api.listStoragePools(clusterid=cluster["id"])["storagepool"]
            assert {p["name"] for p in listed_pools} == pools
        paths = {
            p["name"]: p["path"] for p in api.listStoragePools(zoneid=zone["id"])["storagepool"]
        }
        assert paths == {f"PS{i}": f"/export/home/sandbox/primary{i}" for i in range(4)}
        store = _one(api, "listImageStores", "imagestore", zoneid=zone["id"])
        assert store["url"] == "nfs://10.147.28.6/export/home/sandbox/secondary"
        advanced = {
            "network.gc.wait": "20",
            "storage.cleanup.interval": "40",
            "default.page.size": "500",
            "network.gc.interval": "20",
            "account.cleanup.interval": "20",
            "expunge.delay": "20",
            "expunge.interval": "20",
            "secstorage.allowed.internal.sites": "10.147.28.0/24",
            "enable.dynamic.scale.vm": "true",
            "ping.interval": "10",
        }
        for name, value in {**GLOBAL_CONFIG, **advanced}.items():
            listed_cfg = api.listConfigurations(name=name)["configuration"]
            (item,) = [c for c in listed_cfg if c["name"] == name]
            assert item["value"] == value, (name, item["value"])
        (timeout,) = [
            c
            for c in api.listConfigurations(name="ping.timeout")["configuration"]
            if c["name"] == "ping.timeout"
        ]
        assert float(timeout["value"]) == 2.0


def test_a_store_written_the_marvin_way_matches_its_spec() -> None:
    """``nfs://host:/path`` (Marvin's form) is the spec's ``nfs://host/path``: no diff."""
    spec = load_spec(HERE / "specs" / "advancedsg.yaml")[0]
    with running() as sim:
        api = client(sim)
        _deploy(spec, api)
        zone = _one(api, "listZones", "zone", name="Sandbox-Simulator")
        store = _one(api, "listImageStores", "imagestore", zoneid=zone["id"])
        sim.tamper("imagestore", store["id"], url="nfs://10.147.28.6:/export/home/sandbox/sstor")
        assert _one(api, "listImageStores", "imagestore", zoneid=zone["id"])["url"].count(":/") == 2
        plan = compile_plan(spec, read(api), spec_hash="sha256:marvin")
        assert not has_changes(plan)
        sim.tamper("imagestore", store["id"], url="nfs://10.147.28.7:/export/home/sandbox/sstor")
        drifted = compile_plan(spec, read(api), spec_hash="sha256:marvin")
        (change,) = [c for c in drifted.changes if c.action != "noop"]
        assert [f.field for f in change.fields] == ["url"]
