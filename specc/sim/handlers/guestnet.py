"""Network offerings and shared guest networks: listNetworkOfferings, createNetwork,
listNetworks, updateNetwork, deleteNetwork.

The offerings are the defaults of a fresh server (:mod:`specc.sim.netofferings`). Of the
guest networks, the simulator models the shared ones (a Basic zone's one guest network,
which Marvin's ``deployDataCenter.py`` creates from
``DefaultSharedNetworkOfferingWithSGService``, and shared networks of Advanced zones);
isolated and L2 networks, which need an account's resources and a virtual router, are
answered with a 530 that says so.
"""

from __future__ import annotations

import re
from typing import Any

from specc.sim.handlers import Ctx, Item, Param, command, new_id
from specc.sim.handlers.netutil import paging_params
from specc.sim.handlers.network import ROOT_DOMAIN_ID
from specc.sim.netofferings import supports


@command(
    "listNetworkOfferings",
    item="networkoffering",
    params=[
        Param("availability"),
        Param("displaytext"),
        Param("domainid", "uuid"),
        Param("forvpc", "boolean"),
        Param("guestiptype"),
        Param("id", "uuid", entity="networkoffering"),
        Param("isdefault", "boolean"),
        Param("istagged", "boolean"),
        Param("name"),
        Param("networkid", "uuid", entity="network"),
        *paging_params(),
        Param("routingmode", since="4.22"),
        Param("sourcenatsupported", "boolean"),
        Param("specifyipranges", "boolean"),
        Param("specifyvlan", "boolean"),
        Param("state"),
        Param("supportedservices", "list"),
        Param("tags"),
        Param("traffictype"),
        Param("zoneid", "uuid", entity="zone"),
    ],
)
def list_network_offerings(ctx: Ctx) -> dict[str, Any]:
    """ListNetworkOfferingsCmd: ``ConfigurationManagerImpl.searchForNetworkOfferings``
    (4.18.2.5): ``name`` equal, ``displaytext`` and ``keyword`` (name or display text) a
    substring, the flags equal, ``supportedservices`` all offered, ``sourcenatsupported``
    whether SourceNat is; system-only offerings never listed. The defaults are in every
    zone and domain, so ``zoneid``/``domainid`` keep them all."""
    text = ctx.get("displaytext")
    keyword = ctx.get("keyword")
    wanted = [s.lower() for s in ctx.get("supportedservices") or []]
    nat = ctx.get("sourcenatsupported")

    def match(item: Item) -> bool:
        if text and text.lower() not in item["displaytext"].lower():
            return False
        if keyword and not any(keyword.lower() in item[f].lower() for f in ("name", "displaytext")):
            return False
        offered = {s["name"].lower() for s in item["service"]}
        if not set(wanted) <= offered:
            return False
        return nat is None or supports(item, "SourceNat") == nat

    skip = (
        "displaytext", "keyword", "supportedservices", "sourcenatsupported", "zoneid",
        "domainid", "networkid", "istagged", "tags", "routingmode",
    )  # fmt: skip
    return ctx.list_response("networkoffering", skip=skip, match=match)


def _physical_network(ctx: Ctx, zone: Item) -> Item:
    """The guest physical network: the one given, else the zone's one with Guest traffic."""
    if ctx.get("physicalnetworkid"):
        return ctx.entity("physicalnetwork", ctx.params["physicalnetworkid"], "physicalnetworkid")
    guest = [
        n
        for n in ctx.store.find("physicalnetwork", zoneid=zone["id"])
        if ctx.store.find("traffictype", physicalnetworkid=n["id"], traffictype="Guest")
    ]
    if len(guest) != 1:
        raise ctx.invalid(
            f"Unable to find physical network with the Guest traffic type in zone id={zone['id']}"
            if not guest
            else f"More than one physical networks exist in zone id={zone['id']} with "
            "Guest traffic type; specify physicalnetworkid"
        )
    return guest[0]


