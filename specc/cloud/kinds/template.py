"""Kind ``template``: ``registerTemplate``, keyed by (name, zone or ``*``, hypervisor).

Only user templates are ours; system and built-in templates are ignored.
"""

from __future__ import annotations

from specc.cloud.kinds._image import USER_TYPES, image_fields, image_zone
from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, norm_bool_false


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    if item.get("templatetype") not in USER_TYPES:
        return None
    zone = image_zone(item, index)
    if zone is None:
        return None
    return (str(item["name"]), zone, str(item.get("hypervisor", "")))


KIND = Kind(
    name="template",
    list_command="listTemplates",
    create_command="registerTemplate",
    create_async=False,
    update_command="updateTemplate",
    update_async=False,
    delete_command="deleteTemplate",
    delete_async=True,
    key=_key,
    fields=(
        FieldSpec(name="format", create="format", list_field="format", mode="replace"),
        FieldSpec(
            name="passwordenabled",
            create="passwordenabled",
            update="passwordenabled",
            list_field="passwordenabled",
            normalise=norm_bool_false,
        ),
        FieldSpec(
            name="requireshvm",
            create="requireshvm",
            update="requireshvm",
            list_field="requireshvm",
            normalise=norm_bool_false,
        ),
        *image_fields("updateTemplatePermissions"),
    ),
)
