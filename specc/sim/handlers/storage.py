"""Primary and secondary storage: listStoragePools, createStoragePool, updateStoragePool,
deleteStoragePool, enableStorageMaintenance, cancelStorageMaintenance,
listStorageProviders, listImageStores, addImageStore, deleteImageStore.

``createStoragePool`` does what ``StorageManagerImpl.createPool`` does (provider by
name, scope, hypervisor) and hands the rest to the provider, as the server calls the
provider's lifecycle: each provider (its url, checks and stored fields) is a module of
:mod:`specc.sim.providers`, found by name in the registry; ``addImageStore`` likewise
(``discoverImageStore``). A pool keeps its url, details, tags and what its provider
made of them, but answers with only the fields the chosen API version returns: on 4.18
no ``capacitybytes``, ``details`` or ``managed`` (and never the url, nor a secret).
A pool is deleted only from Maintenance, and not while volumes are on it (the hidden
``_volumes`` count, which a test can set with ``tamper``).
"""

from __future__ import annotations

from typing import Any

from specc.sim.handlers import Ctx, Item, Param, command, fields_since, new_id
from specc.sim.handlers.bhelpers import (
    details_map,
    hypervisor_type,
    join_tags,
    pod_in_zone,
    zone_of,
)
from specc.sim.providers import image as image_provider
from specc.sim.providers import listing
from specc.sim.providers import primary as primary_provider
from specc.sim.providers.base import (
    PROVIDER_TYPES,
    ImageStoreRequest,
    NewPool,
    PoolRequest,
    PoolUrlError,
    PrimaryProvider,
)

fields_since(
    "storagepool",
    {
        "capacitybytes": "4.22",
        "details": "4.22",
        "istagarule": "4.22",
        "managed": "4.22",
        "nfsmountopts": "4.22",
        "storageaccessgroups": "4.22",
        "storagecustomstats": "4.22",
        "usediops": "4.22",
    },
)

# StorageManagerImpl.createPool: the hypervisors a zone-wide pool may name.
ZONE_WIDE_HYPERVISORS = ("KVM", "VMware", "Hyperv", "LXC", "Any", "Simulator")
DEFAULT_CAPACITY = 2 * 1024**4  # what the simulator agent reports for a pool: 2 TiB
SECRET_DETAILS = ("clusterAdminPassword", "password", "secret")


