"""Disk and compute offerings: list/create/update/deleteDiskOffering and
list/create/update/deleteServiceOffering.

Read-back as the real server gives it: ``disksize`` in GB, tags comma-joined (a
compute offering's storage tags come back as ``storagetags``), rate limits under
their camel-case names (``diskBytesReadRate``), ``miniops``/``maxiops`` only when
``customizediops`` was given as false (the server ignores them otherwise).

Deleting an offering that volumes or VMs use succeeds on the real server (it only
marks the offering inactive), so it does here; a default offering cannot be deleted.
"""

from __future__ import annotations

from typing import Any

from specc.sim.handlers import Ctx, Item, Param, command, fields_since, new_id
from specc.sim.handlers.bhelpers import details_map, join_tags

fields_since("diskoffering", {"state": "4.22", "suitableforvirtualmachine": "4.22"})
fields_since(
    "serviceoffering",
    {
        f: "4.22"
        for f in (
            "gpucardid",
            "gpucardname",
            "gpucount",
            "gpudisplay",
            "leaseduration",
            "leaseexpiryaction",
            "maxheads",
            "maxresolutionx",
            "maxresolutiony",
            "purgeresources",
            "state",
            "vgpuprofileid",
            "vgpuprofilename",
            "videoram",
        )
    },
)

INT_MAX = 2_147_483_647
PROVISIONING_TYPES = ("thin", "sparse", "fat")
CACHE_MODES = ("none", "writeback", "writethrough", "hypervisor_default")
# request parameter -> response field, for the I/O rate limits.
RATES = {
    "bytesreadrate": "diskBytesReadRate",
    "bytesreadratemax": "diskBytesReadRateMax",
    "bytesreadratemaxlength": "diskBytesReadRateMaxLength",
    "byteswriterate": "diskBytesWriteRate",
    "byteswriteratemax": "diskBytesWriteRateMax",
    "byteswriteratemaxlength": "diskBytesWriteRateMaxLength",
    "iopsreadrate": "diskIopsReadRate",
    "iopsreadratemax": "diskIopsReadRateMax",
    "iopsreadratemaxlength": "diskIopsReadRateMaxLength",
    "iopswriterate": "diskIopsWriteRate",
    "iopswriteratemax": "diskIopsWriteRateMax",
    "iopswriteratemaxlength": "diskIopsWriteRateMaxLength",
}
RATE_LABELS = {
    "iopsread": "IOPS Read",
    "iopswrite": "IOPS Write",
    "bytesread": "Bytes Read",
    "byteswrite": "Bytes Write",
}
RATE_PARAMS = [Param(name, "long") for name in RATES]
LIST_SKIP = ("domainid", "isrecursive", "listall", "storageid", "volumeid", "virtualmachineid")


def _zone_domain_fields(ctx: Ctx, item: dict[str, Any], zone_ids: list[str] | None) -> None:
    """Set ``zoneid``/``zone`` (comma-joined) as the server shows a zone-limited offering,
    and ``domainid``/``domain`` for a domain-limited one (the simulator has only ROOT)."""
    domains = ctx.get("domainid")
    if isinstance(domains, str):
        domains = [d for d in domains.split(",") if d and d.lower() != "public"]
    if domains:
        item["domainid"] = ",".join(domains)
        item["domain"] = ",".join("ROOT" for _ in domains)
    elif domains is not None:
        item.pop("domainid", None)
        item.pop("domain", None)
    if not zone_ids:
        item.pop("zoneid", None)
        item.pop("zone", None)
        return
    zones = [ctx.entity("zone", z, "zoneid") for z in zone_ids]
    item["zoneid"] = ",".join(z["id"] for z in zones)
    item["zone"] = ",".join(z["name"] for z in zones)


def _set_tags(item: dict[str, Any], field: str, tags: list[str] | str | None) -> None:
    """Set *field* to the joined *tags*, or drop it when they are empty (as the server clears)."""
    joined = join_tags(tags)
    if joined:
        item[field] = joined
    else:
        item.pop(field, None)


