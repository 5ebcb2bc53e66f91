"""Kind ``storagepool``: primary storage, ``createStoragePool``, keyed by (zone, name).

The blind spots: ``listStoragePools`` never returns the URL, and 4.18 returns no
details, capacitybytes or managed flag (4.22 returns all but the URL). Both releases
return ``capacityiops``: ``StoragePoolJoinDaoImpl.newStoragePoolResponse`` sets it
from the pool's ``capacity_iops`` (``StoragePoolResponse.capacityIops``,
apache/cloudstack 4.18.2.5 and 4.22.1.0), so drift in it is reported from 4.18 on.
Scope, hypervisor and provider are fixed at creation: changing them would mean a new
pool and moving every volume, so specc calls that impossible.

A pool is deleted from maintenance only, forced or not
(``StorageManagerImpl.deletePool``: "Unable to delete storage due to it is not in
Maintenance state"), so its delete follows ``enableStorageMaintenance``; and not
while volumes are on it.
"""

from __future__ import annotations

from specc.cloud.kinds.base import (
    Deletion,
    FieldSpec,
    Item,
    Kind,
    LiveIndex,
    Maintenance,
    Parent,
)
from specc.cloud.kinds.normalise import norm_bool_false, norm_csv, norm_int, norm_lower


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.zone_name(item)
    return None if zone is None else (zone, str(item["name"]))


def _maintenance(item: Item, force: bool) -> Maintenance | None:
    if item.get("state") == "Maintenance":
        return None
    return Maintenance("enableStorageMaintenance", "storage pool")


def _volumes(item: Item) -> tuple[str, ...]:
    used = int(float(item.get("disksizeused") or 0))
    return ("volumes on the pool",) if used > 0 else ()


KIND = Kind(
    name="storagepool",
    list_command="listStoragePools",
    key=_key,
    phase=110,
    parents=(Parent("cluster", "clusterid"), Parent("zone", "zoneid")),
    volatile=frozenset(
        {"allocatediops", "disksizeallocated", "disksizeused", "usediops", "jobid", "jobstatus"}
    ),
    create_command="createStoragePool",
    update_command="updateStoragePool",
    delete_command="deleteStoragePool",
    deletion=Deletion(forced=True, maintenance=_maintenance, blockers=_volumes),
    fields=(
        FieldSpec(
            name="scope",
            create="scope",
            list_field="scope",
            normalise=norm_lower,
            mode="impossible",
        ),
        FieldSpec(
            name="hypervisor", create="hypervisor", list_field="hypervisor", mode="impossible"
        ),
        FieldSpec(name="provider", create="provider", list_field="provider", mode="impossible"),
        FieldSpec(name="url", create="url", readable_since=None, mode="impossible"),
        FieldSpec(name="tags", create="tags", update="tags", list_field="tags", normalise=norm_csv),
        FieldSpec(
            name="capacitybytes",
            create="capacitybytes",
            update="capacitybytes",
            list_field="capacitybytes",
            readable_since="4.22",
            normalise=norm_int,
        ),
        FieldSpec(
            name="capacityiops",
            create="capacityiops",
            update="capacityiops",
            list_field="capacityiops",
            normalise=norm_int,
        ),
        FieldSpec(
            name="managed",
            create="managed",
            list_field="managed",
            readable_since="4.22",
            normalise=norm_bool_false,
            mode="impossible",
        ),
    ),
)
