"""Fields shared by disk and service offerings (the disk side of an offering).

An offering's sizes, QoS and storage type are immutable in CloudStack: changing them
means a new offering (``replace``: create the new one, then retire the old).
"""

from __future__ import annotations

from specc.cloud.kinds.base import (
    FieldSpec,
    Item,
    LiveIndex,
    norm_bool_false,
    norm_csv,
    norm_int,
    norm_lower,
)

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


def common_fields(*, rates_updatable: bool) -> tuple[FieldSpec, ...]:
    """The fields every offering has; rates are updatable on disk offerings only."""
    rates = tuple(
        FieldSpec(
            name,
            name,
            name if rates_updatable else None,
            listed,
            normalise=norm_int,
            mode="update" if rates_updatable else "replace",
        )
        for name, listed in RATES
    )
    return (
        FieldSpec("displaytext", "displaytext", "displaytext", "displaytext"),
        FieldSpec("storagetype", "storagetype", None, "storagetype", "4.18", norm_lower, "replace"),
        FieldSpec(
            "provisioningtype",
            "provisioningtype",
            None,
            "provisioningtype",
            "4.18",
            norm_lower,
            "replace",
        ),
        FieldSpec(
            "customizediops",
            "customizediops",
            None,
            "iscustomizediops",
            "4.18",
            norm_bool_false,
            "replace",
        ),
        FieldSpec("miniops", "miniops", None, "miniops", "4.18", norm_int, "replace"),
        FieldSpec("maxiops", "maxiops", None, "maxiops", "4.18", norm_int, "replace"),
        FieldSpec(
            "hypervisorsnapshotreserve",
            "hypervisorsnapshotreserve",
            None,
            "hypervisorsnapshotreserve",
            "4.18",
            norm_int,
            "replace",
        ),
        *rates,
        FieldSpec("zones", "zoneid", "zoneid", "zone", normalise=norm_csv),
    )
