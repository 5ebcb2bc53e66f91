"""Clusters and hosts: listClusters, addCluster, updateCluster, deleteCluster, listHosts,
addHost, updateHost, prepareHostForMaintenance, cancelHostMaintenance, deleteHost.

Hosts come up at once (``state`` Up, ``resourcestate`` Enabled), as the simulator
agent of the real server does. Adding a VMware cluster needs its zone's VMware
datacenter (:mod:`specc.sim.handlers.vmware`) and discovers its ESXi hosts, as the real
vCenter discovery does: the simulator finds two.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from specc.sim.handlers import Ctx, Item, Param, command, fields_since, new_id, simagent
from specc.sim.handlers.bhelpers import hypervisor_type, join_tags, pod_in_zone, zone_of
from specc.sim.handlers.vmware import discover_cluster

fields_since(
    "cluster",
    {
        "arch": "4.22",
        "extensionid": "4.22",
        "extensionname": "4.22",
        "podstorageaccessgroups": "4.22",
        "storageaccessgroups": "4.22",
        "zonestorageaccessgroups": "4.22",
    },
)
fields_since(
    "host",
    {
        "arch": "4.22",
        "clusterstorageaccessgroups": "4.22",
        "explicithosttags": "4.22",
        "extensionid": "4.22",
        "extensionname": "4.22",
        "gputotal": "4.22",
        "gpuused": "4.22",
        "implicithosttags": "4.22",
        "instanceconversionsupported": "4.22",
        "istagarule": "4.22",
        "managementservername": "4.22",
        "podstorageaccessgroups": "4.22",
        "storageaccessgroups": "4.22",
        "zonestorageaccessgroups": "4.22",
    },
)

CLUSTER_TYPES = ("CloudManaged", "ExternalManaged")
ALLOCATION_STATES = ("Enabled", "Disabled")
MAINTENANCE_STATES = ("PrepareForMaintenance", "Maintenance", "ErrorInMaintenance")
# Simulated host capacity: what the simulator agent reports.
HOST_CPUS, HOST_MHZ, HOST_MEMORY = 8, 2400, 16 * 1024**3


# -- clusters ------------------------------------------------------------------------


@command(
    "listClusters",
    item="cluster",
    params=[
        Param("allocationstate", "string"),
        Param("arch", "string", since="4.22"),
        Param("clustertype", "string"),
        Param("hypervisor", "string"),
        Param("id", "uuid"),
        Param("keyword", "string"),
        Param("managedstate", "string"),
        Param("name", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("podid", "uuid"),
        Param("showcapacities", "boolean"),
        Param("storageaccessgroup", "string", since="4.22"),
        Param("zoneid", "uuid"),
    ],
)
def list_clusters(ctx: Ctx) -> dict[str, Any]:
    """Lists clusters.

    Each with ``resourcedetails``: the cluster's details, which hold the values of
    settings set at the cluster (:func:`cluster_details`).
    """
    answer = ctx.list_response(
        "cluster",
        fields={"hypervisor": "hypervisortype", "storageaccessgroup": "storageaccessgroups"},
        skip=("showcapacities",),
    )
    if answer.get("cluster"):
        settings = _cluster_settings(ctx)
        answer["cluster"] = [
            {**c, "resourcedetails": cluster_details(c, settings.get(str(c["id"]), {}))}
            for c in answer["cluster"]
        ]
    return answer


def _cluster_settings(ctx: Ctx) -> dict[str, dict[str, str]]:
    """cluster id -> the settings set at that cluster (``updateConfiguration clusterid=``)."""
    out: dict[str, dict[str, str]] = {}
    for row in ctx.store.items("configuration"):
        for where, value in (row.get("_scoped") or {}).items():
            scope, _, object_id = str(where).partition(":")
            if scope == "Cluster":
                out.setdefault(object_id, {})[str(row["name"])] = str(value)
    return out


def cluster_details(cluster: Item, settings: dict[str, str]) -> dict[str, str]:
    """A cluster's ``resourcedetails`` as listClusters answers them.

    apache/cloudstack (4.18.2.5, 4.22.1.0) ``ApiResponseHelper.createClusterResponse``
    sets them to ``ClusterDetailsDao.findDetails``: every row of the cluster's
    details, where ``ConfigurationManagerImpl.updateConfiguration`` (case Cluster)
    stores a setting's value at the cluster under the setting's name, except
    ``cpu.``/``mem.overprovisioning.factor``, stored as ``cpuOvercommitRatio`` /
    ``memoryOvercommitRatio`` (``ClusterDetailsDaoImpl.getCpuMemoryOvercommitRatio``),
    which ``ResourceManagerImpl.discoverCluster`` writes for every new cluster.
    ``ClusterResponse.setResourceDetails`` drops ``username`` and ``password``.
    """
    stored = dict(cluster.get("resourcedetails") or {})
    details = {k: str(v) for k, v in stored.items() if k not in ("username", "password")}
    details.update(settings)
    details["cpuOvercommitRatio"] = str(cluster.get("cpuovercommitratio", "1.0"))
    details["memoryOvercommitRatio"] = str(cluster.get("memoryovercommitratio", "1.0"))
    return dict(sorted(details.items()))


def _placement(ctx: Ctx) -> tuple[Item, Item, str]:
    """The zone, the pod in it and the hypervisor type that addCluster and addHost name."""
    zone = zone_of(ctx, ctx.params["zoneid"])
    pod = pod_in_zone(ctx, ctx.params["podid"], zone)
    hv = hypervisor_type(ctx.params["hypervisor"])
    if hv is None:
        raise ctx.invalid(f"Unable to resolve {ctx.params['hypervisor']} to a supported ")
    return zone, pod, hv


@command(
    "addCluster",
    params=[
        Param("allocationstate", "string"),
        Param("arch", "string", since="4.22"),
        Param("clustername", "string", required=True),
        Param("clustertype", "string", required=True),
        Param("extensionid", "uuid", since="4.22"),
        Param("externaldetails", "map", since="4.22"),
        Param("guestvswitchname", "string"),
        Param("guestvswitchtype", "string"),
        Param("hypervisor", "string", required=True),
        Param("ovm3cluster", "string"),
        Param("ovm3pool", "string"),
        Param("ovm3vip", "string"),
        Param("password", "string"),
        Param("podid", "uuid", required=True, entity="pod"),
        Param("publicvswitchname", "string"),
        Param("publicvswitchtype", "string"),
        Param("storageaccessgroups", "list", since="4.22"),
        Param("url", "string"),
        Param("username", "string"),
        Param("vsmipaddress", "string"),
        Param("vsmpassword", "string"),
        Param("vsmusername", "string"),
        Param("zoneid", "uuid", required=True, entity="zone"),
    ],
)
def add_cluster(ctx: Ctx) -> dict[str, Any]:
    """Adds a new cluster."""
    zone, pod, hv = _placement(ctx)
    ctype = ctx.params["clustertype"]
    if ctype not in CLUSTER_TYPES:
        raise ctx.invalid(f"No enum constant com.cloud.org.Cluster.ClusterType.{ctype}")
    state = ctx.get("allocationstate", "Enabled")
    if state not in ALLOCATION_STATES:
        raise ctx.invalid(f"Unable to resolve Allocation State '{state}' to a supported state")
    name = ctx.params["clustername"]
    if ctx.store.find("cluster", podid=pod["id"], name=name):
        raise ctx.error(
            530, f"Unable to create cluster {name} in pod and data center with specified ids"
        )
    # An ExternalManaged (vCenter) cluster is discovered from its url; its hosts with it.
    vcenter = _vcenter(ctx, zone, hv) if ctype == "ExternalManaged" else {}
    cluster = _insert_cluster(ctx, zone, pod, name, hv, ctype, state)
    if vcenter:
        cluster = ctx.store.update(
            "cluster",
            cluster["id"],
            resourcedetails={"url": vcenter["url"], "username": vcenter["username"]},
            _password=vcenter["password"],
        )
        for n in (1, 2):
            _insert_host(ctx, cluster, f"{vcenter['host']}-esxi-{n}", f"esxi-{n}.{name}", "")
    return {"count": 1, "cluster": [cluster]}


def _insert_cluster(
    ctx: Ctx, zone: Item, pod: Item, name: str, hv: str, ctype: str, state: str
) -> Item:
    cluster: dict[str, Any] = {
        "id": new_id(),
        "name": name,
        "podid": pod["id"],
        "podname": pod["name"],
        "zoneid": zone["id"],
        "zonename": zone["name"],
        "hypervisortype": hv,
        "clustertype": ctype,
        "allocationstate": state,
        "managedstate": "Managed",
        "cpuovercommitratio": "1.0",
        "memoryovercommitratio": "1.0",
        "hasannotations": False,
        "arch": ctx.get("arch", "x86_64"),
    }
    if ctx.get("storageaccessgroups"):
        cluster["storageaccessgroups"] = ",".join(ctx.params["storageaccessgroups"])
    return ctx.store.insert("cluster", cluster)


def _vcenter(ctx: Ctx, zone: Item, hv: str) -> dict[str, str]:
    """Check an external cluster's url (``http://vcenter/datacenter/cluster``) and login.

    ``ResourceManagerImpl.discoverCluster`` checks the url's form, then the
    hypervisor's discoverer: VMware's (``VmwareServerDiscoverer.find``) is
    :func:`specc.sim.handlers.vmware.discover_cluster`.
    """
    url = ctx.get("url")
    parts = urlsplit(url or "")
    if not url or not parts.scheme:
        raise ctx.invalid(f"uri.scheme is null {url}, add http:// as a prefix")
    path = [p for p in parts.path.split("/") if p]
    if parts.scheme.lower() == "http" and (not parts.hostname or not path):
        raise ctx.invalid(
            "Your host and/or path is wrong.  Make sure it's of the format http://hostname/path"
        )
    if hv == "VMware":
        return discover_cluster(ctx, zone, url)
    if not ctx.get("username") or not ctx.get("password") or len(path) < 2:
        raise ctx.error(530, "Unable to add the external cluster")
    return {
        "url": url,
        "host": parts.hostname or "",
        "username": ctx.params["username"],
        "password": ctx.params["password"],
    }


@command(
    "updateCluster",
    params=[
        Param("allocationstate", "string"),
        Param("arch", "string", since="4.22"),
        Param("clustername", "string"),
        Param("clustertype", "string"),
        Param("externaldetails", "map", since="4.22"),
        Param("hypervisor", "string"),
        Param("id", "uuid", required=True, entity="cluster"),
        Param("managedstate", "string"),
    ],
)
def update_cluster(ctx: Ctx) -> dict[str, Any]:
    """Updates an existing cluster."""
    cluster = ctx.entity("cluster", ctx.params["id"])
    changes: dict[str, Any] = {}
    name = ctx.get("clustername")
    if name and name != cluster["name"]:
        if cluster["hypervisortype"] == "VMware":
            raise ctx.invalid(
                "Renaming VMware cluster is not supported as it could cause problems if the "
                "updated  cluster name is not mapped on VCenter."
            )
        changes["name"] = name
        for host in ctx.store.find("host", clusterid=cluster["id"]):
            ctx.store.update("host", host["id"], clustername=name)
        for pool in ctx.store.find("storagepool", clusterid=cluster["id"]):
            ctx.store.update("storagepool", pool["id"], clustername=name)
    hv_given = ctx.get("hypervisor")
    if hv_given:
        hv = hypervisor_type(hv_given)
        if hv is None:
            raise ctx.invalid(f"Unable to resolve {hv_given} to a supported type")
        changes["hypervisortype"] = hv
    ctype = ctx.get("clustertype")
    if ctype:
        if ctype not in CLUSTER_TYPES:
            raise ctx.invalid(f"Unable to resolve {ctype} to a supported type")
        changes["clustertype"] = ctype
    state = ctx.get("allocationstate")
    if state:
        if state not in ALLOCATION_STATES:
            raise ctx.invalid(f"Unable to resolve Allocation State '{state}' to a supported state")
        changes["allocationstate"] = state
    managed = ctx.get("managedstate")
    if managed:
        if managed not in ("Managed", "Unmanaged"):
            raise ctx.invalid(f"Unable to resolve Managed State '{managed}' to a supported state")
        changes["managedstate"] = managed
    if ctx.get("arch"):
        changes["arch"] = ctx.params["arch"]
    return {"cluster": ctx.store.update("cluster", cluster["id"], **changes)}


@command("deleteCluster", params=[Param("id", "uuid", required=True, entity="cluster")])
def delete_cluster(ctx: Ctx) -> dict[str, Any]:
    """Deletes a cluster."""
    cluster_id = ctx.params["id"]
    if ctx.store.find("host", clusterid=cluster_id):
        raise ctx.error(530, f"Cluster: {cluster_id} cannot be removed. Cluster still has hosts")
    if ctx.store.find("storagepool", clusterid=cluster_id):
        raise ctx.error(
            530, f"Cluster: {cluster_id} cannot be removed. Cluster still has storage pools"
        )
    ctx.store.delete("cluster", cluster_id)
    return {"success": True}


# -- hosts ---------------------------------------------------------------------------


@command(
    "listHosts",
    item="host",
    params=[
        Param("arch", "string", since="4.22"),
        Param("clusterid", "uuid"),
        Param("details", "list"),
        Param("hahost", "boolean"),
        Param("hypervisor", "string"),
        Param("id", "uuid"),
        Param("keyword", "string"),
        Param("managementserverid", "uuid", since="4.22"),
        Param("name", "string"),
        Param("outofbandmanagementenabled", "boolean"),
        Param("outofbandmanagementpowerstate", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("podid", "uuid"),
        Param("resourcestate", "string"),
        Param("state", "string"),
        Param("storageaccessgroup", "string", since="4.22"),
        Param("type", "string"),
        Param("version", "string", since="4.22"),
        Param("virtualmachineid", "uuid"),
        Param("zoneid", "uuid"),
    ],
)
def list_hosts(ctx: Ctx) -> dict[str, Any]:
    """Lists hosts."""
    return ctx.list_response(
        "host",
        fields={"storageaccessgroup": "storageaccessgroups"},
        skip=(
            "details",
            "outofbandmanagementenabled",
            "outofbandmanagementpowerstate",
            "virtualmachineid",
            "managementserverid",
        ),
    )


def _insert_host(ctx: Ctx, cluster: Item, address: str, name: str, hosttags: str) -> Item:
    host: dict[str, Any] = {
        "id": new_id(),
        "name": name,
        "type": "Routing",
        "state": "Up",
        "resourcestate": "Enabled",
        "ipaddress": address,
        "zoneid": cluster["zoneid"],
        "zonename": cluster["zonename"],
        "podid": cluster["podid"],
        "podname": cluster["podname"],
        "clusterid": cluster["id"],
        "clustername": cluster["name"],
        "clustertype": cluster["clustertype"],
        "hypervisor": cluster["hypervisortype"],
        "hypervisorversion": _hv_version(cluster["hypervisortype"]),
        "version": ctx.api_version,
        "created": ctx.now(),
        "lastpinged": "1970-01-20T00:00:00+0000",
        "cpunumber": HOST_CPUS,
        "cpusockets": 1,
        "cpuspeed": HOST_MHZ,
        "cpuallocated": "0%",
        "cpuused": "0%",
        "memorytotal": HOST_MEMORY,
        "memoryallocated": 0,
        "memoryused": 0,
        "disksizetotal": 0,
        "disksizeallocated": 0,
        "capabilities": "hvm",
        "events": "AgentDisconnected; AgentConnected; HostDown; Ping; ShutdownRequested; "
        "StartAgentRebalance; Remove; PingTimeout; ManagementServerDown",
        "hahost": False,
        "hasenoughcapacity": True,
        "islocalstorageactive": False,
        "encryptionsupported": True,
        "ueficapability": False,
        "hasannotations": False,
        "hostha": {"haenable": False, "hastate": "Disabled"},
        "outofbandmanagement": {"enabled": False, "powerstate": "Disabled"},
        "arch": cluster.get("arch", "x86_64"),
    }
    if hosttags:
        host["hosttags"] = hosttags
        host["explicithosttags"] = hosttags
    return ctx.store.insert("host", host)


def _hv_version(hv: str) -> str:
    return {"KVM": "", "VMware": "7.0.3", "XenServer": "8.2.1", "Simulator": ""}.get(hv, "")


@command(
    "addHost",
    params=[
        Param("allocationstate", "string"),
        Param("clusterid", "uuid", entity="cluster"),
        Param("clustername", "string"),
        Param("externaldetails", "map", since="4.22"),
        Param("hosttags", "list"),
        Param("hypervisor", "string", required=True),
        Param("password", "string"),
        Param("podid", "uuid", required=True, entity="pod"),
        Param("storageaccessgroups", "list", since="4.22"),
        Param("url", "string", required=True),
        Param("username", "string"),
        Param("zoneid", "uuid", required=True, entity="zone"),
    ],
)
def add_host(ctx: Ctx) -> dict[str, Any]:
    """Adds a new host."""
    zone, pod, hv = _placement(ctx)
    if ctx.get("clusterid") and ctx.get("clustername"):
        raise ctx.invalid("Can't specify cluster by both id and name")
    if hv == "KVM" and not ctx.get("username"):
        raise ctx.invalid("Username need to be provided.")
    if hv not in ("KVM", "VMware") and (not ctx.get("username") or not ctx.get("password")):
        raise ctx.invalid("Username and Password need to be provided.")
    url = ctx.params["url"]
    address = urlsplit(url if "://" in url else "http://" + url).hostname
    if not address:
        raise ctx.invalid(f"{url} is not a valid uri")
    cluster = _host_cluster(ctx, zone, pod, hv, url)
    if cluster["hypervisortype"] != hv:
        raise ctx.invalid(
            f"Can't add host whose hypervisor type is: {hv} into cluster: {cluster['id']} "
            f"whose hypervisor type is: {cluster['hypervisortype']}"
        )
    tags = join_tags(ctx.get("hosttags"))
    if hv == "Simulator":  # a new mock host per call (see specc.sim.handlers.simagent)
        if not simagent.is_simulator_url(url):
            raise simagent.not_found(ctx, url)
        address = simagent.mock_address(ctx, pod)
        host = _insert_host(ctx, cluster, address, f"SimulatedAgent.{new_id()}", tags)
        host = ctx.store.update("host", host["id"], **simagent.capacity(url))
    else:
        if ctx.store.first("host", ipaddress=address) is not None:  # in SQLite, not a scan
            raise ctx.error(530, f"Host {address} has already been added to the zone")
        host = _insert_host(ctx, cluster, address, address, tags)
    state = ctx.get("allocationstate")
    if state == "Disabled":
        host = ctx.store.update("host", host["id"], resourcestate="Disabled")
    return {"count": 1, "host": [host]}


def _host_cluster(ctx: Ctx, zone: Item, pod: Item, hv: str, url: str) -> Item:
    """The host's cluster: by id, or by name (created when missing, as the server does)."""
    cluster_id = ctx.get("clusterid")
    if cluster_id:
        cluster = ctx.entity("cluster", cluster_id, "clusterid")
        if cluster["podid"] != pod["id"]:
            raise ctx.invalid(
                f"Pod with specified podId{pod['id']} doesn't belong to the zone with "
                f"specified zoneId{zone['id']}"
            )
        return cluster
    name = ctx.get("clustername") or f"Standalone-{url}"
    found = ctx.store.find("cluster", podid=pod["id"], name=name)
    if found:
        return found[0]
    return _insert_cluster(ctx, zone, pod, name, hv, "CloudManaged", "Enabled")


