"""What a kind module declares: everything particular to one resource kind.

A kind module describes one CloudStack resource kind and owns every rule that is
particular to it, so the reader, the differ, the compiler and the executor know no
kind by name. A :class:`Kind` declares:

- identity: its ``name`` (the list response's item key), its natural ``key`` (from a
  live item), its live ``parents`` (which item field holds which parent's id) and
  which key part is its zone (``zone_at``);
- reading: ``list_command``, ``listing`` (arguments, paging, one call per parent) and
  the ``volatile`` fields a running cloud changes by itself;
- comparing: the :class:`FieldSpec` table (which spec field maps to which create
  parameter, update parameter and list field, from which API version the list field
  is readable, how to normalise both sides, and whether a change is made in place
  (``update``), needs a ``replace``, or is ``impossible``);
- changing: its ``phase`` in the plan, its create/update/delete commands,
  :class:`Deletion` rules and :class:`Hooks` for whatever departs from one create,
  one update and one delete call.

Hooks that add steps do so through :class:`Emitter`, a Protocol the compiler
implements: ``specc.cloud`` never imports the planning layer. A kind with no create,
update or delete command is read only (OS types, virtual router elements): it is
listed to plan other kinds and is never a resource of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from specc.cloud.kinds.normalise import norm_str
from specc.core.ids import ResourceId
from specc.core.steps import Change, FieldChange, FieldMode, Param, Wait

Item = Mapping[str, Any]
Normaliser = Callable[[Any], Any]


@cache
def version_tuple(text: str) -> tuple[int, ...]:
    """``"4.18.0.0"`` -> ``(4, 18, 0, 0)``; junk parts count as 0.

    >>> version_tuple("4.22.1")
    (4, 22, 1)
    """
    out: list[int] = []
    for part in text.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits) if digits else 0)
    return tuple(out)


# --- what hooks see and use ------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """How to plan a resource beyond its API fields (never sent as a parameter).

    ``wait_ready``: after registering an image, wait until CloudStack reports it Ready.
    """

    wait_ready: bool = False


class Desired(Protocol):
    """What a hook sees of a desired resource (``specc.graph.resources.DesiredResource``)."""

    @property
    def id(self) -> ResourceId:
        """The resource's identity."""

    @property
    def attrs(self) -> Mapping[str, Any]:
        """Its API fields: field-table names and create-only parameters."""

    @property
    def parents(self) -> Mapping[str, ResourceId]:
        """Parent-id parameter (``zoneid``) -> the parent's identity."""

    @property
    def options(self) -> Options:
        """How to plan it beyond its API fields."""


class Emitter(Protocol):
    """What a hook may do while the compiler turns a change into steps.

    ``specc.planning.compiler`` implements it. A hook describes steps through it and
    reads the live state through it; it never sees the plan being built.
    """

    def call(
        self,
        step_id: str,
        resource: ResourceId,
        command: str,
        params: dict[str, Param],
        *,
        is_async: bool,
        phase: int,
        description: str,
        outputs: Mapping[str, str] | None = None,
        after: Iterable[str] = (),
        sub: int = 1,
        select: Mapping[str, str] | None = None,
    ) -> str:
        """Add an API call after the steps its ``Ref`` params and *after* name; its id.

        *phase* (then *sub*) breaks ties between steps that are ready together;
        *select* picks the result item of a list call (:attr:`ApiCall.select`).
        """

    def wait(self, wait: Wait, phase: int, sub: int = 1) -> str:
        """Add a Wait step; its id."""

    def has_step(self, step_id: str) -> bool:
        """Whether a step with this id was added already."""

    def ref_or_id(self, rid: ResourceId) -> Param:
        """The id of *rid*: its live id, or a Ref to the step that creates it."""

    def creates(self, rid: ResourceId) -> bool:
        """Whether this plan creates *rid*."""

    def live_item(self, rid: ResourceId) -> Item | None:
        """The live item matched to the desired resource *rid*, if any."""

    def items(self, kind: str) -> tuple[Item, ...]:
        """The live items of *kind* (empty when it was not read)."""

    def note(self, text: str) -> None:
        """Add a note to the plan."""

    def restart(self, step_id: str, resource: ResourceId, why: str) -> None:
        """Record that step *step_id*'s change waits for a management server restart."""

    @property
    def api_version(self) -> str:
        """The API version of the live state the plan is made against."""


