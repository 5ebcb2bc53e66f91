"""The storage backend plug-in contract, checked for every entry of ``BACKENDS``.

A new backend passes (or fails) these without a line changed here: its key is its
model's ``type`` Literal, the spec's JSON Schema (generated and checked in) carries
it in the backends union, it declares a provider, scopes and hypervisors, its rule
codes are its own and each has a negative spec, its roles are consistent, and, on
the backends of the spec files under ``examples/`` and ``tests/``, its storage
addresses point at the fields that hold them and its pool URL comes out.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
from ruamel.yaml import YAML

from specc.backends import BACKENDS, _by_type
from specc.backends.base import BackendModel, PoolParams, PoolSite, StorageBackend
from specc.core.steps import Concat
from specc.hosts.roles import STORAGE_NETWORK, HostRole, Role
from specc.spec.models import PrimaryStorage, Spec
from specc.spec.rules.registry import ALL_RULES, BACKEND_RULES
from specc.spec.schema import spec_schema
from specc.spec.types import HYPERVISORS

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "schemas" / "specc-v1.schema.json"
CORPUS = ROOT / "tests" / "spec" / "negative"
SPEC_FILES = sorted(
    [
        *(ROOT / "examples").glob("*.yaml"),
        *(ROOT / "tests" / "hosts" / "specs").glob("*.yaml"),
        *CORPUS.glob("*.yaml"),
    ]
)
TYPES = sorted(BACKENDS)


def _codes(rule: Any) -> set[str]:
    return set(re.findall(r'"(SPC\d{3})"', inspect.getsource(rule)))


def _samples() -> dict[str, list[dict[str, Any]]]:
    """Backend entries by type, from every spec file whose entry the model accepts."""
    yaml = YAML(typ="safe")
    found: dict[str, list[dict[str, Any]]] = {}
    for path in SPEC_FILES:
        try:
            doc = yaml.load(path.read_text("utf-8"))
        except Exception:  # the corpus holds broken YAML on purpose
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("backends"), list):
            continue
        for entry in doc["backends"]:
            plugin = BACKENDS.get(entry.get("type")) if isinstance(entry, dict) else None
            if plugin is None:
                continue
            try:
                plugin.model.model_validate(entry)
            except ValueError:
                continue
            found.setdefault(plugin.type, []).append(entry)
    return found


SAMPLES = _samples()
CASES = [(t, e) for t in TYPES for e in SAMPLES.get(t, [])]


@pytest.mark.parametrize("key", TYPES)
def test_key_is_the_models_type_literal(key: str) -> None:
    plugin = BACKENDS[key]
    assert isinstance(plugin, StorageBackend)
    assert plugin.type == key
    assert issubclass(plugin.model, BackendModel)
    annotation = plugin.model.model_fields["type"].annotation
    assert get_origin(annotation) is Literal
    assert get_args(annotation) == (key,)


@pytest.mark.parametrize("key", TYPES)
def test_model_is_in_the_schemas_backend_union(key: str) -> None:
    name = BACKENDS[key].model.__name__
    ref = f"#/$defs/{name}"
    for schema in (spec_schema(), json.loads(SCHEMA_FILE.read_text("utf-8"))):
        union = schema["properties"]["backends"]["items"]
        assert union["discriminator"]["mapping"][key] == ref
        assert {"$ref": ref} in union["oneOf"]
        assert schema["$defs"][name]["properties"]["type"]["const"] == key


def test_the_union_is_the_registry() -> None:
    union = spec_schema()["properties"]["backends"]["items"]
    assert list(union["discriminator"]["mapping"]) == sorted(BACKENDS)
    names = [o["$ref"].rsplit("/", 1)[1] for o in union["oneOf"]]
    assert names == [p.model.__name__ for p in BACKENDS.values()]


@pytest.mark.parametrize("key", TYPES)
def test_declares_provider_scopes_and_hypervisors(key: str) -> None:
    plugin = BACKENDS[key]
    assert isinstance(plugin.provider, str) and plugin.provider
    assert plugin.managed in (None, True, False)
    assert plugin.scopes and plugin.scopes <= {"cluster", "zone"}
    assert plugin.hypervisors and plugin.hypervisors <= HYPERVISORS
    overrides_store = type(plugin).image_store is not StorageBackend.image_store
    assert plugin.image_store_capable == overrides_store


@pytest.mark.parametrize("key", TYPES)
def test_host_roles_fit_the_backends_hypervisors(key: str) -> None:
    plugin = BACKENDS[key]
    for role in plugin.roles:
        assert isinstance(role, Role) and role.rollback
        if isinstance(role, HostRole):
            assert role.hypervisors <= plugin.hypervisors, role.name


def test_a_role_name_is_one_role() -> None:
    by_name: dict[str, Role] = {STORAGE_NETWORK.name: STORAGE_NETWORK}
    for plugin in BACKENDS.values():
        for role in plugin.roles:
            assert by_name.setdefault(role.name, role) is role, role.name


def test_rule_codes_belong_to_one_backend_and_have_a_negative_spec() -> None:
    owner: dict[str, str] = {}
    for plugin in BACKENDS.values():
        for rule in plugin.rules:
            for code in _codes(rule):
                assert owner.setdefault(code, plugin.type) == plugin.type, code
    cross_cutting = {c for r in ALL_RULES if r not in BACKEND_RULES for c in _codes(r)}
    assert not cross_cutting & set(owner)
    corpus = {p.name[:6] for p in CORPUS.iterdir()}
    assert sorted(set(owner) - corpus) == []


def test_the_rule_registry_runs_every_backend_rule_once() -> None:
    expected = [r for p in BACKENDS.values() for r in p.rules]
    assert list(BACKEND_RULES) == expected
    assert all(ALL_RULES.count(r) == 1 for r in expected)


def test_a_type_is_registered_once() -> None:
    nfs = BACKENDS["nfs"]
    with pytest.raises(ValueError, match="same type"):
        _by_type(nfs, nfs)


@pytest.mark.parametrize("key", TYPES)
def test_every_backend_is_used_by_a_spec_file(key: str) -> None:
    assert SAMPLES.get(key), f"no spec file under examples/ or tests/ declares a {key} backend"


def _walk(entry: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        entry = entry[step]
    return entry


@pytest.mark.parametrize(("key", "entry"), CASES, ids=[f"{t}-{e['name']}" for t, e in CASES])
def test_storage_addresses_point_at_their_field(key: str, entry: dict[str, Any]) -> None:
    backend = BACKENDS[key].model.model_validate(entry)
    for at in backend.storage_addresses():
        assert at.field == at.path[0]
        written = str(_walk(entry, at.path))
        assert written == at.address or written.startswith(at.address + ":"), (at, written)


@pytest.mark.parametrize(("key", "entry"), CASES, ids=[f"{t}-{e['name']}" for t, e in CASES])
def test_pool_gives_a_url(key: str, entry: dict[str, Any]) -> None:
    plugin = BACKENDS[key]
    backend = Spec.model_validate({"backends": [entry]}).backends[0]
    assert type(backend) is plugin.model
    for scope in sorted(plugin.scopes):
        pool = PrimaryStorage(name="p", backend=backend.name, scope=scope)  # type: ignore[arg-type]
        made = plugin.pool(backend, pool, PoolSite())
        assert isinstance(made, PoolParams)
        assert made.url and isinstance(made.url, str | Concat)