@command(
    "listStoragePools",
    item="storagepool",
    params=[
        Param("clusterid", "uuid"),
        Param("hostid", "string", since="4.22"),
        Param("id", "uuid"),
        Param("ipaddress", "string"),
        Param("keyword", "string"),
        Param("name", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("path", "string"),
        Param("podid", "uuid"),
        Param("scope", "string"),
        Param("status", "string", since="4.22"),
        Param("storageaccessgroup", "string", since="4.22"),
        Param("storagecustomstats", "boolean", since="4.22"),
        Param("zoneid", "uuid"),
    ],
)
def list_storage_pools(ctx: Ctx) -> dict[str, Any]:
    """Lists storage pools."""
    return ctx.list_response(
        "storagepool",
        fields={"status": "state", "storageaccessgroup": "storageaccessgroups"},
        skip=("hostid", "storagecustomstats"),
    )


@command(
    "createStoragePool",
    params=[
        Param("capacitybytes", "long"),
        Param("capacityiops", "long"),
        Param("clusterid", "uuid", entity="cluster"),
        Param("details", "map"),
        Param("hypervisor", "string"),
        Param("istagarule", "boolean", since="4.22"),
        Param("managed", "boolean"),
        Param("name", "string", required=True),
        Param("podid", "uuid", entity="pod"),
        Param("provider", "string"),
        Param("scope", "string"),
        Param("storageaccessgroups", "string", since="4.22"),
        Param("tags", "string"),
        Param("url", "string", required=True),
        Param("zoneid", "uuid", required=True, entity="zone"),
    ],
)
def create_storage_pool(ctx: Ctx) -> dict[str, Any]:
    """Creates a storage pool.

    ``StorageManagerImpl.createPool``: the provider by name (an unknown name takes
    ``DefaultPrimary``), the scope, the hypervisor (the cluster's, or for a zone-wide
    pool the ``hypervisor`` parameter, among the zone-wide ones, and no pod or
    cluster); then the provider's ``initialize`` and ``attach``, whose refusals
    answer 530 ``Failed to add data store: ...``.
    """
    provider = primary_provider(ctx.get("provider"), ctx.api_version)
    scope = (ctx.get("scope") or "cluster").upper()
    if scope not in ("CLUSTER", "ZONE", "HOST"):
        raise ctx.invalid(f"invalid scope for pool {ctx.params['scope']}")
    cluster_id = ctx.get("clusterid")
    pod_id = ctx.get("podid")
    if scope == "CLUSTER" and not cluster_id:
        raise ctx.invalid("cluster id can't be null, if scope is cluster")
    zone = zone_of(ctx, ctx.params["zoneid"])
    cluster: Item | None = None
    pod: Item | None = None
    if scope == "ZONE":
        cluster_id = pod_id = None
        given = ctx.get("hypervisor")
        if given is None:
            raise ctx.invalid(
                "Missing parameter hypervisor. Hypervisor type is required to create zone wide "
                "primary storage."
            )
        # HypervisorType.getType answers None for a name it does not know, which is
        # not among the zone-wide ones (StorageManagerImpl.createPool).
        hv = hypervisor_type(given)
        if hv is None or hv not in ZONE_WIDE_HYPERVISORS:
            raise ctx.invalid(
                f"Zone wide storage pool is not supported for hypervisor type {given}"
            )
    else:
        cluster = ctx.entity("cluster", str(cluster_id), "clusterid")
        hv = cluster["hypervisortype"]
        if pod_id is not None:
            pod = pod_in_zone(ctx, pod_id, zone)
    req = PoolRequest(
        name=ctx.params["name"],
        url=ctx.params["url"],
        scope=scope,
        hypervisor=hv,
        zone=zone,
        pod=pod,
        cluster=cluster,
        capacity_bytes=ctx.get("capacitybytes"),
        capacity_iops=ctx.get("capacityiops"),
        managed=bool(ctx.get("managed", False)),
    )
    try:
        # Kept from the first simulator; no server source found for this check.
        if cluster is not None and pod is not None and cluster["podid"] != pod["id"]:
            raise PoolUrlError(f"Cluster {cluster['id']} does not belong to pod {pod['id']}")
        new = provider.initialize(ctx, req)
        provider.attach(ctx, req, new)
    except PoolUrlError as err:
        if not err.plugin:
            raise ctx.invalid(err.text) from None
        raise ctx.error(530, f"Failed to add data store: {err.text}") from None
    pool = _new_pool(ctx, provider, req, new)
    return {"storagepool": ctx.store.insert("storagepool", pool)}


def _new_pool(ctx: Ctx, provider: PrimaryProvider, req: PoolRequest, new: NewPool) -> Item:
    """The stored pool: what the provider made of the request (type, path, host,
    managed, hypervisor, capacities, details, and tags when it sets them), and the
    request's name, scope and tags. Without capacity bytes from the provider, the pool
    has what the simulator's hosts report (``DEFAULT_CAPACITY``)."""
    parsed = new.parsed
    details = details_map(ctx.get("details"))
    details.update(parsed.details)
    cap_bytes = new.capacity_bytes or DEFAULT_CAPACITY
    pool: dict[str, Any] = {
        "id": new_id(),
        "name": req.name,
        "zoneid": req.zone["id"],
        "zonename": req.zone["name"],
        "type": parsed.type,
        "path": parsed.path,
        "state": "Up",
        "scope": req.scope,
        "hypervisor": new.hypervisor,
        "provider": provider.name,
        "created": ctx.now(),
        "disksizetotal": cap_bytes,
        "disksizeallocated": 0,
        "disksizeused": 0,
        "capacitybytes": cap_bytes,
        "overprovisionfactor": "2.0" if parsed.type == "NetworkFilesystem" else "1.0",
        "hasannotations": False,
        "managed": new.managed,
        "istagarule": bool(ctx.get("istagarule", False)),
        "storagecapabilities": dict(provider.capabilities),
        "details": {k: v for k, v in details.items() if k not in SECRET_DETAILS},
        "_url": req.url,
        "_host": parsed.host,
        "_port": parsed.port,
        "_details": details,
        "_volumes": 0,
    }
    if parsed.host:
        pool["ipaddress"] = parsed.host
    if parsed.user:
        pool["_user"], pool["_secret"] = parsed.user, parsed.secret
    if req.pod is not None and req.cluster is not None:
        pool.update(
            podid=req.pod["id"],
            podname=req.pod["name"],
            clusterid=req.cluster["id"],
            clustername=req.cluster["name"],
        )
    tags = join_tags(ctx.get("tags") if new.tags is None else new.tags)
    if tags:
        pool["tags"] = tags
    if new.capacity_iops is not None:
        pool["capacityiops"] = new.capacity_iops
        pool["allocatediops"] = 0
        pool["usediops"] = 0
    if ctx.get("storageaccessgroups"):
        pool["storageaccessgroups"] = ctx.params["storageaccessgroups"]
    return pool


@command(
    "updateStoragePool",
    params=[
        Param("capacitybytes", "long"),
        Param("capacityiops", "long"),
        Param("details", "map", since="4.22"),
        Param("enabled", "boolean"),
        Param("id", "uuid", required=True, entity="storagepool"),
        Param("istagarule", "boolean", since="4.22"),
        Param("name", "string"),
        Param("tags", "list"),
        Param("url", "string", since="4.22"),
    ],
)
def update_storage_pool(ctx: Ctx) -> dict[str, Any]:
    """Updates a storage pool."""
    pool = ctx.entity("storagepool", ctx.params["id"])
    changes: dict[str, Any] = {}
    if ctx.get("name", "").strip():
        changes["name"] = ctx.params["name"]
    if "tags" in ctx.params:
        changes["tags"] = join_tags(ctx.params["tags"]) or None
    cap_bytes = ctx.get("capacitybytes")
    if cap_bytes is not None and cap_bytes != pool.get("capacitybytes"):
        if cap_bytes < pool.get("disksizeused", 0):
            raise ctx.error(
                530,
                "Cannot reduce the number of bytes for this storage pool as it would lead to an "
                "insufficient number of bytes",
            )
        changes.update(capacitybytes=cap_bytes, disksizetotal=cap_bytes)
    cap_iops = ctx.get("capacityiops")
    if cap_iops is not None and cap_iops != pool.get("capacityiops"):
        if cap_iops < pool.get("allocatediops", 0):
            raise ctx.error(
                530,
                "Cannot reduce the number of IOPS for this storage pool as it would lead to an "
                "insufficient number of IOPS",
            )
        changes["capacityiops"] = cap_iops
    enabled = ctx.get("enabled")
    if enabled is True:
        if pool["state"] != "Disabled":
            raise ctx.invalid(
                f"Primary storage with id {pool['id']} cannot be enabled. "
                f"Storage pool state : {pool['state']}"
            )
        changes["state"] = "Up"
    elif enabled is False:
        if pool["state"] != "Up":
            raise ctx.invalid(
                f"Primary storage with id {pool['id']} cannot be disabled. "
                f"Storage pool state : {pool['state']}"
            )
        changes["state"] = "Disabled"
    if "istagarule" in ctx.params:
        changes["istagarule"] = ctx.params["istagarule"]
    if ctx.get("details"):
        merged = dict(pool.get("_details", {}))
        merged.update(details_map(ctx.params["details"]))
        changes["_details"] = merged
        changes["details"] = {k: v for k, v in merged.items() if k not in SECRET_DETAILS}
    if ctx.get("url"):
        changes["_url"] = ctx.params["url"]
    return {"storagepool": ctx.store.update("storagepool", pool["id"], **changes)}


@command(
    "deleteStoragePool",
    params=[
        Param("forced", "boolean"),
        Param("id", "uuid", required=True, entity="storagepool"),
    ],
)
def delete_storage_pool(ctx: Ctx) -> dict[str, Any]:
    """Deletes a storage pool."""
    pool = ctx.entity("storagepool", ctx.params["id"])
    if pool["state"] != "Maintenance":
        raise ctx.invalid(
            f"Unable to delete storage due to it is not in Maintenance state, id: {pool['id']}"
        )
    if int(pool.get("_volumes", 0)) > 0:
        what = "non-destroyed vols" if ctx.get("forced") else "volumes"
        raise ctx.error(
            530, f"Cannot delete pool {pool['name']} as there are associated {what} for this pool"
        )
    ctx.store.delete("storagepool", pool["id"])
    return {"success": True}


@command(
    "enableStorageMaintenance",
    is_async=True,
    params=[Param("id", "uuid", required=True, entity="storagepool")],
)
def enable_storage_maintenance(ctx: Ctx) -> dict[str, Any]:
    """Puts storage pool into maintenance state."""
    pool = ctx.entity("storagepool", ctx.params["id"])
    if pool["state"] not in ("Up", "ErrorInMaintenance"):
        raise ctx.invalid(
            f"Primary storage with id {pool['id']} is not ready for migration, as the status "
            f"is:{pool['state']}"
        )
    return {"storagepool": ctx.store.update("storagepool", pool["id"], state="Maintenance")}


@command(
    "cancelStorageMaintenance",
    is_async=True,
    params=[Param("id", "uuid", required=True, entity="storagepool")],
)
def cancel_storage_maintenance(ctx: Ctx) -> dict[str, Any]:
    """Cancels maintenance for primary storage."""
    pool = ctx.entity("storagepool", ctx.params["id"])
    if pool["state"] not in ("Maintenance", "ErrorInMaintenance"):
        raise ctx.error(
            530,
            f"Primary storage with id {pool['id']} is not ready to complete migration, as the "
            f"status is:{pool['state']}",
        )
    return {"storagepool": ctx.store.update("storagepool", pool["id"], state="Up")}


@command(
    "listStorageProviders",
    item="storageprovider",
    params=[
        Param("keyword", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("type", "string", required=True),
    ],
)
def list_storage_providers(ctx: Ctx) -> dict[str, Any]:
    """Lists storage providers.

    The stored list (the baseline's, or a snapshot's), else the registry's; each entry
    answers its type as the server's enum spells it (``PRIMARY``, ``IMAGE``,
    ``ImageCache``). The items come under the key ``dataStoreProvider``: apache/cloudstack
    4.18.2.5 ``ListStorageProvidersCmd.execute`` sets that object name on each
    ``StorageProviderResponse`` (a class with no ``@EntityReference``) before the
    ``ListResponse`` is serialised, and ``ApiResponseSerializer.toJSONSerializedString``
    keys a list by its first item's ``getObjectName()``, case kept.
    """
    kind = ctx.params["type"].lower()
    if kind not in ("primary", "image", "imagecache"):
        raise ctx.invalid(f"Invalid parameter: {ctx.params['type']}")
    if kind == "imagecache":
        items = listing(kind, ctx.api_version)
    else:
        stored = [
            dict(p, type=PROVIDER_TYPES[kind])
            for p in ctx.store.items("storageprovider")
            if str(p.get("type", "")).lower() == kind and ctx.since(p.get("_since") or "4.18")
        ]
        items = stored or listing(kind, ctx.api_version)
    return ctx.list_response("storageprovider", items, skip=("type",), key="dataStoreProvider")


# -- secondary storage -----------------------------------------------------------------


@command(
    "listImageStores",
    item="imagestore",
    params=[
        Param("id", "uuid"),
        Param("keyword", "string"),
        Param("name", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("protocol", "string"),
        Param("provider", "string"),
        Param("readonly", "boolean"),
        Param("zoneid", "uuid"),
    ],
)
def list_image_stores(ctx: Ctx) -> dict[str, Any]:
    """Lists image stores."""
    return ctx.list_response("imagestore", fields={"provider": "providername"})


@command(
    "addImageStore",
    params=[
        Param("details", "map"),
        Param("name", "string"),
        Param("provider", "string", required=True),
        Param("url", "string"),
        Param("zoneid", "uuid", entity="zone"),
    ],
)
def add_image_store(ctx: Ctx) -> dict[str, Any]:
    """Adds backup image store.

    ``StorageManagerImpl.discoverImageStore``: the provider by name (an unknown name
    takes ``NFS``), a unique name, a scope the provider supports, no store of another
    provider; then the provider's ``initialize``.
    """
    provider = image_provider(ctx.params["provider"], ctx.api_version)
    zone = zone_of(ctx, ctx.params["zoneid"]) if ctx.get("zoneid") else None
    url = ctx.get("url", "")
    name = ctx.get("name") or url
    if ctx.store.find("imagestore", name=name):
        raise ctx.invalid(
            f"The image store with name {name} already exists, try creating with another name"
        )
    scope = "ZONE" if zone is not None else "REGION"
    if scope not in provider.scopes:
        raise ctx.invalid(f"Image store provider {provider.name} does not support scope {scope}")
    for other in ctx.store.items("imagestore"):
        if other["providername"].lower() != provider.name.lower():
            raise ctx.invalid(
                "You can only add new image stores from the same provider "
                f"{other['providername']} already added"
            )
    details = details_map(ctx.get("details"))
    req = ImageStoreRequest(name=name, url=url, zone=zone, details=details)
    store: dict[str, Any] = {
        "id": new_id(),
        "name": name,
        "providername": provider.name,
        "readonly": False,
        "hasannotations": False,
        "disksizetotal": DEFAULT_CAPACITY,
        "disksizeused": 0,
        "url": url,
        "_details": details,
    }
    try:
        store.update(provider.initialize(ctx, req))
    except PoolUrlError as err:
        if not err.plugin:
            raise ctx.invalid(err.text) from None
        raise ctx.error(530, f"Failed to add data store: {err.text}") from None
    if zone is not None:
        store.update(zoneid=zone["id"], zonename=zone["name"], scope="ZONE")
    return {"imagestore": ctx.store.insert("imagestore", store)}


@command("deleteImageStore", params=[Param("id", "uuid", required=True, entity="imagestore")])
def delete_image_store(ctx: Ctx) -> dict[str, Any]:
    """Deletes an image store or Secondary Storage."""
    store = ctx.entity("imagestore", ctx.params["id"])
    for kind in ("template", "iso"):
        for item in ctx.store.items(kind):
            if item.get("_imagestoreid") == store["id"]:
                # The server counts ISOs among the templates here.
                raise ctx.invalid("Cannot delete image store with active templates backup!")
    ctx.store.delete("imagestore", store["id"])
    return {"success": True}
