"""XenServer hosts as XAPI knows them: the host by its address, networks by name-label.

CloudStack identifies a XenServer host by its XAPI ``address``, the IP the host's URL
resolves to (apache/cloudstack ``XcpServerDiscoverer.find``: ``InetAddress.getByName(
url.getHost())``, then ``record.address`` of each ``Host.getAllRecords``), not by its
name-label, which may differ from the spec's name (an FQDN, a renamed host). So
scripts and checks find the host's uuid with ``xe host-list address=<ip> --minimal``.

A traffic type's ``xennetworklabel`` is a XAPI network *name-label*, not a bridge:
``CitrixResourceBase.getNetworkByName`` looks it up with ``Network.getByNameLabel``,
and the host needs a PIF on that network (``XsLocalNetwork.getPif``: the network's
PIF whose host is this one); without one the host cannot be added ("Unable to find
guest network ..."). ``xenbr0`` names a network only where one was named so (a default
install calls it "Pool-wide network associated with eth0"): the runbook checks each
label on each XenServer host of the zone (xe-pif-list(1): filter by ``host-uuid`` and
``network-name-label``, ``--minimal``).
"""

from __future__ import annotations

from ipaddress import AddressValueError, IPv4Address
from typing import TYPE_CHECKING

from specc.core.steps import Check

from .shell import q
from .topology import all_hosts

if TYPE_CHECKING:
    from specc.spec.models import Spec


def host_uuid(address: str) -> str:
    """Bash that prints the uuid of the pool's host with management address *address*.

    >>> print(host_uuid("10.40.0.11"))
    xe host-list address=10.40.0.11 --minimal
    >>> print(host_uuid("xen1.lab"))
    xe host-list address="$(getent ahostsv4 xen1.lab | awk 'NR==1 {print $1}')" --minimal
    """
    try:
        IPv4Address(address)
    except AddressValueError:
        # XAPI keeps the IP; resolve the name as the management server does
        ip = f"\"$(getent ahostsv4 {q(address)} | awk 'NR==1 {{print $1}}')\""
        return f"xe host-list address={ip} --minimal"
    return f"xe host-list address={q(address)} --minimal"


def label_checks(spec: Spec) -> tuple[Check, ...]:
    """Per XenServer host and XenServer label of its zone: a PIF on the network so named."""
    out: list[Check] = []
    for p in all_hosts(spec):
        if p.cluster.hypervisor != "XenServer":
            continue
        zone = next(z for z in spec.zones if z.name == p.zone)
        labels: dict[str, list[str]] = {}
        for net in zone.physical_networks:
            for t in net.traffic:
                if t.labels.xenserver is not None:
                    labels.setdefault(t.labels.xenserver, []).append(t.type)
        for label in sorted(labels):
            types = "/".join(labels[label])
            out.append(
                Check(
                    f"preflight:xen-network:{p.host.name}:{label}",
                    f"prints the uuid of {p.host.name}'s PIF on the XenServer network whose "
                    f"name-label is `{label}` ({types} traffic: CloudStack finds the network by "
                    "name-label, not by bridge); empty: name the network so "
                    f"(`xe network-param-set uuid=<network> name-label={q(label)}`) or change "
                    "the label",
                    f"xe pif-list host-uuid=$({host_uuid(p.host.address)}) "
                    f"network-name-label={q(label)} --minimal",
                    p.host.name,
                )
            )
    return tuple(out)
