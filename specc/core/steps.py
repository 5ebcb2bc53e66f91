"""The plan's data: parameter values, steps, changes and the plan itself.

A plan is computed once and executed as saved. Its values are plain data:

- a step parameter is a literal, a ``Ref`` to an output of an earlier step (a new
  zone's id), a ``SecretParam`` (a reference resolved only at execution), or a
  ``Concat`` of those (a Ceph URL embeds its secret), never a placeholder string;
- a step is an ``ApiCall``, a ``HostScript``, a ``Wait`` or a ``Check``;
- a ``Change`` says what happens to one resource and why;
- a ``Restart`` names a change that waits for the management servers to restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from specc.core.ids import ResourceId

PLAN_FORMAT = "specc-plan"
PLAN_VERSION = 1


@dataclass(frozen=True)
class Ref:
    """An output of an earlier step: ``step`` id and the ``output`` name (``id``)."""

    step: str
    output: str = "id"


@dataclass(frozen=True)
class SecretParam:
    """A secret reference (``env`` or ``file``), resolved at execution.

    ``encoding`` says how the resolved value is embedded: ``none`` or ``url``
    (percent-encoded, for a Ceph key inside an ``rbd://`` URL).
    """

    source: Literal["env", "file"]
    name: str
    encoding: Literal["none", "url"] = "none"


@dataclass(frozen=True)
class Concat:
    """A string assembled at execution from literal text, refs and secrets."""

    parts: tuple[str | Ref | SecretParam, ...]


Param = str | int | float | bool | Ref | SecretParam | Concat


@dataclass(frozen=True)
class ApiCall:
    """One CloudStack API command.

    ``outputs`` maps an output name to the key in the command's result item
    (``{"id": "id"}``); later steps ``Ref`` them. ``resource`` is the resource the
    call acts on. ``select`` names the result item for a list command whose filter
    may match several (``{"description": "CentOS 7"}``: the item whose fields equal
    these); empty, the result's first (or only) item.
    """

    id: str
    resource: ResourceId
    command: str
    params: dict[str, Param]
    is_async: bool = False
    outputs: dict[str, str] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()
    description: str = ""
    select: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HostScript:
    """A bash script to run on one host (or by hand), before ``needed_by``.

    ``secrets`` lists the references the script reads at run time (by env var or
    file), so a runner can provide them; their values never appear in ``script``.
    """

    id: str
    host: str
    address: str
    role: str
    script: str
    needed_by: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    description: str = ""
    os: str | None = None
    secrets: tuple[SecretParam, ...] = ()


@dataclass(frozen=True)
class Wait:
    """Poll ``command`` with ``params`` until item field ``field`` equals ``equals``."""

    id: str
    resource: ResourceId
    command: str
    params: dict[str, Param]
    field: str
    equals: str | bool | int
    timeout_s: int = 3600
    depends_on: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Check:
    """A verification the operator or runner performs (a command and what it expects)."""

    id: str
    description: str
    command: str
    host: str | None = None
    depends_on: tuple[str, ...] = ()


Step = ApiCall | HostScript | Wait | Check

ChangeAction = Literal["create", "update", "replace", "delete", "noop"]
FieldMode = Literal["update", "replace", "impossible"]


@dataclass(frozen=True)
class FieldChange:
    """One field's before and after, and how the change can be made."""

    field: str
    before: object
    after: object
    mode: FieldMode = "update"


@dataclass(frozen=True)
class Change:
    """What happens to one resource, and why (a noop says why too)."""

    resource: ResourceId
    action: ChangeAction
    fields: tuple[FieldChange, ...] = ()
    reason: str = ""
    live_id: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Restart:
    """A change that takes effect only once the management servers restart.

    ``step`` is the step that makes it, ``resource`` what it changes, ``why`` the
    reason (a setting read at start-up: not dynamic, or read once by a manager).
    """

    step: str
    resource: ResourceId
    why: str


@dataclass(frozen=True)
class Plan:
    """An ordered, self-contained plan: what a reviewer reads and apply executes.

    ``restarts`` are the changes that wait for a management server restart, in
    step order. ``builtin`` names the live objects CloudStack made itself (default
    offerings, system templates), each with why: shown folded, never managed.
    ``scopes`` are the setting scopes the live state was read at
    (:attr:`specc.cloud.state.LiveState.scopes`; None: all), so that apply
    re-reads the same calls to check ``live_fingerprint``.
    """

    spec_hash: str
    live_fingerprint: str
    api_version: str
    changes: tuple[Change, ...]
    steps: tuple[Step, ...]
    notes: tuple[str, ...] = ()
    unmanaged: tuple[str, ...] = ()
    restarts: tuple[Restart, ...] = ()
    builtin: tuple[str, ...] = ()
    scopes: tuple[str, ...] | None = None
    format: str = PLAN_FORMAT
    version: int = PLAN_VERSION
