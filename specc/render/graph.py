"""The dependency graph as a picture: Mermaid (for merge requests) or Graphviz DOT.

Nodes are resources; an edge ``a --> b`` says a comes first (a zone before its pods).
From a plan, the nodes are the resources it changes, marked by action, and the edges
come from its steps' dependencies (through host scripts and checks, which are not
drawn); from a desired graph, every resource the spec asks for and its
``depends_on``. Edges implied by others are left out (a transitive reduction), so
the picture shows the chain zone -> pod -> cluster, not also zone -> cluster.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from specc.core.steps import ApiCall, Plan, Step, Wait
from specc.graph.resources import DesiredResource, ResourceId
from specc.render._common import SYMBOLS

# Fill colours per action, as GitHub's diff colours: created green, changed amber,
# deleted red; unchanged (a spec's resource, an in-sync one) white.
_FILL = {
    "create": "#e6ffed",
    "update": "#fff5b1",
    "replace": "#ffdcb1",
    "delete": "#ffeef0",
    "spec": "#ffffff",
}


@dataclass(frozen=True)
class Picture:
    """Nodes (resource id -> action, or ``spec``) and edges (first, then), sorted."""

    nodes: tuple[tuple[str, str], ...]
    edges: tuple[tuple[str, str], ...]


def _reduce(nodes: list[str], edges: set[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """*edges* without those another path already implies (transitive reduction).

    >>> _reduce(["a", "b", "c"], {("a", "b"), ("b", "c"), ("a", "c")})
    (('a', 'b'), ('b', 'c'))
    """
    after: dict[str, set[str]] = {n: set() for n in nodes}
    for a, b in edges:
        after[a].add(b)

    def reachable(start: str, skip: tuple[str, str]) -> set[str]:
        seen: set[str] = set()
        todo = [b for b in after[start] if (start, b) != skip]
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(after[n])
        return seen

    return tuple(sorted((a, b) for a, b in edges if b not in reachable(a, (a, b))))


def _owner(step: Step) -> str | None:
    return str(step.resource) if isinstance(step, ApiCall | Wait) else None


def plan_picture(plan: Plan) -> Picture:
    """The resources *plan* changes and the order its steps impose between them."""
    changed = {str(c.resource): c.action for c in plan.changes if c.action != "noop"}
    by_id = {s.id: s for s in plan.steps}
    memo: dict[str, set[str]] = {}

    def before(step_id: str) -> set[str]:
        """The resources whose steps *step_id* waits for, through unowned steps."""
        if step_id in memo:
            return memo[step_id]
        memo[step_id] = set()
        found: set[str] = set()
        for dep in by_id[step_id].depends_on:
            if dep not in by_id:
                continue
            owner = _owner(by_id[dep])
            if owner is not None and owner in changed:
                found.add(owner)
            else:
                found |= before(dep)
        memo[step_id] = found
        return found

    edges: set[tuple[str, str]] = set()
    for step in plan.steps:
        owner = _owner(step)
        if owner is None or owner not in changed:
            continue
        edges |= {(first, owner) for first in before(step.id) if first != owner}
    nodes = sorted(changed)
    return Picture(tuple((n, changed[n]) for n in nodes), _reduce(nodes, edges))


def desired_picture(desired: Mapping[ResourceId, DesiredResource]) -> Picture:
    """Every resource of a spec and what it depends on (no cloud needed)."""
    names = {str(rid) for rid in desired}
    edges = {
        (str(dep), str(rid))
        for rid, res in desired.items()
        for dep in res.depends_on
        if str(dep) in names and dep != rid
    }
    nodes = sorted(names)
    return Picture(tuple((n, "spec") for n in nodes), _reduce(nodes, edges))


def _label(name: str, action: str) -> str:
    return name if action == "spec" else f"{SYMBOLS[action]} {name}"


def to_mermaid(picture: Picture) -> str:
    """A Mermaid flowchart (left to right), one class per action.

    >>> print(to_mermaid(Picture((("zone:z", "create"), ("pod:z/p", "create")),
    ...                          (("zone:z", "pod:z/p"),))), end="")
    flowchart LR
      n0["+ zone:z"]
      n1["+ pod:z/p"]
      n0 --> n1
      classDef create fill:#e6ffed,stroke:#2da44e
      class n0,n1 create
    """
    ids = {name: f"n{i}" for i, (name, _) in enumerate(picture.nodes)}
    out = ["flowchart LR"]
    for name, action in picture.nodes:
        text = _label(name, action).replace('"', "#quot;")
        out.append(f'  {ids[name]}["{text}"]')
    out += [f"  {ids[a]} --> {ids[b]}" for a, b in picture.edges]
    strokes = {"create": "#2da44e", "update": "#bf8700", "replace": "#bc4c00"}
    strokes |= {"delete": "#cf222e", "spec": "#57606a"}
    for action in sorted({a for _, a in picture.nodes}):
        members = ",".join(ids[n] for n, a in picture.nodes if a == action)
        out.append(f"  classDef {action} fill:{_FILL[action]},stroke:{strokes[action]}")
        out.append(f"  class {members} {action}")
    return "\n".join(out) + "\n"


def to_dot(picture: Picture) -> str:
    """A Graphviz digraph (left to right), nodes filled by action.

    >>> print(to_dot(Picture((("zone:z", "spec"),), ())), end="")
    digraph specc {
      rankdir=LR;
      node [shape=box, style="rounded,filled", fontname="sans-serif", fontsize=10];
      "zone:z" [label="zone:z", fillcolor="#ffffff"];
    }
    """
    out = [
        "digraph specc {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="sans-serif", fontsize=10];',
    ]
    for name, action in picture.nodes:
        label = json.dumps(_label(name, action))
        out.append(f'  {json.dumps(name)} [label={label}, fillcolor="{_FILL[action]}"];')
    out += [f"  {json.dumps(a)} -> {json.dumps(b)};" for a, b in picture.edges]
    out.append("}")
    return "\n".join(out) + "\n"