def _match_zone(ctx: Ctx) -> Any:
    zone_id = ctx.get("zoneid")
    if zone_id is None:
        return None
    return lambda it: "zoneid" not in it or zone_id in str(it["zoneid"]).split(",")


def _storage_qos(ctx: Ctx, item: dict[str, Any]) -> None:
    """Checks and sets IOPS, rate limits, cache mode, provisioning and storage type."""
    storage_type = ctx.get("storagetype", "shared")
    if storage_type.lower() not in ("shared", "local"):
        raise ctx.invalid(
            f"Invalid storage type {storage_type} specified, valid types are: 'local' and 'shared'"
        )
    item["storagetype"] = storage_type.lower()
    prov = ctx.get("provisioningtype", "thin")
    if prov not in PROVISIONING_TYPES:
        raise ctx.invalid(f"Provisioning type {prov} is not supported")
    item["provisioningtype"] = prov
    cache = ctx.get("cachemode", "none")
    if cache.lower() not in CACHE_MODES:
        raise ctx.invalid(
            f"Invalid cache mode ({cache}). Please specify one of the following valid cache "
            "mode parameters: none, writeback or writethrough"
        )
    item["cacheMode"] = cache.lower()
    custom_iops = ctx.get("customizediops")
    if custom_iops is not None:
        item["iscustomizediops"] = custom_iops
        if not custom_iops:
            lo, hi = ctx.get("miniops"), ctx.get("maxiops")
            if lo is None and hi is None:
                lo = hi = 0
            else:
                if lo is None or lo <= 0:
                    raise ctx.invalid("The min IOPS must be greater than 0.")
                hi = 0 if hi is None else hi
                if lo > hi:
                    raise ctx.invalid("The min IOPS must be less than or equal to the max IOPS.")
            item["miniops"], item["maxiops"] = lo, hi
    _rates(ctx, item)
    reserve = ctx.get("hypervisorsnapshotreserve")
    if reserve is not None:
        item["hypervisorsnapshotreserve"] = reserve


def _rates(ctx: Ctx, item: dict[str, Any]) -> None:
    for prefix, label in RATE_LABELS.items():
        rate, top = ctx.get(prefix + "rate"), ctx.get(prefix + "ratemax")
        if rate is not None and top is not None and rate > top:
            raise ctx.invalid(
                f"{label} rate ({rate}) cannot be greater than {label} maximum rate ({top})"
            )
    for param, field in RATES.items():
        value = ctx.get(param)
        if value is not None and value > 0:
            item[field] = value


# -- disk offerings --------------------------------------------------------------------


