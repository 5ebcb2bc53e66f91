"""Kind ``domain``: read only, listed to turn a domain path into its id.

Domain settings (``updateConfiguration domainid=...``) and the accounts of account
settings name their domain by path, as listDomains shows it (``ROOT``,
``ROOT/customers``: ``DomainJoinDaoImpl.newDomainResponse`` prefixes the stored
path with ``ROOT``). specc does not create domains: a domain the live cloud does
not have is a planning error; with no live domains at hand (an offline plan from
an empty snapshot) a ``listDomains`` step looks the id up.
"""

from __future__ import annotations

from specc.cloud.kinds.base import Emitter, Kind, Listing, not_a_resource
from specc.core.ids import ResourceId
from specc.core.steps import Param, Ref
from specc.errors import PlanError

PHASE = 5  # looked up before anything that uses it


def domain_id(emit: Emitter, path: str) -> Param:
    """The id of the domain at *path*: live, or a Ref to its lookup step.

    Raises:
        PlanError: the live cloud lists domains, and none has this path.
    """
    known = {str(d.get("path")): str(d["id"]) for d in emit.items(KIND.name) if "id" in d}
    if path in known:
        return known[path]
    if known:
        raise PlanError(
            f"domain {path!r} is not known to the live cloud",
            hint="create the domain first (specc sets domain settings, it does not "
            "create domains); paths are as listDomains shows them, e.g. ROOT/customers",
        )
    step_id = f"lookup:domain:{path}"
    if not emit.has_step(step_id):
        emit.call(
            step_id,
            ResourceId(KIND.name, tuple(path.split("/"))),
            KIND.list_command,
            {"name": path.rsplit("/", 1)[-1], "listall": True},
            is_async=False,
            phase=PHASE,
            description=f"Look up the id of domain {path}",
            outputs={"id": "id"},
        )
    return Ref(step_id)


KIND = Kind(
    name="domain",
    list_command="listDomains",
    key=not_a_resource,
    phase=PHASE,
    zone_at=None,
    listing=Listing(args={"listall": True}),
    managed=False,
)
