"""The plan compiler: desired graph + live state + changeset -> an ordered Plan (pure).

Every change becomes steps: API calls whose parameters refer to earlier steps'
outputs (``Ref``) or to live ids, waits, and the host scripts the resources need.
What is particular to a kind (a zone created Disabled and enabled later, a provider
looked up and enabled, a pool put into maintenance before its delete) is the kind's
own declaration (``specc.cloud.kinds``); the compiler knows no kind by name and
offers the kinds' hooks the :class:`~specc.cloud.kinds.base.Emitter` interface.
Steps come in a stable topological order: dependencies first, ties broken by the
phase of the step's kind (zone, physical network, ... settings) and then by step
id, so the same input always gives the same plan, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from specc.changes.differ import Changeset, diff
from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import Item, Kind, in_plan_order
from specc.cloud.state import LiveState
from specc.core.steps import (
    ApiCall,
    Change,
    Concat,
    HostScript,
    Param,
    Plan,
    Ref,
    Restart,
    Step,
    Wait,
)
from specc.errors import PlanError
from specc.graph.build import build_desired
from specc.graph.resources import DesiredResource, ResourceId
from specc.planning.order import SortKey, order_steps
from specc.spec.models import Spec
from specc.spec.sourcemap import SourceMap

# Deletes of pruned objects come after everything else, children before parents.
DELETE_PHASE = 1000


class _Compiler:
    """Turns a Changeset into steps; the Emitter the kinds' hooks add steps through."""

    def __init__(
        self,
        desired: Mapping[ResourceId, DesiredResource],
        live: LiveState,
        cs: Changeset,
        kinds: Mapping[str, Kind],
    ) -> None:
        self.desired = desired
        self.live = live
        self.cs = cs
        self.kinds = kinds
        self.steps: dict[str, Step] = {}
        self.phase: dict[str, SortKey] = {}
        self.created: set[ResourceId] = set()
        self.notes: list[str] = []
        self.restarts: list[Restart] = []

    # --- the Emitter -------------------------------------------------------------

    def add(self, step: Step, phase: int, sub: int = 1) -> str:
        """Add *step*, ordered by (*phase*, *sub*, id) among the steps ready with it."""
        self.steps[step.id] = step
        self.phase[step.id] = (phase, sub, step.id, 1)
        return step.id

    def wait(self, wait: Wait, phase: int, sub: int = 1) -> str:
        """Add a Wait step."""
        return self.add(wait, phase, sub)

    def has_step(self, step_id: str) -> bool:
        """Whether a step with this id was added already."""
        return step_id in self.steps

    def ref_or_id(self, rid: ResourceId) -> Param:
        """A parent's id: its live id, or a Ref to the step that creates it."""
        if rid in self.created or rid not in self.cs.live_ids:
            return Ref(f"create:{rid}")
        return self.cs.live_ids[rid]

    def creates(self, rid: ResourceId) -> bool:
        """Whether this plan creates *rid* (so far: parents are compiled first)."""
        return rid in self.created

    def live_item(self, rid: ResourceId) -> Item | None:
        """The live item the differ matched to *rid*."""
        return self.cs.live_items.get(rid)

    def items(self, kind: str) -> tuple[Item, ...]:
        """The live items of *kind*."""
        return self.live.items(kind)

    def note(self, text: str) -> None:
        """Add a note to the plan."""
        self.notes.append(text)

    def restart(self, step_id: str, resource: ResourceId, why: str) -> None:
        """Record that step *step_id*'s change waits for a management server restart."""
        self.restarts.append(Restart(step_id, resource, why))

    @property
    def api_version(self) -> str:
        """The API version of the live state."""
        return self.live.api_version

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
        """Add an API call after the steps its Refs and *after* name; its id."""
        deps = tuple(sorted(set(_refs(params)) | set(after)))
        step = ApiCall(
            id=step_id,
            resource=resource,
            command=command,
            params=dict(sorted(params.items())),
            is_async=is_async,
            outputs=dict(outputs or {}),
            depends_on=deps,
            description=description,
            select=dict(select or {}),
        )
        return self.add(step, phase, sub)

    # --- per change --------------------------------------------------------------

    def param(self, kind: Kind, name: str, value: Any) -> tuple[str, Param] | None:
        """The (param, value) for attr *name* on create, or None to leave it out."""
        if value is None:
            return None
        try:
            spec = kind.field(name)
        except KeyError:
            return (name, value)  # a create-only parameter, named as the API names it
        if spec.create is None:
            return None
        return (spec.create, value if spec.to_param is None else spec.to_param(self, value))

    def create(self, res: DesiredResource, kind: Kind) -> None:
        if kind.create_command is None:
            return
        params: dict[str, Param] = {}
        for name, value in res.attrs.items():
            pv = self.param(kind, name, value)
            if pv is not None:
                params[pv[0]] = pv[1]
        for param, parent in res.parents.items():
            params[param] = self.ref_or_id(parent)
        hooks = kind.hooks
        if hooks.create_params is not None:
            params = hooks.create_params(res, params)
        if hooks.create is not None:
            hooks.create(self, res, params)
            return
        self.created.add(res.id)
        step = self.call(
            f"create:{res.id}",
            res.id,
            kind.create_command,
            params,
            is_async=kind.create_async,
            phase=kind.phase,
            description=f"Create {kind.name} {'/'.join(res.id.key)}",
            outputs={"id": "id"},
        )
        if hooks.after_create is not None:
            hooks.after_create(self, res, params, step)

    def update(self, res: DesiredResource, kind: Kind, change: Change) -> None:
        fields = {f.field: f for f in change.fields if f.mode == "update"}
        if kind.hooks.update is not None:
            fields = kind.hooks.update(self, res, change, fields)
        live_id: Param = str(change.live_id)
        grouped: dict[str, dict[str, Param]] = {}
        for name in sorted(fields):
            spec = kind.field(name)
            command = spec.via or kind.update_command
            if command is None or spec.update is None:
                continue
            new: Any = res.attrs.get(name)
            if spec.to_param is not None:
                new = spec.to_param(self, new)
            elif new is None:
                new = ""
            grouped.setdefault(command, {"id": live_id})[spec.update] = new
        for command, params in sorted(grouped.items()):
            own = command == kind.update_command
            self.call(
                f"{'update' if own else 'permissions'}:{res.id}",
                res.id,
                command,
                params,
                is_async=kind.update_async if own else False,
                phase=kind.phase,
                description=f"Update {kind.name} {'/'.join(res.id.key)}",
            )

    def delete(
        self,
        rid: ResourceId,
        live_id: str,
        *,
        force: bool,
        phase: int,
        after: Sequence[str] = (),
    ) -> str:
        kind = self.kinds[rid.kind]
        assert kind.delete_command is not None
        rules = kind.deletion
        params: dict[str, Param] = {rules.id_param: live_id}
        if force and rules.forced:
            params["forced"] = True
        return self.call(
            f"delete:{rid}",
            rid,
            kind.delete_command,
            params,
            is_async=kind.delete_async,
            phase=phase,
            description=f"Delete {kind.name} {'/'.join(rid.key)} ({live_id})",
            after=(*after, *self.maintenance(rid, kind, live_id, force=force, phase=phase)),
        )

    def maintenance(
        self, rid: ResourceId, kind: Kind, live_id: str, *, force: bool, phase: int
    ) -> tuple[str, ...]:
        """The step that puts the object into maintenance before its delete, if any."""
        if kind.deletion.maintenance is None:
            return ()
        live = next((o for o in self.live.items(kind.name) if str(o.get("id")) == live_id), {})
        needed = kind.deletion.maintenance(live, force)
        if needed is None:
            return ()
        step = self.call(
            f"maintenance:{rid}",
            rid,
            needed.command,
            {"id": live_id},
            is_async=True,
            phase=phase,
            description=f"Put {needed.noun} {'/'.join(rid.key)} ({live_id}) into maintenance",
            sub=0,
        )
        return (step,)

    def replace(self, res: DesiredResource, kind: Kind, change: Change) -> None:
        old = str(change.live_id)
        if kind.deletion.first_on_replace:
            gone = self.delete(res.id, old, force=False, phase=kind.phase - 1)
            self.create(res, kind)
            step = self.steps[f"create:{res.id}"]
            assert isinstance(step, ApiCall)
            self.steps[step.id] = ApiCall(
                **{**step.__dict__, "depends_on": (*step.depends_on, gone)}
            )
            return
        self.create(res, kind)
        self.delete(res.id, old, force=False, phase=DELETE_PHASE, after=(f"create:{res.id}",))


