"""Offerings, templates, ISOs, OS types and configurations through HTTP with `cs`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException

from specc.sim import running

SHA = "{SHA-256}" + "ab" * 32


def client(sim: Any) -> CloudStack:
    return CloudStack(
        endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key, fetch_result=True
    )


def api_error(call: Any, **params: Any) -> tuple[int, str]:
    with pytest.raises(CloudStackApiException) as err:
        call(**params)
    return err.value.response.status_code, err.value.error["errortext"]


@pytest.fixture(scope="module")
def sim() -> Iterator[Any]:
    with running(api_version="4.18", seed="devcloud") as s:
        yield s


@pytest.fixture(scope="module")
def ids(sim: Any) -> dict[str, str]:
    c = client(sim)
    zone = c.listZones()["zone"][0]
    ubuntu = c.listOsTypes(description="Ubuntu 22.04")["ostype"][0]
    return {"zoneid": zone["id"], "ostypeid": ubuntu["id"]}


# -- offerings ---------------------------------------------------------------------------


def test_disk_offering_read_back(sim: Any, ids: dict[str, str]) -> None:
    c = client(sim)
    made = c.createDiskOffering(
        name="rbd-100",
        displaytext="RBD 100 GB",
        disksize=100,
        tags="RBD, ssd",
        provisioningtype="sparse",
        customizediops="false",
        miniops=500,
        maxiops=1000,
        bytesreadrate=10485760,
        hypervisorsnapshotreserve=200,
        zoneid=ids["zoneid"],
    )["diskoffering"]
    listed = c.listDiskOfferings(id=made["id"])["diskoffering"][0]
    for o in (made, listed):
        assert (o["disksize"], o["tags"], o["provisioningtype"]) == (100, "RBD,ssd", "sparse")
        assert (o["iscustomizediops"], o["miniops"], o["maxiops"]) == (False, 500, 1000)
        assert o["diskBytesReadRate"] == 10485760
        assert o["hypervisorsnapshotreserve"] == 200
        assert o["zoneid"] == ids["zoneid"] and o["zone"] == "Sandbox-simulator"
        assert o["storagetype"] == "shared" and o["iscustomized"] is False
        assert "state" not in o  # a 4.22 field
    assert c.listDiskOfferings(name="rbd-100", zoneid=ids["zoneid"])["count"] == 1


def test_disk_offering_iops_ignored_without_customizediops(sim: Any) -> None:
    c = client(sim)
    made = c.createDiskOffering(
        name="qos-ignored", displaytext="x", disksize=10, miniops=500, maxiops=1000
    )["diskoffering"]
    assert "miniops" not in made and "maxiops" not in made


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"disksize": 0}, "Please specify a disk size of at least 1 GB."),
        ({}, "Disksize is required for a non-customized disk offering"),
        (
            {"customized": "true", "disksize": 5},
            "Disksize is not allowed for a customized disk offering",
        ),
        (
            {"disksize": 5, "storagetype": "san"},
            "Invalid storage type san specified, valid types are: 'local' and 'shared'",
        ),
        (
            {"disksize": 5, "customizediops": "false", "miniops": 900, "maxiops": 100},
            "The min IOPS must be less than or equal to the max IOPS.",
        ),
    ],
)
def test_disk_offering_errors(sim: Any, params: dict[str, Any], text: str) -> None:
    c = client(sim)
    assert api_error(c.createDiskOffering, name="bad", displaytext="bad", **params) == (431, text)


def test_disk_offering_update_and_delete(sim: Any) -> None:
    c = client(sim)
    made = c.createDiskOffering(name="upd", displaytext="Upd", disksize=20)["diskoffering"]
    updated = c.updateDiskOffering(id=made["id"], tags="NFS", displaytext="Updated")
    assert updated["diskoffering"]["tags"] == "NFS"
    assert updated["diskoffering"]["displaytext"] == "Updated"
    assert c.deleteDiskOffering(id=made["id"]) == {"success": True}
    assert c.listDiskOfferings(id=made["id"]) == {}


def test_service_offering_read_back(sim: Any) -> None:
    c = client(sim)
    made = c.createServiceOffering(
        name="m1.rbd",
        displaytext="2 vCPU, 4 GB, RBD",
        cpunumber=2,
        cpuspeed=2000,
        memory=4096,
        tags="RBD",
        hosttags="ceph",
        offerha="true",
        limitcpuuse="true",
    )["serviceoffering"]
    listed = c.listServiceOfferings(id=made["id"])["serviceoffering"][0]
    for o in (made, listed):
        assert (o["cpunumber"], o["cpuspeed"], o["memory"]) == (2, 2000, 4096)
        assert (o["storagetags"], o["hosttags"]) == ("RBD", "ceph")
        assert (o["offerha"], o["limitcpuuse"], o["iscustomized"]) == (True, True, False)
        assert "tags" not in o
    names = {o["name"] for o in c.listServiceOfferings()["serviceoffering"]}
    assert "m1.rbd" in names and "System Offering For Software Router" not in names
    system = c.listServiceOfferings(issystem="true")["serviceoffering"]
    assert all(o["issystem"] for o in system)
    updated = c.updateServiceOffering(id=made["id"], storagetags="RBD,fast", hosttags="")
    assert updated["serviceoffering"]["storagetags"] == "RBD,fast"
    assert "hosttags" not in updated["serviceoffering"]
    assert c.deleteServiceOffering(id=made["id"]) == {"success": True}


def test_service_offering_errors(sim: Any) -> None:
    c = client(sim)
    assert api_error(
        c.createServiceOffering, name="tiny", displaytext="t", cpunumber=1, cpuspeed=100, memory=16
    ) == (
        431,
        "Failed to create service offering tiny: specify the memory value between 32 and "
        "2147483647 MB",
    )
    router = c.listServiceOfferings(issystem="true", name="System Offering For Software Router")
    assert api_error(c.deleteServiceOffering, id=router["serviceoffering"][0]["id"]) == (
        431,
        "Default service offerings cannot be deleted",
    )


# -- templates and ISOs ------------------------------------------------------------------


def test_template_becomes_ready_after_polls(sim: Any, ids: dict[str, str]) -> None:
    c = client(sim)
    reg = c.registerTemplate(
        name="ubuntu-22",
        displaytext="Ubuntu 22.04",
        url="http://images.lan/ubuntu-22.04.qcow2",
        format="qcow2",
        hypervisor="KVM",
        checksum=SHA,
        **ids,
    )
    assert reg["count"] == 1  # registerTemplate answers with a list, as the real one does
    tmpl = reg["template"][0]
    assert (tmpl["isready"], tmpl["format"], tmpl["templatetype"]) == (False, "QCOW2", "USER")
    assert tmpl["zoneid"] == ids["zoneid"] and tmpl["checksum"] == SHA
    first = c.listTemplates(templatefilter="self", id=tmpl["id"])["template"][0]
    assert first["isready"] is False and first["status"].endswith("% Downloaded")
    ready = c.listTemplates(templatefilter="self", id=tmpl["id"])["template"][0]
    assert (ready["isready"], ready["status"]) == (True, "Download Complete")
    assert c.listTemplates(templatefilter="executable", id=tmpl["id"])["count"] == 1
    assert c.listTemplates(templatefilter="featured", id=tmpl["id"]) == {}
    assert c.listTemplates(templatefilter="self", hypervisor="VMware", id=tmpl["id"]) == {}


def test_template_ready_after_time(sim: Any, ids: dict[str, str]) -> None:
    c = client(sim)
    tmpl = c.registerTemplate(
        name="slow",
        displaytext="s",
        url="http://images.lan/s.qcow2",
        format="QCOW2",
        hypervisor="KVM",
        **ids,
    )["template"][0]
    sim.tamper("template", tmpl["id"], _ready_at=time.time() - 1)
    listed = c.listTemplates(templatefilter="self", id=tmpl["id"])["template"][0]
    assert listed["isready"] is True


def test_direct_download_template_ready_at_once(sim: Any, ids: dict[str, str]) -> None:
    c = client(sim)
    tmpl = c.registerTemplate(
        name="dd",
        displaytext="direct",
        url="https://images.lan/dd.qcow2",
        format="QCOW2",
        hypervisor="KVM",
        directdownload="true",
        checksum="d41d8cd98f00b204e9800998ecf8427e",
        **ids,
    )["template"][0]
    assert (tmpl["isready"], tmpl["directdownload"]) == (True, True)
    assert tmpl["status"] == "Bypassed Secondary Storage"


def test_template_all_zones_and_update_and_delete(sim: Any, ids: dict[str, str]) -> None:
    c = client(sim)
    tmpl = c.registerTemplate(
        name="everywhere",
        displaytext="e",
        url="http://images.lan/e.qcow2",
        format="QCOW2",
        hypervisor="KVM",
        zoneid="-1",
        ostypeid=ids["ostypeid"],
    )["template"][0]
    assert tmpl["crossZones"] is True
    upd = c.updateTemplate(id=tmpl["id"], displaytext="renamed", passwordenabled="true")
    assert upd["template"]["displaytext"] == "renamed"
    assert upd["template"]["passwordenabled"] is True
    assert c.deleteTemplate(id=tmpl["id"]) == {"success": True}
    assert c.listTemplates(templatefilter="all", id=tmpl["id"]) == {}


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"checksum": "sha256:abc"}, "Invalid checksum: sha256:abc"),
        ({"format": "IMG"}, "Image format: IMG is incorrect."),
        ({"url": "file:///tmp/x.qcow2"}, "File:// type urls are currently unsupported"),
        ({"name": "SystemVM Template (KVM)"}, "Cannot use reserved names for templates"),
        (
            {"hypervisor": "VMware", "format": "OVA", "directdownload": "true"},
            "Parameter directdownload is only allowed for KVM templates",
        ),
        ({"ostypeid": None}, "Please provide a guest OS type"),
        ({"zoneid": None}, "Either zoneid or zoneids is required. Both cannot be null."),
        ({"hypervisor": "ESXi"}, "Hypervisor Type: ESXi is invalid."),
    ],
)
def test_register_template_errors(
    sim: Any, ids: dict[str, str], params: dict[str, Any], text: str
) -> None:
    c = client(sim)
    call: dict[str, Any] = {
        "name": "bad",
        "displaytext": "bad",
        "url": "http://images.lan/bad.qcow2",
        "format": "QCOW2",
        "hypervisor": "KVM",
        **ids,
    }
    call.update(params)
    call = {k: v for k, v in call.items() if v is not None}
    status, got = api_error(c.registerTemplate, **call)
    assert status == 431 and got.startswith(text)


def test_templatefilter_is_required_and_checked(sim: Any) -> None:
    c = client(sim)
    assert api_error(c.listTemplates) == (
        431,
        "Unable to execute API command listtemplates due to missing parameter templatefilter",
    )
    assert api_error(c.listTemplates, templatefilter="mine")[0] == 431
    system = c.listTemplates(templatefilter="all")["template"]
    assert any(t["templatetype"] == "SYSTEM" for t in system)


def test_iso_lifecycle(sim: Any, ids: dict[str, str]) -> None:
    c = client(sim)
    iso = c.registerIso(
        name="netinst", displaytext="Debian netinst", url="http://images.lan/d.iso", **ids
    )["iso"][0]
    assert (iso["format"], iso["bootable"], iso["isready"]) == ("ISO", True, False)
    c.listIsos(id=iso["id"])
    assert c.listIsos(id=iso["id"])["iso"][0]["isready"] is True
    assert c.deleteIso(id=iso["id"]) == {"success": True}
    assert c.listIsos(id=iso["id"]) == {}


def test_os_types(sim: Any) -> None:
    c = client(sim)
    found = c.listOsTypes(description="windows server")["ostype"]
    assert {o["description"] for o in found} >= {"Windows Server 2022 (64-bit)"}
    one = c.listOsTypes(id=found[0]["id"])
    assert one["count"] == 1 and "name" not in one["ostype"][0]  # name is a 4.22 field


# -- configurations ----------------------------------------------------------------------


def test_configurations(sim: Any, ids: dict[str, str]) -> None:
    """A global value, and a value per zone of a Zone setting (use.external.dns).

    storage.overprovisioning.factor is StoragePool scoped (CapacityManager), so the
    server refuses it per zone (validateConfigurationValue: "Invalid scope id").
    """
    c = client(sim)
    found = c.listConfigurations(name="storage.overprovisioning.factor")["configuration"]
    assert found[0]["value"] == "2"
    updated = c.updateConfiguration(name="storage.overprovisioning.factor", value="3")
    assert updated["configuration"]["value"] == "3"
    assert api_error(
        c.updateConfiguration,
        name="storage.overprovisioning.factor",
        value="4",
        zoneid=ids["zoneid"],
    ) == (431, "Invalid scope id provided for the parameter storage.overprovisioning.factor")
    zoned = c.updateConfiguration(name="use.external.dns", value="true", zoneid=ids["zoneid"])[
        "configuration"
    ]
    assert (zoned["value"], zoned["scope"]) == ("true", "zone")
    assert (
        c.listConfigurations(name="storage.overprovisioning.factor")["configuration"][0]["value"]
        == "3"
    )
    by_zone = c.listConfigurations(name="use.external.dns", zoneid=ids["zoneid"])
    assert by_zone["configuration"][0]["value"] == "true"
    assert c.listConfigurations(category="Storage")["count"] >= 1
    assert api_error(c.updateConfiguration, name="no.such.setting", value="1") == (
        431,
        "Config parameter with name no.such.setting doesn't exist",
    )
    assert api_error(c.updateConfiguration, name="storage.cleanup.enabled", value="yes") == (
        431,
        "Please enter either 'true' or 'false'.",
    )
    assert api_error(c.updateConfiguration, name="expunge.delay", value="soon")[0] == 431
