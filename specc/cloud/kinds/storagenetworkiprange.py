"""Kind ``storagenetworkiprange``: ``createStorageNetworkIpRange`` (async).

Keyed by (zone, pod, "startip-endip"); the addresses are the identity, so only the
gateway and VLAN can differ, and those need a new range. A replaced range is
deleted before the new one is created: the new one overlaps it.
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
    pod = index.pod_key(item.get("podid"))
    if pod is None:
        return None
    return (*pod, f"{item.get('startip')}-{item.get('endip')}")


KIND = Kind(
    name="storagenetworkiprange",
    list_command="listStorageNetworkIpRange",
    key=_key,
    listing=Listing(required=("id",)),
    phase=70,
    parents=(Parent("pod", "podid"),),
    create_command="createStorageNetworkIpRange",
    create_async=True,
    update_command="updateStorageNetworkIpRange",
    update_async=True,
    delete_command="deleteStorageNetworkIpRange",
    delete_async=True,
    deletion=Deletion(first_on_replace=True),
    fields=(
        FieldSpec(name="gateway", create="gateway", list_field="gateway", mode="replace"),
        FieldSpec(name="netmask", create="netmask", update="netmask", list_field="netmask"),
        FieldSpec(
            name="vlan", create="vlan", update="vlan", list_field="vlan", normalise=norm_vlan
        ),
    ),
)
