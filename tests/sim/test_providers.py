"""Every storage provider of the registry, through the real HTTP path: a unique name,
listed by ``listStorageProviders`` of its type on the versions that have it, and the
sample it documents accepted by ``createStoragePool``/``addImageStore``. A provider
added to the registry is served with no other change."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from cs import CloudStackApiException
from simhelp import client, new_cluster

import specc.sim.providers as providers
from specc.sim import Simulator, running
from specc.sim.handlers import Ctx
from specc.sim.providers.base import (
    ImageProvider,
    NewPool,
    ParsedPool,
    PoolRequest,
    PoolUrlError,
    PrimaryProvider,
)

VERSIONS = ("4.18", "4.22")
PRIMARY = [p for p in providers.PROVIDERS if isinstance(p, PrimaryProvider)]
IMAGE = [p for p in providers.PROVIDERS if isinstance(p, ImageProvider)]
_N = itertools.count(1)


def served(p: PrimaryProvider | ImageProvider, version: str) -> bool:
    return p.since is None or tuple(map(int, version.split("."))) >= tuple(
        map(int, p.since.split("."))
    )


def sample_cluster(sim: Simulator, hypervisor: str = "XenServer") -> dict[str, str]:
    """A new zone, pod and cluster of *hypervisor* (XenServer unless a provider's
    ``sample_hypervisor`` says otherwise: SolidFireShared takes only XenServer and
    VMware, a KVM-only provider names KVM) with one host Up."""
    n = next(_N)
    return new_cluster(
        client(sim),
        zone=f"zp{n}",
        cluster="x",
        hypervisor=hypervisor,
        hosts=1,
        host_net=f"10.9.{n}",
    )


@pytest.fixture(scope="module", params=VERSIONS)
def sim(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    with running(api_version=request.param) as s:
        yield s


def version_of(sim: Simulator) -> str:
    return ".".join(
        client(sim).listCapabilities()["capability"]["cloudstackversion"].split(".")[:2]
    )


def test_names_are_unique() -> None:
    names = [p.name for p in providers.PROVIDERS]
    assert len(names) == len(set(names))
    assert all(p.kind == "primary" for p in PRIMARY) and all(p.kind == "image" for p in IMAGE)


def test_modelled_providers_document_their_steps() -> None:
    # Each step names the apache/cloudstack class and method it follows.
    for p in PRIMARY:
        if p.modelled:
            assert p.initialize.__doc__ and p.attach.__doc__, p.name
    for i in IMAGE:
        assert i.initialize.__doc__, i.name


@pytest.mark.parametrize("kind", ["primary", "image"])
def test_listed_by_type_on_the_versions_that_have_them(sim: Simulator, kind: str) -> None:
    version = version_of(sim)
    listed = client(sim).listStorageProviders(type=kind)["dataStoreProvider"]
    want = {p.name for p in providers.PROVIDERS if p.kind == kind and served(p, version)}
    assert {p["name"] for p in listed} == want


def test_imagecache_lists_the_cache_providers(sim: Simulator) -> None:
    listed = client(sim).listStorageProviders(type="imagecache")["dataStoreProvider"]
    assert {p["name"] for p in listed} == {p.name for p in IMAGE if p.cache}


@pytest.mark.parametrize("provider", PRIMARY, ids=lambda p: p.name)
def test_primary_sample_is_accepted(sim: Simulator, provider: PrimaryProvider) -> None:
    version = version_of(sim)
    ids = sample_cluster(sim, provider.sample_hypervisor)
    pool = client(sim).createStoragePool(
        name=f"sample-{next(_N)}", provider=provider.name, **provider.sample, **ids
    )["storagepool"]
    # A provider the version lacks is an unknown name: the default provider takes it.
    expected = provider.name if served(provider, version) else "DefaultPrimary"
    assert pool["provider"] == expected
    assert pool["storagecapabilities"] == dict(providers.primary(expected, version).capabilities)


@pytest.mark.parametrize("provider", IMAGE, ids=lambda p: p.name)
def test_image_sample_is_accepted(sim: Simulator, provider: ImageProvider) -> None:
    c = client(sim)
    ids = sample_cluster(sim)
    zone = {"zoneid": ids["zoneid"]} if "ZONE" in provider.scopes else {}
    for other in c.listImageStores().get("imagestore", []):
        c.deleteImageStore(id=other["id"])  # one provider at a time (discoverImageStore)
    store = c.addImageStore(
        name=f"img-{next(_N)}", provider=provider.name, **provider.sample, **zone
    )["imagestore"]
    assert store["providername"] == provider.name
    assert c.deleteImageStore(id=store["id"]) == {"success": True}


def test_unknown_names_take_the_default_providers() -> None:
    assert providers.primary("solidfire", "4.18.0.0").name == "DefaultPrimary"
    assert providers.primary(None, "4.22.1.0").name == "DefaultPrimary"
    assert providers.image("Ceph", "4.18.0.0").name == "NFS"


def _tape_initialize(ctx: Ctx, req: PoolRequest) -> NewPool:
    if not req.url.startswith("tape://"):
        raise PoolUrlError("tape urls only")
    return NewPool(ParsedPool("Filesystem", "tape", 0, req.url[7:]), True, req.hypervisor)


def _tape_attach(ctx: Ctx, req: PoolRequest, pool: NewPool) -> None:
    return None


TAPE = PrimaryProvider(
    name="Tape",
    initialize=_tape_initialize,
    attach=_tape_attach,
    capabilities={"VOLUME_SNAPSHOT_QUIESCEVM": "false"},
    sample={"url": "tape://library/1"},
)


def test_a_provider_added_to_the_registry_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    # The design's acceptance test: one new provider object and one registry line.
    monkeypatch.setattr(providers, "PROVIDERS", (*providers.PROVIDERS, TAPE))
    with running(api_version="4.18") as s:
        c = client(s)
        names = {p["name"] for p in c.listStorageProviders(type="primary")["dataStoreProvider"]}
        assert "Tape" in names
        ids = sample_cluster(s)
        pool = c.createStoragePool(name="t", provider="Tape", **TAPE.sample, **ids)["storagepool"]
        assert (pool["provider"], pool["type"], pool["path"]) == ("Tape", "Filesystem", "library/1")
        with pytest.raises(CloudStackApiException) as err:
            c.createStoragePool(name="t2", provider="Tape", url="nfs://h/p", **ids)
        assert err.value.error["errortext"] == "Failed to add data store: tape urls only"


def _tagging_initialize(ctx: Ctx, req: PoolRequest) -> NewPool:
    parsed = ParsedPool("Filesystem", "tape", 0, req.url[7:])
    return NewPool(parsed, False, req.hypervisor, tags=None if req.url.endswith("/keep") else "t1")


TAGGING = PrimaryProvider(
    name="Tagging",
    initialize=_tagging_initialize,
    attach=_tape_attach,
    capabilities={},
    sample={"url": "tape://library/2"},
)


def test_a_provider_may_set_the_pools_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    # NewPool.tags: the provider's tags replace the request's; None keeps them.
    monkeypatch.setattr(providers, "PROVIDERS", (*providers.PROVIDERS, TAGGING))
    with running(api_version="4.18") as s:
        c = client(s)
        ids = sample_cluster(s)
        own = c.createStoragePool(
            name="own", provider="Tagging", url="tape://lib/1", tags="x", **ids
        )["storagepool"]
        kept = c.createStoragePool(
            name="kept", provider="Tagging", url="tape://lib/keep", tags="x, y", **ids
        )["storagepool"]
        assert (own["tags"], kept["tags"]) == ("t1", "x,y")
        listed = {p["name"]: p["tags"] for p in c.listStoragePools()["storagepool"]}
        assert (listed["own"], listed["kept"]) == ("t1", "x,y")
