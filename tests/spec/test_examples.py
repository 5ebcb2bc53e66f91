"""Every example under examples/ validates clean: no error, no warning, no info."""

from __future__ import annotations

from pathlib import Path

import pytest

from specc.spec import load

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXPECTED = {
    "nfs-baseline",
    "ceph-rbd-kvm",
    "solidfire-vmware",
    "solidfire-xenserver",
    "solidfire-kvm",
    "solidfire-shared",
    "ocfs2-san-kvm",
    "storage-network",
    "direct-download",
    "production",
}
SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/specc-v1.schema.json"


def _examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def test_one_example_per_system() -> None:
    assert {p.stem for p in _examples()} >= EXPECTED


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.stem)
def test_example_is_clean(path: Path) -> None:
    result = load([path], strict=True)
    shown = [f"{d.location} {d.code} {d.message}" for d in result.diagnostics]
    assert shown == []
    assert result.ok
    assert result.spec is not None


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.stem)
def test_example_names_the_schema(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.stem)
def test_example_keeps_secrets_as_references(path: Path) -> None:
    """Every password/secret/key field is an {env:} or {file:} reference."""
    result = load([path])
    assert result.spec is not None
    dumped = result.spec.model_dump(mode="json")

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in {"password", "admin_password", "secret", "ssh_key"} and v is not None:
                    assert isinstance(v, dict) and set(v) <= {"env", "file"}, (path, k, v)
                walk(v, k)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)

    walk(dumped)


def test_examples_cover_every_backend_type() -> None:
    types: set[str] = set()
    for path in _examples():
        result = load([path])
        assert result.spec is not None
        types |= {b.type for b in result.spec.backends}
    assert {"nfs", "ceph", "solidfire", "solidfire-shared", "ocfs2"} <= types
