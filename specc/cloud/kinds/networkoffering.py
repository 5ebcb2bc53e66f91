"""Kind ``networkoffering``: read only, listed to turn an offering name into its id.

A shared network names its network offering (``DefaultSharedNetworkOfferingWithSGService``);
``createNetwork`` takes ``networkofferingid``. The default offerings are made by the
management server itself (apache/cloudstack 4.18.2.5 / 4.22.1.0
``ConfigurationServerImpl.createDefaultNetworkOfferings``), so they are looked up, never
created. With the live offerings at hand the id is a literal; with none (an offline
plan) a ``listNetworkOfferings name=`` step looks it up.
"""

from __future__ import annotations

from typing import Any

from specc.cloud.kinds.base import Emitter, Kind, not_a_resource
from specc.core.ids import ResourceId
from specc.core.steps import Param, Ref
from specc.errors import PlanError

PHASE = 5  # looked up before anything that uses it


def offering_id(emit: Emitter, value: Any) -> Param:
    """The id of the network offering named *value*: live, or a Ref to its lookup step.

    Raises:
        PlanError: the live cloud lists network offerings, and none is named *value*.
    """
    name = str(value)
    known = {str(o.get("name")): str(o["id"]) for o in emit.items(KIND.name) if "id" in o}
    if name in known:
        return known[name]
    if known:
        raise PlanError(
            f"network offering {name!r} is not known to the live cloud",
            hint="use a name listNetworkOfferings shows",
        )
    step_id = f"lookup:networkoffering:{name}"
    if not emit.has_step(step_id):
        emit.call(
            step_id,
            ResourceId(KIND.name, (name,)),
            KIND.list_command,
            {"name": name},
            is_async=False,
            phase=PHASE,
            description=f"Look up the id of network offering {name}",
            outputs={"id": "id"},
        )
    return Ref(step_id)


KIND = Kind(
    name="networkoffering",
    list_command="listNetworkOfferings",
    key=not_a_resource,
    phase=PHASE,
    zone_at=None,
    managed=False,
)
