"""Addressing, storage-traffic separation and provider prerequisites (SPC30x-31x).

From the "separate management traffic from primary storage" article: the storage
subnet never overlaps the management subnet, the storage system's addresses lie in
the storage subnet, and every host that mounts that storage has an address in it.
And what a network service provider needs before CloudStack enables it (SPC319).
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.errors import Severity
from specc.spec.models import IpRange, Spec, Subnet
from specc.spec.rules import Finding, JsonPath, Rule
from specc.spec.rules.topology import (
    as_ip,
    hosts_mounting,
    iter_hosts,
    iter_pools,
    subnet_named,
)

E = Severity.ERROR
W = Severity.WARNING


def subnets_overlap(spec: Spec) -> Iterator[Finding]:
    """SPC301: no two subnets overlap."""
    for i, a in enumerate(spec.subnets):
        for b in spec.subnets[:i]:
            if a.cidr.overlaps(b.cidr):
                yield Finding(
                    "SPC301",
                    E,
                    ("subnets", i, "cidr"),
                    f"subnet '{a.name}' ({a.cidr}, {a.role}) overlaps subnet '{b.name}' "
                    f"({b.cidr}, {b.role})",
                    "Storage and management subnets must never overlap, or the host routes "
                    "storage traffic through the management NIC; give each a distinct CIDR.",
                )


def gateway_in_subnet(spec: Spec) -> Iterator[Finding]:
    """SPC302: a subnet's gateway lies inside it and is not its network/broadcast address."""
    for i, s in enumerate(spec.subnets):
        gw = s.gateway
        if gw is None:
            continue
        if gw not in s.cidr or (
            s.cidr.prefixlen < 31 and gw in (s.cidr.network_address, s.cidr.broadcast_address)
        ):
            yield Finding(
                "SPC302",
                E,
                ("subnets", i, "gateway"),
                f"gateway {gw} of subnet '{s.name}' is not a usable address of {s.cidr}",
                f"Use an address between {s.cidr.network_address + 1} and "
                f"{s.cidr.broadcast_address - 1}.",
            )


def netmask_matches(spec: Spec) -> Iterator[Finding]:
    """SPC303: an explicit netmask equals the CIDR's."""
    for i, s in enumerate(spec.subnets):
        if s.netmask is not None and s.netmask != s.cidr.netmask:
            yield Finding(
                "SPC303",
                E,
                ("subnets", i, "netmask"),
                f"netmask {s.netmask} of subnet '{s.name}' does not match {s.cidr} "
                f"(netmask {s.cidr.netmask})",
                "Remove 'netmask' (it is derived from cidr) or make them agree.",
            )


def _ranges(spec: Spec) -> Iterator[tuple[str, IpRange, str, JsonPath]]:
    """Every start..end range with a label, the role it needs, and its path."""
    for zi, zone in enumerate(spec.zones):
        for ri, rng in enumerate(zone.public_ranges):
            label = f"public range {rng.start}-{rng.end} of zone '{zone.name}'"
            yield label, rng, "public", ("zones", zi, "public_ranges", ri)
        for si, net in enumerate(zone.shared_networks):
            for ri, rng in enumerate(net.ranges):
                label = f"range {rng.start}-{rng.end} of shared network '{net.name}'"
                yield label, rng, "guest", ("zones", zi, "shared_networks", si, "ranges", ri)
        for pi, pod in enumerate(zone.pods):
            path: JsonPath = ("zones", zi, "pods", pi)
            mgmt = IpRange(subnet=pod.subnet, start=pod.start_ip, end=pod.end_ip)
            yield f"pod '{pod.name}' range {pod.start_ip}-{pod.end_ip}", mgmt, "management", path
            if pod.storage_range is not None:
                sr = pod.storage_range
                label = f"storage range {sr.start}-{sr.end} of pod '{pod.name}'"
                yield label, sr, "storage", (*path, "storage_range")
            for gi, rng in enumerate(pod.guest_ranges):
                label = f"guest range {rng.start}-{rng.end} of pod '{pod.name}'"
                yield label, rng, "guest", (*path, "guest_ranges", gi)


def _start_field(path: JsonPath) -> JsonPath:
    return (*path, "start") if path[-2:-1] != ("pods",) else (*path, "start_ip")


def _end_field(path: JsonPath) -> JsonPath:
    return (*path, "end") if path[-2:-1] != ("pods",) else (*path, "end_ip")


def ranges_ordered(spec: Spec) -> Iterator[Finding]:
    """SPC304: a range's start is not after its end."""
    for label, rng, _role, path in _ranges(spec):
        if rng.start > rng.end:
            yield Finding(
                "SPC304",
                E,
                _start_field(path),
                f"{label}: start {rng.start} is after end {rng.end}",
                "Swap start and end.",
            )


