"""Kind ``zone``: ``createZone`` / ``updateZone``, keyed by name.

A zone is created Disabled; its allocation state is set by its own step
(``enable:zone:<name>``, phase 130) once its hosts and storage exist, so no user
VM lands in a half-built zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specc.cloud.kinds.base import (
    Desired,
    Emitter,
    FieldSpec,
    Hooks,
    Item,
    Kind,
    LiveIndex,
)
from specc.cloud.kinds.normalise import norm_bool_false, norm_str
from specc.core.ids import ResourceId
from specc.core.steps import Change, FieldChange, Param, Ref

PHASE = 10
ENABLE_PHASE = 130  # after hosts (100), primary (110) and secondary storage (120)


def norm_edge(value: Any) -> Any:
    """An edge zone: ``isedge=true`` on create, ``type: Edge`` in the list.

    >>> norm_edge(True), norm_edge("Edge"), norm_edge("Core"), norm_edge(None)
    (True, True, False, False)
    """
    if isinstance(value, str):
        return value.strip().lower() == "edge"
    return bool(norm_bool_false(value))


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    return (str(item["name"]),)


def _allocation(emit: Emitter, rid: ResourceId, zone_id: Param, state: str) -> None:
    action = "enable" if state == "Enabled" else "disable"
    emit.call(
        f"{action}:{rid}",
        rid,
        "updateZone",
        {"id": zone_id, "allocationstate": state},
        is_async=False,
        phase=ENABLE_PHASE,
        description=f"{action.title()} zone {'/'.join(rid.key)}",
    )


def _created_disabled(res: Desired, params: dict[str, Param]) -> dict[str, Param]:
    return {**params, "allocationstate": "Disabled"}


def _enable_after_create(
    emit: Emitter, res: Desired, params: Mapping[str, Param], step: str
) -> None:
    if res.attrs.get("allocationstate") == "Enabled":
        _allocation(emit, res.id, Ref(step), "Enabled")


def _update(
    emit: Emitter, res: Desired, change: Change, fields: dict[str, FieldChange]
) -> dict[str, FieldChange]:
    if "allocationstate" in fields:
        _allocation(emit, res.id, str(change.live_id), str(res.attrs["allocationstate"]))
    return {name: f for name, f in fields.items() if name != "allocationstate"}


KIND = Kind(
    name="zone",
    list_command="listZones",
    key=_key,
    phase=PHASE,
    create_command="createZone",
    update_command="updateZone",
    delete_command="deleteZone",
    hooks=Hooks(
        create_params=_created_disabled,
        after_create=_enable_after_create,
        update=_update,
    ),
    fields=(
        FieldSpec(
            name="networktype", create="networktype", list_field="networktype", mode="impossible"
        ),
        FieldSpec(
            name="isedge",
            create="isedge",
            list_field="type",
            normalise=norm_edge,
            mode="impossible",
        ),
        FieldSpec(
            name="securitygroupenabled",
            create="securitygroupenabled",
            list_field="securitygroupsenabled",
            normalise=norm_bool_false,
            mode="impossible",
        ),
        FieldSpec(name="dns1", create="dns1", update="dns1", list_field="dns1"),
        FieldSpec(name="dns2", create="dns2", update="dns2", list_field="dns2"),
        FieldSpec(
            name="internaldns1",
            create="internaldns1",
            update="internaldns1",
            list_field="internaldns1",
        ),
        FieldSpec(
            name="internaldns2",
            create="internaldns2",
            update="internaldns2",
            list_field="internaldns2",
        ),
        FieldSpec(
            name="guestcidraddress",
            create="guestcidraddress",
            update="guestcidraddress",
            list_field="guestcidraddress",
        ),
        FieldSpec(name="domain", create="domain", update="domain", list_field="domain"),
        FieldSpec(
            name="localstorageenabled",
            create="localstorageenabled",
            update="localstorageenabled",
            list_field="localstorageenabled",
            normalise=norm_bool_false,
        ),
        FieldSpec(
            name="allocationstate",
            update="allocationstate",
            list_field="allocationstate",
            normalise=norm_str,
        ),
    ),
)
