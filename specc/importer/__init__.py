"""``specc import``: the spec of a live cloud, the reverse of the reader -> differ path.

The live state (:func:`specc.read`, or a snapshot) goes in; spec text comes out,
one file or one per zone, such that planning it against the same cloud changes
nothing. Each live item becomes the spec entry that builds a resource of its
natural key with its readable fields (:mod:`specc.importer.infra` for the zones,
:mod:`specc.importer.networks` for their subnets, shared networks and guest ranges,
:mod:`specc.importer.catalog` for offerings, images and settings). What the API
does not return is a placeholder (:mod:`specc.spec.placeholders`) with a comment
saying where to find it; secrets are ``{env: NAME}`` references
(:func:`specc.importer.doc.env_name`). :mod:`specc.importer.marvin` converts a
Marvin deployment config to the same kind of document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from specc.cloud.kinds.base import LiveIndex
from specc.cloud.kinds.configuration import SCOPES, cluster_values
from specc.cloud.state import LiveState
from specc.importer import catalog
from specc.importer.doc import Note, dump, slug
from specc.importer.infra import ZoneReader
from specc.spec.placeholders import PREFIX

SECTIONS = ("zones", "offerings", "templates", "isos", "settings")
"""What ``--kinds`` selects: spec sections (a kind name selects its section)."""

SECTION_KINDS: Mapping[str, tuple[str, ...]] = {
    "zones": (
        "zone",
        "vmwaredc",
        "physicalnetwork",
        "traffictype",
        "networkserviceprovider",
        "pod",
        "storagenetworkiprange",
        "vlaniprange",
        "network",
        "cluster",
        "host",
        "hostha",
        "storagepool",
        "imagestore",
    ),
    "offerings": ("diskoffering", "serviceoffering"),
    "templates": ("template",),
    "isos": ("iso",),
    "settings": ("configuration", "domain", "account"),
}
"""The kinds each section is read from."""

SINGLE_FILE = "spec.yaml"
COMMON_FILE = "cloud.yaml"


def section_of(name: str) -> str | None:
    """The section a ``--kinds`` word selects (a section, or a kind of it).

    >>> section_of("zones"), section_of("host"), section_of("serviceoffering"), section_of("x")
    ('zones', 'zones', 'offerings', None)
    """
    if name in SECTIONS:
        return name
    for section, kinds in SECTION_KINDS.items():
        if name in kinds:
            return section
    return None


@dataclass(frozen=True)
class Selection:
    """What to import: *zones* (all when empty), *sections*, built-in offerings."""

    zones: tuple[str, ...] = ()
    sections: tuple[str, ...] = SECTIONS
    builtin: bool = False

    def scopes(self) -> frozenset[str]:
        """The scopes settings are listed at: all but clusters.

        A cluster's own values come with ``listClusters`` (its details:
        :func:`specc.cloud.kinds.configuration.cluster_values`), so a cloud of a
        thousand clusters is not read with a thousand ``listConfigurations``.
        """
        return frozenset(kind for _, _, kind in SCOPES if kind != "cluster")

    def kinds(self) -> tuple[str, ...]:
        """The kinds to read for this selection (zones always: names resolve through them)."""
        wanted = {"zone"}
        for section in self.sections:
            wanted.update(SECTION_KINDS[section])
        if "settings" in self.sections:
            wanted.update(SECTION_KINDS["zones"])
        return tuple(sorted(wanted))


@dataclass(frozen=True)
class Imported:
    """The spec text (file name -> text), and what the operator must know.

    ``skipped``: live objects not imported, and why. ``secrets``: the environment
    variables the spec references. ``placeholders``: how many values are left to fill.
    """

    files: Mapping[str, str]
    skipped: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()
    placeholders: int = 0


def _cloudstack_version(api_version: str) -> str:
    """``4.18.0.0`` -> ``4.18.0`` (the spec's version has at most three parts)."""
    return ".".join(api_version.split(".")[:3]) or "4.18"


def _in(zones: list[str] | None, chosen: set[str] | None) -> bool:
    return chosen is None or not zones or set(zones) <= chosen


@dataclass
class _Parts:
    """The sections of the imported spec before they are written."""

    version: str
    subnets: list[dict[str, Any]] = field(default_factory=list)
    zones: list[dict[str, Any]] = field(default_factory=list)
    rest: dict[str, Any] = field(default_factory=dict)


def build_document(live: LiveState, selection: Selection) -> tuple[dict[str, Any], _Split]:
    """The spec document of *live*, and what splitting it by zone needs."""
    skipped: list[str] = []
    index = LiveIndex(live.resources)
    chosen = set(selection.zones) or None
    listed = live.items("configuration")
    values = (*listed, *cluster_values(live.items("cluster"), listed))
    glob, own = catalog.settings(values, index, live.api_version, skipped)
    if "settings" not in selection.sections:
        glob, own = {}, {}
    reader = ZoneReader(live, own, skipped)
    zones: list[dict[str, Any]] = []
    if "zones" in selection.sections:
        for item in sorted(live.items("zone"), key=lambda z: str(z["name"])):
            if chosen is None or item["name"] in chosen:
                zones.append(reader.zone(item))
    reader.finish(zones)
    doc: dict[str, Any] = {
        "version": 1,
        "cloudstack": {"version": _cloudstack_version(live.api_version)},
    }
    subnets = reader.subnets.document()
    if subnets:
        doc["subnets"] = subnets
    backends = reader.backends.document()
    if backends:
        doc["backends"] = backends
    if zones:
        doc["zones"] = zones
    if "offerings" in selection.sections:
        offerings = catalog.offerings(live.resources, index, selection.builtin, skipped)
        for group in offerings.values():
            group[:] = [o for o in group if _in(o.get("zones"), chosen)]
        offerings = {k: v for k, v in offerings.items() if v}
        if offerings:
            doc["offerings"] = offerings
    for section, kind in (("templates", "template"), ("isos", "iso")):
        if section in selection.sections:
            found = catalog.images(live.items(kind), index, kind == "template", skipped)
            found = [i for i in found if _in(i.get("zones"), chosen)]
            if found:
                doc[section] = found
    if glob:
        doc["settings"] = glob
    domain_settings = [
        {"domain": obj, "settings": values}
        for (scope, obj), values in sorted(own.items())
        if scope == "domain"
    ]
    if domain_settings:
        doc["domain_settings"] = domain_settings
    account_settings = [
        {"account": obj.rsplit("/", 1)[1], "domain": obj.rsplit("/", 1)[0], "settings": values}
        for (scope, obj), values in sorted(own.items())
        if scope == "account"
    ]
    if account_settings:
        doc["account_settings"] = account_settings
    split = _Split(
        reader.zone_backends, reader.backends.names(), reader.subnets.names(), tuple(skipped)
    )
    return doc, split


@dataclass(frozen=True)
class _Split:
    """Which backends and subnets each zone uses (for ``-o DIR``), and what was skipped."""

    zone_backends: Mapping[str, list[str]]
    backend_names: Mapping[str, str]
    subnet_names: Mapping[str, str]
    skipped: tuple[str, ...]


def _walk(value: Any) -> Iterator[Any]:
    """Every value inside *value* (notes opened), depth first."""
    stack = [value]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, Note):
            stack.append(item.value)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _secrets(doc: Any) -> tuple[str, ...]:
    return tuple(
        sorted({str(v["env"]) for v in _walk(doc) if isinstance(v, Mapping) and set(v) == {"env"}})
    )


