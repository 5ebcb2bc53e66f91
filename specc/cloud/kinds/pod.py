"""Kind ``pod``: ``createPod`` / ``updatePod``, keyed by (zone, name).

``listPods`` returns ``startip``/``endip`` as lists (one per range); the first is the
pod's own range.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, norm_first


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.zone_name(item)
    return None if zone is None else (zone, str(item["name"]))


KIND = Kind(
    name="pod",
    list_command="listPods",
    create_command="createPod",
    create_async=False,
    update_command="updatePod",
    update_async=False,
    delete_command="deletePod",
    delete_async=False,
    key=_key,
    fields=(
        FieldSpec(name="gateway", create="gateway", update="gateway", list_field="gateway"),
        FieldSpec(name="netmask", create="netmask", update="netmask", list_field="netmask"),
        FieldSpec(
            name="startip",
            create="startip",
            update="startip",
            list_field="startip",
            normalise=norm_first,
        ),
        FieldSpec(
            name="endip", create="endip", update="endip", list_field="endip", normalise=norm_first
        ),
    ),
)
