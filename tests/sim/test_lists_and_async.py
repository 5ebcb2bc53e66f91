"""Lists (filters, paging, count, empty), async jobs, API versions, capabilities."""

from __future__ import annotations

import time
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import ZONE, client, raw_call

from specc.sim import Simulator, running


def zone(cs: CloudStack, name: str, **kw: Any) -> dict[str, Any]:
    made: dict[str, Any] = cs.createZone(**{**ZONE, "name": name, **kw})["zone"]
    return made


def test_paging_count_and_filters(cs: CloudStack) -> None:
    for i in range(7):
        zone(cs, f"zone-{i}", networktype="Basic" if i % 2 else "Advanced")
    page3 = cs._request("listZones", page=3, pagesize=3)
    assert page3["count"] == 7
    assert [z["name"] for z in page3["zone"]] == ["zone-6"]
    assert cs.listZones(networktype="Basic")["count"] == 3
    assert cs.listZones(keyword="ZONE-1")["count"] == 1
    assert cs.listZones(name="zone-4")["zone"][0]["name"] == "zone-4"
    assert cs.listZones(name="nothing") == {}
    # fetch_list pages through with pagesize=500 as clients do
    assert len(cs.listZones(fetch_list=True)) == 7


def test_paging_limits(sim: Simulator) -> None:
    status, body = raw_call(sim, "listZones", pagesize="501")
    assert status == 431
    assert body["listzonesresponse"]["errortext"] == (
        "Page size can't exceed max allowed page size value: 500"
    )
    status, body = raw_call(sim, "listZones", page="2")
    assert status == 431
    assert body["listzonesresponse"]["cserrorcode"] == 4350
    assert raw_call(sim, "listZones", page="2", pagesize="500") == (200, {"listzonesresponse": {}})


def test_async_job_completes_after_the_latency() -> None:
    with running(latency_ms=100) as sim:
        raw = client(sim, fetch_result=False)
        z = zone(raw, "z")
        started = time.monotonic()
        answer = raw.createPhysicalNetwork(zoneid=z["id"], name="pn")
        assert set(answer) == {"jobid", "id"}
        pending = raw.queryAsyncJobResult(jobid=answer["jobid"])
        assert pending["jobstatus"] == 0
        assert "jobresult" not in pending
        while raw.queryAsyncJobResult(jobid=answer["jobid"])["jobstatus"] == 0:
            time.sleep(0.05)
        assert time.monotonic() - started >= 0.3
        done = raw.queryAsyncJobResult(jobid=answer["jobid"])
        assert done["jobstatus"] == 1
        assert done["jobresult"]["physicalnetwork"]["id"] == answer["id"]
        jobs = raw.listAsyncJobs()["asyncjobs"]
        assert answer["jobid"] in [j["jobid"] for j in jobs]


def test_a_failing_job_reports_status_2(cs: CloudStack) -> None:
    z = zone(cs, "z")
    pn = cs.createPhysicalNetwork(zoneid=z["id"], name="pn")["physicalnetwork"]
    vr = cs.listNetworkServiceProviders(physicalnetworkid=pn["id"], name="VirtualRouter")
    with pytest.raises(CloudStackApiException) as err:  # its router element is not enabled
        cs.updateNetworkServiceProvider(id=vr["networkserviceprovider"][0]["id"], state="Enabled")
    assert err.value.error == {
        "errorcode": 530,
        "errortext": "Provider is not ready, cannot Enable the provider, "
        "please configure the provider first",
    }
    jobs = cs.listAsyncJobs()["asyncjobs"]
    assert [j["jobstatus"] for j in jobs].count(2) == 1


def test_async_create_commands_fail_before_their_job(cs: CloudStack) -> None:
    z = zone(cs, "z")
    pn = cs.createPhysicalNetwork(zoneid=z["id"], name="pn")["physicalnetwork"]
    cs.addTrafficType(physicalnetworkid=pn["id"], traffictype="Guest")
    with pytest.raises(CloudStackApiException) as err:
        cs.addTrafficType(physicalnetworkid=pn["id"], traffictype="Guest")
    assert err.value.error["errorcode"] == 530  # an HTTP error, as addTrafficType creates first
    assert err.value.response.status_code == 530
    assert err.value.error["errortext"] == (
        "This physical network already supports the traffic type: Guest"
    )


def test_fields_of_newer_versions_are_left_out() -> None:
    with running(api_version="4.18") as sim:
        c = client(sim)
        assert c.listCapabilities()["capability"]["cloudstackversion"] == "4.18.0.0"
        os_types = c.listOsTypes()["ostype"]
        assert "name" not in os_types[0]
        names = {api["name"] for api in c.listApis()["api"]}
        z = zone(c, "z")
        assert "storageaccessgroups" not in z
        zone(c, "other")
        assert c.listZones(ids=z["id"])["count"] == 2  # not a 4.18 parameter: ignored
    with running(api_version="4.22") as sim:
        c = client(sim)
        assert c.listCapabilities()["capability"]["cloudstackversion"] == "4.22.1.0"
        assert "name" in c.listOsTypes()["ostype"][0]
        z = zone(c, "z", storageaccessgroups="sag1")
        assert z["storageaccessgroups"] == "sag1"
        zone(c, "other")
        assert c.listZones(ids=z["id"])["count"] == 1
        assert {api["name"] for api in c.listApis()["api"]} >= names


def test_a_fresh_server_has_the_builtins(cs: CloudStack) -> None:
    descriptions = {o["description"] for o in cs.listOsTypes(fetch_list=True)}
    assert {
        "CentOS 7",
        "Ubuntu 22.04 LTS",
        "Other Linux (64-bit)",
        "Windows Server 2022 (64-bit)",
    } <= descriptions
    assert cs.listZones() == {}
    assert cs.listPods() == {}


def test_tamper_changes_what_the_api_shows(sim: Simulator) -> None:
    c = client(sim)
    z = zone(c, "z")
    sim.tamper("zone", z["id"], dns1="9.9.9.9", type=None)
    shown = c.listZones(id=z["id"])["zone"][0]
    assert shown["dns1"] == "9.9.9.9"
    assert "type" not in shown


def test_call_count_counts_served_calls_only() -> None:
    with running(seed="devcloud") as sim:
        assert sim.call_count == 0  # building the seed does not count
        c = client(sim)
        c.listZones()
        c.listPods()
        assert sim.call_count == 2
