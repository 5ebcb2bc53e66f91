"""``specc graph``: Mermaid, DOT and SVG from a spec or a saved plan (issue 14, point 4)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from review_helpers import NFS, specc


def test_mermaid_of_a_spec_has_every_resource_and_the_chain_without_shortcuts(
    tmp_path: Path,
) -> None:
    run = specc("graph", NFS, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "flowchart LR"
    ids = {
        line.split('["')[1].rstrip('"]'): line.split("[")[0].strip()
        for line in lines
        if '["' in line
    }
    zone, pod = ids["zone:zone1"], ids["pod:zone1/pod1"]
    cluster = ids["cluster:zone1/pod1/kvm1"]
    assert f"  {zone} --> {pod}" in lines
    assert f"  {pod} --> {cluster}" in lines
    assert f"  {zone} --> {cluster}" not in lines  # implied by the chain


def test_a_saved_plan_draws_its_changes_by_action(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    made = specc("plan", NFS, "--sim", "-o", plan, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    mermaid = specc("graph", plan, cwd=tmp_path).stdout
    assert '["+ zone:zone1"]' in mermaid
    assert '["~ configuration:expunge.delay"]' in mermaid
    assert "classDef create fill:#e6ffed" in mermaid
    dot = specc("graph", plan, "--format", "dot", cwd=tmp_path).stdout
    assert dot.startswith("digraph specc {")
    assert '"zone:zone1" -> "pod:zone1/pod1";' in dot


def test_the_markdown_plan_embeds_the_mermaid_graph(tmp_path: Path) -> None:
    md = specc("plan", NFS, "--sim", "--format", "markdown", cwd=tmp_path).stdout
    assert "<details><summary>Dependency graph (23 resources)</summary>" in md
    block = md.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block.startswith("flowchart LR\n") and '["+ zone:zone1"]' in block


def test_svg_is_drawn_by_graphviz(tmp_path: Path) -> None:
    assert shutil.which("dot"), "Graphviz's dot is not installed (.ci/run installs graphviz)"
    out = tmp_path / "graph.svg"
    run = specc("graph", NFS, "--format", "svg", "-o", out, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    root = ElementTree.parse(out).getroot()
    assert root.tag.endswith("svg")
    texts = {t.text for t in root.iter() if t.tag.endswith("text")}
    assert "zone:zone1" in texts


def test_svg_without_graphviz_is_a_clear_error(tmp_path: Path) -> None:
    """With no ``dot`` on the PATH, one error line says what to install."""
    run = subprocess.run(
        [sys.executable, "-m", "specc.cli", "graph", str(NFS), "--format", "svg"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env={"PATH": str(tmp_path), "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert run.returncode == 1
    assert "needs Graphviz's `dot`" in run.stderr and "apt-get install graphviz" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_spec_with_a_cloud_is_planned_then_drawn(tmp_path: Path) -> None:
    run = specc("graph", NFS, "--sim", "--format", "dot", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert '"zone:zone1" [label="+ zone:zone1", fillcolor="#e6ffed"];' in run.stdout
    assert '[label="~ configuration:expunge.delay", fillcolor="#fff5b1"]' in run.stdout
    bad = specc("graph", tmp_path / "nothing.json", cwd=tmp_path)
    assert bad.returncode == 1 and "no such file" in bad.stderr
