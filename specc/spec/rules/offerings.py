"""Disk and compute offerings (SPC36x, SPC336): storage tags, QoS, local storage, sizes.

Offerings reach storage through storage tags: a volume is only placed on a pool that
carries every tag of its offering. An offering whose tags match no pool in a zone
where it is offered cannot be used there.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.backends import BACKENDS
from specc.errors import Severity
from specc.spec.models import Spec
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import (
    OfferingReach,
    iter_hosts,
    iter_offerings,
    offered_zones,
    tags_match,
)

E = Severity.ERROR
W = Severity.WARNING


def storage_tags_matched(spec: Spec) -> Iterator[Finding]:
    """SPC360: in every zone where it is offered, some pool carries the offering's tags."""
    for offering, path in iter_offerings(spec):
        if offering.storage_type == "local":
            continue
        for zone in offered_zones(spec, offering):
            if any(tags_match(offering.storage_tags, p.tags) for p in zone.primary_storage):
                continue
            tags = ", ".join(offering.storage_tags) or "(no tags)"
            pool_tags = sorted({t for p in zone.primary_storage for t in p.tags})
            yield Finding(
                "SPC360",
                E,
                (*path, "storage_tags" if offering.storage_tags else "name"),
                f"offering '{offering.name}' needs storage tags {tags}, but no primary storage "
                f"in zone '{zone.name}' carries them",
                f"Tag a pool in zone '{zone.name}' (tags there: "
                f"{', '.join(pool_tags) or 'none'}), or limit the offering's zones.",
            )


def local_storage_enabled(spec: Spec) -> Iterator[Finding]:
    """SPC361: a local-storage offering is offered only in zones with local storage on."""
    for offering, path in iter_offerings(spec):
        if offering.storage_type != "local":
            continue
        for zone in offered_zones(spec, offering):
            if not zone.local_storage:
                yield Finding(
                    "SPC361",
                    E,
                    (*path, "storage_type"),
                    f"offering '{offering.name}' uses local storage, but zone '{zone.name}' "
                    "has local_storage disabled",
                    f"Set local_storage: true on zone '{zone.name}', or limit the offering's "
                    "zones, or use storage_type shared.",
                )


def storage_qos_without_managed_pool(spec: Spec) -> Iterator[Finding]:
    """SPC336: storage QoS on an offering whose pools do not enforce it (warning).

    A pool "enforces" it when its backend's plug-in says ``storage_qos`` (managed
    storage applies min/max IOPS per volume; other pools ignore them).
    """
    enforcing = {t for t, plugin in BACKENDS.items() if plugin.storage_qos}
    reach = OfferingReach(spec)
    for offering, path in iter_offerings(spec):
        if offering.qos.type != "storage" or offering.storage_type == "local":
            continue
        pools, kinds = reach.kinds(offering)
        if pools and not kinds & enforcing:
            yield Finding(
                "SPC336",
                W,
                (*path, "qos", "type"),
                f"offering '{offering.name}' sets storage QoS but its tags "
                f"{offering.storage_tags or '(none)'} reach only {', '.join(sorted(kinds))} "
                "pools, which do not enforce it",
                "Storage QoS needs managed storage (SolidFire); tag the offering for a "
                "SolidFire pool or use hypervisor QoS.",
            )


def disk_size_given(spec: Spec) -> Iterator[Finding]:
    """SPC362: a disk offering sets size_gb or custom_size."""
    for i, offering in enumerate(spec.offerings.disk):
        if offering.size_gb is None and not offering.custom_size:
            yield Finding(
                "SPC362",
                E,
                ("offerings", "disk", i, "name"),
                f"disk offering '{offering.name}' sets neither size_gb nor custom_size",
                "Set size_gb, or custom_size: true to let users choose the size.",
            )


def disk_size_ambiguous(spec: Spec) -> Iterator[Finding]:
    """SPC363: a disk offering sets both size_gb and custom_size (warning)."""
    for i, offering in enumerate(spec.offerings.disk):
        if offering.size_gb is not None and offering.custom_size:
            yield Finding(
                "SPC363",
                W,
                ("offerings", "disk", i, "size_gb"),
                f"disk offering '{offering.name}' sets size_gb {offering.size_gb} and "
                "custom_size; the size is ignored",
                "Remove one of them.",
            )


def host_tags_matched(spec: Spec) -> Iterator[Finding]:
    """SPC364: a compute offering's host tags are carried by some host (warning)."""
    hosts = list(iter_hosts(spec))
    for i, offering in enumerate(spec.offerings.compute):
        if not offering.host_tags:
            continue
        zones = {z.name for z in offered_zones(spec, offering)}
        if not any(
            at.zone.name in zones and tags_match(offering.host_tags, at.host.tags) for at in hosts
        ):
            yield Finding(
                "SPC364",
                W,
                ("offerings", "compute", i, "host_tags"),
                f"compute offering '{offering.name}' needs host tags "
                f"{', '.join(offering.host_tags)}, which no host in its zones carries",
                "Tag the hosts that should run these VMs, or drop the host tags.",
            )


RULES: tuple[Rule, ...] = (
    storage_tags_matched,
    local_storage_enabled,
    storage_qos_without_managed_pool,
    disk_size_given,
    disk_size_ambiguous,
    host_tags_matched,
)
