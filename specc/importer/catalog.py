"""Offerings, templates, ISOs and settings back into a spec.

The reverse of the offering, image and settings parts of :mod:`specc.graph.build`.
Built-in objects are left out unless asked for: the offerings the management server
creates on its first start (apache/cloudstack 4.18.2.5
``server/src/main/java/com/cloud/server/ConfigurationServerImpl.java``,
``createServiceOffering`` "Small Instance", "Medium Instance" and
``createDefaultDiskOffering`` "Small", "Medium", "Large", "Custom"); system and
built-in templates are never ours (their kinds key only user images). A setting is
imported when its value differs from its default (the listed ``defaultvalue``, else
the settings registry's); a scoped value when it differs from the global value (a
scoped listing shows inherited values too, ``ConfigKey.valueIn``). ``Secure``
settings (passwords, keys) are left out: a setting value cannot be a reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, get_args

from specc.cloud.kinds.account import domain_path
from specc.cloud.kinds.base import Item, LiveIndex
from specc.cloud.kinds.configuration import PARAM_OF
from specc.cloud.kinds.normalise import norm_bool_false, norm_csv, norm_int, norm_scalar
from specc.cloud.settings import registry_for
from specc.importer.doc import resolve
from specc.spec.models import Template
from specc.spec.placeholders import Unread
from specc.spec.types import HYPERVISORS

BUILTIN_SERVICE = frozenset({"Small Instance", "Medium Instance"})
BUILTIN_DISK = frozenset({"Small", "Medium", "Large", "Custom"})
CHECKSUM = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384"}
CHECKSUM["SHA-512"] = "sha512"
RATES = (
    ("bytes_read_rate", "diskBytesReadRate"),
    ("bytes_write_rate", "diskBytesWriteRate"),
    ("iops_read_rate", "diskIopsReadRate"),
    ("iops_write_rate", "diskIopsWriteRate"),
)
FORMATS = frozenset(get_args(Template.model_fields["format"].annotation))


def typed(value: Any) -> Any:
    """A setting's listed text as the YAML scalar it reads as (numbers, booleans).

    >>> typed("3600"), typed("true"), typed("2.0"), typed("0123"), typed("a,b")
    (3600, True, 2.0, '0123', 'a,b')
    """
    text = str(value)
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?[1-9][0-9]{0,17}|0", text):
        return int(text)
    if re.fullmatch(r"-?(0|[1-9][0-9]*)\.[0-9]+", text):
        return float(text)
    return text


def _zones(item: Item) -> list[str]:
    names = norm_csv(item.get("zone"))
    return names.split(",") if names else []


def _offering(item: Item, zones: set[str] | None) -> dict[str, Any] | None:
    out: dict[str, Any] = {"name": str(item["name"])}
    if item.get("displaytext") and item["displaytext"] != item["name"]:
        out["display_text"] = str(item["displaytext"])
    if str(item.get("storagetype", "shared")).lower() != "shared":
        out["storage_type"] = str(item["storagetype"]).lower()
    if str(item.get("provisioningtype", "thin")).lower() != "thin":
        out["provisioning"] = str(item["provisioningtype"]).lower()
    return out


def _qos(item: Item) -> dict[str, Any] | None:
    rates = {spec: norm_int(item.get(listed)) for spec, listed in RATES}
    if any(rates.values()):
        return {"type": "hypervisor", **{k: v for k, v in rates.items() if v}}
    if norm_bool_false(item.get("iscustomizediops")):
        return {"type": "storage", "customized": True}
    lo, hi = norm_int(item.get("miniops")), norm_int(item.get("maxiops"))
    if lo or hi:
        return {
            "type": "storage",
            **({"min_iops": lo} if lo else {}),
            **({"max_iops": hi} if hi else {}),
        }
    return None


def _tail(out: dict[str, Any], item: Item, tags: str) -> None:
    storage_tags = norm_csv(item.get(tags))
    if storage_tags:
        out["storage_tags"] = storage_tags.split(",")
    qos = _qos(item)
    if qos is not None:
        out["qos"] = qos
    reserve = norm_int(item.get("hypervisorsnapshotreserve"))
    if reserve:
        out["hypervisor_snapshot_reserve"] = reserve
    zones = _zones(item)
    if zones:
        out["zones"] = zones


def disk_offering(item: Item) -> dict[str, Any]:
    """A disk offering's spec entry."""
    out = _offering(item, None) or {}
    _tail(out, item, "tags")
    if norm_bool_false(item.get("iscustomized")):
        out["custom_size"] = True
    elif norm_int(item.get("disksize")):
        out["size_gb"] = norm_int(item.get("disksize"))
    return _order(out, ("name", "display_text", "size_gb", "custom_size"))


