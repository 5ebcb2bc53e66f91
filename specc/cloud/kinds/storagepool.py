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
        FieldSpec("scope", "scope", None, "scope", normalise=norm_lower, mode="impossible"),
        FieldSpec("hypervisor", "hypervisor", None, "hypervisor", mode="impossible"),
        FieldSpec("provider", "provider", None, "provider", mode="impossible"),
        FieldSpec("url", "url", None, None, None, mode="impossible"),
        FieldSpec("tags", "tags", "tags", "tags", normalise=norm_csv),
        FieldSpec(
            "capacitybytes", "capacitybytes", "capacitybytes", "capacitybytes", "4.22", norm_int
        ),
        FieldSpec("capacityiops", "capacityiops", "capacityiops", "capacityiops", "4.22", norm_int),
        FieldSpec("managed", "managed", None, "managed", "4.22", norm_bool_false, "impossible"),
    ),
)
