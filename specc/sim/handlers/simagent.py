"""Hosts of the Simulator hypervisor: what the real simulator's discoverer and mock agent
manager make of an ``addHost``.

apache/cloudstack 4.18.2.5, plugins/hypervisors/simulator:

* ``SimulatorDiscoverer.find`` takes any ``http`` url whose authority starts with
  ``sim`` (Marvin's configurations add ``http://sim/c0/h0``, ``http://sim/c0/h1``, ...);
  the last path segment may carry ``cpuspeed=..&cpucore=..&memory=..&localstorage=..``.
  Any other url is not its own, and ``ResourceManagerImpl.discoverHostsFull`` ends with
  ``Unable to add the host: Cannot find the server resources at <url>``. It needs a
  cluster of the Simulator hypervisor.
* every call makes a new mock host (``MockAgentManagerImpl.createServerResources``),
  whatever the url: named ``SimulatedAgent.<guid>``, its address the pod's CIDR
  address plus ``random.nextInt(cidrSize)`` (so within the first *prefix length*
  addresses of the pod's subnet). The simulator takes the lowest such address no host
  of the pod has yet, so two hosts differ where the real server's random draw could
  collide.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import unquote, urlsplit

from specc.sim.handlers import Ctx, Item

# MockAgentManager.DEFAULT_HOST_SPEED_MHZ, DEFAULT_HOST_CPU_CORES, DEFAULT_HOST_MEM_SIZE.
DEFAULT_MHZ, DEFAULT_CORES, DEFAULT_MEMORY = 8000, 4, 8 * 1024 * 1024 * 1024


def is_simulator_url(url: str) -> bool:
    """``SimulatorDiscoverer.find``'s test: scheme ``http``, authority starting ``sim``.

    >>> is_simulator_url("http://sim/c0/h1"), is_simulator_url("http://simulator.lan")
    (True, True)
    >>> is_simulator_url("https://sim/x"), is_simulator_url("http://10.0.0.1")
    (False, False)
    """
    parts = urlsplit(url)
    return parts.scheme == "http" and parts.netloc.startswith("sim")


def capacity(url: str) -> dict[str, int]:
    """The host capacity the url's last path segment asks for (the defaults otherwise).

    >>> capacity("http://sim/c0/cpucore=2&memory=1024")["cpunumber"]
    2
    """
    out = {"cpuspeed": DEFAULT_MHZ, "cpunumber": DEFAULT_CORES, "memorytotal": DEFAULT_MEMORY}
    segment = unquote(urlsplit(url).path).rpartition("/")[2]
    keys = {"cpuspeed": "cpuspeed", "cpucore": "cpunumber", "memory": "memorytotal"}
    for part in segment.split("&"):
        name, _, value = part.partition("=")
        if name.lower() in keys and value.isdigit():
            out[keys[name.lower()]] = int(value)
    return out


def not_found(ctx: Ctx, url: str) -> Exception:
    """``discoverHostsFull``'s answer when no discoverer took the url (a 530)."""
    return ctx.error(530, f"Unable to add the host: Cannot find the server resources at {url}")


def mock_address(ctx: Ctx, pod: Item) -> str:
    """The address ``MockAgentManagerImpl.getIpAddress`` gives a new host of *pod*."""
    net = ipaddress.IPv4Network(f"{pod['gateway']}/{pod['netmask']}", strict=False)
    used = {h.get("ipaddress") for h in ctx.store.find("host", podid=pod["id"])}
    for offset in range(net.prefixlen):
        candidate = str(net.network_address + offset)
        if candidate not in used:
            return candidate
    return str(net.network_address)
