"""Templates, ISOs and OS types: listTemplates, registerTemplate, updateTemplate,
deleteTemplate, listIsos, registerIso, deleteIso, listOsTypes.

A template is stored once, with the zones it is in (``_zones``; ``-1`` for all);
lists show one entry per template and zone, as the server does. A registered image
downloads: it is not ready (``isready`` false, ``status`` "N% Downloaded") until it
has been listed twice or :data:`READY_AFTER_S` seconds have passed, then it is Ready
(``status`` "Download Complete"). A direct-download image bypasses secondary storage
and is ready at once.
"""

from __future__ import annotations

import re
import time
from typing import Any

from specc.sim.handlers import Ctx, Item, Param, command, fields_since, new_id
from specc.sim.handlers.bhelpers import HYPERVISORS, details_map, hypervisor_type
from specc.sim.handlers.uriutils import validate_url

fields_since(
    "template",
    {f: "4.22" for f in ("arch", "domainpath", "extensionid", "extensionname", "forcks")},
)
fields_since(
    "iso",
    {f: "4.22" for f in ("arch", "domainpath", "extensionid", "extensionname", "forcks")},
)

ROOT_ACCOUNT_ID = "d3d1d5a8-0000-4000-8000-000000000001"
ROOT_DOMAIN_ID = "d3d1d5a8-0000-4000-8000-000000000003"
READY_AFTER_POLLS = 2
READY_AFTER_S = 3.0
IMAGE_SIZE = 2 * 1024**3
IMAGE_FORMATS = (
    "QCOW2",
    "RAW",
    "VHD",
    "VHDX",
    "ISO",
    "OVA",
    "BAREMETAL",
    "VMDK",
    "VDI",
    "TAR",
    "ZIP",
    "DIR",
)
TEMPLATE_FILTERS = (
    "featured",
    "self",
    "selfexecutable",
    "sharedexecutable",
    "executable",
    "community",
    "all",
)
CHECKSUM_ALGORITHMS = {
    "MD5": 32,
    "SHA-1": 40,
    "SHA-224": 56,
    "SHA-256": 64,
    "SHA-384": 96,
    "SHA-512": 128,
}
HEX = re.compile(r"^[0-9a-fA-F]+$")


def valid_checksum(text: str) -> bool:
    """True for a checksum the server accepts: ``{ALGO}hex`` or a plain MD5 hex digest.

    >>> valid_checksum("{SHA-256}" + "a" * 64), valid_checksum("d41d8cd98f00b204e9800998ecf8427e")
    (True, True)
    >>> valid_checksum("{SHA-256}abc"), valid_checksum("sha256:" + "a" * 64)
    (False, False)
    """
    m = re.match(r"^\{([A-Za-z0-9-]+)\}(.*)$", text)
    algo, digest = (m.group(1).upper(), m.group(2)) if m else ("MD5", text)
    size = CHECKSUM_ALGORITHMS.get(algo)
    return size is not None and len(digest) == size and bool(HEX.match(digest))


# -- readiness and listing ---------------------------------------------------------------


def _advance(ctx: Ctx, kind: str, item: Item) -> Item:
    """One listing of a downloading image: count the poll, flip to Ready when due."""
    polls = item.get("_polls")
    if polls is None or item.get("isready"):
        return item
    polls = int(polls) - 1
    if polls <= 0 or time.time() >= float(item.get("_ready_at", 0)):
        return ctx.store.update(
            kind,
            item["id"],
            _polls=None,
            isready=True,
            status="Download Complete",
            size=IMAGE_SIZE,
            physicalsize=IMAGE_SIZE,
        )
    done = 100 * (READY_AFTER_POLLS - polls) // READY_AFTER_POLLS
    return ctx.store.update(kind, item["id"], _polls=polls, status=f"{done}% Downloaded")


