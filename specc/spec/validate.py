"""Load and validate a spec: ``load`` returns everything, ``require`` insists it is valid.

>>> from specc.spec.validate import load
>>> v = load(["examples/nfs-baseline.yaml"])  # doctest: +SKIP
>>> v.ok, v.spec_hash[:7]                      # doctest: +SKIP
(True, 'sha256:')

The layers run in order (see ``loader`` and ``check``): files (SPC0xx), JSON
Schema and model (SPC1xx; a placeholder ``specc import`` left, SPC111, stops the
model from being built), then every rule of ``specc.spec.rules.registry``
(SPC2xx and up). Diagnostics of all layers come back sorted by file, line, column.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from specc.errors import Diagnostic, Severity, SpecError
from specc.spec.check import (
    build_spec,
    format_text,
    placeholder_diagnostics,
    rule_diagnostics,
    schema_diagnostics,
    strict_spec,
)
from specc.spec.loader import Loaded, load_documents
from specc.spec.models import Spec
from specc.spec.sourcemap import SourceMap

__all__ = ["SourceMap", "Validated", "check", "insist", "load", "require", "spec_hash"]


@dataclass(frozen=True)
class Validated:
    """The outcome of validating a spec.

    ``spec`` is None when errors prevent building the model. ``spec_hash`` is
    ``"sha256:<hex>"`` of the canonical JSON of ``spec.model_dump(mode="json")``
    (sorted keys, no spaces), or ``""`` without a spec. ``strict`` makes warnings
    count against ``ok``.
    """

    spec: Spec | None
    diagnostics: tuple[Diagnostic, ...]
    spec_hash: str
    source_map: SourceMap
    strict: bool = False

    @property
    def ok(self) -> bool:
        """No error-severity diagnostic (and, when strict, no warning either)."""
        bad = {Severity.ERROR, Severity.WARNING} if self.strict else {Severity.ERROR}
        return self.spec is not None and not any(d.severity in bad for d in self.diagnostics)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The error-severity diagnostics."""
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)


def spec_hash(spec: Spec) -> str:
    """``sha256:`` of the spec's canonical JSON: equal specs hash equal, whatever the files.

    Fields at their default are left out, so a field the model gains later (with a
    default) leaves the hash of every spec that does not use it as it was.
    """
    data = spec.model_dump(mode="json", exclude_defaults=True)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(paths: Sequence[str | Path], *, strict: bool = False) -> Validated:
    """Load the spec files or folders in *paths* and run every validation layer.

    Never raises for bad input: everything wrong is a diagnostic. A single path
    (not in a list) is accepted too.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building ~10^5 small containers: the cyclic GC made this superlinear
    try:
        return _load(paths, strict)
    finally:
        if gc_was_enabled:
            gc.enable()


def _load(paths: Sequence[str | Path], strict: bool) -> Validated:
    return check(load_documents(paths), strict=strict)


def check(loaded: Loaded, *, strict: bool = False) -> Validated:
    """Validate loaded documents: JSON Schema and model (SPC1xx), then every rule.

    Never raises for bad input; a file that failed to load leaves ``spec`` None.
    """
    from specc.spec.rules.registry import ALL_RULES

    diags = list(loaded.diagnostics)
    smap = loaded.source_map
    spec: Spec | None = None
    left = [] if loaded.data is None else placeholder_diagnostics(loaded.data, smap)
    if left:
        # Guessed values would pass the schema where any text goes: no model, no rules,
        # only what else the schema finds away from the placeholders.
        holes = {d.path for d in left}
        diags.extend(left)
        diags.extend(d for d in schema_diagnostics(loaded.data, smap) if d.path not in holes)
    elif loaded.data is not None:
        spec = strict_spec(loaded.data)
        if spec is None:
            schema_diags = schema_diagnostics(loaded.data, smap)
            diags.extend(schema_diags)
            spec, model_diags = build_spec(loaded.data, smap, [d.path for d in schema_diags])
            diags.extend(model_diags)
        if spec is not None:
            diags.extend(rule_diagnostics(spec, smap, ALL_RULES))
    if spec is not None and any(d.severity is Severity.ERROR and d.code < "SPC100" for d in diags):
        spec = None  # a file of the spec failed to load: the model would be partial
    ordered = tuple(sorted(set(diags), key=Diagnostic.sort_key))
    return Validated(spec, ordered, spec_hash(spec) if spec else "", smap, strict)


def require(paths: Sequence[str | Path], *, strict: bool = False) -> Validated:
    """Like ``load``, but raise ``SpecError`` (with the diagnostics) unless valid.

    With *strict*, warnings fail it too. The error's message lists the first 20
    diagnostics as ``file:line:col  CODE  message`` lines with their hints.
    """
    return insist(load(paths, strict=strict))


def insist(result: Validated) -> Validated:
    """*result* itself when it is valid; else raise ``SpecError`` as ``require`` does."""
    if not result.ok:
        bad = [d for d in result.diagnostics if d.severity is Severity.ERROR or result.strict]
        bad = bad or list(result.diagnostics)
        noun = "problem" if len(bad) == 1 else "problems"
        lines = "\n".join(format_text(bad, limit=20))
        raise SpecError(f"the spec is not valid ({len(bad)} {noun}):\n{lines}", bad)
    return result
