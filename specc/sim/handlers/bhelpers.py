"""Helpers shared by the compute, storage, offering, image, config and HA handlers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from specc.sim.handlers import ApiError, Ctx, Item

# The server's HypervisorType names; ``getType`` matches them case-insensitively.
HYPERVISORS = (
    "XenServer",
    "KVM",
    "VMware",
    "Hyperv",
    "VirtualBox",
    "Parralels",
    "BareMetal",
    "Simulator",
    "Ovm",
    "Ovm3",
    "LXC",
    "Custom",
    "Any",
)


def hypervisor_type(name: str | None) -> str | None:
    """The server's spelling of hypervisor *name*, or None when it names none.

    >>> hypervisor_type("kvm"), hypervisor_type("vmware"), hypervisor_type("hyper-v")
    ('KVM', 'VMware', None)
    """
    if name is None:
        return None
    for h in HYPERVISORS:
        if h.lower() == name.strip().lower():
            return h
    return None


def join_tags(tags: Iterable[str] | str | None) -> str:
    """Tags as the server stores and returns them: trimmed, comma-joined, no blanks.

    >>> join_tags(" RBD, ssd ,,"), join_tags(["a", "b"]), join_tags(None)
    ('RBD,ssd', 'a,b', '')
    """
    if tags is None:
        return ""
    parts = tags.split(",") if isinstance(tags, str) else list(tags)
    return ",".join(t.strip() for t in parts if t.strip())


def zone_of(ctx: Ctx, zone_id: str, param: str = "zoneid") -> Item:
    """The stored zone, or the server's 431 for *param*."""
    return ctx.entity("zone", zone_id, param)


def pod_in_zone(ctx: Ctx, pod_id: str, zone: Item) -> Item:
    """The stored pod, checked to belong to *zone*."""
    pod = ctx.entity("pod", pod_id, "podid")
    if pod.get("zoneid") != zone["id"]:
        raise ApiError(431, f"Pod with specified id doesn't belong to the zone {zone['id']}")
    return pod


def details_map(entries: list[dict[str, str]] | None) -> dict[str, str]:
    """A ``map`` parameter as one dict: ``details[0].key=a&details[0].value=b`` or
    ``details[0].a=b`` both give ``{"a": "b"}``.

    >>> details_map([{"key": "a", "value": "b"}, {"c": "d"}])
    {'a': 'b', 'c': 'd'}
    """
    out: dict[str, str] = {}
    for entry in entries or []:
        if set(entry) == {"key", "value"}:
            out[entry["key"]] = entry["value"]
        else:
            out.update(entry)
    return out


def set_or_drop(item: dict[str, Any], key: str, value: Any) -> None:
    """Set *key* when *value* is meaningful, else drop it (the server omits nulls)."""
    if value is None or value == "":
        item.pop(key, None)
    else:
        item[key] = value
