"""Read-only views over a Spec that several rule modules share.

These helpers walk the zone/pod/cluster/host tree with the JSON path of every
object, resolve backends by name, and answer the questions rules keep asking:
which clusters does a pool reach, which pools carry an offering's storage tags.
They never judge anything; the rules do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from ipaddress import AddressValueError, IPv4Address, IPv4Network
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from specc.spec.rules import JsonPath

if TYPE_CHECKING:  # the model imports the backends, whose rules import this module
    from specc.spec.models import (
        Backend,
        Cluster,
        ComputeOffering,
        DiskOffering,
        Host,
        Pod,
        PrimaryStorage,
        Spec,
        Subnet,
        Zone,
    )

    Offering: TypeAlias = DiskOffering | ComputeOffering


class ClusterAt(NamedTuple):
    """A cluster with its zone, pod and JSON path."""

    zone: Zone
    pod: Pod
    cluster: Cluster
    path: JsonPath


class HostAt(NamedTuple):
    """A host with its cluster context and JSON path."""

    zone: Zone
    pod: Pod
    cluster: Cluster
    host: Host
    path: JsonPath


class PoolAt(NamedTuple):
    """A primary storage pool with its zone and JSON path."""

    zone: Zone
    pool: PrimaryStorage
    path: JsonPath
    zone_index: int


def iter_clusters(spec: Spec) -> Iterator[ClusterAt]:
    """Every cluster of the spec, in document order."""
    for zi, zone in enumerate(spec.zones):
        for pi, pod in enumerate(zone.pods):
            for ci, cluster in enumerate(pod.clusters):
                yield ClusterAt(zone, pod, cluster, ("zones", zi, "pods", pi, "clusters", ci))


def iter_hosts(spec: Spec) -> Iterator[HostAt]:
    """Every host of the spec, in document order."""
    for at in iter_clusters(spec):
        for hi, host in enumerate(at.cluster.hosts):
            yield HostAt(at.zone, at.pod, at.cluster, host, (*at.path, "hosts", hi))


def iter_pools(spec: Spec) -> Iterator[PoolAt]:
    """Every primary storage pool of the spec, in document order."""
    for zi, zone in enumerate(spec.zones):
        for si, pool in enumerate(zone.primary_storage):
            yield PoolAt(zone, pool, ("zones", zi, "primary_storage", si), zi)


def iter_offerings(spec: Spec) -> Iterator[tuple[Offering, JsonPath]]:
    """Every disk then compute offering, with its JSON path."""
    for i, disk in enumerate(spec.offerings.disk):
        yield disk, ("offerings", "disk", i)
    for i, compute in enumerate(spec.offerings.compute):
        yield compute, ("offerings", "compute", i)


def backend_named(spec: Spec, name: str) -> Backend | None:
    """The first backend called *name*, or None."""
    return next((b for b in spec.backends if b.name == name), None)


def subnet_named(spec: Spec, name: str) -> Subnet | None:
    """The first subnet called *name*, or None."""
    return next((s for s in spec.subnets if s.name == name), None)


def host_index(spec: Spec) -> dict[str, HostAt]:
    """Hosts by name (the first one wins when names repeat)."""
    index: dict[str, HostAt] = {}
    for at in iter_hosts(spec):
        index.setdefault(at.host.name, at)
    return index


def pool_clusters(zone: Zone, pool: PrimaryStorage) -> list[Cluster]:
    """The clusters whose hosts mount *pool*.

    A cluster-scope pool reaches its one cluster; a zone-scope pool reaches every
    cluster of the zone whose hypervisor matches (``Any`` matches all).
    """
    clusters = [c for p in zone.pods for c in p.clusters]
    if pool.scope == "cluster":
        return [
            c for p in zone.pods if p.name == pool.pod for c in p.clusters if c.name == pool.cluster
        ][:1]
    if pool.hypervisor in (None, "Any"):
        return clusters
    return [c for c in clusters if c.hypervisor == pool.hypervisor]


def pool_hypervisors(zone: Zone, pool: PrimaryStorage) -> set[str]:
    """The hypervisors of the clusters that mount *pool*."""
    return {c.hypervisor for c in pool_clusters(zone, pool)}


def hosts_mounting(at: PoolAt) -> Iterator[HostAt]:
    """The hosts that mount a pool (those of the clusters it reaches), with their paths."""
    reached = {id(c) for c in pool_clusters(at.zone, at.pool)}
    for pi, pod in enumerate(at.zone.pods):
        for ci, cluster in enumerate(pod.clusters):
            if id(cluster) not in reached:
                continue
            path = ("zones", at.zone_index, "pods", pi, "clusters", ci)
            for hi, host in enumerate(cluster.hosts):
                yield HostAt(at.zone, pod, cluster, host, (*path, "hosts", hi))


def pools_by_cluster(spec: Spec) -> dict[int, list[PoolAt]]:
    """The pools each cluster mounts, keyed by ``id(cluster)`` (computed in one pass)."""
    index: dict[int, list[PoolAt]] = {}
    for at in iter_pools(spec):
        for cluster in pool_clusters(at.zone, at.pool):
            index.setdefault(id(cluster), []).append(at)
    return index


def tags_match(offering_tags: Sequence[str], pool_tags: Sequence[str]) -> bool:
    """True when a pool carries every storage tag of an offering (case-insensitive).

    >>> tags_match(["rbd"], ["RBD", "ssd"])
    True
    >>> tags_match(["RBD", "fast"], ["RBD"])
    False
    >>> tags_match([], ["anything"])
    True
    """
    have = {t.casefold() for t in pool_tags}
    return all(t.casefold() in have for t in offering_tags)


def offered_zones(spec: Spec, offering: Offering) -> list[Zone]:
    """The zones an offering is offered in (all zones when it names none)."""
    if offering.zones is None:
        return list(spec.zones)
    wanted = set(offering.zones)
    return [z for z in spec.zones if z.name in wanted]


def matching_pools(spec: Spec, offering: Offering) -> list[PoolAt]:
    """Shared pools, in the offering's zones, that carry all its storage tags."""
    zones = None if offering.zones is None else set(offering.zones)
    wanted = {t.casefold() for t in offering.storage_tags}
    found: list[PoolAt] = []
    for zi, zone in enumerate(spec.zones):
        if zones is not None and zone.name not in zones:
            continue
        for si, pool in enumerate(zone.primary_storage):
            if wanted <= {t.casefold() for t in pool.tags}:
                found.append(PoolAt(zone, pool, ("zones", zi, "primary_storage", si), zi))
    return found


