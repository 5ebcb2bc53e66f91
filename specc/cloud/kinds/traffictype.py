"""Kind ``traffictype``: ``addTrafficType`` (async), keyed by (zone, network, type).

``listTrafficTypes`` requires ``physicalnetworkid``: it is listed once per physical
network. It returns the hypervisors' network labels: ``ListTrafficTypesCmd.execute``
answers with ``ApiResponseHelper.createTrafficTypeResponse``, which sets the xen, kvm,
vmware, hyperv and ovm3 labels of ``TrafficTypeResponse`` (apache/cloudstack 4.18.2.5
and 4.22.1.0; the listApis metadata documents the provider fields instead,
apache/cloudstack#7837), so the labels are compared from 4.18 on. Each is stored as
given (``NetworkServiceImpl.addTrafficTypeToPhysicalNetwork``) and changed in place
(``updatePhysicalNetworkTrafficType``: a label given replaces it, ``""`` clears it).
A label the spec leaves out is not compared (the xen label then defaults to the
``xenserver.*.network.device`` setting, ``getDefaultXenNetworkLabel``). The VLAN is in
neither release's response (``vlan`` came with apache/cloudstack#8151, after
4.22.1.0): it is never readable, so it never produces a diff (a note says so).
"""

from __future__ import annotations

from specc.cloud.kinds.base import FieldSpec, Item, Kind, Listing, LiveIndex, Parent
from specc.cloud.kinds.normalise import norm_vlan


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    pn = index.physnet_key(item.get("physicalnetworkid"))
    kind = item.get("traffictype") or item.get("name")
    return None if pn is None or not kind else (*pn, str(kind))


def _builtin(item: Item) -> str | None:
    """A Storage traffic type: the one CloudStack adds when the zone is enabled.

    ConfigurationManagerImpl.editZone (apache/cloudstack 4.18.2.5 and 4.22.1.0): when an
    updateZone enables a zone that has no Storage traffic type, it adds one to the
    physical network that carries Management traffic, with that traffic's labels.
    """
    if item.get("traffictype") == "Storage":
        return (
            "added by CloudStack when the zone was enabled without one "
            "(ConfigurationManagerImpl.editZone)"
        )
    return None


KIND = Kind(
    name="traffictype",
    list_command="listTrafficTypes",
    key=_key,
    phase=30,
    parents=(Parent("physicalnetwork", "physicalnetworkid"),),
    listing=Listing(per_parent="physicalnetworkid", required=("id", "traffictype")),
    builtin=_builtin,
    create_command="addTrafficType",
    create_async=True,
    update_command="updateTrafficType",
    update_async=True,
    delete_command="deleteTrafficType",
    delete_async=True,
    fields=(
        FieldSpec(
            name="kvmnetworklabel",
            create="kvmnetworklabel",
            update="kvmnetworklabel",
            list_field="kvmnetworklabel",
        ),
        FieldSpec(
            name="vmwarenetworklabel",
            create="vmwarenetworklabel",
            update="vmwarenetworklabel",
            list_field="vmwarenetworklabel",
        ),
        FieldSpec(
            name="xennetworklabel",
            create="xennetworklabel",
            update="xennetworklabel",
            list_field="xennetworklabel",
        ),
        FieldSpec(
            name="hypervnetworklabel",
            create="hypervnetworklabel",
            update="hypervnetworklabel",
            list_field="hypervnetworklabel",
        ),
        FieldSpec(
            name="vlan", create="vlan", readable_since=None, normalise=norm_vlan, mode="impossible"
        ),
    ),
)
