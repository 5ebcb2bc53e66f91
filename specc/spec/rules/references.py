"""References between spec objects and unique names within a scope (SPC2xx).

A reference rule points at the value that names something missing; a duplicate
rule points at the second (and later) object that reuses a name. The references
inside one backend (OCFS2's member hosts, SPC224) are checked by that backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from specc.backends import BACKENDS
from specc.errors import Severity
from specc.spec.models import Spec
from specc.spec.rules import Finding, JsonPath, Rule
from specc.spec.rules.topology import iter_clusters, iter_hosts, iter_pools

E = Severity.ERROR


def _duplicates(
    code: str, what: str, scope: str, items: Iterable[tuple[str, JsonPath]]
) -> Iterator[Finding]:
    seen: dict[str, JsonPath] = {}
    for name, path in items:
        key = name.casefold()
        if key in seen:
            yield Finding(
                code,
                E,
                (*path, "name"),
                f"{what} name '{name}' is used twice {scope}",
                f"Rename one of them: the first is at {'/'.join(map(str, seen[key]))}.",
            )
        else:
            seen[key] = path


def duplicate_subnets(spec: Spec) -> Iterator[Finding]:
    """SPC201: subnet names are unique."""
    yield from _duplicates(
        "SPC201",
        "subnet",
        "in the spec",
        ((s.name, ("subnets", i)) for i, s in enumerate(spec.subnets)),
    )


def duplicate_backends(spec: Spec) -> Iterator[Finding]:
    """SPC202: backend names are unique."""
    yield from _duplicates(
        "SPC202",
        "backend",
        "in the spec",
        ((b.name, ("backends", i)) for i, b in enumerate(spec.backends)),
    )


def duplicate_zones(spec: Spec) -> Iterator[Finding]:
    """SPC203: zone names are unique."""
    yield from _duplicates(
        "SPC203", "zone", "in the spec", ((z.name, ("zones", i)) for i, z in enumerate(spec.zones))
    )


def duplicate_pods(spec: Spec) -> Iterator[Finding]:
    """SPC204: pod names are unique within a zone."""
    for zi, zone in enumerate(spec.zones):
        yield from _duplicates(
            "SPC204",
            "pod",
            f"in zone '{zone.name}'",
            ((p.name, ("zones", zi, "pods", pi)) for pi, p in enumerate(zone.pods)),
        )


def duplicate_clusters(spec: Spec) -> Iterator[Finding]:
    """SPC205: cluster names are unique within a zone (pool references use pod+cluster)."""
    for zi, zone in enumerate(spec.zones):
        yield from _duplicates(
            "SPC205",
            "cluster",
            f"in zone '{zone.name}'",
            (
                (c.name, ("zones", zi, "pods", pi, "clusters", ci))
                for pi, p in enumerate(zone.pods)
                for ci, c in enumerate(p.clusters)
            ),
        )


def duplicate_hosts(spec: Spec) -> Iterator[Finding]:
    """SPC206: host names are unique in the spec (OCFS2 members refer to them)."""
    yield from _duplicates(
        "SPC206", "host", "in the spec", ((h.host.name, h.path) for h in iter_hosts(spec))
    )


def duplicate_host_addresses(spec: Spec) -> Iterator[Finding]:
    """SPC207: two hosts never share a management or storage address."""
    seen: dict[str, str] = {}
    for at in iter_hosts(spec):
        for field in ("address", "storage_address"):
            value = getattr(at.host, field)
            if value is None:
                continue
            key = str(value).casefold()
            if key in seen:
                yield Finding(
                    "SPC207",
                    E,
                    (*at.path, field),
                    f"host '{at.host.name}' {field} {value} is already used by host '{seen[key]}'",
                    "Give every host its own management and storage address.",
                )
            else:
                seen[key] = at.host.name


def duplicate_pools(spec: Spec) -> Iterator[Finding]:
    """SPC208: primary and secondary storage names are unique within a zone."""
    for zi, zone in enumerate(spec.zones):
        yield from _duplicates(
            "SPC208",
            "primary storage",
            f"in zone '{zone.name}'",
            (
                (p.name, ("zones", zi, "primary_storage", i))
                for i, p in enumerate(zone.primary_storage)
            ),
        )
        yield from _duplicates(
            "SPC208",
            "secondary storage",
            f"in zone '{zone.name}'",
            (
                (s.name, ("zones", zi, "secondary_storage", i))
                for i, s in enumerate(zone.secondary_storage)
            ),
        )


def duplicate_physical_networks(spec: Spec) -> Iterator[Finding]:
    """SPC209: physical network names are unique within a zone."""
    for zi, zone in enumerate(spec.zones):
        yield from _duplicates(
            "SPC209",
            "physical network",
            f"in zone '{zone.name}'",
            (
                (n.name, ("zones", zi, "physical_networks", i))
                for i, n in enumerate(zone.physical_networks)
            ),
        )


def duplicate_offerings(spec: Spec) -> Iterator[Finding]:
    """SPC210: disk offering names are unique, and compute offering names are unique."""
    for kind in ("disk", "compute"):
        offerings = getattr(spec.offerings, kind)
        yield from _duplicates(
            "SPC210",
            f"{kind} offering",
            "in the spec",
            ((o.name, ("offerings", kind, i)) for i, o in enumerate(offerings)),
        )


def duplicate_images(spec: Spec) -> Iterator[Finding]:
    """SPC211: a template name is unique per zone and hypervisor; an ISO name per zone."""
    all_zones = [z.name for z in spec.zones]
    seen: dict[tuple[str, str, str], int] = {}
    for i, t in enumerate(spec.templates):
        for zone in t.zones or all_zones:
            key = (t.name.casefold(), zone, t.hypervisor)
            if key in seen and seen[key] != i:
                yield Finding(
                    "SPC211",
                    E,
                    ("templates", i, "name"),
                    f"template '{t.name}' for {t.hypervisor} is registered twice in zone '{zone}'",
                    "Rename one template, or register them in different zones.",
                )
                break
            seen[key] = i
    seen_iso: dict[tuple[str, str], int] = {}
    for i, iso in enumerate(spec.isos):
        for zone in iso.zones or all_zones:
            iso_key = (iso.name.casefold(), zone)
            if iso_key in seen_iso and seen_iso[iso_key] != i:
                yield Finding(
                    "SPC211",
                    E,
                    ("isos", i, "name"),
                    f"ISO '{iso.name}' is registered twice in zone '{zone}'",
                    "Rename one ISO, or register them in different zones.",
                )
                break
            seen_iso[iso_key] = i


def missing_backends(spec: Spec) -> Iterator[Finding]:
    """SPC220: a primary or secondary storage names a backend that does not exist."""
    names = {b.name for b in spec.backends}
    hint = f"Declare it under 'backends', or use one of: {', '.join(sorted(names)) or '(none)'}."
    for at in iter_pools(spec):
        if at.pool.backend not in names:
            yield Finding(
                "SPC220",
                E,
                (*at.path, "backend"),
                f"primary storage '{at.pool.name}' names backend '{at.pool.backend}', "
                "which is not declared",
                hint,
            )
    for zi, zone in enumerate(spec.zones):
        for si, sec in enumerate(zone.secondary_storage):
            if sec.backend not in names:
                yield Finding(
                    "SPC220",
                    E,
                    ("zones", zi, "secondary_storage", si, "backend"),
                    f"secondary storage '{sec.name}' names backend '{sec.backend}', "
                    "which is not declared",
                    hint,
                )


def missing_subnets(spec: Spec) -> Iterator[Finding]:
    """SPC221: a pod, IP range or backend names a subnet that does not exist."""
    names = {s.name for s in spec.subnets}
    hint = f"Declare it under 'subnets', or use one of: {', '.join(sorted(names)) or '(none)'}."
    refs: list[tuple[str, str, JsonPath]] = []
    for bi, backend in enumerate(spec.backends):
        if backend.subnet is not None:
            refs.append((f"backend '{backend.name}'", backend.subnet, ("backends", bi, "subnet")))
    for zi, zone in enumerate(spec.zones):
        for ri, rng in enumerate(zone.public_ranges):
            path: JsonPath = ("zones", zi, "public_ranges", ri, "subnet")
            refs.append((f"a public range of zone '{zone.name}'", rng.subnet, path))
        for pi, pod in enumerate(zone.pods):
            refs.append((f"pod '{pod.name}'", pod.subnet, ("zones", zi, "pods", pi, "subnet")))
            if pod.storage_range is not None:
                refs.append(
                    (
                        f"the storage range of pod '{pod.name}'",
                        pod.storage_range.subnet,
                        ("zones", zi, "pods", pi, "storage_range", "subnet"),
                    )
                )
            for gi, rng in enumerate(pod.guest_ranges):
                path = ("zones", zi, "pods", pi, "guest_ranges", gi, "subnet")
                refs.append((f"a guest range of pod '{pod.name}'", rng.subnet, path))
        for si, net in enumerate(zone.shared_networks):
            at: JsonPath = ("zones", zi, "shared_networks", si)
            who = f"shared network '{net.name}'"
            if net.subnet is not None:
                refs.append((who, net.subnet, (*at, "subnet")))
            for ri, rng in enumerate(net.ranges):
                refs.append((f"a range of {who}", rng.subnet, (*at, "ranges", ri, "subnet")))
    for who, name, path in refs:
        if name not in names:
            yield Finding(
                "SPC221", E, path, f"{who} names subnet '{name}', which is not declared", hint
            )


def missing_pool_cluster(spec: Spec) -> Iterator[Finding]:
    """SPC222: a cluster-scope pool names a pod and cluster that exist in its zone."""
    for at in iter_pools(spec):
        pool = at.pool
        if pool.scope != "cluster":
            continue
        if pool.pod is None or pool.cluster is None:
            field = "pod" if pool.pod is None else "cluster"
            yield Finding(
                "SPC222",
                E,
                (*at.path, "scope"),
                f"cluster-scope primary storage '{pool.name}' does not name its {field}",
                "Set both 'pod' and 'cluster' for scope cluster (createStoragePool needs "
                "podid and clusterid), or use scope zone.",
            )
            continue
        pod = next((p for p in at.zone.pods if p.name == pool.pod), None)
        if pod is None:
            yield Finding(
                "SPC222",
                E,
                (*at.path, "pod"),
                f"primary storage '{pool.name}' names pod '{pool.pod}', "
                f"which is not in zone '{at.zone.name}'",
                f"Use one of: {', '.join(p.name for p in at.zone.pods) or '(no pods)'}.",
            )
        elif not any(c.name == pool.cluster for c in pod.clusters):
            yield Finding(
                "SPC222",
                E,
                (*at.path, "cluster"),
                f"primary storage '{pool.name}' names cluster '{pool.cluster}', "
                f"which is not in pod '{pod.name}'",
                f"Use one of: {', '.join(c.name for c in pod.clusters) or '(no clusters)'}.",
            )


def missing_offering_zones(spec: Spec) -> Iterator[Finding]:
    """SPC223: an offering, template or ISO names a zone that does not exist."""
    names = {z.name for z in spec.zones}
    hint = f"Use one of: {', '.join(sorted(names)) or '(no zones)'}, or omit the zone."
    refs: list[tuple[str, list[str] | None, JsonPath]] = []
    for kind in ("disk", "compute"):
        for i, o in enumerate(getattr(spec.offerings, kind)):
            refs.append((f"{kind} offering '{o.name}'", o.zones, ("offerings", kind, i, "zones")))
    for i, t in enumerate(spec.templates):
        refs.append((f"template '{t.name}'", t.zones, ("templates", i, "zones")))
    for i, iso in enumerate(spec.isos):
        refs.append((f"ISO '{iso.name}'", iso.zones, ("isos", i, "zones")))
    for who, zones, path in refs:
        for j, zone in enumerate(zones or []):
            if zone not in names:
                yield Finding(
                    "SPC223",
                    E,
                    (*path, j),
                    f"{who} names zone '{zone}', which is not declared",
                    hint,
                )


def secondary_not_nfs(spec: Spec) -> Iterator[Finding]:
    """SPC225: secondary storage is an NFS backend.

    That is, a backend whose plug-in can be an image store (``image_store_capable``).
    """
    by_name = {b.name: b for b in spec.backends}
    for zi, zone in enumerate(spec.zones):
        for si, sec in enumerate(zone.secondary_storage):
            backend = by_name.get(sec.backend)
            if backend is not None and not BACKENDS[backend.type].image_store_capable:
                yield Finding(
                    "SPC225",
                    E,
                    ("zones", zi, "secondary_storage", si, "backend"),
                    f"secondary storage '{sec.name}' uses {backend.type} backend "
                    f"'{backend.name}'; secondary storage must be NFS",
                    "Point secondary storage at an nfs backend.",
                )


def unused_clusters(spec: Spec) -> Iterator[Finding]:
    """SPC226: a cluster without hosts (warning): nothing will mount its storage."""
    for at in iter_clusters(spec):
        if not at.cluster.hosts:
            yield Finding(
                "SPC226",
                Severity.WARNING,
                (*at.path, "name"),
                f"cluster '{at.cluster.name}' has no hosts",
                "Add its hosts, or remove the cluster until they exist.",
            )


RULES: tuple[Rule, ...] = (
    duplicate_subnets,
    duplicate_backends,
    duplicate_zones,
    duplicate_pods,
    duplicate_clusters,
    duplicate_hosts,
    duplicate_host_addresses,
    duplicate_pools,
    duplicate_physical_networks,
    duplicate_offerings,
    duplicate_images,
    missing_backends,
    missing_subnets,
    missing_pool_cluster,
    missing_offering_zones,
    secondary_not_nfs,
    unused_clusters,
)
