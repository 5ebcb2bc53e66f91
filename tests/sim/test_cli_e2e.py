"""End to end with the real `cs` command line: create, list and delete every kind of
the core simulator (zones, physical networks, traffic types, providers, router
elements, pods, storage network and VLAN IP ranges), then `specc sim serve` itself."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

from specc.sim import Simulator


class Cli:
    """Runs `cs COMMAND key=value ...` against a simulator through the environment."""

    def __init__(self, env: dict[str, str], home: Path) -> None:
        self.env = {**os.environ, **env, "HOME": str(home), "CLOUDSTACK_POLL_INTERVAL": "0.05"}
        self.exe = shutil.which("cs") or "cs"

    def run(self, command: str, *args: str, ok: bool = True, post: bool = False) -> Any:
        argv = [self.exe, *(["--post"] if post else []), command, *args]
        proc = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=60)
        if ok:
            assert proc.returncode == 0, proc.stdout + proc.stderr
        else:
            assert proc.returncode != 0, proc.stdout
            return proc.stdout + proc.stderr
        return json.loads(proc.stdout) if proc.stdout.strip() else {}


def test_cs_cli_creates_lists_and_deletes_every_core_kind(sim: Simulator, tmp_path: Path) -> None:
    cs = Cli(sim.env(), tmp_path)
    zone = cs.run(
        "createZone",
        "name=cli-zone",
        "dns1=8.8.8.8",
        "internaldns1=10.0.0.1",
        "networktype=Advanced",
    )["zone"]
    assert cs.run("listZones", f"id={zone['id']}")["count"] == 1

    pn = cs.run(
        "createPhysicalNetwork",
        f"zoneid={zone['id']}",
        "name=pnet",
        "isolationmethods=VLAN",
        "vlan=100-199",
    )["physicalnetwork"]
    assert pn["state"] == "Disabled"
    for ttype in ("Management", "Guest", "Public", "Storage"):
        made = cs.run(
            "addTrafficType",
            f"physicalnetworkid={pn['id']}",
            f"traffictype={ttype}",
            "kvmnetworklabel=cloudbr0",
        )
        assert made["traffictype"]["kvmnetworklabel"] == "cloudbr0"
    types = cs.run("listTrafficTypes", f"physicalnetworkid={pn['id']}")
    assert types["count"] == 4
    guest = next(t for t in types["traffictype"] if t["traffictype"] == "Guest")
    assert guest["kvmnetworklabel"] == "cloudbr0"  # the real list returns the labels
    cs.run("updateTrafficType", f"id={guest['id']}", "kvmnetworklabel=cloudbr1")
    listed = cs.run("listTrafficTypes", f"physicalnetworkid={pn['id']}")["traffictype"]
    assert {t["traffictype"]: t["kvmnetworklabel"] for t in listed}["Guest"] == "cloudbr1"

    providers = cs.run("listNetworkServiceProviders", f"physicalnetworkid={pn['id']}")
    vr = next(p for p in providers["networkserviceprovider"] if p["name"] == "VirtualRouter")
    assert "configure the provider first" in cs.run(
        "updateNetworkServiceProvider", f"id={vr['id']}", "state=Enabled", ok=False
    )
    element = cs.run("listVirtualRouterElements", f"nspid={vr['id']}")["virtualrouterelement"][0]
    assert (
        cs.run("configureVirtualRouterElement", f"id={element['id']}", "enabled=true")[
            "virtualrouterelement"
        ]["enabled"]
        is True
    )
    enabled = cs.run("updateNetworkServiceProvider", f"id={vr['id']}", "state=Enabled")
    assert enabled["networkserviceprovider"]["state"] == "Enabled"
    assert (
        cs.run("updatePhysicalNetwork", f"id={pn['id']}", "state=Enabled")["physicalnetwork"][
            "state"
        ]
        == "Enabled"
    )

    vlan = cs.run(
        "createVlanIpRange",
        f"zoneid={zone['id']}",
        "vlan=untagged",
        "gateway=192.168.10.1",
        "netmask=255.255.255.0",
        "startip=192.168.10.10",
        "endip=192.168.10.20",
        "forvirtualnetwork=true",
        post=True,
    )["vlan"]
    assert vlan["physicalnetworkid"] == pn["id"]
    assert cs.run("listVlanIpRanges", f"zoneid={zone['id']}")["count"] == 1

    pod = cs.run(
        "createPod",
        f"zoneid={zone['id']}",
        "name=pod1",
        "gateway=10.0.0.1",
        "netmask=255.255.255.0",
        "startip=10.0.0.10",
        "endip=10.0.0.50",
    )["pod"]
    cs.run("updatePod", f"id={pod['id']}", "name=pod-one")
    assert cs.run("listPods", "name=pod-one")["pod"][0]["id"] == pod["id"]
    snr = cs.run(
        "createStorageNetworkIpRange",
        f"podid={pod['id']}",
        "gateway=10.1.0.1",
        "netmask=255.255.255.0",
        "startip=10.1.0.10",
        "endip=10.1.0.20",
        "vlan=30",
    )["storagenetworkiprange"]
    assert cs.run("listStorageNetworkIpRange", f"podid={pod['id']}")["count"] == 1

    assert "there are pods in this zone" in cs.run("deleteZone", f"id={zone['id']}", ok=False)
    cs.run("deleteStorageNetworkIpRange", f"id={snr['id']}")
    cs.run("deletePod", f"id={pod['id']}")
    cs.run("deleteVlanIpRange", f"id={vlan['id']}")
    cs.run("deleteTrafficType", f"id={guest['id']}")
    assert cs.run("listTrafficTypes", f"physicalnetworkid={pn['id']}")["count"] == 3
    cs.run("deletePhysicalNetwork", f"id={pn['id']}")
    assert cs.run("listNetworkServiceProviders") == {}
    cs.run("deleteZone", f"id={zone['id']}")
    assert cs.run("listZones") == {}
    assert cs.run("listPods") == {}


def test_specc_sim_serve_prints_exports_and_stops_cleanly(tmp_path: Path) -> None:
    exe = shutil.which("specc")
    assert exe is not None, "specc is installed with the package"
    proc = subprocess.Popen(
        [
            exe,
            "sim",
            "serve",
            "--port",
            "0",
            "--seed",
            "devcloud",
            "--state",
            str(tmp_path / "sim.db"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        env: dict[str, str] = {}
        assert proc.stdout is not None
        for _ in range(3):
            line = proc.stdout.readline()
            name, _, value = line.removeprefix("export ").strip().partition("=")
            env[name] = value
        assert set(env) == {"CLOUDSTACK_ENDPOINT", "CLOUDSTACK_KEY", "CLOUDSTACK_SECRET"}
        zones = Cli(env, tmp_path).run("listZones")
        assert zones["zone"][0]["name"] == "Sandbox-simulator"
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "Traceback" not in err


def test_specc_sim_serve_refuses_bad_options_with_a_message(tmp_path: Path) -> None:
    exe = shutil.which("specc")
    assert exe is not None
    for argv, text in (
        (["--api-version", "5.0"], "unsupported API version '5.0'"),
        (["--api-key", "k"], "give both --api-key and --secret-key"),
        (["--seed", str(tmp_path / "missing.json")], "cannot read snapshot"),
        (["--fault-rate", "2"], "fault rate must be between 0 and 1"),
    ):
        proc = subprocess.run(
            [exe, "sim", "serve", "--port", "0", *argv], capture_output=True, text=True, timeout=30
        )
        assert proc.returncode == 1, argv
        assert text in proc.stderr.replace("\n", " ")
        assert "Traceback" not in proc.stderr
