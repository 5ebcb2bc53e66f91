"""The runbook's domain warnings, preflight and verification checks, from the spec."""

from __future__ import annotations

from hosts.hosthelp import CASES, EXAMPLES, load_spec
from specc.hosts.collect import preflight_checks, verification_checks
from specc.hosts.warnings import domain_warnings
from specc.spec.models import Spec

CEPH = next(p for p in EXAMPLES if p.stem == "ceph-rbd-kvm")


def test_rbd_cache_ram_estimate_per_host() -> None:
    warnings = domain_warnings(load_spec(CEPH))
    assert (
        "RBD cache RAM on kvm-c1: 50 VMs x 4 volumes x 32 MB = 6.4 GB of 256 GB "
        "(the cache is per volume)." in warnings
    )
    assert any("no full VM snapshots" in w for w in warnings)


def test_slash_in_key_warning_only_before_4_18_1() -> None:
    data = load_spec(CEPH).model_dump(mode="json")
    assert not any("'/'" in w for w in domain_warnings(Spec.model_validate(data)))
    data["cloudstack"]["version"] = "4.17.2"
    old = domain_warnings(Spec.model_validate(data))
    assert any("contains '/'" in w and "regenerate the key" in w for w in old)
    assert any("'/'" in w for w in domain_warnings(Spec.model_validate(data), "4.18.0.0"))
    assert not any("'/'" in w for w in domain_warnings(Spec.model_validate(data), "4.18.1.0"))


def test_erasure_pool_and_small_cluster_warnings() -> None:
    spec = load_spec(next(p for p in CASES if p.stem == "ceph-erasure-el7"))
    warnings = domain_warnings(spec)
    assert any("erasure-coded pools are for space efficiency" in w for w in warnings)
    assert any("single point of failure" in w for w in warnings)


def test_checks_follow_the_hypervisor() -> None:
    spec = load_spec(next(p for p in CASES if p.stem == "solidfire-manual"))
    by_id = {c.id: c for c in verification_checks(spec)}
    assert by_id["check:iscsi:ubu-k1:sf-managed"].command == "iscsiadm -m session"
    assert by_id["check:iscsi:xen-h1:sf-managed"].command.startswith("xe pbd-list")
    pre = {c.id: c for c in preflight_checks(spec)}
    assert "https://10.60.0.50/json-rpc/8.0" in pre["preflight:solidfire-mvip:sf-by-hand"].command
    assert pre["preflight:storage-nic:ubu-k1"].command == "ip link show ens4"


def test_duplicate_host_names_are_a_spec_error() -> None:
    import pytest

    from specc.errors import SpecError
    from specc.hosts.collect import host_scripts

    data = load_spec(CEPH).model_dump(mode="json")
    clusters = data["zones"][0]["pods"][0]["clusters"]
    clusters.append({**clusters[0], "name": "kvm-ceph-2"})  # same host names, other cluster
    with pytest.raises(SpecError, match="host names are not unique"):
        host_scripts(Spec.model_validate(data))