def _zone_entries(ctx: Ctx, item: Item) -> list[Item]:
    """The per-zone entries the server lists for one stored image."""
    zones = item.get("_zones")
    if zones is None:
        return [item]
    if zones == ["-1"]:
        targets = ctx.store.items("zone")
    else:
        targets = [z for z in (ctx.store.get("zone", zid) for zid in zones) if z is not None]
    return [dict(item, zoneid=z["id"], zonename=z["name"]) for z in targets]


def _entries(ctx: Ctx, kind: str, ids: set[str] | None = None) -> list[Item]:
    out: list[Item] = []
    for item in ctx.store.items(kind):
        if ids is not None and item["id"] not in ids:
            continue
        out.extend(_zone_entries(ctx, _advance(ctx, kind, item)))
    return out


def _owned(item: Item) -> bool:
    return item.get("account") == "admin"


def _by_filter(name: str) -> Any:
    def keep(it: Item) -> bool:
        if name == "featured":
            return bool(it.get("isfeatured"))
        if name == "self":
            return _owned(it)
        if name in ("selfexecutable", "executable"):
            return bool(it.get("isready")) and (_owned(it) or bool(it.get("ispublic")))
        if name == "sharedexecutable":
            return False
        if name == "community":
            return bool(it.get("ispublic")) and not it.get("isfeatured") and not _owned(it)
        return True

    return keep


# Parameters listTemplates and listIsos accept but do not filter by.
_IMAGE_LIST_SKIP = (
    "tags",
    "domainid",
    "account",
    "projectid",
    "showicon",
    "showremoved",
    "showunique",
    "isrecursive",
    "imagestoreid",
    "storageid",
    "oscategoryid",
)


def _list_images(
    ctx: Ctx, kind: str, filter_name: str, wanted: set[str] | None, skip: tuple[str, ...]
) -> dict[str, Any]:
    """The list response of templates or ISOs: those *filter_name* keeps, by *wanted* ids."""
    keep = _by_filter(filter_name)
    return ctx.list_response(
        kind,
        [e for e in _entries(ctx, kind, wanted) if keep(e)],
        skip=(*_IMAGE_LIST_SKIP, *skip),
    )


