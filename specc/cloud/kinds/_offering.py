"""What disk and service offerings share: the disk side of an offering, and listing.

An offering's sizes, QoS and storage type are immutable in CloudStack: changing them
means a new offering (``replace``: create the new one, then retire the old).
Offerings are global (no zone stage) and listed with ``listall=true`` (all domains).
"""

from __future__ import annotations

from typing import Any

from specc.cloud.kinds.base import Emitter, FieldSpec, Item, Listing, LiveIndex
from specc.cloud.kinds.normalise import norm_bool_false, norm_csv, norm_int, norm_lower
from specc.core.ids import ResourceId
from specc.core.steps import Concat, Param, Ref

PHASE = 140
LISTING = Listing(args={"listall": True})

RATES = (
    ("bytesreadrate", "diskBytesReadRate"),
    ("byteswriterate", "diskBytesWriteRate"),
    ("iopsreadrate", "diskIopsReadRate"),
    ("iopswriterate", "diskIopsWriteRate"),
)


def offering_key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    """(name,) of a user offering; system offerings are not ours."""
    if norm_bool_false(item.get("issystem")) or norm_bool_false(item.get("defaultuse")):
        return None
    return (str(item["name"]),)


# ConfigurationServerImpl.persistDefaultValues (apache/cloudstack 4.18.2.5 and 4.22.1.0)
# makes these at install: createServiceOffering(User.UID_SYSTEM, "Small Instance", 1, 512,
# 500, ...) and createDefaultDiskOffering("Small", "Small Disk, 5 GB", ..., 5, ...). An
# offering is taken for one of them when its name and sizes are those.
DEFAULT_SERVICE_OFFERINGS = frozenset(
    {("Small Instance", 1, 500, 512), ("Medium Instance", 1, 1000, 1024)}
)
DEFAULT_DISK_OFFERINGS = frozenset({("Small", 5), ("Medium", 20), ("Large", 100), ("Custom", 0)})
_MADE_AT_INSTALL = "made at install (ConfigurationServerImpl.persistDefaultValues)"


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def default_service_offering(item: Item) -> str | None:
    """Why *item* is built-in: one of the service offerings CloudStack makes at install.

    >>> default_service_offering({"name": "Small Instance", "cpunumber": 1,
    ...     "cpuspeed": 500, "memory": 512})
    'default service offering, made at install (ConfigurationServerImpl.persistDefaultValues)'
    >>> default_service_offering({"name": "Small Instance", "cpunumber": 2,
    ...     "cpuspeed": 500, "memory": 512}) is None
    True
    """
    found = (
        item.get("name"),
        _int(item.get("cpunumber")),
        _int(item.get("cpuspeed")),
        _int(item.get("memory")),
    )
    if found in DEFAULT_SERVICE_OFFERINGS:
        return f"default service offering, {_MADE_AT_INSTALL}"
    return None


def default_disk_offering(item: Item) -> str | None:
    """Why *item* is built-in: one of the disk offerings CloudStack makes at install.

    >>> default_disk_offering({"name": "Large", "disksize": 100}) is not None
    True
    >>> default_disk_offering({"name": "Large", "disksize": 200}) is None
    True
    """
    found = (item.get("name"), _int(item.get("disksize")))
    return f"default disk offering, {_MADE_AT_INSTALL}" if found in DEFAULT_DISK_OFFERINGS else None


def zone_ids(emit: Emitter, names: Any) -> Param:
    """Offering zones (comma-joined names) as ids: literal, or refs joined by commas.

    No zones: ``all``, every zone.
    """
    if not names:
        return "all"
    parts: list[str | Ref] = []
    for i, name in enumerate(str(names).split(",")):
        if i:
            parts.append(",")
        value = emit.ref_or_id(ResourceId("zone", (name,)))
        parts.append(value if isinstance(value, Ref) else str(value))
    if all(isinstance(p, str) for p in parts):
        return "".join(str(p) for p in parts)
    if len(parts) == 1:
        return parts[0]
    return Concat(tuple(parts))


def common_fields(*, rates_updatable: bool) -> tuple[FieldSpec, ...]:
    """The fields every offering has; rates are updatable on disk offerings only."""
    rates = tuple(
        FieldSpec(
            name=name,
            create=name,
            update=name if rates_updatable else None,
            list_field=listed,
            normalise=norm_int,
            mode="update" if rates_updatable else "replace",
        )
        for name, listed in RATES
    )
    return (
        FieldSpec(
            name="displaytext", create="displaytext", update="displaytext", list_field="displaytext"
        ),
        FieldSpec(
            name="storagetype",
            create="storagetype",
            list_field="storagetype",
            normalise=norm_lower,
            mode="replace",
        ),
        FieldSpec(
            name="provisioningtype",
            create="provisioningtype",
            list_field="provisioningtype",
            normalise=norm_lower,
            mode="replace",
        ),
        FieldSpec(
            name="customizediops",
            create="customizediops",
            list_field="iscustomizediops",
            normalise=norm_bool_false,
            mode="replace",
        ),
        FieldSpec(
            name="miniops",
            create="miniops",
            list_field="miniops",
            normalise=norm_int,
            mode="replace",
        ),
        FieldSpec(
            name="maxiops",
            create="maxiops",
            list_field="maxiops",
            normalise=norm_int,
            mode="replace",
        ),
        FieldSpec(
            name="hypervisorsnapshotreserve",
            create="hypervisorsnapshotreserve",
            list_field="hypervisorsnapshotreserve",
            normalise=norm_int,
            mode="replace",
        ),
        *rates,
        FieldSpec(
            name="zones",
            create="zoneid",
            update="zoneid",
            list_field="zone",
            normalise=norm_csv,
            to_param=zone_ids,
        ),
    )