@command(
    "listDiskOfferings",
    item="diskoffering",
    params=[
        Param("account", "string", since="4.22"),
        Param("domainid", "uuid"),
        Param("encrypt", "boolean"),
        Param("id", "uuid"),
        Param("isrecursive", "boolean"),
        Param("keyword", "string"),
        Param("listall", "boolean"),
        Param("name", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("projectid", "string", since="4.22"),
        Param("state", "string", since="4.22"),
        Param("storageid", "uuid"),
        Param("storagetype", "string", since="4.22"),
        Param("virtualmachineid", "string", since="4.22"),
        Param("volumeid", "uuid"),
        Param("zoneid", "uuid"),
    ],
)
def list_disk_offerings(ctx: Ctx) -> dict[str, Any]:
    """Lists all available disk offerings."""
    return ctx.list_response(
        "diskoffering",
        skip=(*LIST_SKIP, "zoneid", "account", "projectid"),
        match=_match_zone(ctx),
    )


@command(
    "createDiskOffering",
    params=[
        *RATE_PARAMS,
        Param("cachemode", "string"),
        Param("customized", "boolean"),
        Param("customizediops", "boolean"),
        Param("details", "map"),
        Param("disksize", "long"),
        Param("disksizestrictness", "boolean"),
        Param("displayoffering", "boolean"),
        Param("displaytext", "string", required=True),
        Param("domainid", "list"),
        Param("encrypt", "boolean"),
        Param("hypervisorsnapshotreserve", "integer"),
        Param("maxiops", "long"),
        Param("miniops", "long"),
        Param("name", "string", required=True),
        Param("provisioningtype", "string"),
        Param("storagepolicy", "uuid"),
        Param("storagetype", "string"),
        Param("tags", "string"),
        Param("zoneid", "list", entity="zone"),
    ],
)
def create_disk_offering(ctx: Ctx) -> dict[str, Any]:
    """Creates a disk offering."""
    customized = bool(ctx.get("customized", False))
    size = ctx.get("disksize")
    if size is not None and size < 1:
        raise ctx.invalid("Please specify a disk size of at least 1 GB.")
    reserve = ctx.get("hypervisorsnapshotreserve")
    if reserve is not None and reserve < 0:
        raise ctx.invalid(
            "If provided, Hypervisor Snapshot Reserve must be greater than or equal to 0."
        )
    if not customized and size is None:
        raise ctx.invalid("Disksize is required for a non-customized disk offering")
    if customized and size is not None:
        raise ctx.invalid("Disksize is not allowed for a customized disk offering")
    item: dict[str, Any] = {
        "id": new_id(),
        "name": ctx.params["name"],
        "displaytext": ctx.params["displaytext"],
        "disksize": size or 0,
        "created": ctx.now(),
        "iscustomized": customized,
        "displayoffering": ctx.get("displayoffering", True),
        "encrypt": bool(ctx.get("encrypt", False)),
        "disksizestrictness": bool(ctx.get("disksizestrictness", False)),
        "hasannotations": False,
        "state": "Active",
    }
    _storage_qos(ctx, item)
    _set_tags(item, "tags", ctx.get("tags"))
    details = details_map(ctx.get("details"))
    if details:
        item["details"] = details
    _zone_domain_fields(ctx, item, ctx.get("zoneid"))
    return {"diskoffering": ctx.store.insert("diskoffering", item)}


@command(
    "updateDiskOffering",
    params=[
        *RATE_PARAMS,
        Param("cachemode", "string"),
        Param("displayoffering", "boolean"),
        Param("displaytext", "string"),
        Param("domainid", "string"),
        Param("id", "uuid", required=True, entity="diskoffering"),
        Param("name", "string"),
        Param("sortkey", "integer"),
        Param("state", "string", since="4.22"),
        Param("tags", "string"),
        Param("zoneid", "string"),
    ],
)
def update_disk_offering(ctx: Ctx) -> dict[str, Any]:
    """Updates a disk offering."""
    item = ctx.entity("diskoffering", ctx.params["id"])
    _update_common(ctx, item, tags_field="tags", tags_param="tags")
    if "displayoffering" in ctx.params:
        item["displayoffering"] = ctx.params["displayoffering"]
    cache = ctx.get("cachemode")
    if cache is not None:
        if cache.lower() not in CACHE_MODES:
            raise ctx.invalid(f"Invalid cache mode ({cache})")
        item["cacheMode"] = cache.lower()
    _rates(ctx, item)
    if ctx.get("state"):
        item["state"] = ctx.params["state"]
    return {"diskoffering": ctx.store.put("diskoffering", item)}


def _update_common(ctx: Ctx, item: dict[str, Any], *, tags_field: str, tags_param: str) -> None:
    for key in ("name", "displaytext"):
        if ctx.get(key):
            item[key] = ctx.params[key]
    if tags_param in ctx.params:
        _set_tags(item, tags_field, ctx.params[tags_param])
    zone_text = ctx.get("zoneid")
    if zone_text is not None:
        ids = [] if zone_text.lower() == "all" else [z for z in zone_text.split(",") if z]
        _zone_domain_fields(ctx, item, ids)


def _delete(ctx: Ctx, kind: str) -> dict[str, Any]:
    item: Item = ctx.entity(kind, ctx.params["id"])
    if item.get("defaultuse"):
        raise ctx.invalid("Default service offerings cannot be deleted")
    ctx.store.delete(kind, item["id"])
    return {"success": True}


@command("deleteDiskOffering", params=[Param("id", "uuid", required=True, entity="diskoffering")])
def delete_disk_offering(ctx: Ctx) -> dict[str, Any]:
    """Deletes a disk offering."""
    return _delete(ctx, "diskoffering")


# -- compute offerings -----------------------------------------------------------------


@command(
    "listServiceOfferings",
    item="serviceoffering",
    params=[
        Param("account", "string", since="4.22"),
        Param("cpunumber", "integer"),
        Param("cpuspeed", "integer"),
        Param("domainid", "uuid"),
        Param("encryptroot", "boolean"),
        Param("gpuenabled", "boolean", since="4.22"),
        Param("id", "uuid"),
        Param("isrecursive", "boolean"),
        Param("issystem", "boolean"),
        Param("keyword", "string"),
        Param("listall", "boolean"),
        Param("memory", "integer"),
        Param("name", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("projectid", "string", since="4.22"),
        Param("state", "string", since="4.22"),
        Param("storagetype", "string", since="4.22"),
        Param("systemvmtype", "string"),
        Param("templateid", "string", since="4.22"),
        Param("vgpuprofileid", "string", since="4.22"),
        Param("virtualmachineid", "uuid"),
        Param("zoneid", "uuid"),
    ],
)
def list_service_offerings(ctx: Ctx) -> dict[str, Any]:
    """Lists all available service offerings."""
    issystem = bool(ctx.get("issystem", False))
    return ctx.list_response(
        "serviceoffering",
        skip=(
            *LIST_SKIP,
            "zoneid",
            "issystem",
            "cpunumber",
            "cpuspeed",
            "memory",
            "account",
            "projectid",
            "templateid",
            "gpuenabled",
            "vgpuprofileid",
        ),
        flags={"issystem": issystem},
        match=_match_zone(ctx),
    )


@command(
    "createServiceOffering",
    params=[
        *RATE_PARAMS,
        Param("cachemode", "string"),
        Param("cpunumber", "integer"),
        Param("cpuspeed", "integer"),
        Param("customized", "boolean"),
        Param("customizediops", "boolean"),
        Param("deploymentplanner", "string"),
        Param("diskofferingid", "uuid", entity="diskoffering"),
        Param("diskofferingstrictness", "boolean"),
        Param("displaytext", "string", required=True),
        Param("domainid", "list"),
        Param("dynamicscalingenabled", "boolean"),
        Param("encryptroot", "boolean"),
        Param("externaldetails", "map", since="4.22"),
        Param("gpucount", "integer", since="4.22"),
        Param("gpudisplay", "boolean", since="4.22"),
        Param("hosttags", "string"),
        Param("hypervisorsnapshotreserve", "integer"),
        Param("issystem", "boolean"),
        Param("isvolatile", "boolean"),
        Param("leaseduration", "integer", since="4.22"),
        Param("leaseexpiryaction", "string", since="4.22"),
        Param("limitcpuuse", "boolean"),
        Param("maxcpunumber", "integer"),
        Param("maxiops", "long"),
        Param("maxmemory", "integer"),
        Param("memory", "integer"),
        Param("mincpunumber", "integer"),
        Param("miniops", "long"),
        Param("minmemory", "integer"),
        Param("name", "string", required=True),
        Param("networkrate", "integer"),
        Param("offerha", "boolean"),
        Param("provisioningtype", "string"),
        Param("purgeresources", "boolean", since="4.22"),
        Param("rootdisksize", "long"),
        Param("serviceofferingdetails", "map"),
        Param("storagepolicy", "uuid"),
        Param("storagetype", "string"),
        Param("systemvmtype", "string"),
        Param("tags", "string"),
        Param("vgpuprofileid", "string", since="4.22"),
        Param("zoneid", "list", entity="zone"),
    ],
)
def create_service_offering(ctx: Ctx) -> dict[str, Any]:
    """Creates a service offering."""
    name = ctx.params["name"]
    cpus, speed, memory = ctx.get("cpunumber"), ctx.get("cpuspeed"), ctx.get("memory")
    if cpus is not None and not 1 <= cpus <= INT_MAX:
        raise ctx.invalid(
            f"Failed to create service offering {name}: specify the cpu number value between 1 "
            f"and {INT_MAX}"
        )
    if speed is not None and not 0 <= speed <= INT_MAX:
        raise ctx.invalid(
            f"Failed to create service offering {name}: specify the cpu speed value between 0 "
            f"and {INT_MAX}"
        )
    if memory is not None and not 32 <= memory <= INT_MAX:
        raise ctx.invalid(
            f"Failed to create service offering {name}: specify the memory value between 32 and "
            f"{INT_MAX} MB"
        )
    customized = cpus is None or speed is None or memory is None
    if ctx.get("customized") is False and customized:
        raise ctx.invalid(
            "For creating a custom compute offering cpu, cpu speed and memory all should be null"
        )
    item: dict[str, Any] = {
        "id": new_id(),
        "name": name,
        "displaytext": ctx.params["displaytext"],
        "created": ctx.now(),
        "iscustomized": customized,
        "offerha": bool(ctx.get("offerha", False)),
        "limitcpuuse": bool(ctx.get("limitcpuuse", False)),
        "isvolatile": bool(ctx.get("isvolatile", False)),
        "issystem": bool(ctx.get("issystem", False)),
        "defaultuse": False,
        "dynamicscalingenabled": bool(ctx.get("dynamicscalingenabled", True)),
        "encryptroot": bool(ctx.get("encryptroot", False)),
        "diskofferingstrictness": bool(ctx.get("diskofferingstrictness", False)),
        "hasannotations": False,
        "state": "Active",
    }
    for key, value in (("cpunumber", cpus), ("cpuspeed", speed), ("memory", memory)):
        if value is not None:
            item[key] = value
    _storage_qos(ctx, item)
    for key in ("rootdisksize", "networkrate", "systemvmtype", "deploymentplanner"):
        if ctx.get(key) is not None:
            item[key] = ctx.params[key]
    _set_tags(item, "hosttags", ctx.get("hosttags"))
    _set_tags(item, "storagetags", ctx.get("tags"))
    details = details_map(ctx.get("serviceofferingdetails"))
    if details:
        item["serviceofferingdetails"] = details
    disk_id = ctx.get("diskofferingid")
    if disk_id:
        disk = ctx.entity("diskoffering", disk_id, "diskofferingid")
        item.update(
            diskofferingid=disk["id"],
            diskofferingname=disk["name"],
            diskofferingdisplaytext=disk["displaytext"],
        )
    _zone_domain_fields(ctx, item, ctx.get("zoneid"))
    return {"serviceoffering": ctx.store.insert("serviceoffering", item)}


@command(
    "updateServiceOffering",
    params=[
        Param("cleanupexternaldetails", "boolean", since="4.22"),
        Param("displaytext", "string"),
        Param("domainid", "string"),
        Param("externaldetails", "map", since="4.22"),
        Param("hosttags", "string"),
        Param("id", "uuid", required=True, entity="serviceoffering"),
        Param("name", "string"),
        Param("purgeresources", "boolean", since="4.22"),
        Param("sortkey", "integer"),
        Param("state", "string", since="4.22"),
        Param("storagetags", "string"),
        Param("zoneid", "string"),
    ],
)
def update_service_offering(ctx: Ctx) -> dict[str, Any]:
    """Updates a service offering."""
    item = ctx.entity("serviceoffering", ctx.params["id"])
    _update_common(ctx, item, tags_field="storagetags", tags_param="storagetags")
    if "hosttags" in ctx.params:
        _set_tags(item, "hosttags", ctx.params["hosttags"])
    if ctx.get("state"):
        item["state"] = ctx.params["state"]
    return {"serviceoffering": ctx.store.put("serviceoffering", item)}


@command(
    "deleteServiceOffering",
    params=[Param("id", "uuid", required=True, entity="serviceoffering")],
)
def delete_service_offering(ctx: Ctx) -> dict[str, Any]:
    """Deletes a service offering."""
    return _delete(ctx, "serviceoffering")
