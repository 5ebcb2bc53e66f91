"""Kind ``vlaniprange``: a zone's public IP range, ``createVlanIpRange``.

Keyed by (zone, "startip-endip"). There is no update command: a changed gateway,
netmask or VLAN needs a new range, and the old one is deleted first (the new one
overlaps it).
"""

from __future__ import annotations

from specc.cloud.kinds.base import (
    Deletion,
    FieldSpec,
    Item,
    Kind,
    Listing,
    LiveIndex,
    Parent,
)
from specc.cloud.kinds.normalise import norm_vlan


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.zone_name(item)
    if zone is None:
        return None
    return (zone, f"{item.get('startip')}-{item.get('endip')}")


KIND = Kind(
    name="vlaniprange",
    list_command="listVlanIpRanges",
    key=_key,
    listing=Listing(required=("id",)),
    phase=70,
    parents=(Parent("zone", "zoneid"),),
    create_command="createVlanIpRange",
    delete_command="deleteVlanIpRange",
    deletion=Deletion(first_on_replace=True),
    fields=(
        FieldSpec(name="gateway", create="gateway", list_field="gateway", mode="replace"),
        FieldSpec(name="netmask", create="netmask", list_field="netmask", mode="replace"),
        FieldSpec(
            name="vlan", create="vlan", list_field="vlan", normalise=norm_vlan, mode="replace"
        ),
    ),
)
