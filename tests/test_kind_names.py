"""Only a kind's own module knows it by name (specc/cloud/kinds/).

The reader, the differ, the compiler, the executor and the renderers take what is
particular to a kind from its ``Kind`` (phase, parents, listing, delete rules,
hooks): none of them compares a kind name with a string literal, and none keeps a
table keyed by kind names (``PHASES``, ``PARENT_FIELDS``, ``LIST_ARGS`` were such
tables). The check walks the syntax tree of every module outside the kinds.

Left out: ``specc/sim`` is the CloudStack side (the simulator's own entities), and
``specc/spec`` and ``specc/backends`` speak the spec's vocabulary (an image section
is ``template`` or ``iso`` there, a pool's scope ``cluster`` or ``zone``: not
resource kinds). ``specc/importer`` is the graph builder's inverse: it turns the
items of each kind back into the spec section that builds them, so it names the
kinds as the builder does (and tables which kinds make which section).
"""

from __future__ import annotations

import ast
from pathlib import Path

from specc.cloud.kinds import KINDS

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "specc"
OWN = PACKAGE / "cloud" / "kinds"
OTHER_SIDES = (PACKAGE / "sim", PACKAGE / "spec", PACKAGE / "backends", PACKAGE / "importer")
NAMES = frozenset(KINDS)


def _modules() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if not p.is_relative_to(OWN) and not any(p.is_relative_to(d) for d in OTHER_SIDES)
    )


def _kind_literals(node: ast.expr) -> list[str]:
    """The kind names *node* spells as literals (a string, or a tuple/list/set of them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if node.value in NAMES else []
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [name for elt in node.elts for name in _kind_literals(elt)]
    return []


def _mentions_kind(node: ast.expr) -> bool:
    """Whether *node* is about a kind: ``kind``, ``x_kind``, ``rid.kind``, ``kind.name``."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and (sub.id == "kind" or sub.id.endswith("_kind")):
            return True
        if isinstance(sub, ast.Attribute) and sub.attr == "kind":
            return True
    return False


def _comparisons(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for i, side in enumerate(sides):
            names = _kind_literals(side)
            others = sides[:i] + sides[i + 1 :]
            if names and any(_mentions_kind(o) for o in others):
                found.append((node.lineno, ", ".join(names)))
    return found


def _tables(tree: ast.AST) -> list[tuple[int, str]]:
    """Dict, set or tuple literals holding two or more kind names (a per-kind table)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            names = [k.value for k in node.keys if isinstance(k, ast.Constant) and k.value in NAMES]
        elif isinstance(node, ast.Set | ast.Tuple | ast.List):
            names = _kind_literals(node)
        else:
            continue
        if len(names) >= 2:
            found.append((node.lineno, ", ".join(names)))
    return found


def test_no_module_outside_the_kinds_compares_a_kind_name_with_a_literal() -> None:
    bad = [
        f"{path.relative_to(REPO)}:{line}: compares a kind with {names}"
        for path in _modules()
        for line, names in _comparisons(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not bad, "\n".join(bad)


def test_no_module_outside_the_kinds_keeps_a_table_of_kind_names() -> None:
    bad = [
        f"{path.relative_to(REPO)}:{line}: a table of {names}"
        for path in _modules()
        for line, names in _tables(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not bad, "\n".join(bad)


def test_the_check_finds_what_it_looks_for() -> None:
    """The walker flags the shapes this refactor removed (guards against a blind check)."""
    samples = {
        'if kind.name == "zone": pass': 1,
        'if rid.kind in ("template", "iso"): pass': 1,
        'if "hostha" != child_kind: pass': 1,
        'if pool.scope == "zone": pass': 0,
    }
    for code, expected in samples.items():
        assert len(_comparisons(ast.parse(code))) == expected, code
    assert _tables(ast.parse('PHASES = {"zone": 10, "pod": 60}'))
    assert _tables(ast.parse('ZONELESS = frozenset({"diskoffering", "configuration"})'))
    assert not _tables(ast.parse('MODES = ("zone", "cluster-wide")'))
