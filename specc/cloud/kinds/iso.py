"""Kind ``iso``: ``registerIso``, keyed by (name, zone or ``*``)."""

from __future__ import annotations

from specc.cloud.kinds._image import USER_TYPES, image_fields, image_zone
from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, norm_bool_false


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    if item.get("templatetype") not in USER_TYPES:
        return None
    zone = image_zone(item, index)
    return None if zone is None else (str(item["name"]), zone)


KIND = Kind(
    name="iso",
    list_command="listIsos",
    create_command="registerIso",
    create_async=False,
    update_command="updateIso",
    update_async=False,
    delete_command="deleteIso",
    delete_async=True,
    key=_key,
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
