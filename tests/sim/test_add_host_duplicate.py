"""addHost refuses an address already added (looked up in the store, not by a scan)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException

from specc.sim import running


@pytest.fixture(scope="module")
def sim() -> Iterator[Any]:
    with running(api_version="4.18") as s:
        yield s


def test_second_host_with_the_same_address_is_refused(sim: Any) -> None:
    c = CloudStack(endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key)
    zone = c.createZone(name="zd", dns1="8.8.8.8", internaldns1="10.0.0.1", networktype="Advanced")
    pod = c.createPod(
        zoneid=zone["zone"]["id"],
        name="pd",
        gateway="10.0.0.1",
        netmask="255.255.255.0",
        startip="10.0.0.10",
        endip="10.0.0.20",
    )
    site = {"zoneid": zone["zone"]["id"], "podid": pod["pod"]["id"]}
    host = {"username": "root", "hypervisor": "KVM", "clustername": "dup", **site}
    c.addHost(url="http://10.0.0.51", **host)
    c.addHost(url="http://10.0.0.52", **host)  # another address is fine
    with pytest.raises(CloudStackApiException) as err:
        c.addHost(url="http://10.0.0.51", **host)
    assert err.value.response.status_code == 530
    assert err.value.error["errortext"] == "Host 10.0.0.51 has already been added to the zone"
    assert len(c.listHosts(clustername="dup").get("host", [])) == 2
