#!/usr/bin/env python3
"""Build CloudStack's settings registry from saved apache/cloudstack sources.

Reads a folder written by ``collect.py`` (files saved verbatim as ``<path with
"/" replaced by "__">`` plus ``MANIFEST.json``) and writes ``settings.json``::

    {"source": {"repo", "ref", "commit", "files", "sql_scripts_replayed"},
     "counts": {...}, "validation_model": ..., "validation_sets": {...},
     "required": {name: {"from": [...], "found": bool}},
     "unnamed_declarations": [...],
     "settings": [{...}, ...]}          # one record per name, sorted by name

Each record is what a freshly installed management server stores in its
``configuration`` table (``ConfigurationServerImpl.configure``):

1. the database scripts run first (rows from SQL, see ``sqlsrc``);
2. ``persistDefaultValues`` inserts each ``Config`` enum entry whose name has
   no row yet (category, component, value = default, kind, options);
3. ``ConfigDepotImpl.populateConfigurations`` inserts each registered ConfigKey
   with no row, or for an existing row rewrites description, default value,
   scope, dynamic flag, component (and kind/options/parent when the key has
   them), keeping the row's category and value.

The Java type used for validation and for the ``type`` of listConfigurations is
the ``Config`` entry's when the name is in the enum, else the ConfigKey's
(``ConfigurationManagerImpl.getConfigurationType``).

Usage::

    python3 extract.py --src src --out settings.json \\
        [--ansible-targets /path/to/ansible-cloudstack-targets]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from declarations import CMI, Declaration, Extractor
from sqlsrc import SqlRow, SqlState, sql_version_key, upgrade_path

__all__ = ["saved_name", "sql_version_key", "unresolved_references"]

Record = dict[str, Any]
BASE_SCHEMA = "setup/db/create-schema.sql"
INT_CHECKS = {  # ConfigurationManagerImpl.validateConfigurationValue, configValuesForValidation
    "vm.password.length": (6, None),
    "remote.access.vpn.psk.length": (8, 256),
    "vm.userdata.max.length": (None, 1048576),
}
NAMED_RANGES = ("privateip", "hypervisorList", "instanceName", "domainName")
PARSERS = {"Integer": "Integer.parseInt", "Float": "Float.parseFloat", "Long": "Long.parseLong"}


def saved_name(path: str) -> str:
    """File name a repository path is saved under."""
    return path.replace("/", "__")


def load_sources(src: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The manifest and the saved files (repository path -> text)."""
    manifest: dict[str, Any] = json.loads((src / "MANIFEST.json").read_text())
    texts = {
        row["path"]: (src / saved_name(row["path"])).read_text(encoding="utf-8", errors="replace")
        for row in manifest["files"]
    }
    return manifest, texts


def replay_sql(texts: dict[str, str]) -> tuple[SqlState, list[str]]:
    """The configuration rows and subgroups a fresh install's scripts leave."""
    state = SqlState()
    scripts = [BASE_SCHEMA] if BASE_SCHEMA in texts else []
    scripts += upgrade_path([p for p in texts if p.endswith(".sql")])
    for path in scripts:
        state.replay(path, texts[path])
    return state, scripts


def input_type(java_type: str | None, kind: str | None, name: str, weights: set[str]) -> str:
    """``ConfigurationManagerImpl.getConfigurationType`` / ``getInputType``."""
    if name in weights:
        return "Range"
    if java_type in ("String", "Character"):
        return kind or "String"
    if java_type in ("Integer", "Long", "Short"):
        return "Number"
    if java_type in ("Float", "Double"):
        return "Decimal"
    if java_type == "Boolean":
        return "Boolean"
    return "String"


def validation_model(cmi_source: str) -> str | None:
    """Which ``validateConfigurationValue`` the saved ConfigurationManagerImpl has.

    ``validation_rules`` models the 4.18 method (type parse, the special name
    sets, then the Config range); later versions (``validateValueType`` /
    ``validateValueRange``) differ, and get no per-setting rules.
    """
    if "validateIfIntValueIsInRange" in cmi_source and "validateValueType(" not in cmi_source:
        return "4.18 ConfigurationManagerImpl.validateConfigurationValue"
    return None