def _check_basic(ctx: Ctx, zone: Item, offering: Item) -> None:
    """``NetworkOrchestrator.createGuestNetwork``'s rules for a Basic zone."""
    acl = ctx.get("acltype")
    if acl is not None and acl.lower() != "domain":
        raise ctx.invalid("Only AclType=Domain can be specified for network creation in Basic zone")
    if ctx.store.find("network", zoneid=zone["id"], traffictype="Guest"):
        raise ctx.invalid("Can't have more than one Guest network in zone with network type Basic")
    if offering["guestiptype"] != "Shared" or supports(offering, "SourceNat"):
        raise ctx.invalid(
            "For zone of type Basic only offerings of guestType Shared with disabled "
            "SourceNat service are allowed"
        )
    if ctx.get("subdomainaccess") is False:
        raise ctx.invalid("Subdomain access should be set to true for the guest network in the "
                          "Basic zone")  # fmt: skip
    vlan = ctx.get("vlan")
    if vlan is not None and vlan.lower() != "untagged":
        raise ctx.invalid("Only vlan untagged can be created in the zone of type Basic")


@command(
    "createNetwork",
    params=[
        Param("account"),
        Param("aclid", "uuid"),
        Param("acltype"),
        Param("asnumber", "long", since="4.22"),
        Param("associatednetworkid", "uuid"),
        Param("bgppeerids", "list", since="4.22"),
        Param("bypassvlanoverlapcheck", "boolean"),
        Param("cidrsize", "integer", since="4.22"),
        Param("displaynetwork", "boolean"),
        Param("displaytext"),
        Param("dns1"),
        Param("dns2"),
        Param("domainid", "uuid"),
        Param("endip"),
        Param("endipv6"),
        Param("externalid"),
        Param("gateway"),
        Param("hideipaddressusage", "boolean"),
        Param("ip6cidr"),
        Param("ip6dns1"),
        Param("ip6dns2"),
        Param("ip6gateway"),
        Param("isolatedpvlan"),
        Param("isolatedpvlantype"),
        Param("name", required=True),
        Param("netmask"),
        Param("networkdomain"),
        Param("networkofferingid", "uuid", required=True, entity="networkoffering"),
        Param("physicalnetworkid", "uuid", entity="physicalnetwork"),
        Param("privatemtu", "integer"),
        Param("projectid", "uuid"),
        Param("publicmtu", "integer"),
        Param("routerip"),
        Param("routeripv6"),
        Param("sourcenatipaddress", since="4.22"),
        Param("startip"),
        Param("startipv6"),
        Param("subdomainaccess", "boolean"),
        Param("tungstenvirtualrouteruuid"),
        Param("vlan"),
        Param("vpcid", "uuid"),
        Param("zoneid", "uuid", required=True, entity="zone"),
    ],
)
def create_network(ctx: Ctx) -> dict[str, Any]:
    """CreateNetworkCmd (sync): ``NetworkServiceImpl.createGuestNetwork`` then
    ``NetworkOrchestrator.createGuestNetwork`` (4.18.2.5): the offering must be Enabled
    and the physical network Enabled; in a Basic zone only one guest network, of a Shared
    offering without SourceNat, untagged, ROOT domain with subdomain access; a shared
    network's ACL type is Domain. Answered by ``ApiResponseHelper.createNetworkResponse``
    (object name ``network``); a shared network starts in state ``Setup``."""
    zone = ctx.entity("zone", ctx.params["zoneid"], "zoneid")
    offering = ctx.entity("networkoffering", ctx.params["networkofferingid"], "networkofferingid")
    if offering["guestiptype"] != "Shared":
        raise ctx.error(
            530, f"specc sim models shared guest networks only, not {offering['guestiptype']}"
        )
    if offering["state"] != "Enabled":
        raise ctx.invalid("Can't use specified network offering id as its state is not Enabled")
    pnet = _physical_network(ctx, zone)
    if pnet["state"] != "Enabled":
        raise ctx.invalid(f"Specified physical network id is in incorrect state:{pnet['state']}")
    basic = zone["networktype"] == "Basic"
    if basic:
        _check_basic(ctx, zone, offering)
    vlan = ctx.get("vlan") or ("untagged" if basic else None)
    services = [dict(s) for s in offering["service"]]
    net: Item = {
        "id": new_id(),
        "name": ctx.params["name"],
        "displaytext": ctx.get("displaytext") or ctx.params["name"],
        "traffictype": "Guest",
        "type": "Shared",
        "state": "Setup",
        "acltype": "Domain",
        "subdomainaccess": True,
        "domainid": ctx.get("domainid") or ROOT_DOMAIN_ID,
        "domain": "ROOT",
        "zoneid": zone["id"],
        "zonename": zone["name"],
        "physicalnetworkid": pnet["id"],
        "networkofferingid": offering["id"],
        "networkofferingname": offering["name"],
        "networkofferingdisplaytext": offering["displaytext"],
        "networkofferingconservemode": offering["conservemode"],
        "networkofferingavailability": offering["availability"],
        "issystem": False,
        "isdefault": False,
        "ispersistent": False,
        "specifyipranges": offering["specifyipranges"],
        "canusefordeploy": True,
        "displaynetwork": bool(ctx.get("displaynetwork", True)),
        "restartrequired": False,
        "redundantrouter": False,
        "strechedl2subnet": False,
        "supportsvmautoscaling": False,
        "hasannotations": False,
        "dns1": ctx.get("dns1") or zone.get("dns1"),
        "service": services,
        "tags": [],
        "details": {},
        "created": ctx.now(),
    }
    if vlan is not None:
        net["vlan"] = vlan
        net["broadcasturi"] = f"vlan://{vlan}"
        net["broadcastdomaintype"] = "Vlan" if vlan != "untagged" else "Native"
    if zone.get("dns2") or ctx.get("dns2"):
        net["dns2"] = ctx.get("dns2") or zone.get("dns2")
    for key in ("gateway", "netmask", "networkdomain"):
        if ctx.get(key):
            net[key] = ctx.params[key]
    net["related"] = net["id"]
    return {"network": ctx.store.insert("network", net)}


