"""The validation layers after loading: JSON Schema, the pydantic model, the rules.

Every layer turns what it finds into ``Diagnostic`` values located through the
source map; nothing here raises for a bad spec, and a rule that crashes becomes an
internal-error diagnostic instead of a traceback.

Codes of the schema layer (``SPC1xx``):

========  =====================================================================
SPC100    unknown key
SPC101    wrong type (a list where a mapping belongs, text where a number does)
SPC102    missing required key
SPC103    value not among the allowed ones
SPC104    text not of the expected form (pattern)
SPC105    out of range (number, length, item count)
SPC106    unknown variant of a union (e.g. backend ``type``)
SPC109    other schema violation
SPC110    inline secret: a plain value where a ``{env:}``/``{file:}`` reference belongs
SPC120    invalid value found by the model (e.g. not an IPv4 address)
SPC190    internal error: a rule crashed
========  =====================================================================
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import pydantic
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from specc.errors import Diagnostic, Severity
from specc.spec import hints
from specc.spec.loader import resolve_scalar
from specc.spec.models import MOVED_KEYS, Spec
from specc.spec.rules import Rule
from specc.spec.schema import cached_schema
from specc.spec.sourcemap import JsonPath, SourceMap

UNKNOWN_KEY = "SPC100"
WRONG_TYPE = "SPC101"
MISSING_KEY = "SPC102"
NOT_ALLOWED = "SPC103"
BAD_FORM = "SPC104"
OUT_OF_RANGE = "SPC105"
UNKNOWN_VARIANT = "SPC106"
SCHEMA_OTHER = "SPC109"
INLINE_SECRET = "SPC110"
BAD_VALUE = "SPC120"
RULE_CRASHED = "SPC190"

SECRET_HINT = "reference it instead: {env: NAME} (an environment variable) or {file: PATH}"
_SECRET_REFS = ("#/$defs/EnvSecret", "#/$defs/FileSecret")
_RANGE = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "greater than",
    "exclusiveMaximum": "less than",
    "minLength": "at least {} characters long",
    "maxLength": "at most {} characters long",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
}
_JSON_TYPES = {
    dict: "a mapping",
    list: "a list",
    str: "text",
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    type(None): "null",
}


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(cached_schema())


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _short(value: Any, limit: int = 60) -> str:
    """A value for a message: JSON, cut to *limit* characters."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_secret(schema: Any) -> bool:
    alts = schema.get("anyOf", []) if isinstance(schema, dict) else []
    return any(isinstance(a, dict) and a.get("$ref") in _SECRET_REFS for a in alts)


def _diag(
    code: str,
    message: str,
    smap: SourceMap,
    path: JsonPath,
    hint: str,
    *,
    at_value: bool = False,
) -> Diagnostic:
    loc = smap.locate_value(path) if at_value else smap.locate(path)
    return Diagnostic(code, Severity.ERROR, message, loc, hint, path)


def schema_diagnostics(data: Any, smap: SourceMap) -> list[Diagnostic]:
    """Every JSON Schema violation of *data*, one diagnostic each, best match for unions."""
    out: list[Diagnostic] = []
    for err in _validator().iter_errors(data):
        out.extend(_explain(err, smap))
    return out


