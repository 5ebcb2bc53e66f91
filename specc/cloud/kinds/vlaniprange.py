"""Kind ``vlaniprange``: a zone's public IP range, ``createVlanIpRange``.

Keyed by (zone, "startip-endip"). There is no update command: a changed gateway,
netmask or VLAN needs a new range.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, norm_vlan


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.zone_name(item)
    if zone is None:
        return None
    return (zone, f"{item.get('startip')}-{item.get('endip')}")


KIND = Kind(
    name="vlaniprange",
    list_command="listVlanIpRanges",
    create_command="createVlanIpRange",
    create_async=False,
    update_command=None,
    update_async=False,
    delete_command="deleteVlanIpRange",
    delete_async=False,
    key=_key,
    fields=(
        FieldSpec(name="gateway", create="gateway", list_field="gateway", mode="replace"),
        FieldSpec(name="netmask", create="netmask", list_field="netmask", mode="replace"),
        FieldSpec(
            name="vlan", create="vlan", list_field="vlan", normalise=norm_vlan, mode="replace"
        ),
    ),
)
