"""Kind ``network``: a zone's shared guest network, ``createNetwork``, keyed by (zone, name).

Only shared networks are resources here (``listNetworks listall=true type=Shared``);
isolated and VPC networks belong to accounts, not to the zone's build. The network is
created with its offering (by name), its physical network, and in an Advanced zone the
gateway, netmask and VLAN of its subnet; its addresses are ``vlaniprange`` resources
added with ``networkid`` (``ConfigurationManagerImpl.createVlanAndPublicIpRange``),
pod-wide in a Basic zone, where deployDataCenter creates it the same way (no range
in ``createNetwork``). Without a start IP ``NetworkServiceImpl.createGuestNetwork``
needs ``allow.empty.start.end.ipaddress`` (default true; apache/cloudstack 4.18.2.5
and 4.22.1.0).

``createNetwork`` requires an Enabled physical network
(``NetworkServiceImpl.createGuestNetwork``), so the create waits for the physical
network's enable step when the plan has one.

Update (``updateNetwork``, async: ``UpdateNetworkCmd`` is a ``BaseAsyncCustomIdCmd``;
``NetworkServiceImpl.updateGuestNetwork``, apache/cloudstack 4.18.2.5 and 4.22.1.0):
of the spec's fields only the display text changes in place (``displaytext``, set as
given, no restart). The name is the natural key: a renamed network is another
network. The offering is refused for a shared network ("NetworkOffering and domain
suffix upgrade can be perfomed for Isolated networks only" at 4.18.2.5, "NetworkOffering
update can be performed for Isolated networks only." at 4.22.1.0); the network domain
too at 4.18.2.5 (4.22.1.0 allows it for a shared network whose offering's DNS provider
has ``AllowDnsSuffixModification``, and restarts the network): specc keeps it
impossible on both. The VLAN, gateway and netmask are no ``updateNetwork`` parameters.
These four are impossible here, not a replace: a new network with the same name
would not take over the old one's IP ranges or VMs.

Delete (``deleteNetwork``, async: ``DeleteNetworkCmd`` is a ``BaseAsyncCmd``;
``NetworkServiceImpl.deleteNetwork`` then ``NetworkOrchestrator.destroyNetwork``):
``forced=true`` with ``--force`` (root admins only: the network is destroyed even when
shutting it down on its elements fails). The delete removes the network's IP ranges
itself (``destroyNetwork`` -> ``deleteVlansInNetwork`` ->
``ConfigurationManagerImpl.deleteVlanAndPublicIpRange`` for each), so a pruned
network's ranges are not deleted on their own and do not keep it from being pruned
(``vlaniprange``'s ``networkid`` parent ``takes_along``). The server refuses it while
user VMs on it are not expunged, and in a Basic zone while a console proxy or
secondary storage VM uses it ("Failed to delete network": specc does not read VMs).
"""

from __future__ import annotations

from collections.abc import Mapping

from specc.cloud.kinds.base import (
    Deletion,
    Desired,
    Emitter,
    FieldSpec,
    Hooks,
    Item,
    Kind,
    Listing,
    LiveIndex,
    Parent,
)
from specc.cloud.kinds.networkoffering import offering_id
from specc.cloud.kinds.normalise import norm_vlan
from specc.core.steps import Param

PHASE = 55  # after the physical networks are enabled (50), before the ranges (70)


def _key(item: Item, index: LiveIndex) -> tuple[str, ...] | None:
    if item.get("type") != "Shared":
        return None
    zone = index.zone_name(item)
    return None if zone is None else (zone, str(item["name"]))


def _create(emit: Emitter, res: Desired, params: Mapping[str, Param]) -> None:
    pnet = res.parents.get("physicalnetworkid")
    after = []
    if pnet is not None and emit.has_step(f"enable:{pnet}"):
        after.append(f"enable:{pnet}")
    emit.call(
        f"create:{res.id}",
        res.id,
        "createNetwork",
        dict(params),
        is_async=False,
        phase=PHASE,
        description=f"Create shared network {'/'.join(res.id.key)}",
        outputs={"id": "id"},
        after=after,
    )


KIND = Kind(
    name="network",
    list_command="listNetworks",
    key=_key,
    phase=PHASE,
    parents=(Parent("zone", "zoneid"), Parent("physicalnetwork", "physicalnetworkid")),
    listing=Listing(args={"listall": True, "type": "Shared"}),
    volatile=frozenset({"state", "receivedbytes", "sentbytes", "restartrequired"}),
    create_command="createNetwork",
    update_command="updateNetwork",
    update_async=True,
    delete_command="deleteNetwork",
    delete_async=True,
    deletion=Deletion(forced=True),
    hooks=Hooks(create=_create),
    fields=(
        FieldSpec(
            name="networkofferingname",
            create="networkofferingid",
            list_field="networkofferingname",
            to_param=offering_id,
            mode="impossible",
        ),
        FieldSpec(
            name="displaytext", create="displaytext", update="displaytext", list_field="displaytext"
        ),
        FieldSpec(
            name="vlan", create="vlan", list_field="vlan", normalise=norm_vlan, mode="impossible"
        ),
        FieldSpec(name="gateway", create="gateway", list_field="gateway", mode="impossible"),
        FieldSpec(name="netmask", create="netmask", list_field="netmask", mode="impossible"),
        FieldSpec(
            name="networkdomain",
            create="networkdomain",
            list_field="networkdomain",
            mode="impossible",
        ),
    ),
)
