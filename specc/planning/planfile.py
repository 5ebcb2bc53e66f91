"""The plan file: a versioned JSON document, byte-stable, secrets only as references.

``dump_plan`` writes sorted, indented JSON sealed with a ``digest`` (sha256 over the
canonical JSON of every other field, :func:`plan_digest`); ``load_plan`` reads it
back after checking the format, the version, the JSON Schema (``PLAN_SCHEMA``,
checked in as ``schemas/plan-v1.schema.json``) and the seal. A parameter is a
literal, ``{"ref": step, "output": name}``, ``{"secret": {"source", "name",
"encoding"}}`` or ``{"concat": [parts]}``.
A step's or change's ``resource`` is written as its ResourceId's text (``kind:a/b``)
and read back as a ResourceId.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema

from specc.core.ids import ResourceId
from specc.core.steps import (
    PLAN_FORMAT,
    PLAN_VERSION,
    ApiCall,
    Change,
    Check,
    Concat,
    FieldChange,
    HostScript,
    Param,
    Plan,
    Ref,
    Restart,
    SecretParam,
    Step,
    Wait,
)
from specc.errors import PlanError

_PARAM_DEFS: dict[str, Any] = {
    "literal": {"type": ["string", "integer", "number", "boolean"]},
    "ref": {
        "type": "object",
        "required": ["ref", "output"],
        "additionalProperties": False,
        "properties": {"ref": {"type": "string"}, "output": {"type": "string"}},
    },
    "secret": {
        "type": "object",
        "required": ["secret"],
        "additionalProperties": False,
        "properties": {
            "secret": {
                "type": "object",
                "required": ["source", "name", "encoding"],
                "additionalProperties": False,
                "properties": {
                    "source": {"enum": ["env", "file"]},
                    "name": {"type": "string"},
                    "encoding": {"enum": ["none", "url"]},
                },
            }
        },
    },
    "part": {
        "oneOf": [
            {"type": "string"},
            {"$ref": "#/$defs/ref"},
            {"$ref": "#/$defs/secret"},
        ]
    },
    "concat": {
        "type": "object",
        "required": ["concat"],
        "additionalProperties": False,
        "properties": {"concat": {"type": "array", "items": {"$ref": "#/$defs/part"}}},
    },
    "param": {
        "oneOf": [
            {"$ref": "#/$defs/literal"},
            {"$ref": "#/$defs/ref"},
            {"$ref": "#/$defs/secret"},
            {"$ref": "#/$defs/concat"},
        ]
    },
    "params": {"type": "object", "additionalProperties": {"$ref": "#/$defs/param"}},
    "ids": {"type": "array", "items": {"type": "string"}},
}

_STEP_DEFS: dict[str, Any] = {
    "api_call": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "id", "resource", "command", "params", "is_async", "outputs"],
        "properties": {
            "type": {"const": "api_call"},
            "id": {"type": "string"},
            "resource": {"type": "string"},
            "command": {"type": "string", "pattern": "^[a-zA-Z]+$"},
            "params": {"$ref": "#/$defs/params"},
            "is_async": {"type": "boolean"},
            "outputs": {"type": "object", "additionalProperties": {"type": "string"}},
            "depends_on": {"$ref": "#/$defs/ids"},
            "description": {"type": "string"},
            "select": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "host_script": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "id", "host", "address", "role", "script"],
        "properties": {
            "type": {"const": "host_script"},
            "id": {"type": "string"},
            "host": {"type": "string"},
            "address": {"type": "string"},
            "role": {"type": "string"},
            "script": {"type": "string"},
            "needed_by": {"$ref": "#/$defs/ids"},
            "depends_on": {"$ref": "#/$defs/ids"},
            "description": {"type": "string"},
            "os": {"type": ["string", "null"]},
            "secrets": {"type": "array", "items": {"$ref": "#/$defs/secret"}},
        },
    },
    "wait": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "id", "resource", "command", "params", "field", "equals"],
        "properties": {
            "type": {"const": "wait"},
            "id": {"type": "string"},
            "resource": {"type": "string"},
            "command": {"type": "string"},
            "params": {"$ref": "#/$defs/params"},
            "field": {"type": "string"},
            "equals": {"type": ["string", "boolean", "integer"]},
            "timeout_s": {"type": "integer", "minimum": 1},
            "depends_on": {"$ref": "#/$defs/ids"},
            "description": {"type": "string"},
        },
    },
    "check": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "id", "description", "command"],
        "properties": {
            "type": {"const": "check"},
            "id": {"type": "string"},
            "description": {"type": "string"},
            "command": {"type": "string"},
            "host": {"type": ["string", "null"]},
            "depends_on": {"$ref": "#/$defs/ids"},
        },
    },
}

PLAN_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://specc.example/schemas/plan-v1.schema.json",
    "title": "specc plan, version 1",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "format",
        "version",
        "spec_hash",
        "live_fingerprint",
        "api_version",
        "changes",
        "steps",
        "digest",
    ],
    "properties": {
        "format": {"const": PLAN_FORMAT},
        "digest": {
            "type": "string",
            "pattern": "^sha256:[0-9a-f]{64}$",
            "description": "The seal: sha256 of the canonical JSON of every other field.",
        },
        "version": {"const": PLAN_VERSION},
        "spec_hash": {"type": "string"},
        "live_fingerprint": {"type": "string"},
        "api_version": {"type": "string"},
        "notes": {"type": "array", "items": {"type": "string"}},
        "unmanaged": {"type": "array", "items": {"type": "string"}},
        "builtin": {"type": "array", "items": {"type": "string"}},
        "scopes": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The setting scopes the live state was read at (absent: all).",
        },
        "restarts": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["step", "resource", "why"],
                "properties": {
                    "step": {"type": "string"},
                    "resource": {"type": "string"},
                    "why": {"type": "string"},
                },
            },
        },
        "changes": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["resource", "action"],
                "properties": {
                    "resource": {"type": "string"},
                    "action": {"enum": ["create", "update", "replace", "delete", "noop"]},
                    "reason": {"type": "string"},
                    "live_id": {"type": ["string", "null"]},
                    "warnings": {"type": "array", "items": {"type": "string"}},
                    "fields": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["field", "before", "after", "mode"],
                            "properties": {
                                "field": {"type": "string"},
                                "before": {},
                                "after": {},
                                "mode": {"enum": ["update", "replace", "impossible"]},
                            },
                        },
                    },
                },
            },
        },
        "steps": {
            "type": "array",
            "items": {
                "oneOf": [{"$ref": f"#/$defs/{name}"} for name in sorted(_STEP_DEFS)],
            },
        },
    },
    "$defs": {**_PARAM_DEFS, **_STEP_DEFS},
}


# --- encoding -------------------------------------------------------------------


def encode_param(value: Param) -> Any:
    """A parameter as JSON data.

    >>> encode_param(Ref("create:zone:z1"))
    {'ref': 'create:zone:z1', 'output': 'id'}
    """
    if isinstance(value, Ref):
        return {"ref": value.step, "output": value.output}
    if isinstance(value, SecretParam):
        return {"secret": {"source": value.source, "name": value.name, "encoding": value.encoding}}
    if isinstance(value, Concat):
        return {"concat": [encode_param(p) for p in value.parts]}
    return value


def decode_param(data: Any) -> Param:
    """Inverse of :func:`encode_param`."""
    if isinstance(data, dict):
        if "ref" in data:
            return Ref(str(data["ref"]), str(data.get("output", "id")))
        if "secret" in data:
            s = data["secret"]
            return SecretParam(s["source"], s["name"], s.get("encoding", "none"))
        if "concat" in data:
            parts: list[str | Ref | SecretParam] = []
            for part in data["concat"]:
                decoded = decode_param(part)
                if not isinstance(decoded, str | Ref | SecretParam):
                    raise PlanError("a concat part must be text, a ref or a secret")
                parts.append(decoded)
            return Concat(tuple(parts))
        raise PlanError(f"unknown parameter value {data!r}")
    if isinstance(data, str | int | float | bool):
        return data
    raise PlanError(f"unknown parameter value {data!r}")


def _value(value: object) -> Any:
    if isinstance(value, Ref | SecretParam | Concat):
        return encode_param(value)
    return value


def step_to_dict(step: Step) -> dict[str, Any]:
    """One step as JSON data, with its ``type`` (an api_call's ``select`` only when set)."""
    if isinstance(step, ApiCall):
        return {
            "type": "api_call",
            "id": step.id,
            "resource": str(step.resource),
            "command": step.command,
            "params": {k: encode_param(v) for k, v in sorted(step.params.items())},
            "is_async": step.is_async,
            "outputs": dict(sorted(step.outputs.items())),
            "depends_on": list(step.depends_on),
            "description": step.description,
            **({"select": dict(sorted(step.select.items()))} if step.select else {}),
        }
    if isinstance(step, HostScript):
        return {
            "type": "host_script",
            "id": step.id,
            "host": step.host,
            "address": step.address,
            "role": step.role,
            "script": step.script,
            "needed_by": list(step.needed_by),
            "depends_on": list(step.depends_on),
            "description": step.description,
            "os": step.os,
            "secrets": [encode_param(s) for s in step.secrets],
        }
    if isinstance(step, Wait):
        return {
            "type": "wait",
            "id": step.id,
            "resource": str(step.resource),
            "command": step.command,
            "params": {k: encode_param(v) for k, v in sorted(step.params.items())},
            "field": step.field,
            "equals": step.equals,
            "timeout_s": step.timeout_s,
            "depends_on": list(step.depends_on),
            "description": step.description,
        }
    return {
        "type": "check",
        "id": step.id,
        "description": step.description,
        "command": step.command,
        "host": step.host,
        "depends_on": list(step.depends_on),
    }


def _params(data: dict[str, Any]) -> dict[str, Param]:
    return {k: decode_param(v) for k, v in data.items()}


def step_from_dict(data: dict[str, Any]) -> Step:
    """Inverse of :func:`step_to_dict`."""
    kind = data["type"]
    deps = tuple(data.get("depends_on", ()))
    if kind == "api_call":
        return ApiCall(
            data["id"],
            ResourceId.parse(data["resource"]),
            data["command"],
            _params(data["params"]),
            bool(data["is_async"]),
            dict(data.get("outputs", {})),
            deps,
            data.get("description", ""),
            dict(data.get("select", {})),
        )
    if kind == "host_script":
        secrets = []
        for s in data.get("secrets", ()):
            decoded = decode_param(s)
            if isinstance(decoded, SecretParam):
                secrets.append(decoded)
        return HostScript(
            data["id"],
            data["host"],
            data["address"],
            data["role"],
            data["script"],
            tuple(data.get("needed_by", ())),
            deps,
            data.get("description", ""),
            data.get("os"),
            tuple(secrets),
        )
    if kind == "wait":
        return Wait(
            data["id"],
            ResourceId.parse(data["resource"]),
            data["command"],
            _params(data["params"]),
            data["field"],
            data["equals"],
            int(data.get("timeout_s", 3600)),
            deps,
            data.get("description", ""),
        )
    return Check(data["id"], data["description"], data["command"], data.get("host"), deps)


def change_to_dict(change: Change) -> dict[str, Any]:
    """One change as JSON data."""
    return {
        "resource": str(change.resource),
        "action": change.action,
        "reason": change.reason,
        "live_id": change.live_id,
        "warnings": list(change.warnings),
        "fields": [
            {"field": f.field, "before": _value(f.before), "after": _value(f.after), "mode": f.mode}
            for f in change.fields
        ],
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The whole plan as JSON data (what ``dump_plan`` writes).

    ``restarts`` and ``builtin`` are written only when the plan has any, ``scopes``
    only when the live read was limited to some.
    """
    data: dict[str, Any] = {
        "format": plan.format,
        "version": plan.version,
        "spec_hash": plan.spec_hash,
        "live_fingerprint": plan.live_fingerprint,
        "api_version": plan.api_version,
        "notes": list(plan.notes),
        "unmanaged": list(plan.unmanaged),
        "changes": [change_to_dict(c) for c in plan.changes],
        "steps": [step_to_dict(s) for s in plan.steps],
    }
    if plan.restarts:
        data["restarts"] = [
            {"step": r.step, "resource": str(r.resource), "why": r.why} for r in plan.restarts
        ]
    if plan.builtin:
        data["builtin"] = list(plan.builtin)
    if plan.scopes is not None:
        data["scopes"] = list(plan.scopes)
    data["digest"] = plan_digest(data)
    return data


def plan_digest(data: Mapping[str, Any]) -> str:
    """The seal of a plan file's data: sha256 of the canonical JSON of every field but ``digest``.

    Canonical: keys sorted, no spaces, text as UTF-8; so re-indenting a plan file
    keeps its seal, and any change of a value, a step, a parameter or a note breaks
    it. It detects edits; it is not a signature (anyone can compute it again).

    >>> plan_digest({"a": 1, "digest": "x"}) == plan_digest({"a": 1})
    True
    """
    body = {k: v for k, v in data.items() if k != "digest"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def dump_plan(plan: Plan) -> str:
    """The plan as sorted, indented JSON text ending in a newline (byte-stable)."""
    return json.dumps(plan_to_dict(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def plan_from_dict(data: Any, source: str = "plan") -> Plan:
    """A Plan from JSON data, after checking format, version and schema.

    Raises:
        PlanError: not a specc plan, another version, not sealed, not matching the
            schema, or edited since it was made (its digest does not match).
    """
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise PlanError(f"{source}: not a specc plan file (format is not {PLAN_FORMAT!r})")
    if data.get("version") != PLAN_VERSION:
        raise PlanError(
            f"{source}: plan format version {data.get('version')!r} is not supported "
            f"(this specc reads version {PLAN_VERSION})",
            hint="make the plan again with this version of specc",
        )
    if "digest" not in data:
        raise PlanError(
            f"{source}: the plan file is not sealed (it has no digest)",
            hint="it was made by an older specc, or rewritten by hand: make the plan again "
            "with 'specc plan -o'",
        )
    validator = jsonschema.Draft202012Validator(PLAN_SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top)"
        raise PlanError(f"{source}: invalid plan file at {where}: {first.message}")
    if plan_digest(data) != data["digest"]:
        raise PlanError(
            f"{source}: the plan file was changed after it was made (its digest does not "
            "match its content); refusing to apply an edited plan",
            hint="make the plan again with 'specc plan -o' (and review that one): a plan is "
            "applied exactly as it was made",
        )
    changes = tuple(
        Change(
            ResourceId.parse(c["resource"]),
            c["action"],
            tuple(
                FieldChange(f["field"], f["before"], f["after"], f["mode"])
                for f in c.get("fields", ())
            ),
            c.get("reason", ""),
            c.get("live_id"),
            tuple(c.get("warnings", ())),
        )
        for c in data["changes"]
    )
    return Plan(
        spec_hash=data["spec_hash"],
        live_fingerprint=data["live_fingerprint"],
        api_version=data["api_version"],
        changes=changes,
        steps=tuple(step_from_dict(s) for s in data["steps"]),
        notes=tuple(data.get("notes", ())),
        unmanaged=tuple(data.get("unmanaged", ())),
        restarts=tuple(
            Restart(r["step"], ResourceId.parse(r["resource"]), r["why"])
            for r in data.get("restarts", ())
        ),
        builtin=tuple(data.get("builtin", ())),
        scopes=tuple(data["scopes"]) if "scopes" in data else None,
    )


def load_plan(path: str | Path) -> Plan:
    """Read and check a plan file.

    Raises:
        PlanError: unreadable, not JSON (e.g. truncated), or not a valid plan.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanError(f"{path}: cannot read the plan file: {exc.strerror}") from None
    if not text.lstrip().startswith("{"):
        raise PlanError(
            f"{path}: not a plan file (a plan file is a JSON object; this does not start "
            "with '{')",
            hint="give the file 'specc plan -o' wrote, or spec files (*.yaml)",
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            f"{path}: not valid JSON (truncated?) at line {exc.lineno} column {exc.colno}"
        ) from None
    return plan_from_dict(data, str(path))


def schema_text() -> str:
    """The plan JSON Schema as checked in under ``schemas/plan-v1.schema.json``."""
    return json.dumps(PLAN_SCHEMA, indent=2, sort_keys=True) + "\n"
