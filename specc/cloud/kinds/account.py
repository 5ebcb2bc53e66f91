"""Kind ``account``: read only, listed to turn an account (domain path, name) into its id.

Account settings (``updateConfiguration accountid=...``) name the account by its
domain's path and its name, as listAccounts shows them (``domainpath``, ``name``).
It is listed with ``listall=true``: without it a root admin gets only its own
account (``QueryManagerImpl.searchForAccountsInternal``). specc does not create
accounts: one the live cloud does not have is a planning error; with no live
accounts at hand a ``listAccounts`` step looks the id up.
"""

from __future__ import annotations

from specc.cloud.kinds.base import Emitter, Item, Kind, Listing, LiveIndex, not_a_resource
from specc.cloud.kinds.domain import domain_id
from specc.core.ids import ResourceId
from specc.core.steps import Param, Ref
from specc.errors import PlanError

PHASE = 6  # after the domain lookup it may need


def domain_path(item: Item, index: LiveIndex) -> str | None:
    """The path of an account's domain: its ``domainpath``, else its domain's ``path``."""
    if item.get("domainpath"):
        return str(item["domainpath"])
    domain = index.get("domain", item.get("domainid"))
    return None if domain is None else str(domain.get("path"))


def account_id(emit: Emitter, domain: str, name: str) -> Param:
    """The id of account *name* of the domain at path *domain*: live, or a lookup's Ref.

    Raises:
        PlanError: the live cloud lists accounts, and none is this one.
    """
    index = LiveIndex({k: emit.items(k) for k in (KIND.name, "domain")})
    known = {
        (domain_path(a, index), str(a.get("name"))): str(a["id"])
        for a in emit.items(KIND.name)
        if "id" in a
    }
    if (domain, name) in known:
        return known[(domain, name)]
    if known:
        raise PlanError(
            f"account {name!r} of domain {domain!r} is not known to the live cloud",
            hint="create the account first (specc sets account settings, it does not "
            "create accounts)",
        )
    step_id = f"lookup:account:{domain}/{name}"
    if not emit.has_step(step_id):
        emit.call(
            step_id,
            ResourceId(KIND.name, (*domain.split("/"), name)),
            KIND.list_command,
            {"name": name, "domainid": domain_id(emit, domain)},
            is_async=False,
            phase=PHASE,
            description=f"Look up the id of account {name} of domain {domain}",
            outputs={"id": "id"},
        )
    return Ref(step_id)


KIND = Kind(
    name="account",
    list_command="listAccounts",
    key=not_a_resource,
    phase=PHASE,
    zone_at=None,
    listing=Listing(args={"listall": True}),
    managed=False,
)
