"""The domain warnings a runbook states, computed from the spec.

Each backend's plug-in says its own (``warnings``): RBD cache RAM per host and
Ceph's production limits, no VM snapshots on KVM managed storage, OCFS2's
format-once rule... Each is a plain sentence; they come in the spec's backend order,
then one per zone whose KVM hosts get the storage bridge (:mod:`specc.hosts.network`).
"""

from __future__ import annotations

from specc.backends import BACKENDS
from specc.spec.models import Spec

from .network import agent_tags_storage, storage_layout
from .topology import all_hosts, pool_uses


def _version(text: str) -> tuple[int, ...]:
    """'4.18' -> (4, 18, 0).

    >>> _version("4.17.2.0")
    (4, 17, 2)
    """
    parts = [int(p) for p in text.split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def domain_warnings(spec: Spec, api_version: str | None = None) -> tuple[str, ...]:
    """The warnings that apply to *spec* (on API version *api_version*, else the spec's)."""
    out: list[str] = []
    uses = pool_uses(spec)
    version = _version(api_version or spec.cloudstack.version)
    for be in spec.backends:
        used = tuple(u for u in uses if u.backend is be)
        out += BACKENDS[be.type].warnings(spec, be, used, version)
    out += storage_bridge_warnings(spec, api_version or spec.cloudstack.version)
    return tuple(out)


def storage_bridge_warnings(spec: Spec, version: str) -> tuple[str, ...]:
    """Per zone: the storage bridge its KVM hosts get, and what the agent of *version* does."""
    bridged: dict[str, list[str]] = {}
    bridge: dict[str, str] = {}
    for p in all_hosts(spec):
        lay = storage_layout(spec, p)
        if lay is not None and lay.bridge is not None:
            bridged.setdefault(p.zone, []).append(f"{p.host.name} ({lay.port})")
            bridge[p.zone] = lay.bridge
    tags = agent_tags_storage(version)
    agent = {
        False: "the KVM agent plugs system VMs' storage NICs into it untagged and ignores "
        "the storage range's VLAN (apache/cloudstack#7816)",
        True: "the KVM agent tags a system VM's storage NIC itself on br<nic>-<vlan> when "
        "the storage range has a VLAN, taking that VLAN interface from the bridge, so the "
        "ranges stay untagged (SPC389)",
        None: "up to 4.20.1 the KVM agent plugs system VMs' storage NICs into it untagged; "
        "from 4.20.2 it tags them itself on br<nic>-<vlan> when the storage range has a "
        "VLAN, so the ranges stay untagged (SPC389)",
    }[tags]
    return tuple(
        f"Storage traffic of zone {zone} on KVM (CloudStack {version}): the storage-network "
        f"scripts build bridge {bridge[zone]} on {', '.join(hosts)} with each host's storage "
        f"address on the bridge, never on its port; {agent}."
        for zone, hosts in bridged.items()
    )
