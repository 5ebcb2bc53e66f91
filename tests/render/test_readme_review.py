"""The README's plan excerpt and Mermaid graph are what specc prints today."""

from __future__ import annotations

from pathlib import Path

from review_helpers import NFS, REPO, specc

README = (REPO / "README.md").read_text(encoding="utf-8")
SECTION = README.split("### Reviewing a plan", 1)[1].split("\n### ", 1)[0]


def test_the_plan_excerpt_is_in_the_real_plan_in_order(tmp_path: Path) -> None:
    excerpt = SECTION.split("```text\n", 1)[1].split("\n```", 1)[0].splitlines()
    plan = specc("plan", NFS, "--sim", cwd=tmp_path).stdout.splitlines()
    at = 0
    for line in excerpt:
        if line == "  ...":
            continue
        assert line in plan[at:], line
        at = plan.index(line, at) + 1


def test_the_mermaid_graph_is_the_markdown_plans(tmp_path: Path) -> None:
    shown = SECTION.split("```mermaid\n", 1)[1].split("```", 1)[0]
    markdown = specc("plan", NFS, "--sim", "--format", "markdown", cwd=tmp_path).stdout
    assert shown == markdown.split("```mermaid\n", 1)[1].split("```", 1)[0]
