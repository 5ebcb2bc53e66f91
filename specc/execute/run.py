"""Apply a plan safely: refuse a stale plan, then execute it with its journal."""

from __future__ import annotations

from collections.abc import Callable

from specc.cloud.client import CloudClient
from specc.cloud.live import read_live
from specc.cloud.state import fingerprint_like
from specc.core.steps import Plan
from specc.errors import ApplyError, PlanError
from specc.execute.executor import Event, Executor, HostRun, Outcome, Settings
from specc.execute.journal import Journal, Progress
from specc.execute.secrets import SecretResolver


class Interrupted(ApplyError):
    """Ctrl-C during an apply (exit 130, as a shell reports SIGINT)."""

    exit_code = 130


def run_apply(
    plan: Plan,
    client: CloudClient,
    journal: Journal,
    resolver: SecretResolver,
    host_run: HostRun,
    report: Callable[[Event], None],
    settings: Settings | None = None,
    *,
    check_stale: bool = True,
) -> Outcome:
    """Execute *plan* on *client*; the caller holds the lock.

    A fresh run of a saved plan first re-reads the live state: if its fingerprint
    is not the plan's, the plan is stale and nothing runs. A rerun after a failure
    or a kill resumes from the journal instead (its own earlier steps changed the
    live state, so the fingerprint cannot match): done steps are skipped, a step
    that may have half-completed is looked up by natural key before it is sent again.

    Raises:
        PlanError: the plan is stale.
        ApplyError: a step failed (the journal has the rest).
    """
    progress = journal.read()
    if progress.finished:
        # The same plan can be made again for an identical cloud (a reset lab, a
        # restore): a finished journal counts only if this cloud has its ids.
        _check_journal_ids(client, journal, progress)
        report(Event("info", "", "this plan was already applied in full; nothing to do"))
        return Outcome(skipped=[s.id for s in plan.steps])
    if progress.done or progress.in_flight or progress.paused:
        report(
            Event(
                "info",
                "",
                f"resuming from {journal.path}: {len(progress.done)} of "
                f"{len(plan.steps)} steps done earlier",
            )
        )
        for step_id, cause in sorted(progress.failed.items()):
            report(Event("info", step_id, f"failed last time: {cause}"))
        for step_id in sorted(progress.paused):
            report(Event("info", step_id, "waited for an operator last time"))
        _check_journal_ids(client, journal, progress)
    elif check_stale:
        scopes = None if plan.scopes is None else frozenset(plan.scopes)
        live = read_live(client, scopes=scopes)
        now = fingerprint_like(live, plan.live_fingerprint)
        if now != plan.live_fingerprint:
            raise PlanError(
                "plan is stale, run plan again",
                hint="the live cloud changed since the plan was made "
                f"({plan.live_fingerprint[:26]}... -> {now[:26]}...)",
            )
    executor = Executor(plan, client, journal, resolver, host_run, report, settings)
    try:
        return executor.run(progress)
    except KeyboardInterrupt:
        raise Interrupted(
            "apply interrupted: the steps that finished are in the journal",
            hint=f"run the same command again to resume ({journal.path})",
        ) from None


def _check_journal_ids(client: CloudClient, journal: Journal, progress: Progress) -> None:
    """Refuse a journal whose recorded ids this cloud does not have.

    A journal is keyed by its plan; the same plan applied to another (or a reset)
    cloud would otherwise reuse ids that mean nothing there.
    """
    recorded = {
        str(v) for outs in progress.done.values() for v in outs.values() if isinstance(v, str)
    }
    if not recorded:
        return
    live = read_live(client, scopes=frozenset())  # ids of created objects: no settings
    known = {str(i.get("id")) for items in live.resources.values() for i in items}
    missing = sorted(recorded - known)
    if missing:
        raise ApplyError(
            f"journal {journal.path} records ids this cloud does not have "
            f"({', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''})",
            hint="it belongs to another cloud, or the resources were removed since: "
            "remove the journal and run plan again",
        )
