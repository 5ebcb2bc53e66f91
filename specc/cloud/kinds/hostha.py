"""Kind ``hostha``: KVM host HA, ``configureHAForHost`` then ``enableHAForHost``.

Keyed like its host (matched by the host's address); ``listHostHAResources`` gives
the provider and whether HA is on, and takes no paging parameters. An HA record is
disabled by its host's id (``disableHAForHost hostid=``), and a deleted host takes
its record along.
"""

from __future__ import annotations

from specc.cloud.kinds.base import (
    Deletion,
    Desired,
    Emitter,
    FieldSpec,
    Hooks,
    Item,
    Kind,
    Listing,
    LiveIndex,
    Parent,
)
from specc.cloud.kinds.host import created_key
from specc.cloud.kinds.normalise import norm_bool_false, norm_lower
from specc.core.steps import Change, FieldChange, Param

PHASE = 160


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    host = index.get("host", item.get("hostid"))
    if host is None:
        return None
    cluster = index.cluster_key(host.get("clusterid"))
    address = host.get("ipaddress") or host.get("name")
    return None if cluster is None else (*cluster, str(address))


def _configure(
    emit: Emitter, res: Desired, host_id: Param, *, provider: bool, enable: bool
) -> None:
    after: list[str] = []
    if provider:
        after.append(
            emit.call(
                f"configure:{res.id}",
                res.id,
                "configureHAForHost",
                {"hostid": host_id, "provider": str(res.attrs["provider"])},
                is_async=True,
                phase=PHASE,
                description=f"Configure HA for host {res.id.key[-1]}",
            )
        )
    if enable:
        emit.call(
            f"enable:{res.id}",
            res.id,
            "enableHAForHost",
            {"hostid": host_id},
            is_async=True,
            phase=PHASE,
            description=f"Enable HA for host {res.id.key[-1]}",
            after=after,
        )


def _create(emit: Emitter, res: Desired, params: dict[str, Param]) -> None:
    _configure(emit, res, params["hostid"], provider=True, enable=True)


def _update(
    emit: Emitter, res: Desired, change: Change, fields: dict[str, FieldChange]
) -> dict[str, FieldChange]:
    host_id = emit.ref_or_id(res.parents["hostid"])
    _configure(emit, res, host_id, provider="provider" in fields, enable="haenable" in fields)
    return {}


KIND = Kind(
    name="hostha",
    list_command="listHostHAResources",
    key=_key,
    phase=PHASE,
    parents=(Parent("host", "hostid"),),
    listing=Listing(paged=False, required=("hostid",)),
    volatile=frozenset({"hastate"}),
    create_command="configureHAForHost",
    create_async=True,
    update_command="configureHAForHost",
    update_async=True,
    delete_command="disableHAForHost",
    delete_async=True,
    deletion=Deletion(id_param="hostid", id_field="hostid", with_parent=True),
    hooks=Hooks(create=_create, update=_update, created_key=created_key),
    fields=(
        FieldSpec(
            name="provider",
            create="provider",
            update="provider",
            list_field="haprovider",
            normalise=norm_lower,
        ),
        FieldSpec(name="haenable", list_field="haenable", normalise=norm_bool_false),
    ),
)
