"""The desired graph: resources, dependencies, and backends expanded into pool URLs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import specc
from specc.core.ids import ResourceId
from specc.core.steps import Concat, SecretParam
from specc.graph.build import build_desired
from specc.spec import require
from specc.spec.models import Spec

REPO = Path(__file__).resolve().parents[2]


def _pool_url(backend: dict[str, Any], pool: dict[str, Any] | None = None) -> Any:
    pool = {
        "name": "p",
        "backend": backend["name"],
        "scope": "zone",
        "hypervisor": "KVM",
        **(pool or {}),
    }
    spec = Spec.model_validate(
        {
            "backends": [backend],
            "zones": [
                {
                    "name": "z",
                    "dns": ["10.0.0.2"],
                    "internal_dns": ["10.0.0.2"],
                    "primary_storage": [pool],
                }
            ],
        }
    )
    return build_desired(spec)[ResourceId("storagepool", ("z", "p"))].attrs


@pytest.mark.parametrize(
    ("backend", "url"),
    [
        (
            {"name": "b", "type": "nfs", "server": "10.0.0.5", "export": "/export/p"},
            "nfs://10.0.0.5/export/p",
        ),
        (
            {
                "name": "b",
                "type": "ocfs2",
                "device": "/dev/mapper/mpatha",
                "label": "l",
                "mount_point": "/san/primary",
                "hosts": ["h1"],
            },
            "SharedMountPoint://localhost/san/primary",
        ),
        ({"name": "b", "type": "presetup", "sr_name": "sr-1"}, "presetup://localhost/sr-1"),
        ({"name": "b", "type": "vmfs", "datacenter": "DC", "datastore": "ds1"}, "vmfs://DC/ds1"),
        (
            {
                "name": "b",
                "type": "iscsi",
                "target": "10.0.0.9",
                "iqn": "iqn.2020-01.x:t",
                "lun": 3,
            },
            "iscsi://10.0.0.9/iqn.2020-01.x:t/3",
        ),
    ],
)
def test_plain_backends_expand_into_urls(backend: dict[str, Any], url: str) -> None:
    assert _pool_url(backend)["url"] == url


def test_ceph_url_embeds_the_key_as_a_url_encoded_secret() -> None:
    attrs = _pool_url(
        {
            "name": "b",
            "type": "ceph",
            "monitors": ["10.0.0.1", "10.0.0.2"],
            "monitor_dns": "mon.example",
            "pool": {"name": "rbd"},
            "secret": {"env": "CEPH_KEY"},
        }
    )
    assert attrs["url"] == Concat(
        ("rbd://cloudstack:", SecretParam("env", "CEPH_KEY", "url"), "@mon.example/rbd")
    )
    assert attrs["provider"] == "DefaultPrimary"


def test_solidfire_url_is_key_value_with_the_password_as_a_secret() -> None:
    attrs = _pool_url(
        {
            "name": "b",
            "type": "solidfire",
            "mvip": "10.0.0.30",
            "svip": "10.0.1.30",
            "admin_user": "admin",
            "admin_password": {"file": "/run/sf"},
            "default_min_iops": 300,
            "default_max_iops": 1500,
            "default_burst_multiplier": 2,
        },
        {"hypervisor": "Any", "capacity_bytes": 10, "capacity_iops": 100},
    )
    url = attrs["url"]
    assert isinstance(url, Concat)
    assert url.parts[1] == SecretParam("file", "/run/sf")
    text = "".join(p for p in url.parts if isinstance(p, str))
    assert text.startswith("MVIP=10.0.0.30;SVIP=10.0.1.30;clusterAdminUsername=admin;")
    assert "clusterDefaultBurstIopsPercentOfMaxIops=2" in text
    assert (attrs["provider"], attrs["managed"], attrs["capacityiops"]) == ("SolidFire", True, 100)


def test_dependencies_follow_the_topology() -> None:
    validated = require([REPO / "examples" / "production.yaml"])
    assert validated.spec is not None
    graph = build_desired(validated.spec)
    host = graph[ResourceId("host", ("zone-a", "pod-a1", "a1-kvm", "a1-kvm01"))]
    assert set(host.depends_on) == {
        ResourceId("zone", ("zone-a",)),
        ResourceId("pod", ("zone-a", "pod-a1")),
        ResourceId("cluster", ("zone-a", "pod-a1", "a1-kvm")),
    }
    pool = graph[ResourceId("storagepool", ("zone-a", "a-rbd"))]
    assert ResourceId("host", ("zone-a", "pod-a2", "a2-kvm", "a2-kvm01")) in pool.depends_on
    tmpl = graph[ResourceId("template", ("rocky9-kvm", "*", "KVM"))]
    assert tmpl.parents == {}
    # ESXi hosts join through vCenter: no host resources for the VMware cluster.
    assert not [r for r in graph if r.kind == "host" and r.key[2] == "a2-vmw"]
    assert list(graph) == sorted(graph)


def test_every_resource_knows_where_the_spec_names_it() -> None:
    path = REPO / "examples" / "production.yaml"
    graph = specc.build(require([path]))
    lines = path.read_text().splitlines()
    assert all(res.source is not None and res.source.file == str(path) for res in graph.values())
    host = graph[ResourceId("host", ("zone-a", "pod-a1", "a1-kvm", "a1-kvm01"))].source
    assert host is not None
    assert lines[host.line - 1].strip() == "- name: a1-kvm01"
    assert host.col == lines[host.line - 1].index("name") + 1
    tmpl = graph[ResourceId("template", ("rocky9-kvm", "*", "KVM"))].source
    assert tmpl is not None and lines[tmpl.line - 1].strip() == "- name: rocky9-kvm"


def test_attrs_hold_only_api_fields_and_hints_are_typed() -> None:
    validated = require([REPO / "examples" / "production.yaml"])
    assert validated.spec is not None
    data = validated.spec.model_dump(mode="json", exclude_none=True)
    data["templates"][0]["wait_ready"] = True
    waiting = data["templates"][0]["name"]
    graph = build_desired(Spec.model_validate(data))
    assert not [(rid, k) for rid, res in graph.items() for k in res.attrs if k.startswith("_")]
    host = graph[ResourceId("host", ("zone-a", "pod-a1", "a1-kvm", "a1-kvm01"))]
    address = next(
        str(h.address)
        for z in validated.spec.zones
        for p in z.pods
        for c in p.clusters
        for h in c.hosts
        if h.name == "a1-kvm01"
    )
    assert host.match_key == ("zone-a", "pod-a1", "a1-kvm", address) == host.live_key
    templates = {rid: res for rid, res in graph.items() if rid.kind == "template"}
    assert len(templates) > 1
    for rid, res in templates.items():
        assert res.options.wait_ready == (rid.key[0] == waiting)
