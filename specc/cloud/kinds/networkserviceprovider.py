"""Kind ``networkserviceprovider``: created by CloudStack with its physical network.

specc only enables them: ``configureVirtualRouterElement`` (VirtualRouter and
VpcVirtualRouter) then ``updateNetworkServiceProvider state=Enabled``.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    pn = index.physnet_key(item.get("physicalnetworkid"))
    return None if pn is None else (*pn, str(item["name"]))


KIND = Kind(
    name="networkserviceprovider",
    list_command="listNetworkServiceProviders",
    create_command=None,
    create_async=False,
    update_command="updateNetworkServiceProvider",
    update_async=True,
    delete_command=None,
    delete_async=False,
    key=_key,
    managed=False,
    fields=(FieldSpec(name="state", update="state", list_field="state"),),
)
