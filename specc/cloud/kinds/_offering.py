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
            name="zones", create="zoneid", update="zoneid", list_field="zone", normalise=norm_csv
        ),
    )
