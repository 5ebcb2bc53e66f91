"""Primary storage URL parsing per scheme and provider (pure; the HTTP path is in
test_handlers_b_storage.py)."""

from __future__ import annotations

import pytest

from specc.sim.providers.base import PoolUrlError
from specc.sim.providers.default_primary import parse_default
from specc.sim.providers.solidfire import parse_solidfire
from specc.sim.providers.solidfire_shared import parse_solidfire_shared
from specc.sim.providers.solidfire_util import solidfire_values

SF = "MVIP=10.1.1.1;SVIP=10.2.2.2;clusterAdminUsername=admin;clusterAdminPassword=pw"


@pytest.mark.parametrize(
    ("url", "has_cluster", "expected"),
    [
        (
            "nfs://10.0.0.5/export/primary",
            True,
            ("NetworkFilesystem", "10.0.0.5", 2049, "/export/primary"),
        ),
        ("NFS://nas:2050/x", True, ("NetworkFilesystem", "nas", 2050, "/x")),
        ("rbd://admin:s3cr%2Bt@mon.ceph/cloudstack", False, ("RBD", "mon.ceph", 0, "cloudstack")),
        ("SharedMountPoint:///san/primary", True, ("SharedMountPoint", "", 0, "/san/primary")),
        (
            "sharedmountpoint://localhost/san/p",
            True,
            ("SharedMountPoint", "localhost", 0, "/san/p"),
        ),
        ("PreSetup://xen1/sr-uuid", True, ("PreSetup", "xen1", 0, "/sr-uuid")),
        ("vmfs://vcenter/dc1/ds1", True, ("VMFS", "VMFS datastore: /dc1/ds1", 0, "/dc1/ds1")),
        (
            "iscsi://10.9.9.9/iqn.2010-01.com.x:tgt/3",
            True,
            ("IscsiLUN", "10.9.9.9", 3260, "/iqn.2010-01.com.x:tgt/3"),
        ),
    ],
)
def test_default_provider_schemes(
    url: str, has_cluster: bool, expected: tuple[str, str, int, str]
) -> None:
    p = parse_default(url, has_cluster=has_cluster)
    assert (p.type, p.host, p.port, p.path) == expected


def test_rbd_secret_is_percent_decoded() -> None:
    p = parse_default("rbd://cloudstack:AQB%2Fx%2By%3D%3D@mon/rbd", has_cluster=False)
    assert (p.user, p.secret) == ("cloudstack", "AQB/x+y==")


@pytest.mark.parametrize(
    ("url", "has_cluster", "text"),
    [
        (
            "10.0.0.5:/export",
            True,
            "scheme is null 10.0.0.5:/export, add nfs:// (or cifs://) as a prefix",
        ),
        ("nfs:///export", True, "host or path is null, should be nfs://hostname/path"),
        ("nfs://nas", True, "host or path is null, should be nfs://hostname/path"),
        ("rbd://mon", False, "host or path is null, should be rbd://hostname/pool"),
        ("iscsi://t/iqn.x/notalun", True, "iSCSI needs to have LUN number"),
        ("iscsi://t/iqn.x/1", False, "IscsiLUN need to have clusters specified"),
        ("ceph://x/y", True, "No enum constant com.cloud.storage.Storage.StoragePoolType.ceph"),
    ],
)
def test_default_provider_errors(url: str, has_cluster: bool, text: str) -> None:
    with pytest.raises(PoolUrlError) as err:
        parse_default(url, has_cluster=has_cluster)
    assert err.value.text == text


def test_solidfire_keys_case_insensitive() -> None:
    values = solidfire_values("mvip=1.1.1.1;svip=2.2.2.2:3261;CLUSTERADMINUSERNAME=a;miniops=5")
    assert values == {
        "MVIP": "1.1.1.1",
        "SVIP": "2.2.2.2:3261",
        "clusterAdminUsername": "a",
        "minIops": "5",
    }


