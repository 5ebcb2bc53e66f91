"""Kind ``pod``: ``createPod`` / ``updatePod``, keyed by (zone, name).

``listPods`` returns ``startip``/``endip`` as lists (one per range); the first is the
pod's own range.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, Parent
from specc.cloud.kinds.normalise import norm_first


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.zone_name(item)
    return None if zone is None else (zone, str(item["name"]))


KIND = Kind(
    name="pod",
    list_command="listPods",
    key=_key,
    phase=60,
    parents=(Parent("zone", "zoneid"),),
    create_command="createPod",
    update_command="updatePod",
    delete_command="deletePod",
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
