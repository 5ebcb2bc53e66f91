"""Kind ``ostype``: read only, listed to turn an image's OS type name into its id.

An image names its OS type by description (``Rocky Linux 9``); ``registerTemplate``
takes ``ostypeid``. With the live OS types at hand the id is a literal (the type
whose description equals the name); with none (an offline plan from an empty
snapshot) a ``listOsTypes`` step looks it up, selecting the row whose description
equals the name among those the server's substring match returns.
"""

from __future__ import annotations

from typing import Any

from specc.cloud.kinds.base import Emitter, Kind, not_a_resource
from specc.core.ids import ResourceId
from specc.core.steps import Param, Ref
from specc.errors import PlanError

PHASE = 5  # looked up before anything that uses it


def ostype_id(emit: Emitter, value: Any) -> Param:
    """The id of the OS type named *value*: live, or a Ref to its lookup step.

    Raises:
        PlanError: the live cloud lists OS types, and none is named *value*.
    """
    name = str(value)
    known = {
        str(o.get("description") or o.get("name")): str(o["id"])
        for o in emit.items(KIND.name)
        if "id" in o
    }
    if name in known:
        return known[name]
    if known:
        raise PlanError(
            f"OS type {name!r} is not known to the live cloud",
            hint="use a name listOsTypes shows (its description)",
        )
    step_id = f"lookup:ostype:{name}"
    if not emit.has_step(step_id):
        emit.call(
            step_id,
            # A name may hold "/" ("Debian GNU/Linux 12"): the id is the one the plan
            # file's text reads back as, so a loaded plan equals the plan made.
            ResourceId.parse(f"{KIND.name}:{name}"),
            KIND.list_command,
            {"description": name},
            is_async=False,
            phase=PHASE,
            description=f"Look up the id of OS type {name}",
            outputs={"id": "id"},
            # listOsTypes matches description as LIKE %name% (GuestOSDaoImpl
            # .listGuestOSByCriteria, sorted by display name): "CentOS 7" also finds
            # "CentOS 7.1"; the step takes the row whose description is the name.
            select={"description": name},
        )
    return Ref(step_id)


KIND = Kind(
    name="ostype",
    list_command="listOsTypes",
    key=not_a_resource,
    phase=PHASE,
    zone_at=None,
    managed=False,
)