@command(
    "listTemplates",
    item="template",
    params=[
        Param("account", "string"),
        Param("arch", "string", since="4.22"),
        Param("details", "list"),
        Param("domainid", "uuid"),
        Param("extensionid", "string", since="4.22"),
        Param("forcks", "boolean", since="4.22"),
        Param("hypervisor", "string"),
        Param("id", "uuid"),
        Param("ids", "list"),
        Param("imagestoreid", "string", since="4.22"),
        Param("isready", "boolean", since="4.22"),
        Param("isrecursive", "boolean"),
        Param("isvnf", "boolean", since="4.22"),
        Param("keyword", "string"),
        Param("listall", "boolean"),
        Param("name", "string"),
        Param("oscategoryid", "string", since="4.22"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("parenttemplateid", "uuid"),
        Param("projectid", "uuid"),
        Param("showicon", "boolean"),
        Param("showremoved", "boolean"),
        Param("showunique", "boolean"),
        Param("storageid", "string", since="4.22"),
        Param("tags", "map"),
        Param("templatefilter", "string", required=True),
        Param("templatetype", "string", since="4.22"),
        Param("zoneid", "uuid"),
    ],
)
def list_templates(ctx: Ctx) -> dict[str, Any]:
    """List all public, private, and privileged templates."""
    name = ctx.params["templatefilter"]
    if name not in TEMPLATE_FILTERS:
        raise ctx.invalid(f"Please specify a valid template filter: {name}")
    wanted = {ctx.params["id"]} if ctx.get("id") else None
    if ctx.get("ids"):
        wanted = set(ctx.params["ids"]) | (wanted or set())
    skip = ("templatefilter", "ids", "details", "extensionid", "forcks", "isvnf")
    return _list_images(ctx, "template", name, wanted, skip)


# -- registering -------------------------------------------------------------------------


def _check_common(ctx: Ctx) -> Item:
    """Checks shared by templates and ISOs; returns the OS type."""
    checksum = ctx.get("checksum")
    if checksum and not valid_checksum(checksum):
        raise ctx.invalid(
            f"Invalid checksum: {checksum}; use a plain MD5 digest or {{ALGORITHM}}digest with "
            "ALGORITHM one of MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512"
        )
    url = ctx.params["url"]
    if not re.match(r"^(https?|ftp)://[^/]+", url, re.IGNORECASE):
        raise ctx.invalid(f"Please specify a valid URL. URL:{url} is an invalid.")
    os_id = ctx.get("ostypeid")
    if not os_id:
        raise ctx.invalid("Please pass a valid GuestOS Id")
    ostype: Item = ctx.entity("ostype", os_id, "ostypeid")
    return ostype


def _zones(ctx: Ctx) -> list[str]:
    zone_id, zone_ids = ctx.get("zoneid"), ctx.get("zoneids")
    if zone_id and zone_ids:
        raise ctx.invalid("Both zoneid and zoneids cannot be specified at the same time")
    if not zone_id and not zone_ids:
        raise ctx.invalid("Either zoneid or zoneids is required. Both cannot be null.")
    ids = [zone_id] if zone_id else list(zone_ids)
    if len(ids) > 1 and "-1" in ids:
        raise ctx.invalid("Parameter zoneids cannot combine all zones (-1) option with other zones")
    if "-1" in ids:
        return ["-1"]
    for zid in ids:
        ctx.entity("zone", zid, "zoneid")
    return ids


def _image_store(ctx: Ctx, zones: list[str], name: str) -> str | None:
    """The image store a download goes to (the first in the first zone); 530 when none."""
    stores = ctx.store.items("imagestore")
    if zones != ["-1"]:
        stores = [s for s in stores if s.get("zoneid") in zones]
    if not stores:
        raise ctx.error(530, f"Unable to find image store to download template {name}")
    return str(stores[0]["id"])


def _new_image(ctx: Ctx, kind: str, ostype: Item, zones: list[str]) -> dict[str, Any]:
    direct = bool(ctx.get("directdownload", False))
    item: dict[str, Any] = {
        "id": new_id(),
        "name": ctx.params["name"],
        "displaytext": ctx.params["displaytext"],
        "ispublic": bool(ctx.get("ispublic", False)),
        "isfeatured": bool(ctx.get("isfeatured", False)),
        "isextractable": bool(ctx.get("isextractable", False)),
        "passwordenabled": bool(ctx.get("passwordenabled", False)),
        "isdynamicallyscalable": bool(ctx.get("isdynamicallyscalable", False)),
        "created": ctx.now(),
        "crossZones": zones == ["-1"],
        "ostypeid": ostype["id"],
        "ostypename": ostype["description"],
        "account": "admin",
        "accountid": ROOT_ACCOUNT_ID,
        "domain": "ROOT",
        "domainid": ROOT_DOMAIN_ID,
        "directdownload": direct,
        "url": ctx.params["url"],
        "hasannotations": False,
        "tags": [],
        "downloaddetails": [],
        "_zones": zones,
    }
    if ctx.get("checksum"):
        item["checksum"] = ctx.params["checksum"]
    if direct:
        item.update(isready=True, status="Bypassed Secondary Storage", size=IMAGE_SIZE)
    else:
        item["_imagestoreid"] = _image_store(ctx, zones, item["name"])
        item.update(
            isready=False,
            status="0% Downloaded",
            _polls=READY_AFTER_POLLS,
            _ready_at=time.time() + READY_AFTER_S,
        )
    return item


def _registered(ctx: Ctx, kind: str, item: dict[str, Any]) -> dict[str, Any]:
    """Store a new template or ISO; the response lists it once per zone it goes to."""
    entries = _zone_entries(ctx, ctx.store.insert(kind, item))
    return {"count": len(entries), kind: entries}


@command(
    "registerTemplate",
    params=[
        Param("account", "string"),
        Param("arch", "string", since="4.22"),
        Param("bits", "integer"),
        Param("checksum", "string"),
        Param("deployasis", "boolean"),
        Param("details", "map"),
        Param("directdownload", "boolean"),
        Param("displaytext", "string", required=True),
        Param("domainid", "uuid"),
        Param("extensionid", "string", since="4.22"),
        Param("externaldetails", "map", since="4.22"),
        Param("forcks", "boolean", since="4.22"),
        Param("format", "string", required=True),
        Param("hypervisor", "string", required=True),
        Param("isdynamicallyscalable", "boolean"),
        Param("isextractable", "boolean"),
        Param("isfeatured", "boolean"),
        Param("ispublic", "boolean"),
        Param("isrouting", "boolean"),
        Param("name", "string", required=True),
        Param("ostypeid", "uuid"),
        Param("passwordenabled", "boolean"),
        Param("projectid", "uuid"),
        Param("requireshvm", "boolean"),
        Param("sshkeyenabled", "boolean"),
        Param("templatetag", "string"),
        Param("templatetype", "string", since="4.22"),
        Param("url", "string", required=True),
        Param("zoneid", "uuid"),
        Param("zoneids", "list"),
    ],
)
def register_template(ctx: Ctx) -> dict[str, Any]:
    """Registers an existing template into the CloudStack cloud."""
    # RegisterTemplateCmd.validateParameters, then the template adapter's checks.
    zones = _zones(ctx)
    given_hv = ctx.params["hypervisor"]
    if ctx.get("directdownload") and given_hv.lower() != "kvm":
        raise ctx.invalid("Parameter directdownload is only allowed for KVM templates")
    if not ctx.get("deployasis") and not ctx.get("ostypeid"):
        raise ctx.invalid("Please provide a guest OS type")
    hv = hypervisor_type(given_hv)
    if hv is None or hv == "Any":
        supported = ", ".join(h for h in HYPERVISORS if h != "Any")
        raise ctx.invalid(
            f"Hypervisor Type: {given_hv} is invalid. Supported Hypervisor types are {supported}"
        )
    if "file://" in ctx.params["url"].lower():
        raise ctx.invalid("File:// type urls are currently unsupported")
    fmt = ctx.params["format"].upper()
    if fmt not in IMAGE_FORMATS:
        raise ctx.invalid(
            f"Image format: {ctx.params['format']} is incorrect. Supported formats are "
            + ", ".join(IMAGE_FORMATS)
        )
    for system in ctx.store.find("template", templatetype="SYSTEM"):
        if ctx.params["name"].lower() == str(system.get("name", "")).lower() or (
            ctx.params["displaytext"].lower() == str(system.get("displaytext", "")).lower()
        ):
            raise ctx.invalid("Cannot use reserved names for templates")
    ostype = _check_common(ctx)
    # HypervisorTemplateAdapter.prepare: UriUtils.validateUrl(cmd.getFormat(), url).
    refused = validate_url(fmt, ctx.params["url"])
    if refused:
        raise ctx.invalid(refused)
    item = _new_image(ctx, "template", ostype, zones)
    item.update(
        format=fmt,
        hypervisor=hv,
        templatetype="USER",
        bootable=True,
        bits=ctx.get("bits", 64),
        requireshvm=bool(ctx.get("requireshvm", True)),
        sshkeyenabled=bool(ctx.get("sshkeyenabled", False)),
        deployasis=bool(ctx.get("deployasis", False)),
        details=details_map(ctx.get("details")),
    )
    if ctx.get("templatetag"):
        item["templatetag"] = ctx.params["templatetag"]
    return _registered(ctx, "template", item)


@command(
    "updateTemplate",
    params=[
        Param("arch", "string", since="4.22"),
        Param("bootable", "boolean"),
        Param("cleanupdetails", "boolean"),
        Param("details", "map"),
        Param("displaytext", "string"),
        Param("forceupdateostype", "boolean", since="4.22"),
        Param("forcks", "boolean", since="4.22"),
        Param("format", "string"),
        Param("id", "uuid", required=True, entity="template"),
        Param("isdynamicallyscalable", "boolean"),
        Param("isrouting", "boolean"),
        Param("name", "string"),
        Param("ostypeid", "uuid", entity="ostype"),
        Param("passwordenabled", "boolean"),
        Param("requireshvm", "boolean"),
        Param("sortkey", "integer"),
        Param("sshkeyenabled", "boolean"),
        Param("templatetag", "string", since="4.22"),
        Param("templatetype", "string"),
    ],
)
def update_template(ctx: Ctx) -> dict[str, Any]:
    """Updates attributes of a template."""
    item = ctx.entity("template", ctx.params["id"])
    changes: dict[str, Any] = {}
    for key in ("name", "displaytext", "templatetag"):
        if ctx.get(key):
            changes[key] = ctx.params[key]
    for key in (
        "bootable",
        "isdynamicallyscalable",
        "passwordenabled",
        "requireshvm",
        "sshkeyenabled",
    ):
        if key in ctx.params:
            changes[key] = ctx.params[key]
    fmt = ctx.get("format")
    if fmt:
        if fmt.upper() not in IMAGE_FORMATS:
            raise ctx.invalid(
                f"Image format: {fmt} is incorrect. Supported formats are "
                + ", ".join(IMAGE_FORMATS)
            )
        changes["format"] = fmt.upper()
    if ctx.get("ostypeid"):
        ostype = ctx.entity("ostype", ctx.params["ostypeid"], "ostypeid")
        changes.update(ostypeid=ostype["id"], ostypename=ostype["description"])
    if ctx.get("templatetype"):
        changes["templatetype"] = ctx.params["templatetype"].upper()
    if ctx.get("cleanupdetails"):
        changes["details"] = {}
    elif ctx.get("details"):
        changes["details"] = {**item.get("details", {}), **details_map(ctx.params["details"])}
    item = ctx.store.update("template", item["id"], **changes)
    return {"template": _zone_entries(ctx, item)[0] if _zone_entries(ctx, item) else item}


def _delete_image(ctx: Ctx, kind: str) -> dict[str, Any]:
    item = ctx.entity(kind, ctx.params["id"])
    if item.get("templatetype") == "SYSTEM":
        raise ctx.invalid(f"Unable to delete system template {item['name']}")
    zone_id = ctx.get("zoneid")
    zones = item.get("_zones")
    if zone_id and zones and zones != ["-1"] and len(zones) > 1:
        if zone_id not in zones:
            raise ctx.invalid(f"Unable to find {kind} {item['id']} in zone {zone_id}")
        ctx.store.update(kind, item["id"], _zones=[z for z in zones if z != zone_id])
    else:
        ctx.store.delete(kind, item["id"])
    return {"success": True}


@command(
    "deleteTemplate",
    is_async=True,
    params=[
        Param("forced", "boolean"),
        Param("id", "uuid", required=True, entity="template"),
        Param("issystem", "boolean", since="4.22"),
        Param("zoneid", "uuid"),
    ],
)
def delete_template(ctx: Ctx) -> dict[str, Any]:
    """Deletes a template from the system."""
    return _delete_image(ctx, "template")


# -- ISOs --------------------------------------------------------------------------------


@command(
    "listIsos",
    item="iso",
    params=[
        Param("account", "string"),
        Param("arch", "string", since="4.22"),
        Param("bootable", "boolean"),
        Param("domainid", "uuid"),
        Param("hypervisor", "string"),
        Param("id", "uuid"),
        Param("imagestoreid", "string", since="4.22"),
        Param("isofilter", "string"),
        Param("ispublic", "boolean"),
        Param("isready", "boolean"),
        Param("isrecursive", "boolean"),
        Param("keyword", "string"),
        Param("listall", "boolean"),
        Param("name", "string"),
        Param("oscategoryid", "string", since="4.22"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("projectid", "uuid"),
        Param("showicon", "boolean"),
        Param("showremoved", "boolean"),
        Param("showunique", "boolean"),
        Param("storageid", "string", since="4.22"),
        Param("tags", "map"),
        Param("zoneid", "uuid"),
    ],
)
def list_isos(ctx: Ctx) -> dict[str, Any]:
    """Lists all available ISO files."""
    name = ctx.get("isofilter", "selfexecutable")
    if name not in TEMPLATE_FILTERS:
        raise ctx.invalid(f"Please specify a valid iso filter: {name}")
    wanted = {ctx.params["id"]} if ctx.get("id") else None
    return _list_images(ctx, "iso", name, wanted, ("isofilter", "hypervisor"))


@command(
    "registerIso",
    params=[
        Param("account", "string"),
        Param("arch", "string", since="4.22"),
        Param("bootable", "boolean"),
        Param("checksum", "string"),
        Param("directdownload", "boolean"),
        Param("displaytext", "string", required=True),
        Param("domainid", "uuid"),
        Param("imagestoreuuid", "string"),
        Param("isdynamicallyscalable", "boolean"),
        Param("isextractable", "boolean"),
        Param("isfeatured", "boolean"),
        Param("ispublic", "boolean"),
        Param("name", "string", required=True),
        Param("ostypeid", "uuid"),
        Param("passwordenabled", "boolean"),
        Param("projectid", "uuid"),
        Param("url", "string", required=True),
        Param("zoneid", "uuid", required=True),
    ],
)
def register_iso(ctx: Ctx) -> dict[str, Any]:
    """Registers an existing ISO into the CloudStack Cloud."""
    zones = _zones(ctx)
    bootable = ctx.get("bootable", True)
    if bootable and not ctx.get("ostypeid"):
        raise ctx.invalid("Please pass a valid GuestOS Id")
    ostype = _check_common(ctx)
    # HypervisorTemplateAdapter.prepare: UriUtils.validateUrl(ImageFormat.ISO
    # .getFileExtension(), url), the format being "iso".
    refused = validate_url("iso", ctx.params["url"])
    if refused:
        raise ctx.invalid(refused)
    item = _new_image(ctx, "iso", ostype, zones)
    item.update(format="ISO", bootable=bootable, templatetype="USER")
    return _registered(ctx, "iso", item)


@command(
    "deleteIso",
    is_async=True,
    params=[Param("id", "uuid", required=True, entity="iso"), Param("zoneid", "uuid")],
)
def delete_iso(ctx: Ctx) -> dict[str, Any]:
    """Deletes an ISO file."""
    return _delete_image(ctx, "iso")


# -- OS types ----------------------------------------------------------------------------


@command(
    "listOsTypes",
    item="ostype",
    params=[
        Param("description", "string"),
        Param("fordisplay", "boolean", since="4.22"),
        Param("id", "uuid"),
        Param("ids", "list", since="4.22"),
        Param("keyword", "string"),
        Param("oscategoryid", "uuid"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
    ],
)
def list_os_types(ctx: Ctx) -> dict[str, Any]:
    """Lists all supported OS types for this cloud.

    ``GuestOSDaoImpl.listGuestOSByCriteria``: ``description`` is
    ``displayName LIKE %description%`` (case-insensitive, ``%`` and ``_`` wildcards),
    so it may match several rows; sorted by display name.
    """
    like = _like(str(ctx.get("description", "")))
    ids = ctx.get("ids")
    rows = sorted(ctx.store.items("ostype"), key=lambda it: str(it.get("description", "")).lower())
    return ctx.list_response(
        "ostype",
        rows,
        skip=("description", "ids", "fordisplay"),
        match=lambda it: (
            like.search(str(it.get("description", ""))) is not None and (not ids or it["id"] in ids)
        ),
    )


def _like(text: str) -> re.Pattern[str]:
    """SQL ``LIKE %text%`` (MySQL's default collation: case-insensitive) as a regex.

    >>> bool(_like("CentOS_7").search("centos 7.9")), bool(_like("7%9").search("CentOS 7"))
    (True, False)
    """
    body = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in text)
    return re.compile(body, re.IGNORECASE | re.DOTALL)
