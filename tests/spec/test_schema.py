"""The checked-in JSON Schema is the model's, and it accepts the examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from specc.spec.loader import load_documents
from specc.spec.schema import DRAFT, REGENERATE, schema_text, spec_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "schemas" / "specc-v1.schema.json"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def test_checked_in_schema_is_up_to_date() -> None:
    on_disk = SCHEMA_FILE.read_text("utf-8")
    assert on_disk == schema_text(), f"schemas/specc-v1.schema.json is stale: run `{REGENERATE}`"


def test_schema_is_a_valid_draft_2020_12_schema_with_descriptions() -> None:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT
    assert schema["$id"].endswith("specc-v1.schema.json")
    assert schema["additionalProperties"] is False
    ceph = schema["$defs"]["CephBackend"]
    assert "RBD" in ceph["description"]
    assert ceph["properties"]["monitor_dns"]["description"]
    assert schema["properties"]["backends"]["items"]["discriminator"]["propertyName"] == "type"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_satisfy_the_checked_in_schema(path: Path) -> None:
    """What an editor using the `# yaml-language-server: $schema=` line would check."""
    assert path.read_text("utf-8").startswith("# yaml-language-server: $schema=")
    loaded = load_documents([path])
    assert loaded.data is not None
    validator = Draft202012Validator(json.loads(SCHEMA_FILE.read_text("utf-8")))
    assert [e.message for e in validator.iter_errors(loaded.data)] == []


def test_schema_rejects_an_inline_secret() -> None:
    validator = Draft202012Validator(spec_schema())
    bad = {
        "backends": [
            {
                "name": "c",
                "type": "ceph",
                "monitors": ["10.0.0.1"],
                "pool": {"name": "rbd"},
                "secret": "AQBsecret==",
            }
        ]
    }
    assert not validator.is_valid(bad)
    bad["backends"][0]["secret"] = {"env": "CEPH_KEY"}  # type: ignore[index]
    assert validator.is_valid(bad)
