"""The simulator's PowerFlex provider, through the HTTP path with the real `cs` client.

Each test names the apache/cloudstack source it follows (4.18.2.5 and 4.22.1.0):
``ScaleIOPrimaryDataStoreLifeCycle`` (plugins/storage/volume/scaleio/.../lifecycle/)
``initialize``, ``attachCluster`` and ``attachZone``; ``StorageManagerImpl.createPool``
wraps their refusals as 530 ``Failed to add data store: <text>``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import client, new_cluster

from specc.sim import Simulator, running
from specc.sim.providers.powerflex import gateway_id
from specc.sim.providers.powerflex_uri import NULL_USER_INFO, parse_powerflex_url

URL = "powerflex://admin:P%40ss%2Fw0rd@pfgw.example.internal/cs-pool01"
_N = itertools.count(1)


@pytest.fixture(scope="module", params=["4.18", "4.22"])
def sim(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    with running(api_version=request.param) as s:
        yield s


def is_418(sim: Simulator) -> bool:
    version = client(sim).listCapabilities()["capability"]["cloudstackversion"]
    return str(version).startswith("4.18")


def cloud(c: CloudStack, hypervisor: str = "KVM", hosts: int = 1) -> dict[str, str]:
    """A new zone, pod and cluster of *hypervisor* with *hosts* hosts Up."""
    n = next(_N)
    return new_cluster(
        c, zone=f"zpf{n}", cluster="c", hypervisor=hypervisor, hosts=hosts, host_net=f"10.7.{n}"
    )


def unique(url: str = URL) -> str:
    """*url* on a pool name of its own (one CloudStack pool per gateway and pool)."""
    return f"{url}-{next(_N)}"


def api_error(call: Any, **params: Any) -> tuple[int, str]:
    with pytest.raises(CloudStackApiException) as err:
        call(**params)
    return err.value.response.status_code, err.value.error["errortext"]


def zone_pool(c: CloudStack, ids: dict[str, str], url: str, **extra: Any) -> dict[str, Any]:
    pool: dict[str, Any] = c.createStoragePool(
        name=f"pf{next(_N)}",
        provider="PowerFlex",
        scope="zone",
        hypervisor="KVM",
        zoneid=ids["zoneid"],
        url=url,
        **extra,
    )["storagepool"]
    return pool


def test_a_zone_wide_pool_is_managed_powerflex_on_kvm(sim: Simulator) -> None:
    # initialize: setManaged(true), setType(PowerFlex), setHypervisorType(KVM),
    # setHost(uri.getHost()), setPath(<the gateway's pool id>); the driver's capabilities.
    c = client(sim)
    ids = cloud(c)
    url = unique()
    pool = zone_pool(c, ids, url, capacitybytes=16 * 1024**4, tags="PF")
    name = url.rsplit("/", 1)[1]
    assert (pool["type"], pool["provider"], pool["hypervisor"], pool["scope"]) == (
        "PowerFlex",
        "PowerFlex",
        "KVM",
        "ZONE",
    )
    assert pool["ipaddress"] == "pfgw.example.internal"
    assert re.fullmatch(r"[0-9a-f]{16}", pool["path"])
    assert pool["path"] == gateway_id("https://pfgw.example.internal/api", name)
    assert pool["disksizetotal"] == 16 * 1024**4 and pool["tags"] == "PF"
    assert pool["storagecapabilities"]["STORAGE_SYSTEM_SNAPSHOT"] == "true"
    listed = c.listStoragePools(id=pool["id"])["storagepool"][0]
    assert listed["path"] == pool["path"]
    if is_418(sim):
        assert "managed" not in listed and "details" not in listed
    else:
        assert listed["managed"] is True
        details = listed["details"]
        assert details["powerflex.gw.url"] == "https://pfgw.example.internal/api"
        assert details["powerflex.storagepool.name"] == name
        assert re.fullmatch(r"[0-9a-f]{16}", details["powerflex.storagepool.system.id"])
        # stored encrypted (DBEncryptionUtil): never the credentials themselves
        assert details["powerflex.gw.username"] != "admin"
        assert "P@ss/w0rd" not in str(listed) and "P%40ss" not in str(listed)


def test_the_path_is_stable_and_per_gateway_and_pool() -> None:
    # The simulated gateway's pool id: one per gateway URL and pool name.
    a = gateway_id("https://gw/api", "p1")
    assert a == gateway_id("https://gw/api", "p1")
    assert (
        len({a, gateway_id("https://gw:8443/api", "p1"), gateway_id("https://gw/api", "p2")}) == 3
    )


def test_a_cluster_wide_pool_needs_its_pod(sim: Simulator) -> None:
    # initialize: "Pod Id must also be specified when the Cluster Id is specified ...".
    c = client(sim)
    ids = cloud(c)
    assert api_error(
        c.createStoragePool,
        name="pf-nopod",
        provider="PowerFlex",
        zoneid=ids["zoneid"],
        clusterid=ids["clusterid"],
        url=unique(),
    ) == (
        530,
        "Failed to add data store: Pod Id must also be specified when the Cluster Id is "
        "specified for Cluster-wide primary storage.",
    )
    pool = c.createStoragePool(name=f"pf{next(_N)}", provider="PowerFlex", url=unique(), **ids)
    assert (pool["storagepool"]["scope"], pool["storagepool"]["clusterid"]) == (
        "CLUSTER",
        ids["clusterid"],
    )


@pytest.mark.parametrize("hypervisor", ["XenServer", "VMware"])
def test_kvm_clusters_only(sim: Simulator, hypervisor: str) -> None:
    # initialize / attachCluster: isSupportedHypervisorType is KVM only.
    c = client(sim)
    ids = cloud(c, hypervisor, hosts=0)
    assert api_error(
        c.createStoragePool, name="pf-x", provider="PowerFlex", url=unique(), **ids
    ) == (530, f"Failed to add data store: Unsupported hypervisor type: {hypervisor}")


def test_zone_wide_pools_say_kvm_not_any(sim: Simulator) -> None:
    # attachZone checks the hypervisor parameter: Any passes createPool, not the plugin.
    c = client(sim)
    ids = cloud(c)
    assert api_error(
        c.createStoragePool,
        name="pf-any",
        provider="PowerFlex",
        scope="zone",
        hypervisor="Any",
        zoneid=ids["zoneid"],
        url=unique(),
    ) == (530, "Failed to add data store: Unsupported hypervisor type: Any")


@pytest.mark.parametrize(
    "url",
    [
        "rbd://admin:pw@pfgw/cs-pool01",
        "PowerFlexx://admin:pw@pfgw/cs-pool01",
        "pfgw/cs-pool01",
        "powerflex://admin:p w@pfgw/cs-pool01",
        "powerflex://admin:50%@pfgw/cs-pool01",
    ],
)
def test_a_url_that_is_not_powerflex_is_not_a_valid_uri(sim: Simulator, url: str) -> None:
    # initialize: the "scheme is invalid" text is thrown inside the try whose catch
    # answers "<url> is not a valid uri", as for a URI that does not parse.
    c = client(sim)
    ids = cloud(c)
    assert api_error(
        c.createStoragePool,
        name="pf-bad",
        provider="PowerFlex",
        scope="zone",
        hypervisor="KVM",
        zoneid=ids["zoneid"],
        url=url,
    ) == (530, f"Failed to add data store: {url} is not a valid uri")


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("powerflex://pfgw/cs-pool01", NULL_USER_INFO),
        ("powerflex://admin@pfgw/cs-pool01", "Index 1 out of bounds for length 1"),
        ("powerflex://admin:@pfgw/cs-pool01", "Index 1 out of bounds for length 1"),
        ("powerflex://admin:pw@pf_gw/cs-pool01", NULL_USER_INFO),
        (
            "powerflex://:pw@pfgw/cs-pool01",
            "PowerFlex Gateway pfgw login failed, please check the provided settings",
        ),
        (
            "powerflex://admin:pw@pfgw/",
            "Failed to find the provided storage pool name:  in the discovered PowerFlex "
            "storage pools",
        ),
    ],
)
def test_the_user_info_and_pool_name(sim: Simulator, url: str, text: str) -> None:
    # initialize: userInfo.split(":")[0] and [1] (a NullPointerException without user
    # info, or with a registry authority such as a host with '_'; an
    # ArrayIndexOutOfBoundsException without a password); the simulated gateway
    # refuses an empty user and has no pool without a name (findStoragePool).
    c = client(sim)
    ids = cloud(c)
    assert api_error(
        c.createStoragePool,
        name="pf-ui",
        provider="PowerFlex",
        scope="zone",
        hypervisor="KVM",
        zoneid=ids["zoneid"],
        url=url,
    ) == (530, f"Failed to add data store: {text}")


def test_one_cloudstack_pool_per_gateway_and_pool(sim: Simulator) -> None:
    # initialize: a PowerFlex pool with the same powerflex.gw.url and
    # powerflex.storagepool.name exists -> "already exists"; in another zone too. The
    # comparison is on the URL text, so an explicit :443 is another gateway to it.
    c = client(sim)
    url = unique("powerflex://admin:pw@10.9.9.9/dup")
    zone_pool(c, cloud(c), url)
    name = url.rsplit("/", 1)[1]
    other = cloud(c)
    assert api_error(
        c.createStoragePool,
        name="pf-dup",
        provider="PowerFlex",
        scope="zone",
        hypervisor="KVM",
        zoneid=other["zoneid"],
        url=url.replace("admin:pw", "other:pw2"),
    ) == (
        530,
        f"Failed to add data store: PowerFlex storage pool: {name} already exists, please "
        "specify other storage pool.",
    )
    spelled = zone_pool(c, other, url.replace("10.9.9.9", "10.9.9.9:443"))
    assert spelled["ipaddress"] == "10.9.9.9"


def test_418_needs_an_up_kvm_host_in_the_scope(sim: Simulator) -> None:
    # 4.18.2.5 attachZone: no Up and Enabled KVM host connects -> "Failed to create
    # storage pool as it is not accessible to hosts."; attachCluster: "No hosts are Up
    # to associate a storage pool with in cluster: <id>". PR #9268 (4.19.1.0) dropped
    # both: 4.22.1.0 connects whatever hosts are up.
    c = client(sim)
    ids = cloud(c, hosts=0)
    zone = {"scope": "zone", "hypervisor": "KVM", "zoneid": ids["zoneid"]}
    if is_418(sim):
        assert api_error(
            c.createStoragePool, name="pf-nohost", provider="PowerFlex", url=unique(), **zone
        ) == (
            530,
            "Failed to add data store: Failed to create storage pool as it is not accessible "
            "to hosts.",
        )
        assert api_error(
            c.createStoragePool, name="pf-nohost", provider="PowerFlex", url=unique(), **ids
        ) == (
            530,
            "Failed to add data store: No hosts are Up to associate a storage pool with in "
            f"cluster: {ids['clusterid']}",
        )
    else:
        made = c.createStoragePool(name="pf-zone", provider="PowerFlex", url=unique(), **zone)
        assert made["storagepool"]["state"] == "Up"
        made = c.createStoragePool(name="pf-cl", provider="PowerFlex", url=unique(), **ids)
        assert made["storagepool"]["scope"] == "CLUSTER"


def test_another_spelling_of_the_provider_is_not_powerflex(sim: Simulator) -> None:
    # DataStoreProviderManagerImpl.getDataStoreProvider is a case-sensitive map lookup;
    # StorageManagerImpl.createPool falls back to DefaultPrimary, whose lifecycle
    # knows no powerflex scheme (StoragePoolType.valueOf is case-sensitive).
    c = client(sim)
    ids = cloud(c)
    assert api_error(
        c.createStoragePool, name="pf-lower", provider="powerflex", url=unique(), **ids
    ) == (
        530,
        "Failed to add data store: No enum constant "
        "com.cloud.storage.Storage.StoragePoolType.powerflex",
    )
    assert not [p for p in c.listStoragePools().get("storagepool", []) if p["name"] == "pf-lower"]


def test_the_url_specc_sends_reads_back_as_written() -> None:
    # UriUtils.encodeURIComponent re-encodes the path; URI.getUserInfo decodes the user
    # info; URLDecoder decodes the pool name: encodeURIComponent-ed parts come back.
    u = parse_powerflex_url("powerflex://svc%20cs:a%2Fb%40c%3Dd@10.1.1.1:8443/pool%201%2Bx")
    assert (u.host, u.port, u.userinfo, u.pool) == ("10.1.1.1", 8443, "svc cs:a/b@c=d", "pool 1+x")
    assert u.gateway_api_url == "https://10.1.1.1:8443/api"
