"""The storage provider protocol: what one provider module gives the simulator.

In apache/cloudstack a storage provider is a plug-in, a ``DataStoreProvider``
(engine/api/.../subsystem/api/storage/DataStoreProvider.java): a name
(``getName``), its types (``getTypes``: PRIMARY, IMAGE, ImageCache), a lifecycle
whose ``initialize`` parses the url and details into the store's row and whose
``attachCluster``/``attachZone`` connect it to the hosts of its scope, and a driver
whose ``getCapabilities`` a pool lists. ``StorageManagerImpl.createPool`` and
``discoverImageStore`` (server/.../storage/StorageManagerImpl.java) find the provider
by name and call its lifecycle.

Here each provider is one module of this package that builds a
:class:`PrimaryProvider` or an :class:`ImageProvider`; the registry
:data:`specc.sim.providers.PROVIDERS` lists them, one line each, and the storage
handlers dispatch through it, with no provider name in their code.

Adding a provider (PowerFlex, StorPool, ...): write ``providers/<name>.py`` with its
``initialize`` (url and details parsing, its checks, the fields it stores) and
``attach`` (its checks on the hosts of the scope), each naming the apache/cloudstack
class and method it follows, build its :class:`PrimaryProvider`, and give it one line
in ``PROVIDERS`` (in place of its ``listed`` line). tests/sim/test_providers.py then
checks it like every other provider.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from specc.sim.handlers import Ctx, Item


class PoolUrlError(Exception):
    """A store the provider refuses: ``text`` is the server's message.

    ``plugin`` is true when the server raises it inside the storage plugin, where
    ``createPool``/``discoverImageStore`` wrap it as ``Failed to add data store: <text>``
    with HTTP 530; false for a plain invalid parameter (431).
    """

    def __init__(self, text: str, *, plugin: bool = True) -> None:
        super().__init__(text)
        self.text = text
        self.plugin = plugin


@dataclass(frozen=True)
class ParsedPool:
    """What a provider derives from a pool url: the pool's type, host, port and path.

    ``user`` and ``secret`` are the RBD user info (the secret percent-decoded); the
    simulator stores them and never returns them. ``details`` holds the details the
    provider adds (SolidFire's management VIP, credentials, IOPS defaults).
    """

    type: str
    host: str
    port: int
    path: str
    user: str = ""
    secret: str = ""
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PoolRequest:
    """A ``createStoragePool`` call as a provider's lifecycle gets it (``dsInfos``).

    ``StorageManagerImpl.createPool`` resolves the scope (``CLUSTER``, ``ZONE``) and the
    hypervisor (the cluster's; for a zone-wide pool the ``hypervisor`` parameter, and
    then it drops the pod and cluster) before it calls the provider.
    """

    name: str
    url: str
    scope: str
    hypervisor: str
    zone: Item
    pod: Item | None
    cluster: Item | None
    capacity_bytes: int | None
    capacity_iops: int | None
    managed: bool


@dataclass(frozen=True)
class NewPool:
    """What a provider's ``initialize`` stores for a new pool (its
    ``PrimaryDataStoreParameters``): the parsed url, the managed flag, the
    hypervisor the pool is stored with, the capacities it sets (None: none, the
    hosts report the bytes when they mount the pool and there are no IOPS), and the
    storage tags it sets (None: the request's ``tags``, as ``StorageManagerImpl
    .createPool`` hands them over; a lifecycle may put its own, e.g. a default when
    the request has none)."""

    parsed: ParsedPool
    managed: bool
    hypervisor: str
    capacity_bytes: int | None = None
    capacity_iops: int | None = None
    tags: str | None = None


@dataclass(frozen=True)
class ImageStoreRequest:
    """An ``addImageStore`` call as an image store lifecycle gets it: the store's
    name (the url when none is given), url, zone (None: region-wide) and details."""

    name: str
    url: str
    zone: Item | None
    details: Mapping[str, str]


@dataclass(frozen=True)
class PrimaryProvider:
    """A primary storage provider (``DataStoreProviderType.PRIMARY``).

    ``name``: ``getName()``, what ``provider=`` names and ``listStorageProviders``
    lists. ``initialize``: its lifecycle's ``initialize``: checks the request, parses
    the url and returns the fields the pool is stored with, or raises
    :class:`PoolUrlError`. ``attach``: its ``attachCluster``/``attachZone``: the checks
    on the hosts of the pool's scope. ``capabilities``: its driver's
    ``getCapabilities()`` (the pool's ``storagecapabilities``). ``sample``: the
    ``createStoragePool`` parameters (url, capacities, maybe scope and hypervisor) of
    a pool it accepts in a new zone, pod and cluster of ``sample_hypervisor`` with one
    host Up: documentation, and what the generic test creates (a KVM-only provider
    names KVM). ``since``: the first API version with the provider (None: 4.18).
    ``modelled``: false for a provider the server has but whose own lifecycle the
    simulator does not model (see :mod:`specc.sim.providers.listed`).
    """

    name: str
    initialize: Callable[[Ctx, PoolRequest], NewPool]
    attach: Callable[[Ctx, PoolRequest, NewPool], None]
    capabilities: Mapping[str, str]
    sample: Mapping[str, str]
    since: str | None = None
    modelled: bool = True
    sample_hypervisor: str = "XenServer"
    kind: Literal["primary"] = "primary"


@dataclass(frozen=True)
class ImageProvider:
    """An image (secondary) store provider (``DataStoreProviderType.IMAGE``).

    ``scopes``: the scopes its ``isScopeSupported`` accepts (``ZONE``, ``REGION``).
    ``cache``: also an ``ImageCache`` provider (listed for ``type=imagecache``).
    ``initialize``: its lifecycle's ``initialize``: checks the url and returns the
    store's fields (protocol, scope, url), or raises :class:`PoolUrlError`.
    ``sample``: ``addImageStore`` parameters (url, details) it accepts.
    """

    name: str
    scopes: frozenset[str]
    initialize: Callable[[Ctx, ImageStoreRequest], dict[str, Any]]
    sample: Mapping[str, str]
    cache: bool = False
    since: str | None = None
    kind: Literal["image"] = "image"


Provider = PrimaryProvider | ImageProvider

# listStorageProviders' ``type`` parameter (matched case-insensitively) -> the type an
# entry answers with: ``DataStoreProviderType.<X>.toString()``
# (DataStoreProviderManagerImpl.getPrimaryDataStoreProviders and its siblings).
PROVIDER_TYPES = {"primary": "PRIMARY", "image": "IMAGE", "imagecache": "ImageCache"}


def no_host_up_in_cluster(ctx: Ctx, cluster_id: str) -> bool:
    """True when no host of the cluster is Up (``ResourceManager.listAllUpHosts`` is
    empty: the ``attachCluster`` of the default and SolidFireShared lifecycles fail)."""
    return not any(h["state"] == "Up" for h in ctx.store.find("host", clusterid=cluster_id))


def up_and_enabled_hosts(ctx: Ctx, zone_id: str, hypervisor: str) -> list[Item]:
    """The zone's hosts that are Up and Enabled and run *hypervisor*
    (``ResourceManagerImpl.listAllUpAndEnabledHostsInOneZoneByHypervisor``, which
    compares the hypervisor type with ``EQ``: no host runs ``Any``)."""
    return [
        h
        for h in ctx.store.find("host", zoneid=zone_id)
        if h["state"] == "Up" and h["resourcestate"] == "Enabled" and h["hypervisor"] == hypervisor
    ]
