"""Kind ``hostha``: KVM host HA, ``configureHAForHost`` then ``enableHAForHost``.

Keyed like its host; ``listHostHAResources`` gives the provider and whether HA is on.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, norm_bool_false, norm_lower


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    host = index.get("host", item.get("hostid"))
    if host is None:
        return None
    cluster = index.cluster_key(host.get("clusterid"))
    address = host.get("ipaddress") or host.get("name")
    return None if cluster is None else (*cluster, str(address))


KIND = Kind(
    name="hostha",
    list_command="listHostHAResources",
    create_command="configureHAForHost",
    create_async=True,
    update_command="configureHAForHost",
    update_async=True,
    delete_command="disableHAForHost",
    delete_async=True,
    key=_key,
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
