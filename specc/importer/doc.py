"""The spec document an import or a conversion builds, and its YAML text.

A document is plain data (dicts in spec key order, lists, scalars) in which a value
may carry a comment (:class:`Note`). Placeholders (``Unread``) and secrets of
imported backends (``SecretSlot``) are turned into a ``Note`` before writing.
:func:`dump` writes it with ruamel.yaml in the examples' layout: two-space
indentation, block lists of mappings, flow lists of scalars, the comment at the end
of its line. The same document gives the same bytes.
"""

from __future__ import annotations

import io
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
    return not isinstance(value, Mapping | list | Note)


FLOW_KEYS = frozenset({"labels", "pool", "qos", "checksum", "rbd_cache", "storage_range"})
"""Keys whose mapping value is written on one line, as in the examples."""


def _to_yaml(value: Any, key: str = "") -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, Note):
        return _to_yaml(value.value, key)
    if isinstance(value, Mapping):
        out = CommentedMap()
        for name, item in value.items():
            out[name] = _to_yaml(item, str(name))
            if isinstance(item, Note):
                out.yaml_add_eol_comment(item.comment, name)
        secret_ref = set(value) in ({"env"}, {"file"})
        if (key in FLOW_KEYS or secret_ref) and all(_plain(v) for v in value.values()):
            out.fa.set_flow_style()
        else:
            out.fa.set_block_style()
        return out
    if isinstance(value, list):
        seq = CommentedSeq()
        for i, item in enumerate(value):
            seq.append(_to_yaml(item))
            if isinstance(item, Note):
                seq.yaml_add_eol_comment(item.comment, i)
        if value and all(_plain(v) for v in value):
            seq.fa.set_flow_style()
        else:
            seq.fa.set_block_style()
        return seq
    return value


def dump(document: Mapping[str, Any], header: str = "") -> str:
    """The YAML text of *document*, *header* as its leading comment lines."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.default_flow_style = False
    out = io.StringIO()
    top = _to_yaml(document)
    yaml.dump(top, out)
    text = out.getvalue()
    # A blank line between the top-level sections, as in the examples.
    text = re.sub(r"\n(?=[a-z_]+:)", "\n\n", text)
    lead = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return lead + text
