"""Kind ``physicalnetwork``: ``createPhysicalNetwork`` (async), keyed by (zone, name).

Its state is set to Enabled by its own step (``enable:physicalnetwork:...``, phase
50) once its traffic types and providers exist. Its broadcast domain range is fixed at
creation: POD in a Basic zone, ZONE in an Advanced one (``NetworkServiceImpl
.createPhysicalNetwork``, apache/cloudstack 4.18.2.5 / 4.22.1.0, which also picks
that default when none is given).
"""

from __future__ import annotations

from collections.abc import Mapping

from specc.cloud.kinds.base import (
    Desired,
    Emitter,
    FieldSpec,
    Hooks,
    Item,
    Kind,
    LiveIndex,
    Parent,
)
from specc.cloud.kinds.normalise import norm_csv, norm_lower, norm_str
from specc.core.ids import ResourceId
from specc.core.steps import Change, FieldChange, Param, Ref

PHASE = 20
ENABLE_PHASE = 50  # after traffic types (30) and providers (40), before pods (60)


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.zone_name(item)
    return None if zone is None else (zone, str(item["name"]))


def _enable(emit: Emitter, rid: ResourceId, pn_id: Param) -> None:
    emit.call(
        f"enable:{rid}",
        rid,
        "updatePhysicalNetwork",
        {"id": pn_id, "state": "Enabled"},
        is_async=True,
        phase=ENABLE_PHASE,
        description=f"Enable physical network {'/'.join(rid.key)}",
    )


def _enable_after_create(
    emit: Emitter, res: Desired, params: Mapping[str, Param], step: str
) -> None:
    if res.attrs.get("state") == "Enabled":
        _enable(emit, res.id, Ref(step))


def _update(
    emit: Emitter, res: Desired, change: Change, fields: dict[str, FieldChange]
) -> dict[str, FieldChange]:
    if "state" in fields:
        _enable(emit, res.id, str(change.live_id))
    return {name: f for name, f in fields.items() if name != "state"}


KIND = Kind(
    name="physicalnetwork",
    list_command="listPhysicalNetworks",
    key=_key,
    phase=PHASE,
    parents=(Parent("zone", "zoneid"),),
    create_command="createPhysicalNetwork",
    create_async=True,
    update_command="updatePhysicalNetwork",
    update_async=True,
    delete_command="deletePhysicalNetwork",
    delete_async=True,
    hooks=Hooks(after_create=_enable_after_create, update=_update),
    fields=(
        FieldSpec(
            name="isolationmethods",
            create="isolationmethods",
            list_field="isolationmethods",
            mode="impossible",
        ),
        FieldSpec(
            name="broadcastdomainrange",
            create="broadcastdomainrange",
            list_field="broadcastdomainrange",
            normalise=norm_lower,
            mode="impossible",
        ),
        FieldSpec(name="vlan", create="vlan", update="vlan", list_field="vlan", normalise=norm_csv),
        FieldSpec(name="tags", create="tags", update="tags", list_field="tags", normalise=norm_csv),
        FieldSpec(
            name="networkspeed",
            create="networkspeed",
            update="networkspeed",
            list_field="networkspeed",
        ),
        FieldSpec(name="state", update="state", list_field="state", normalise=norm_str),
    ),
)
