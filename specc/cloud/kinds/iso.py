"""Kind ``iso``: ``registerIso``, keyed by (name, zone or ``*``)."""

from __future__ import annotations

from specc.cloud.kinds._image import (
    PHASE,
    USER_TYPES,
    ZONE_AT,
    cross_zone,
    image_fields,
    image_zone,
    listing,
    wait_until_ready,
)
from specc.cloud.kinds.base import FieldSpec, Hooks, Item, Kind, LiveIndex
from specc.cloud.kinds.normalise import norm_bool_false


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    if item.get("templatetype") not in USER_TYPES:
        return None
    zone = image_zone(item, index)
    return None if zone is None else (str(item["name"]), zone)


KIND = Kind(
    name="iso",
    list_command="listIsos",
    key=_key,
    phase=PHASE,
    zone_at=ZONE_AT,
    listing=listing("isofilter"),
    volatile=frozenset({"status", "size", "physicalsize", "downloaddetails", "isready"}),
    create_command="registerIso",
    update_command="updateIso",
    delete_command="deleteIso",
    delete_async=True,
    hooks=Hooks(
        create_params=cross_zone,
        after_create=wait_until_ready("iso", "listIsos", "isofilter"),
    ),
    fields=(
        FieldSpec(
            name="bootable",
            create="bootable",
            update="bootable",
            list_field="bootable",
            normalise=norm_bool_false,
        ),
        *image_fields("updateIsoPermissions"),
    ),
)
