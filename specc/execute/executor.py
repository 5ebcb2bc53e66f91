"""Execute a plan: dependency order, bounded parallelism, a journal, resumable.

The executor runs each step once its prerequisites are done (see
:mod:`specc.execute.schedule`), up to ``parallelism`` at a time on a thread pool.
Parameters are resolved at the last moment: references from the outputs of earlier
steps (of this run or, on a rerun, of the journal), secrets from the environment or
files. Every outcome is journaled as it happens; a rerun skips what is done and
reconciles what may have half-completed. Progress is reported through a callback
as :class:`Event` values; the CLI decides how to show them.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Literal

from specc.cloud.client import CloudClient
from specc.core.steps import ApiCall, Check, HostScript, Plan, Step, Wait
from specc.errors import ApiError, ApplyError, SpeccError
from specc.execute.journal import Journal, Progress
from specc.execute.reconcile import find_created, is_create, outputs_of
from specc.execute.schedule import dependencies
from specc.execute.secrets import Masker, SecretResolver

EventKind = Literal["start", "done", "reused", "skipped", "failed", "check", "info"]


@dataclass(frozen=True)
class Event:
    """One thing that happened: a step started, finished, was skipped, failed."""

    kind: EventKind
    step: str
    text: str = ""


@dataclass
class Outcome:
    """What a run did."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    elapsed_s: float = 0.0


HostRun = Callable[[HostScript, SecretResolver], str]


def first_item(result: Mapping[str, Any]) -> Mapping[str, Any]:
    """The item a command returned: its one object, or the first of its list.

    >>> first_item({"count": 1, "zone": [{"id": "z"}]})
    {'id': 'z'}
    """
    for key, value in result.items():
        if key in ("count", "jobid", "jobstatus"):
            continue
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            return value[0]
        if isinstance(value, Mapping):
            return value
    return result


def selected_item(step: ApiCall, result: Mapping[str, Any]) -> Mapping[str, Any]:
    """The item of *result* the step wants: per ``step.select``, else the first.

    A list filter may match several rows (listOsTypes' ``description`` is a LIKE
    ``%x%``); ``select`` names the one whose fields equal its values.

    >>> from specc.core.ids import ResourceId
    >>> rows = {"count": 2, "ostype": [{"id": "a", "description": "CentOS 7.1"},
    ...                                {"id": "b", "description": "CentOS 7"}]}
    >>> step = ApiCall("s", ResourceId("ostype", ("CentOS 7",)), "listOsTypes", {},
    ...                select={"description": "CentOS 7"})
    >>> selected_item(step, rows)["id"]
    'b'

    Raises:
        ApplyError: a ``select`` that no item of the result meets.
    """
    if not step.select:
        return first_item(result)
    for key, value in result.items():
        if key in ("count", "jobid", "jobstatus") or not isinstance(value, list):
            continue
        for item in value:
            if isinstance(item, Mapping) and all(
                str(item.get(f)) == want for f, want in step.select.items()
            ):
                return item
    wanted = ", ".join(f"{f} = {v!r}" for f, v in sorted(step.select.items()))
    raise ApplyError(f"{step.command} returned no item with {wanted}")


@dataclass
class Settings:
    """How to run: parallelism, job timeout, wait polling."""

    parallelism: int = 10
    job_timeout_s: float = 3600.0
    wait_poll_s: float = 0.05
    wait_poll_max_s: float = 5.0