@command(
    "updateHost",
    params=[
        Param("allocationstate", "string"),
        Param("annotation", "string"),
        Param("cleanupexternaldetails", "boolean", since="4.22"),
        Param("externaldetails", "map", since="4.22"),
        Param("hosttags", "list"),
        Param("id", "uuid", required=True, entity="host"),
        Param("istagarule", "boolean", since="4.22"),
        Param("name", "string"),
        Param("oscategoryid", "uuid"),
        Param("url", "string"),
    ],
)
def update_host(ctx: Ctx) -> dict[str, Any]:
    """Updates a host."""
    host = ctx.entity("host", ctx.params["id"])
    changes: dict[str, Any] = {}
    state = ctx.get("allocationstate")
    if state is not None:
        if state.lower() == "enable":
            changes["resourcestate"] = "Enabled"
        elif state.lower() == "disable":
            changes["resourcestate"] = "Disabled"
        else:
            raise ctx.invalid(f"Invalid allocation state: {state}, only Enable/Disable are allowed")
        if host["resourcestate"] in MAINTENANCE_STATES:
            raise ctx.invalid(
                f"Host {host['id']} is in {host['resourcestate']} state; "
                "cancel the maintenance first"
            )
    if "hosttags" in ctx.params:
        tags = join_tags(ctx.params["hosttags"])
        changes["hosttags"] = tags or None
        changes["explicithosttags"] = tags or None
    if ctx.get("name"):
        changes["name"] = ctx.params["name"]
    if ctx.get("annotation"):
        changes["annotation"] = ctx.params["annotation"]
        changes["hasannotations"] = True
    if "istagarule" in ctx.params:
        changes["istagarule"] = ctx.params["istagarule"]
    return {"host": ctx.store.update("host", host["id"], **changes)}


