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
            name="isolationmethods",
            create="isolationmethods",
            list_field="isolationmethods",
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