def test_solidfire_defaults_and_details() -> None:
    p = parse_solidfire(
        SF + ";clusterDefaultMinIops=200", capacity_bytes=10**12, capacity_iops=10**5
    )
    assert (p.type, p.host, p.port) == ("Iscsi", "10.2.2.2", 3260)
    assert p.details["clusterDefaultMinIops"] == "200"
    assert p.details["clusterDefaultMaxIops"] == "15000"
    assert p.details["clusterDefaultBurstIopsPercentOfMaxIops"] == "1.5"


@pytest.mark.parametrize(
    ("url", "cap_bytes", "cap_iops", "text"),
    [
        (SF, None, 1000, "'capacityBytes' must be present and greater than 0."),
        (SF, 10**12, None, "'capacityIops' must be present and greater than 0."),
        (SF, 0, 1000, "'capacityBytes' must be present and greater than 0."),
        ("MVIP=1.1.1.1;clusterAdminUsername=a", 1, 1, "Key not found in URL"),
        ("MVIP=1.1.1.1;SVIP", 1, 1, "Invalid URL format"),
        ("SVIP=2.2.2.2:abc", 1, 1, "Invalid URL format (port is not an integer)"),
        (
            SF + ";clusterDefaultMinIops=50",
            1,
            1,
            "The parameter 'clusterDefaultMinIops' must be greater than or equal to 100.",
        ),
        (
            SF + ";clusterDefaultMinIops=900;clusterDefaultMaxIops=800",
            1,
            1,
            "The parameter 'clusterDefaultMinIops' must be less than or equal to the parameter "
            "'clusterDefaultMaxIops'.",
        ),
        (
            SF + ";clusterDefaultBurstIopsPercentOfMaxIops=0.5",
            1,
            1,
            "The parameter 'clusterDefaultBurstIopsPercentOfMaxIops' must be greater than "
            "or equal to 1.",
        ),
    ],
)
def test_solidfire_errors(url: str, cap_bytes: int | None, cap_iops: int | None, text: str) -> None:
    with pytest.raises(PoolUrlError) as err:
        parse_solidfire(url, capacity_bytes=cap_bytes, capacity_iops=cap_iops)
    assert err.value.text == text


def test_solidfire_shared_vmware_needs_datacenter_and_equal_iops() -> None:
    url = SF + ";minIops=1000;maxIops=2000;burstIops=4000"
    with pytest.raises(PoolUrlError) as err:
        parse_solidfire_shared(
            url, capacity_bytes=1, capacity_iops=1000, hypervisor="VMware", pool_name="p"
        )
    assert err.value.text == "'Datacenter' must be set for hypervisor type of VMware"
    with pytest.raises(PoolUrlError) as err:
        parse_solidfire_shared(
            url, capacity_bytes=1, capacity_iops=999, hypervisor="XenServer", pool_name="p"
        )
    assert (
        err.value.text == "The parameter 'capacityIops' must be equal to the parameter 'minIops'."
    )
    with pytest.raises(PoolUrlError) as err:
        parse_solidfire_shared(
            url, capacity_bytes=1, capacity_iops=1000, hypervisor="KVM", pool_name="p"
        )
    assert err.value.text == "KVM is not a supported hypervisor type."
    p = parse_solidfire_shared(
        url + ";datacenter=dc1",
        capacity_bytes=1,
        capacity_iops=1000,
        hypervisor="VMware",
        pool_name="p",
    )
    assert p.type == "VMFS" and p.path.startswith("/dc1/")
    assert p.details["minIops"] == "1000"


def test_solidfire_shared_iops_caps() -> None:
    url = SF + ";minIops=16000;maxIops=20000;burstIops=30000"
    with pytest.raises(PoolUrlError) as err:
        parse_solidfire_shared(
            url, capacity_bytes=1, capacity_iops=16000, hypervisor="XenServer", pool_name="p"
        )
    assert err.value.text == "This volume's Min IOPS cannot exceed 15,000 IOPS."
