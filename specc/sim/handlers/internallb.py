"""Internal load balancer elements: the element of each physical network's InternalLbVm
provider, which must be enabled before the provider can be.

apache/cloudstack 4.18.2.5: ``NetworkServiceImpl.addDefaultInternalLbProviderToPhysicalNetwork``
adds the element (``InternalLoadBalancerElement.addInternalLoadBalancerElement``, a
``VirtualRouterProviderVO`` of type InternalLbVm, disabled) when a physical network is
created; ``InternalLoadBalancerElement.isReady`` is the element's ``enabled``, which
``updateNetworkServiceProvider`` requires before it enables the provider.
"""

from __future__ import annotations

from typing import Any

from specc.sim.handlers import Ctx, Item, Param, command, new_id
from specc.sim.handlers.netutil import paging_params

PROVIDER = "InternalLbVm"


def add_element(ctx: Ctx, nsp: Item) -> Item:
    """``InternalLoadBalancerElement.addInternalLoadBalancerElement``: a disabled element."""
    return ctx.store.insert(
        "internalloadbalancerelement", {"id": new_id(), "nspid": nsp["id"], "enabled": False}
    )


def is_ready(ctx: Ctx, nsp: Item) -> bool:
    """``InternalLoadBalancerElement.isReady``: the provider's element is enabled."""
    return any(e["enabled"] for e in ctx.store.find("internalloadbalancerelement", nspid=nsp["id"]))


@command(
    "listInternalLoadBalancerElements",
    item="internalloadbalancerelement",
    params=[
        Param("enabled", "boolean"),
        Param("id", "uuid", entity="internalloadbalancerelement"),
        *paging_params(),
        Param("nspid", "uuid", entity="networkserviceprovider"),
    ],
)
def list_internal_load_balancer_elements(ctx: Ctx) -> dict[str, Any]:
    """ListInternalLoadBalancerElementsCmd: ``searchForInternalLoadBalancerElements(id,
    nspId, enabled)``, each shaped by ``ApiResponseHelper.createInternalLbElementResponse``
    (InternalLoadBalancerElementResponse: ``id``, ``nspid``, ``enabled``; object name
    ``internalloadbalancerelement``)."""
    return ctx.list_response("internalloadbalancerelement")


@command(
    "configureInternalLoadBalancerElement",
    is_async=True,
    params=[
        Param("enabled", "boolean", required=True),
        Param("id", "uuid", required=True, entity="internalloadbalancerelement"),
    ],
)
def configure_internal_load_balancer_element(ctx: Ctx) -> dict[str, Any]:
    """ConfigureInternalLoadBalancerElementCmd (async):
    ``InternalLoadBalancerElement.configureInternalLoadBalancerElement`` sets ``enabled``
    and answers the element."""
    element = ctx.entity("internalloadbalancerelement", ctx.params["id"])
    updated = ctx.store.update(
        "internalloadbalancerelement", element["id"], enabled=ctx.params["enabled"]
    )
    return {"internalloadbalancerelement": updated}