def validation_rules(rec: Record, sets: dict[str, list[str]], key_type: str | None) -> list[Record]:
    """The checks 4.18 ``validateConfigurationValue`` applies to a global value of ``rec``."""
    name, jtype = rec["name"], rec["type"]
    rules: list[Record] = []
    if jtype in PARSERS:
        rules.append({"rule": "parse", "parser": PARSERS[jtype], "null_allowed": False})
    if jtype == "Boolean":
        rules.append({"rule": "boolean", "allowed": ["true", "false"], "case_sensitive": True})
    if name in sets.get("overprovisioningFactorsForValidation", []):
        rules.append({"rule": "greater_than", "min_exclusive": 0, "null_allowed": False})
    if jtype == "Integer" and name in sets.get("macIdentifier", []):
        rules.append({"rule": "int_range", "min": 0, "max": 255})
    if jtype == "Integer" and name in sets.get("configValuesForValidation", []):
        rules.append({"rule": "positive_int", "min_exclusive": 0})
        if name in INT_CHECKS:
            low, high = INT_CHECKS[name]
            rules.append({"rule": "int_range", "min": low, "max": high})
    if jtype == "Float" and name in sets.get("weightBasedParametersForValidation", []):
        rules.append({"rule": "float_range", "min": 0.0, "max": 1.0})
    rng = rec.get("range")
    if rec["config_enum"] and isinstance(rng, str) and jtype != "Boolean":
        items = rng.split(",")
        if jtype == "String":
            options = [
                {"check": i} if i in NAMED_RANGES else {"equals_ignore_case": i} for i in items
            ]
            rules.append({"rule": "string_range", "any_of": options})
        elif jtype == "Integer":
            low_text, _, high_text = items[0].partition("-")
            rules.append({"rule": "int_range", "min": int(low_text), "max": int(high_text)})
        else:
            rules.append({"rule": "always_invalid", "why": "range on a non-String/Integer entry"})
    if key_type == "String" and re.search(r"\.(ip|ipaddress)$", name):
        rules.append({"rule": "ipv4"})
    if key_type == "String" and name.endswith(".iprange"):
        rules.append({"rule": "ipv4_range"})
    return rules


def _row_origin(row: SqlRow | None, cfg: Declaration | None, key: Declaration | None) -> str:
    if row is not None:
        return "sql"
    if cfg is not None:
        return "Config"
    return "ConfigKey" if key is not None else "unregistered ConfigKey"


def _stored_fields(
    row: SqlRow | None, cfg: Declaration | None, key: Declaration | None, first: Declaration | None
) -> Record:
    """Description, default, scope and dynamic flag as the row ends up holding them."""
    if key is not None:  # ConfigDepotImpl.createOrupdateConfigObject rewrites them
        src: Record = key.fields
    elif row is not None:  # persistDefaultValues never touches an existing row
        return {
            "description": row.values.get("description"),
            "default": row.values.get("default_value"),
            "scope": [s.strip() for s in (row.values.get("scope") or "Global").split(",")],
            "is_dynamic": (row.values.get("is_dynamic") or "0").lower() in ("1", "true"),
        }
    else:
        decl = cfg or first
        src = decl.fields if decl is not None else {}
    return {
        "description": src.get("description"),
        "default": src.get("default"),
        "scope": src.get("scope") or ["Global"],
        "is_dynamic": bool(src.get("is_dynamic")),
    }


def _conflicts(ds: Sequence[Declaration]) -> Record:
    out: Record = {}
    for k in ("category", "type", "default", "scope", "is_dynamic", "description"):
        values = [d.fields.get(k) for d in ds]
        if any(v != values[0] for v in values):
            out[k] = [{"declaration": d.declaration, k: d.fields.get(k)} for d in ds]
    return out


def make_record(
    name: str, ds: list[Declaration], row: SqlRow | None, sql: SqlState, sets: dict[str, list[str]]
) -> Record:
    """The effective record of one setting name."""
    cfg = next((d for d in ds if d.origin == "Config"), None)
    keys = [d for d in ds if d.origin == "ConfigKey"]
    key = next((d for d in keys if d.registered), None)
    first = key or cfg or (keys[0] if keys else None)
    typed = cfg or first
    rec: Record = {"name": name}
    if row is not None:
        rec["category"] = row.values.get("category")
    else:
        rec["category"] = typed.fields.get("category") if typed else None
    rec["type"] = typed.fields.get("type") if typed else None
    kind = (key.fields.get("kind") if key else None) or (cfg.fields.get("kind") if cfg else None)
    if kind is None and row is not None:
        kind = row.values.get("kind")
    weights = set(sets.get("weightBasedParametersForValidation", []))
    rec["value_type"] = input_type(rec["type"], kind, name, weights)
    rec.update(_stored_fields(row, cfg, key, first))
    chosen = key or cfg or first
    declared = chosen.fields.get("default") if chosen is not None else None
    if row is not None and key is None and declared is not None and declared != rec["default"]:
        rec["declared_default"] = declared  # the SQL row wins over the Config enum default
    options = key.fields.get("options") if key and key.fields.get("kind") else None
    options = options or (cfg.fields.get("options") if cfg else None)
    rec["kind"] = kind
    rec["options"] = [o.strip() for o in options.split(",")] if isinstance(options, str) else None
    rec["range"] = cfg.fields.get("range") if cfg else None
    rec["config_enum"] = cfg is not None
    for extra in ("parent", "display_text", "multiplier", "default_if_empty", "validator"):
        if first is not None and first.fields.get(extra) is not None:
            rec[extra] = first.fields[extra]
    rec["component"] = cfg.fields.get("component") if cfg else None
    if row is not None and rec["component"] is None:
        rec["component"] = row.values.get("component")
    rec["group"], rec["subgroup"] = sql.group_of(name)
    rec["row_origin"] = _row_origin(row, cfg, key)
    rec["persisted"] = rec["row_origin"] != "unregistered ConfigKey"
    rec["listed"] = rec["persisted"] and rec["category"] != "Hidden"
    sources = [d.cite() for d in ([first] if first else []) + [d for d in ds if d is not first]]
    if row is not None:
        sources.append({"file": row.file, "origin": "sql"})
        if name in sql.renamed:
            sources[-1]["renamed_from"] = sql.renamed[name][0]
    rec["source"] = sources[0]
    if len(sources) > 1:
        rec["other_sources"] = sources[1:]
    if len(ds) > 1 and (conflicts := _conflicts(ds)):
        rec["conflicts"] = conflicts
    if first is not None and first.unresolved:
        rec["unresolved"] = dict(first.unresolved)
    rec["_key_type"] = key.fields.get("type") if key else None
    return rec


