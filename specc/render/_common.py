"""Helpers shared by the plan renderers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from specc.core.steps import ApiCall, Change, Concat, Param, Plan, Ref, SecretParam, Step

SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "noop": " "}


def counts(plan: Plan) -> dict[str, int]:
    """How many resources each action touches."""
    out = {"create": 0, "update": 0, "replace": 0, "delete": 0, "noop": 0}
    for change in plan.changes:
        out[change.action] += 1
    return out


def summary(plan: Plan) -> str:
    """The terraform-like last line: ``Plan: N to add, ...``.

    >>> from specc.core.steps import Plan
    >>> summary(Plan("h", "f", "4.18", (), ()))
    'Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy.'
    """
    c = counts(plan)
    return (
        f"Plan: {c['create']} to add, {c['update']} to change, "
        f"{c['replace']} to replace, {c['delete']} to destroy."
    )


def has_changes(plan: Plan) -> bool:
    """Whether the plan changes anything (any change or step)."""
    return bool(plan.steps) or any(c.action != "noop" for c in plan.changes)


def show(value: object) -> str:
    """A field value for humans: JSON text, ``(none)`` for unset.

    >>> show(None), show("a"), show(3)
    ('(none)', '"a"', '3')
    """
    if value is None:
        return "(none)"
    return json.dumps(value, sort_keys=True, default=str)


def field_lines(change: Change) -> list[str]:
    """``field: old -> new`` lines of a change, with how each change is made."""
    lines = []
    for f in change.fields:
        suffix = {"replace": "  (forces replacement)", "impossible": "  (cannot change)"}.get(
            f.mode, ""
        )
        lines.append(f"{f.field}: {show(f.before)} -> {show(f.after)}{suffix}")
    return lines


_LOOKUPS = ("list", "query", "get")


def _secret_text(secret: SecretParam) -> str:
    return f"(secret {secret.source}:{secret.name})"


def param_text(value: Param, owners: Mapping[str, str]) -> str:
    """A step parameter for a reviewer: literals as JSON, secrets masked, refs by resource.

    *owners* maps a step id to the resource it acts on, so a reference reads as the
    id of that resource (known only once the step has run).

    >>> param_text("zone1", {}), param_text(3, {})
    ('"zone1"', '3')
    >>> param_text(SecretParam("env", "KVM_ROOT_PASSWORD"), {})
    '(secret env:KVM_ROOT_PASSWORD)'
    >>> param_text(Ref("create:zone:z1"), {"create:zone:z1": "zone:z1"})
    '(id of zone:z1, known after apply)'
    >>> param_text(Concat(("rbd://u:", SecretParam("env", "K"), "@mon/p")), {})
    '"rbd://u:(secret env:K)@mon/p"'
    """
    if isinstance(value, SecretParam):
        return _secret_text(value)
    if isinstance(value, Ref):
        return f"({_ref_text(value, owners)}, known after apply)"
    if isinstance(value, Concat):
        parts = [
            _secret_text(p)
            if isinstance(p, SecretParam)
            else f"({_ref_text(p, owners)})"
            if isinstance(p, Ref)
            else p
            for p in value.parts
        ]
        return json.dumps("".join(parts))
    return show(value)


def _ref_text(ref: Ref, owners: Mapping[str, str]) -> str:
    what = owners.get(ref.step, ref.step)
    return f"id of {what}" if ref.output == "id" else f"{ref.output} of {what}"


def step_owners(steps: tuple[Step, ...]) -> dict[str, str]:
    """Each API step's id mapped to the resource it acts on (for ``param_text``)."""
    return {s.id: str(s.resource) for s in steps if isinstance(s, ApiCall)}


def attribute_lines(plan: Plan, change: Change) -> list[str]:
    """``name: value`` lines of what a create sends, as ``terraform plan`` shows.

    The parameters of every API call the plan makes for the resource, in step order
    (a later call's value wins: a zone is created Disabled, then enabled), without
    lookups and without references to the resource itself; secrets are masked.
    """
    if change.action != "create":
        return []
    owners = step_owners(plan.steps)
    merged: dict[str, Param] = {}
    for step in plan.steps:
        if not isinstance(step, ApiCall) or step.resource != change.resource:
            continue
        if step.command.startswith(_LOOKUPS) or step.command.startswith("delete"):
            continue
        for name, value in step.params.items():
            if isinstance(value, Ref) and owners.get(value.step) == str(change.resource):
                continue
            merged[name] = value
    return [f"{name}: {param_text(merged[name], owners)}" for name in sorted(merged)]


def change_lines(plan: Plan, change: Change) -> list[str]:
    """The lines under a change: its attributes for a create, field changes otherwise."""
    if change.action == "create":
        return attribute_lines(plan, change)
    return field_lines(change)


