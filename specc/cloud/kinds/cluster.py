"""Kind ``cluster``: ``addCluster``, keyed by (zone, pod, name).

The hypervisor cannot change; a VMware cluster's vCenter URL is not read back.
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, LiveIndex, Parent


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    pod = index.pod_key(item.get("podid"))
    return None if pod is None else (*pod, str(item["name"]))


KIND = Kind(
    name="cluster",
    list_command="listClusters",
    key=_key,
    phase=80,
    parents=(Parent("pod", "podid"),),
    create_command="addCluster",
    update_command="updateCluster",
    delete_command="deleteCluster",
    fields=(
        FieldSpec(
            name="hypervisor", create="hypervisor", list_field="hypervisortype", mode="impossible"
        ),
        FieldSpec(
            name="clustertype", create="clustertype", list_field="clustertype", mode="impossible"
        ),
        FieldSpec(name="url", create="url", readable_since=None, mode="impossible"),
    ),
)
