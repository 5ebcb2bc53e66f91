"""Kind ``virtualrouterelement``: read only, listed to enable a virtual router provider.

``NetworkServiceImpl.createPhysicalNetwork`` gives the VirtualRouter and
VpcVirtualRouter providers of every physical network their element, a disabled
``VirtualRouterProviderVO`` (``addDefaultVirtualRouterToPhysicalNetwork``,
``addDefaultVpcVirtualRouterToPhysicalNetwork``); ``listVirtualRouterElements`` lists
both types (``ApiResponseHelper.createVirtualRouterProviderResponse``: ``id``,
``nspid``, ``enabled``, ...). What the provider's steps do with it is in
:mod:`specc.cloud.kinds.networkserviceprovider`.
"""

from __future__ import annotations

from specc.cloud.kinds.base import Kind, Listing, not_a_resource

KIND = Kind(
    name="virtualrouterelement",
    list_command="listVirtualRouterElements",
    key=not_a_resource,
    listing=Listing(required=("id",)),
    phase=0,
    zone_at=None,
    managed=False,
)
