"""VMware datacenters: addVmwareDc, listVmwareDcs, updateVmwareDc, removeVmwareDc, and the
vCenter side of addCluster (``VmwareServerDiscoverer.find``).

The rules follow apache/cloudstack 4.18.2.5 and 4.22.1.0 (the same code in both):
``plugins/hypervisors/vmware/.../manager/VmwareManagerImpl.java``
(``addVmwareDatacenter``, ``updateVmwareDatacenter``, ``removeVmwareDatacenter``,
``listVmwareDatacenters``), the commands ``AddVmwareDcCmd``, ``ListVmwareDcsCmd``,
``UpdateVmwareDcCmd``, ``RemoveVmwareDcCmd`` and ``VmwareDatacenterResponse``, and
``VmwareServerDiscoverer.find`` / ``validateCluster``.

The simulator has no vCenter: it accepts any vCenter address and login, every
datacenter exists there, and a VMware cluster always has two ESXi hosts. What the
server keeps in vCenter, the custom field ``cloud.zone`` that marks a datacenter as
taken by a CloudStack zone, is modelled by the stored datacenters themselves: a
datacenter stored for one zone (even one deleted since: deleteZone leaves the mapping,
``ConfigurationManagerImpl.deleteZone``) is taken until removeVmwareDc.

A zone's database id, which these commands show (``VmwareDatacenterResponse.zoneId``
is a ``Long``; the messages print it), is numbered by the simulator the first time a
command needs it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from specc.sim.handlers import Ctx, Item, Param, command, new_id

KIND = "vmwaredc"
LIST_KEY = "VMwareDC"  # ListVmwareDcsCmd.execute: setObjectName("VMwareDC")
# ServerApiException(INTERNAL_ERROR, text) carries ServerApiException's own cserrorcode
# (CSExceptionErrorCode: org.apache.cloudstack.api.ServerApiException -> 9999): what the
# VMware commands answer for the exceptions they catch, and addCluster for a
# DiscoveryException (AddClusterCmd.execute).
WRAPPED = 9999
NPE_TEXT = (
    'Cannot invoke "com.cloud.hypervisor.vmware.VmwareDatacenterZoneMap.getVmwareDcId()" '
    'because "vdcMap" is null'
)


# -- helpers ---------------------------------------------------------------------------


def zone_db_id(ctx: Ctx, zone_id: str) -> int:
    """The zone's database id: numbered 1, 2, ... when first asked, then kept."""
    key = f"vmware.zonedbid.{zone_id}"
    known = ctx.store.meta(key)
    if known is not None:
        return int(known)
    number = int(ctx.store.meta("vmware.zonedbid.next") or "1")
    ctx.store.set_meta("vmware.zonedbid.next", str(number + 1))
    ctx.store.set_meta(key, str(number))
    return number


def datacenter_of(ctx: Ctx, zone_id: str) -> Item | None:
    """The datacenter mapped to the zone (``VmwareDatacenterZoneMapDao.findByZoneId``)."""
    return ctx.store.first(KIND, _zoneid=zone_id)


def _view(dc: Item) -> Item:
    """A datacenter as listVmwareDcs shows it: id, zoneid (the db id), name, vcenter."""
    return {k: dc[k] for k in ("id", "zoneid", "name", "vcenter")}


def _has_vmware_cluster(ctx: Ctx, zone_id: str) -> bool:
    """``validateZoneWithResources``: a VMware cluster in the zone (KVM ones do not count)."""
    return any(
        c.get("hypervisortype") == "VMware" for c in ctx.store.find("cluster", zoneid=zone_id)
    )


def _existing_zone(ctx: Ctx, zone_id: str) -> Item | None:
    """``doesZoneExist``: the zone, None when it was removed (the uuid still resolves)."""
    return ctx.store.get("zone", zone_id)


# -- commands --------------------------------------------------------------------------


