"""Shared helpers of the simulator tests (imported by name: pytest puts this folder on the path)."""

from __future__ import annotations

from typing import Any

from cs import CloudStack

from specc.sim import Simulator

ZONE = {"name": "z1", "dns1": "8.8.8.8", "internaldns1": "10.0.0.1", "networktype": "Advanced"}


def client(sim: Simulator, **kw: Any) -> CloudStack:
    """The real `cs` client for *sim*; async jobs are polled to their result."""
    kw.setdefault("fetch_result", True)
    kw.setdefault("poll_interval", 0.02)
    return CloudStack(endpoint=sim.endpoint, key=sim.api_key, secret=sim.secret_key, **kw)


def raw_call(sim: Simulator, command: str, **params: str) -> tuple[int, dict[str, Any]]:
    """One signed GET sent exactly as given (no client defaults): status and body."""
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    from specc.sim.auth import sign

    query = {"command": command, "response": "json", "apiKey": sim.api_key, **params}
    query["signature"] = sign(query, sim.secret_key)
    url = sim.endpoint + "?" + urllib.parse.urlencode(query)
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def new_cluster(
    c: CloudStack, *, zone: str, cluster: str, hypervisor: str, hosts: int, host_net: str
) -> dict[str, str]:
    """A new Advanced zone *zone* with pod ``p`` (10.0.0.0/24) and cluster *cluster* of
    *hypervisor* with *hosts* hosts at ``http://<host_net>.<1..hosts>``: their ids as
    ``{zoneid, podid, clusterid}``, ready to pass to createStoragePool."""
    z = c.createZone(name=zone, dns1="8.8.8.8", internaldns1="10.0.0.1", networktype="Advanced")
    zid = z["zone"]["id"]
    pod = c.createPod(
        zoneid=zid,
        name="p",
        gateway="10.0.0.1",
        netmask="255.255.255.0",
        startip="10.0.0.10",
        endip="10.0.0.20",
    )["pod"]
    cl = c.addCluster(
        zoneid=zid,
        podid=pod["id"],
        clustername=cluster,
        clustertype="CloudManaged",
        hypervisor=hypervisor,
    )["cluster"][0]
    for h in range(hosts):
        c.addHost(
            zoneid=zid,
            podid=pod["id"],
            clusterid=cl["id"],
            hypervisor=hypervisor,
            url=f"http://{host_net}.{h + 1}",
            username="root",
            password="pw",
        )
    return {"zoneid": zid, "podid": pod["id"], "clusterid": cl["id"]}
