"""The `cs` command line against the simulator: create, list and delete SIM-B's kinds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specc.sim import running

CS = shutil.which("cs")


@pytest.fixture(scope="module")
def sim() -> Iterator[Any]:
    with running(api_version="4.18", seed="devcloud") as s:
        yield s


def cs(sim: Any, tmp_path: Path, *args: str, ok: bool = True) -> Any:
    """Run the `cs` command line (credentials from the environment) and parse its JSON."""
    assert CS is not None, "the cs command line is a test dependency (pip install cs)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDSTACK_")}
    env.update(sim.env())
    env["HOME"] = str(tmp_path)  # no ~/.cloudstack.ini of the user
    proc = subprocess.run(
        [CS, "--quiet", *args], env=env, capture_output=True, text=True, timeout=60
    )
    if ok:
        assert proc.returncode == 0, proc.stderr + proc.stdout
        # `cs` prints nothing for an empty answer (`{}`).
        return json.loads(proc.stdout) if proc.stdout.strip() else {}
    assert proc.returncode != 0
    return proc.stdout + proc.stderr


def test_cli_cluster_host_pool_round_trip(sim: Any, tmp_path: Path) -> None:
    zone = cs(sim, tmp_path, "listZones")["zone"][0]
    pod = cs(sim, tmp_path, "listPods")["pod"][0]
    where = [f"zoneid={zone['id']}", f"podid={pod['id']}"]
    cluster = cs(
        sim,
        tmp_path,
        "addCluster",
        "clustername=cli-kvm",
        "clustertype=CloudManaged",
        "hypervisor=KVM",
        *where,
    )["cluster"][0]
    host = cs(
        sim,
        tmp_path,
        "addHost",
        "url=http://192.168.50.10",
        "username=root",
        "password=pw",
        "hypervisor=KVM",
        f"clusterid={cluster['id']}",
        *where,
    )["host"][0]
    pool = cs(
        sim,
        tmp_path,
        "createStoragePool",
        "name=cli-nfs",
        "url=nfs://192.168.60.5/primary",
        f"clusterid={cluster['id']}",
        "tags=NFS",
        *where,
    )["storagepool"]
    listed = cs(sim, tmp_path, "listStoragePools", f"clusterid={cluster['id']}")
    assert listed["count"] == 1 and listed["storagepool"][0]["tags"] == "NFS"
    # Async commands: `cs` waits for the job and prints its result.
    assert (
        cs(sim, tmp_path, "enableStorageMaintenance", f"id={pool['id']}")["storagepool"]["state"]
        == "Maintenance"
    )
    assert cs(sim, tmp_path, "deleteStoragePool", f"id={pool['id']}") == {"success": True}
    out = cs(sim, tmp_path, "deleteCluster", f"id={cluster['id']}", ok=False)
    assert "Cluster still has hosts" in out
    cs(sim, tmp_path, "prepareHostForMaintenance", f"id={host['id']}")
    assert cs(sim, tmp_path, "deleteHost", f"id={host['id']}") == {"success": True}
    assert cs(sim, tmp_path, "deleteCluster", f"id={cluster['id']}") == {"success": True}
    assert cs(sim, tmp_path, "listClusters", f"id={cluster['id']}") == {}


def test_cli_offerings_templates_settings(sim: Any, tmp_path: Path) -> None:
    zone = cs(sim, tmp_path, "listZones")["zone"][0]
    disk = cs(
        sim,
        tmp_path,
        "createDiskOffering",
        "name=cli-disk",
        "displaytext=CLI disk",
        "disksize=50",
        "tags=RBD",
    )["diskoffering"]
    assert (disk["disksize"], disk["tags"]) == (50, "RBD")
    svc = cs(
        sim,
        tmp_path,
        "createServiceOffering",
        "name=cli-svc",
        "displaytext=CLI svc",
        "cpunumber=1",
        "cpuspeed=1000",
        "memory=1024",
    )["serviceoffering"]
    os_type = cs(sim, tmp_path, "listOsTypes", "description=Rocky Linux 9")["ostype"][0]
    tmpl = cs(
        sim,
        tmp_path,
        "registerTemplate",
        "name=cli-tmpl",
        "displaytext=CLI template",
        "url=http://images.lan/rocky9.qcow2",
        "format=QCOW2",
        "hypervisor=KVM",
        f"zoneid={zone['id']}",
        f"ostypeid={os_type['id']}",
    )["template"][0]
    assert tmpl["isready"] is False
    store = cs(
        sim,
        tmp_path,
        "addImageStore",
        "name=cli-sec",
        "provider=NFS",
        "url=nfs://192.168.60.6/secondary",
        f"zoneid={zone['id']}",
    )["imagestore"]
    setting = cs(sim, tmp_path, "updateConfiguration", "name=expunge.delay", "value=600")[
        "configuration"
    ]
    assert setting["value"] == "600"
    assert cs(sim, tmp_path, "deleteTemplate", f"id={tmpl['id']}") == {"success": True}
    assert cs(sim, tmp_path, "deleteImageStore", f"id={store['id']}") == {"success": True}
    assert cs(sim, tmp_path, "deleteDiskOffering", f"id={disk['id']}") == {"success": True}
    assert cs(sim, tmp_path, "deleteServiceOffering", f"id={svc['id']}") == {"success": True}
    assert cs(sim, tmp_path, "listDiskOfferings", f"id={disk['id']}") == {}
