"""The plan as CloudMonkey commands (``create storagepool scope=zone ...``).

A step's outputs become shell variables named after the step
(``create:zone:zone1`` -> ``$CREATE_ZONE_ZONE1``); secrets become ``$ENV_NAME`` or
``$(cat PATH)``, never values. ``render_cmk`` gives a whole bash script,
``cmk_command`` one step's command line.
"""

from __future__ import annotations

import json
import re
import shlex

from specc.core.steps import (
    ApiCall,
    Check,
    Concat,
    HostScript,
    Param,
    Plan,
    Ref,
    SecretParam,
    Step,
    Wait,
)

_SAFE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


def var_name(step_id: str, output: str = "id") -> str:
    """The shell variable holding a step's output.

    >>> var_name("create:zone:zone-1")
    'CREATE_ZONE_ZONE_1'
    >>> var_name("create:zone:z1", "jobid")
    'CREATE_ZONE_Z1_JOBID'
    """
    base = re.sub(r"[^A-Za-z0-9]+", "_", step_id).strip("_").upper()
    return base if output == "id" else f"{base}_{output.upper()}"


def verb_noun(command: str) -> tuple[str, str]:
    """CloudMonkey's split of an API name: ``createStoragePool`` -> (create, storagepool).

    >>> verb_noun("listNetworkServiceProviders")
    ('list', 'networkserviceproviders')
    """
    match = re.match(r"^([a-z]+)(.*)$", command)
    if not match:
        return command, ""
    return match.group(1), match.group(2).lower()


def _dq(text: str) -> str:
    return re.sub(r'(["\\$`])', r"\\\1", text)


def _secret(secret: SecretParam) -> str:
    raw = f'"${secret.name}"' if secret.source == "env" else f'"$(cat {shlex.quote(secret.name)})"'
    if secret.encoding == "url":
        return f"$(printf %s {raw} | jq -sRr @uri)"
    return raw[1:-1] if raw.startswith('"') else raw


def shell_value(value: Param) -> str:
    """A parameter value as one shell word."""
    if isinstance(value, Ref):
        return f'"${var_name(value.step, value.output)}"'
    if isinstance(value, SecretParam):
        return f'"{_secret(value)}"'
    if isinstance(value, Concat):
        parts = []
        for part in value.parts:
            if isinstance(part, Ref):
                parts.append(f"${var_name(part.step, part.output)}")
            elif isinstance(part, SecretParam):
                parts.append(_secret(part))
            else:
                parts.append(_dq(part))
        return '"' + "".join(parts) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return text if _SAFE.match(text) else shlex.quote(text)


def _args(params: dict[str, Param]) -> str:
    return " ".join(f"{k}={shell_value(v)}" for k, v in sorted(params.items()))


def cmk_command(step: Step) -> str:
    """One step as a CloudMonkey command line (a comment for non-API steps)."""
    if isinstance(step, ApiCall):
        verb, noun = verb_noun(step.command)
        args = _args(step.params)
        return f"{verb} {noun} {args}".rstrip()
    if isinstance(step, Wait):
        verb, noun = verb_noun(step.command)
        return f"# wait until `{verb} {noun} {_args(step.params)}` shows {step.field}={step.equals}"
    if isinstance(step, HostScript):
        return f"# host script {step.id}: run on {step.host} ({step.address}) as {step.role}"
    assert isinstance(step, Check)
    return f"# check: {step.description}: {step.command}"


def _referenced(plan: Plan) -> set[str]:
    used: set[str] = set()
    for step in plan.steps:
        params = step.params if isinstance(step, ApiCall | Wait) else {}
        for value in params.values():
            parts = value.parts if isinstance(value, Concat) else (value,)
            used.update(var_name(p.step, p.output) for p in parts if isinstance(p, Ref))
    return used


def _pick(step: ApiCall, name: str) -> str:
    """The quoted jq program that takes output *name* from the step's result.

    >>> from specc.core.ids import ResourceId
    >>> _pick(ApiCall("s", ResourceId("zone", ("z",)), "createZone", {},
    ...               outputs={"id": "id"}), "id")
    "'[.. | .id? | strings] | first'"
    >>> print(_pick(ApiCall("s", ResourceId("ostype", ("CentOS 7",)), "listOsTypes", {},
    ...                     outputs={"id": "id"}, select={"description": "CentOS 7"}), "id"))
    '[.. | objects | select(.description == "CentOS 7") | .id | strings] | first'
    """
    key = step.outputs[name]
    if not step.select:
        return f"'[.. | .{key}? | strings] | first'"
    where = " and ".join(f".{f} == {json.dumps(v)}" for f, v in sorted(step.select.items()))
    return shlex.quote(f"[.. | objects | select({where}) | .{key} | strings] | first")


def render_cmk(plan: Plan) -> str:
    """The plan as a bash script of ``cmk`` commands, in plan order."""
    used = _referenced(plan)
    out = [
        "#!/usr/bin/env bash",
        "# specc plan as CloudMonkey commands; needs cmk (json output) and jq.",
        f"# spec {plan.spec_hash}  live {plan.live_fingerprint}",
        "set -euo pipefail",
        "",
    ]
    for step in plan.steps:
        out.append(f"# {step.id}")
        if isinstance(step, ApiCall):
            line = f"cmk -o json {cmk_command(step)}"
            outputs = [name for name in sorted(step.outputs) if var_name(step.id, name) in used]
            if outputs:
                for name in outputs:
                    out.append(f"{var_name(step.id, name)}=$({line} | jq -r {_pick(step, name)})")
            else:
                out.append(line)
        elif isinstance(step, Wait):
            verb, noun = verb_noun(step.command)
            want = str(step.equals).lower() if isinstance(step.equals, bool) else step.equals
            out.append(
                f"until cmk -o json {verb} {noun} {_args(step.params)} | "
                f"jq -e '[.. | .{step.field}? | select(. != null)] | first == {want}' "
                ">/dev/null; do sleep 10; done"
            )
        elif isinstance(step, HostScript):
            out.append(f"ssh root@{shlex.quote(step.address)} bash -s <<'SPECC_HOST_SCRIPT'")
            out.append(step.script.rstrip("\n"))
            out.append("SPECC_HOST_SCRIPT")
        else:
            out.append(cmk_command(step))
        out.append("")
    return "\n".join(out)