def _placeholders(doc: Any) -> int:
    return sum(1 for v in _walk(doc) if isinstance(v, str) and v.startswith(PREFIX))


def _header(version: str, secrets: tuple[str, ...], holes: int) -> str:
    lines = [
        f"Imported by `specc import` from a CloudStack {version} cloud.",
        "Secrets are {env: NAME} references: set them before `specc apply`.",
    ]
    if secrets:
        more = f" and {len(secrets) - 10} more" if len(secrets) > 10 else ""
        lines.append("Secrets referenced: " + ", ".join(secrets[:10]) + more + ".")
    if holes:
        lines.append(
            f'{holes} value(s) the API does not return are placeholders ("<fill in: ...>"): '
            "`specc validate` lists them; the comment on each line says where to look."
        )
    return "\n".join(lines)


def import_live(
    live: LiveState, selection: Selection | None = None, *, split: bool = False
) -> Imported:
    """The spec of *live*: one file (``spec.yaml``) or, with *split*, one per zone.

    Split: ``cloud.yaml`` holds the version, offerings, images, settings and the
    backends several zones share; ``zone-<name>.yaml`` a zone with its own subnets
    and backends. The folder is a spec (``specc plan DIR``).
    """
    doc, parts = build_document(live, selection or Selection())
    secrets = _secrets(doc)
    holes = _placeholders(doc)
    header = _header(live.api_version, secrets, holes)
    if not split:
        return Imported({SINGLE_FILE: dump(doc, header)}, parts.skipped, secrets, holes)
    files: dict[str, str] = {}
    used: dict[str, set[str]] = {}
    for zone, keys in parts.zone_backends.items():
        for key in keys:
            used.setdefault(parts.backend_names[key], set()).add(zone)
    shared = {name for name, zones in used.items() if len(zones) > 1}
    common = {k: v for k, v in doc.items() if k not in ("subnets", "backends", "zones")}
    common_backends = [
        b for b in doc.get("backends", []) if b["name"] not in used or b["name"] in shared
    ]
    if common_backends:
        common = {**common, "backends": common_backends}
    files[COMMON_FILE] = dump(_ordered(common), header)
    for zone in doc.get("zones", []):
        name = zone["name"]
        prefix = name + "|"
        subnet_names = {n for k, n in parts.subnet_names.items() if k.startswith(prefix)}
        part: dict[str, Any] = {}
        subnets = [s for s in doc.get("subnets", []) if s["name"] in subnet_names]
        if subnets:
            part["subnets"] = subnets
        own = [b for b in doc.get("backends", []) if used.get(b["name"]) == {name}]
        if own:
            part["backends"] = own
        part["zones"] = [zone]
        files[f"zone-{slug(name)}.yaml"] = dump(part, f"Zone {name}: see {COMMON_FILE}.")
    return Imported(files, parts.skipped, secrets, holes)


ORDER = (
    "version",
    "cloudstack",
    "subnets",
    "backends",
    "zones",
    "offerings",
    "templates",
    "isos",
    "settings",
    "domain_settings",
    "account_settings",
)


def _ordered(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {k: doc[k] for k in ORDER if k in doc}
