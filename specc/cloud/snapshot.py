"""Snapshot files: a cloud's live state as JSON, written byte-stable and read strictly.

The format (``schemas/snapshot-v1.schema.json``)::

    {"format": "specc-snapshot", "version": 1, "api_version": "4.18.0.0",
     "resources": {"zone": [<listZones items exactly as the API returns them>], ...}}

Kinds are the item keys of the registry ``specc.cloud.kinds.KINDS``. The simulator seeds from a
snapshot with the ids kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from specc.cloud.kinds import KINDS
from specc.cloud.state import SNAPSHOT_FORMAT, SNAPSHOT_VERSION, LiveState
from specc.errors import SnapshotError

SNAPSHOT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://specc.dev/schemas/snapshot-v1.schema.json",
    "title": "specc live-state snapshot, version 1",
    "description": (
        "The live state of a CloudStack cloud: per kind (the list response's item key), "
        "the items exactly as the list command returned them."
    ),
    "type": "object",
    "required": ["format", "version", "api_version", "resources"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": SNAPSHOT_FORMAT},
        "version": {"const": SNAPSHOT_VERSION},
        "api_version": {
            "type": "string",
            "pattern": r"^[0-9]+(\.[0-9]+){1,3}$",
            "description": "cloudstackversion as listCapabilities reports it, e.g. 4.18.0.0",
        },
        "resources": {
            "type": "object",
            "propertyNames": {"enum": list(KINDS)},
            "additionalProperties": {"type": "array", "items": {"type": "object"}},
        },
    },
}


def _item_sort_key(item: Any) -> tuple[str, str, str]:
    return (
        str(item.get("id", "")),
        str(item.get("name", "")),
        json.dumps(item, sort_keys=True),
    )


def dump_snapshot(state: LiveState) -> str:
    """*state* as snapshot JSON: keys and items sorted, two-space indent, final newline.

    >>> print(dump_snapshot(LiveState("4.18.0.0", {"zone": ({"name": "z", "id": "1"},)})))
    {
      "api_version": "4.18.0.0",
      "format": "specc-snapshot",
      "resources": {
        "zone": [
          {
            "id": "1",
            "name": "z"
          }
        ]
      },
      "version": 1
    }
    <BLANKLINE>
    """
    unknown = sorted(set(state.resources) - set(KINDS))
    if unknown:
        raise SnapshotError(
            f"cannot write a snapshot with unknown kinds: {', '.join(unknown)}",
            hint=f"kinds are: {', '.join(KINDS)}",
        )
    doc = {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "api_version": state.api_version,
        "resources": {
            kind: sorted((dict(i) for i in items), key=_item_sort_key)
            for kind, items in state.resources.items()
        },
    }
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def parse_snapshot(text: str, source: str = "<snapshot>") -> LiveState:
    """Read snapshot JSON *text*; *source* names it in error messages."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        reason = "it ends early (truncated?)" if exc.pos >= len(text.rstrip()) else exc.msg
        raise SnapshotError(
            f"{source} is not a valid snapshot: not JSON at {where}: {reason}",
            hint="write snapshots with `specc snapshot`",
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotError(
            f'{source} is not a specc snapshot (no "format": "{SNAPSHOT_FORMAT}")',
            hint="write snapshots with `specc snapshot`",
        )
    if doc.get("version") != SNAPSHOT_VERSION:
        raise SnapshotError(
            f"{source} is snapshot format version {doc.get('version')!r}; "
            f"this specc reads version {SNAPSHOT_VERSION}",
            hint="take the snapshot again with this specc",
        )
    errors = sorted(
        jsonschema.Draft202012Validator(SNAPSHOT_SCHEMA).iter_errors(doc),
        key=lambda e: list(map(str, e.absolute_path)),
    )
    if errors:
        first = errors[0]
        path = "/".join(str(p) for p in first.absolute_path) or "(top)"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise SnapshotError(f"{source} is not a valid snapshot: at {path}: {first.message}{more}")
    resources = {kind: tuple(items) for kind, items in doc["resources"].items()}
    return LiveState(api_version=doc["api_version"], resources=resources)


def load_snapshot(path: Path) -> LiveState:
    """Read and validate the snapshot file *path*.

    Raises SnapshotError for an unreadable, truncated, foreign or invalid file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SnapshotError(f"cannot read snapshot {path}: {exc}") from None
    return parse_snapshot(text, str(path))


def schema_text() -> str:
    """The JSON Schema of the snapshot format, as checked in under ``schemas/``."""
    return json.dumps(SNAPSHOT_SCHEMA, indent=2) + "\n"
