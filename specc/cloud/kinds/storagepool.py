"""Kind ``storagepool``: primary storage, ``createStoragePool``, keyed by (zone, name).

The blind spots: ``listStoragePools`` never returns the URL, and 4.18 returns no
details, capacitybytes, capacityiops or managed flag (4.22 returns all but the URL).
Scope, hypervisor and provider are fixed at creation: changing them would mean a new
pool and moving every volume, so specc calls that impossible.
"""

from __future__ import annotations

from specc.cloud.kinds.base import (
    FieldSpec,
    Item,
    Kind,
    LiveIndex,
    norm_bool_false,
    norm_csv,
    norm_int,
    norm_lower,
)


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.zone_name(item)
    return None if zone is None else (zone, str(item["name"]))


KIND = Kind(
    name="storagepool",
    list_command="listStoragePools",
    create_command="createStoragePool",
    create_async=False,
    update_command="updateStoragePool",
    update_async=False,
    delete_command="deleteStoragePool",
    delete_async=False,
    key=_key,
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
            readable_since="4.22",
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
