"""Kind ``networkserviceprovider``: created by CloudStack with its physical network.

specc never creates a provider, it only enables it: for VirtualRouter and
VpcVirtualRouter, ``configureVirtualRouterElement`` first (see
:mod:`specc.cloud.kinds.virtualrouterelement`), then
``updateNetworkServiceProvider state=Enabled``. A provider of a physical network
this plan creates is not listed yet: its id is looked up by a step.
"""

from __future__ import annotations

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
from specc.cloud.kinds.virtualrouterelement import enable_element
from specc.core.steps import Change, FieldChange, Param, Ref

PHASE = 40


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    pn = index.physnet_key(item.get("physicalnetworkid"))
    return None if pn is None else (*pn, str(item["name"]))


def _missing(res: Desired, kind: Kind) -> Change:
    return set_when_missing(res, kind, "not listed yet; set after creation")


def _update(
    emit: Emitter, res: Desired, change: Change, fields: dict[str, FieldChange]
) -> dict[str, FieldChange]:
    """Enable the provider (and its router element) when its state differs."""
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
        after=enable_element(emit, rid, name, nsp_id, PHASE),
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