class OfferingReach:
    """Where offerings land, memoized by (storage tags, zones): offerings share tags.

    For an offering: the pools that carry its storage tags in its zones, the types of
    their backends (``?`` for a pool whose backend is not declared), and for one
    backend type the hypervisors of the clusters that mount its pools.
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.backends = {b.name: b for b in spec.backends}
        self.memo: dict[object, tuple[list[PoolAt], set[str]]] = {}
        self.memo_hv: dict[object, set[str]] = {}

    @staticmethod
    def _key(offering: Offering) -> object:
        tags = frozenset(t.casefold() for t in offering.storage_tags)
        return (tags, None if offering.zones is None else tuple(sorted(offering.zones)))

    def kinds(self, offering: Offering) -> tuple[list[PoolAt], set[str]]:
        """The pools an offering lands on, and the types of their backends."""
        key = self._key(offering)
        if key not in self.memo:
            pools = matching_pools(self.spec, offering)
            kinds: set[str] = set()
            for at in pools:
                backend = self.backends.get(at.pool.backend)
                kinds.add(backend.type if backend is not None else "?")
            self.memo[key] = (pools, kinds)
        return self.memo[key]

    def hypervisors(self, offering: Offering, backend_type: str) -> set[str]:
        """Hypervisors of the clusters mounting the *backend_type* pools it lands on."""
        key = (self._key(offering), backend_type)
        if key not in self.memo_hv:
            found: set[str] = set()
            for at in self.kinds(offering)[0]:
                backend = self.backends.get(at.pool.backend)
                if backend is not None and backend.type == backend_type:
                    found |= pool_hypervisors(at.zone, at.pool)
            self.memo_hv[key] = found
        return self.memo_hv[key]


def pool_backend_type(spec: Spec, pool: PrimaryStorage) -> str | None:
    """The type of the backend a pool names, or None when it names none that exists."""
    backend = backend_named(spec, pool.backend)
    return None if backend is None else backend.type


@lru_cache(maxsize=65536)
def as_ip(value: str) -> IPv4Address | None:
    """*value* as an IPv4 address, or None when it is a name.

    Memoized: it is pure, and several rules parse the same host addresses.

    >>> as_ip("10.0.0.1")
    IPv4Address('10.0.0.1')
    >>> as_ip("mon.example.org") is None
    True
    """
    if not value[:1].isdigit():
        return None  # names are the common non-IP case; skip the parser
    try:
        return IPv4Address(value)
    except AddressValueError:
        return None


def in_network(addr: IPv4Address | str | None, net: IPv4Network) -> bool:
    """True when *addr* (an address or an IP string) lies in *net*."""
    ip = as_ip(addr) if isinstance(addr, str) else addr
    return ip is not None and ip in net


def version_tuple(version: str) -> tuple[int, ...]:
    """A CloudStack version as a comparable tuple.

    >>> version_tuple("4.11.1") >= (4, 11, 1)
    True
    >>> version_tuple("4.9") < (4, 11, 1)
    True
    """
    return tuple(int(part) for part in version.split("."))
