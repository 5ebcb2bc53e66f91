"""Kind ``vlaniprange``: a zone's public IP range, ``createVlanIpRange``.

Keyed by (zone, "startip-endip"). There is no update command: a changed gateway,
netmask or VLAN needs a new range, and the old one is deleted first (the new one
overlaps it). A shared network's range names it in ``networkid``; the network's
delete removes its ranges (``NetworkOrchestrator.destroyNetwork`` ->
``deleteVlansInNetwork``, apache/cloudstack 4.18.2.5 and 4.22.1.0), so that parent
takes them along. A public range's ``networkid`` is the zone's public network, which
is no ``network`` resource (only shared networks are).
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
    parents=(Parent("zone", "zoneid"), Parent("network", "networkid", takes_along=True)),
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