class Executor:
    """Runs one plan against one client, journaling as it goes."""

    def __init__(
        self,
        plan: Plan,
        client: CloudClient,
        journal: Journal,
        resolver: SecretResolver,
        host_run: HostRun,
        report: Callable[[Event], None],
        settings: Settings | None = None,
    ) -> None:
        self.plan = plan
        self.client = client
        self.journal = journal
        self.resolver = resolver
        self.masker: Masker = resolver.masker
        self.host_run = host_run
        self.report = report
        self.settings = settings or Settings()
        self.outputs: dict[str, dict[str, Any]] = {}

    # -- the run -----------------------------------------------------------------

    def run(self, progress: Progress) -> Outcome:
        """Run every step not yet done; raise ApplyError naming the failed steps."""
        started = time.monotonic()
        outcome = Outcome()
        deps = dependencies(self.plan)
        steps = {s.id: s for s in self.plan.steps}
        self.outputs = {k: dict(v) for k, v in progress.done.items()}
        finished: set[str] = set()
        for step_id in steps:
            if step_id in progress.done:
                finished.add(step_id)
                outcome.skipped.append(step_id)
                self.report(Event("skipped", step_id, "done in an earlier run"))
        position = {step_id: i for i, step_id in enumerate(steps)}
        waiting = {
            s: sum(1 for d in deps.get(s, ()) if d not in finished)
            for s in steps
            if s not in finished
        }
        dependents: dict[str, list[str]] = {}
        for step_id in waiting:
            for d in deps.get(step_id, ()):
                dependents.setdefault(d, []).append(step_id)
        ready = [(position[s], s) for s, n in waiting.items() if n == 0]
        heapq.heapify(ready)
        pending = set(waiting)
        running: dict[Future[None], str] = {}
        hints: dict[str, str] = {}
        self.journal.open(len(steps))
        pool = ThreadPoolExecutor(max_workers=max(1, self.settings.parallelism))
        try:
            while pending or running:
                while ready and not outcome.failed and len(running) < self.settings.parallelism:
                    _, step_id = heapq.heappop(ready)
                    pending.discard(step_id)
                    again = step_id in progress.in_flight
                    running[pool.submit(self._run_step, steps[step_id], again)] = step_id
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    step_id = running.pop(fut)
                    error = fut.exception()
                    if error is None:
                        finished.add(step_id)
                        outcome.done.append(step_id)
                        for child in dependents.get(step_id, ()):
                            waiting[child] -= 1
                            if waiting[child] == 0:
                                heapq.heappush(ready, (position[child], child))
                        continue
                    text = self._describe(error)
                    outcome.failed[step_id] = text
                    if isinstance(error, SpeccError) and error.hint:
                        hints.setdefault(step_id, self.masker(error.hint))
                    self.journal.record({"event": "failed", "step": step_id, "error": text})
                    self.report(Event("failed", step_id, text))
            if not outcome.failed:
                self.journal.record({"event": "finished"})
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self.journal.close()
        outcome.elapsed_s = time.monotonic() - started
        if outcome.failed:
            first, cause = next(iter(outcome.failed.items()))
            own = f"{hints[first]}; " if first in hints else ""
            raise ApplyError(
                f"step {first} failed: {cause}",
                hint=f"{own}{len(outcome.done)} steps done this run, {len(pending)} not "
                "started; fix the cause and run apply again: done steps are skipped",
            )
        return outcome

    def _describe(self, error: BaseException) -> str:
        if isinstance(error, SpeccError):
            text = error.message
        else:
            text = f"{type(error).__name__}: {error}"
        return self.masker(text)

    # -- one step ------------------------------------------------------------------

    def _run_step(self, step: Step, again: bool) -> None:
        self.report(Event("start", step.id, self.masker(_describe_step(step))))
        self.journal.record({"event": "start", "step": step.id})
        outputs: dict[str, Any] = {}
        kind: EventKind = "done"
        if isinstance(step, ApiCall):
            outputs, reused = self._api_call(step, again)
            kind = "reused" if reused else "done"
        elif isinstance(step, Wait):
            self._wait(step)
        elif isinstance(step, HostScript):
            note = self.host_run(step, self.resolver)
            if note == "skipped":
                kind = "skipped"
        elif isinstance(step, Check):
            kind = "check"
        self.outputs[step.id] = outputs
        self.journal.record({"event": "done", "step": step.id, "outputs": outputs})
        self.report(Event(kind, step.id, self.masker(_describe_step(step))))

    def _api_call(self, step: ApiCall, again: bool) -> tuple[dict[str, Any], bool]:
        params = {k: self.resolver.resolve(v, self.outputs) for k, v in step.params.items()}
        create = is_create(step)
        if again and create:
            found = find_created(self.client, step, params)
            if found is not None:
                return outputs_of(step, found), True
        try:
            result = self._send(step, params)
        except ApiError as exc:
            if again and step.command.startswith("delete") and exc.status == 431:
                return {}, True  # deleted by the earlier run that was cut short
            if exc.status != 0 or not create:
                raise
            # sent, no answer: it may have run; look before sending again
            found = find_created(self.client, step, params)
            if found is not None:
                return outputs_of(step, found), True
            result = self._send(step, params)
        return outputs_of(step, selected_item(step, result)), False

    def _send(self, step: ApiCall, params: Mapping[str, Any]) -> dict[str, Any]:
        if step.is_async:
            return self.client.call_async(
                step.command, timeout_s=self.settings.job_timeout_s, **params
            )
        return self.client.call(step.command, **params)

    def _wait(self, step: Wait) -> None:
        params = {k: self.resolver.resolve(v, self.outputs) for k, v in step.params.items()}
        deadline = time.monotonic() + step.timeout_s
        delay = self.settings.wait_poll_s
        while True:
            item = first_item(self.client.call(step.command, **params))
            if item.get(step.field) == step.equals:
                return
            if time.monotonic() + delay > deadline:
                raise ApplyError(
                    f"{step.description or step.id}: {step.field} is {item.get(step.field)!r}, "
                    f"not {step.equals!r}, after {step.timeout_s} s"
                )
            time.sleep(delay)
            delay = min(delay * 1.5, self.settings.wait_poll_max_s)


def _describe_step(step: Step) -> str:
    if isinstance(step, ApiCall | Wait):
        return step.description or f"{step.command} {step.resource}"
    if isinstance(step, HostScript):
        return step.description or f"host script on {step.host}"
    return step.description