def _refs(params: Mapping[str, Param]) -> tuple[str, ...]:
    """The steps whose outputs *params* refer to."""
    found: set[str] = set()
    for value in params.values():
        parts = value.parts if isinstance(value, Concat) else (value,)
        found.update(p.step for p in parts if isinstance(p, Ref))
    return tuple(sorted(found))


def _place_scripts(comp: _Compiler, scripts: Sequence[HostScript]) -> None:
    """Put each host script right before the steps of the resources that need it.

    A script also prepares its own machine (a resource of a ``script_target`` kind):
    when that machine is being added, the script runs before the call that adds it
    (CloudStack mounts the pools on a new host at once). A script none of whose
    resources has a step is left out, with a note.
    """
    by_resource: dict[str, list[str]] = {}
    for step_id, step in comp.steps.items():
        if isinstance(step, ApiCall | Wait):
            by_resource.setdefault(str(step.resource), []).append(step_id)
    machines = {
        rid.key[-1]: str(rid)
        for rid in comp.desired
        if rid.kind in comp.kinds and comp.kinds[rid.kind].script_target
    }
    placed: dict[str, tuple[HostScript, list[str]]] = {}
    skipped: list[str] = []
    for script in scripts:
        needers = {s for r in script.needed_by for s in by_resource.get(r, [])}
        own = f"create:{machines.get(script.host, '')}"
        if own in comp.steps:
            needers.add(own)
        if not needers:
            skipped.append(script.id)
            continue
        placed[script.id] = (script, sorted(needers))
    if skipped:
        comp.notes.append(
            f"{len(skipped)} host script(s) left out, nothing they prepare is created or "
            f"changed: {', '.join(sorted(skipped))}"
        )
    for script, ordered in placed.values():
        anchor = min(comp.phase[s] for s in ordered)
        deps = tuple(d for d in script.depends_on if d in comp.steps or d in placed)
        step = HostScript(**{**script.__dict__, "needed_by": tuple(ordered), "depends_on": deps})
        comp.steps[step.id] = step
        comp.phase[step.id] = (anchor[0], anchor[1], anchor[2], 0)
        for step_id in ordered:
            needer = comp.steps[step_id]
            new_deps = tuple(sorted({*needer.depends_on, script.id}))
            comp.steps[step_id] = type(needer)(**{**needer.__dict__, "depends_on": new_deps})