@command(
    "addVmwareDc",
    params=[
        Param("name", "string", required=True),
        Param("password", "string"),
        Param("username", "string"),
        Param("vcenter", "string", required=True),
        Param("zoneid", "uuid", required=True, entity="zone"),
    ],
)
def add_vmware_dc(ctx: Ctx) -> dict[str, Any]:
    """Adds a VMware datacenter to specified zone.

    ``VmwareManagerImpl.addVmwareDatacenter``, in its order: username and password are
    optional in the API but required here (a missing password gets the username's
    text, as the source has it); the zone must exist; a zone already mapped to the
    same vCenter and datacenter (case-insensitive) answers that datacenter again, to
    another one is refused; a zone with a VMware cluster is refused; a datacenter
    another zone has taken is refused (vCenter's ``cloud.zone`` mark, wrapped in
    "Failed to add VMware DC to zone due to : "). Every refusal is a 530 (the command
    wraps them: ``AddVmwareDcCmd.execute``). The answer holds id and name only.
    """
    zone_id = ctx.params["zoneid"]
    name, vcenter = ctx.params["name"], ctx.params["vcenter"]
    if ctx.get("username") is None or ctx.get("password") is None:
        raise ctx.error(530, "Missing or invalid parameter username.", WRAPPED)
    if _existing_zone(ctx, zone_id) is None:
        raise ctx.error(530, "Can't find zone by the id specified.", WRAPPED)
    dbid = zone_db_id(ctx, zone_id)
    mapped = datacenter_of(ctx, zone_id)
    if mapped is not None:
        if mapped["vcenter"].lower() == vcenter.lower() and mapped["name"].lower() == name.lower():
            return {"vmwaredc": {"id": mapped["id"], "name": mapped["name"]}}
        raise ctx.error(
            530,
            f"Zone {dbid} is already associated with a VMware datacenter. "
            "Only 1 VMware DC can be associated with a zone.",
            WRAPPED,
        )
    if _has_vmware_cluster(ctx, zone_id):
        raise ctx.error(
            530,
            "Zone has one or more clusters. Can't add VMware datacenter to zone which "
            "already has clusters.",
            WRAPPED,
        )
    for other in ctx.store.find(KIND, name=name):
        if other["vcenter"].lower() == vcenter.lower():
            raise ctx.error(
                530,
                "Failed to add VMware DC to zone due to : This DC is being managed by other "
                "CloudStack deployment. Cannot add this DC to zone.",
                WRAPPED,
            )
    dc = ctx.store.insert(
        KIND,
        {
            "id": new_id(),
            "zoneid": dbid,
            "name": name,
            "vcenter": vcenter,
            "_zoneid": zone_id,
            "_username": ctx.params["username"],
            "_password": ctx.params["password"],
        },
    )
    return {"vmwaredc": {"id": dc["id"], "name": dc["name"]}}


