"""The StorPool backend: its createStoragePool call, its rules where a corpus file is
awkward (boundaries, messages), its checks and its runbook warnings.

The facts come from apache/cloudstack plugins/storage/volume/storpool (4.18.2.5,
4.22.1.0): ``StorPoolPrimaryDataStoreLifeCycle`` (LC), ``StorPoolUtil``; each test
says which. The corpus files (tests/spec/negative/SPC420-SPC425) hold one case
per code.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import specc
from specc.backends import BACKENDS
from specc.backends.base import PoolSite
from specc.cloud.state import LiveState
from specc.core.steps import ApiCall, Concat, SecretParam
from specc.hosts.collect import preflight_checks, verification_checks
from specc.hosts.warnings import domain_warnings
from specc.spec import require
from specc.spec.models import Spec
from specc.spec.rules import Finding
from specc.spec.rules.registry import ALL_RULES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "storpool-kvm.yaml"


def example() -> dict[str, Any]:
    v = require([EXAMPLE])
    assert v.spec is not None
    return v.spec.model_dump(mode="json", exclude_none=True)


def findings(doc: dict[str, Any], code: str) -> list[Finding]:
    spec = Spec.model_validate(doc)
    return [f for rule in ALL_RULES for f in rule(spec) if f.code == code]


def test_the_plugin_is_zone_wide_kvm_and_unmanaged() -> None:
    # LC.attachCluster/attachZone: zone-wide, KVM; LC.initialize: setManaged(false).
    plugin = BACKENDS["storpool"]
    assert (plugin.provider, plugin.managed, plugin.checks_fit) == ("StorPool", False, True)
    assert (plugin.scopes, plugin.hypervisors) == (frozenset({"zone"}), frozenset({"KVM"}))


def test_create_storage_pool_carries_the_url_with_the_token_as_a_reference() -> None:
    # README: url SP_API_HTTP=address:port;SP_AUTH_TOKEN=token;SP_TEMPLATE=template_name;
    # LC.initialize requires capacityBytes.
    v = require([EXAMPLE])
    plan = specc.plan(v, LiveState("4.18.2.0", {}))
    call = next(
        s for s in plan.steps if isinstance(s, ApiCall) and s.command == "createStoragePool"
    )
    p = call.params
    assert (p["provider"], p["scope"], p["hypervisor"], p["managed"]) == (
        "StorPool",
        "zone",
        "KVM",
        False,
    )
    assert (p["capacitybytes"], p["tags"]) == (21990232555520, "STORPOOL")
    assert p["url"] == Concat(
        (
            "SP_API_HTTP=10.31.0.50:81;SP_AUTH_TOKEN=",
            SecretParam("env", "STORPOOL_AUTH_TOKEN"),
            ";SP_TEMPLATE=cloudstack-ssd",
        )
    )


def test_the_api_port_defaults_to_81() -> None:
    # The port of the plug-in's own tests (test/integration/plugins/storpool/storpool.cfg).
    doc = example()
    del doc["backends"][0]["api_port"]
    spec = Spec.model_validate(doc)
    made = BACKENDS["storpool"].pool(spec.backends[0], spec.zones[0].primary_storage[0], PoolSite())
    assert isinstance(made.url, Concat) and made.url.parts[0] == (
        "SP_API_HTTP=10.31.0.50:81;SP_AUTH_TOKEN="
    )


@pytest.mark.parametrize(
    ("version", "says"),
    [
        ("4.16.1", "has no StorPool plug-in"),
        ("4.17", "stores StorPool pools as SharedMountPoint"),
        ("4.17.0", "stores StorPool pools as SharedMountPoint"),
        ("4.17.1", None),
        ("4.22", None),
    ],
)
def test_storpool_needs_4_17_1(version: str, says: str | None) -> None:
    # 4.17.0.0's LC.initialize setType(SharedMountPoint); 4.17.1.0's setType(StorPool).
    doc = example()
    doc["cloudstack"]["version"] = version
    found = findings(doc, "SPC424")
    if says is None:
        assert found == []
    else:
        assert len(found) == 1 and says in found[0].message
        assert found[0].path == ("backends", 0, "type")


def test_two_backends_on_one_endpoint_and_template_are_one_pool_too_many() -> None:
    # LC.initialize compares SP_API_HTTP_HOST (host:port) and SP_TEMPLATE of every
    # StorPool pool, whatever the backend's name in the spec.
    doc = example()
    twin = copy.deepcopy(doc["backends"][0]) | {"name": "storpool2"}
    doc["backends"].append(twin)
    pool = copy.deepcopy(doc["zones"][0]["primary_storage"][0])
    doc["zones"][0]["primary_storage"].append(pool | {"name": "sp-2", "backend": "storpool2"})
    found = findings(doc, "SPC423")
    assert [f.path for f in found] == [("zones", 0, "primary_storage", 1, "backend")]
    assert "as pool 'storpool-ssd' (zone 'zone-sp') already does" in found[0].message
    twin["api_port"] = 8181  # another endpoint: another StorPool cluster for the plug-in
    assert findings(doc, "SPC423") == []


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("template", "gold;x", "contains ';'"),
        ("template", "has space", "contains ' '"),
        ("template", "a?b", "contains '?'"),
        ("api_host", "10.31.0.50:81", "is not a host name or IPv4 address"),
        ("api_host", "sp-api.example.internal", None),
        ("template", "cloudstack-ssd_2.x", None),
    ],
)
def test_url_values(field: str, value: str, says: str | None) -> None:
    # StorPoolUtil.SpConnectionDesc splits the url on ';' and '='; spApiRequest puts
    # the host and the template unencoded into http://<host:port>/ctrl/1.0/...
    doc = example()
    doc["backends"][0][field] = value
    found = findings(doc, "SPC422")
    if says is None:
        assert found == []
    else:
        assert len(found) == 1 and says in found[0].message


def test_the_api_endpoint_is_the_storage_address() -> None:
    # The subnet rules check it: an API outside the backend's storage subnet is SPC309.
    doc = example()
    doc["backends"][0]["api_host"] = "10.30.0.50"
    found = findings(doc, "SPC309")
    assert [f.path for f in found] == [("backends", 0, "api_host")]


def test_checks_name_the_template_call_and_each_host() -> None:
    spec = Spec.model_validate(example())
    pre = {c.id: c for c in preflight_checks(spec)}
    call = pre["preflight:storpool-template:storpool1"].command
    assert call == (
        'curl -sS -H "Authorization: Storpool v1:${STORPOOL_AUTH_TOKEN}" '
        "http://10.31.0.50:81/ctrl/1.0/VolumeTemplateDescribe/cloudstack-ssd"
    )
    assert {f"preflight:storpool-client:kvm-s{i}" for i in (1, 2, 3)} <= set(pre)
    after = {c.id for c in verification_checks(spec)}
    assert "check:storpool-connected:kvm-s2:storpool1" in after
    doc = example()
    doc["backends"][0]["auth_token"] = {"file": "/etc/specc/storpool token"}
    pre = {c.id: c for c in preflight_checks(Spec.model_validate(doc))}
    assert (
        "v1:$(cat '/etc/specc/storpool token')"
        in pre["preflight:storpool-template:storpool1"].command
    )


def test_the_ha_warning_from_4_19() -> None:
    # KVMStoragePoolManager.createStoragePool hands pools with isPoolSupportHA() to the
    # HA monitor from 4.19.0.0; StorPoolStoragePool.isPoolSupportHA() is true.
    spec = Spec.model_validate(example())
    assert not any("heartbeat" in w for w in domain_warnings(spec, "4.18.2.0"))
    assert any("kvmspheartbeat.sh -c" in w for w in domain_warnings(spec, "4.19.0.0"))
    assert any("'=' or ';'" in w for w in domain_warnings(spec))