@command(
    "listNetworks",
    item="network",
    params=[
        Param("account"),
        Param("acltype"),
        Param("associatednetworkid", "uuid"),
        Param("canusefordeploy", "boolean"),
        Param("displaynetwork", "boolean"),
        Param("domainid", "uuid"),
        Param("forvpc", "boolean"),
        Param("id", "uuid", entity="network"),
        Param("isrecursive", "boolean"),
        Param("issystem", "boolean"),
        Param("listall", "boolean"),
        Param("name", since="4.22"),
        Param("networkfilter"),
        Param("networkofferingid", "uuid", entity="networkoffering"),
        *paging_params(),
        Param("physicalnetworkid", "uuid", entity="physicalnetwork"),
        Param("projectid", "uuid"),
        Param("restartrequired", "boolean"),
        Param("retrieveonlyresourcecount", "boolean", since="4.22"),
        Param("showicon", "boolean"),
        Param("specifyipranges", "boolean"),
        Param("supportedservices", "list"),
        Param("tags", "map"),
        Param("traffictype"),
        Param("type"),
        Param("vlan"),
        Param("vpcid", "uuid"),
        Param("zoneid", "uuid", entity="zone"),
    ],
)
def list_networks(ctx: Ctx) -> dict[str, Any]:
    """ListNetworksCmd: the guest networks (``NetworkServiceImpl.searchForNetworks``)."""
    skip = (
        "isrecursive", "networkfilter", "showicon", "supportedservices", "tags", "forvpc",
        "retrieveonlyresourcecount", "projectid", "account",
    )  # fmt: skip
    return ctx.list_response("network", skip=skip)


# updateNetwork parameters a shared network's update does not model: the server would
# act on them (DNS servers, MTUs on its routers, a new uuid, a router's source NAT
# address), the simulator answers that it does not.
_UNMODELLED_UPDATES = (
    "customid", "dns1", "dns2", "ip6dns1", "ip6dns2", "privatemtu", "publicmtu",
    "sourcenatipaddress",
)  # fmt: skip
_DOMAIN_LABEL = re.compile(r"[a-zA-Z0-9-]+")


def _valid_domain(name: str) -> bool:
    """``NetUtils.verifyDomainName``: 1..190 characters, no leading or trailing dot, and
    each label 1..63 of ASCII letters, digits and ``-``, not starting or ending with ``-``."""
    if not 1 <= len(name) <= 190 or name.startswith(".") or name.endswith("."):
        return False
    return all(
        1 <= len(label) <= 63
        and _DOMAIN_LABEL.fullmatch(label) is not None
        and not label.startswith("-")
        and not label.endswith("-")
        for label in name.split(".")
    )


