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


def enable_element(
    emit: Emitter, rid: ResourceId, name: str, nsp_id: Param, phase: int
) -> tuple[str, ...]:
    """The steps that enable provider *rid*'s router element (none if it is enabled).

    *nsp_id* is the provider's live id, or a Ref when it is looked up by the plan.
    """
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
