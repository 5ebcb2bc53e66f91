#!/usr/bin/env python3
"""Trim a registry written by ``extract.py`` into specc's package data.

``extract.py`` records everything it learnt about each setting (where each
declaration is, which SQL script created the row, conflicts between duplicate
declarations...). specc reads only what a management server answers or checks:
this script keeps those fields and writes ``specc/data/settings-<release>.json``::

    {"registry": {"repo", "ref", "commit", "tool", "counts"},
     "validation_model": "4.18 ConfigurationManagerImpl.validateConfigurationValue" | null,
     "validation_sets": {"configValuesForValidation": [...], ...},
     "settings": [{record}, ...]}     # sorted by name, one record a line

A record keeps: ``name``, ``category``, ``type`` (the Java type the server
validates with), ``value_type`` (what listConfigurations returns as ``type``),
``kind`` and ``options`` (Select/CSV/Order), ``default``, ``scope`` (list),
``is_dynamic``, ``range`` (the Config enum's range text), ``validation`` (the
4.18 rules of each setting), ``description``, ``group``, ``subgroup``,
``component``, ``parent``, ``display_text``, ``listed`` (false: category Hidden),
``persisted`` (false: declared but never registered, so the server does not
know it), ``config_enum`` (an entry of the ``Config`` enum: its type and range
decide the checks), ``config_key`` (a registered ``ConfigKey``: ConfigDepot knows
it, so scoped values and the IP checks apply) and ``source`` (``file:line`` and the
declaration). Null, false and empty fields are left out.

Usage::

    python3 package.py --registry settings.json --release 4.18.2.5 --out ../../specc/data
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path
from typing import Any

KEPT = (
    "name",
    "category",
    "type",
    "value_type",
    "kind",
    "options",
    "default",
    "scope",
    "is_dynamic",
    "range",
    "validation",
    "description",
    "group",
    "subgroup",
    "component",
    "parent",
    "display_text",
    "listed",
    "persisted",
    "config_enum",
)


def trim(record: dict[str, Any]) -> dict[str, Any]:
    """The fields specc reads of one extracted record (nulls and empty lists dropped).

    >>> trim({"name": "a", "options": None, "validation": [], "listed": True,
    ...       "source": {"file": "F.java", "line": 3, "declaration": "F.A",
    ...                  "origin": "ConfigKey", "registered": True}})
    {'name': 'a', 'listed': True, 'config_key': True, 'source': 'F.java:3 F.A'}
    """
    out = {k: record[k] for k in KEPT if record.get(k) not in (None, [], "", False)}
    src = record.get("source") or {}
    declared = [src, *record.get("other_sources", ())]
    if any(d.get("origin") == "ConfigKey" and d.get("registered") for d in declared):
        out["config_key"] = True
    if src.get("file"):
        where = f"{src['file']}:{src['line']}" if src.get("line") else str(src["file"])
        out["source"] = f"{where} {src['declaration']}" if src.get("declaration") else where
    return out


def package(registry: dict[str, Any]) -> dict[str, Any]:
    """The package-data document of an extracted *registry*."""
    records = [trim(r) for r in sorted(registry["settings"], key=lambda r: r["name"])]
    scopes = collections.Counter(s for r in records for s in r.get("scope", ()))
    src = registry["source"]
    return {
        "registry": {
            "repo": src["repo"],
            "ref": src["ref"],
            "commit": src["commit"],
            "tool": "tools/settings_registry (extract.py, then package.py)",
            "counts": {
                "settings": len(records),
                "listed": sum(1 for r in records if r.get("listed")),
                "hidden": sum(1 for r in records if r.get("persisted") and not r.get("listed")),
                "not_persisted": sum(1 for r in records if not r.get("persisted")),
                "scopes": dict(sorted(scopes.items())),
            },
        },
        "validation_model": registry.get("validation_model"),
        "validation_sets": registry.get("validation_sets", {}),
        "settings": records,
    }


def dump(doc: dict[str, Any]) -> str:
    """*doc* as JSON text: the header indented, then one setting a line."""
    head = {k: v for k, v in doc.items() if k != "settings"}
    text = json.dumps(head, indent=1, sort_keys=True)
    lines = [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in doc["settings"]]
    body = ',\n  "settings": [\n' + ",\n".join(lines) + "\n ]\n}\n"
    return text[: text.rindex("}")].rstrip() + body


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--registry", type=Path, required=True, help="extract.py's output")
    parser.add_argument("--release", required=True, help="e.g. 4.18.2.5")
    parser.add_argument("--out", type=Path, required=True, help="folder: specc/data")
    args = parser.parse_args()
    doc = package(json.loads(args.registry.read_text(encoding="utf-8")))
    target = args.out / f"settings-{args.release}.json"
    target.write_text(dump(doc), encoding="utf-8")
    print(f"{len(doc['settings'])} settings written to {target}")


if __name__ == "__main__":
    main()
