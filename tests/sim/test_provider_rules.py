"""Provider rules of the real server, each test named for one and citing its source
(apache/cloudstack), through the HTTP path with the real `cs` client."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import client, new_cluster

from specc.sim import Simulator, running
from specc.sim.providers.default_primary import parse_default
from specc.sim.providers.solidfire import parse_solidfire

SF_URL = "MVIP=10.5.0.10;SVIP=10.6.0.10;clusterAdminUsername=admin;clusterAdminPassword=s3cret"
_N = itertools.count(1)


@pytest.fixture(scope="module")
def sim18() -> Iterator[Simulator]:
    with running(api_version="4.18") as s:
        yield s


@pytest.fixture(scope="module")
def sim22() -> Iterator[Simulator]:
    with running(api_version="4.22") as s:
        yield s


def api_error(call: Any, **params: Any) -> tuple[int, str]:
    """(HTTP status, errortext) of a call that must fail."""
    with pytest.raises(CloudStackApiException) as err:
        call(**params)
    return err.value.response.status_code, err.value.error["errortext"]


def cluster(c: CloudStack, hypervisor: str = "KVM", hosts: int = 1) -> dict[str, str]:
    """A new zone, pod and cluster of *hypervisor* with *hosts* hosts Up."""
    n = next(_N)
    return new_cluster(
        c, zone=f"zr{n}", cluster="c", hypervisor=hypervisor, hosts=hosts, host_net=f"10.8.{n}"
    )


def test_solidfire_shared_needs_the_pod_first(sim18: Simulator) -> None:
    # SolidFireSharedPrimaryDataStoreLifeCycle.initialize checks podId == null before
    # clusterId == null; StorageManagerImpl.createPool drops both for a zone-wide pool.
    c = client(sim18)
    ids = cluster(c, "XenServer")
    assert api_error(
        c.createStoragePool,
        name="sfs-zone",
        url=SF_URL + ";minIops=1000;maxIops=2000;burstIops=4000",
        provider="SolidFireShared",
        capacitybytes=10**12,
        capacityiops=1000,
        scope="zone",
        hypervisor="KVM",
        zoneid=ids["zoneid"],
    ) == (530, "Failed to add data store: The Pod ID must be specified.")


@pytest.mark.parametrize("provider", ["S3", "Swift"])
def test_s3_and_swift_image_stores_are_region_wide_only(provider: str) -> None:
    # S3ImageStoreProviderImpl/SwiftImageStoreProviderImpl.isScopeSupported: REGION only,
    # checked by StorageManagerImpl.discoverImageStore; both lifecycles store protocol
    # http (S3ImageStoreLifeCycleImpl, SwiftImageStoreLifeCycleImpl.initialize).
    with running(api_version="4.18") as s:
        c = client(s)
        ids = cluster(c)
        assert api_error(
            c.addImageStore, provider=provider, url="http://obj.example/x", zoneid=ids["zoneid"]
        ) == (431, f"Image store provider {provider} does not support scope ZONE")
        store = c.addImageStore(provider=provider, url="http://obj.example/x")["imagestore"]
        assert (store["scope"], store["protocol"]) == ("REGION", "http")
        assert "zoneid" not in store


def test_nfs_image_store_protocol_is_the_url_scheme(sim18: Simulator) -> None:
    # CloudStackImageStoreLifeCycleImpl.initialize: protocol = uri.getScheme().toLowerCase().
    c = client(sim18)
    ids = cluster(c)
    store = c.addImageStore(
        provider="NFS", url="CIFS://10.2.9.9/share?user=u&password=p", zoneid=ids["zoneid"]
    )["imagestore"]
    assert (store["protocol"], store["scope"]) == ("cifs", "ZONE")
    c.deleteImageStore(id=store["id"])


def test_pool_capabilities_are_the_drivers(sim18: Simulator) -> None:
    # QueryManagerImpl.searchForStoragePools lists driver.getCapabilities():
    # CloudStackPrimaryDataStoreDriverImpl (DefaultPrimary, and SolidFireShared's driver
    # extends it) only VOLUME_SNAPSHOT_QUIESCEVM=false; SolidFirePrimaryDataStoreDriver
    # four storage-side snapshot/clone capabilities.
    c = client(sim18)
    xen = cluster(c, "XenServer")
    default = c.createStoragePool(name="cap-nfs", url="nfs://10.3.3.3/cap", **xen)["storagepool"]
    assert default["storagecapabilities"] == {"VOLUME_SNAPSHOT_QUIESCEVM": "false"}
    shared = c.createStoragePool(
        name="cap-sfs",
        url=SF_URL + ";minIops=1000;maxIops=2000;burstIops=4000",
        provider="SolidFireShared",
        capacitybytes=10**12,
        capacityiops=1000,
        **xen,
    )["storagepool"]
    assert shared["storagecapabilities"] == {"VOLUME_SNAPSHOT_QUIESCEVM": "false"}
    sf = c.createStoragePool(
        name="cap-sf",
        url=SF_URL,
        provider="SolidFire",
        capacitybytes=10**12,
        capacityiops=10**5,
        scope="zone",
        hypervisor="Any",
        zoneid=xen["zoneid"],
    )["storagepool"]
    listed = c.listStoragePools(id=sf["id"])["storagepool"][0]
    assert listed["storagecapabilities"] == {
        "STORAGE_SYSTEM_SNAPSHOT": "true",
        "CAN_CREATE_VOLUME_FROM_SNAPSHOT": "true",
        "CAN_CREATE_VOLUME_FROM_VOLUME": "true",
        "CAN_REVERT_VOLUME_TO_SNAPSHOT": "true",
    }


def test_provider_types_are_the_enum_names(sim22: Simulator) -> None:
    # DataStoreProviderManagerImpl.getPrimaryDataStoreProviders (and the image and cache
    # siblings) set StorageProviderResponse.type to DataStoreProviderType.X.toString();
    # the type parameter itself matches case-insensitively (getDataStoreProviders).
    c = client(sim22)
    for asked, answered in (
        ("primary", "PRIMARY"),
        ("IMAGE", "IMAGE"),
        ("imagecache", "ImageCache"),
    ):
        entries = c.listStorageProviders(type=asked)["dataStoreProvider"]
        assert entries and {p["type"] for p in entries} == {answered}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("iso://10.0.0.9/isos", ("ISO", "10.0.0.9", 2049, "/isos")),
        ("ISO://10.0.0.9:2050/isos", ("ISO", "10.0.0.9", 2050, "/isos")),
        ("datastorecluster://vc1/dc1/dsc", ("DatastoreCluster", "vc1", 0, "/dc1/dsc")),
        ("DatastoreCluster://vc1/dc1/dsc", ("DatastoreCluster", "vc1", 0, "/dc1/dsc")),
    ],
)
def test_default_provider_iso_and_datastorecluster_schemes_in_any_case(
    url: str, expected: tuple[str, str, int, str]
) -> None:
    # CloudStackPrimaryDataStoreLifeCycleImpl.initialize matches "iso" (port 2049 when
    # none) and "DatastoreCluster" with equalsIgnoreCase before its Enum.valueOf fallback.
    p = parse_default(url, has_cluster=True)
    assert (p.type, p.host, p.port, p.path) == expected


def test_default_provider_pools_are_never_managed(sim22: Simulator) -> None:
    # CloudStackPrimaryDataStoreLifeCycleImpl.initialize never calls
    # PrimaryDataStoreParameters.setManaged (false by default), which
    # PrimaryDataStoreHelper.createPrimaryDataStore stores: managed=true is ignored.
    c = client(sim22)
    ids = cluster(c)
    pool = c.createStoragePool(name="nfs-managed", url="nfs://10.4.4.4/m", managed="true", **ids)[
        "storagepool"
    ]
    assert pool["managed"] is False
    assert c.listStoragePools(id=pool["id"])["storagepool"][0]["managed"] is False


def test_zone_wide_pool_with_an_unknown_hypervisor_is_not_supported(sim18: Simulator) -> None:
    # StorageManagerImpl.createPool: HypervisorType.getType gives None for an unknown
    # name (no exception), and None is not a zone-wide hypervisor.
    c = client(sim18)
    ids = cluster(c)
    assert api_error(
        c.createStoragePool,
        name="x",
        url="nfs://10.5.5.5/x",
        scope="zone",
        hypervisor="Bogus",
        zoneid=ids["zoneid"],
    ) == (431, "Zone wide storage pool is not supported for hypervisor type Bogus")


def test_default_provider_zone_wide_pool_for_any_reaches_no_host(sim18: Simulator) -> None:
    # CloudStackPrimaryDataStoreLifeCycleImpl.attachZone connects the hosts of
    # ResourceManagerImpl.listAllUpAndEnabledHostsInOneZoneByHypervisor(Any, zone), a
    # query on hypervisor_type = Any that no host matches: no host mounts the pool.
    c = client(sim18)
    ids = cluster(c, "KVM", hosts=2)
    assert api_error(
        c.createStoragePool,
        name="nfs-any",
        url="nfs://10.6.6.6/any",
        scope="zone",
        hypervisor="Any",
        zoneid=ids["zoneid"],
    ) == (
        530,
        "Failed to add data store: Failed to create storage pool as it is not accessible to hosts.",
    )
    pool = c.createStoragePool(
        name="nfs-kvm",
        url="nfs://10.6.6.6/kvm",
        scope="zone",
        hypervisor="KVM",
        zoneid=ids["zoneid"],
    )["storagepool"]
    assert (pool["scope"], pool["hypervisor"]) == ("ZONE", "KVM")


def test_solidfire_path_is_the_modified_url() -> None:
    # SolidFirePrimaryDataStoreLifeCycle.initialize: parameters.setPath(
    # SolidFireUtil.getModifiedUrl(url)), the tokens starting with MVIP or SVIP once
    # uppercased, uppercased, in the url's order.
    p = parse_solidfire(
        "svip=sf-storage.lan:3260;clusterAdminUsername=a;MVIP=sf-mgmt.lan;clusterAdminPassword=b",
        capacity_bytes=10**12,
        capacity_iops=10**5,
    )
    assert p.path == "SVIP=SF-STORAGE.LAN:3260;MVIP=SF-MGMT.LAN"
    assert (p.host, p.port, p.details["mVip"]) == ("sf-storage.lan", 3260, "sf-mgmt.lan")


def test_default_provider_ignores_the_capacities_given(sim22: Simulator) -> None:
    # CloudStackPrimaryDataStoreLifeCycleImpl.initialize never sets the parameters'
    # capacityBytes or capacityIops; the bytes come from the hosts that mount the pool
    # (StorageManagerImpl.updateStoragePoolHostVOAndBytes), and there are no IOPS.
    # SolidFire sets both from the request (SolidFirePrimaryDataStoreLifeCycle.initialize).
    c = client(sim22)
    ids = cluster(c)
    pool = c.createStoragePool(
        name="nfs-cap",
        url="nfs://10.7.1.1/cap",
        capacitybytes=10**9,
        capacityiops=5000,
        **ids,
    )["storagepool"]
    listed = c.listStoragePools(id=pool["id"])["storagepool"][0]
    assert listed["capacitybytes"] == listed["disksizetotal"] == 2 * 1024**4
    assert "capacityiops" not in listed
    sf = c.createStoragePool(
        name="sf-cap",
        url=SF_URL,
        provider="SolidFire",
        capacitybytes=10**12,
        capacityiops=5000,
        scope="zone",
        hypervisor="Any",
        zoneid=ids["zoneid"],
    )["storagepool"]
    assert (sf["capacitybytes"], sf["capacityiops"]) == (10**12, 5000)
