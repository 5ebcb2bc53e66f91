"""The simulator's StorPool provider, through the real HTTP path with the `cs` client.

Each test names the apache/cloudstack source it follows (plugins/storage/volume/
storpool, 4.18.2.5 and 4.22.1.0): ``StorPoolPrimaryDataStoreLifeCycle`` (LC) and
``StorPoolUtil.SpConnectionDesc``. ``StorageManagerImpl.createPool`` answers every
refusal of the lifecycle as 530 ``Failed to add data store: <message>``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import client, new_cluster

from specc.sim import Simulator, running

TOKEN = "4306865639163977196"
URL = f"SP_API_HTTP=10.31.0.50:81;SP_AUTH_TOKEN={TOKEN};SP_TEMPLATE=ssd"
_N = itertools.count(1)


@pytest.fixture(scope="module", params=["4.18", "4.22"])
def sim(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    with running(api_version=request.param) as s:
        yield s


@pytest.fixture(scope="module")
def sim18() -> Iterator[Simulator]:
    with running(api_version="4.18") as s:
        yield s


@pytest.fixture(scope="module")
def sim22() -> Iterator[Simulator]:
    with running(api_version="4.22") as s:
        yield s


def kvm_zone(c: CloudStack, hosts: int = 0) -> dict[str, str]:
    """A new zone with a pod and a KVM cluster of *hosts* hosts: {zoneid, podid, clusterid}."""
    n = next(_N)
    return new_cluster(
        c, zone=f"spz{n}", cluster="kvm", hypervisor="KVM", hosts=hosts, host_net=f"10.7.{n}"
    )


def create(c: CloudStack, zoneid: str, **params: Any) -> dict[str, Any]:
    """createStoragePool of a zone-wide KVM StorPool pool; *params* override."""
    args: dict[str, Any] = {
        "name": f"sp-{next(_N)}",
        "provider": "StorPool",
        "scope": "zone",
        "hypervisor": "KVM",
        "url": URL.replace("ssd", f"tpl{next(_N)}"),
        "capacitybytes": 10**13,
        "zoneid": zoneid,
        **params,
    }
    result: dict[str, Any] = c.createStoragePool(**{k: v for k, v in args.items() if v is not None})
    return result["storagepool"]


def refused(c: CloudStack, zoneid: str, **params: Any) -> tuple[int, str]:
    """(HTTP status, errortext) of a createStoragePool that must fail."""
    with pytest.raises(CloudStackApiException) as err:
        create(c, zoneid, **params)
    return err.value.response.status_code, err.value.error["errortext"]


def test_the_pool_as_initialize_and_attach_zone_store_it(sim: Simulator) -> None:
    # LC.initialize: type StorPool, host "n/a", path StorPoolUtil.SP_DEV_PATH, KVM, never
    # managed, capacityBytes kept, capacityIops ignored; attachZone: scope ZONE, Up,
    # with no KVM host in the zone at all.
    c = client(sim)
    ids = kvm_zone(c)
    pool = create(c, ids["zoneid"], name="sp-fields", tags="SSD", capacityiops=5000)
    assert (pool["type"], pool["path"], pool["ipaddress"]) == (
        "StorPool",
        "/dev/storpool-byid/",
        "n/a",
    )
    assert (pool["scope"], pool["hypervisor"], pool["provider"]) == ("ZONE", "KVM", "StorPool")
    assert (pool["state"], pool["disksizetotal"], pool["tags"]) == ("Up", 10**13, "SSD")
    assert "capacityiops" not in pool and "clusterid" not in pool
    listed = c.listStoragePools(name="sp-fields")["storagepool"][0]
    assert TOKEN not in repr(listed)  # the simulator never lists the token
    if sim.api_version.startswith("4.22"):
        assert (listed["managed"], listed["capacitybytes"]) == (False, 10**13)
        assert listed["details"]["SP_API_HTTP_HOST"] == "10.31.0.50:81"
        assert "SP_AUTH_TOKEN" not in listed["details"]


def test_a_pool_without_tags_is_tagged_with_its_name(sim: Simulator) -> None:
    # LC.initialize: tags == null || tags.isEmpty() -> tags = name.
    c = client(sim)
    ids = kvm_zone(c)
    pool = create(c, ids["zoneid"], name="sp-untagged")
    assert pool["tags"] == "sp-untagged"
    assert create(c, ids["zoneid"], name="sp-tagged", tags="a,b")["tags"] == "a,b"


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("SP_AUTH_TOKEN=t:1;SP_TEMPLATE=ssd", "No SP_API_HTTP"),
        ("SP_API_HTTP=10.1.1.1:81;SP_TEMPLATE=ssd", "No SP_AUTH_TOKEN"),
        ("SP_API_HTTP=10.1.1.1:81;SP_AUTH_TOKEN=a=b;SP_TEMPLATE=ssd", "No SP_AUTH_TOKEN"),
        ("SP_API_HTTP=10.1.1.1:81; SP_AUTH_TOKEN=t;SP_TEMPLATE=ssd", "No SP_AUTH_TOKEN"),
        ("SP_API_HTTP=10.1.1.1:81;sp_auth_token=t;SP_TEMPLATE=ssd", "No SP_AUTH_TOKEN"),
        ("SP_API_HTTP=10.1.1.1:81;SP_AUTH_TOKEN=t", "No SP_TEMPLATE"),
        ("SP_API_HTTP=10.1.1.1:81;SP_AUTH_TOKEN=t;SP_TEMPLATE=", "No SP_TEMPLATE"),
    ],
)
def test_url_keys_are_exact_and_split_on_semicolon_and_equals(
    sim: Simulator, url: str, text: str
) -> None:
    # SpConnectionDesc: url.split(";"), each kv.split("=") must give exactly 2 parts,
    # keys matched exactly; then LC.initialize checks API, token, template in order.
    # (Each url holds a ':' after a non-scheme prefix, so 4.19.1+ parses it so too.)
    c = client(sim)
    ids = kvm_zone(c)
    assert refused(c, ids["zoneid"], url=url) == (530, f"Failed to add data store: {text}")


def test_a_trailing_equals_is_cut_off_not_refused(sim22: Simulator) -> None:
    # Java's String.split drops trailing empty strings: "SP_TEMPLATE=ssd2=" gives
    # ["SP_TEMPLATE", "ssd2"], so the template is "ssd2" (and a token would be cut so).
    c = client(sim22)
    ids = kvm_zone(c)
    pool = create(
        c, ids["zoneid"], url="SP_API_HTTP=10.2.2.2:81;SP_AUTH_TOKEN=t=;SP_TEMPLATE=ssd2="
    )
    listed = c.listStoragePools(id=pool["id"])["storagepool"][0]
    assert listed["details"]["SP_TEMPLATE"] == "ssd2"


def test_one_pool_per_api_endpoint_and_template_in_any_zone(sim: Simulator) -> None:
    # LC.initialize compares each StorPool pool's SP_API_HTTP_HOST and SP_TEMPLATE
    # details with the url's, before it asks for capacityBytes.
    c = client(sim)
    a, b = kvm_zone(c), kvm_zone(c)
    url = "SP_API_HTTP=10.3.3.3:81;SP_AUTH_TOKEN=t;SP_TEMPLATE=shared"
    create(c, a["zoneid"], name="sp-first", url=url)
    assert refused(c, b["zoneid"], url=url, capacitybytes=None) == (
        530,
        "Failed to add data store: StorPool cluster and template already in use by pool sp-first",
    )
    other_port = url.replace(":81", ":8181")
    assert create(c, b["zoneid"], url=other_port)["provider"] == "StorPool"


def test_capacity_bytes_is_required(sim: Simulator) -> None:
    # LC.initialize: capacityBytes == null -> "Capcity bytes is required" (sic).
    c = client(sim)
    ids = kvm_zone(c)
    assert refused(c, ids["zoneid"], capacitybytes=None) == (
        530,
        "Failed to add data store: Capcity bytes is required",
    )


def test_cluster_scope_is_refused_after_the_url(sim: Simulator) -> None:
    # attachCluster runs after initialize: "Only Zone-Wide scope is supported!", but a
    # bad url fails first; no pool is left behind (StorageManagerImpl.createPool).
    c = client(sim)
    ids = kvm_zone(c, hosts=1)
    cluster = {"scope": "cluster", "podid": ids["podid"], "clusterid": ids["clusterid"]}
    assert refused(c, ids["zoneid"], name="sp-cl", hypervisor=None, **cluster) == (
        530,
        "Failed to add data store: Only Zone-Wide scope is supported!",
    )
    assert refused(c, ids["zoneid"], hypervisor=None, url="SP_TEMPLATE=x;a=b:c", **cluster) == (
        530,
        "Failed to add data store: No SP_API_HTTP",
    )
    assert c.listStoragePools(name="sp-cl").get("storagepool", []) == []


@pytest.mark.parametrize("hypervisor", ["Any", "VMware", "Simulator"])
def test_zone_wide_pools_are_for_kvm_only(sim18: Simulator, hypervisor: str) -> None:
    # attachZone: hypervisorType != KVM -> "Only KVM hypervisors supported!"
    # (createPool lets these zone-wide hypervisors through to the plug-in).
    c = client(sim18)
    ids = kvm_zone(c)
    assert refused(c, ids["zoneid"], hypervisor=hypervisor) == (
        530,
        "Failed to add data store: Only KVM hypervisors supported!",
    )


def test_a_bare_template_name_needs_storpool_confget_on_418(sim18: Simulator) -> None:
    # SpConnectionDesc: one part without "=" is a template; storpool_confget runs on
    # the management server, which the simulator's lacks.
    c = client(sim18)
    ids = kvm_zone(c)
    status, text = refused(c, ids["zoneid"], url="ssd")
    assert status == 530
    assert text.startswith("Failed to add data store: Could not execute storpool_confget. ")


def test_storpool_urls_from_4_19_1(sim: Simulator) -> None:
    # 4.19.1.0+ (apache/cloudstack#8356): SpConnectionDesc tries new URI(url) first:
    # storpool://token@host:port/template is read; any other url that parses (a bare
    # template name, another scheme) is "The scheme is invalid..."; the legacy form
    # does not parse as a URI and keeps working. 4.18 knows only the legacy form.
    c = client(sim)
    ids = kvm_zone(c)
    url = "storpool://tok@10.4.4.4:81/fast"
    if sim.api_version.startswith("4.22"):
        pool = create(c, ids["zoneid"], url=url)
        listed = c.listStoragePools(id=pool["id"])["storagepool"][0]
        assert (listed["details"]["SP_API_HTTP_HOST"], listed["details"]["SP_TEMPLATE"]) == (
            "10.4.4.4:81",
            "fast",
        )
        for other in ("ssd", "nfs://10.1.1.1/export"):
            assert refused(c, ids["zoneid"], url=other) == (
                530,
                "Failed to add data store: The scheme is invalid. The URL should be with a "
                "format storpool://{SP_AUTH_TOKEN}@{SP_API_HTTP}:{SP_API_HTTP_PORT}/{SP_TEMPLATE}",
            )
        assert refused(c, ids["zoneid"], url="storpool://10.4.4.4:81/fast2")[1].endswith(
            "No SP_AUTH_TOKEN"
        )
    else:
        assert "storpool_confget" in refused(c, ids["zoneid"], url=url)[1]


def test_a_url_without_a_colon_is_a_relative_uri_from_4_19_1(sim: Simulator) -> None:
    # new URI("SP_AUTH_TOKEN=t;SP_TEMPLATE=ssd") parses (a relative path: '_', '=' and
    # ';' are path characters) and has no scheme, so 4.19.1+ says "The scheme is
    # invalid..." where 4.18 says "No SP_API_HTTP"; so does an API without a port.
    c = client(sim)
    ids = kvm_zone(c)
    no_api, no_port = (
        "SP_AUTH_TOKEN=t;SP_TEMPLATE=ssd",
        "SP_API_HTTP=h;SP_AUTH_TOKEN=t;SP_TEMPLATE=x",
    )
    if sim.api_version.startswith("4.22"):
        for url in (no_api, no_port):
            text = refused(c, ids["zoneid"], url=url)[1]
            assert text.startswith("Failed to add data store: The scheme is invalid."), url
    else:
        assert (
            refused(c, ids["zoneid"], url=no_api)[1] == "Failed to add data store: No SP_API_HTTP"
        )
        assert create(c, ids["zoneid"], url=no_port)["provider"] == "StorPool"


def test_the_provider_name_is_case_sensitive(sim18: Simulator) -> None:
    # DataStoreProviderManagerImpl.getDataStoreProvider is a map lookup: "storpool" is
    # unknown, and createPool falls back to DefaultPrimary, which wants a scheme.
    c = client(sim18)
    ids = kvm_zone(c)
    status, text = refused(c, ids["zoneid"], provider="storpool")
    assert status == 530 and text.startswith("Failed to add data store: scheme is null")


def test_listed_as_a_primary_provider(sim: Simulator) -> None:
    # DataStoreProviderManagerImpl.getPrimaryDataStoreProviders: {name, type PRIMARY}.
    listed = client(sim).listStorageProviders(type="primary")["dataStoreProvider"]
    assert {"name": "StorPool", "type": "PRIMARY"} in listed
