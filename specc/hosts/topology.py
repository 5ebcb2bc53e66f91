"""Who reaches what: the hosts behind each primary storage pool, by backend.

A pool of scope ``cluster`` reaches the hosts of its cluster; a pool of scope
``zone`` reaches every host of the zone whose hypervisor matches the pool's
(``Any`` or no hypervisor: all of them). Host scripts are needed by the pools
their host reaches. What a host reaches a backend at is the backend model's own
``storage_addresses()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, ip_address
from typing import TYPE_CHECKING

from specc.core.ids import ResourceId

if TYPE_CHECKING:  # the model imports the backends, whose host scripts import this module
    from specc.spec.models import Backend, Cluster, Host, PrimaryStorage, Spec, Subnet


@dataclass(frozen=True)
class Placed:
    """A host with where it sits: zone, pod and cluster."""

    zone: str
    pod: str
    cluster: Cluster
    host: Host

    @property
    def resource(self) -> str:
        """The host's ResourceId text."""
        return str(ResourceId("host", (self.zone, self.pod, self.cluster.name, self.host.name)))


@dataclass(frozen=True)
class PoolUse:
    """A primary storage pool, its backend and the hosts it reaches."""

    zone: str
    pool: PrimaryStorage
    backend: Backend
    hosts: tuple[Placed, ...]

    @property
    def resource(self) -> str:
        """The pool's ResourceId text."""
        return str(ResourceId("storagepool", (self.zone, self.pool.name)))


def pool_ids(uses: tuple[PoolUse, ...] | list[PoolUse]) -> tuple[str, ...]:
    """The sorted storage-pool ids of *uses* (a script's ``needed_by``)."""
    return tuple(sorted({u.resource for u in uses}))


def all_hosts(spec: Spec) -> tuple[Placed, ...]:
    """Every host of the spec with its place, in spec order."""
    out: list[Placed] = []
    for zone in spec.zones:
        for pod in zone.pods:
            for cluster in pod.clusters:
                out.extend(Placed(zone.name, pod.name, cluster, h) for h in cluster.hosts)
    return tuple(out)


def pool_uses(spec: Spec) -> tuple[PoolUse, ...]:
    """Each primary storage pool with its backend and reached hosts (unknown backends skipped)."""
    backends = {b.name: b for b in spec.backends}
    hosts = all_hosts(spec)
    out: list[PoolUse] = []
    for zone in spec.zones:
        for pool in zone.primary_storage:
            backend = backends.get(pool.backend)
            if backend is None:
                continue
            if pool.scope == "cluster":
                reached = [
                    p
                    for p in hosts
                    if p.zone == zone.name
                    and (pool.pod is None or p.pod == pool.pod)
                    and p.cluster.name == pool.cluster
                ]
            else:
                reached = [
                    p
                    for p in hosts
                    if p.zone == zone.name
                    and (
                        pool.hypervisor in (None, "Any") or p.cluster.hypervisor == pool.hypervisor
                    )
                ]
            out.append(PoolUse(zone.name, pool, backend, tuple(reached)))
    return tuple(out)


def find_host(spec: Spec, name: str) -> Placed | None:
    """The first host called *name*, if any."""
    for p in all_hosts(spec):
        if p.host.name == name:
            return p
    return None


def in_subnet(address: str, subnet: Subnet) -> bool:
    """True when *address* is an IPv4 address inside *subnet* (names are not).

    >>> from ipaddress import IPv4Network
    >>> from specc.spec.models import Subnet
    >>> s = Subnet(name="st", cidr=IPv4Network("10.2.0.0/24"), role="storage")
    >>> in_subnet("10.2.0.9", s), in_subnet("mon.example", s)
    (True, False)
    """
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return isinstance(ip, IPv4Address) and ip in IPv4Network(subnet.cidr)


def storage_subnet_of(spec: Spec, host: Host) -> Subnet | None:
    """The storage subnet that holds the host's storage address, if any."""
    if host.storage_address is None:
        return None
    for s in spec.subnets:
        if s.role == "storage" and host.storage_address in s.cidr:
            return s
    return None
