"""Kind ``virtualrouterelement``: read only, listed to enable a virtual router provider.

CloudStack enables a VirtualRouter or VpcVirtualRouter provider only once its
element is enabled (``NetworkServiceImpl.updateNetworkServiceProvider`` asks the
element ``isReady``; ``VirtualRouterElement.isReady`` is the element's ``enabled``
flag): "Provider is not ready, cannot Enable the provider, please configure the
provider first". So the provider's steps enable the element first, unless the live
element already is.
"""

from __future__ import annotations

from specc.cloud.kinds.base import Emitter, Kind, Listing, not_a_resource
from specc.cloud.kinds.normalise import norm_bool_false
from specc.core.ids import ResourceId
from specc.core.steps import Param, Ref

ROUTER_PROVIDERS = ("VirtualRouter", "VpcVirtualRouter")
INTERNAL_LB = "InternalLbVm"


def enable_internal_lb_element(
    emit: Emitter, rid: ResourceId, nsp_id: Param, phase: int
) -> tuple[str, ...]:
    """Look up the provider's internal LB element and enable it, before the provider.

    apache/cloudstack 4.18.2.5 ``InternalLoadBalancerElement.isReady`` answers the
    element's ``enabled`` flag, and ``updateNetworkServiceProvider state=Enabled``
    refuses a provider that is not ready ("Provider is not ready, cannot Enable the
    provider, please configure the provider first"); Marvin's
    ``DeployDataCenters.configureProviders`` calls
    ``configureInternalLoadBalancerElement`` first for that reason. The element is
    not read with the live state, so it is looked up by a step.
    """
    key = "/".join(rid.key)
    element = emit.call(
        f"lookup:internallbelement:{key}",
        rid,
        "listInternalLoadBalancerElements",
        {"nspid": nsp_id},
        is_async=False,
        phase=phase,
        description="Look up the internal load balancer element of InternalLbVm",
        outputs={"id": "id"},
        sub=0,
    )
    step = emit.call(
        f"configure:internallbelement:{key}",
        rid,
        "configureInternalLoadBalancerElement",
        {"id": Ref(element), "enabled": True},
        is_async=True,
        phase=phase,
        description="Enable the internal load balancer element of InternalLbVm",
    )
    return (step,)


def enable_element(
    emit: Emitter, rid: ResourceId, name: str, nsp_id: Param, phase: int
) -> tuple[str, ...]:
    """The steps that enable provider *rid*'s router element (none if it is enabled).

    *nsp_id* is the provider's live id, or a Ref when it is looked up by the plan.
    The ``InternalLbVm`` provider has an element of its own, enabled the same way
    (:func:`enable_internal_lb_element`).
    """
    if name == INTERNAL_LB:
        return enable_internal_lb_element(emit, rid, nsp_id, phase)
    if name not in ROUTER_PROVIDERS:
        return ()
    element = None
    if isinstance(nsp_id, str):
        element = next(
            (e for e in emit.items(KIND.name) if str(e.get("nspid")) == nsp_id),
            None,
        )
    if element is not None and norm_bool_false(element.get("enabled")):
        return ()
    key = "/".join(rid.key)
    vre_id: Param
    if element is not None:
        vre_id = str(element["id"])
    else:
        vre_id = Ref(
            emit.call(
                f"lookup:virtualrouterelement:{key}",
                rid,
                KIND.list_command,
                {"nspid": nsp_id},
                is_async=False,
                phase=phase,
                description=f"Look up the virtual router element of {name}",
                outputs={"id": "id"},
                sub=0,
            )
        )
    step = emit.call(
        f"configure:virtualrouterelement:{key}",
        rid,
        "configureVirtualRouterElement",
        {"id": vre_id, "enabled": True},
        is_async=True,
        phase=phase,
        description=f"Enable the virtual router element of {name}",
    )
    return (step,)


KIND = Kind(
    name="virtualrouterelement",
    list_command="listVirtualRouterElements",
    key=not_a_resource,
    listing=Listing(required=("id",)),
    phase=0,
    zone_at=None,
    managed=False,
)