def _children_first(comp: _Compiler) -> None:
    """Make each pruned parent's delete wait for its pruned children's deletes.

    CloudStack refuses deleteCluster while the cluster has hosts or pools (and a pod
    with clusters, a zone with pods): a pool or host goes before its cluster, a
    cluster before its pod, a pod before its zone (by each kind's live ``parents``).
    """
    deletes = {
        (change.resource.kind, change.live_id): f"delete:{change.resource}"
        for change in comp.cs.changes
        if change.action == "delete" and f"delete:{change.resource}" in comp.steps
    }
    waits: dict[str, set[str]] = {}
    for (kind, live_id), step_id in deletes.items():
        item = next((o for o in comp.live.items(kind) if str(o.get("id")) == live_id), {})
        for parent in comp.kinds[kind].parents:
            parent_step = deletes.get((parent.kind, str(item.get(parent.field))))
            if parent_step is not None:
                waits.setdefault(parent_step, set()).add(step_id)
    for parent_step, children in waits.items():
        step = comp.steps[parent_step]
        deps = tuple(sorted({*step.depends_on, *children}))
        comp.steps[parent_step] = type(step)(**{**step.__dict__, "depends_on": deps})


def _rank(kinds: Mapping[str, Kind]) -> dict[str, int]:
    """Each kind's place in the plan's order (by phase)."""
    return {kind.name: i for i, kind in enumerate(in_plan_order(kinds))}


