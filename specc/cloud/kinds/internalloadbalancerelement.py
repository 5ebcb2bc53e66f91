"""Kind ``internalloadbalancerelement``: read only, listed to enable an InternalLbVm provider.

``NetworkServiceImpl.createPhysicalNetwork`` gives every physical network an
InternalLbVm provider and, through
``addDefaultInternalLbProviderToPhysicalNetwork``, its element: a disabled
``VirtualRouterProviderVO`` of type InternalLbVm. ``listInternalLoadBalancerElements``
(``ListInternalLoadBalancerElementsCmd``, paged, filters ``id``, ``nspid``,
``enabled``) lists them as ``InternalLoadBalancerElementResponse``: ``id``, ``nspid``,
``enabled`` (apache/cloudstack 4.18.2.5 and 4.22.1.0,
``ApiResponseHelper.createInternalLbElementResponse``). What the provider's steps do
with it is in :mod:`specc.cloud.kinds.networkserviceprovider`.
"""

from __future__ import annotations

from specc.cloud.kinds.base import Kind, Listing, not_a_resource

KIND = Kind(
    name="internalloadbalancerelement",
    list_command="listInternalLoadBalancerElements",
    key=not_a_resource,
    listing=Listing(required=("id",)),  # an element has no name
    phase=0,
    zone_at=None,
    managed=False,
)
