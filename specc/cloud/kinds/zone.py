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
        FieldSpec("networktype", "networktype", None, "networktype", mode="impossible"),
        FieldSpec("isedge", "isedge", None, "type", normalise=norm_edge, mode="impossible"),
        FieldSpec("dns1", "dns1", "dns1", "dns1"),
        FieldSpec("dns2", "dns2", "dns2", "dns2"),
        FieldSpec("internaldns1", "internaldns1", "internaldns1", "internaldns1"),
        FieldSpec("internaldns2", "internaldns2", "internaldns2", "internaldns2"),
        FieldSpec("guestcidraddress", "guestcidraddress", "guestcidraddress", "guestcidraddress"),
        FieldSpec("domain", "domain", "domain", "domain"),
        FieldSpec(
            "localstorageenabled",
            "localstorageenabled",
            "localstorageenabled",
            "localstorageenabled",
            normalise=norm_bool_false,
        ),
        FieldSpec(
            "allocationstate", None, "allocationstate", "allocationstate", normalise=norm_str
        ),
    ),
)