COMPUTE_ORDER = (
    "name",
    "display_text",
    "cpu_number",
    "cpu_speed_mhz",
    "memory_mb",
    "storage_type",
    "provisioning",
    "storage_tags",
    "host_tags",
    "offer_ha",
    "limit_cpu_use",
    "root_disk_size_gb",
    "qos",
    "hypervisor_snapshot_reserve",
    "zones",
)


def service_offering(item: Item) -> dict[str, Any] | None:
    """A compute offering's spec entry (None: custom CPU/memory, which the spec lacks)."""
    if not (item.get("cpunumber") and item.get("cpuspeed") and item.get("memory")):
        return None
    out = _offering(item, None) or {}
    out["cpu_number"] = int(item["cpunumber"])
    out["cpu_speed_mhz"] = int(item["cpuspeed"])
    out["memory_mb"] = int(item["memory"])
    _tail(out, item, "storagetags")
    hosttags = norm_csv(item.get("hosttags"))
    if hosttags:
        out["host_tags"] = hosttags.split(",")
    if norm_bool_false(item.get("offerha")):
        out["offer_ha"] = True
    if norm_bool_false(item.get("limitcpuuse")):
        out["limit_cpu_use"] = True
    if norm_int(item.get("rootdisksize")):
        out["root_disk_size_gb"] = norm_int(item.get("rootdisksize"))
    return _order(out, COMPUTE_ORDER)


