"""The PowerFlex backend: the pool URL the server reads back, its rules' edges, its
checks and warnings. (The contract, its negative specs, its example's plan, scripts
and runbook are checked with every other backend's.)

Sources: apache/cloudstack 4.18.2.5 / 4.22.1.0 ``ScaleIOPrimaryDataStoreLifeCycle
.initialize`` (the url), ui/src/views/infra/AddPrimaryStorage.vue ``powerflexURL``
(encodeURIComponent of user, password and pool).
"""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from specc.backends import BACKENDS
from specc.backends.base import PoolSite
from specc.backends.powerflex import PowerFlexBackend, uri_component
from specc.execute.secrets import Masker, SecretResolver
from specc.hosts.topology import pool_uses
from specc.sim.providers.powerflex_uri import java_split_colon, parse_powerflex_url
from specc.spec.models import Spec
from specc.spec.rules import Finding

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "powerflex-kvm.yaml"
PLUGIN = BACKENDS["powerflex"]


def doc() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(EXAMPLE.read_text("utf-8"))
    return loaded


def url_of(data: dict[str, Any], password: str) -> str:
    """The createStoragePool url of the example's first pool, with its secret resolved
    as the executor resolves it."""
    spec = Spec.model_validate(data)
    backend = spec.backends[0]
    pool = spec.zones[0].primary_storage[0]
    made = PLUGIN.pool(backend, pool, PoolSite())
    env = {"POWERFLEX_GATEWAY_PASSWORD": password}
    return str(SecretResolver(env, ROOT, Masker()).resolve(made.url, {}))


@pytest.mark.parametrize("password", ["plain", "P@ss/w0rd=+%?#&", "ünï cødé", "a'b\"c(d)*!~"])
def test_the_url_reads_back_as_the_spec_wrote_it(password: str) -> None:
    data = doc()
    be = data["backends"][0]
    be.update(user="svc cs@corp", storage_pool="pool 1+x/y", gateway_port=8443)
    url = url_of(data, password)
    assert password not in url or password == "plain"
    read = parse_powerflex_url(url)
    assert (read.host, read.port) == ("pfgw.example.internal", 8443)
    assert read.userinfo is not None
    assert java_split_colon(read.userinfo) == ["svc cs@corp", password]
    assert read.pool == "pool 1+x/y"
    assert read.gateway_api_url == "https://pfgw.example.internal:8443/api"


def test_a_colon_in_the_password_is_cut_by_the_server() -> None:
    # Why the preflight check exists: userInfo.split(":")[1] is the text up to the next ':'.
    read = parse_powerflex_url(url_of(doc(), "abc:def"))
    assert read.userinfo is not None
    assert java_split_colon(read.userinfo)[1] == "abc"


