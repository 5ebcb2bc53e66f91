"""What to do about a loading or schema diagnostic: short, concrete hints.

The hints reuse what the JSON Schema already knows (expected type, allowed
values, bounds, patterns, descriptions, required keys) and, for YAML syntax
errors, what usually causes the parser's complaint. Nothing here raises.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_EXAMPLE = 60
"""Examples longer than this are cut: a hint is one line."""

NAME_EXAMPLE = "zone-1"
"""The example of a name when the key gives no better one."""

PATTERNS: dict[str, tuple[str, str]] = {
    r"^[A-Za-z0-9][A-Za-z0-9_.\- ]*$": (
        "a name: a letter or digit, then letters, digits, spaces, '_', '.' or '-'",
        NAME_EXAMPLE,
    ),
    r"^[^,\s]+$": ("one tag, without commas or spaces (list several tags as items)", "ssd"),
    r"^[A-Za-z0-9_.\-]+$": ("letters, digits, '_', '.' and '-' only", "cloudstack"),
    r"^[A-Za-z0-9]{1,16}$": ("1 to 16 letters or digits", "ocfs2"),
    r"^[A-Za-z0-9]([A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$": (
        "a host name: letters, digits, '-', '_' and '.', at most 64, starting and ending "
        "with a letter or digit",
        "kvm1.example.org",
    ),
    r"^[0-9a-fA-F]{32,128}$": (
        "32 to 128 hexadecimal digits, as md5sum/sha256sum print them",
        "9e107d9d372bb6826bd81d3542a419d6",
    ),
    r"^4\.\d{1,2}(\.\d+){0,2}$": ("a CloudStack 4.x version, quoted", '"4.18"'),
    r"^/dev/": ("a block device path starting with /dev/", "/dev/mapper/mpatha"),
    r"^iqn\.": ("an iSCSI qualified name starting with 'iqn.'", "iqn.2010-01.com.example:lun1"),
    r"^[A-Za-z_][A-Za-z0-9_]*$": (
        "an environment variable name: letters, digits and '_', not starting with a digit",
        "CS_SECRET",
    ),
    r"^https?://": (
        "a URL starting with http:// or https://",
        "https://example.com/images/disk.qcow2",
    ),
    r"^https?://\S+$": (
        "a URL starting with http:// or https://, without spaces",
        "http://sim/c0/h0",
    ),
    r"^\d{1,8}(-\d{1,8})?$": ("a number or a range FROM-TO", "100-199"),
    r"^/": ("an absolute path starting with '/'", "/export/primary"),
    r"^ROOT(/[^/]+)*$": (
        "a domain path as listDomains shows it: ROOT, then '/'-separated domain names",
        "ROOT/customers",
    ),
}
"""Each pattern of the spec's schema in words, with an example that matches it."""

_FORMATS = {"ipv4": "10.0.0.1", "ipv4network": "10.1.0.0/24"}
_TYPE_EXAMPLES = {
    "string": "text",
    "integer": "1",
    "number": "1.5",
    "boolean": "true",
    "null": "null",
    "object": "{key: value}",
    "array": "[item]",
}
_EG = re.compile(r"e\.g\. (\S+?)[.,;)]?(?:\s|$)")


def _made_up(name: str) -> str:
    """A made-up text value named after its key: 'sr_name' -> 'my-sr-name'."""
    return "my-" + name.replace("_", "-")


def _resolve(schema: Any, root: dict[str, Any]) -> Any:
    """Follow a local ``$ref`` (``#/$defs/Name``); anything else is returned as is."""
    for _ in range(8):
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return schema
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        schema = node
    return schema


def _cut(text: str) -> str:
    return text if len(text) <= MAX_EXAMPLE else text[: MAX_EXAMPLE - 3] + "..."


def _scalar(value: Any) -> str:
    """A value as YAML would show it in a flow context."""
    if isinstance(value, str):
        return value if re.fullmatch(r"[A-Za-z0-9_./-]+", value) else json.dumps(value)
    return json.dumps(value)