def _explain(err: ValidationError, smap: SourceMap) -> list[Diagnostic]:
    path: JsonPath = tuple(err.absolute_path)
    where = ".".join(str(p) for p in path) or "the spec"
    inst, kw, schema = err.instance, err.validator, err.schema
    if kw in ("oneOf", "anyOf"):
        return _explain_union(err, smap, path)
    if kw == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = [k for k in inst if k not in allowed] if isinstance(inst, dict) else []
        out = []
        moved = schema.get(MOVED_KEYS, {})
        for key in extra:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
            hint = moved.get(key, hint)
            out.append(
                _diag(UNKNOWN_KEY, f"unknown key '{key}' in {where}", smap, (*path, key), hint)
            )
        return out
    if kw == "type":
        want = err.validator_value
        wants = want if isinstance(want, list) else [want]
        names = " or ".join(_type_name(w) for w in wants)
        hint = ""
        if "string" in wants and isinstance(inst, int | float) and not isinstance(inst, bool):
            hint = 'quote it, e.g. "4.18", so YAML keeps it as text'
        elif "object" in wants and isinstance(inst, list):
            hint = "write keys (name: value) here, not a list of '- ' items"
        elif "array" in wants and not isinstance(inst, list):
            hint = "write a list here: '- item' lines or [a, b]"
        elif isinstance(inst, str) and not isinstance(resolve_scalar(inst, None, True), str):
            hint = "remove the quotes: a quoted value is text in YAML"
        else:
            hint = hints.wrong_type(names, schema, cached_schema(), _key(path))
        return [
            _diag(
                WRONG_TYPE,
                f"{where}: expected {names}, got {_kind(inst)}",
                smap,
                path,
                hint,
                at_value=not isinstance(inst, list | dict),
            )
        ]
    if kw == "required":
        missing = [k for k in err.validator_value if isinstance(inst, dict) and k not in inst]
        props = schema.get("properties", {})
        return [
            _diag(
                MISSING_KEY,
                f"missing required key '{k}' in {where}",
                smap,
                path,
                hints.missing_key(k, props.get(k, {}), cached_schema()),
            )
            for k in missing
        ]
    if kw in ("enum", "const"):
        allowed_values = err.validator_value if kw == "enum" else [err.validator_value]
        choices = ", ".join(_short(v) for v in allowed_values)
        same = [
            v
            for v in allowed_values
            if isinstance(v, str) and isinstance(inst, str) and v.lower() == inst.lower()
        ]
        texts = [v for v in allowed_values if isinstance(v, str)]
        close = difflib.get_close_matches(inst, texts, n=1) if isinstance(inst, str) else []
        hint = (
            f"did you mean {_short(same[0])}? (values are case-sensitive)"
            if same
            else hints.not_allowed(inst, allowed_values, close[0] if close else None)
        )
        return [
            _diag(
                NOT_ALLOWED,
                f"{where}: {_short(inst)} is not allowed; expected {choices}",
                smap,
                path,
                hint,
                at_value=True,
            )
        ]
    if kw == "pattern":
        return [
            _diag(
                BAD_FORM,
                f"{where}: {_short(inst)} does not match {err.validator_value}",
                smap,
                path,
                hints.pattern(str(err.validator_value)),
                at_value=True,
            )
        ]
    if kw in _RANGE:
        bound = _RANGE[kw]
        text = (
            bound.format(err.validator_value) if "{}" in bound else f"{bound} {err.validator_value}"
        )
        shown = _short(inst) if not isinstance(inst, list | dict) else _kind(inst)
        hint = hints.value_range(str(kw), schema, inst)
        return [
            _diag(OUT_OF_RANGE, f"{where}: {shown} must be {text}", smap, path, hint, at_value=True)
        ]
    return [_other(err, smap, path)]


def _other(err: ValidationError, smap: SourceMap, path: JsonPath) -> Diagnostic:
    """SPC109: a violation no other code describes; the hint shows a value that fits."""
    where = ".".join(str(p) for p in path) or "the spec"
    hint = f"write a value that fits, e.g. {hints.example(err.schema, cached_schema())}"
    return _diag(SCHEMA_OTHER, f"{where}: {err.message[:200]}", smap, path, hint, at_value=True)


def _key(path: JsonPath) -> str:
    """The key that holds the value at *path* ('' for a list item or the top)."""
    return path[-1] if path and isinstance(path[-1], str) else ""


def _type_name(json_type: object) -> str:
    """'integer' -> 'an integer': a JSON Schema type as the messages say it."""
    py = _PY.get(str(json_type))
    return _JSON_TYPES[py] if py is not None else str(json_type)


_PY: dict[str, type] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": float,
    "null": type(None),
}


