"""The data center the Ansible targets expect, built through the API as Marvin builds it.

Upstream, the targets of ``ngine_io.cloudstack`` run against the container image
ansible/cloudstack-test-container, whose ``deploy.sh`` runs Marvin's
``tools/marvin/marvin/deployDataCenter.py -i zones.cfg`` against a fresh simulator
management server and then ``cs updateConfiguration name=hypervisor.list
value=Simulator``. :data:`ZONES` is that ``zones.cfg`` (its zones; its ``globalConfig``
tunes timers of the running server that no API answer shows, and is left out), and
:func:`deploy` makes the calls ``DeployDataCenters.createZones`` makes, in its order
(apache/cloudstack 4.18.2.5, tools/marvin/marvin/deployDataCenter.py): zone, physical
network and its traffic types, providers (``configureProviders``), physical network
enabled, then for a Basic zone the guest network of ``DefaultSharedNetworkOfferingWithSGService``
and the pods with their guest IP ranges, for an Advanced zone the pods and the public IP
ranges; each pod's clusters, hosts and primary storage; secondary storage; the zone
enabled. Only the `cs` client is used.
"""

from __future__ import annotations

from typing import Any

from cs import CloudStack

# ansible/cloudstack-test-container, zones.cfg (the zones of the image the targets ran on).
ZONES: list[dict[str, Any]] = [
    {
        "name": "Sandbox-simulator-basic",
        "dns1": "8.8.8.8",
        "internaldns1": "8.8.8.8",
        "networktype": "Basic",
        "securitygroupenabled": "true",
        "physical_networks": [
            {
                "name": "Sandbox-pnet",
                "isolationmethods": ["L3"],
                "traffictypes": ["Guest", "Management"],
                "providers": ["VirtualRouter", "SecurityGroupProvider"],
            }
        ],
        "pods": [
            {
                "name": "POD0-basic",
                "gateway": "172.16.15.1",
                "netmask": "255.255.255.0",
                "startip": "172.16.15.2",
                "endip": "172.16.15.254",
                "guestIpRanges": [
                    {
                        "startip": "60.147.41.2",
                        "endip": "60.147.41.254",
                        "netmask": "255.255.255.0",
                        "gateway": "60.147.41.1",
                    }
                ],
                "clusters": [
                    {
                        "clustername": "C0-basic",
                        "hypervisor": "simulator",
                        "clustertype": "CloudManaged",
                        "hosts": ["http://sim/c0-basic/h0", "http://sim/c0-basic/h1"],
                        "primaryStorages": [
                            ("PS0-basic", "nfs://nfsstor:/export/home/sandbox/primary")
                        ],
                    }
                ],
            }
        ],
        "secondaryStorages": ["nfs://nfsstor:/export/home/sandbox/secondary"],
    },
    {
        "name": "Sandbox-simulator-advanced",
        "dns1": "10.147.28.7",
        "internaldns1": "10.147.28.7",
        "networktype": "Advanced",
        "guestcidraddress": "10.1.1.0/24",
        "physical_networks": [
            {
                "name": "Sandbox-pnet",
                "isolationmethods": ["VLAN"],
                "vlan": "100-200",
                "traffictypes": ["Guest", "Management", "Public"],
                "providers": ["VirtualRouter", "VpcVirtualRouter", "InternalLbVm"],
            }
        ],
        "ipranges": [
            {
                "startip": "192.168.2.2",
                "endip": "192.168.2.200",
                "netmask": "255.255.255.0",
                "vlan": "50",
                "gateway": "192.168.2.1",
            }
        ],
        "pods": [
            {
                "name": "POD0-adv",
                "gateway": "172.16.15.1",
                "netmask": "255.255.255.0",
                "startip": "172.16.15.2",
                "endip": "172.16.15.200",
                "clusters": [
                    {
                        "clustername": "C0-adv",
                        "hypervisor": "simulator",
                        "clustertype": "CloudManaged",
                        "hosts": ["http://sim/c0-adv/h0", "http://sim/c0-adv/h1"],
                        "primaryStorages": [
                            ("PS0-adv", "nfs://10.147.28.7:/export/home/sandbox/primary0"),
                            ("PS1-adv", "nfs://10.147.28.7:/export/home/sandbox/primary1"),
                        ],
                    },
                    {
                        "clustername": "C1-adv",
                        "hypervisor": "simulator",
                        "clustertype": "CloudManaged",
                        "hosts": ["http://sim/c1-adv/h0"],
                        "primaryStorages": [
                            ("PS2-adv", "nfs://10.147.28.7:/export/home/sandbox/primary2")
                        ],
                    },
                ],
            }
        ],
        "secondaryStorages": ["nfs://10.147.28.7:/export/home/sandbox/secondary"],
    },
]

# What the targets name (cs_common/defaults/main.yml and the targets' own defaults).
TEMPLATE = "CentOS 5.6 (64-bit) no GUI (Simulator)"
SERVICE_OFFERING = "Small Instance"


