"""The StorPool backend's host script (kvm-storpool-client) on prepared and bare hosts.

specc does not install StorPool: the script checks what the agent side of the
plug-in runs (apache/cloudstack plugins/storage/volume/storpool: ``storpool_confget``
for SP_CLUSTER_ID and SP_OURID in ``StorPoolModifyStorageCommandWrapper`` and
``StorPoolStoragePool``, devices under ``StorPoolUtil.SP_DEV_PATH``, the ``storpool``
CLI in ``StorPoolStorageAdaptor``), says what is missing and fails. The sandbox's
stand-ins (tests/hosts/shims/commands, shims/root) make a prepared host; these tests take
them away one at a time.
"""

from __future__ import annotations

from pathlib import Path

from hosts.hosthelp import COMMAND_SHIMS, EXAMPLES, SHIM, SHIMMED, Sandbox, load_spec
from specc.core.steps import HostScript
from specc.hosts.collect import host_scripts
from specc.spec.models import Spec

EXAMPLE = next(p for p in EXAMPLES if p.stem == "storpool-kvm")


def client_script(spec: Spec, host: str = "kvm-s1") -> HostScript:
    return next(s for s in host_scripts(spec) if s.id == f"script:kvm-storpool-client:{host}")


def bin_dir(tmp: Path, *, stand_in: bool = True, extra: dict[str, str] | None = None) -> Path:
    """A sandbox bin: the shims, the plug-in command shims (unless not *stand_in*), and *extra*
    commands (name -> bash body) that take their place."""
    d = tmp / "bin"
    d.mkdir()
    for name in SHIMMED:
        (d / name).symlink_to(SHIM)
    if stand_in:
        for path in COMMAND_SHIMS:
            (d / path.name).symlink_to(path)
    for name, body in (extra or {}).items():
        target = d / name
        if target.is_symlink():
            target.unlink()
        target.write_text("#!/usr/bin/env bash\n" + body + "\n")
        target.chmod(0o755)
    return d


def test_a_prepared_host_passes_and_only_reads(sandbox: Sandbox) -> None:
    run = sandbox.run("kvm-s1", client_script(load_spec(EXAMPLE)).script)
    assert run.rc == 0, run.err
    assert "StorPool cluster shim.b, node 11" in run.out
    assert "the StorPool API answers (10.31.0.50:81)" in run.out
    assert "note:" not in run.out  # the host's API is the pool url's
    assert run.mutations == []
    assert "R storpool -j service list" in run.calls


def test_a_host_without_the_client_is_told_what_is_missing(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, bin_dir(tmp_path, stand_in=False))
    run = box.run("kvm-s1", client_script(load_spec(EXAMPLE)).script)
    assert run.rc == 1
    assert (
        "the StorPool client is not installed on kvm-s1 (missing: storpool_confget storpool)"
        in run.err
    )
    assert "specc does not install StorPool" in run.err


def test_a_host_without_the_block_client_devices_fails(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, bin_dir(tmp_path), image=None)
    run = box.run("kvm-s1", client_script(load_spec(EXAMPLE)).script)
    assert run.rc == 1
    assert "/dev/storpool-byid is missing" in run.err and "storpool_block" in run.err


def test_a_configuration_without_sp_ourid_fails(tmp_path: Path) -> None:
    conf = "printf 'SP_CLUSTER_ID=x.y\\nSP_API_HTTP_HOST=10.31.0.50\\nSP_API_HTTP_PORT=81\\n'"
    box = Sandbox(tmp_path, bin_dir(tmp_path, extra={"storpool_confget": conf}))
    run = box.run("kvm-s1", client_script(load_spec(EXAMPLE)).script)
    assert run.rc == 1
    assert "storpool_confget gives no SP_OURID" in run.err


def test_a_host_that_does_not_reach_the_api_fails(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, bin_dir(tmp_path, extra={"storpool": "exit 1"}))
    run = box.run("kvm-s1", client_script(load_spec(EXAMPLE)).script)
    assert run.rc == 1
    assert "this host does not reach the StorPool API" in run.err


def test_another_api_endpoint_on_the_host_is_noted_not_refused(sandbox: Sandbox) -> None:
    data = load_spec(EXAMPLE).model_dump(mode="json")
    data["backends"][0]["api_host"] = "10.31.0.99"
    run = sandbox.run("kvm-s1", client_script(Spec.model_validate(data)).script)
    assert run.rc == 0, run.err
    assert (
        "note: this host's StorPool API is 10.31.0.50:81, the pool url of storpool1 names "
        "10.31.0.99:81: both must be the same cluster"
    ) in run.out


def test_only_kvm_hosts_of_the_zone_get_the_script() -> None:
    data = load_spec(EXAMPLE).model_dump(mode="json")
    pod = data["zones"][0]["pods"][0]
    pod["clusters"].append(
        {
            "name": "xen",
            "hypervisor": "XenServer",
            "hosts": [{"name": "xen-1", "address": "10.30.0.31"}],
        }
    )
    roles = {(s.host, s.role) for s in host_scripts(Spec.model_validate(data))}
    assert ("kvm-s3", "kvm-storpool-client") in roles
    assert not any(host == "xen-1" for host, _ in roles)
