"""VLAN/VNI range strings of physical networks, checked and normalised as the server does;
and the small pieces the network and pod handlers share."""

from __future__ import annotations

from typing import Any

from specc.sim.handlers import ApiError, Ctx, Param


def paging_params() -> list[Param]:
    """The keyword/page/pagesize parameters of a list command."""
    return [Param("keyword"), Param("page", "integer"), Param("pagesize", "integer")]


def delete_by_id(ctx: Ctx, kind: str) -> dict[str, Any]:
    """Delete the *kind* item the ``id`` parameter names (unknown id: the entity error)."""
    item = ctx.entity(kind, ctx.params["id"])
    ctx.store.delete(kind, item["id"])
    return {"success": True}


# isolation method -> (lowest, highest) id of a guest network segment
VNET_LIMITS = {
    "VLAN": (0, 4095),
    "VXLAN": (0, 16777214),
    "GRE": (0, 4294967295),
}


def vnet_limits(isolation: str) -> tuple[int, int]:
    """The allowed segment ids for *isolation* (a physical network's isolationmethods)."""
    upper = isolation.upper()
    if "GRE" in upper:
        return VNET_LIMITS["GRE"]
    if "VXLAN" in upper or "NETRIS" in upper:
        return VNET_LIMITS["VXLAN"]
    return VNET_LIMITS["VLAN"]


def parse_vnets(text: str, isolation: str = "VLAN") -> list[tuple[int, int]]:
    """``"100-199,300-300"`` -> ranges; the server's checks and texts (431).

    >>> parse_vnets("300-310,100-200")
    [(300, 310), (100, 200)]
    >>> parse_vnets("")
    []
    """
    low, high = vnet_limits(isolation)
    between = f" between {low} and {high}"
    ranges: list[tuple[int, int]] = []
    for part in text.split(","):
        bounds = part.split("-")
        if len(bounds) == 1 and bounds[0] == "":
            return ranges
        if len(bounds) < 2:
            raise ApiError(
                431,
                "Please provide valid vnet range. vnet range should be a comma separated list "
                "of vlan ranges. example 500-500,600-601" + between,
            )
        try:
            start, end = int(bounds[0]), int(bounds[1])
        except ValueError:
            raise ApiError(
                431,
                "Please provide valid vnet range. The vnet range should be a comma separated "
                "list example 2001-2012,3000-3005." + between,
            ) from None
        if start < low or end > high:
            raise ApiError(431, "Vnet range has to be" + between)
        if start > end:
            raise ApiError(
                431,
                "Vnet range has to be"
                + between
                + " and start range should be lesser than or equal to stop range",
            )
        ranges.append((start, end))
    return ranges


def vnet_string(ranges: list[tuple[int, int]]) -> str:
    """Ranges merged and sorted as the server stores them (adjacent ones joined).

    >>> vnet_string([(300, 310), (100, 200), (201, 205)])
    '100-205,300-310'
    >>> vnet_string([])
    ''
    """
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start - merged[-1][1] <= 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return ",".join(f"{a}-{b}" for a, b in merged)