def _configure_providers(cs: CloudStack, pnet_id: str, providers: list[str]) -> None:
    """``DeployDataCenters.configureProviders``: enable each element, then its provider."""
    for name in providers:
        found = cs.listNetworkServiceProviders(
            physicalnetworkid=pnet_id, state="Disabled", name=name
        ).get("networkserviceprovider", [])
        if not found:
            continue
        nsp_id = found[0]["id"]
        if name in ("VirtualRouter", "VpcVirtualRouter"):
            element = cs.listVirtualRouterElements(nspid=nsp_id)["virtualrouterelement"][0]
            cs.configureVirtualRouterElement(id=element["id"], enabled="true")
        elif name == "InternalLbVm":
            element = cs.listInternalLoadBalancerElements(nspid=nsp_id)[
                "internalloadbalancerelement"
            ][0]
            cs.configureInternalLoadBalancerElement(id=element["id"], enabled="true")
        cs.updateNetworkServiceProvider(id=nsp_id, state="Enabled")


def _vlan_ip_ranges(cs: CloudStack, ranges: list[dict[str, str]], **where: str) -> None:
    for rng in ranges:
        cs.createVlanIpRange(**rng, **where)


def _clusters(cs: CloudStack, zone_id: str, pod_id: str, clusters: list[dict[str, Any]]) -> None:
    """``createClusters``: each cluster, its hosts (``addHosts``), its primary storage."""
    for spec in clusters:
        cluster = cs.addCluster(
            clustername=spec["clustername"],
            clustertype=spec["clustertype"],
            hypervisor=spec["hypervisor"],
            podid=pod_id,
            zoneid=zone_id,
        )["cluster"][0]
        for url in spec["hosts"]:
            cs.addHost(
                clusterid=cluster["id"],
                hypervisor=spec["hypervisor"],
                password="password",
                podid=pod_id,
                url=url,
                username="root",
                zoneid=zone_id,
            )
        hosts = cs.listHosts(clusterid=cluster["id"], zoneid=zone_id).get("host", [])
        assert hosts and all(h["state"] == "Up" for h in hosts), hosts  # waitForHost
        for name, url in spec["primaryStorages"]:
            cs.createStoragePool(
                name=name, url=url, podid=pod_id, clusterid=cluster["id"], zoneid=zone_id
            )


def _pods(
    cs: CloudStack, zone_id: str, pods: list[dict[str, Any]], network_id: str | None = None
) -> None:
    """``createPods``: each pod, its guest IP ranges (Basic), its clusters."""
    for spec in pods:
        pod = cs.createPod(
            name=spec["name"],
            gateway=spec["gateway"],
            netmask=spec["netmask"],
            startip=spec["startip"],
            endip=spec["endip"],
            zoneid=zone_id,
        )["pod"]
        if spec.get("guestIpRanges") and network_id is not None:
            _vlan_ip_ranges(
                cs,
                spec["guestIpRanges"],
                zoneid=zone_id,
                podid=pod["id"],
                networkid=network_id,
                forvirtualnetwork="false",
            )
        _clusters(cs, zone_id, pod["id"], spec["clusters"])


def deploy_zone(cs: CloudStack, spec: dict[str, Any]) -> str:
    """One zone of ``createZones``; returns its id."""
    args = {k: spec[k] for k in ("name", "dns1", "internaldns1", "networktype") if k in spec}
    if spec.get("securitygroupenabled"):
        args["securitygroupenabled"] = spec["securitygroupenabled"]
    else:
        args["guestcidraddress"] = spec["guestcidraddress"]
    zone_id: str = cs.createZone(**args)["zone"]["id"]
    for net in spec["physical_networks"]:
        pnet = cs.createPhysicalNetwork(
            zoneid=zone_id, name=net["name"], isolationmethods=",".join(net["isolationmethods"])
        )["physicalnetwork"]
        for ttype in net["traffictypes"]:
            cs.addTrafficType(physicalnetworkid=pnet["id"], traffictype=ttype)
        _configure_providers(cs, pnet["id"], net["providers"])
        update = {"vlan": net["vlan"]} if net.get("vlan") else {}
        cs.updatePhysicalNetwork(id=pnet["id"], state="Enabled", **update)
    if spec["networktype"] == "Basic":
        offering = cs.listNetworkOfferings(name="DefaultSharedNetworkOfferingWithSGService")[
            "networkoffering"
        ][0]
        network = cs.createNetwork(
            displaytext="guestNetworkForBasicZone",
            name="guestNetworkForBasicZone",
            zoneid=zone_id,
            networkofferingid=offering["id"],
        )["network"]
        _pods(cs, zone_id, spec["pods"], network["id"])
    else:
        _pods(cs, zone_id, spec["pods"])
        _vlan_ip_ranges(cs, spec["ipranges"], zoneid=zone_id, forvirtualnetwork="true")
    for url in spec["secondaryStorages"]:
        cs.addImageStore(url=url, provider="NFS", zoneid=zone_id)
    cs.updateZone(id=zone_id, allocationstate="Enabled")
    return zone_id


def deploy(cs: CloudStack) -> None:
    """The whole ``zones.cfg``, then what ``deploy.sh`` does after Marvin.

    ``deploy.sh`` limits ``hypervisor.list`` to Simulator; that runs when the server
    knows the setting (every real one does; the simulator once it carries the settings
    registry).
    """
    for spec in ZONES:
        deploy_zone(cs, spec)
    known = cs.listConfigurations(name="hypervisor.list").get("configuration", [])
    if any(c["name"] == "hypervisor.list" for c in known):
        cs.updateConfiguration(name="hypervisor.list", value="Simulator")


if __name__ == "__main__":  # build it on the server the CLOUDSTACK_* variables name
    import cs as _cs

    deploy(CloudStack(**{**_cs.read_config(), "fetch_result": True, "poll_interval": 0.05}))
