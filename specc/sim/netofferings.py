"""The default guest network offerings of a fresh management server.

apache/cloudstack 4.18.2.5, ``ConfigurationServerImpl.createDefaultNetworkOfferings``
(server/src/main/java/com/cloud/server/ConfigurationServerImpl.java) persists them with
their service providers, and ``NetworkOfferingDaoImpl.persistDefaultL2NetworkOfferings``
the four L2 ones; the names are ``NetworkOffering``'s constants. The flags below are the
``NetworkOfferingVO`` constructor arguments each is made with (every one Enabled and
``isDefault``). The system-only offerings (System-Public-Network, ...) are left out:
``listNetworkOfferings`` never lists them (``ConfigurationManagerImpl.searchForNetworkOfferings``
filters ``systemOnly = false``). Items are shaped as
``NetworkOfferingJoinDaoImpl.newNetworkOfferingResponse`` plus
``ApiResponseHelper.createNetworkOfferingResponse`` answer them (``networkrate`` is the
``network.throttling.rate`` default, 200; ``serviceofferingid`` the default router
offering; ``service`` the offering's providers; ``internetprotocol`` IPv4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Offering:
    """One default offering: the NetworkOfferingVO arguments and its service map."""

    name: str
    text: str
    guest: str
    specify_vlan: bool
    availability: str
    conserve: bool
    specify_ip_ranges: bool
    for_vpc: bool
    services: tuple[tuple[str, str], ...]
    for_tungsten: bool = False


_VR = "VirtualRouter"
_VPCVR = "VpcVirtualRouter"
_SHARED = (("Dhcp", _VR), ("Dns", _VR), ("UserData", _VR))
_SHARED_SG = (*_SHARED, ("SecurityGroup", "SecurityGroupProvider"))
_ISOLATED_NAT = (
    *_SHARED,
    ("Firewall", _VR),
    ("Gateway", _VR),
    ("Lb", _VR),
    ("SourceNat", _VR),
    ("StaticNat", _VR),
    ("PortForwarding", _VR),
    ("Vpn", _VR),
)
_VPC_NO_LB = (
    ("Dhcp", _VPCVR),
    ("Dns", _VPCVR),
    ("UserData", _VPCVR),
    ("NetworkACL", _VPCVR),
    ("Gateway", _VPCVR),
    ("SourceNat", _VPCVR),
    ("StaticNat", _VPCVR),
    ("PortForwarding", _VPCVR),
    ("Vpn", _VPCVR),
)
_VPC = (*_VPC_NO_LB, ("Lb", _VPCVR))
_VPC_INTERNAL_LB = (
    ("Dhcp", _VPCVR),
    ("Dns", _VPCVR),
    ("UserData", _VPCVR),
    ("NetworkACL", _VPCVR),
    ("Gateway", _VPCVR),
    ("Lb", "InternalLbVm"),
    ("SourceNat", _VPCVR),
)
_TUNGSTEN = (
    ("Connectivity", "Tungsten"),
    ("Dhcp", "Tungsten"),
    ("Dns", "Tungsten"),
    ("SecurityGroup", "Tungsten"),
)
_NETSCALER = (
    *_SHARED_SG,
    ("StaticNat", "Netscaler"),
    ("Lb", "Netscaler"),
)
_CONFIG_DRIVE = (("UserData", "ConfigDrive"),)

OFFERINGS: tuple[Offering, ...] = (
    Offering(
        "DefaultSharedNetworkOfferingWithSGService",
        "Offering for Shared Security group enabled networks",
        "Shared", True, "Optional", True, True, False, _SHARED_SG,
    ),
    Offering(
        "DefaultSharedNetworkOffering",
        "Offering for Shared networks",
        "Shared", True, "Optional", True, True, False, _SHARED,
    ),
    Offering(
        "DefaultTungstenSharedNetworkOfferingWithSGService",
        "Offering for Tungsten Shared Security group enabled networks",
        "Shared", True, "Optional", True, True, False, _TUNGSTEN, for_tungsten=True,
    ),
    Offering(
        "DefaultIsolatedNetworkOfferingWithSourceNatService",
        "Offering for Isolated networks with Source Nat service enabled",
        "Isolated", False, "Required", True, False, False, _ISOLATED_NAT,
    ),
    Offering(
        "DefaultIsolatedNetworkOffering",
        "Offering for Isolated networks with no Source Nat service",
        "Isolated", True, "Optional", True, True, False, _SHARED,
    ),
    Offering(
        "DefaultSharedNetscalerEIPandELBNetworkOffering",
        "Offering for Shared networks with Elastic IP and Elastic LB capabilities",
        "Shared", True, "Optional", True, True, False, _NETSCALER,
    ),
    Offering(
        "DefaultIsolatedNetworkOfferingForVpcNetworks",
        "Offering for Isolated Vpc networks with Source Nat service enabled",
        "Isolated", False, "Optional", False, False, True, _VPC,
    ),
    Offering(
        "DefaultIsolatedNetworkOfferingForVpcNetworksNoLB",
        "Offering for Isolated Vpc networks with Source Nat service enabled and LB service "
        "Disabled",
        "Isolated", False, "Optional", False, False, True, _VPC_NO_LB,
    ),
    Offering(
        "DefaultIsolatedNetworkOfferingForVpcNetworksWithInternalLB",
        "Offering for Isolated Vpc networks with Internal LB support",
        "Isolated", False, "Optional", False, False, True, _VPC_INTERNAL_LB,
    ),
    Offering("DefaultL2NetworkOffering", "Offering for L2 networks",
             "L2", False, "Optional", True, False, False, ()),
    Offering("DefaultL2NetworkOfferingVlan", "Offering for L2 networks VLAN",
             "L2", True, "Optional", True, False, False, ()),
    Offering(
        "DefaultL2NetworkOfferingConfigDrive",
        "Offering for L2 networks with config drive user data",
        "L2", False, "Optional", True, False, False, _CONFIG_DRIVE,
    ),
    Offering(
        "DefaultL2NetworkOfferingConfigDriveVlan",
        "Offering for L2 networks with config drive user data VLAN",
        "L2", True, "Optional", True, False, False, _CONFIG_DRIVE,
    ),
)  # fmt: skip


def offering_item(
    off: Offering, offering_id: str, router_offering_id: str, created: str
) -> dict[str, Any]:
    """The stored (and listed) form of *off*."""
    return {
        "id": offering_id,
        "name": off.name,
        "displaytext": off.text,
        "traffictype": "Guest",
        "isdefault": True,
        "specifyvlan": off.specify_vlan,
        "conservemode": off.conserve,
        "specifyipranges": off.specify_ip_ranges,
        "availability": off.availability,
        "ispersistent": False,
        "egressdefaultpolicy": False,
        "supportsstrechedl2subnet": False,
        "supportspublicaccess": False,
        "created": created,
        "guestiptype": off.guest,
        "state": "Enabled",
        "networkrate": 200,
        "serviceofferingid": router_offering_id,
        "forvpc": off.for_vpc,
        "fortungsten": off.for_tungsten,
        "internetprotocol": "IPv4",
        "hasannotations": False,
        "service": [
            {"name": service, "provider": [{"name": provider}]}
            for service, provider in off.services
        ],
    }


def supports(offering: dict[str, Any], service: str) -> bool:
    """``NetworkModel.areServicesSupportedByNetworkOffering`` for one service."""
    return any(s["name"] == service for s in offering.get("service", []))