@command(
    "prepareHostForMaintenance",
    is_async=True,
    params=[Param("id", "uuid", required=True, entity="host")],
)
def prepare_host_for_maintenance(ctx: Ctx) -> dict[str, Any]:
    """Prepares a host for maintenance."""
    host = ctx.entity("host", ctx.params["id"])
    if host["resourcestate"] in MAINTENANCE_STATES:
        raise ctx.error(
            530,
            f"Host is already in state {host['resourcestate']}. "
            "Cannot recall for maintenance until resolved.",
        )
    if host["state"] != "Up":
        raise ctx.error(530, f"Unable to prepare for maintenance host {host['id']}")
    # No VMs run in the simulator: nothing to migrate, maintenance is reached at once.
    return {"host": ctx.store.update("host", host["id"], resourcestate="Maintenance")}


@command(
    "cancelHostMaintenance",
    is_async=True,
    params=[Param("id", "uuid", required=True, entity="host")],
)
def cancel_host_maintenance(ctx: Ctx) -> dict[str, Any]:
    """Cancels host maintenance."""
    host = ctx.entity("host", ctx.params["id"])
    if host["resourcestate"] not in MAINTENANCE_STATES:
        raise ctx.error(
            530,
            f"Cannot perform cancelMaintenance when resource state is "
            f"{host['resourcestate']}, hostId = {host['id']}",
        )
    return {"host": ctx.store.update("host", host["id"], resourcestate="Enabled")}


@command(
    "deleteHost",
    params=[
        Param("forced", "boolean"),
        Param("forcedestroylocalstorage", "boolean"),
        Param("id", "uuid", required=True, entity="host"),
    ],
)
def delete_host(ctx: Ctx) -> dict[str, Any]:
    """Deletes a host."""
    host = ctx.entity("host", ctx.params["id"])
    if not ctx.get("forced", False) and host["resourcestate"] != "Maintenance":
        raise ctx.error(
            530,
            f"Host {host['id']} cannot be deleted as it is not in maintenance mode. Either put "
            "the host into maintenance or perform a forced deletion.",
        )
    ctx.store.delete("hostha", host["id"])
    ctx.store.delete("host", host["id"])
    return {"success": True}