ParamFn = Callable[[Emitter, Any], Param]
KeyFn = Callable[[Item, "LiveIndex"], tuple[str, ...] | None]


# --- the tables -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FieldSpec:
    """One spec field of a kind (built with keyword arguments only).

    ``name`` is the key in ``DesiredResource.attrs``. ``create``/``update`` are the
    API parameters (``None``: not settable that way). ``list_field`` is the key in a
    list item (``None``: not listed), ``readable_since`` the first API version whose
    list returns it (``None``: never readable). ``mode`` says how a change is made;
    ``via`` names the command that updates this field when it is not the kind's
    update command (``updateTemplatePermissions`` for ``ispublic``). ``to_param``
    turns the spec value into the parameter when it is not the value itself (zone
    names into zone ids, an OS type name into its id).
    """

    name: str
    create: str | None = None
    update: str | None = None
    list_field: str | None = None
    readable_since: str | None = "4.18"
    normalise: Normaliser = norm_str
    mode: FieldMode = "update"
    via: str | None = None
    to_param: ParamFn | None = None

    def readable(self, api_version: str) -> bool:
        """Whether a list call on *api_version* returns this field."""
        if self.list_field is None or self.readable_since is None:
            return False
        since = version_tuple(self.readable_since)
        return version_tuple(api_version)[: len(since)] >= since


@dataclass(frozen=True)
class Parent:
    """A live parent link: the parent's kind and the item field that holds its id.

    ``takes_along``: the parent's delete removes the child too (a shared network's
    delete removes its IP ranges), so the child never keeps this parent from being
    pruned and is not deleted beside it. Other parents of the child keep their rules
    (an IP range still blocks its zone's delete).
    """

    kind: str
    field: str
    takes_along: bool = False


@dataclass(frozen=True, kw_only=True)
class Listing:
    """How the reader lists a kind.

    ``args``: what every list call passes (``templatefilter=all``: without it only
    the caller's own images are listed). ``paged``: whether the command takes
    ``page``/``pagesize``. ``per_parent``: a parent field the command requires
    (``physicalnetworkid``): one call per live parent, which is read first.
    ``parent_stamp``: when the items do not name that parent by its id (listVmwareDcs
    gives the zone's database number), the reader sets this item key to the id of
    the parent it listed them for; a leading ``_`` marks it as not the server's.
    ``item_key``: the response's item key when it is not the kind's name.
    ``also_per``: after the plain listing, one more per live item of each of these
    kinds, its id passed as the field named (``zoneid``); each item such a listing
    returns gets that field set to the id, as a scoped listConfigurations names no
    object it was asked about. ``required``: the fields every listed item carries
    as a non-empty string (its identity); the reader refuses an answer without them.
    """

    args: Mapping[str, str | bool] = field(default_factory=dict)
    paged: bool = True
    per_parent: str | None = None
    parent_stamp: str | None = None
    item_key: str | None = None
    also_per: tuple[Parent, ...] = ()
    required: tuple[str, ...] = ("id", "name")


@dataclass(frozen=True)
class Maintenance:
    """The call that puts an object into maintenance before its delete."""

    command: str
    noun: str


@dataclass(frozen=True, kw_only=True)
class Deletion:
    """How a live object of the kind is deleted (on ``--prune`` or a replace).

    - ``id_param``: the delete command's id parameter; ``id_field``: the live item's
      field whose value it takes (an HA record is disabled by its host's id).
    - ``forced``: the command takes ``forced=true``, passed with ``--force``.
    - ``maintenance(item, force)``: the call that must put the object into
      maintenance first, or None (none when it already is).
    - ``first_on_replace``: a replace deletes the old object before creating the new
      one (a new IP range overlaps the old).
    - ``with_parent``: deleting its parent removes it too, so it never blocks the
      parent's delete and is not deleted beside a pruned parent (for one parent
      link only: :attr:`Parent.takes_along`).
    - ``blockers(item)``: what keeps the object from being deleted besides its
      child objects (volumes on a pool).
    """

    id_param: str = "id"
    id_field: str = "id"
    forced: bool = False
    maintenance: Callable[[Item, bool], Maintenance | None] | None = None
    first_on_replace: bool = False
    with_parent: bool = False
    blockers: Callable[[Item], tuple[str, ...]] | None = None


