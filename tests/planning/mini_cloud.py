"""A minimal executor for the round-trip tests, on the real ``cs`` client.

The full one belongs to the apply issue; this is just enough to run a plan's API
steps against the simulator: refs resolved from earlier outputs, secrets from a
given mapping, async jobs polled by ``cs`` (``fetch_result``). Host scripts are not
run here. Reading uses specc's own reader (``specc.cloud.live.read_live``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from cs import CloudStack

from specc.cloud.client import CloudClient, Credentials
from specc.cloud.live import read_live
from specc.cloud.state import LiveState
from specc.core.steps import ApiCall, Concat, Param, Plan, Ref, SecretParam, Wait


def client(sim: Any) -> CloudStack:
    """A ``cs`` client on the simulator that waits for async jobs."""
    return CloudStack(
        endpoint=sim.endpoint,
        key=sim.api_key,
        secret=sim.secret_key,
        fetch_result=True,
        poll_interval=0.05,
        job_timeout=30,
    )


def read(api: CloudStack) -> LiveState:
    """The live state through specc's own reader, on the same endpoint as *api*."""
    creds = Credentials(api.endpoint, api.key, api.secret)
    return read_live(CloudClient(creds))


def _resolve(
    value: Param, outputs: Mapping[str, Mapping[str, Any]], secrets: Mapping[str, str]
) -> Any:
    if isinstance(value, Ref):
        return outputs[value.step][value.output]
    if isinstance(value, SecretParam):
        raw = secrets[value.name]
        return quote(raw, safe="") if value.encoding == "url" else raw
    if isinstance(value, Concat):
        return "".join(str(_resolve(p, outputs, secrets)) for p in value.parts)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _first_item(result: Any) -> Mapping[str, Any]:
    """The item a command returned: the one object, or the first of a list."""
    if isinstance(result, Mapping):
        for key, value in result.items():
            if key in ("count", "jobid", "jobstatus"):
                continue
            if isinstance(value, list) and value and isinstance(value[0], Mapping):
                return value[0]
            if isinstance(value, Mapping):
                return value
        return result
    return {}


def execute(plan: Plan, api: CloudStack, secrets: Mapping[str, str]) -> list[str]:
    """Run the plan's API calls and waits in order; the ids of the steps run."""
    outputs: dict[str, dict[str, Any]] = {}
    done: list[str] = []
    for step in plan.steps:
        if isinstance(step, ApiCall):
            params = {k: _resolve(v, outputs, secrets) for k, v in step.params.items()}
            result = getattr(api, step.command)(**params)
            item = _first_item(result)
            outputs[step.id] = {name: item.get(key) for name, key in step.outputs.items()}
            done.append(step.id)
        elif isinstance(step, Wait):
            params = {k: _resolve(v, outputs, secrets) for k, v in step.params.items()}
            deadline = time.monotonic() + 10
            while True:
                item = _first_item(getattr(api, step.command)(**params))
                if item.get(step.field) == step.equals:
                    break
                assert time.monotonic() < deadline, f"{step.id} timed out"
                time.sleep(0.05)
            done.append(step.id)
    return done
