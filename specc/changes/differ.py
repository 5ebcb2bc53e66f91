"""The differ: desired graph + live state -> Changeset (pure).

For every desired resource it finds the live item with the same natural key and
compares, field by field (deepdiff on normalised values), only what the connected
API version can read back. A field it cannot read never produces a diff; it is
named once in a note as not verifiable. Live items the spec does not name are
``unmanaged`` and left alone, unless ``prune`` asks to delete them (and then never
one with dependents, unless ``force``). Those CloudStack made itself (its kind's
``builtin`` says why: default offerings, system templates) are ``builtin`` instead:
listed apart, never pruned. What is particular to a kind (its parents,
its delete rules, what a missing resource means) comes from its Kind; the differ
knows no kind by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import Item, Kind, LiveIndex, in_plan_order
from specc.cloud.state import LiveState
from specc.core.steps import Change, FieldChange
from specc.errors import PlanError
from specc.graph.resources import DesiredResource, ResourceId

REPLACE_WARNING = (
    "{rid}: {fields} cannot change in place; a new {kind} is created and the old one "
    "({live_id}) is deleted afterwards: anything using the old one keeps it until moved"
)


@dataclass(frozen=True)
class Changeset:
    """What the differ found.

    ``changes`` has one Change per desired resource (sorted by id) plus deletions;
    ``builtin`` names the live objects CloudStack made itself, and why;
    ``live_ids`` maps every matched resource to its live id, and ``live_items`` to
    its live item, for the compiler.
    """

    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()
    unmanaged: tuple[str, ...] = ()
    live_ids: Mapping[ResourceId, str] = field(default_factory=dict)
    live_items: Mapping[ResourceId, Item] = field(default_factory=dict)
    builtin: tuple[str, ...] = ()


def index_live(
    live: LiveState, kinds: Mapping[str, Kind], index: LiveIndex
) -> dict[str, dict[tuple[str, ...], list[Item]]]:
    """Live items per kind per natural key (a list: duplicates are kept to report)."""
    out: dict[str, dict[tuple[str, ...], list[Item]]] = {}
    for name, kind in kinds.items():
        if kind.read_only:
            continue
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


def _by_alias(kind: Kind, key: tuple[str, ...], live: LiveState, index: LiveIndex) -> list[Item]:
    """The live items of *kind* whose alias key is *key* (none matched its natural key)."""
    assert kind.alias is not None
    return [item for item in live.items(kind.name) if kind.alias(item, index) == key]


def _dependents(kind: Kind, item: Item, live: LiveState, kinds: Mapping[str, Kind]) -> list[str]:
    """What keeps *item* from being deleted (without ``--force``).

    Its live children by their kinds' ``parents`` (a pod's clusters), and what its
    kind's deletion rules name (a pool's volumes). A child its parent's delete takes
    along (a host's HA record, a shared network's IP ranges) does not count.
    """
    found: list[str] = []
    item_id = item.get("id")
    for child in kinds.values():
        for parent in child.parents:
            if parent.kind != kind.name or child.taken_along(parent):
                continue
            found.extend(
                f"{child.name} {c.get('id')}"
                for c in live.items(child.name)
                if c.get(parent.field) == item_id
            )
    if kind.deletion.blockers is not None:
        found.extend(kind.deletion.blockers(item))
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
        # Equal values need no deepdiff (the common case, and 50x cheaper); nor does
        # loading it (~0.15 s), which a plan with no changes never does.
        if have != want and _differ(have, want):
            changes.append(FieldChange(spec.name, have, want, spec.mode))
    return tuple(changes)


def _missing(res: DesiredResource, kind: Kind) -> Change:
    """The change for a desired resource with no live item: its kind's, or a create."""
    if kind.hooks.missing is not None:
        return kind.hooks.missing(res, kind)
    return Change(res.id, "create", reason="not in the live cloud")


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
    """Compare the desired graph with the live state, kind by kind of *kinds*.

    Raises:
        PlanError: two live objects share the natural key of a desired resource
            (located where the spec names it).
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
        key = res.live_key
        wanted.setdefault(kind.name, set()).add(key)
        matches = by_kind.get(kind.name, {}).get(key, [])
        if not matches and kind.alias is not None:
            matches = _by_alias(kind, key, live, index)
            wanted[kind.name].update(
                k for k in (kind.key(m, index) for m in matches) if k is not None
            )
        if len(matches) > 1:
            uuids = ", ".join(sorted(str(m.get("id")) for m in matches))
            raise PlanError(
                f"{rid}: {len(matches)} live {kind.name} objects share this key ({uuids})",
                hint="remove or rename the duplicate in CloudStack, then plan again",
                location=res.source,
            )
        if not matches:
            changes.append(_missing(res, kind))
            continue
        item = matches[0]
        if item.get("id") is not None:
            live_ids[rid] = str(item["id"])
        live_items[rid] = item
        changes.append(
            _change_for(res, rid, item, compare(res, kind, item, live.api_version, notes), kind)
        )
    unmanaged: list[str] = []
    builtin = _builtin_unkeyed(live, kinds, index)
    pruned: set[tuple[str, str]] = set()
    for kind in in_plan_order(kinds):
        name = kind.name
        if not kind.managed:
            continue
        for key, items in sorted(by_kind.get(name, {}).items()):
            if key in wanted.get(name, set()):
                continue
            for item in items:
                rid = ResourceId(name, key)
                text = f"{rid}{_live_ref(kind, item)}"
                why = kind.builtin(item) if kind.builtin is not None else None
                if why is not None:
                    builtin.append(f"{text}: {why}")
                    continue
                if not prune or kind.delete_command is None:
                    unmanaged.append(text)
                    continue
                blockers = _dependents(kind, item, live, kinds)
                if blockers and not force:
                    unmanaged.append(text)
                    notes.add(
                        f"{rid} not deleted: it still has dependents ({', '.join(blockers)}); "
                        "use --force to delete it anyway"
                    )
                    continue
                along = next(
                    (
                        p
                        for p in kind.parents
                        if kind.taken_along(p) and (p.kind, str(item.get(p.field))) in pruned
                    ),
                    None,
                )
                if along is not None:  # its pruned parent's delete takes it along
                    notes.add(
                        f"{text} goes with the delete of its {along.kind} ({item.get(along.field)})"
                    )
                    continue
                pruned.add((name, str(item.get("id"))))
                live_id = str(item.get(kind.deletion.id_field))
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
    return Changeset(
        tuple(changes),
        tuple(sorted(notes)),
        tuple(unmanaged),
        live_ids,
        live_items,
        tuple(sorted(builtin)),
    )


def _live_ref(kind: Kind, item: Item) -> str:
    """How an unmanaged item is named after its id: ``(uuid)``, or by the field its
    delete takes (an HA record has no id of its own: ``(hostid uuid)``), never ``(None)``.
    """
    if item.get("id") is not None:
        return f" ({item['id']})"
    other = kind.deletion.id_field
    if other != "id" and item.get(other) is not None:
        return f" ({other} {item[other]})"
    return ""


def _builtin_unkeyed(live: LiveState, kinds: Mapping[str, Kind], index: LiveIndex) -> list[str]:
    """The built-in live items a kind gives no key (system templates), named by their name."""
    out: list[str] = []
    for kind in kinds.values():
        if kind.builtin is None or kind.read_only or not kind.managed:
            continue
        seen: set[object] = set()
        for item in live.items(kind.name):
            if kind.key(item, index) is not None or item.get("id") in seen:
                continue
            why = kind.builtin(item)
            if why is not None:
                seen.add(item.get("id"))
                out.append(f"{kind.name}:{item.get('name')} ({item.get('id')}): {why}")
    return out


def _differ(have: Any, want: Any) -> bool:
    """Whether *have* and *want* differ beyond order (deepdiff, loaded on first use)."""
    from deepdiff import DeepDiff

    return bool(DeepDiff(have, want, ignore_order=True))