def ranges_in_subnet(spec: Spec) -> Iterator[Finding]:
    """SPC305: a range lies inside its subnet and does not contain the gateway."""
    for label, rng, _role, path in _ranges(spec):
        subnet = subnet_named(spec, rng.subnet)
        if subnet is None:
            continue
        for field, addr in (("start", rng.start), ("end", rng.end)):
            if addr not in subnet.cidr:
                where = _start_field(path) if field == "start" else _end_field(path)
                yield Finding(
                    "SPC305",
                    E,
                    where,
                    f"{label}: {field} {addr} is outside subnet '{subnet.name}' ({subnet.cidr})",
                    f"Choose addresses inside {subnet.cidr}.",
                )
        gw = subnet.gateway
        if gw is not None and rng.start <= gw <= rng.end:
            yield Finding(
                "SPC305",
                E,
                _start_field(path),
                f"{label} contains the gateway {gw} of subnet '{subnet.name}'",
                "Start the range after the gateway, or end it before.",
            )


def range_roles(spec: Spec) -> Iterator[Finding]:
    """SPC306: pod ranges use a management subnet, storage ranges a storage subnet, etc."""
    for label, rng, role, path in _ranges(spec):
        subnet = subnet_named(spec, rng.subnet)
        if subnet is not None and subnet.role != role:
            yield Finding(
                "SPC306",
                E,
                (*path, "subnet"),
                f"{label} is in subnet '{subnet.name}' whose role is {subnet.role}, not {role}",
                f"Use a subnet with role {role}.",
            )


def ranges_disjoint(spec: Spec) -> Iterator[Finding]:
    """SPC307: no two ranges share an address."""
    ranges = [
        (rng.start, n, label, rng, path) for n, (label, rng, _, path) in enumerate(_ranges(spec))
    ]
    ordered = sorted(ranges, key=lambda item: (item[0], item[1]))
    reach: tuple[str, IpRange] | None = None  # the range seen so far that ends last
    found: list[tuple[int, Finding]] = []
    for _start, n, label, rng, path in ordered:
        if rng.start > rng.end:
            continue  # SPC304
        if reach is not None and rng.start <= reach[1].end:
            found.append(
                (
                    n,
                    Finding(
                        "SPC307",
                        E,
                        _start_field(path),
                        f"{label} overlaps {reach[0]}",
                        "CloudStack hands these addresses to system VMs; ranges must not "
                        "share addresses.",
                    ),
                )
            )
        if reach is None or rng.end > reach[1].end:
            reach = (label, rng)
    yield from (f for _n, f in sorted(found, key=lambda item: item[0]))


def _storage_subnets(spec: Spec) -> list[Subnet]:
    return [s for s in spec.subnets if s.role == "storage"]


def storage_address_in_storage_subnet(spec: Spec) -> Iterator[Finding]:
    """SPC308: a host's storage address lies in a storage subnet."""
    storage = _storage_subnets(spec)
    for at in iter_hosts(spec):
        addr = at.host.storage_address
        if addr is None or any(addr in s.cidr for s in storage):
            continue
        names = ", ".join(f"{s.name} ({s.cidr})" for s in storage) or "none declared"
        yield Finding(
            "SPC308",
            E,
            (*at.path, "storage_address"),
            f"storage address {addr} of host '{at.host.name}' is in no storage subnet "
            f"(storage subnets: {names})",
            "Use an address in a subnet with role storage, so the host routes storage "
            "traffic through its storage NIC.",
        )


def backend_address_in_subnet(spec: Spec) -> Iterator[Finding]:
    """SPC309: a backend's storage address (server, SVIP, monitors) lies in its subnet.

    The addresses are the backend model's ``storage_addresses()``, the ones the host
    scripts ping: an iSCSI portal ``10.0.0.5:3260`` is checked as 10.0.0.5.
    """
    for bi, backend in enumerate(spec.backends):
        if backend.subnet is None:
            continue
        subnet = subnet_named(spec, backend.subnet)
        if subnet is None:
            continue
        for at in backend.storage_addresses():
            ip = as_ip(at.address)
            if ip is None or ip in subnet.cidr:
                continue
            yield Finding(
                "SPC309",
                E,
                ("backends", bi, *at.path),
                f"{backend.type} backend '{backend.name}' {at.field} {ip} is outside "
                f"its subnet '{subnet.name}' ({subnet.cidr})",
                "The storage system's addresses must be inside the storage subnet; fix the "
                "address or the backend's subnet.",
            )