CreateParams = Callable[[Desired, dict[str, Param]], dict[str, Param]]
CreateSteps = Callable[[Emitter, Desired, dict[str, Param]], None]
AfterCreate = Callable[[Emitter, Desired, Mapping[str, Param], str], None]
UpdateSteps = Callable[[Emitter, Desired, Change, dict[str, FieldChange]], dict[str, FieldChange]]
Missing = Callable[[Desired, "Kind"], Change]
CreatedKey = Callable[[ResourceId, Mapping[str, Any]], tuple[str, ...]]


@dataclass(frozen=True, kw_only=True)
class Hooks:
    """Where a kind departs from one create call, one update call and one delete call.

    - ``create_params(res, params)``: the create call's parameters, adjusted (a zone
      is created Disabled).
    - ``create(emit, res, params)``: steps *instead of* the create call (HA:
      configure, then enable).
    - ``after_create(emit, res, params, step_id)``: steps after the create call
      (enable a zone; wait until an image is Ready).
    - ``update(emit, res, change, fields)``: steps for the changed fields it handles
      itself; returns the fields left for the kind's update command.
    - ``missing(res, kind)``: the change for a desired resource no live item
      matches (default: create it).
    - ``created_key(rid, params)``: the natural key a resource created with
      *params* is listed under, when it is not the id's key (a host: its address);
      the executor looks a half-done create up by it.
    """

    create_params: CreateParams | None = None
    create: CreateSteps | None = None
    after_create: AfterCreate | None = None
    update: UpdateSteps | None = None
    missing: Missing | None = None
    created_key: CreatedKey | None = None


