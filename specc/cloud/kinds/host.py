"""Kind ``host``: ``addHost``, keyed by (zone, pod, cluster, address).

CloudStack names a host after its hostname, not after the spec, so a live host is
matched by its management address (``ipaddress``) within its cluster. Only
``Routing`` hosts (hypervisors) are hosts here; system VM hosts are ignored, and so
are the ESXi hosts of a VMware cluster, which vCenter discovery adds with the cluster.
The 4.18 contract lists a ``username`` field, but it is not filled for hypervisor
hosts, so the user name is treated as not readable.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, norm_csv


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    if item.get("type", "Routing") != "Routing" or item.get("clustertype") == "ExternalManaged":
        return None
    cluster = index.cluster_key(item.get("clusterid"))
    address = item.get("ipaddress") or item.get("name")
    return None if cluster is None else (*cluster, str(address))


KIND = Kind(
    name="host",
    list_command="listHosts",
    create_command="addHost",
    create_async=False,
    update_command="updateHost",
    update_async=False,
    delete_command="deleteHost",
    delete_async=False,
    key=_key,
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
