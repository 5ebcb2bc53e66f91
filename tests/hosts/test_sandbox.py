"""Every generated host script runs twice in the sandbox: changes, then none.

The first run must make changes (mutating shim calls, files under SPECC_ROOT);
the second must make none and leave every file as it was. The scripts of a
check-only role (``Role.checks_only``: the ESXi/XenServer prerequisites, ...) never
mutate. Hosts run in dependency order and share the Ceph cluster and the SAN LUNs,
as real hosts of one spec do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hosts.hosthelp import (
    ALL_SPECS,
    CEPH_KEY,
    COMMAND_SHIMS,
    SF_PASSWORD,
    SHIMMED,
    UNIT_MODULES,
    Sandbox,
    load_spec,
    spec_id,
    tree,
)
from hosts.hostsecrets import secret_values
from specc.backends import BACKENDS
from specc.hosts.collect import host_scripts
from specc.hosts.order import ordered_scripts

CHECK_ONLY = {r.name for p in BACKENDS.values() for r in p.roles if r.checks_only}
ROCKY9 = 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n'
IQNS = "iqn.1994-05.com.redhat:kvm-a iqn.1994-05.com.redhat:kvm-b"

SPECS_WITH_SCRIPTS = [p for p in ALL_SPECS if host_scripts(load_spec(p))]


@pytest.mark.parametrize("path", SPECS_WITH_SCRIPTS, ids=spec_id)
def test_every_script_changes_once_then_nothing(path: Path, sandbox: Sandbox) -> None:
    spec = load_spec(path)
    env, _files = secret_values(spec)
    sandbox.extra_env.update(env)
    sandbox.extra_env["SF_INITIATOR_IQNS"] = IQNS
    for s in ordered_scripts(host_scripts(spec)):
        root = sandbox.root(s.host)
        if s.os is None and s.role not in CHECK_ONLY:
            (root / "etc").mkdir(parents=True, exist_ok=True)
            (root / "etc" / "os-release").write_text(ROCKY9)
        first = sandbox.run(s.host, s.script)
        assert first.rc == 0, f"{s.id} failed:\n{first.out}\n{first.err}"
        after_first = tree(root)
        if s.role in CHECK_ONLY:
            assert first.mutations == [], s.id
        else:
            assert first.mutations, f"{s.id}: the first run changed nothing"
            assert "changed:" in first.out
        second = sandbox.run(s.host, s.script)
        assert second.rc == 0, f"{s.id} failed on rerun:\n{second.out}\n{second.err}"
        assert second.mutations == [], f"{s.id}: the rerun changed things: {second.mutations}"
        assert "done: 0 change(s)" in second.out
        assert tree(root) == after_first, f"{s.id}: the rerun changed files"
        for run in (first, second):
            for value in (CEPH_KEY, SF_PASSWORD):
                assert value not in run.out + run.err + "\n".join(run.calls), s.id


@pytest.mark.parametrize("path", SPECS_WITH_SCRIPTS, ids=spec_id)
def test_scripts_run_whole_when_fed_on_stdin(path: Path, sandbox: Sandbox) -> None:
    """As `ssh HOST bash -s < FILE` runs them: no command may eat the rest of the script."""
    spec = load_spec(path)
    env, _files = secret_values(spec)
    sandbox.extra_env.update(env)
    sandbox.extra_env["SF_INITIATOR_IQNS"] = IQNS
    for s in ordered_scripts(host_scripts(spec)):
        run = sandbox.run(s.host, s.script, stdin=True)
        assert run.rc == 0, f"{s.id}:\n{run.out}\n{run.err}"
        assert "[specc] done: " in run.out, s.id


def test_plug_in_shims_add_commands_and_shadow_none() -> None:
    """A backend's own command shim (shims/commands/<command>) adds a name: it never
    replaces a shared command of shim.sh."""
    names = [p.name for p in COMMAND_SHIMS]
    assert len(names) == len(set(names))
    assert not set(names) & set(SHIMMED)


def test_starting_a_unit_loads_the_modules_it_lists(sandbox: Sandbox) -> None:
    """shims/units/<unit> lists the kernel modules `systemctl start <unit>` loads."""
    for unit in UNIT_MODULES:
        modules = unit.read_text().split()
        assert modules, unit.name
        before = sandbox.run("unit-host", "lsmod")
        assert not set(modules) & set(before.out.split()), unit.name
        run = sandbox.run("unit-host", f"systemctl start {unit.name} && lsmod")
        assert run.rc == 0, run.err
        assert set(modules) <= set(run.out.split()), unit.name
        assert run.calls[0] == f"M systemctl start {unit.name}"
