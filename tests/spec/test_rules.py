"""Unit tests of the domain rules where a corpus file is awkward: boundaries,
computed figures in messages, and the bookkeeping (every code has a corpus file).
"""

from __future__ import annotations

import copy
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from specc.backends import BACKENDS
from specc.errors import Severity
from specc.spec.models import Spec
from specc.spec.rules import (
    Finding,
    hosts,
    network,
    offerings,
    references,
    settings,
    templates,
    zones,
    zonetypes,
)
from specc.spec.rules.registry import ALL_RULES
from specc.spec.rules.topology import pool_clusters, tags_match

# The rule modules in registry order: each backend's (from the registry) after network.
BEFORE = (references, network)
AFTER = (offerings, templates, hosts, zones, zonetypes, settings)
BACKEND_MODULES: tuple[ModuleType, ...] = tuple(
    dict.fromkeys(sys.modules[r.__module__] for p in BACKENDS.values() for r in p.rules)
)
MODULES = (*BEFORE, *BACKEND_MODULES, *AFTER)
CORPUS = Path(__file__).resolve().parent / "negative"

BASE: dict[str, Any] = {
    "subnets": [
        {"name": "mgmt", "cidr": "10.0.0.0/24", "role": "management", "gateway": "10.0.0.1"},
        {"name": "stor", "cidr": "10.0.1.0/24", "role": "storage"},
    ],
    "backends": [
        {"name": "nfs1", "type": "nfs", "server": "10.0.0.20", "export": "/export/primary"},
        {"name": "sec1", "type": "nfs", "server": "10.0.0.21", "export": "/export/secondary"},
    ],
    "zones": [
        {
            "name": "z1",
            "dns": ["10.0.0.2"],
            "internal_dns": ["10.0.0.2"],
            "pods": [
                {
                    "name": "p1",
                    "subnet": "mgmt",
                    "start_ip": "10.0.0.100",
                    "end_ip": "10.0.0.150",
                    "clusters": [
                        {
                            "name": "c1",
                            "hypervisor": "KVM",
                            "hosts": [
                                {
                                    "name": "h1",
                                    "address": "10.0.0.11",
                                    "storage_address": "10.0.1.11",
                                    "os": "el8",
                                }
                            ],
                        }
                    ],
                }
            ],
            "primary_storage": [
                {"name": "ps1", "backend": "nfs1", "scope": "cluster", "pod": "p1", "cluster": "c1"}
            ],
            "secondary_storage": [{"name": "ss1", "backend": "sec1"}],
        }
    ],
}
SOLIDFIRE = {
    "name": "sf1",
    "type": "solidfire",
    "mvip": "10.0.0.40",
    "svip": "10.0.1.40",
    "admin_user": "admin",
    "admin_password": {"env": "SF_PASSWORD"},
    "default_min_iops": 100,
    "default_max_iops": 1000,
}
CEPH = {
    "name": "ceph1",
    "type": "ceph",
    "monitors": ["10.0.1.31", "10.0.1.32", "10.0.1.33"],
    "monitor_dns": "mon.ceph.example.internal",
    "pool": {"name": "cloudstack"},
    "secret": {"env": "CEPH_KEY"},
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def findings(doc: dict[str, Any]) -> list[Finding]:
    spec = Spec.model_validate(doc)
    return [f for rule in ALL_RULES for f in rule(spec)]


def codes(doc: dict[str, Any]) -> list[str]:
    return sorted(f.code for f in findings(doc))


def cluster(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["zones"][0]["pods"][0]["clusters"][0]  # type: ignore[no-any-return]


def test_base_is_clean() -> None:
    assert findings(base()) == []


# --- bookkeeping -----------------------------------------------------------------


def _codes_in_sources() -> set[str]:
    found: set[str] = set()
    for module in MODULES:
        found |= set(re.findall(r'"(SPC\d{3})"', inspect.getsource(module)))
    return found


def test_every_rule_code_has_a_corpus_file() -> None:
    covered = {p.name[:6] for p in CORPUS.iterdir()}
    missing = sorted(_codes_in_sources() - covered)
    assert missing == []


def test_registry_holds_every_module_rule_once() -> None:
    expected = [
        *(rule for module in BEFORE for rule in module.RULES),
        *(rule for plugin in BACKENDS.values() for rule in plugin.rules),
        *(rule for module in AFTER for rule in module.RULES),
    ]
    assert list(ALL_RULES) == expected
    assert len(set(ALL_RULES)) == len(ALL_RULES)


def test_each_rule_documents_its_codes() -> None:
    for rule in ALL_RULES:
        doc = inspect.getdoc(rule) or ""
        emitted = set(re.findall(r'"(SPC\d{3})"', inspect.getsource(rule)))
        assert emitted, rule.__qualname__
        for code in emitted:
            assert code in doc, f"{rule.__qualname__} emits {code} but its docstring omits it"


def test_codes_keep_one_severity() -> None:
    """A code always means the same severity (examples + corpus as input)."""
    seen: dict[str, Severity] = {}
    from specc.spec import load

    for path in sorted(CORPUS.glob("*.yaml")):
        for d in load([path]).diagnostics:
            assert seen.setdefault(d.code, d.severity) is d.severity, (path.name, d.code)


# --- boundaries -------------------------------------------------------------------


def _sf_offering(doc: dict[str, Any], **qos: int) -> dict[str, Any]:
    doc["backends"].append(copy.deepcopy(SOLIDFIRE))
    doc["backends"][-1]["subnet"] = "stor"
    doc["zones"][0]["primary_storage"].append(
        {
            "name": "sf",
            "backend": "sf1",
            "scope": "zone",
            "hypervisor": "Any",
            "capacity_bytes": 10**12,
            "capacity_iops": 100_000,
            "tags": ["SF"],
        }
    )
    offering = {"name": "o", "size_gb": 10, "storage_tags": ["SF"], "qos": {"type": "storage"}}
    offering["qos"].update(qos)  # type: ignore[attr-defined]
    doc["offerings"] = {"disk": [offering]}
    return doc


@pytest.mark.parametrize(
    ("min_iops", "max_iops", "expected"),
    [
        (15_000, 100_000, []),
        (15_001, 100_000, ["SPC349"]),  # Element's limit: a warning
        (100, 100_001, ["SPC331"]),  # the driver caps Burst at MAX_IOPS_PER_VOLUME
        (2_000, 1_999, ["SPC332"]),
        (2_000, 2_000, []),
    ],
)
def test_solidfire_offering_iops_follow_the_driver_and_create_disk_offering(
    min_iops: int, max_iops: int, expected: list[str]
) -> None:
    """SolidFirePrimaryDataStoreDriver.getDefaultBurstIops / Iops and
    ConfigurationManagerImpl.createDiskOfferingInternal, on an offering landing on a
    SolidFire 1:1 pool."""
    doc = _sf_offering(base(), min_iops=min_iops, max_iops=max_iops)
    assert codes(doc) == expected


def test_solidfire_offering_limits_apply_only_where_it_lands_on_solidfire() -> None:
    """An offering whose tags reach no SolidFire 1:1 pool is not held to its limits."""
    doc = _sf_offering(base(), min_iops=20_000, max_iops=150_000)
    doc["offerings"]["disk"][0]["storage_tags"] = ["NFS"]
    doc["zones"][0]["primary_storage"][0]["tags"] = ["NFS"]
    assert "SPC331" not in codes(doc) and "SPC349" not in codes(doc)


@pytest.mark.parametrize(
    ("default_min", "default_max", "expected"),
    [
        (100, 100_000, []),
        (99, 1_000, ["SPC330"]),  # SolidFireUtil.MIN_IOPS_PER_VOLUME
        (15_000, 15_000, []),
        (15_001, 20_000, ["SPC330"]),  # SolidFireUtil.MAX_MIN_IOPS_PER_VOLUME
        (100, 100_001, ["SPC331"]),  # SolidFireUtil.MAX_IOPS_PER_VOLUME
        (100, 150_000, ["SPC331"]),
        (2_000, 1_000, ["SPC332"]),
    ],
)
def test_solidfire_defaults_follow_solidfire_lifecycle_initialize(
    default_min: int, default_max: int, expected: list[str]
) -> None:
    """SolidFirePrimaryDataStoreLifeCycle.initialize: clusterDefaultMinIops in
    100..15,000, clusterDefaultMaxIops at most 100,000 and not below the min."""
    doc = _sf_offering(base())
    doc["backends"][-1].update(default_min_iops=default_min, default_max_iops=default_max)
    assert codes(doc) == expected


@pytest.mark.parametrize(
    ("volumes", "hypervisor", "expected"),
    [
        (512, "VMware", []),
        (513, "VMware", [("SPC386", Severity.WARNING)]),  # seed advice
        (256, "XenServer", []),
        (257, "XenServer", [("SPC387", Severity.WARNING)]),
        (5000, "KVM", []),
    ],
)
def test_datastore_limits(
    volumes: int, hypervisor: str, expected: list[tuple[str, Severity]]
) -> None:
    doc = base()
    c = cluster(doc)
    c["hypervisor"] = hypervisor
    c["hosts"][0].pop("os")
    if hypervisor == "VMware":
        doc["zones"][0]["vcenter"] = {
            "host": "vc",
            "datacenter": "DC1",
            "username": "u",
            "password": {"env": "VC"},
        }
    doc["backends"].append(copy.deepcopy(SOLIDFIRE))
    doc["zones"][0]["primary_storage"] = [
        {
            "name": "sf",
            "backend": "sf1",
            "scope": "cluster",
            "pod": "p1",
            "cluster": "c1",
            "capacity_bytes": 10**12,
            "capacity_iops": 100_000,
            "expected_volumes": volumes,
        }
    ]
    got = [(f.code, f.severity) for f in findings(doc) if f.code in ("SPC386", "SPC387")]
    assert got == expected


def test_datastore_count_from_workload_names_the_figure() -> None:
    doc = base()
    c = cluster(doc)
    c["hypervisor"] = "XenServer"
    c["hosts"][0].pop("os")
    c["workload"] = {"vms_per_host": 50, "volumes_per_vm": 6}
    doc["backends"].append(copy.deepcopy(SOLIDFIRE))
    doc["zones"][0]["primary_storage"][0] = {
        "name": "sf",
        "backend": "sf1",
        "scope": "zone",
        "hypervisor": "Any",
        "capacity_bytes": 10**12,
        "capacity_iops": 100_000,
    }
    (finding,) = [f for f in findings(doc) if f.code == "SPC387"]
    assert "300 datastores/SRs" in finding.message
    assert "50 VMs x 6 volumes x 1 hosts" in finding.message


@pytest.mark.parametrize(
    ("memory_gb", "warned"),
    [(64, False), (62, True), (512, False)],
)
def test_rbd_cache_share_threshold(memory_gb: int, warned: bool) -> None:
    """50 VMs x 4 volumes x 32 MB = 6400 MB; 10 % of 64 GB is 6553.6 MB."""
    doc = base()
    doc["backends"].append(copy.deepcopy(CEPH))
    doc["backends"][-1]["subnet"] = "stor"
    doc["zones"][0]["primary_storage"].append(
        {"name": "rbd", "backend": "ceph1", "scope": "zone", "hypervisor": "KVM"}
    )
    c = cluster(doc)
    c["workload"] = {"vms_per_host": 50, "volumes_per_vm": 4}
    c["hosts"][0]["memory_gb"] = memory_gb
    got = [f for f in findings(doc) if f.code == "SPC328"]
    assert bool(got) is warned
    if got:
        assert "6,400 MB" in got[0].message and "50 VMs x 4 volumes x 32 MB" in got[0].message


def test_rbd_cache_disabled_costs_nothing() -> None:
    doc = base()
    doc["backends"].append({**copy.deepcopy(CEPH), "rbd_cache": {"enabled": False}})
    doc["zones"][0]["primary_storage"].append(
        {"name": "rbd", "backend": "ceph1", "scope": "zone", "hypervisor": "KVM"}
    )
    c = cluster(doc)
    c["workload"] = {"vms_per_host": 500, "volumes_per_vm": 4}
    c["hosts"][0]["memory_gb"] = 8
    assert "SPC328" not in codes(doc)


@pytest.mark.parametrize(("monitors", "expected"), [(1, ["SPC322"]), (2, ["SPC321"]), (3, [])])
def test_monitor_count(monitors: int, expected: list[str]) -> None:
    doc = base()
    ceph_backend = copy.deepcopy(CEPH)
    ceph_backend["monitors"] = [f"10.0.1.{30 + i}" for i in range(monitors)]
    del ceph_backend["monitor_dns"]
    doc["backends"].append(ceph_backend)
    got = [c for c in codes(doc) if c in ("SPC321", "SPC322")]
    assert got == expected


def test_single_monitor_behind_dns_is_fine() -> None:
    doc = base()
    doc["backends"].append({**copy.deepcopy(CEPH), "monitors": ["10.0.1.31"]})
    assert "SPC322" not in codes(doc)


def test_shared_capacity_iops_must_equal_min_iops_exactly() -> None:
    doc = base()
    c = cluster(doc)
    c["hypervisor"] = "XenServer"
    c["hosts"][0].pop("os")
    doc["backends"].append(
        {
            "name": "sfs1",
            "type": "solidfire-shared",
            "subnet": "stor",
            "mvip": "10.0.0.40",
            "svip": "10.0.1.40",
            "admin_user": "admin",
            "admin_password": {"env": "P"},
            "min_iops": 15_000,
            "max_iops": 100_000,
            "burst_iops": 100_000,
        }
    )
    doc["zones"][0]["primary_storage"][0] = {
        "name": "ps1",
        "backend": "sfs1",
        "scope": "cluster",
        "pod": "p1",
        "cluster": "c1",
        "capacity_bytes": 10**12,
        "capacity_iops": 15_000,
    }
    assert codes(doc) == []
    doc["zones"][0]["primary_storage"][0]["capacity_iops"] = 14_999
    assert codes(doc) == ["SPC342"]


# --- storage tags and scope ---------------------------------------------------------


def test_tags_match_needs_every_offering_tag() -> None:
    assert tags_match(["SSD"], ["ssd", "fast"])
    assert not tags_match(["SSD", "fast"], ["SSD"])
    assert tags_match([], [])


def test_offering_limited_to_a_zone_with_the_tag_is_fine() -> None:
    doc = base()
    doc["zones"][0]["primary_storage"][0]["tags"] = ["SSD"]
    second = copy.deepcopy(doc["zones"][0])
    second.update(name="z2", pods=[], primary_storage=[], secondary_storage=[])
    doc["zones"].append(second)
    doc["offerings"] = {"disk": [{"name": "ssd", "size_gb": 1, "storage_tags": ["SSD"]}]}
    assert codes(doc) == ["SPC360"]
    doc["offerings"]["disk"][0]["zones"] = ["z1"]
    assert codes(doc) == []


def test_zone_pool_reaches_clusters_of_its_hypervisor_only() -> None:
    doc = base()
    pod = doc["zones"][0]["pods"][0]
    pod["clusters"].append(
        {"name": "x1", "hypervisor": "XenServer", "hosts": [{"name": "x", "address": "10.0.0.30"}]}
    )
    spec = Spec.model_validate(doc)
    zone = spec.zones[0]
    kvm_pool = zone.primary_storage[0].model_copy(update={"scope": "zone", "hypervisor": "KVM"})
    any_pool = kvm_pool.model_copy(update={"hypervisor": "Any"})
    assert [c.name for c in pool_clusters(zone, kvm_pool)] == ["c1"]
    assert [c.name for c in pool_clusters(zone, any_pool)] == ["c1", "x1"]


def test_snapshot_reserve_is_wanted_on_vmware_even_if_kvm_shares_the_pool() -> None:
    """A zone-wide Any pool reaching VMware and KVM: the reserve matters (no SPC338)."""
    doc = _sf_offering(base(), min_iops=100, max_iops=1000)
    doc["zones"][0]["vcenter"] = {
        "host": "vc",
        "datacenter": "DC",
        "username": "u",
        "password": {"env": "V"},
    }
    doc["zones"][0]["pods"][0]["clusters"].append(
        {
            "name": "v1",
            "hypervisor": "VMware",
            "hosts": [{"name": "e1", "address": "10.0.0.31", "storage_address": "10.0.1.31"}],
        }
    )
    assert codes(doc) == ["SPC337"]
    doc["offerings"]["disk"][0]["hypervisor_snapshot_reserve"] = 200
    assert codes(doc) == []


def test_direct_download_boundary_version_is_register_template_cmd_4_11_0() -> None:
    """RegisterTemplateCmd has ``directdownload`` since apache/cloudstack 4.11.0.0."""
    doc = base()
    doc["templates"] = [
        {
            "name": "t",
            "url": "https://images.example.org/t.qcow2",
            "format": "QCOW2",
            "hypervisor": "KVM",
            "os_type": "Rocky Linux 9",
            "direct_download": True,
            "checksum": {"algorithm": "md5", "value": "0" * 32},
        }
    ]
    doc["cloudstack"] = {"version": "4.11"}
    assert codes(doc) == []
    doc["cloudstack"] = {"version": "4.10.0"}
    assert codes(doc) == ["SPC372"]


def test_rules_never_mutate_or_crash_on_examples() -> None:
    from specc.spec import load

    for path in sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml")):
        result = load([path])
        assert result.spec is not None
        before = result.spec.model_dump()
        for rule in ALL_RULES:
            list(rule(result.spec))
        assert result.spec.model_dump() == before


# --- robustness ---------------------------------------------------------------------

ENUM_SWAPS: dict[str, list[Any]] = {
    "hypervisor": ["KVM", "VMware", "XenServer", "Simulator"],
    "scope": ["cluster", "zone"],
    "storage_type": ["shared", "local"],
    "type": ["core", "edge"],
    "kind": ["replicated", "erasure"],
}
NAME_KEYS = ("backend", "subnet", "pod", "cluster", "name", "format_on")


def _load_examples() -> list[dict[str, Any]]:
    from ruamel.yaml import YAML

    root = Path(__file__).resolve().parents[2] / "examples"
    return [YAML(typ="safe").load(p.read_text("utf-8")) for p in sorted(root.glob("*.yaml"))]


EXAMPLE_DOCS = _load_examples()


def _slots(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every list item and every mapping value in a document."""
    out: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*path, k))
            out += _slots(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((*path, i))
            out += _slots(v, (*path, i))
    return out


def _mutate(doc: dict[str, Any], data: Any) -> dict[str, Any]:
    from hypothesis import strategies as st

    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 4))):
        slots = _slots(doc)
        path = data.draw(st.sampled_from(slots))
        parent: Any = doc
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        value = parent[key]
        if isinstance(key, int):
            if data.draw(st.booleans()):
                parent.append(copy.deepcopy(value))  # duplicate an item
            elif len(parent) > 1:
                del parent[key]
        elif key in ENUM_SWAPS and isinstance(value, str):
            parent[key] = data.draw(st.sampled_from(ENUM_SWAPS[key]))
        elif key in NAME_KEYS and isinstance(value, str):
            parent[key] = data.draw(st.sampled_from(["x", "pod1", "kvm1", "mgmt", "storage"]))
        elif isinstance(value, bool):
            parent[key] = not value
        elif isinstance(value, int) and not isinstance(value, bool) and value > 1:
            parent[key] = data.draw(st.sampled_from([1, value - 1, value * 1000]))
    return doc


def test_rules_never_crash_on_mutated_examples() -> None:
    """Broken references, duplicates and odd values give findings, never exceptions."""
    from hypothesis import HealthCheck, assume, given, settings
    from hypothesis import strategies as st
    from pydantic import ValidationError

    @settings(
        max_examples=300,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
    )
    @given(st.sampled_from(EXAMPLE_DOCS), st.data())
    def check(doc: dict[str, Any], data: Any) -> None:
        mutated = _mutate(doc, data)
        try:
            spec = Spec.model_validate(mutated)
        except ValidationError:
            assume(False)
            return
        for rule in ALL_RULES:
            for f in rule(spec):
                assert f.code.startswith("SPC") and f.message and f.hint

    check()


# --- zone-wide pools: StorageManagerImpl.createPool and the provider's attachZone ---


@pytest.mark.parametrize(
    ("backend", "hypervisor", "version", "refused"),
    [
        ("nfs1", "KVM", "4.18", False),
        ("nfs1", "VMware", "4.18", False),
        ("nfs1", "XenServer", "4.18", True),  # createPool: never zone-wide
        ("nfs1", "Any", "4.18", True),  # CloudStackPrimaryDataStoreLifeCycleImpl.attachZone
        ("nfs1", "Simulator", "4.18", False),
        ("nfs1", "Simulator", "4.16", True),  # zone-wide Simulator since 4.17 (#5986)
        ("sf1", "Any", "4.18", False),  # SolidFirePrimaryDataStoreLifeCycle.attachZone
        ("sf1", "VMware", "4.18", False),  # accepted, stored as Any (SPC334, a warning)
        ("sf1", "XenServer", "4.18", True),  # createPool refuses it before the provider
    ],
)
def test_zone_wide_hypervisor_follows_create_pool_and_attach_zone(
    backend: str, hypervisor: str, version: str, refused: bool
) -> None:
    doc = base()
    doc["cloudstack"] = {"version": version}
    doc["backends"].append(copy.deepcopy(SOLIDFIRE))
    pool: dict[str, Any] = {"name": "zw", "backend": backend, "scope": "zone"}
    pool["hypervisor"] = hypervisor
    if backend == "sf1":
        pool.update(capacity_bytes=10**12, capacity_iops=100_000)
    doc["zones"][0]["primary_storage"].append(pool)
    spc390 = [f for f in findings(doc) if f.code == "SPC390"]
    assert bool(spc390) is refused, spc390
    assert all(f.severity is Severity.ERROR for f in spc390)
