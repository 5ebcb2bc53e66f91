"""Merging the documents of several spec files into one.

Top-level lists concatenate, the lists inside ``offerings`` concatenate,
``settings`` merge (a key set twice is an error), and any other value must be
equal in every file that sets it. The source trees merge alongside, so every value
keeps the file and line it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from specc.errors import Diagnostic, Location, Severity
from specc.spec.sourcemap import SourceNode

MERGE_CONFLICT = "SPC010"

_CONCAT_MAPPINGS = ("offerings",)
_MERGE_MAPPINGS = ("settings",)


def merge(
    parts: Sequence[tuple[dict[str, Any], SourceNode]],
) -> tuple[dict[str, Any], SourceNode, list[Diagnostic]]:
    """Merge several files' documents into one.

    Top-level lists concatenate, the lists inside ``offerings`` concatenate,
    ``settings`` merge (a key set twice is an error), and any other value must be
    equal in every file that sets it.
    """
    data, root = _copy_mapping(*parts[0])
    diags: list[Diagnostic] = []
    for value, node in parts[1:]:
        _merge_into(data, root, value, node, (), diags)
    return data, root, diags


def _copy_mapping(value: dict[str, Any], node: SourceNode) -> tuple[dict[str, Any], SourceNode]:
    return dict(value), SourceNode(
        node.pos, members=dict(node.members or {}), keys=dict(node.keys or {})
    )


def _merge_into(
    data: dict[str, Any],
    root: SourceNode,
    value: dict[str, Any],
    node: SourceNode,
    path: tuple[str, ...],
    diags: list[Diagnostic],
) -> None:
    assert root.members is not None and root.keys is not None
    members, keys = node.members or {}, node.keys or {}
    for key, new in value.items():
        new_node, key_loc = members[key], keys[key]
        if key not in data:
            data[key] = new
            root.members[key], root.keys[key] = new_node, key_loc
            continue
        old, old_node = data[key], root.members[key]
        where = ".".join((*path, key))
        if isinstance(old, list) and isinstance(new, list):
            data[key] = old + new
            root.members[key] = SourceNode(
                old_node.pos, items=[*(old_node.items or []), *(new_node.items or [])]
            )
        elif (
            not path and key in _CONCAT_MAPPINGS and isinstance(old, dict) and isinstance(new, dict)
        ):
            merged, merged_node = _copy_mapping(old, old_node)
            _merge_into(merged, merged_node, new, new_node, (key,), diags)
            data[key], root.members[key] = merged, merged_node
        elif (
            not path and key in _MERGE_MAPPINGS and isinstance(old, dict) and isinstance(new, dict)
        ):
            merged, merged_node = _copy_mapping(old, old_node)
            assert merged_node.members is not None and merged_node.keys is not None
            for k, v in new.items():
                if k in merged:
                    diags.append(
                        Diagnostic(
                            MERGE_CONFLICT,
                            Severity.ERROR,
                            f"setting '{k}' is also set at {Location(*merged_node.keys[k])}",
                            Location(*(new_node.keys or {})[k]),
                            "set each global setting in one file only",
                            (key, k),
                        )
                    )
                    continue
                merged[k] = v
                merged_node.members[k] = (new_node.members or {})[k]
                merged_node.keys[k] = (new_node.keys or {})[k]
            data[key], root.members[key] = merged, merged_node
        elif old != new:
            diags.append(
                Diagnostic(
                    MERGE_CONFLICT,
                    Severity.ERROR,
                    f"'{where}' differs from its value at {Location(*root.keys[key])}",
                    Location(*key_loc),
                    "files of one spec must agree on every value they both set",
                    (*path, key),
                )
            )
