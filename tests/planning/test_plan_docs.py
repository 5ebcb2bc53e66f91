"""docs/plan.md carries the kinds' field tables exactly as the code declares them."""

from __future__ import annotations

from plan_helpers import REPO, field_tables_markdown


def test_docs_field_tables_match_the_kind_modules() -> None:
    doc = (REPO / "docs" / "plan.md").read_text(encoding="utf-8")
    assert doc.endswith(field_tables_markdown())
