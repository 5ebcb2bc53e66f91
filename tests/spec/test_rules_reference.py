"""docs/spec-reference.md is generated from the model and the rules: it must be current."""

from __future__ import annotations

import re
from pathlib import Path

import spec_reference

DOC = Path(__file__).resolve().parents[2] / "docs" / "spec-reference.md"


def test_reference_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == spec_reference.render(), (
        "regenerate: python tests/spec/spec_reference.py > docs/spec-reference.md"
    )


def test_reference_documents_every_model_and_rule_code() -> None:
    text = spec_reference.render()
    schema_defs = spec_reference.spec_schema()["$defs"]
    for name in schema_defs:
        assert f"### {name}\n" in text, name
    rows = set(re.findall(r"^\| (SPC\d{3}) \| (?:error|warning) \|", text, re.M))
    assert rows == set(spec_reference.severities()) - {
        c for c in spec_reference.severities() if c < "SPC200"
    }


def test_every_field_is_described() -> None:
    undescribed = [
        line
        for line in spec_reference.render().splitlines()
        if line.startswith("| `") and line.endswith("|  |")
    ]
    assert undescribed == []
