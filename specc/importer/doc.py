"""The spec document an import or a conversion builds, and its YAML text.

A document is plain data (dicts in spec key order, lists, scalars) in which a value
may carry a comment (:class:`Note`). Placeholders (``Unread``) and secrets of
imported backends (``SecretSlot``) are turned into a ``Note`` before writing.
:func:`dump` writes it in the examples' layout: two-space
indentation, block lists of mappings, flow lists of scalars, the comment at the end
of its line (two spaces before it). The same document gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from specc.backends.base import SecretSlot
from specc.spec.placeholders import Unread


@dataclass(frozen=True)
class Note:
    """A value with a comment on its line (where to find a value, what a secret is)."""

    value: Any
    comment: str


def env_name(*parts: str) -> str:
    """A stable environment variable name from object names.

    >>> env_name("a-ceph", "KEY"), env_name("zone 1/pod", "host_password")
    ('A_CEPH_KEY', 'ZONE_1_POD_HOST_PASSWORD')
    """
    text = "_".join(re.sub(r"[^A-Za-z0-9]+", "_", p).strip("_") for p in parts if p)
    text = text.upper() or "SECRET"
    return text if not text[0].isdigit() else "S_" + text


def name_of(text: str) -> str:
    """*text* as a spec name (letters, digits, ``_ . -`` and spaces).

    >>> name_of("10.0.0.5"), name_of("/export/primary")
    ('10.0.0.5', 'export-primary')
    """
    cleaned = re.sub(r"[^A-Za-z0-9_.\- ]+", "-", text).strip("-. ")
    return cleaned or "unnamed"


def slug(text: str) -> str:
    """*text* as a name part without dots or spaces.

    >>> slug("mon.ceph-a.example.internal")
    'mon-ceph-a-example-internal'
    """
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"


def secret(name: str, where: str) -> Note:
    """An ``{env: NAME}`` reference with where its value comes from."""
    return Note({"env": name}, f"secret: {where}")


def resolve(value: Any, owner: str) -> Any:
    """*value* with its placeholders and secret slots as notes (*owner* names env vars)."""
    if isinstance(value, Unread):
        comment = f"not readable via the API: {value.where}"
        if value.optional:
            comment += " (null if there is none)"
        return Note(value.text, comment)
    if isinstance(value, SecretSlot):
        return secret(env_name(owner, value.suffix), value.where)
    if isinstance(value, Mapping):
        return {k: resolve(v, owner) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, owner) for v in value]
    return value


def _plain(value: Any) -> bool:
    return not isinstance(value, dict | list | Note)


FLOW_KEYS = frozenset({"labels", "pool", "qos", "checksum", "rbd_cache", "storage_range"})
"""Keys whose mapping value is written on one line, as in the examples."""


def dump(document: Mapping[str, Any], header: str = "") -> str:
    """The YAML text of *document*, *header* as its leading comment lines.

    Written by :func:`emit`, a direct writer for this document shape: ruamel.yaml's
    emitter takes ~2 ms per resource (20 s for a 10,000-resource cloud) and pads
    comments unevenly. The tests load the text back with ruamel.yaml (as the spec
    loader does) and compare it with the document.
    """
    lead = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return lead + _blank_lines(emit(document))


def _blank_lines(text: str) -> str:
    """A blank line between the top-level sections, as in the examples."""
    return re.sub(r"\n(?=[a-z_]+:)", "\n\n", text)


_PLAIN = re.compile(r"^[A-Za-z0-9_./(][A-Za-z0-9_./()@+ :,=-]*$")
_SPECIAL = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:[0-9][0-9_]*)?\.?[0-9]*"
    r"(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$"
)


def scalar(value: Any, flow: bool = False) -> str:
    """One scalar as YAML text: plain when it reads back as the same string, else quoted.

    >>> scalar("10.0.0.1"), scalar("3600"), scalar("a: b"), scalar(True), scalar(None)
    ('10.0.0.1', "'3600'", "'a: b'", 'true', 'null')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    plain = (
        bool(_PLAIN.match(text))
        and not _SPECIAL.match(text)
        and ": " not in text
        and " #" not in text
        and not text.endswith((":", " "))
        and not (flow and ("," in text or "[" in text or "]" in text))
    )
    return text if plain else "'" + text.replace("'", "''") + "'"


def _flow(value: Any, key: str) -> bool:
    if isinstance(value, Note):
        return _flow(value.value, key)
    if isinstance(value, Mapping):
        secret_ref = set(value) in ({"env"}, {"file"})
        return (
            bool(value)
            and (key in FLOW_KEYS or secret_ref)
            and all(_plain(v) for v in value.values())
        )
    if isinstance(value, list):
        return bool(value) and all(_plain(v) for v in value)
    return False


def _inline(value: Any) -> str:
    if isinstance(value, Note):
        return _inline(value.value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {scalar(v, True)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v, True) for v in value) + "]"
    return scalar(value)


def emit(document: Mapping[str, Any]) -> str:
    """The block YAML of *document* in the examples' layout (see :func:`dump`)."""
    out: list[str] = []
    _mapping(document, 0, out, "")
    return "".join(out)


def _comment(value: Any, text: str) -> str:
    if not isinstance(value, Note):
        return text + "\n"
    return f"{text}  # {value.comment}\n"


def _mapping(value: Mapping[str, Any], indent: int, out: list[str], first: str) -> None:
    """A block mapping at *indent*; *first* prefixes its first line (a list dash)."""
    for i, (key, item) in enumerate(value.items()):
        lead = first if i == 0 and first else " " * indent
        bare = item.value if isinstance(item, Note) else item
        if isinstance(bare, Mapping | list) and bare and not _flow(item, str(key)):
            out.append(f"{lead}{key}:\n")
            if isinstance(bare, Mapping):
                _mapping(bare, indent + 2, out, "")
            else:
                _sequence(bare, indent + 2, out)
        else:
            text = _inline(item) if isinstance(bare, Mapping | list) else scalar(bare)
            out.append(_comment(item, f"{lead}{key}: {text}"))


def _sequence(value: list[Any], indent: int, out: list[str]) -> None:
    for item in value:
        bare = item.value if isinstance(item, Note) else item
        if isinstance(bare, Mapping) and bare:
            _mapping(bare, indent + 2, out, " " * indent + "- ")
        elif isinstance(bare, list) and bare:
            out.append(" " * indent + "- " + _inline(bare) + "\n")
        else:
            out.append(_comment(item, " " * indent + "- " + scalar(bare)))
