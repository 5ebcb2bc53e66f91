"""The PowerFlex SDC script in particular cases, run for real in the sandbox.

It follows what the agent does (apache/cloudstack ScaleIOUtil and, 4.22.1.0,
ScaleIOStorageAdaptor.prepareStorageClient): the SDC home from agent.properties,
scini enabled and started, only the MDMs ``drv_cfg --query_mdms`` does not list
added with ``drv_cfg --add_mdm --ip <a,b> --file /etc/emc/scaleio/drv_cfg.txt``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from hosts.hosthelp import EXAMPLES, Sandbox, load_spec
from specc.core.steps import HostScript
from specc.hosts.collect import host_scripts
from specc.spec.models import Spec

EXAMPLE = next(p for p in EXAMPLES if p.stem == "powerflex-kvm")
SID = "script:kvm-powerflex-sdc:kvm-pf1"
ADD = "M drv_cfg --add_mdm --ip {} --file /etc/emc/scaleio/drv_cfg.txt"


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = YAML(typ="safe").load(EXAMPLE.read_text("utf-8"))
    return doc


def script(spec: Path | Spec = EXAMPLE) -> HostScript:
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    return next(s for s in host_scripts(spec) if s.id == SID)


def seed(sandbox: Sandbox, *files: str, mdms: str = "") -> None:
    """Shim state of kvm-pf1: the given state files, and the MDMs the SDC knows."""
    state = sandbox.state("kvm-pf1")
    for rel in files:
        (state / rel).parent.mkdir(parents=True, exist_ok=True)
        (state / rel).write_text("")
    if mdms:
        (state / "drv_cfg").mkdir(parents=True, exist_ok=True)
        (state / "drv_cfg" / "mdms").write_text(mdms)


def test_only_the_missing_mdms_are_added(sandbox: Sandbox) -> None:
    seed(sandbox, mdms="10.61.0.22\n")
    run = sandbox.run("kvm-pf1", script().script)
    assert run.rc == 0, run.err
    assert ADD.format("10.61.0.21,10.61.0.23") in run.calls
    again = sandbox.run("kvm-pf1", script().script)
    assert again.rc == 0 and again.mutations == []
    assert "R drv_cfg --query_mdms" in again.calls


def test_the_mdms_of_each_system_are_added_on_their_own(sandbox: Sandbox) -> None:
    doc = _doc()
    second = dict(doc["backends"][0], name="pflex2", storage_pool="other", mdms=["10.61.0.31"])
    doc["backends"].append(second)
    pools = doc["zones"][0]["primary_storage"]
    pools.append(dict(pools[0], name="pflex2-zone", backend="pflex2", tags=["PF2"]))
    run = sandbox.run("kvm-pf1", script(Spec.model_validate(doc)).script)
    assert run.rc == 0, run.err
    adds = [c for c in run.calls if c.startswith("M drv_cfg")]
    assert adds == [ADD.format("10.61.0.21,10.61.0.22,10.61.0.23"), ADD.format("10.61.0.31")]


def test_a_loaded_sdc_is_left_alone(sandbox: Sandbox) -> None:
    seed(
        sandbox,
        "pkgs/EMC-ScaleIO-sdc",
        "enabled/scini",
        "active/scini",
        "modules/scini",
        mdms="10.61.0.21,10.61.0.22,10.61.0.23\n",
    )
    run = sandbox.run("kvm-pf1", script().script)
    assert run.rc == 0, run.err
    assert run.mutations == []
    assert "SDC GUID of kvm-pf1: B0E3BFB8-C20B-43BF-93C8-13339E85AA50" in run.out


def test_an_active_scini_without_its_driver_is_restarted(sandbox: Sandbox) -> None:
    # The scini service loads the SDC driver (shims/units/scini).
    seed(sandbox, "pkgs/EMC-ScaleIO-sdc", "enabled/scini", "active/scini")
    run = sandbox.run("kvm-pf1", script().script)
    assert run.rc == 0, run.err
    service = [c for c in run.calls if c.startswith("M systemctl")]
    assert service == ["M systemctl restart scini"]
    assert "restarted scini: its kernel driver was not loaded" in run.out


def test_the_package_is_installed_with_the_mdms_in_mdm_ip(sandbox: Sandbox) -> None:
    # Dell's SDC package reads MDM_IP at install; nothing installs without sdc_package.
    run = sandbox.run("kvm-pf1", script().script.replace("unset MDM_IP", 'log "MDM_IP=$MDM_IP"'))
    assert run.rc == 0, run.err
    assert "M dnf install -y EMC-ScaleIO-sdc" in run.calls
    assert "MDM_IP=10.61.0.21,10.61.0.22,10.61.0.23" in run.out
    doc = _doc()
    del doc["backends"][0]["sdc_package"]
    plain = script(Spec.model_validate(doc)).script
    assert "ensure_pkgs" not in plain and "export MDM_IP" not in plain


def test_the_sdc_home_is_read_from_agent_properties(sandbox: Sandbox) -> None:
    props = sandbox.root("kvm-pf1") / "etc/cloudstack/agent/agent.properties"
    props.parent.mkdir(parents=True)
    props.write_text("hypervisor.type=kvm\npowerflex.sdc.home.dir=/srv/sdc\n")
    run = sandbox.run("kvm-pf1", script().script)
    assert run.rc == 0, run.err
    assert "SDC home: /srv/sdc" in run.out
    assert props.read_text() == "hypervisor.type=kvm\npowerflex.sdc.home.dir=/srv/sdc\n"


def test_a_spec_sdc_home_replaces_the_agents_and_is_written_once(sandbox: Sandbox) -> None:
    # ScaleIOUtil.getSdcHomePath prints every matching line: one line only.
    doc = _doc()
    doc["backends"][0]["sdc_home"] = "/opt/dell/sdc"
    s = script(Spec.model_validate(doc))
    props = sandbox.root("kvm-pf1") / "etc/cloudstack/agent/agent.properties"
    props.parent.mkdir(parents=True)
    props.write_text("powerflex.sdc.home.dir=/old\nhost=10.60.0.5\n")
    first = sandbox.run("kvm-pf1", s.script)
    assert first.rc == 0, first.err
    assert props.read_text() == "host=10.60.0.5\npowerflex.sdc.home.dir=/opt/dell/sdc\n"
    second = sandbox.run("kvm-pf1", s.script)
    assert second.rc == 0 and "done: 0 change(s)" in second.out
    assert props.read_text() == "host=10.60.0.5\npowerflex.sdc.home.dir=/opt/dell/sdc\n"