def _explain_union(err: ValidationError, smap: SourceMap, path: JsonPath) -> list[Diagnostic]:
    inst, schema = err.instance, err.schema
    where = ".".join(str(p) for p in path) or "the spec"
    disc = schema.get("discriminator")
    if isinstance(disc, dict):
        prop, mapping = disc.get("propertyName", "type"), disc.get("mapping", {})
        choices = ", ".join(sorted(mapping))
        if not isinstance(inst, dict):
            return [
                _diag(
                    WRONG_TYPE,
                    f"{where}: expected a mapping, got {_kind(inst)}",
                    smap,
                    path,
                    f"write a mapping with a '{prop}' key (one of: {choices})",
                    at_value=True,
                )
            ]
        if prop not in inst:
            return [
                _diag(
                    MISSING_KEY,
                    f"missing required key '{prop}' in {where}",
                    smap,
                    path,
                    f"add it, e.g. '{prop}: {min(mapping)}' (one of: {choices})",
                )
            ]
        tag = inst[prop]
        if not isinstance(tag, str) or tag not in mapping:
            return [
                _diag(
                    UNKNOWN_VARIANT,
                    f"{where}: unknown {prop} {_short(tag)}",
                    smap,
                    (*path, prop),
                    f"one of: {choices}",
                    at_value=True,
                )
            ]
        alts = schema.get(err.validator, [])
        idx = next((i for i, a in enumerate(alts) if a.get("$ref") == mapping[tag]), None)
        chosen = [e for e in err.context or [] if e.relative_schema_path[0] == idx]
        out = [d for e in chosen for d in _explain(e, smap)]
        if out:
            return out
    if _is_secret(schema) and not isinstance(inst, dict):
        if isinstance(inst, str):
            return [
                _diag(
                    INLINE_SECRET,
                    f"{where}: inline secret; a secret must be a reference",
                    smap,
                    path,
                    SECRET_HINT,
                    at_value=True,
                )
            ]
        return [
            _diag(
                WRONG_TYPE,
                f"{where}: expected a secret reference, got {_kind(inst)}",
                smap,
                path,
                SECRET_HINT,
                at_value=True,
            )
        ]
    if _is_secret(schema):  # a mapping: judge it by the reference it names
        alts = schema.get("anyOf", [])
        refs = [a.get("$ref") if isinstance(a, dict) else None for a in alts]
        chosen_ref = (
            _SECRET_REFS[0] if "env" in inst else _SECRET_REFS[1] if "file" in inst else None
        )
        if chosen_ref is None or len(inst) != 1:
            return [
                _diag(
                    WRONG_TYPE,
                    f"{where}: a secret reference has exactly one key, env or file",
                    smap,
                    path,
                    SECRET_HINT,
                )
            ]
        idx = refs.index(chosen_ref)
        chosen = [e for e in err.context or [] if e.relative_schema_path[0] == idx]
        return [d for e in chosen for d in _explain(e, smap)]
    context = list(err.context or [])
    here = [e for e in context if not e.relative_path]
    if context and all(e.validator == "type" for e in here) and len(here) == len(context):
        names: list[str] = []
        for e in here:
            for w in (
                e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
            ):
                name = _type_name(w)
                if name not in names:
                    names.append(name)
        return [
            _diag(
                WRONG_TYPE,
                f"{where}: expected {' or '.join(names)}, got {_kind(inst)}",
                smap,
                path,
                hints.wrong_type(" or ".join(names), schema, cached_schema(), _key(path)),
                at_value=True,
            )
        ]
    branches: dict[Any, list[ValidationError]] = {}
    for e in context:
        branches.setdefault(e.relative_schema_path[0], []).append(e)
    fitting = [
        errs
        for errs in branches.values()
        if not any(e.validator == "type" and not e.relative_path for e in errs)
    ]
    if len(fitting) == 1:  # e.g. `X | None` given a mapping: every error of the X branch
        return [d for e in fitting[0] for d in _explain(e, smap)]
    relevant = [e for e in context if e.validator != "type"] or context
    best = best_match(relevant)
    if best is None:
        return [_other(err, smap, path)]
    return _explain(best, smap)