def plural(n: int, word: str, many: str | None = None) -> str:
    """*n* and *word*, in the plural unless *n* is 1.

    >>> plural(1, "resource"), plural(2, "resource"), plural(0, "class", "classes")
    ('1 resource', '2 resources', '0 classes')
    """
    return f"{n} {word if n == 1 else (many or word + 's')}"


def builtin_summary(plan: Plan) -> str:
    """One line for the live objects CloudStack made itself, counted per kind.

    >>> builtin_summary(Plan("h", "f", "4.18", (), (), builtin=(
    ...     "diskoffering:Small (d1): why", "diskoffering:Large (d2): why",
    ...     "traffictype:z/p/Storage (t1): why")))
    "3 built-in objects (CloudStack's own, not managed): 2 diskoffering, 1 traffictype"
    """
    per_kind: dict[str, int] = {}
    for text in plan.builtin:
        kind = text.split(":", 1)[0]
        per_kind[kind] = per_kind.get(kind, 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(per_kind.items()))
    count = plural(len(plan.builtin), "built-in object")
    return f"{count} (CloudStack's own, not managed): {kinds}"


RESTART_HEADING = "Restart the management servers after apply"


def restart_lines(plan: Plan) -> list[str]:
    """One line per change that waits for a management server restart: what, and why.

    >>> from specc.core.ids import ResourceId
    >>> from specc.core.steps import Restart
    >>> rid = ResourceId("configuration", ("expunge.delay",))
    >>> restart_lines(Plan("h", "f", "4.18", (), (), restarts=(Restart("s", rid, "why"),)))
    ['configuration:expunge.delay: why']
    """
    return [f"{r.resource}: {r.why}" for r in plan.restarts]


def restart_warning(plan: Plan, change: Change) -> list[str]:
    """The restart a change waits for, as a line under it (empty when none)."""
    return [
        f"takes effect only after the management servers restart ({r.why})"
        for r in plan.restarts
        if r.resource == change.resource
    ]


def short_hash(value: str) -> str:
    """A hash shown in a header: its kind prefix and 12 hex digits.

    >>> short_hash("stable-sha256:0123456789abcdef0123")
    'stable-sha256:0123456789ab'
    >>> short_hash("sha256:0123456789abcdef")
    'sha256:0123456789ab'
    """
    prefix, _, digest = value.rpartition(":")
    return f"{prefix}:{digest[:12]}" if prefix else digest[:12]


_RID_NOTE = re.compile(r"^(?P<kind>[a-z]+):(?P<key>[^ :]+(?: [^ :]+)*): (?P<text>.+)$")
_UNREADABLE = re.compile(
    r"^(?P<field>\S+) is not readable via the API on (?P<version>\S+): (?P<rest>.+)$"
)


def grouped_notes(notes: Iterable[str]) -> list[str]:
    """Notes with the ones repeated per resource folded into one line each.

    A note ``kind:key: text`` that several resources share becomes ``N kinds (a, b, c):
    text`` (each named by its last key part when those are distinct), and the fields
    not readable on a version become one line. Other notes stay as they are, in order.

    >>> grouped_notes([
    ...     "host:z/p/c/h1: KVM host; add the key",
    ...     "host:z/p/c/h2: KVM host; add the key",
    ...     "host.username is not readable via the API on 4.18: not verifiable",
    ...     "storagepool.url is not readable via the API on 4.18: not verifiable",
    ...     "zone:z: alone",
    ... ])
    ['2 hosts (h1, h2): KVM host; add the key', \
'not readable via the API on 4.18 (not verifiable): host.username, storagepool.url', \
'zone:z: alone']
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    order: list[tuple[str, ...]] = []
    for note in notes:
        group: tuple[str, ...]
        unreadable = _UNREADABLE.match(note)
        by_rid = _RID_NOTE.match(note)
        if unreadable:
            group = ("unreadable", unreadable["version"], unreadable["rest"])
            member = unreadable["field"]
        elif by_rid:
            group = ("rid", by_rid["kind"], by_rid["text"])
            member = by_rid["key"]
        else:
            group, member = ("plain", note, ""), note
        if group not in groups:
            order.append(group)
        groups.setdefault(group, []).append(member)
    out: list[str] = []
    for group in order:
        members = groups[group]
        if group[0] == "unreadable":
            out.append(f"not readable via the API on {group[1]} ({group[2]}): {', '.join(members)}")
        elif group[0] == "rid" and len(members) > 1:
            lasts = [m.rsplit("/", 1)[-1] for m in members]
            names = lasts if len(set(lasts)) == len(lasts) else members
            out.append(f"{len(members)} {group[1]}s ({', '.join(names)}): {group[2]}")
        elif group[0] == "rid":
            out.append(f"{group[1]}:{members[0]}: {group[2]}")
        else:
            out.extend(members)
    return out
