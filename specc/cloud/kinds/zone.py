"""Kind ``zone``: ``createZone`` / ``updateZone``, keyed by name.

The allocation state is set by its own step (``enable:zone:<name>``) after storage.
"""

from __future__ import annotations

from typing import Any

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, norm_bool_false, norm_str


def norm_edge(value: Any) -> Any:
    """An edge zone: ``isedge=true`` on create, ``type: Edge`` in the list.

    >>> norm_edge(True), norm_edge("Edge"), norm_edge("Core"), norm_edge(None)
    (True, True, False, False)
    """
    if isinstance(value, str):
        return value.strip().lower() == "edge"
    return bool(norm_bool_false(value))


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    return (str(item["name"]),)


KIND = Kind(
    name="zone",
    list_command="listZones",
    create_command="createZone",
    create_async=False,
    update_command="updateZone",
    update_async=False,
    delete_command="deleteZone",
    delete_async=False,
    key=_key,
    fields=(
        FieldSpec(
            name="networktype", create="networktype", list_field="networktype", mode="impossible"
        ),
        FieldSpec(
            name="isedge",
            create="isedge",
            list_field="type",
            normalise=norm_edge,
            mode="impossible",
        ),
        FieldSpec(name="dns1", create="dns1", update="dns1", list_field="dns1"),
        FieldSpec(name="dns2", create="dns2", update="dns2", list_field="dns2"),
        FieldSpec(
            name="internaldns1",
            create="internaldns1",
            update="internaldns1",
            list_field="internaldns1",
        ),
        FieldSpec(
            name="internaldns2",
            create="internaldns2",
            update="internaldns2",
            list_field="internaldns2",
        ),
        FieldSpec(
            name="guestcidraddress",
            create="guestcidraddress",
            update="guestcidraddress",
            list_field="guestcidraddress",
        ),
        FieldSpec(name="domain", create="domain", update="domain", list_field="domain"),
        FieldSpec(
            name="localstorageenabled",
            create="localstorageenabled",
            update="localstorageenabled",
            list_field="localstorageenabled",
            normalise=norm_bool_false,
        ),
        FieldSpec(
            name="allocationstate",
            update="allocationstate",
            list_field="allocationstate",
            normalise=norm_str,
        ),
    ),
)
