"""Filling a fresh simulator: the baseline, then a snapshot file or the devcloud seed.

The ``devcloud`` seed is built through the simulator's own commands, as an operator
would build CloudStack's simulator setup: an advanced zone with a physical network
and its traffic types, a pod, a cluster with two hosts, NFS primary and secondary
storage, and a ready system template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specc.cloud.snapshot import load_snapshot
from specc.cloud.state import LiveState
from specc.errors import SpeccError
from specc.sim.baseline import install_baseline
from specc.sim.dispatch import Dispatcher
from specc.sim.store import Store

# listConfigurations' scope text -> (ConfigKey.Scope, the scope id's parameter)
SCOPE_OF_LISTED = {
    "zone": ("Zone", "zoneid"),
    "cluster": ("Cluster", "clusterid"),
    "storagepool": ("StoragePool", "storageid"),
    "account": ("Account", "accountid"),
    "domain": ("Domain", "domainid"),
    "imagestore": ("ImageStore", "imagestoreuuid"),
}
# Kinds keyed by something other than an id, and how (see Store.insert).
ITEM_KEYS = {
    "configuration": ("name",),
    "storageprovider": ("type", "name"),
    "hostha": ("hostid",),
}


class SeedError(SpeccError):
    """The simulator could not be seeded."""


def item_key(kind: str, item: dict[str, Any]) -> str | None:
    """The store key of a *kind* item that has no id (None: use its id).

    >>> item_key("configuration", {"name": "a.b"}), item_key("zone", {"id": "x"})
    ('a.b', None)
    """
    fields = ITEM_KEYS.get(kind)
    if fields is None or ("id" in item and kind != "configuration"):
        return None
    return ":".join(str(item.get(f, "")) for f in fields)


def seed_state(store: Store, state: LiveState) -> None:
    """Store every item of *state* as it is (ids kept).

    A kind the snapshot holds replaces that kind of the baseline entirely. A
    setting listed at a scope (``scope`` and the scope's id under the parameter it
    was listed with, ``zoneid``...) with a value other than the global one becomes
    that object's own value.
    """
    for kind, items in state.resources.items():
        store.clear(kind)
        scoped: list[dict[str, Any]] = []
        for item in items:
            data = dict(item)
            if kind == "configuration" and data.get("scope"):
                scoped.append(data)
                continue
            store.put(kind, data, item_key(kind, data))
        for data in scoped:
            _seed_scoped(store, data)


def _seed_scoped(store: Store, data: dict[str, Any]) -> None:
    """Keep a scoped setting of a snapshot as a value of its global row."""
    scope = SCOPE_OF_LISTED.get(str(data["scope"]))
    row = store.get("configuration", str(data.get("name")))
    if scope is None or row is None:
        return
    name, param = scope
    object_id = data.get(param)
    if object_id is None or data.get("value") in (None, row.get("value")):
        return  # the listing cannot tell an inherited value: keep those inherited
    values = dict(row.get("_scoped", {}))
    values[f"{name}:{object_id}"] = str(data["value"])
    store.update("configuration", str(row["name"]), _scoped=values)


def seed_snapshot(store: Store, path: Path) -> None:
    """Seed from a snapshot file (raises SnapshotError when it is unusable)."""
    seed_state(store, load_snapshot(path))


def _call(d: Dispatcher, name: str, /, **params: Any) -> dict[str, Any] | None:
    """Run *name*; None when this simulator does not serve it (yet)."""
    if d.lookup(name) is None:
        return None
    raw = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}
    ans = d.call(name, raw)
    body = ans.body.get(name.lower() + "response", {})
    if ans.status != 200:
        raise SeedError(f"devcloud seed: {name} failed: {body.get('errortext', ans.status)}")
    if "jobid" in body:
        job = store_job(d, body["jobid"])
        if job.get("jobstatus") == 2:
            text = job.get("jobresult", {}).get("errortext")
            raise SeedError(f"devcloud seed: {name} failed: {text}")
        return dict(job.get("jobresult", {}))
    return dict(body)


def store_job(d: Dispatcher, job_id: str) -> dict[str, Any]:
    """The stored job (seeding runs without latency, so it is already done)."""
    return d.store.get("asyncjobs", job_id) or {}


def seed_devcloud(d: Dispatcher) -> None:
    """Build the devcloud setup through the commands of *d*."""
    zone = _call(
        d,
        "createZone",
        name="Sandbox-simulator",
        networktype="Advanced",
        dns1="10.147.28.6",
        internaldns1="10.147.28.6",
        guestcidraddress="10.1.1.0/24",
        localstorageenabled=True,
    )
    assert zone is not None
    zid = zone["zone"]["id"]
    pn = _call(
        d,
        "createPhysicalNetwork",
        name="Sandbox-pnet",
        zoneid=zid,
        isolationmethods="VLAN",
        vlan="100-200",
        broadcastdomainrange="Zone",
    )
    assert pn is not None
    pnid = pn["physicalnetwork"]["id"]
    for ttype in ("Management", "Guest", "Public", "Storage"):
        _call(d, "addTrafficType", physicalnetworkid=pnid, traffictype=ttype)
    for nsp in d.store.find("networkserviceprovider", physicalnetworkid=pnid):
        for vre in d.store.find("virtualrouterelement", nspid=nsp["id"]):
            _call(d, "configureVirtualRouterElement", id=vre["id"], enabled=True)
        for ilb in d.store.find("internalloadbalancerelement", nspid=nsp["id"]):
            _call(d, "configureInternalLoadBalancerElement", id=ilb["id"], enabled=True)
        if nsp["name"] in ("VirtualRouter", "VpcVirtualRouter", "InternalLbVm", "ConfigDrive"):
            _call(d, "updateNetworkServiceProvider", id=nsp["id"], state="Enabled")
    _call(d, "updatePhysicalNetwork", id=pnid, state="Enabled")
    _call(
        d,
        "createVlanIpRange",
        zoneid=zid,
        vlan="untagged",
        gateway="10.147.31.1",
        netmask="255.255.255.0",
        startip="10.147.31.100",
        endip="10.147.31.200",
        forvirtualnetwork=True,
        physicalnetworkid=pnid,
    )
    pod = _call(
        d,
        "createPod",
        name="POD0",
        zoneid=zid,
        gateway="172.16.15.1",
        netmask="255.255.255.0",
        startip="172.16.15.2",
        endip="172.16.15.100",
    )
    assert pod is not None
    podid = pod["pod"]["id"]
    _call(
        d,
        "createStorageNetworkIpRange",
        podid=podid,
        gateway="172.16.16.1",
        netmask="255.255.255.0",
        startip="172.16.16.10",
        endip="172.16.16.100",
        vlan=20,
    )
    cluster = _call(
        d,
        "addCluster",
        clustername="C0",
        clustertype="CloudManaged",
        hypervisor="Simulator",
        podid=podid,
        zoneid=zid,
    )
    if cluster is not None:
        clusters = cluster.get("cluster") or []
        cid = clusters[0]["id"] if isinstance(clusters, list) and clusters else None
        if cid is not None:
            for n in (0, 1):
                _call(
                    d,
                    "addHost",
                    hypervisor="Simulator",
                    podid=podid,
                    zoneid=zid,
                    clusterid=cid,
                    url=f"http://sim/c0/h{n}",  # as setup/dev/advanced.cfg names them
                    username="root",
                    password="password",
                )
            _call(
                d,
                "createStoragePool",
                name="PS0",
                zoneid=zid,
                podid=podid,
                clusterid=cid,
                scope="cluster",
                hypervisor="Simulator",
                url="nfs://10.147.28.6/export/home/sandbox/primary0",
            )
    _call(
        d,
        "addImageStore",
        name="SS0",
        provider="NFS",
        zoneid=zid,
        url="nfs://10.147.28.6/export/home/sandbox/sstor",
    )
    for tmpl in d.store.find("template", templatetype="SYSTEM"):
        if tmpl.get("hypervisor") == "Simulator":
            d.store.update(
                "template",
                tmpl["id"],
                isready=True,
                status="Download Complete",
                zoneid=zid,
                zonename="Sandbox-simulator",
            )
    _call(d, "updateZone", id=zid, allocationstate="Enabled")


def initialise(store: Store, d: Dispatcher, seed: str | Path | None) -> None:
    """Fill a fresh *store*: the baseline, then *seed* (``devcloud`` or a snapshot path)."""
    with store.transaction():
        install_baseline(store, d.api_version)
    if seed is None:
        return
    if str(seed) == "devcloud":
        seed_devcloud(d)
        return
    with store.transaction():
        seed_snapshot(store, Path(seed))