def compile_changes(
    desired: Mapping[ResourceId, DesiredResource],
    live: LiveState,
    cs: Changeset,
    *,
    force: bool = False,
    host_scripts: Sequence[HostScript] = (),
    kinds: Mapping[str, Kind] = KINDS,
) -> tuple[tuple[Step, ...], tuple[str, ...], tuple[Restart, ...]]:
    """The ordered steps (and compile notes, and the restarts they need) that carry out *cs*.

    Raises:
        PlanError: a kind's rule fails for a resource (located where the spec names
            it), or the steps depend on each other in a cycle.
    """
    comp = _Compiler(desired, live, cs, kinds)
    rank = _rank(kinds)
    last = len(rank)
    for change in sorted(
        cs.changes, key=lambda c: (rank.get(c.resource.kind, last), str(c.resource))
    ):
        res = desired.get(change.resource)
        kind = kinds.get(change.resource.kind)
        if kind is None:
            continue
        try:
            if change.action == "create" and res is not None:
                comp.create(res, kind)
            elif change.action == "update" and res is not None:
                comp.update(res, kind, change)
            elif change.action == "replace" and res is not None:
                comp.replace(res, kind, change)
            elif change.action == "delete" and change.live_id is not None:
                phase = DELETE_PHASE + 100 - rank.get(kind.name, 0)
                comp.delete(change.resource, change.live_id, force=force, phase=phase)
        except PlanError as exc:
            if exc.location is not None or res is None or res.source is None:
                raise
            raise PlanError(exc.message, exc.hint, location=res.source) from None
    _children_first(comp)
    _place_scripts(comp, host_scripts)
    steps = order_steps(comp.steps, comp.phase)
    at = {s.id: i for i, s in enumerate(steps)}
    restarts = tuple(sorted(comp.restarts, key=lambda r: (at.get(r.step, len(at)), r.step)))
    return steps, tuple(comp.notes), restarts


def assemble_plan(
    desired: Mapping[ResourceId, DesiredResource],
    live: LiveState,
    cs: Changeset,
    *,
    spec_hash: str,
    force: bool = False,
    host_scripts: Sequence[HostScript] = (),
    kinds: Mapping[str, Kind] = KINDS,
) -> Plan:
    """The compile stage: the Plan that carries out *cs* (pure: same input, same plan).

    Its notes are the differ's, the compiler's and the desired resources' own.

    Raises:
        PlanError: an unknown OS type (located in the spec), a dependency cycle.
    """
    steps, notes, restarts = compile_changes(
        desired, live, cs, force=force, host_scripts=host_scripts, kinds=kinds
    )
    rank = _rank(kinds)
    return Plan(
        spec_hash=spec_hash,
        live_fingerprint=live.stable_fingerprint(),
        api_version=live.api_version,
        scopes=live.scopes,
        changes=tuple(
            sorted(
                cs.changes, key=lambda c: (rank.get(c.resource.kind, len(rank)), str(c.resource))
            )
        ),
        steps=steps,
        notes=tuple(sorted({*cs.notes, *notes, *(n for r in desired.values() for n in r.notes)})),
        unmanaged=cs.unmanaged,
        restarts=restarts,
        builtin=cs.builtin,
    )


def compile_plan(
    spec: Spec,
    live: LiveState,
    *,
    spec_hash: str,
    prune: bool = False,
    force: bool = False,
    host_scripts: Sequence[HostScript] = (),
    source_map: SourceMap | None = None,
    kinds: Mapping[str, Kind] = KINDS,
) -> Plan:
    """Build, diff and compile *spec* against *live* (the stages of ``specc.plan``).

    Raises:
        PlanError: ambiguous live identity, an unknown OS type, a dependency cycle.
    """
    desired = build_desired(spec, source_map)
    cs = diff(desired, live, kinds, prune=prune, force=force)
    return assemble_plan(
        desired, live, cs, spec_hash=spec_hash, force=force, host_scripts=host_scripts, kinds=kinds
    )
