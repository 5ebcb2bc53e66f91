"""The runbook's rollback notes: for each step, the command that undoes it, with values.

In reverse step order. A resource the plan creates is undone by its kind's delete
command, on the id the runbook captured when it was created (a host or pool put into
maintenance first, as the kind's deletion says). A change to an existing resource is
undone by the same command with the values the plan read before it (the previous
``updateConfiguration`` value, 86400, not "the previous values"). A delete cannot be
undone by a command. Host scripts carry their role's note.
"""

from __future__ import annotations

from collections.abc import Mapping

from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import Kind
from specc.core.steps import ApiCall, Change, HostScript, Param, Plan, Ref
from specc.render._common import show
from specc.render.cmk import shell_value, verb_noun

_LOOKUPS = ("list", "query", "get")
_SKIP = (*_LOOKUPS, "delete", "disable")


def _param(value: object) -> Param:
    """A value the plan read (normalised) as a parameter again: lists comma-joined."""
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool | int | float):
        return value
    return str(value)


def _cmk(command: str, params: Mapping[str, Param]) -> str:
    verb, noun = verb_noun(command)
    args = " ".join(f"{k}={shell_value(v)}" for k, v in sorted(params.items()))
    return f"`cmk {verb} {noun} {args}`"


def _target(step: ApiCall, kind: Kind) -> Param:
    """What the delete of the object *step* created is called on: its own captured id,
    or the parameter the delete takes from the create (an HA record: its host's id)."""
    id_param = kind.deletion.id_param
    target = step.params.get(id_param) if id_param != "id" else None
    return target if target is not None else Ref(step.id)


def _creates(plan: Plan) -> dict[str, Kind]:
    """The first step of each resource the plan creates, with its kind (that has a delete)."""
    actions = {c.resource: c.action for c in plan.changes}
    seen: set[object] = set()
    out: dict[str, Kind] = {}
    for step in plan.steps:
        if not isinstance(step, ApiCall) or step.command.startswith(_SKIP):
            continue
        if step.resource in seen:
            continue
        seen.add(step.resource)
        kind = KINDS.get(step.resource.kind)
        if actions.get(step.resource) in ("create", "replace") and kind is not None:
            out[step.id] = kind
    return out


def rollback_ids(plan: Plan) -> set[str]:
    """The steps whose returned id a rollback command deletes by (to capture in the session)."""
    out: set[str] = set()
    for step in plan.steps:
        kind = _creates(plan).get(step.id) if isinstance(step, ApiCall) else None
        if isinstance(step, ApiCall) and kind is not None and kind.delete_command:
            target = _target(step, kind)
            if isinstance(target, Ref) and target.step == step.id:
                out.add(step.id)
    return out


def _undo_create(step: ApiCall, kind: Kind) -> str:
    """The delete (after maintenance, if the kind needs it) of what *step* created."""
    assert kind.delete_command is not None
    id_param = kind.deletion.id_param
    value = _target(step, kind)
    commands = []
    if kind.deletion.maintenance is not None:
        needed = kind.deletion.maintenance({}, False)
        if needed is not None:
            commands.append(_cmk(needed.command, {"id": value}))
    params: dict[str, Param] = {id_param: value}
    if kind.deletion.forced:
        params["forced"] = True
    commands.append(_cmk(kind.delete_command, params))
    return ", then ".join(commands)


def _undo_update(step: ApiCall, change: Change, kind: Kind | None) -> str:
    """The same call with the values the plan read before it, or what was unset.

    An ``enable...`` call is undone by its ``disable...`` twin on the same object.
    """
    if step.command.startswith("enable"):
        return _cmk("disable" + step.command[len("enable") :], step.params)
    restored: dict[str, Param] = dict(step.params)
    changed: list[str] = []
    unset: list[str] = []
    for f in change.fields:
        spec = next((s for s in kind.fields if s.name == f.field), None) if kind else None
        param = (spec.update if spec is not None else None) or f.field
        if param not in restored:
            continue
        if f.before is None:
            unset.append(f.field)
        else:
            restored[param] = _param(f.before)
            changed.append(f"{f.field} {show(f.before)}")
    if changed:
        text = f"restore {', '.join(changed)}: {_cmk(step.command, restored)}"
        if unset:
            text += f" ({', '.join(unset)} had no value before)"
        return text
    if unset:
        return f"{', '.join(unset)} had no value before `{step.command}`: nothing to restore"
    return f"`{step.command}` sets nothing the plan compared; undo it by hand if needed"


def rollback_items(plan: Plan, script_notes: Mapping[str, str]) -> list[str]:
    """One line per step that changes something, in reverse order: how to undo it.

    *script_notes* maps a host script id to its role's rollback note.
    """
    changes = {c.resource: c for c in plan.changes}
    first: dict[object, str] = {}
    for step in plan.steps:
        if isinstance(step, ApiCall) and not step.command.startswith(_SKIP):
            first.setdefault(step.resource, step.id)
    out: list[str] = []
    for step in reversed(plan.steps):
        if isinstance(step, HostScript):
            out.append(f"{step.id} on {step.host}: {script_notes.get(step.id, 'by hand')}")
            continue
        if not isinstance(step, ApiCall) or step.command.startswith(_LOOKUPS):
            continue
        change = changes.get(step.resource)
        kind = KINDS.get(step.resource.kind)
        action = change.action if change is not None else "noop"
        if step.command.startswith(("delete", "disable")) and action in ("delete", "replace"):
            out.append(
                f"{step.resource}: `{step.command}` cannot be undone by a command; "
                "recreate it by hand if needed"
            )
        elif action in ("create", "replace") and first.get(step.resource) == step.id:
            if kind is not None and kind.delete_command is not None:
                out.append(f"{step.resource}: {_undo_create(step, kind)}")
            else:
                out.append(f"{step.resource}: no command deletes it; undo `{step.command}` by hand")
        elif action in ("create", "replace"):
            continue  # a later step on a new resource: deleting the resource undoes it
        elif change is not None:
            out.append(f"{step.resource}: {_undo_update(step, change, kind)}")
    return out
