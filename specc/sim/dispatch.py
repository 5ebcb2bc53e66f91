"""Run one API command against the store: parameters, transaction, async jobs, shaping.

The HTTP layer (server.py) authenticates and parses; this module decides the answer,
so it can be used and tested without sockets.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from specc.sim.handlers import (
    ApiError,
    CommandSpec,
    Ctx,
    Registry,
    new_id,
    now_text,
    parse_params,
    shape,
)
from specc.sim.store import Store

JOB_KIND = "asyncjobs"
# An async job takes this many times the per-call latency, so "pending" is observable.
JOB_LATENCY_FACTOR = 3
ROOT_ACCOUNT_ID = "d3d1d5a8-0000-4000-8000-000000000001"
ROOT_USER_ID = "d3d1d5a8-0000-4000-8000-000000000002"
ROOT_DOMAIN_ID = "d3d1d5a8-0000-4000-8000-000000000003"

INTERNAL_ERROR_TEXT = "Internal error executing command, please contact your system administrator"
UNKNOWN_COMMAND_TEXT = "The given command does not exist or it is not available for user"


@dataclass
class Faults:
    """Faults to inject: per-call latency, failing commands, async jobs that fail.

    ``fail`` names commands that always fail (530 for a sync command, a failed job
    for an async one). Random 5xx answers and timeouts (``fault_rate``) are drawn
    by the HTTP layer, which owns the seeded RNG. A simulated timeout drops the
    request before it runs, or, with ``timeouts_after_call``, after it ran (the
    client cannot tell whether its change happened: the hard case for a retry).
    """

    latency_ms: float = 0.0
    fault_rate: float = 0.0
    fail: frozenset[str] = field(default_factory=frozenset)
    timeouts_after_call: bool = False


@dataclass
class Answer:
    """An HTTP status and the JSON body of one API answer."""

    status: int
    body: dict[str, Any]


def error_body(key: str, err: ApiError) -> dict[str, Any]:
    """The server's error body under *key* (``createzoneresponse``)."""
    return {
        key: {
            "uuidList": [],
            "errorcode": err.status,
            "cserrorcode": err.cserrorcode,
            "errortext": err.text,
        }
    }


class Dispatcher:
    """Answers API commands from *registry* against *store* on *api_version*."""

    def __init__(
        self, store: Store, registry: Registry, api_version: str, faults: Faults | None = None
    ) -> None:
        self.store = store
        self.registry = registry
        self.api_version = api_version
        self.faults = faults or Faults()
        self._count_lock = threading.Lock()
        self.call_count = 0

    def lookup(self, name: str) -> CommandSpec | None:
        """The command *name* served on this version, or None."""
        spec = self.registry.commands.get(name)
        if spec is None or not spec.served_on(self.api_version):
            return None
        return spec

    def call(self, name: str, raw: Mapping[str, str]) -> Answer:
        """Run command *name* with the request parameters *raw*."""
        with self._count_lock:
            self.call_count += 1
        spec = self.lookup(name)
        if spec is None:
            return Answer(432, error_body("errorresponse", ApiError(432, UNKNOWN_COMMAND_TEXT)))
        try:
            return self._run(spec, raw)
        except ApiError as err:
            return Answer(err.status, error_body(spec.response_key, err))
        except Exception as exc:  # a bug in a handler: answer as the server does
            bug = ApiError(530, INTERNAL_ERROR_TEXT + f" ({type(exc).__name__})")
            return Answer(530, error_body(spec.response_key, bug))

    def _run(self, spec: CommandSpec, raw: Mapping[str, str]) -> Answer:
        if spec.is_async:
            return self._run_async(spec, raw)
        with self.store.transaction():
            params = parse_params(spec, raw, self.store, self.api_version)
            if spec.name in self.faults.fail:
                raise ApiError(530, f"Simulated failure of {spec.name}")
            ctx = Ctx(spec, params, raw, self.store, self.api_version)
            result = spec.handler(ctx)
        return Answer(200, {spec.response_key: self._shape(result)})

    def _run_async(self, spec: CommandSpec, raw: Mapping[str, str]) -> Answer:
        with self.store.transaction():
            params = parse_params(spec, raw, self.store, self.api_version)
        job_id = new_id()
        created = time.time()
        job: dict[str, Any] = {
            "id": job_id,
            "jobid": job_id,
            "accountid": ROOT_ACCOUNT_ID,
            "userid": ROOT_USER_ID,
            "cmd": _cmd_class(spec.name),
            "created": now_text(created),
            "_done_at": created + JOB_LATENCY_FACTOR * self.faults.latency_ms / 1000.0,
        }
        try:
            with self.store.transaction():
                if spec.name in self.faults.fail:
                    raise ApiError(530, f"Simulated failure of {spec.name}")
                ctx = Ctx(spec, params, raw, self.store, self.api_version)
                try:
                    result = self._shape(spec.handler(ctx))
                except ApiError:
                    raise
                except Exception as exc:  # a bug in a handler fails the job, as on the server
                    raise ApiError(530, f"{INTERNAL_ERROR_TEXT} ({type(exc).__name__})") from exc
        except ApiError as err:
            if spec.creates_first and spec.name not in self.faults.fail:
                raise  # the create step runs before the job: an HTTP error
            job.update(
                jobstatus=2,
                jobresultcode=err.status,
                jobresulttype="object",
                jobresult={"errorcode": err.status, "errortext": err.text},
            )
            with self.store.transaction():
                self.store.insert(JOB_KIND, job)
            return Answer(200, {spec.response_key: {"jobid": job_id}})
        job.update(jobstatus=1, jobresultcode=0, jobresulttype="object", jobresult=result)
        object_id = _single_object_id(result)
        if object_id is not None:
            job["jobinstanceid"] = object_id
        with self.store.transaction():
            self.store.insert(JOB_KIND, job)
        body: dict[str, Any] = {"jobid": job_id}
        if object_id is not None and spec.name.startswith(("create", "add", "register")):
            body["id"] = object_id
        return Answer(200, {spec.response_key: body})

    def _shape(self, result: dict[str, Any]) -> dict[str, Any]:
        shaped: dict[str, Any] = shape(result, self.api_version, self.registry)
        return shaped


def job_view(job: Mapping[str, Any], now: float | None = None) -> dict[str, Any]:
    """A stored job as queryAsyncJobResult shows it at time *now*: pending until done."""
    t = time.time() if now is None else now
    out = {k: v for k, v in job.items() if not k.startswith("_") and k != "id"}
    if t < float(job.get("_done_at", 0)):
        for k in ("jobresult", "jobresulttype", "jobinstanceid"):
            out.pop(k, None)
        out.update(jobstatus=0, jobresultcode=0, jobprocstatus=0)
        return out
    out["jobprocstatus"] = 0
    out["completed"] = now_text(float(job.get("_done_at", t)))
    return out


def _single_object_id(result: Mapping[str, Any]) -> str | None:
    objects = [v for v in result.values() if isinstance(v, dict) and "id" in v]
    if len(objects) == 1:
        return str(objects[0]["id"])
    return None


def _cmd_class(name: str) -> str:
    """A plausible command class name, as jobs report it (``...CreatePhysicalNetworkCmd``)."""
    return f"org.apache.cloudstack.api.command.admin.{name[0].upper()}{name[1:]}Cmd"
