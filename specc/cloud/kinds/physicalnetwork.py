"""Kind ``physicalnetwork``: ``createPhysicalNetwork`` (async), keyed by (zone, name).

Its state is set to Enabled by its own step once traffic types and providers exist.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, norm_csv, norm_str


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.zone_name(item)
    return None if zone is None else (zone, str(item["name"]))


KIND = Kind(
    name="physicalnetwork",
    list_command="listPhysicalNetworks",
    create_command="createPhysicalNetwork",
    create_async=True,
    update_command="updatePhysicalNetwork",
    update_async=True,
    delete_command="deletePhysicalNetwork",
    delete_async=True,
    key=_key,
    fields=(
        FieldSpec(
            "isolationmethods", "isolationmethods", None, "isolationmethods", mode="impossible"
        ),
        FieldSpec("vlan", "vlan", "vlan", "vlan", normalise=norm_csv),
        FieldSpec("tags", "tags", "tags", "tags", normalise=norm_csv),
        FieldSpec("networkspeed", "networkspeed", "networkspeed", "networkspeed"),
        FieldSpec("state", None, "state", "state", normalise=norm_str),
    ),
)
