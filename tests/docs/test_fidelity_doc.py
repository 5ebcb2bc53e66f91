"""docs/cloudstack-fidelity.md covers every API command and parameter specc emits.

The map of where apache/cloudstack reads each parameter specc sends is only worth
having if it is complete, so the (command, parameter) pairs are collected from the
code, never typed by hand:

- every plan the real pipeline (``specc.plan``) makes of the examples against an
  empty cloud, at each API version specc reads differently (4.18 and 4.22), of the
  specs under ``tests/`` that exercise what no example does (every network service
  provider, images waited for, scoped settings, the host-script specs), and of the
  nfs-baseline example against the partial snapshot with ``--prune`` (updates and
  deletes);
- every kind in the registry (``specc.cloud.kinds.KINDS``): its list command with
  the arguments the reader passes, its create command with each field's create
  parameter, each update command (the kind's own or a field's ``via``) with the
  field's update parameter (and ``id``, unless an update hook makes the call), its
  delete command with the id parameter (and ``forced`` where the kind takes it).

Each pair needs a row ``| `command` | `parameter` | ...`` in one of the doc's
tables, and each command a row whose parameter is ``(command)``: the command's own
facts (sync or async, the service method). Rows must say what specc sends, where
the server reads it, and what it checks. A row for a pair specc no longer sends
fails too, and each command row's sync/async must be how specc's steps treat it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import specc
from specc.cloud.kinds import KINDS
from specc.cloud.state import LiveState
from specc.core.steps import ApiCall, Plan, Wait

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "cloudstack-fidelity.md"
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
# Specs under tests/ that are valid and plan calls no example plans.
TEST_SPECS = sorted(
    [
        *(REPO / "tests" / "docs" / "specs").glob("*.yaml"),
        *(REPO / "tests" / "hosts" / "specs").glob("*.yaml"),
        *(REPO / "tests" / "planning" / "settings").glob("*.yaml"),
    ]
)
SNAPSHOT = REPO / "tests" / "planning" / "snapshots" / "nfs-baseline-partial.json"
VERSIONS = ("4.18.0.0", "4.22.1.0")
COMMAND_ROW = "(command)"
ROW = re.compile(r"^\|\s*`(?P<command>[A-Za-z]+)`\s*\|\s*(?P<param>`[a-z0-9]+`|\(command\))\s*\|")
CELL = re.compile(r"(?<!\\)\|")  # a cell boundary: a pipe not escaped as \|

Pair = tuple[str, str]


def _pairs_of(plan: Plan) -> Iterator[Pair]:
    for step in plan.steps:
        if isinstance(step, ApiCall | Wait):
            yield step.command, COMMAND_ROW
            for name in step.params:
                yield step.command, name


@cache
def plans() -> tuple[tuple[str, Plan], ...]:
    """Every plan the doc's pairs come from, with where it comes from."""
    out: list[tuple[str, Plan]] = []
    for path in [*EXAMPLES, *TEST_SPECS]:
        for version in VERSIONS:
            out.append(
                (f"{path.relative_to(REPO)} @ {version}", specc.plan(path, LiveState(version, {})))
            )
    baseline = REPO / "examples" / "nfs-baseline.yaml"
    out.append(("snapshot", specc.plan(baseline, _snapshot(), prune=True, force=True)))
    return tuple(out)


def _snapshot() -> LiveState:
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return LiveState(data["api_version"], {k: tuple(v) for k, v in data["resources"].items()})


@cache
def planned_pairs() -> dict[Pair, str]:
    """Every pair the pipeline emits, with the first spec that emits it."""
    found: dict[Pair, str] = {}
    for where, plan in plans():
        for pair in _pairs_of(plan):
            found.setdefault(pair, where)
    return found


def registry_pairs() -> dict[Pair, str]:
    """Every pair the kind registry declares, with the kind that declares it."""
    found: dict[Pair, str] = {}
    for kind in KINDS.values():
        where = f"kind {kind.name}"
        listing = kind.listing
        found.setdefault((kind.list_command, COMMAND_ROW), where)
        for arg in listing.args:
            found.setdefault((kind.list_command, arg), where)
        if listing.paged:
            found.setdefault((kind.list_command, "page"), where)
            found.setdefault((kind.list_command, "pagesize"), where)
        if listing.per_parent:
            found.setdefault((kind.list_command, listing.per_parent), where)
        for parent in listing.also_per:
            found.setdefault((kind.list_command, parent.field), where)
        if kind.create_command:
            found.setdefault((kind.create_command, COMMAND_ROW), where)
            for f in kind.fields:
                if f.create:
                    found.setdefault((kind.create_command, f.create), where)
        for f in kind.fields:
            command = f.via or kind.update_command
            if command and f.update:
                found.setdefault((command, COMMAND_ROW), where)
                found.setdefault((command, f.update), where)
                if kind.hooks.update is None:  # else the hook names the object its way
                    found.setdefault((command, "id"), where)
        if kind.delete_command:
            found.setdefault((kind.delete_command, COMMAND_ROW), where)
            found.setdefault((kind.delete_command, kind.deletion.id_param), where)
            if kind.deletion.forced:
                found.setdefault((kind.delete_command, "forced"), where)
    return found


