"""The layers point one way (docs/architecture.md), and no module imports itself back.

Every ``import specc.X`` in ``specc/`` (top level or inside a function: a lazy import
is still a dependency) is checked against the layer table below. The simulator stands
beside the pipeline: only the CLI (and tests) start it, and it uses nothing of specc
but the errors, the core values and the snapshot format of ``specc.cloud``.
Separately, the module graph of top-level imports (the ones that run at import
time, package ``__init__`` files included) must have no cycle: then every module
imports on its own, in any order.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "specc"

# package -> level; a package may import packages of a lower level, and of its own
# level unless FORBIDDEN says otherwise.
LEVEL = {
    "errors": 0,
    "core": 0,
    "spec": 1,
    "backends": 1,
    "hosts": 1,
    "cloud": 1,
    "graph": 2,
    "changes": 3,
    "planning": 4,
    "execute": 5,
    "render": 5,
    "importer": 5,  # specc import / convert: live state or a Marvin config -> spec text
    "cli": 6,
    "": 6,  # specc/__init__.py: the pipeline API, over every stage
}
FORBIDDEN = {
    # the API side knows nothing of the spec
    "cloud": {"spec", "backends", "hosts"},
    "execute": {"render"},
    "render": {"execute"},
    "importer": {"execute", "render", "planning"},
}
SIM_MAY_USE = {"errors", "core", "cloud", "sim"}
SIM_USERS = {"cli", "sim"}


def _module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package(module: str) -> str:
    """The layer of *module*: its first part under ``specc`` ("" for the root package,
    and for a name of the root's own, ``from specc import __version__``)."""
    parts = module.split(".")
    if len(parts) < 2:
        return ""
    name = parts[1]
    return name if (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file() else ""


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """(all specc modules *path* imports, those imported at import time)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    this = _module_name(path)
    every: set[str] = set()
    top: set[str] = set()

    def targets(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names]
        base = node.module or ""
        if node.level:
            pkg = this.split(".")
            if path.name != "__init__.py":
                pkg = pkg[:-1]
            pkg = pkg[: len(pkg) - (node.level - 1)]
            base = ".".join([*pkg, base] if base else pkg)
        # "from specc.x import y" may name a submodule y: count both
        return [base, *(f"{base}.{a.name}" for a in node.names)]

    def visit(node: ast.AST, at_top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # typing only: never runs
            if isinstance(child, ast.Import | ast.ImportFrom):
                for name in targets(child):
                    if name == "specc" or name.startswith("specc."):
                        every.add(name)
                        if at_top:
                            top.add(name)
            inner = at_top and not isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            visit(child, inner)

    visit(tree, True)
    return every, top


def _all_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _existing(name: str, modules: dict[str, Path]) -> str | None:
    """*name* if it is a module of the package, else its parent module (``from m import f``)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def test_layers_point_one_way() -> None:
    modules = _all_modules()
    wrong: list[str] = []
    for name, path in modules.items():
        here = _package(name)
        every, _ = _imports(path)
        for target in sorted(every):
            # "from specc import __version__" names a value, not a module: its package
            there = _package(_existing(target, modules) or target)
            if there == here:
                continue
            if here == "sim":
                ok = there in SIM_MAY_USE
            elif there == "sim":
                ok = here in SIM_USERS
            else:
                ok = LEVEL[there] <= LEVEL[here] and there not in FORBIDDEN.get(here, set())
            if not ok:
                wrong.append(f"{name} imports {target} ({here or 'specc'} -> {there})")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def _inits_run(importer: str, target: str, modules: dict[str, Path]) -> set[str]:
    """The package ``__init__`` modules that importing *target* from *importer* runs.

    Importing ``a.b.c`` runs ``a`` and ``a.b`` first, except the packages the importer
    itself lies in (they are already running, and a child that needs no name of its
    parent package is no cycle).
    """
    parts = target.split(".")
    out = set()
    for i in range(1, len(parts)):
        pkg = ".".join(parts[:i])
        if pkg in modules and not importer.startswith(pkg + "."):
            out.add(pkg)
    return out


def test_no_import_cycles() -> None:
    modules = _all_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        _, top = _imports(path)
        deps: set[str] = set()
        for target in top:
            module = _existing(target, modules)
            if module is not None and module != name:
                deps |= {module, *_inits_run(name, module, modules)}
        graph[name] = deps - {name}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")
