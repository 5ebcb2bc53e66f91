"""``specc apply`` (a saved plan, or a spec planned on the spot) and ``specc drift``.

apply: exit 0 done (or nothing to do), 1 error (a failed step, a stale plan, the
lock held elsewhere, a preflight problem, a bad plan file), 3 paused (host scripts
wait for an operator; ``--continue`` goes on), 130 interrupted. drift: exit 0 in
sync, 2 drift, 1 error.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from specc.cli.common import (
    ProfileOpt,
    SimOpt,
    SimStateOpt,
    StateOpt,
    check_options,
    long_lived,
    state_reader,
    write_atomically,
)
from specc.cli.planfiles import is_plan_file
from specc.errors import SpeccError

if TYPE_CHECKING:
    from specc.core.steps import Plan
    from specc.spec.validate import Validated


SCRIPTS = Path(".specc") / "scripts"
"""Where ``--hosts manual`` writes the scripts an operator runs (in the working folder)."""


class Hosts(StrEnum):
    """How host-script steps run."""

    manual = "manual"
    ssh = "ssh"
    skip = "skip"


class DriftFormat(StrEnum):
    """Output formats of ``specc drift``."""

    text = "text"
    json = "json"
    prometheus = "prometheus"


def register(app: typer.Typer) -> None:
    """Add ``apply`` and ``drift`` to *app*."""

    @app.command()
    def apply(
        targets: Annotated[
            list[Path], typer.Argument(help="A saved plan file (plan.json), or spec files.")
        ],
        auto_approve: Annotated[
            bool, typer.Option("--auto-approve", help="Do not ask before applying a spec.")
        ] = False,
        parallelism: Annotated[
            int, typer.Option("--parallelism", min=1, help="Steps run at the same time.")
        ] = 10,
        lock_timeout: Annotated[
            float, typer.Option("--lock-timeout", min=0, help="Seconds to wait for the lock.")
        ] = 0.0,
        lock_db: Annotated[
            str | None,
            typer.Option(
                "--lock-db",
                envvar="SPECC_LOCK_DB",
                help="PostgreSQL DSN for a lock shared across machines.",
            ),
        ] = None,
        hosts: Annotated[Hosts, typer.Option("--hosts", help="How host scripts run.")] = (
            Hosts.manual
        ),
        hosts_done: Annotated[
            list[str] | None,
            typer.Option("--hosts-done", help="Host-script steps already run by hand."),
        ] = None,
        continue_: Annotated[
            bool,
            typer.Option(
                "--continue",
                help="The host scripts an earlier apply paused on have run: go on.",
            ),
        ] = False,
        ssh_user: Annotated[str, typer.Option("--ssh-user", help="--hosts ssh: user.")] = "root",
        ssh_key: Annotated[
            Path | None, typer.Option("--ssh-key", help="--hosts ssh: private key file.")
        ] = None,
        ssh_port: Annotated[int, typer.Option("--ssh-port", help="--hosts ssh: port.")] = 22,
        ssh_known_hosts: Annotated[
            Path | None,
            typer.Option(
                "--ssh-known-hosts",
                help="--hosts ssh: known_hosts file for the hosts (a new host is added to it).",
            ),
        ] = None,
        journal: Annotated[
            Path | None, typer.Option("--journal", help="Journal file (default: beside the plan).")
        ] = None,
        prune: Annotated[bool, typer.Option("--prune", help="SPEC: delete unnamed objects.")] = (
            False
        ),
        force: Annotated[bool, typer.Option("--force", help="SPEC: with --prune.")] = False,
        profile: ProfileOpt = None,
        sim: SimOpt = False,
        sim_state: SimStateOpt = None,
    ) -> None:
        """Execute a saved plan, or plan a spec, show it, ask, and execute it."""
        from specc.core.steps import HostScript
        from specc.execute.hosts import ManualHosts, SshHosts, skip_hosts, waiting_scripts
        from specc.execute.journal import Journal, cloud_identity, plan_identity
        from specc.execute.progress import reporter
        from specc.execute.run import run_apply
        from specc.execute.secrets import Masker, SecretResolver

        for p in targets:
            if not p.exists():
                raise SpeccError(f"no such file or folder: {p}")
        check_options(profile=profile, sim=sim, sim_state=sim_state)
        saved = is_plan_file(targets)
        base = targets[0].resolve().parent
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
        masker = Masker()
        resolver = SecretResolver(os.environ, base, masker)
        from specc.execute.executor import HostRun, Settings

        def host_runner(plan: Plan) -> HostRun:
            if hosts is Hosts.skip:
                return skip_hosts
            if hosts is Hosts.ssh:
                return SshHosts(
                    user=ssh_user,
                    key=ssh_key,
                    port=ssh_port,
                    known_hosts=ssh_known_hosts,
                    logins=logins,
                )
            scripts = [s for s in plan.steps if isinstance(s, HostScript)]
            return ManualHosts(
                SCRIPTS,
                frozenset(hosts_done or ()),
                _confirm if interactive else None,
                waiting_scripts(scripts, SCRIPTS) if continue_ else frozenset(),
            )

        settings = Settings(parallelism=parallelism)
        with contextlib.ExitStack() as stack:
            from specc.cli.apply_preflight import full_build, preflight
            from specc.execute.hosts import ssh_logins

            saved_plan, validated, logins = None, None, {}
            if saved:
                from specc.planning.planfile import load_plan

                saved_plan = checked = load_plan(targets[0])
            else:
                from specc.spec import require

                validated = require(targets)  # checked once: preflight, logins, plan
                assert validated.spec is not None
                checked = full_build(validated)
                if hosts is Hosts.ssh:
                    logins = ssh_logins(validated.spec)
            client = preflight(
                checked,
                stack,
                resolver,
                ssh=hosts is Hosts.ssh,
                ssh_key=ssh_key,
                logins=logins,
                profile=profile,
                sim=sim,
                sim_state=sim_state,
            )
            stack.enter_context(_locks(client.endpoint, lock_timeout, lock_db))
            if saved_plan is not None:
                plan, check_stale = saved_plan, True
            else:
                assert validated is not None
                asked = _plan_and_ask(
                    validated, client, prune=prune, force=force, auto_approve=auto_approve
                )
                if asked is None:
                    return
                plan, check_stale = asked, False
            ephemeral = sim and sim_state is None and journal is None
            if ephemeral:
                # An ephemeral simulator has nothing to resume: a journal left in the
                # working folder would name ids the next --sim run does not have.
                path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "journal.jsonl"
                _say("Ephemeral simulator: using a temporary journal (nothing to resume).")
                cloud = None
            else:
                cloud = cloud_identity(client)
                path = journal or _journal_path(plan, targets[0] if saved else None, cloud)
            with reporter(interactive, masker, len(plan.steps)) as report:
                outcome = run_apply(
                    plan,
                    client,
                    Journal(path, plan_identity(plan), cloud),
                    resolver,
                    host_runner(plan),
                    report,
                    settings,
                    check_stale=check_stale,
                )
        if outcome.paused:
            from specc.cli.apply_pause import PAUSED_EXIT, pause_text

            _say(pause_text(plan, outcome, SCRIPTS, ssh_user, sys.argv[1:]))
            raise typer.Exit(PAUSED_EXIT)
        _say(
            f"Apply complete: {len(outcome.done)} steps run, {len(outcome.skipped)} skipped "
            f"({outcome.elapsed_s:.1f} s)."
        )
        if plan.restarts:
            _say("Restart the management servers: these settings take effect only then:")
            for r in plan.restarts:
                _say(f"  - {r.resource}: {r.why}")

    @app.command()
    def drift(
        specs: Annotated[list[Path], typer.Argument(help="Spec files or folders (merged).")],
        format: Annotated[DriftFormat, typer.Option("--format", "-f", help="Output format.")] = (
            DriftFormat.text
        ),
        out: Annotated[
            Path | None, typer.Option("-o", "--out", help="Write the report here (atomically).")
        ] = None,
        profile: ProfileOpt = None,
        sim: SimOpt = False,
        sim_state: SimStateOpt = None,
        state: StateOpt = None,
    ) -> None:
        """Refresh and diff only: exit 0 in sync, 2 drift, 1 error (for cron and CI)."""
        import time

        from specc.cli.plan import make_plan
        from specc.execute.drift import drifted, render_drift

        for p in specs:
            if not p.exists():
                raise SpeccError(f"no such file or folder: {p}")
        check_options(profile=profile, sim=sim, sim_state=sim_state, state=state)
        live = state_reader(profile=profile, sim=sim, sim_state=sim_state, state=state)
        plan = make_plan(specs, live)
        text = render_drift(plan, format.value, now=time.time())
        if out is not None:
            write_atomically(out, text)
        else:
            sys.stdout.write(text)
        raise typer.Exit(2 if drifted(plan) else 0)


def _say(text: str) -> None:
    """One line to standard output, surviving a reader that went away (``| head``)."""
    from specc.execute.progress import write_out

    write_out(text + "\n")


def _journal_path(plan: Plan, plan_file: Path | None, cloud: str) -> Path:
    """Per plan and cloud: beside a saved plan (``plan.<id>.<cloud>.journal.jsonl``),
    else under ``.specc/journal``."""
    from specc.execute.journal import cloud_key, default_path, plan_identity

    if plan_file is None:
        return default_path(plan, Path(".specc") / "journal", cloud)
    ids = f"{plan_identity(plan)[7:19]}.{cloud_key(cloud)}"
    return plan_file.with_name(f"{plan_file.stem}.{ids}.journal.jsonl")


def _confirm(step: object, path: Path) -> bool:
    from specc.core.steps import HostScript

    assert isinstance(step, HostScript)
    print(f"\nHost script {step.id} must run on {step.host} ({step.address}):\n  {path}")
    return typer.confirm("Has it run successfully?", default=False)


def _locks(cloud: str, timeout: float, lock_db: str | None) -> _LockStack:
    return _LockStack(cloud, timeout, lock_db)


class _LockStack:
    """The local lock file, then (if configured) the shared PostgreSQL lock."""

    def __init__(self, cloud: str, timeout: float, lock_db: str | None) -> None:
        from specc.execute.lock import LocalLock, PostgresLock

        folder = Path(os.environ.get("SPECC_LOCK_DIR") or Path.home() / ".specc" / "locks")
        self.local = LocalLock(folder, cloud, timeout)
        self.shared = PostgresLock(lock_db, cloud, timeout) if lock_db else None

    def __enter__(self) -> _LockStack:
        self.local.acquire()
        try:
            if self.shared is not None:
                self.shared.acquire()
        except BaseException:
            self.local.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shared is not None:
            self.shared.release()
        self.local.release()


def _plan_and_ask(
    validated: Validated, client: object, *, prune: bool, force: bool, auto_approve: bool
) -> Plan | None:
    """Plan the checked spec against the live cloud, show it, and ask; None: nothing to do."""
    import specc
    from specc.cloud.client import CloudClient
    from specc.cloud.live import read_live
    from specc.render._common import has_changes
    from specc.render.text import render_text

    assert isinstance(client, CloudClient)
    if force and not prune:
        raise SpeccError("--force only makes sense with --prune")
    plan = specc.plan(
        validated,
        lambda scopes: long_lived(read_live(client, scopes=scopes)),
        prune=prune,
        force=force,
    )
    text = render_text(plan)
    _say(text.rstrip("\n"))
    if not has_changes(plan):
        _say("No changes. The cloud matches the spec.")
        return None
    if auto_approve:
        return plan
    if not sys.stdin.isatty():
        raise SpeccError(
            "not applying without confirmation",
            hint="pass --auto-approve (CI), or save the plan with 'specc plan -o' and apply it",
        )
    if not typer.confirm("Apply these changes?", default=False):
        raise SpeccError("apply cancelled: nothing was changed")
    return plan