def example(schema: Any, root: dict[str, Any], name: str = "", depth: int = 0) -> str:
    """A YAML value that fits *schema*, built from what the schema says.

    *name* (the key that holds the value) makes up an example for plain text.

    >>> example({"type": "integer", "minimum": 32}, {})
    '32'
    >>> example({"type": "array", "items": {"type": "string", "format": "ipv4"}}, {})
    '[10.0.0.1]'
    """
    schema = _resolve(schema, root)
    if not isinstance(schema, dict) or depth > 3:
        return "..."
    if "const" in schema:
        return _scalar(schema["const"])
    if schema.get("enum"):
        return _scalar(schema["enum"][0])
    for key in ("anyOf", "oneOf"):
        alts = [a for a in schema.get(key, []) if _resolve(a, root).get("type") != "null"]
        if alts:
            return example(alts[0], root, name, depth)
    match = _EG.search(str(schema.get("description", "")))
    if match:
        return match.group(1)
    if schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    if schema.get("pattern") in PATTERNS:
        sample = PATTERNS[schema["pattern"]][1]
        return sample if sample != NAME_EXAMPLE or not name else _made_up(name)
    kind = schema.get("type")
    if kind in ("integer", "number"):
        low = schema.get("minimum")
        if low is None and "exclusiveMinimum" in schema:
            low = schema["exclusiveMinimum"] + 1
        return str(low if low is not None else _TYPE_EXAMPLES[kind])
    if kind == "array":
        item = name[:-1] if name.endswith("s") else ""
        return "[" + example(schema.get("items", {}), root, item, depth + 1) + "]"
    if kind == "object" or "properties" in schema:
        required = schema.get("required") or sorted(schema.get("properties", {}))[:1]
        props = schema.get("properties", {})
        inner = ", ".join(f"{k}: {example(props.get(k, {}), root, k, depth + 1)}" for k in required)
        return _cut("{" + inner + "}") if inner else "{key: value}"
    if kind == "string" and name:
        return _made_up(name)
    return _TYPE_EXAMPLES.get(str(kind), "...")


def _describe(schema: Any, root: dict[str, Any]) -> str:
    """The first sentence of a schema's description, or '' (also when it gave the example)."""
    schema = _resolve(schema, root)
    text = str(schema.get("description", "")) if isinstance(schema, dict) else ""
    if "e.g." in text:
        return ""
    first = text.split(". ")[0].rstrip(".")[:80]
    if first[:2].istitle():  # "Portal address" -> "portal address"; "NFS ..." stays
        first = first[0].lower() + first[1:]
    return first


def missing_key(key: str, prop: Any, root: dict[str, Any]) -> str:
    """Hint for a missing required key: the key with an example value."""
    hint = f"add it, e.g. '{key}: {example(prop, root, key)}'"
    resolved = _resolve(prop, root)
    if isinstance(resolved, dict) and len(resolved.get("enum", [])) > 1:
        return hint + " (one of: " + ", ".join(_scalar(v) for v in resolved["enum"]) + ")"
    what = _describe(prop, root)
    return f"{hint} ({what})" if what else hint


def wrong_type(type_name: str, schema: Any, root: dict[str, Any], name: str = "") -> str:
    """Hint for a value of the wrong type: the expected type with an example."""
    return f"write {type_name}, e.g. {example(schema, root, name)}"


def pattern(regex: str) -> str:
    """Hint for text that does not match *regex*: the pattern in words, with an example."""
    if regex in PATTERNS:
        words, sample = PATTERNS[regex]
        return f"write {words}, e.g. {sample}"
    return f"the text must match the regular expression {regex}"