@pytest.mark.parametrize("password", ["abc:def", "safe-one"])
def test_the_preflight_check_catches_a_colon(password: str) -> None:
    spec = Spec.model_validate(doc())
    checks = PLUGIN.preflight_checks(spec, spec.backends[0], pool_uses(spec))
    check = next(c for c in checks if c.id == "preflight:powerflex-password:pflex1")
    proc = subprocess.run(
        ["bash", "-c", check.command],
        env={"POWERFLEX_GATEWAY_PASSWORD": password, "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert (proc.returncode == 0) is (":" not in password)


def test_uri_component_is_encode_uri_component() -> None:
    # encodeURIComponent leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) and encodes the rest (UTF-8).
    kept = "AZaz09-_.!~*'()"
    assert uri_component(kept) == kept
    assert uri_component(' /?#[]@:$&+,;=%"<>\\^`{|}é') == (
        "%20%2F%3F%23%5B%5D%40%3A%24%26%2B%2C%3B%3D%25%22%3C%3E%5C%5E%60%7B%7C%7D%C3%A9"
    )


def test_the_checks_name_the_secret_never_its_value() -> None:
    data = doc()
    spec = Spec.model_validate(data)
    checks = [
        *PLUGIN.preflight_checks(spec, spec.backends[0], pool_uses(spec)),
        *PLUGIN.verification_checks(spec, spec.backends[0], pool_uses(spec)),
    ]
    ids = [c.id for c in checks]
    assert ids == [
        "preflight:powerflex-gateway:pflex1",
        "preflight:powerflex-password:pflex1",
        "check:powerflex-sdc:kvm-pf1",
        "check:powerflex-sdc:kvm-pf2",
        "check:powerflex-sdcs:pflex1",
    ]
    gateway = checks[0].command
    assert '"$POWERFLEX_GATEWAY_PASSWORD"' in gateway and "/api/login" in gateway
    data["backends"][0]["password"] = {"file": "/etc/specc/pf-password"}
    spec = Spec.model_validate(data)
    (login, colon) = PLUGIN.preflight_checks(spec, spec.backends[0], pool_uses(spec))
    assert '"$(cat /etc/specc/pf-password)"' in login.command
    assert colon.command == "! grep -q : /etc/specc/pf-password"


def _codes(data: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
    spec = Spec.model_validate(data)
    found: list[Finding] = [f for rule in PLUGIN.rules for f in rule(spec)]
    return [(f.code, f.path) for f in found]


def test_the_example_breaks_no_rule() -> None:
    assert _codes(doc()) == []


def test_one_backend_in_two_zones_is_one_powerflex_pool_twice() -> None:
    data = doc()
    zone2 = copy.deepcopy(data["zones"][0])
    zone2["name"] = "zone-pf2"
    zone2["pods"] = []
    zone2["primary_storage"][0]["name"] = "pflex-zone2"
    data["zones"].append(zone2)
    assert _codes(data) == [("SPC413", ("zones", 1, "primary_storage", 0, "backend"))]
    data["backends"].append(dict(data["backends"][0], name="pflex2", storage_pool="cs-pool02"))
    zone2["primary_storage"][0]["backend"] = "pflex2"
    assert _codes(data) == []


@pytest.mark.parametrize(
    ("gateway", "ok"),
    [
        ("10.60.0.40", True),
        ("pfgw", True),
        ("1gw", True),  # one label may start with a digit (URI.parseHostname)
        ("pf-gw01.lab.example.", True),
        ("gw.1lab", False),  # the last of several labels must start with a letter
        ("10.60.0.256", False),
        ("pf_gw", False),
        ("gw-.lab", False),
    ],
)
def test_the_gateway_is_a_host_java_net_uri_parses(gateway: str, ok: bool) -> None:
    # What the rule refuses, the server cannot read a host (or user info) from.
    data = doc()
    data["backends"][0]["gateway"] = gateway
    want = [] if ok else [("SPC414", ("backends", 0, "gateway"))]
    assert _codes(data) == want
    if ok:
        made = parse_powerflex_url(url_of(data, "pw"))
        assert made.host == gateway and made.userinfo == "cloudstack:pw"
    else:
        assert parse_powerflex_url(url_of(data, "pw")).host is None


def test_sizes_on_powerflex_are_checked_on_disk_and_root_disks_only_there() -> None:
    data = doc()
    data["offerings"]["disk"][0]["size_gb"] = 60
    data["offerings"]["compute"][0]["root_disk_size_gb"] = 50
    assert _codes(data) == [
        ("SPC415", ("offerings", "disk", 0, "size_gb")),
        ("SPC415", ("offerings", "compute", 0, "root_disk_size_gb")),
    ]
    data["offerings"]["disk"][0]["storage_tags"] = ["OTHER"]  # lands on no PowerFlex pool
    data["offerings"]["compute"][0]["storage_tags"] = ["OTHER"]
    assert _codes(data) == []


def test_zone_wide_kvm_is_not_flagged_as_a_cluster_rule() -> None:
    data = doc()
    data["zones"][0]["pods"][0]["clusters"].append(
        {
            "name": "xen",
            "hypervisor": "XenServer",
            "hosts": [{"name": "x1", "address": "10.60.0.31"}],
        }
    )
    assert _codes(data) == []  # a zone-wide KVM pool never reaches the XenServer cluster


def _warnings(version: tuple[int, ...]) -> tuple[str, ...]:
    spec = Spec.model_validate(doc())
    uses = tuple(u for u in pool_uses(spec) if isinstance(u.backend, PowerFlexBackend))
    return PLUGIN.warnings(spec, spec.backends[0], uses, version)


@pytest.mark.parametrize(
    ("version", "strict", "mdms", "on_demand"),
    [
        ((4, 18), True, False, False),
        ((4, 19), True, False, False),
        ((4, 19, 1), False, False, False),
        ((4, 21), False, True, False),
        ((4, 22), False, True, True),
    ],
)
def test_warnings_follow_the_version(
    version: tuple[int, ...], strict: bool, mdms: bool, on_demand: bool
) -> None:
    # attach* demand connected SDCs and Up hosts before PR #9268 (4.19.1.0); the server
    # adds the gateway's MDMs from PR #9903 (4.21.0.0); powerflex.connect.on.demand
    # defaults to true from 4.22.0.0.
    text = "\n".join(_warnings(version))
    assert "8 GiB units" in text and "split at ':'" in text
    assert ("not accessible to hosts" in text) is strict
    assert ("powerflex.storagepool.mdms" in text) is mdms
    assert ("powerflex.connect.on.demand" in text) is on_demand


def test_no_pool_no_warning_and_no_check() -> None:
    data = doc()
    data["zones"][0]["primary_storage"] = []
    data["offerings"] = {}
    spec = Spec.model_validate(data)
    backend = spec.backends[0]
    assert PLUGIN.warnings(spec, backend, (), (4, 18)) == ()
    assert PLUGIN.preflight_checks(spec, backend, ()) == ()
    assert PLUGIN.verification_checks(spec, backend, ()) == ()


def test_a_port_goes_in_gateway_port() -> None:
    data = doc()
    data["backends"][0]["gateway"] = "pfgw.example.internal:8443"
    assert _codes(data) == [("SPC414", ("backends", 0, "gateway"))]
