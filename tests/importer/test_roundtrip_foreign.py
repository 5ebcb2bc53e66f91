"""The round trip on clouds specc did not build: Ansible-style ``cs`` calls, and Marvin.

- An Ansible-style cloud: the calls the ``ngine_io.cloudstack`` modules make, in
  the order a playbook would (offerings and templates first, the zone last enabled),
  with the server's defaults left out, and storage tags added afterwards with
  ``updateStoragePool`` as ``cs_storage_pool`` does when only the tags change.
- A Marvin cloud: the advanced zone of the Ansible test container's ``zones.cfg``,
  built the way apache/cloudstack ``tools/marvin/marvin/deployDataCenter.py``
  (``DeployDataCenters.createZones``) builds it (tests/conformance/marvin_dc.py).

Each is read with specc's reader, imported, filled and planned again: no change.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cs import CloudStack
from import_helpers import changes_of, round_trip
from mini_cloud import client, read

from specc.sim import running

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
import marvin_dc


def _ansible_style(api: CloudStack) -> None:
    api.createServiceOffering(
        name="web", displaytext="web", cpunumber=2, cpuspeed=2000, memory=2048
    )
    api.createDiskOffering(name="data-20", displaytext="20 GB data", disksize=20, tags="ssd")
    zone = api.createZone(
        name="ansible-zone", dns1="8.8.8.8", internaldns1="10.0.0.2", networktype="Advanced"
    )["zone"]
    pnet = api.createPhysicalNetwork(zoneid=zone["id"], name="pnet1")["physicalnetwork"]
    for traffic in ("Management", "Guest", "Public"):
        api.addTrafficType(physicalnetworkid=pnet["id"], traffictype=traffic)
    api.updatePhysicalNetwork(id=pnet["id"], state="Enabled", vlan="300-399")
    nsp = api.listNetworkServiceProviders(physicalnetworkid=pnet["id"], name="VirtualRouter")
    nsp_id = nsp["networkserviceprovider"][0]["id"]
    element = api.listVirtualRouterElements(nspid=nsp_id)["virtualrouterelement"][0]
    api.configureVirtualRouterElement(id=element["id"], enabled="true")
    api.updateNetworkServiceProvider(id=nsp_id, state="Enabled")
    pod = api.createPod(
        zoneid=zone["id"],
        name="pod1",
        gateway="10.0.0.1",
        netmask="255.255.255.0",
        startip="10.0.0.100",
        endip="10.0.0.150",
    )["pod"]
    api.createVlanIpRange(
        zoneid=zone["id"],
        forvirtualnetwork="true",
        gateway="198.51.100.1",
        netmask="255.255.255.0",
        startip="198.51.100.10",
        endip="198.51.100.50",
        vlan="untagged",
    )
    cluster = api.addCluster(
        zoneid=zone["id"],
        podid=pod["id"],
        clustername="kvm1",
        clustertype="CloudManaged",
        hypervisor="KVM",
    )["cluster"][0]
    for address in ("10.0.0.11", "10.0.0.12"):
        api.addHost(
            zoneid=zone["id"],
            podid=pod["id"],
            clusterid=cluster["id"],
            hypervisor="KVM",
            url=f"http://{address}",
            username="root",
            password="secret",
        )
    pool = api.createStoragePool(
        zoneid=zone["id"],
        podid=pod["id"],
        clusterid=cluster["id"],
        name="primary1",
        url="nfs://10.0.0.20/export/primary",
    )["storagepool"]
    api.updateStoragePool(id=pool["id"], tags="ssd")
    api.addImageStore(
        name="secondary1", provider="NFS", zoneid=zone["id"], url="nfs://10.0.0.21/export/secondary"
    )
    ostype = api.listOsTypes(description="CentOS 7")["ostype"][0]["id"]
    api.registerTemplate(
        name="centos7",
        displaytext="centos7",
        url="http://images.example.org/centos7.qcow2",
        format="QCOW2",
        hypervisor="KVM",
        ostypeid=ostype,
        zoneid="-1",
    )
    api.updateZone(id=zone["id"], allocationstate="Enabled")
    api.updateConfiguration(name="expunge.delay", value="600")


def test_ansible_style_cloud_round_trips(tmp_path: Path) -> None:
    with running() as sim:
        api = client(sim)
        _ansible_style(api)
        live = read(api)
    plan = round_trip(live, tmp_path / "spec")
    assert changes_of(plan) == []
    kinds = {c.resource.kind for c in plan.changes}
    assert {"zone", "pod", "host", "storagepool", "imagestore", "template"} <= kinds
    assert {"serviceoffering", "diskoffering", "configuration"} <= kinds
    text = (tmp_path / "spec" / "spec.yaml").read_text()
    assert "tags: [ssd]" in text and "expunge.delay: 600" in text


def test_marvin_cloud_round_trips(tmp_path: Path) -> None:
    with running() as sim:
        api = client(sim)
        marvin_dc.deploy_zone(api, marvin_dc.ZONES[1])
        api.updateConfiguration(name="hypervisor.list", value="Simulator")
        live = read(api)
    # SPC316 is about the cloud: the simulator's hosts take addresses of the pod's range.
    plan = round_trip(live, tmp_path / "spec", cloud_findings=frozenset({"SPC316"}))
    assert changes_of(plan) == []
    pools = {c.resource.key[-1] for c in plan.changes if c.resource.kind == "storagepool"}
    assert pools == {"PS0-adv", "PS1-adv", "PS2-adv"}
    assert "hypervisor.list: Simulator" in (tmp_path / "spec" / "spec.yaml").read_text()
