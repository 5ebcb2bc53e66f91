"""specc: an infrastructure-as-code compiler for Apache CloudStack.

The pipeline, one stage a function over typed values (docs/architecture.md)::

    loaded    = load(paths)                    # YAML files -> document + source map
    validated = check(loaded)                  # schema, references, domain rules
    desired   = build(validated)               # ResourceId -> DesiredResource
    live      = read(client, scopes=read_scopes(desired))  # one paged list call per kind
    changes   = diff(desired, live)            # create / update / replace / delete / noop
    the_plan  = compile(validated, desired, live, changes)   # ordered steps (+ host scripts)

``plan(paths, live)`` runs them all (reading aside). The CLI, the runbook and the
tests call these functions; no stage is written twice. Each stage's module loads
only when it is called, so ``import specc`` costs nothing. (The stages' packages
are ``spec``, ``graph``, ``cloud``, ``changes`` and ``planning``: a package named
``diff`` or ``plan`` would replace the function of that name on import.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from specc.changes.differ import Changeset
    from specc.cloud.client import CloudClient
    from specc.cloud.state import LiveState
    from specc.core.steps import Plan
    from specc.graph.build import DesiredGraph
    from specc.spec.loader import Loaded
    from specc.spec.validate import Validated

__version__ = "0.1.0"
__all__ = ["build", "check", "compile", "diff", "load", "plan", "read", "read_scopes"]


def load(paths: Sequence[str | Path] | str | Path) -> Loaded:
    """Read and merge the spec files or folders in *paths*, with a source map.

    Never raises for bad input: what is wrong is a diagnostic of the result.
    """
    from specc.spec.loader import load_documents

    return load_documents([paths] if isinstance(paths, str | Path) else paths)


def check(loaded: Loaded, *, strict: bool = False) -> Validated:
    """Validate *loaded*: JSON Schema, model, references and domain rules."""
    from specc.spec.validate import check as check_loaded

    return check_loaded(loaded, strict=strict)


def build(validated: Validated) -> DesiredGraph:
    """The desired graph of a valid spec, each resource with its spec location.

    Raises:
        SpecError: *validated* is not valid.
    """
    from specc.graph.build import build_desired
    from specc.spec.validate import insist

    spec = insist(validated).spec
    assert spec is not None  # insist guarantees it
    return build_desired(spec, validated.source_map)


def read(
    client: CloudClient,
    kinds: tuple[str, ...] | None = None,
    *,
    scopes: frozenset[str] | None = None,
) -> LiveState:
    """The live state of the cloud behind *client* (every kind, or *kinds*).

    Settings are listed at the scopes in *scopes* only (None: every zone, cluster,
    pool, image store, domain and account; :func:`read_scopes` gives a spec's).
    """
    from specc.cloud.live import read_live

    return read_live(client, kinds, scopes=scopes)


def read_scopes(desired: DesiredGraph) -> frozenset[str]:
    """The setting scopes *desired* sets values at: what :func:`read` must list."""
    from specc.graph.resources import read_scopes as scopes_of

    return scopes_of(desired.values())


def diff(
    desired: DesiredGraph, live: LiveState, *, prune: bool = False, force: bool = False
) -> Changeset:
    """What must change for *live* to match *desired*."""
    from specc.changes.differ import diff as diff_graph

    return diff_graph(desired, live, prune=prune, force=force)


def compile(
    validated: Validated,
    desired: DesiredGraph,
    live: LiveState,
    changes: Changeset,
    *,
    force: bool = False,
    scripts: bool = True,
) -> Plan:
    """The ordered plan that carries out *changes*, host scripts placed (unless not *scripts*)."""
    from specc.hosts.collect import host_scripts
    from specc.planning.compiler import assemble_plan
    from specc.spec.validate import insist

    spec = insist(validated).spec
    assert spec is not None
    return assemble_plan(
        desired,
        live,
        changes,
        spec_hash=validated.spec_hash,
        force=force,
        host_scripts=host_scripts(spec) if scripts else (),
    )


def plan(
    source: Sequence[str | Path] | str | Path | Validated,
    live: LiveState | Callable[[frozenset[str]], LiveState],
    *,
    prune: bool = False,
    force: bool = False,
    scripts: bool = True,
) -> Plan:
    """The whole pipeline: load, check, build, diff and compile *source* against *live*.

    *source* is the spec's files or folders, or a spec already checked. *live* is
    the live state, or a function that reads it given the setting scopes the spec
    uses (:func:`read_scopes`), called once the spec is known to be valid: a spec
    with no per-zone or per-cluster setting then costs no per-zone or per-cluster read.

    Raises:
        SpecError: the spec is not valid (every diagnostic attached).
        PlanError: the live state makes the spec ambiguous, or a planning rule fails.
    """
    from specc.spec.validate import Validated as Checked

    validated = source if isinstance(source, Checked) else check(load(source))
    desired = build(validated)
    state = live(read_scopes(desired)) if callable(live) else live
    changes = diff(desired, state, prune=prune, force=force)
    return compile(validated, desired, state, changes, force=force, scripts=scripts)