def backend_subnet_declared(spec: Spec) -> Iterator[Finding]:
    """SPC317: a backend whose address lies in a storage subnet declares that subnet (warning)."""
    storage = [s for s in spec.subnets if s.role == "storage"]
    for bi, backend in enumerate(spec.backends):
        if backend.subnet is not None or not storage:
            continue
        for at in backend.storage_addresses():
            ip = as_ip(at.address)
            subnet = next((s for s in storage if ip is not None and ip in s.cidr), None)
            if subnet is None:
                continue
            yield Finding(
                "SPC317",
                W,
                ("backends", bi, *at.path),
                f"{backend.type} backend '{backend.name}' {at.field} {ip} lies in "
                f"storage subnet '{subnet.name}', but the backend does not say subnet: "
                f"{subnet.name}",
                f"Add 'subnet: {subnet.name}' so that every host mounting it is checked for a "
                "storage address in that subnet.",
            )
            break


def backend_subnet_role(spec: Spec) -> Iterator[Finding]:
    """SPC310: a backend's subnet should be a storage subnet (warning)."""
    for bi, backend in enumerate(spec.backends):
        subnet = subnet_named(spec, backend.subnet) if backend.subnet else None
        if subnet is not None and subnet.role != "storage":
            yield Finding(
                "SPC310",
                W,
                ("backends", bi, "subnet"),
                f"backend '{backend.name}' is reached over subnet '{subnet.name}' whose role is "
                f"{subnet.role}, not storage",
                "Declare the subnet with role storage, or drop 'subnet' from the backend.",
            )


def hosts_reach_backend_subnet(spec: Spec) -> Iterator[Finding]:
    """SPC311: a host mounting a backend over a storage subnet has a storage address in it."""
    by_name = {b.name: b for b in spec.backends}
    reported: set[tuple[str, str]] = set()
    for at in iter_pools(spec):
        backend = by_name.get(at.pool.backend)
        if backend is None or backend.subnet is None:
            continue
        subnet = subnet_named(spec, backend.subnet)
        if subnet is None:
            continue
        for host_at in hosts_mounting(at):
            host = host_at.host
            key = (host.name, backend.name)
            if key in reported:
                continue
            if host.storage_address is None or host.storage_address not in subnet.cidr:
                reported.add(key)
                got = host.storage_address or "none"
                yield Finding(
                    "SPC311",
                    E,
                    (*host_at.path, "storage_address" if host.storage_address else "name"),
                    f"host '{host.name}' mounts '{at.pool.name}' on backend '{backend.name}' "
                    f"over subnet '{subnet.name}' ({subnet.cidr}) but its storage address is "
                    f"{got}",
                    f"Give the host a storage_address in {subnet.cidr} (an extra NIC or VLAN "
                    "interface).",
                )


def host_address_in_pod_subnet(spec: Spec) -> Iterator[Finding]:
    """SPC312: a host's management IP lies in its pod's management subnet (warning)."""
    for at in iter_hosts(spec):
        ip = as_ip(at.host.address)
        subnet = subnet_named(spec, at.pod.subnet)
        if ip is not None and subnet is not None and ip not in subnet.cidr:
            yield Finding(
                "SPC312",
                W,
                (*at.path, "address"),
                f"host '{at.host.name}' address {ip} is outside the management subnet "
                f"'{subnet.name}' ({subnet.cidr}) of pod '{at.pod.name}'",
                "Hosts of a pod normally sit in the pod's management subnet; check the address.",
            )


def host_address_outside_pod_range(spec: Spec) -> Iterator[Finding]:
    """SPC316: a host's management IP is not inside its pod's system VM range.

    Simulator hosts are exempt: their address is no machine's, the simulator's agent
    manager draws it from the pod's subnet itself (apache/cloudstack 4.18.2.5
    ``MockAgentManagerImpl.getIpAddress``: the pod CIDR's address plus a random offset
    below the prefix length), so Marvin's simulator zones have hosts inside the range.
    """
    for at in iter_hosts(spec):
        if at.cluster.hypervisor == "Simulator":
            continue
        ip = as_ip(at.host.address)
        if ip is not None and at.pod.start_ip <= ip <= at.pod.end_ip:
            yield Finding(
                "SPC316",
                E,
                (*at.path, "address"),
                f"host '{at.host.name}' address {ip} lies inside the system range "
                f"{at.pod.start_ip}-{at.pod.end_ip} of pod '{at.pod.name}'",
                "CloudStack gives addresses of the pod range to system VMs; move the host or "
                "shrink the range.",
            )


