"""validate refuses a SolidFire backend exactly when createStoragePool would.

``SolidFirePrimaryDataStoreLifeCycle.initialize`` (apache/cloudstack 4.18.2.5 and
4.22.1.0) holds clusterDefaultMinIops to ``SolidFireUtil.MIN_IOPS_PER_VOLUME`` (100)
..``MAX_MIN_IOPS_PER_VOLUME`` (15,000), clusterDefaultMaxIops to at most
``MAX_IOPS_PER_VOLUME`` (100,000) and not below the min, and the burst multiplier
to at least 1. Each case goes through both sides: the spec's rules (``specc.spec
.load``, as ``specc validate``) and the simulator's createStoragePool over HTTP with
the url the backend plug-in makes, so an error in validate means a refusal at apply
and no error means the pool is created (a spec that validates no longer stops apply
half way).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from ruamel.yaml import YAML

from specc.backends import BACKENDS
from specc.backends.base import PoolSite
from specc.core.steps import Concat, SecretParam
from specc.errors import Severity
from specc.sim import Simulator, running
from specc.spec import load
from specc.spec.models import Spec

_N = itertools.count(1)

SPEC: dict[str, Any] = {
    "subnets": [
        {"name": "mgmt", "cidr": "10.0.0.0/24", "role": "management", "gateway": "10.0.0.1"},
        {"name": "stor", "cidr": "10.0.1.0/24", "role": "storage"},
    ],
    "backends": [
        {"name": "sec1", "type": "nfs", "server": "10.0.0.21", "export": "/export/secondary"},
        {
            "name": "sf1",
            "type": "solidfire",
            "subnet": "stor",
            "mvip": "10.0.1.40",
            "svip": "10.0.1.41",
            "admin_user": "admin",
            "admin_password": {"env": "SF_PASSWORD"},
            "default_min_iops": 100,
            "default_max_iops": 1000,
        },
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
                {
                    "name": "sf",
                    "backend": "sf1",
                    "scope": "zone",
                    "hypervisor": "Any",
                    "capacity_bytes": 10**12,
                    "capacity_iops": 100_000,
                }
            ],
            "secondary_storage": [{"name": "ss1", "backend": "sec1"}],
        }
    ],
}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with running(api_version="4.18") as s:
        yield s


def _errors(doc: dict[str, Any], tmp_path: Path) -> list[str]:
    path = tmp_path / "spec.yaml"
    with path.open("w", encoding="utf-8") as out:
        YAML().dump(doc, out)
    result = load([path])
    return [d.code for d in result.diagnostics if d.severity is Severity.ERROR]


def _url(doc: dict[str, Any]) -> str:
    """The createStoragePool url the plug-in makes, the password filled in."""
    spec = Spec.model_validate(doc)
    backend = spec.backends[1]
    pool = spec.zones[0].primary_storage[0]
    url = BACKENDS[backend.type].pool(backend, pool, PoolSite()).url
    assert isinstance(url, Concat)
    return "".join("pw" if isinstance(p, SecretParam) else str(p) for p in url.parts)


def _created(sim: Simulator, url: str) -> tuple[bool, str]:
    api = CloudStack(
        endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key, fetch_result=True
    )
    n = next(_N)
    zone = api.createZone(
        name=f"zsf{n}", dns1="8.8.8.8", internaldns1="10.0.0.1", networktype="Advanced"
    )["zone"]
    try:
        api.createStoragePool(
            zoneid=zone["id"],
            name=f"sf{n}",
            scope="zone",
            hypervisor="Any",
            provider="SolidFire",
            managed=True,
            capacitybytes=10**12,
            capacityiops=100_000,
            url=url,
        )
    except CloudStackApiException as err:
        return False, str(err.error.get("errortext"))
    return True, ""


@pytest.mark.parametrize(
    ("default_min", "default_max", "burst"),
    [
        (100, 1_000, 1.5),
        (99, 1_000, 1.5),  # below MIN_IOPS_PER_VOLUME
        (15_000, 15_000, 1.0),
        (15_001, 20_000, 1.5),  # above MAX_MIN_IOPS_PER_VOLUME
        (100, 100_000, 2.0),
        (100, 100_001, 1.5),  # above MAX_IOPS_PER_VOLUME
        (100, 150_000, 1.5),  # the 150,000 that used to pass validate and fail apply
        (2_000, 1_000, 1.5),  # min above max
    ],
)
def test_solidfire_initialize_limits_refused_by_validate_iff_by_the_server(
    sim: Simulator, tmp_path: Path, default_min: int, default_max: int, burst: float
) -> None:
    doc = copy.deepcopy(SPEC)
    doc["backends"][1].update(
        default_min_iops=default_min,
        default_max_iops=default_max,
        default_burst_multiplier=burst,
    )
    errors = _errors(doc, tmp_path)
    created, text = _created(sim, _url(doc))
    assert (errors == []) is created, (errors, text)
    if not created:
        assert "clusterDefault" in text
