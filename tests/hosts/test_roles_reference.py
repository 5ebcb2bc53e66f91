"""docs/hosts.md's role table is the one the roles generate (tests/hosts/roles_reference.py)."""

from __future__ import annotations

from hosts.roles_reference import BEGIN, DOC, END, roles, with_table


def test_every_role_documents_itself() -> None:
    for r in roles():
        assert r.runs_on.strip() and r.does.strip(), r.name
        assert "|" not in r.runs_on + r.does, r.name  # a cell of a Markdown table
        assert r.id_pattern.startswith(f"script:{r.name}:"), r.name


def test_the_role_table_is_up_to_date() -> None:
    doc = DOC.read_text("utf-8")
    assert doc.count(BEGIN) == 1 and doc.count(END) == 1
    assert doc == with_table(doc), "run: python tests/hosts/roles_reference.py"