@command(
    "listVmwareDcs",
    item=LIST_KEY,
    params=[
        Param("keyword", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("zoneid", "uuid", required=True, entity="zone"),
    ],
)
def list_vmware_dcs(ctx: Ctx) -> dict[str, Any]:
    """Retrieves VMware DC(s) associated with a zone.

    ``VmwareManagerImpl.listVmwareDatacenters``: the zone's one datacenter, or nothing
    (``{}``); ``keyword``, ``page`` and ``pagesize`` are taken and never read. A removed
    zone is a 431 "Invalid zone id <db id>" (``ListVmwareDcsCmd.execute``). Items are
    ``VMwareDC`` with ``zoneid`` the zone's database id, not its uuid.
    """
    zone_id = ctx.params["zoneid"]
    if _existing_zone(ctx, zone_id) is None:
        raise ctx.invalid(f"Invalid zone id {zone_db_id(ctx, zone_id)}")
    dc = datacenter_of(ctx, zone_id)
    if dc is None:
        return {}
    return {"count": 1, LIST_KEY: [_view(dc)]}


@command(
    "updateVmwareDc",
    params=[
        Param("isrecursive", "boolean"),
        Param("name", "string"),
        Param("password", "string"),
        Param("username", "string"),
        Param("vcenter", "string"),
        Param("zoneid", "uuid", required=True, entity="zone"),
    ],
)
def update_vmware_dc(ctx: Ctx) -> dict[str, Any]:
    """Updates a VMware datacenter details for a zone.

    ``VmwareManagerImpl.updateVmwareDatacenter``: each non-empty value replaces the
    stored one. With ``isrecursive`` (default true) every VMware cluster of the zone
    takes the datacenter's username and password, and the new vCenter replaces the
    old one in its url (the ESXi hosts' details are not modelled). A zone without a
    datacenter fails with a NullPointerException (530; its text is the JVM's: none
    on 4.18's Java 11, the helpful message on 4.22's Java 17). No check that the new
    vCenter or datacenter exists: the server makes none either.
    """
    zone_id = ctx.params["zoneid"]
    dc = datacenter_of(ctx, zone_id)
    if dc is None:
        raise ctx.error(530, NPE_TEXT if ctx.since("4.22") else "", WRAPPED)
    old_vcenter = dc["vcenter"]
    changes = {
        field: ctx.params[param]
        for param, field in (
            ("username", "_username"),
            ("password", "_password"),
            ("vcenter", "vcenter"),
            ("name", "name"),
        )
        if ctx.get(param)
    }
    dc = ctx.store.update(KIND, dc["id"], **changes)
    if ctx.get("isrecursive", True):
        for cluster in ctx.store.find("cluster", zoneid=zone_id):
            if cluster.get("hypervisortype") != "VMware":
                continue
            details = dict(cluster.get("resourcedetails") or {})
            details["username"] = dc["_username"]
            url = details.get("url")
            if old_vcenter != dc["vcenter"] and url:
                details["url"] = url.replace(old_vcenter, dc["vcenter"])
            ctx.store.update(
                "cluster", cluster["id"], resourcedetails=details, _password=dc["_password"]
            )
    return {"vmwaredc": {"id": dc["id"], "name": dc["name"]}}


@command(
    "removeVmwareDc",
    params=[Param("zoneid", "uuid", required=True, entity="zone")],
)
def remove_vmware_dc(ctx: Ctx) -> dict[str, Any]:
    """Remove a VMware datacenter from a zone.

    ``VmwareManagerImpl.removeVmwareDatacenter``, in its order: the zone must exist,
    must have no VMware cluster ("Can't remove VMware datacenter to zone", sic) and
    must have a datacenter; the datacenter is then free for another zone (vCenter's
    ``cloud.zone`` mark is reset). Every refusal is a 530 (``RemoveVmwareDcCmd``).
    """
    zone_id = ctx.params["zoneid"]
    if _existing_zone(ctx, zone_id) is None:
        raise ctx.error(530, "Can't find zone by the id specified.", WRAPPED)
    if _has_vmware_cluster(ctx, zone_id):
        raise ctx.error(
            530,
            "Zone has one or more clusters. Can't remove VMware datacenter to zone which "
            "already has clusters.",
            WRAPPED,
        )
    dc = datacenter_of(ctx, zone_id)
    if dc is None:
        raise ctx.error(
            530,
            f"Zone {zone_db_id(ctx, zone_id)} is not associated with any VMware datacenter.",
            WRAPPED,
        )
    ctx.store.delete(KIND, dc["id"])
    return {"success": True}


# -- addCluster's vCenter discovery ------------------------------------------------------


def _java_split(text: str) -> list[str]:
    """``String.split("/")``: empty strings at the end dropped, a lone "" kept.

    >>> _java_split("/DC1/c1"), _java_split("/c1"), _java_split("/a/b/"), _java_split("")
    (['', 'DC1', 'c1'], ['', 'c1'], ['', 'a', 'b'], [''])
    """
    if text == "":
        return [""]
    parts = text.split("/")
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def discover_cluster(ctx: Ctx, zone: Item, url: str) -> dict[str, str]:
    """The vCenter checks of addCluster for a VMware cluster: its url and login.

    ``VmwareServerDiscoverer.find`` on a zone that is not a legacy (pre-4.1) one: the
    zone must map to a datacenter ("Zone <db id> is not associated with any VMware DC
    yet. ..."); a missing username or password takes the datacenter's; then
    ``validateCluster``: the url's host must be the datacenter's vCenter and the path
    ``/<datacenter>/<cluster>`` must name its datacenter (both compared without
    case), or be ``/<cluster>``, which the stored url completes with the datacenter.
    Each refusal is a DiscoveryException: a 530 (``AddClusterCmd.execute``). Returns
    the url, vCenter host and username the cluster is stored with.
    """
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1].split(":")[0]  # URI.getHost keeps the case
    dc = datacenter_of(ctx, zone["id"])
    if dc is None:
        raise ctx.error(
            530,
            f"Zone {zone_db_id(ctx, zone['id'])} is not associated with any VMware DC yet. "
            "Please add VMware DC to this zone first and then try to add clusters.",
            WRAPPED,
        )
    username, password = ctx.get("username"), ctx.get("password")
    if not username or not password:
        username, password = dc["_username"], dc["_password"]
    dc_name, vcenter = dc["name"], dc["vcenter"]
    inventory = unquote(parts.path)
    tokens = _java_split(inventory)
    cluster_name, named_dc, updated = "null", dc_name, inventory
    if len(tokens) == 2:
        cluster_name, updated = tokens[1], f"/{dc_name}/{tokens[1]}"
    elif len(tokens) == 3:
        named_dc, cluster_name = tokens[1], tokens[2]
    if vcenter.lower() != host.lower():
        raise ctx.error(
            530,
            f"This cluster {cluster_name} belongs to vCenter {host}. But this zone is "
            f"associated with VMware DC from vCenter {vcenter}. Make sure the cluster being "
            f"added belongs to vCenter {vcenter} and VMware DC {dc_name}",
            WRAPPED,
        )
    if dc_name.lower() != named_dc.lower():
        raise ctx.error(
            530,
            f"This cluster {cluster_name} belongs to VMware DC {named_dc} .But this zone is "
            f"associated with VMware DC {dc_name}. Make sure the cluster being added belongs "
            f"to VMware DC {dc_name} in vCenter {vcenter}",
            WRAPPED,
        )
    stored = url if updated == inventory else f"{parts.scheme}://{host}{updated}"
    return {
        "url": stored,
        "host": host,
        "username": username,
        "password": password,
    }