def merge(
    decls: list[Declaration], sql: SqlState, sets: dict[str, list[str]], with_rules: bool
) -> list[Record]:
    """One record per setting name, sorted by name."""
    by_name: dict[str, list[Declaration]] = {}
    for d in decls:
        if d.name:
            by_name.setdefault(d.name, []).append(d)
    records: list[Record] = []
    for name in sorted(set(by_name) | set(sql.rows)):
        rec = make_record(name, by_name.get(name, []), sql.rows.get(name), sql, sets)
        key_type = rec.pop("_key_type")
        if with_rules:
            rec["validation"] = validation_rules(rec, sets, key_type)
        records.append(rec)
    return records


def required_names(texts: dict[str, str], ansible: Path | None) -> dict[str, list[str]]:
    """Setting names used by the Marvin configs (globalConfig) and the Ansible targets."""
    wanted: dict[str, set[str]] = {}
    for path, text in texts.items():
        if not path.endswith(".cfg"):
            continue
        body = "\n".join(x for x in text.splitlines() if not x.lstrip().startswith("#"))
        try:
            data = json.loads(body)
        except json.JSONDecodeError:
            continue
        for item in data.get("globalConfig", []) if isinstance(data, dict) else []:
            wanted.setdefault(item["name"], set()).add(path)
    if ansible is not None:
        for yml in sorted(ansible.glob("cs_configuration/tasks/*.yml")):
            for m in re.finditer(
                r"^\s*name:\s*([a-z0-9][\w-]*(?:\.[\w-]+)+)\s*$", yml.read_text(), re.M
            ):
                wanted.setdefault(m.group(1), set()).add(f"ansible:{yml.relative_to(ansible)}")
    return {k: sorted(v) for k, v in sorted(wanted.items())}


def unresolved_references(src: Path) -> tuple[set[str], set[str]]:
    """Classes and constant names used by declarations but defined in no saved file."""
    _, texts = load_sources(src)
    ex = Extractor(texts)
    ex.run()
    ex.validation_sets()
    return set(ex.ev.missing_classes), set(ex.ev.missing_names)


def _counts(decls: list[Declaration], records: list[Record]) -> Record:
    per_file: dict[str, int] = {}
    for d in decls:
        per_file[d.file] = per_file.get(d.file, 0) + 1
    java_names = {d.name for d in decls}
    return {
        "settings": len(records),
        "listed": sum(1 for r in records if r["listed"]),
        "config_enum_entries": sum(1 for d in decls if d.origin == "Config"),
        "configkey_declarations": sum(1 for d in decls if d.origin == "ConfigKey"),
        "sql_only": sum(1 for r in records if r["name"] not in java_names),
        "unregistered_configkeys": sum(1 for r in records if not r["persisted"]),
        "declarations_per_file": dict(sorted(per_file.items())),
    }


def build(src: Path, ansible: Path | None) -> Record:
    """The whole registry document."""
    manifest, texts = load_sources(src)
    ex = Extractor(texts)
    decls = ex.run()
    sql, scripts = replay_sql(texts)
    sets = ex.validation_sets()
    model = validation_model(texts.get(CMI, ""))
    records = merge(decls, sql, sets, model is not None)
    known = {r["name"] for r in records}
    return {
        "source": {
            "repo": manifest["repo"],
            "ref": manifest["ref"],
            "commit": manifest["commit"],
            "files": [row["path"] for row in manifest["files"]],
            "sql_scripts_replayed": scripts,
        },
        "counts": _counts(decls, records),
        "validation_model": model,
        "validation_sets": sets,
        "required": {
            n: {"from": f, "found": n in known} for n, f in required_names(texts, ansible).items()
        },
        "unnamed_declarations": [{**d.cite(), "unresolved": d.unresolved} for d in ex.unnamed],
        "unknown_overloads": [d.cite() for d in decls if not d.overload_known],
        "settings": records,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    here = Path(__file__).parent
    parser.add_argument("--src", type=Path, default=here / "src")
    parser.add_argument("--out", type=Path, default=here / "settings.json")
    parser.add_argument(
        "--ansible-targets", type=Path, default=None, help="folder holding cs_configuration/"
    )
    args = parser.parse_args(argv)
    registry = build(args.src, args.ansible_targets)
    args.out.write_text(json.dumps(registry, indent=1, ensure_ascii=False) + "\n")
    missing = [n for n, v in registry["required"].items() if not v["found"]]
    count = len(registry["settings"])
    sys.stderr.write(f"{count} settings written to {args.out}; required names missing: {missing}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
