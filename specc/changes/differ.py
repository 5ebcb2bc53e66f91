"""The differ: desired graph + live state -> Changeset (pure).

For every desired resource it finds the live item with the same natural key and
compares, field by field (deepdiff on normalised values), only what the connected
API version can read back. A field it cannot read never produces a diff; it is
named once in a note as not verifiable. Live items the spec does not name are
``unmanaged`` and left alone, unless ``prune`` asks to delete them (and then never
one with dependents, unless ``force``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from deepdiff import DeepDiff

from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import Item, Kind, LiveIndex, norm_bool_false
from specc.cloud.state import LiveState
from specc.core.steps import Change, FieldChange
from specc.errors import PlanError
from specc.graph.resources import DesiredResource, ResourceId

# Where a live item's parent id sits, per kind: (parent kind, item field).
PARENT_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "physicalnetwork": (("zone", "zoneid"),),
    "pod": (("zone", "zoneid"),),
    "vlaniprange": (("zone", "zoneid"),),
    "imagestore": (("zone", "zoneid"),),
    "cluster": (("pod", "podid"),),
    "storagenetworkiprange": (("pod", "podid"),),
    "host": (("cluster", "clusterid"),),
    "storagepool": (("cluster", "clusterid"), ("zone", "zoneid")),
    "traffictype": (("physicalnetwork", "physicalnetworkid"),),
    "hostha": (("host", "hostid"),),
}
REPLACE_WARNING = (
    "{rid}: {fields} cannot change in place; a new {kind} is created and the old one "
    "({live_id}) is deleted afterwards: anything using the old one keeps it until moved"
)


@dataclass(frozen=True)
class Changeset:
    """What the differ found.

    ``changes`` has one Change per desired resource (sorted by id) plus deletions;
    ``live_ids`` maps every matched resource to its live id, and ``live_items`` to
    its live item, for the compiler.
    """

    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()
    unmanaged: tuple[str, ...] = ()
    live_ids: Mapping[ResourceId, str] = field(default_factory=dict)
    live_items: Mapping[ResourceId, Item] = field(default_factory=dict)


def lookup_key(res: DesiredResource) -> tuple[str, ...]:
    """The key a live item of this resource's kind is indexed under.

    Hosts (and their HA records) are matched by management address, since CloudStack
    names a host after its hostname, not after the spec.
    """
    address = res.attrs.get("_address")
    if res.id.kind in ("host", "hostha") and address:
        return (*res.id.key[:-1], str(address))
    return res.id.key


def index_live(
    live: LiveState, kinds: Mapping[str, Kind], index: LiveIndex
) -> dict[str, dict[tuple[str, ...], list[Item]]]:
    """Live items per kind per natural key (a list: duplicates are kept to report)."""
    out: dict[str, dict[tuple[str, ...], list[Item]]] = {}
    for name, kind in kinds.items():
        by_key: dict[tuple[str, ...], list[Item]] = {}
        for item in live.items(name):
            key = kind.key(item, index)
            if key is None:
                continue
            bucket = by_key.setdefault(key, [])
            # A cross-zone template is listed once per zone, with one id: one object.
            if item.get("id") is None or all(o.get("id") != item.get("id") for o in bucket):
                bucket.append(item)
        out[name] = by_key
    return out


def _dependents(kind: str, item: Item, live: LiveState) -> list[str]:
    """Ids of live items that hang off *item* (a pod's clusters, a pool's volumes)."""
    found: list[str] = []
    item_id = item.get("id")
    for child_kind, parents in PARENT_FIELDS.items():
        for parent_kind, parent_field in parents:
            # A host's HA record goes with the host (deleteHost removes it).
            if parent_kind != kind or child_kind == "hostha":
                continue
            found.extend(
                f"{child_kind} {child.get('id')}"
                for child in live.items(child_kind)
                if child.get(parent_field) == item_id
            )
    if kind == "storagepool" and int(float(item.get("disksizeused") or 0)) > 0:
        found.append("volumes on the pool")
    return sorted(set(found))


def compare(
    res: DesiredResource, kind: Kind, item: Item, api_version: str, notes: set[str]
) -> tuple[FieldChange, ...]:
    """The field changes between *res* and its live *item* (readable fields only)."""
    changes: list[FieldChange] = []
    for spec in kind.fields:
        if spec.name not in res.attrs:
            continue
        if not spec.readable(api_version):
            notes.add(
                f"{kind.name}.{spec.name} is not readable via the API on {api_version}: "
                "not verifiable, never diffed"
            )
            continue
        want = spec.normalise(res.attrs[spec.name])
        have = spec.normalise(item.get(spec.list_field or ""))
        # Equal values need no deepdiff (the common case, and 50x cheaper).
        if have != want and DeepDiff(have, want, ignore_order=True):
            changes.append(FieldChange(spec.name, have, want, spec.mode))
    return tuple(changes)


def _missing(res: DesiredResource, rid: ResourceId, kind: Kind) -> Change:
    """The change for a desired resource with no live item."""
    if kind.create_command is not None:
        return Change(rid, "create", reason="not in the live cloud")
    # Providers come with their physical network and settings always exist: both are
    # only ever updated, from a value specc could not read yet.
    fields = tuple(
        FieldChange(spec.name, None, spec.normalise(res.attrs[spec.name]), spec.mode)
        for spec in kind.fields
        if spec.name in res.attrs
    )
    if kind.name == "configuration":
        return Change(
            rid,
            "update",
            fields,
            "not listed by the live cloud",
            warnings=(
                f"{rid}: the live cloud does not list this setting; updateConfiguration "
                "fails if the management server does not know it",
            ),
        )
    return Change(rid, "update", fields, "not listed yet; set after creation")


def _change_for(
    res: DesiredResource, rid: ResourceId, item: Item, fields: tuple[FieldChange, ...], kind: Kind
) -> Change:
    live_id = str(item.get("id")) if item.get("id") is not None else None
    if not fields:
        return Change(rid, "noop", reason="in sync", live_id=live_id)
    modes = {f.mode for f in fields}
    warnings: list[str] = []
    impossible = sorted(f.field for f in fields if f.mode == "impossible")
    if impossible:
        warnings.append(
            f"{rid}: {', '.join(impossible)} cannot be changed on an existing {kind.name}; "
            "specc leaves it as it is (recreate the resource by hand to change it)"
        )
    if "replace" in modes:
        replaced = sorted(f.field for f in fields if f.mode == "replace")
        warnings.append(
            REPLACE_WARNING.format(
                rid=rid, fields=", ".join(replaced), kind=kind.name, live_id=live_id
            )
        )
        return Change(rid, "replace", fields, "immutable fields changed", live_id, tuple(warnings))
    reason = "fields differ" if modes != {"impossible"} else "fields differ but cannot change"
    return Change(rid, "update", fields, reason, live_id, tuple(warnings))


def diff(
    desired: Mapping[ResourceId, DesiredResource],
    live: LiveState,
    kinds: Mapping[str, Kind] = KINDS,
    *,
    prune: bool = False,
    force: bool = False,
) -> Changeset:
    """Compare the desired graph with the live state.

    Raises:
        PlanError: two live objects share the natural key of a desired resource.
    """
    index = LiveIndex(live.resources)
    by_kind = index_live(live, kinds, index)
    notes: set[str] = set()
    changes: list[Change] = []
    live_ids: dict[ResourceId, str] = {}
    live_items: dict[ResourceId, Item] = {}
    wanted: dict[str, set[tuple[str, ...]]] = {}
    for rid, res in sorted(desired.items()):
        kind = kinds.get(rid.kind)
        if kind is None:
            continue
        key = lookup_key(res)
        wanted.setdefault(kind.name, set()).add(key)
        matches = by_kind.get(kind.name, {}).get(key, [])
        if len(matches) > 1:
            uuids = ", ".join(sorted(str(m.get("id")) for m in matches))
            raise PlanError(
                f"{rid}: {len(matches)} live {kind.name} objects share this key ({uuids})",
                hint="remove or rename the duplicate in CloudStack, then plan again",
            )
        if not matches:
            changes.append(_missing(res, rid, kind))
            continue
        item = matches[0]
        if item.get("id") is not None:
            live_ids[rid] = str(item["id"])
        live_items[rid] = item
        changes.append(
            _change_for(res, rid, item, compare(res, kind, item, live.api_version, notes), kind)
        )
    unmanaged: list[str] = []
    pruned_hosts: set[str] = set()
    for name, kind in kinds.items():
        if not kind.managed:
            continue
        for key, items in sorted(by_kind.get(name, {}).items()):
            if key in wanted.get(name, set()):
                continue
            for item in items:
                rid = ResourceId(name, key)
                text = f"{rid} ({item.get('id')})"
                if not prune or kind.delete_command is None:
                    unmanaged.append(text)
                    continue
                blockers = _dependents(name, item, live)
                if blockers and not force:
                    unmanaged.append(text)
                    notes.add(
                        f"{rid} not deleted: it still has dependents ({', '.join(blockers)}); "
                        "use --force to delete it anyway"
                    )
                    continue
                if name == "host":
                    pruned_hosts.add(str(item.get("id")))
                live_id = str(item.get("id"))
                if name == "hostha":
                    # disableHAForHost takes the host's id; a pruned host takes it along.
                    live_id = str(item.get("hostid"))
                    if live_id in pruned_hosts:
                        continue
                warnings = (
                    (f"{rid}: deleted with dependents ({', '.join(blockers)})",)
                    if (blockers)
                    else ()
                )
                changes.append(
                    Change(
                        rid,
                        "delete",
                        reason="not in the spec (--prune)",
                        live_id=live_id,
                        warnings=warnings,
                    )
                )
    return Changeset(tuple(changes), tuple(sorted(notes)), tuple(unmanaged), live_ids, live_items)


def is_enabled_flag(value: Any) -> bool:
    """Whether a live flag reads as true (``haenable``, ``enabled``)."""
    return bool(norm_bool_false(value))