def documented() -> dict[Pair, list[str]]:
    """The doc's rows: (command, parameter) -> the row's remaining cells."""
    rows: dict[Pair, list[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match is None:
            continue
        cells = [c.strip() for c in CELL.split(line.strip().strip("|"))]
        rows[(match["command"], match["param"].strip("`"))] = cells[2:]
    return rows


def _missing(pairs: dict[Pair, str]) -> list[str]:
    rows = documented()
    return [
        f"{c} {p}  (from {where})" for (c, p), where in sorted(pairs.items()) if (c, p) not in rows
    ]


def test_every_planned_command_and_parameter_has_a_row() -> None:
    missing = _missing(planned_pairs())
    assert not missing, "docs/cloudstack-fidelity.md lacks rows for:\n" + "\n".join(missing)


def test_every_registry_command_and_parameter_has_a_row() -> None:
    missing = _missing(registry_pairs())
    assert not missing, "docs/cloudstack-fidelity.md lacks rows for:\n" + "\n".join(missing)


def test_the_plans_reach_the_commands_only_test_specs_exercise() -> None:
    """The test specs are there for calls no example makes: they must still make them."""
    commands = {c for c, _ in planned_pairs()}
    assert {"updateNetworkServiceProvider", "listDomains", "listAccounts"} <= commands
    assert ("updateConfiguration", "clusterid") in planned_pairs()
    assert ("deleteDiskOffering", "id") in planned_pairs()
    assert ("listTemplates", "id") in planned_pairs()  # the Wait step of wait_ready


def test_every_row_says_what_is_sent_where_it_is_read_and_what_is_checked() -> None:
    rows = documented()
    assert len(rows) > 100
    for (command, param), cells in rows.items():
        assert len(cells) == 3, (
            f"{command} {param}: expected 5 cells (a | in a cell is written \\|)"
        )
        sent, read_by, constraints = cells
        assert sent and read_by and constraints, f"{command} {param}: an empty cell"
        assert read_by != "-", f"{command} {param}: no source named"


def _sync_or_async(cells: list[str]) -> bool:
    word = cells[0].split(";")[0].strip()
    assert word in ("sync", "async"), f"the command row starts with sync or async: {cells[0]!r}"
    return word == "async"


def test_each_command_row_says_sync_or_async_as_specc_waits_for_it() -> None:
    """The command rows record the source (``BaseAsyncCmd`` or not); specc must agree.

    A sync command sent as async would have its answer taken for a job id; an async
    one sent as sync would be taken as done before its job ran.
    """
    rows = documented()
    expected = {c: _sync_or_async(cells) for (c, p), cells in rows.items() if p == COMMAND_ROW}
    wrong: set[str] = set()
    for where, plan in plans():
        for step in plan.steps:
            want = expected.get(step.command) if isinstance(step, ApiCall) else None
            if isinstance(step, ApiCall) and want is not None and step.is_async != want:
                wrong.add(f"{step.command}: is_async={step.is_async} ({where})")
    for kind in KINDS.values():
        for command, is_async in (
            (kind.create_command, kind.create_async),
            (kind.update_command, kind.update_async),
            (kind.delete_command, kind.delete_async),
        ):
            if command in expected and is_async != expected[command]:
                wrong.add(f"{command}: kind {kind.name} says is_async={is_async}")
    assert not wrong, "\n".join(sorted(wrong))


def test_every_documented_pair_is_still_emitted() -> None:
    """A row for a call specc no longer makes is stale: it misleads the reader."""
    emitted = set(planned_pairs()) | set(registry_pairs()) | set(_hand_listed())
    stale = sorted(f"{c} {p}" for c, p in documented() if (c, p) not in emitted)
    assert not stale, "rows for calls specc does not make:\n" + "\n".join(stale)


def _hand_listed() -> set[Pair]:
    """Calls made outside plans and the registry: the client's own calls, the
    maintenance hooks, and the object an update hook names its own way (no plan in
    the tests updates a VMware datacenter: ``updateVmwareDc`` names it by ``zoneid``).
    """
    return {
        ("updateVmwareDc", "zoneid"),
        ("listCapabilities", COMMAND_ROW),
        ("queryAsyncJobResult", COMMAND_ROW),
        ("queryAsyncJobResult", "jobid"),
        ("enableStorageMaintenance", COMMAND_ROW),
        ("enableStorageMaintenance", "id"),
        ("prepareHostForMaintenance", COMMAND_ROW),
        ("prepareHostForMaintenance", "id"),
    }