def _covered(path: JsonPath, seen: Sequence[JsonPath]) -> bool:
    return any(p[: len(path)] == path or path[: len(p)] == p for p in seen)


def _data_path(loc: Sequence[int | str], data: Any) -> JsonPath:
    """A pydantic error location as a path in the data: union member names dropped."""
    path: list[str | int] = []
    node = data
    for step in loc:
        in_dict = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if in_dict or in_list:
            node = node[step]
            path.append(step)
        elif isinstance(node, dict | list):
            continue  # a tag or union member name, or a missing key
        else:
            break
    return tuple(path)


def strict_spec(data: Any) -> Spec | None:
    """The model built in pydantic's strict JSON mode, or None if that fails.

    Strict JSON mode accepts exactly what the generated JSON Schema accepts (no
    "5" for 5, no 1 for true), and more precisely (IP formats); so when it
    succeeds the schema layer would find nothing and is skipped: the fast path
    for a valid spec. On any failure the caller runs the schema layer and the
    lax model to explain every problem.
    """
    try:
        text = json.dumps(data, allow_nan=False)
        return Spec.model_validate_json(text, strict=True)
    except (ValueError, TypeError, pydantic.ValidationError):
        return None


def build_spec(
    data: Any, smap: SourceMap, already: Sequence[JsonPath]
) -> tuple[Spec | None, list[Diagnostic]]:
    """Validate *data* with the model; errors not already reported become SPC120."""
    try:
        return Spec.model_validate(data), []
    except pydantic.ValidationError as exc:
        out: list[Diagnostic] = []
        for e in exc.errors(include_url=False):
            path = _data_path(e["loc"], data)
            if _covered(path, already):
                continue
            what = ".".join(str(p) for p in path) or "the spec"
            msg = str(e["msg"])
            value = e.get("input")
            if isinstance(value, str | int | float) and not any(
                "pass" in str(p) or "secret" in str(p) for p in path
            ):
                msg = f"{msg}: {_short(value)}"
            hint = hints.model_error(str(e["type"]), e.get("ctx"))
            out.append(_diag(BAD_VALUE, f"{what}: {msg}", smap, path, hint, at_value=True))
        return None, out


def rule_diagnostics(spec: Spec, smap: SourceMap, rules: Iterable[Rule]) -> list[Diagnostic]:
    """Run each rule; locate its findings; a crashing rule is one SPC190 diagnostic."""
    out: list[Diagnostic] = []
    for rule in rules:
        name = getattr(rule, "__qualname__", repr(rule))
        try:
            for f in rule(spec):
                out.append(
                    Diagnostic(f.code, f.severity, f.message, smap.locate(f.path), f.hint, f.path)
                )
        except Exception as exc:  # a bug in a rule must not stop validation
            out.append(
                Diagnostic(
                    RULE_CRASHED,
                    Severity.ERROR,
                    f"internal error: rule {name} failed: {type(exc).__name__}: {exc}",
                    smap.locate(()),
                    "this is a bug in specc; please report it with the spec",
                )
            )
    return out


def format_text(diagnostics: Sequence[Diagnostic], limit: int = 50) -> list[str]:
    """Lines for a terminal: ``file:line:col  CODE  message`` and ``  hint: ...``.

    At most *limit* diagnostics are shown, then ``... and K more``.

    >>> from specc.errors import Location
    >>> d = Diagnostic("SPC100", Severity.ERROR, "unknown key 'x'", Location("a.yaml", 3, 5), "h")
    >>> format_text([d, d], limit=1)
    ["a.yaml:3:5  SPC100  unknown key 'x'", '  hint: h', '... and 1 more']
    """
    lines: list[str] = []
    for d in diagnostics[:limit]:
        sev = "" if d.severity is Severity.ERROR else f"{d.severity.value}: "
        lines.append(f"{d.location}  {d.code}  {sev}{d.message}")
        if d.hint:
            lines.append(f"  hint: {d.hint}")
    if len(diagnostics) > limit:
        lines.append(f"... and {len(diagnostics) - limit} more")
    return lines
