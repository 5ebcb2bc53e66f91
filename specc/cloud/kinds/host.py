"""Kind ``host``: ``addHost``, keyed by (zone, pod, cluster, address).

CloudStack names a host after its hostname, not after the spec, so a live host is
matched by its management address (``ipaddress``) within its cluster, or, when no
host has that address, by that name (a spec address that is the host's DNS name).
The addHost url may be other than ``http://<address>`` (a Simulator host's
``http://sim/c0/h0``): the host is still matched by what listHosts returns. Only
``Routing`` hosts (hypervisors) are hosts here; system VM hosts are ignored, and so
are the ESXi hosts of a VMware cluster, which vCenter discovery adds with the cluster.
The 4.18 contract lists a ``username`` field, but it is not filled for hypervisor
hosts, so the user name is treated as not readable.

A host is deleted from maintenance: ``ResourceManagerImpl.doDeleteHost`` refuses a
host that is not in maintenance unless forced ("cannot be deleted as it is not in
maintenance mode. Either put the host into maintenance or perform a forced
deletion"), so a prune without ``--force`` runs ``prepareHostForMaintenance`` first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from specc.cloud.kinds.base import (
    Deletion,
    Desired,
    Emitter,
    FieldSpec,
    Hooks,
    Item,
    Kind,
    LiveIndex,
    Maintenance,
    Parent,
)
from specc.cloud.kinds.normalise import norm_csv
from specc.core.ids import ResourceId
from specc.core.steps import Param


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    if item.get("type", "Routing") != "Routing" or item.get("clustertype") == "ExternalManaged":
        return None
    cluster = index.cluster_key(item.get("clusterid"))
    address = item.get("ipaddress") or item.get("name")
    return None if cluster is None else (*cluster, str(address))


def _alias(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    """A host is also found by the name CloudStack gave it (its hostname): a spec
    address that is a DNS name matches the host listed under that name."""
    if _key(item, index) is None or not item.get("name"):
        return None
    cluster = index.cluster_key(item.get("clusterid"))
    return None if cluster is None else (*cluster, str(item["name"]))


def created_key(rid: ResourceId, params: Mapping[str, Any]) -> tuple[str, ...]:
    """A host is listed by its address: the host part of addHost's url."""
    url = str(params.get("url", ""))
    address = urlsplit(url if "://" in url else f"http://{url}").hostname or url
    return (*rid.key[:-1], address)


def _note(emit: Emitter, res: Desired, params: Mapping[str, Param], step: str) -> None:
    """Note what addHost needs from the operator for this host's hypervisor.

    KVM hosts are added with a username only: the management server logs in with
    its own SSH key. XenServer hosts need a password; VMware hosts come through
    vCenter, so neither note applies to them.
    """
    hypervisor = str(params.get("hypervisor", ""))
    if hypervisor.lower() == "kvm":
        emit.note(
            f"{res.id}: KVM host; the management server's public SSH key must be in the "
            "host's authorized_keys (addHost logs in with it)"
        )
    elif hypervisor.lower() == "xenserver" and "password" not in params:
        emit.note(
            f"{res.id}: no password; CloudStack's addHost needs a username and password for "
            f"{hypervisor} hosts (set the host's password in the spec)"
        )


def _maintenance(item: Item, force: bool) -> Maintenance | None:
    if force or item.get("resourcestate") == "Maintenance":
        return None
    return Maintenance("prepareHostForMaintenance", "host")


KIND = Kind(
    name="host",
    list_command="listHosts",
    key=_key,
    phase=100,
    parents=(Parent("cluster", "clusterid"),),
    script_target=True,
    volatile=frozenset(
        {
            "averageload",
            "cpuallocated",
            "cpuallocatedpercentage",
            "cpuallocatedvalue",
            "cpuallocatedwithoverprovisioning",
            "cpuloadaverage",
            "cpuused",
            "disconnected",
            "events",
            "jobid",
            "jobstatus",
            "lastannotated",
            "lastpinged",
            "managementserverid",
            "memoryallocated",
            "memoryallocatedbytes",
            "memoryallocatedpercentage",
            "memoryused",
            "memorywithoverprovisioning",
            "networkkbsread",
            "networkkbswrite",
            "state",
        }
    ),
    create_command="addHost",
    update_command="updateHost",
    delete_command="deleteHost",
    deletion=Deletion(forced=True, maintenance=_maintenance),
    hooks=Hooks(after_create=_note, created_key=created_key),
    alias=_alias,
    fields=(
        FieldSpec(
            name="hypervisor", create="hypervisor", list_field="hypervisor", mode="impossible"
        ),
        FieldSpec(
            name="hosttags",
            create="hosttags",
            update="hosttags",
            list_field="hosttags",
            normalise=norm_csv,
        ),
        FieldSpec(
            name="username",
            create="username",
            list_field="username",
            readable_since=None,
            mode="impossible",
        ),
    ),
)