def _order(out: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    head = {k: out[k] for k in first if k in out}
    return {**head, **{k: v for k, v in out.items() if k not in head}}


def offerings(
    live: Mapping[str, tuple[Item, ...]], index: LiveIndex, builtin: bool, skipped: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """The ``offerings`` section: user offerings (and built-ins with *builtin*), by name."""
    out: dict[str, list[dict[str, Any]]] = {}
    disks = [
        disk_offering(i)
        for i in _user(live.get("diskoffering", ()))
        if builtin or i["name"] not in BUILTIN_DISK
    ]
    computes = []
    for i in _user(live.get("serviceoffering", ())):
        if not builtin and i["name"] in BUILTIN_SERVICE:
            continue
        entry = service_offering(i)
        if entry is None:
            skipped.append(f"compute offering {i['name']}: custom CPU/memory is not in the spec")
        else:
            computes.append(entry)
    if disks:
        out["disk"] = disks
    if computes:
        out["compute"] = computes
    return out


def _user(items: Iterable[Item]) -> list[Item]:
    """User offerings by name (system and default-use offerings are not ours)."""
    return sorted(
        (
            i
            for i in items
            if not norm_bool_false(i.get("issystem")) and not norm_bool_false(i.get("defaultuse"))
        ),
        key=lambda i: str(i["name"]),
    )


def images(
    items: Iterable[Item], index: LiveIndex, template: bool, skipped: list[str]
) -> list[dict[str, Any]]:
    """User templates (or ISOs), one entry per name and hypervisor with its zones."""
    groups: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        if item.get("templatetype") not in ("USER", "PERHOSTUSER", None):
            continue
        groups.setdefault((str(item["name"]), str(item.get("hypervisor", ""))), []).append(item)
    out = []
    noun = "template" if template else "ISO"
    for (name, hypervisor), group in sorted(groups.items()):
        first = group[0]
        if template and (hypervisor not in HYPERVISORS or first.get("format") not in FORMATS):
            skipped.append(f"{noun} {name}: hypervisor {hypervisor} / format not in the spec")
            continue
        entry: dict[str, Any] = {"name": name}
        if first.get("displaytext") and first["displaytext"] != name:
            entry["display_text"] = str(first["displaytext"])
        url = str(first.get("url") or "")
        entry["url"] = (
            url
            if re.match(r"^(https?|ftp)://", url)
            else resolve(Unread(f"download URL of {name}", "the URL it was registered from"), "")
        )
        if url.lower().endswith(".metalink"):
            entry["metalink"] = True  # the server reads such a URL as a metalink (SPC379)
        if template:
            entry["format"] = first["format"]
            entry["hypervisor"] = hypervisor
        entry["os_type"] = str(first.get("ostypename", ""))
        cross = any(norm_bool_false(i.get("crossZones")) for i in group)
        if not cross:
            zones = sorted({z for i in group if (z := index.zone_name(i))})
            if zones:
                entry["zones"] = zones
        if norm_bool_false(first.get("directdownload")):
            entry["direct_download"] = True
        checksum = _checksum(first.get("checksum"))
        if checksum is not None:
            entry["checksum"] = checksum
        for key, listed in (("public", "ispublic"), ("featured", "isfeatured")):
            if norm_bool_false(first.get(listed)):
                entry[key] = True
        if template:
            if norm_bool_false(first.get("passwordenabled")):
                entry["password_enabled"] = True
            if norm_bool_false(first.get("isextractable")):
                entry["extractable"] = True
            if not norm_bool_false(first.get("requireshvm", True)):
                entry["requires_hvm"] = False
        elif not norm_bool_false(first.get("bootable", True)):
            entry["bootable"] = False
        out.append(entry)
    return out


def _checksum(value: Any) -> dict[str, str] | None:
    """``{SHA-256}hex`` (or a bare MD5) as the spec's checksum."""
    text = str(value or "").strip()
    m = re.fullmatch(r"\{([A-Z0-9-]+)\}([0-9a-fA-F]{32,128})", text)
    if m and m.group(1) in CHECKSUM:
        return {"algorithm": CHECKSUM[m.group(1)], "value": m.group(2).lower()}
    if re.fullmatch(r"[0-9a-fA-F]{32}", text):
        return {"algorithm": "md5", "value": text.lower()}
    return None


def _listed_value(item: Item) -> Any:
    return norm_scalar(item.get("value"))


def settings(
    items: Iterable[Item], index: LiveIndex, version: str, skipped: list[str]
) -> tuple[dict[str, Any], dict[tuple[str, str], dict[str, Any]]]:
    """(global settings changed from their default, scope object -> its own settings).

    Scope objects are (scope, object id) for zones, clusters, pools and image stores,
    (``domain``, path) and (``account``, ``path/name``) for domains and accounts.
    """
    registry = registry_for(version)
    glob: dict[str, Any] = {}
    global_values: dict[str, Any] = {}
    scoped: list[Item] = []
    secure: list[str] = []
    for item in items:
        scope = item.get("scope")
        if scope not in (None, "", "global"):
            scoped.append(item)
            continue
        name = str(item["name"])
        value = _listed_value(item)
        global_values[name] = value
        default = item.get("defaultvalue")
        if default is None:
            info = registry.get(name)
            default = None if info is None else info.default
        if value is None or value == norm_scalar(default):
            continue
        if item.get("category") == "Secure":
            secure.append(name)
            continue
        glob[name] = typed(value)
    if secure:
        skipped.append(
            f"{len(secure)} Secure setting(s) changed from their default, left out "
            f"(a value cannot be a reference): {', '.join(sorted(secure))}"
        )
    own: dict[tuple[str, str], dict[str, Any]] = {}
    for item in scoped:
        name = str(item["name"])
        value = _listed_value(item)
        if value is None or value == global_values.get(name) or item.get("category") == "Secure":
            continue
        scope = str(item["scope"])
        param = PARAM_OF.get(scope)
        if param is None or item.get(param) is None:
            continue
        obj = str(item[param])
        if scope == "domain":
            domain = index.get("domain", obj)
            if domain is None:
                continue
            obj = str(domain["path"])
        elif scope == "account":
            account = index.get("account", obj)
            path = None if account is None else domain_path(account, index)
            if account is None or path is None:
                continue
            obj = f"{path}/{account['name']}"
        own.setdefault((scope, obj), {})[name] = typed(value)
    return dict(sorted(glob.items())), {k: dict(sorted(v.items())) for k, v in own.items()}