@dataclass(frozen=True, kw_only=True)
class Kind:
    """A resource kind: identity, reading, field table, phase, calls and hooks.

    ``phase`` orders the plan: among the steps that are ready together, the lower
    phase goes first (a zone before its pods, storage before the zone is enabled),
    and changes are listed by phase. ``zone_at`` is the key part naming the zone
    (``None``: a global kind), for the executor's per-zone stages. ``managed``
    false: live items not in the spec are not worth listing as unmanaged (settings,
    providers CloudStack creates by itself). ``script_target``: its resources are
    the machines host scripts run on, so a script for a machine being added runs
    before the call that adds it. ``builtin(item)``: why CloudStack made this live
    item itself (a default offering made at install), or ``None``; such an item the
    spec does not name is reported as built-in, apart from the unmanaged ones, and
    never pruned. ``alias``: a second natural key a live item is also found under
    when no item has the desired key (a host's name beside its address).
    """

    name: str
    list_command: str
    key: KeyFn
    phase: int
    fields: tuple[FieldSpec, ...] = ()
    parents: tuple[Parent, ...] = ()
    zone_at: int | None = 0
    listing: Listing = field(default_factory=Listing)
    volatile: frozenset[str] = frozenset()
    create_command: str | None = None
    create_async: bool = False
    update_command: str | None = None
    update_async: bool = False
    delete_command: str | None = None
    delete_async: bool = False
    deletion: Deletion = field(default_factory=Deletion)
    hooks: Hooks = field(default_factory=Hooks)
    managed: bool = True
    script_target: bool = False
    builtin: Callable[[Item], str | None] | None = None
    alias: KeyFn | None = None

    @property
    def read_only(self) -> bool:
        """Listed only to plan other kinds: no command creates, updates or deletes it."""
        return not (self.create_command or self.update_command or self.delete_command)

    def field(self, name: str) -> FieldSpec:
        """The field named *name* (KeyError if the kind has none)."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def parent(self, item_field: str) -> Parent:
        """The parent whose id sits in *item_field* (KeyError if none)."""
        for parent in self.parents:
            if parent.field == item_field:
                return parent
        raise KeyError(item_field)

    def taken_along(self, parent: Parent) -> bool:
        """Whether deleting *parent* (one of this kind's parents) removes the child too."""
        return self.deletion.with_parent or parent.takes_along

    def listed_per(self) -> Parent | None:
        """The parent the kind is listed once per (None: listed in one go)."""
        listing = self.listing
        if listing.per_parent is None:
            return None
        return self.parent(listing.parent_stamp or listing.per_parent)


def not_a_resource(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    """The key of a read-only kind's item: none, it is never a resource of its own."""
    return None


def set_when_missing(
    res: Desired, kind: Kind, reason: str, warnings: tuple[str, ...] = ()
) -> Change:
    """An update of every spec field, for a resource that is never created, only set."""
    fields = tuple(
        FieldChange(spec.name, None, spec.normalise(res.attrs[spec.name]), spec.mode)
        for spec in kind.fields
        if spec.name in res.attrs
    )
    return Change(res.id, "update", fields, reason, warnings=warnings)


def in_plan_order(kinds: Mapping[str, Kind]) -> tuple[Kind, ...]:
    """The kinds a plan can change, by phase (ties keep the registry's order)."""
    return tuple(sorted((k for k in kinds.values() if not k.read_only), key=lambda k: k.phase))


class LiveIndex:
    """Live items by id, for resolving a child's parents to their names.

    >>> idx = LiveIndex({"zone": ({"id": "z1", "name": "zone1"},)})
    >>> idx.name("zone", "z1")
    'zone1'
    """

    def __init__(self, resources: Mapping[str, tuple[Item, ...]]) -> None:
        self._by_id: dict[str, dict[str, Item]] = {
            kind: {str(item["id"]): item for item in items if "id" in item}
            for kind, items in resources.items()
        }
        # the keys of pods and clusters, worked out once each: every host asks
        self._pod_keys: dict[Any, tuple[str, str] | None] = {}
        self._cluster_keys: dict[Any, tuple[str, str, str] | None] = {}

    def get(self, kind: str, item_id: Any) -> Item | None:
        """The *kind* item with id *item_id*, if any."""
        if item_id is None:
            return None
        return self._by_id.get(kind, {}).get(str(item_id))

    def name(self, kind: str, item_id: Any) -> str | None:
        """The ``name`` of the *kind* item with id *item_id*."""
        item = self.get(kind, item_id)
        return None if item is None else str(item.get("name", ""))

    def zone_name(self, item: Item) -> str | None:
        """The zone name of *item* (its ``zonename``, else resolved from ``zoneid``)."""
        if item.get("zonename"):
            return str(item["zonename"])
        return self.name("zone", item.get("zoneid"))

    def pod_key(self, pod_id: Any) -> tuple[str, str] | None:
        """(zone, pod) of the pod with id *pod_id*."""
        cacheable = isinstance(pod_id, str | None)  # an answer's id may be anything
        if cacheable and pod_id in self._pod_keys:
            return self._pod_keys[pod_id]
        pod = self.get("pod", pod_id)
        zone = None if pod is None else self.zone_name(pod)
        key = None if pod is None or zone is None else (zone, str(pod["name"]))
        if cacheable:
            self._pod_keys[pod_id] = key
        return key

    def cluster_key(self, cluster_id: Any) -> tuple[str, str, str] | None:
        """(zone, pod, cluster) of the cluster with id *cluster_id*."""
        cacheable = isinstance(cluster_id, str | None)  # an answer's id may be anything
        if cacheable and cluster_id in self._cluster_keys:
            return self._cluster_keys[cluster_id]
        cluster = self.get("cluster", cluster_id)
        pod = None if cluster is None else self.pod_key(cluster.get("podid"))
        key = None if cluster is None or pod is None else (*pod, str(cluster["name"]))
        if cacheable:
            self._cluster_keys[cluster_id] = key
        return key

    def physnet_key(self, pn_id: Any) -> tuple[str, str] | None:
        """(zone, physical network) of the physical network with id *pn_id*."""
        pn = self.get("physicalnetwork", pn_id)
        if pn is None:
            return None
        zone = self.zone_name(pn)
        return None if zone is None else (zone, str(pn["name"]))
