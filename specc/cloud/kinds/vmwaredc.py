"""Kind ``vmwaredc``: the vCenter datacenter a zone maps to, keyed by the zone.

``addVmwareDc`` maps a zone to a vCenter datacenter; CloudStack adds no VMware cluster
to a zone before (apache/cloudstack 4.18.2.5 and 4.22.1.0
``VmwareServerDiscoverer.find``), so its phase comes before the clusters'. A zone
maps to one datacenter at most (``VmwareManagerImpl.addVmwareDatacenter``): the
zone is the natural key.

Every command names the zone, not the datacenter: ``listVmwareDcs``,
``updateVmwareDc`` and ``removeVmwareDc`` take ``zoneid`` (required). The list is
read once per zone, and since ``VmwareDatacenterResponse.zoneId`` is the zone's
database number (a ``Long``, not its uuid), the reader stamps the zone's id into each
item as ``_zoneid``. The items' key is ``VMwareDC`` (``ListVmwareDcsCmd.execute``
sets that object name). listVmwareDcs returns ``id``, ``name``, ``vcenter``,
``zoneid``; username and password are never returned, so they are never compared.

``updateVmwareDc`` changes the name, vCenter, username and password in place (with
``isrecursive`` left at its default, true, the server rewrites the vCenter in its
VMware clusters' urls too: ``VmwareManagerImpl.updateVmwareDatacenter``).
``removeVmwareDc`` is refused while the zone has a VMware cluster
(``validateZoneWithResources``), so it runs after their deletes (its phase is lower).
"""

from __future__ import annotations

from typing import Any

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
from specc.core.steps import Change, FieldChange, Param

PHASE = 75  # after pods (60) and storage ranges (70), before clusters (80)
ZONE_STAMP = "_zoneid"


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    zone = index.name("zone", item.get(ZONE_STAMP))
    return None if zone is None else (zone,)


def _update(
    emit: Emitter, res: Desired, change: Change, fields: dict[str, FieldChange]
) -> dict[str, FieldChange]:
    """One ``updateVmwareDc`` naming the zone (the command has no ``id``)."""
    params: dict[str, Param] = {"zoneid": emit.ref_or_id(res.parents["zoneid"])}
    for name in sorted(fields):
        value: Any = res.attrs.get(name)
        params[KIND.field(name).update or name] = "" if value is None else value
    emit.call(
        f"update:{res.id}",
        res.id,
        "updateVmwareDc",
        params,
        is_async=False,
        phase=PHASE,
        description=f"Update vmwaredc {'/'.join(res.id.key)}",
    )
    return {}


KIND = Kind(
    name="vmwaredc",
    list_command="listVmwareDcs",
    key=_key,
    phase=PHASE,
    parents=(Parent("zone", ZONE_STAMP),),
    listing=Listing(per_parent="zoneid", parent_stamp=ZONE_STAMP, item_key="VMwareDC"),
    create_command="addVmwareDc",
    update_command="updateVmwareDc",
    delete_command="removeVmwareDc",
    deletion=Deletion(id_param="zoneid", id_field=ZONE_STAMP),
    hooks=Hooks(update=_update),
    fields=(
        FieldSpec(name="name", create="name", update="name", list_field="name"),
        FieldSpec(name="vcenter", create="vcenter", update="vcenter", list_field="vcenter"),
        FieldSpec(name="username", create="username", update="username", readable_since=None),
        FieldSpec(name="password", create="password", update="password", readable_since=None),
    ),
)
