"""Kind ``networkserviceprovider``: created by CloudStack with its physical network.

specc never creates a provider, it only enables it, the server's way.
``NetworkServiceImpl.updateNetworkServiceProvider`` (apache/cloudstack 4.18.2.5 and
4.22.1.0) enables a provider only when its network element says it is ready
(``element.isReady(provider)``), else: "Provider is not ready, cannot Enable the
provider, please configure the provider first". :data:`READINESS` says, for every
provider a spec may enable, what its element's ``isReady`` checks and how specc
meets it:

- VirtualRouter, VpcVirtualRouter: ``VirtualRouterElement.isReady`` (which
  ``VpcVirtualRouterElement`` inherits, with type VPCVirtualRouter) is the
  ``enabled`` flag of the provider's ``VirtualRouterProviderVO``; specc lists it
  (``listVirtualRouterElements nspid=``) and enables it
  (``configureVirtualRouterElement id= enabled=true``) first;
- InternalLbVm: ``InternalLoadBalancerElement.isReady`` is the ``enabled`` flag of
  its ``VirtualRouterProviderVO`` of type InternalLbVm; specc lists it
  (``listInternalLoadBalancerElements nspid=``) and enables it
  (``configureInternalLoadBalancerElement id= enabled=true``) first;
- ConfigDrive, SecurityGroupProvider: ``ConfigDriveNetworkElement.isReady`` and
  ``SecurityGroupElement.isReady`` return true: nothing to configure;
- Tungsten: ``TungstenElement.isReady`` wants a Management traffic type on the
  provider's physical network: nothing to configure, but the spec must carry one
  there (the spec rule SPC319 says so).

Then ``updateNetworkServiceProvider state=Enabled``. An element already enabled in
the live cloud is left alone. A provider of a physical network this plan creates is
not listed yet: its id, and its element's, are looked up by steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from specc.cloud.kinds.base import (
    Desired,
    Emitter,
    FieldSpec,
    Hooks,
    Item,
    Kind,
    LiveIndex,
    set_when_missing,
)
from specc.cloud.kinds.internalloadbalancerelement import KIND as INTERNAL_LB_ELEMENT_KIND
from specc.cloud.kinds.normalise import norm_bool_false
from specc.cloud.kinds.virtualrouterelement import KIND as ROUTER_ELEMENT_KIND
from specc.core.ids import ResourceId
from specc.core.steps import Change, FieldChange, Param, Ref

PHASE = 40


@dataclass(frozen=True)
class Element:
    """A provider's element, which must be enabled before the provider.

    ``kind`` is the read-only kind that lists the elements (its ``list_command``
    takes ``nspid``), ``configure`` the async command that takes the element's
    ``id`` and ``enabled=true``, ``noun`` what the plan calls it.
    """

    kind: Kind
    configure: str
    noun: str


@dataclass(frozen=True)
class Readiness:
    """What a provider's ``isReady`` checks (``source``: the apache/cloudstack
    method) and the element specc enables first (None: nothing to configure)."""

    source: str
    element: Element | None = None


ROUTER_ELEMENT = Element(
    ROUTER_ELEMENT_KIND, "configureVirtualRouterElement", "virtual router element"
)
INTERNAL_LB_ELEMENT = Element(
    INTERNAL_LB_ELEMENT_KIND,
    "configureInternalLoadBalancerElement",
    "internal load balancer element",
)

READINESS: Mapping[str, Readiness] = MappingProxyType(
    {
        "VirtualRouter": Readiness("VirtualRouterElement.isReady", ROUTER_ELEMENT),
        "VpcVirtualRouter": Readiness(
            "VpcVirtualRouterElement (VirtualRouterElement.isReady)", ROUTER_ELEMENT
        ),
        "InternalLbVm": Readiness("InternalLoadBalancerElement.isReady", INTERNAL_LB_ELEMENT),
        "ConfigDrive": Readiness("ConfigDriveNetworkElement.isReady: true"),
        "SecurityGroupProvider": Readiness("SecurityGroupElement.isReady: true"),
        "Tungsten": Readiness(
            "TungstenElement.isReady: a Management traffic type on the physical network"
        ),
    }
)
"""Provider name -> what enabling it needs (see the module docstring)."""


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    pn = index.physnet_key(item.get("physicalnetworkid"))
    return None if pn is None else (*pn, str(item["name"]))


def _missing(res: Desired, kind: Kind) -> Change:
    return set_when_missing(res, kind, "not listed yet; set after creation")


def enable_element(emit: Emitter, rid: ResourceId, name: str, nsp_id: Param) -> tuple[str, ...]:
    """The steps that enable provider *rid*'s element: none if the provider has none
    to configure, or its live element is enabled already.

    *nsp_id* is the provider's live id, or a Ref when it is looked up by the plan.
    """
    readiness = READINESS.get(name)
    element = None if readiness is None else readiness.element
    if element is None:
        return ()
    kind = element.kind
    live = None
    if isinstance(nsp_id, str):
        live = next((e for e in emit.items(kind.name) if str(e.get("nspid")) == nsp_id), None)
    if live is not None and norm_bool_false(live.get("enabled")):
        return ()
    key = "/".join(rid.key)
    element_id: Param
    if live is not None:
        element_id = str(live["id"])
    else:
        element_id = Ref(
            emit.call(
                f"lookup:{kind.name}:{key}",
                rid,
                kind.list_command,
                {"nspid": nsp_id},
                is_async=False,
                phase=PHASE,
                description=f"Look up the {element.noun} of {name}",
                outputs={"id": "id"},
                sub=0,
            )
        )
    step = emit.call(
        f"configure:{kind.name}:{key}",
        rid,
        element.configure,
        {"id": element_id, "enabled": True},
        is_async=True,
        phase=PHASE,
        description=f"Enable the {element.noun} of {name}",
    )
    return (step,)


def _update(
    emit: Emitter, res: Desired, change: Change, fields: dict[str, FieldChange]
) -> dict[str, FieldChange]:
    """Enable the provider (and its element first) when its state differs."""
    if "state" not in fields:
        return {}
    rid = res.id
    name = str(res.attrs["name"])
    pn = res.parents["physicalnetworkid"]
    item = emit.live_item(rid)
    nsp_id: Param
    if item is not None and not emit.creates(pn):
        nsp_id = str(item["id"])
    else:
        nsp_id = Ref(
            emit.call(
                f"lookup:{rid}",
                rid,
                KIND.list_command,
                {"physicalnetworkid": emit.ref_or_id(pn), "name": name},
                is_async=False,
                phase=PHASE,
                description=f"Look up provider {name} of {pn}",
                outputs={"id": "id"},
                sub=0,
            )
        )
    emit.call(
        f"enable:{rid}",
        rid,
        "updateNetworkServiceProvider",
        {"id": nsp_id, "state": "Enabled"},
        is_async=True,
        phase=PHASE,
        description=f"Enable provider {name} on {pn}",
        after=enable_element(emit, rid, name, nsp_id),
    )
    return {}


KIND = Kind(
    name="networkserviceprovider",
    list_command="listNetworkServiceProviders",
    key=_key,
    phase=PHASE,
    update_command="updateNetworkServiceProvider",
    update_async=True,
    managed=False,
    hooks=Hooks(update=_update, missing=_missing),
    fields=(FieldSpec(name="state", update="state", list_field="state"),),
)