def storage_interface_needs_address(spec: Spec) -> Iterator[Finding]:
    """SPC318: a host naming a storage NIC also gives its storage address (warning)."""
    for at in iter_hosts(spec):
        host = at.host
        if host.storage_interface is not None and host.storage_address is None:
            yield Finding(
                "SPC318",
                W,
                (*at.path, "storage_interface"),
                f"host '{host.name}' names storage interface {host.storage_interface} but no "
                "storage_address",
                "Give the storage_address to configure on that interface, or drop "
                "storage_interface.",
            )


def storage_range_needs_storage_traffic(spec: Spec) -> Iterator[Finding]:
    """SPC313: a pod storage range needs a Storage traffic type in its zone (warning)."""
    for zi, zone in enumerate(spec.zones):
        has_storage = any(t.type == "Storage" for n in zone.physical_networks for t in n.traffic)
        for pi, pod in enumerate(zone.pods):
            if pod.storage_range is not None and not has_storage:
                yield Finding(
                    "SPC313",
                    W,
                    ("zones", zi, "pods", pi, "storage_range"),
                    f"pod '{pod.name}' has a storage IP range but zone '{zone.name}' has no "
                    "Storage traffic type",
                    "Add a traffic entry of type Storage to a physical network of the zone; "
                    "without it system VMs keep using the management network for storage.",
                )


def public_range_gateway(spec: Spec) -> Iterator[Finding]:
    """SPC314: a public range's subnet declares a gateway (createVlanIpRange needs it)."""
    for zi, zone in enumerate(spec.zones):
        for ri, rng in enumerate(zone.public_ranges):
            subnet = subnet_named(spec, rng.subnet)
            if subnet is not None and subnet.gateway is None:
                yield Finding(
                    "SPC314",
                    E,
                    ("zones", zi, "public_ranges", ri, "subnet"),
                    f"public range {rng.start}-{rng.end} uses subnet '{subnet.name}', "
                    "which has no gateway",
                    "Set 'gateway' on the subnet: public IP ranges need one.",
                )


def guest_cidr_overlap(spec: Spec) -> Iterator[Finding]:
    """SPC315: a zone's guest CIDR does not overlap a declared subnet (warning)."""
    for zi, zone in enumerate(spec.zones):
        if zone.guest_cidr is None:
            continue
        for s in spec.subnets:
            if zone.guest_cidr.overlaps(s.cidr):
                yield Finding(
                    "SPC315",
                    W,
                    ("zones", zi, "guest_cidr"),
                    f"guest CIDR {zone.guest_cidr} of zone '{zone.name}' overlaps subnet "
                    f"'{s.name}' ({s.cidr})",
                    "Guest networks that overlap infrastructure subnets confuse routing; "
                    "pick a distinct guest CIDR.",
                )
                break


def tungsten_needs_management_traffic(spec: Spec) -> Iterator[Finding]:
    """SPC319: a physical network that enables Tungsten carries Management traffic.

    apache/cloudstack 4.18.2.5 and 4.22.1.0 ``TungstenElement.isReady``:
    ``physicalNetworkTrafficTypeDao.findBy(provider.getPhysicalNetworkId(),
    TrafficType.Management) != null``; without it
    ``NetworkServiceImpl.updateNetworkServiceProvider`` refuses to enable the provider
    ("Provider is not ready, cannot Enable the provider, please configure the provider
    first").
    """
    for zi, zone in enumerate(spec.zones):
        for ni, pn in enumerate(zone.physical_networks):
            if "Tungsten" not in pn.providers:
                continue
            if any(t.type == "Management" for t in pn.traffic):
                continue
            yield Finding(
                "SPC319",
                E,
                ("zones", zi, "physical_networks", ni, "providers", pn.providers.index("Tungsten")),
                f"physical network '{pn.name}' enables Tungsten but carries no Management "
                "traffic: CloudStack refuses to enable the provider (TungstenElement.isReady)",
                "Enable Tungsten on the physical network that carries the Management traffic, "
                "or add a Management traffic entry to this one.",
            )


RULES: tuple[Rule, ...] = (
    subnets_overlap,
    gateway_in_subnet,
    netmask_matches,
    ranges_ordered,
    ranges_in_subnet,
    range_roles,
    ranges_disjoint,
    storage_address_in_storage_subnet,
    backend_address_in_subnet,
    backend_subnet_declared,
    backend_subnet_role,
    hosts_reach_backend_subnet,
    host_address_in_pod_subnet,
    host_address_outside_pod_range,
    storage_interface_needs_address,
    storage_range_needs_storage_traffic,
    tungsten_needs_management_traffic,
    public_range_gateway,
    guest_cidr_overlap,
)