def value_range(keyword: str, schema: dict[str, Any], value: Any) -> str:
    """Hint for an out-of-range value: the whole allowed range, from the schema.

    >>> value_range("maximum", {"minimum": 1, "maximum": 4094}, 5000)
    'use a value from 1 to 4094'
    >>> value_range("exclusiveMinimum", {"exclusiveMinimum": 0}, 0)
    'use a value greater than 0'
    """
    if keyword in ("minLength", "maxLength", "minItems", "maxItems"):
        kind = "Length" if "Length" in keyword else "Items"
        unit = "characters" if kind == "Length" else "items"
        low, high = schema.get("min" + kind), schema.get("max" + kind)
        if kind == "Length" and value == "" and low == 1:
            return "give a non-empty value"
        if low is not None and high is not None:
            return f"use {low} to {high} {unit}"
        return f"use at least {low} {unit}" if low is not None else f"use at most {high} {unit}"
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f"use a value from {low} to {high}"
    parts = []
    if low is not None:
        parts.append(f"at least {low}")
    elif "exclusiveMinimum" in schema:
        parts.append(f"greater than {schema['exclusiveMinimum']}")
    if high is not None:
        parts.append(f"at most {high}")
    elif "exclusiveMaximum" in schema:
        parts.append(f"less than {schema['exclusiveMaximum']}")
    return "use a value " + " and ".join(parts) if parts else "use a value within range"


def not_allowed(value: Any, allowed: list[Any], close: str | None) -> str:
    """Hint for a value not among the allowed ones."""
    choices = ", ".join(_scalar(v) for v in allowed)
    if close is not None:
        return f"did you mean {json.dumps(close)}? allowed: {choices}"
    return f"write one of: {choices}"


MODEL_HINTS = {
    "ip_v4_address": "write an IPv4 address: four numbers 0-255, e.g. 10.0.0.1",
    "ip_v4_network": "write an IPv4 network with its host bits zero, e.g. 10.1.0.0/24",
    "ip_v4_interface": "write an IPv4 address with a prefix, e.g. 10.1.0.5/24",
    "finite_number": "write a finite number (not .inf or .nan)",
    "missing": "add the key",
    "extra_forbidden": "remove the key",
}
"""Hints for the pydantic error types the JSON Schema cannot catch first."""


def model_error(error_type: str, ctx: dict[str, Any] | None) -> str:
    """Hint for a model (pydantic) error of *error_type*."""
    if error_type in MODEL_HINTS:
        return MODEL_HINTS[error_type]
    if ctx and "expected" in ctx:
        return f"write {ctx['expected']}"
    if ctx and "pattern" in ctx:
        return pattern(str(ctx["pattern"]))
    return "fix the value as the message says; `specc schema` describes every key"


# YAML syntax: (what the parser said, lower-cased, contains) -> what usually causes it.
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("tab", "indent with spaces, not tabs"),
    (
        "mapping values are not allowed",
        "quote a value that holds ': ' (a: \"b: c\"), or line this key up with its siblings",
    ),
    (
        "could not find expected ':'",
        "put ': ' after each key (name: value); quote a text that spans several lines",
    ),
    (
        "flow mapping",
        "close the '{' with '}' and put ',' between the entries; "
        "or write the mapping as indented 'key: value' lines",
    ),
    (
        "flow sequence",
        "close the '[' with ']' and put ',' between the items; "
        "or write the list as indented '- item' lines",
    ),
    ("end of stream", "close the quote (or bracket) that was opened"),
    (
        "escape",
        "in double quotes a backslash starts an escape: write \\\\, or use single quotes",
    ),
    (
        "block collection",
        "list items ('- ') must line up at one column; a key after a list belongs "
        "at the indentation of its mapping",
    ),
    (
        "block mapping",
        "check the indentation: the keys of one mapping start at the same column, "
        "each followed by ': '",
    ),
    ("node content", "a value cannot start with ']' or '}': quote it"),
    ("document start", "a spec file holds one document: remove the '...' line"),
    ("directive", "remove the '%' line; or quote a value that starts with '%'"),
)
SYNTAX_DEFAULT = (
    "check the indentation (spaces, not tabs) and that ': ' follows each key; "
    "quote values that hold ': ' or ' #'"
)


def syntax(problem: str, char: str = "") -> str:
    """Hint for a YAML syntax error, from the parser's words and the character at fault."""
    said = problem.lower()
    if char == "\t":
        return _SYNTAX_HINTS[0][1]
    if "cannot start any token" in said:
        if char and not char.isspace():
            return f"quote a value that starts with '{char}' (reserved in YAML): \"{char}...\""
        return SYNTAX_DEFAULT
    return next((hint for words, hint in _SYNTAX_HINTS if words in said), SYNTAX_DEFAULT)
