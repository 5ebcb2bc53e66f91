"""Kind ``template``: ``registerTemplate``, keyed by (name, zone or ``*``, hypervisor).

Only user templates are ours; system and built-in templates are ignored.
"""

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
from specc.cloud.kinds.base import Deletion, FieldSpec, Hooks, Item, Kind, LiveIndex
from specc.cloud.kinds.normalise import norm_bool_false


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    if item.get("templatetype") not in USER_TYPES:
        return None
    zone = image_zone(item, index)
    if zone is None:
        return None
    return (str(item["name"]), zone, str(item.get("hypervisor", "")))


def _builtin(item: Item) -> str | None:
    """A system or built-in template: CloudStack's own, made by its database setup.

    SYSTEM templates are registered by SystemVmTemplateRegistration (engine/schema,
    apache/cloudstack 4.18.2.5 and 4.22.1.0); BUILTIN ones are rows of
    setup/db/templates.sql.
    """
    kind = item.get("templatetype")
    if kind == "SYSTEM":
        return "system VM template (SystemVmTemplateRegistration)"
    if kind == "BUILTIN":
        return "built-in template (setup/db/templates.sql)"
    return None


KIND = Kind(
    name="template",
    list_command="listTemplates",
    key=_key,
    phase=PHASE,
    zone_at=ZONE_AT,
    listing=listing("templatefilter"),
    builtin=_builtin,
    volatile=frozenset({"status", "size", "physicalsize", "downloaddetails", "isready"}),
    create_command="registerTemplate",
    update_command="updateTemplate",
    delete_command="deleteTemplate",
    delete_async=True,
    deletion=Deletion(forced=True),
    hooks=Hooks(
        create_params=cross_zone,
        after_create=wait_until_ready("template", "listTemplates", "templatefilter"),
    ),
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