@command(
    "updateNetwork",
    is_async=True,
    params=[
        Param("changecidr", "boolean"),
        Param("customid"),
        Param("displaynetwork", "boolean"),
        Param("displaytext"),
        Param("dns1"),
        Param("dns2"),
        Param("forced", "boolean"),
        Param("guestvmcidr"),
        Param("hideipaddressusage", "boolean"),
        Param("id", "uuid", required=True, entity="network"),
        Param("ip6dns1"),
        Param("ip6dns2"),
        Param("name"),
        Param("networkdomain"),
        Param("networkofferingid", "uuid", entity="networkoffering"),
        Param("privatemtu", "integer"),
        Param("publicmtu", "integer"),
        Param("sourcenatipaddress", since="4.22"),
        Param("updateinsequence", "boolean"),
    ],
)
def update_network(ctx: Ctx) -> dict[str, Any]:
    """UpdateNetworkCmd (async, a ``BaseAsyncCustomIdCmd``):
    ``NetworkServiceImpl.updateGuestNetwork`` (apache/cloudstack 4.18.2.5, 4.22.1.0) on a
    shared network. ``name``, ``displaytext`` and ``displaynetwork`` are set as given
    (the hidden-usage flag is a network detail, kept). A new offering is refused for a
    network that is not Isolated, and so is a domain suffix at 4.18.2.5 ("NetworkOffering
    and domain suffix upgrade can be perfomed for Isolated networks only"); 4.22.1.0
    refuses the offering alone ("NetworkOffering update can be performed for Isolated
    networks only.") and sets a domain suffix that ``NetUtils.verifyDomainName`` accepts
    (every shared default offering's DNS provider, VirtualRouter or Tungsten, has
    ``AllowDnsSuffixModification``). A guest VM CIDR is refused in a Basic zone and on a
    network that is not Isolated. ``changecidr``, ``forced`` and ``updateinsequence``
    act only with an offering change or a restart of redundant routers: nothing here.
    """
    net = ctx.entity("network", ctx.params["id"])
    unmodelled = [p for p in _UNMODELLED_UPDATES if ctx.get(p) is not None]
    if unmodelled:
        raise ctx.error(530, f"specc sim does not model updateNetwork {', '.join(unmodelled)}")
    changes: dict[str, Any] = {
        key: ctx.params[key]
        for key in ("name", "displaytext", "displaynetwork")
        if ctx.get(key) is not None
    }
    if ctx.get("hideipaddressusage") is not None:
        changes["_hideipaddressusage"] = ctx.params["hideipaddressusage"]
    isolated = net["type"] == "Isolated"
    suffix = ctx.get("networkdomain")
    if not ctx.since("4.22"):
        if (ctx.get("networkofferingid") or suffix is not None) and not isolated:
            raise ctx.invalid(
                "NetworkOffering and domain suffix upgrade can be perfomed for Isolated "
                "networks only"
            )
    elif ctx.get("networkofferingid") and not isolated:
        raise ctx.invalid("NetworkOffering update can be performed for Isolated networks only.")
    if suffix is not None:
        if not _valid_domain(suffix):
            raise ctx.invalid(
                "Invalid network domain. Total length shouldn't exceed 190 chars. Each domain "
                "label must be between 1 and 63 characters long, can contain ASCII letters "
                "'a' through 'z', the digits '0' through '9', and the hyphen ('-'); can't "
                'start or end with "-"'
            )
        changes["networkdomain"] = suffix
    if ctx.get("guestvmcidr") is not None:
        zone = ctx.entity("zone", net["zoneid"], "zoneid")
        if zone["networktype"] == "Basic":
            raise ctx.invalid("Guest VM CIDR can't be specified for zone with Basic networking")
        if not isolated:
            raise ctx.invalid("Can only allow IP Reservation in networks with guest type Isolated")
    return {"network": ctx.store.update("network", net["id"], **changes)}


@command(
    "deleteNetwork",
    is_async=True,
    params=[Param("forced", "boolean"), Param("id", "uuid", required=True, entity="network")],
)
def delete_network(ctx: Ctx) -> dict[str, Any]:
    """DeleteNetworkCmd (async, a ``BaseAsyncCmd``): ``NetworkServiceImpl.deleteNetwork``
    then ``NetworkOrchestrator.destroyNetwork`` (apache/cloudstack 4.18.2.5, 4.22.1.0).
    The simulator holds no system networks, VMs or associated networks, which the server
    refuses the delete for; the caller is the root admin, whom ``forced`` is allowed.
    The network's IP ranges go with it (``deleteVlansInNetwork`` deletes each through
    ``ConfigurationManagerImpl.deleteVlanAndPublicIpRange``; none has an allocated
    address here)."""
    net = ctx.entity("network", ctx.params["id"])
    for rng in ctx.store.find("vlaniprange", networkid=net["id"]):
        ctx.store.delete("vlaniprange", rng["id"])
    ctx.store.delete("network", net["id"])
    return {"success": True}
