"""Domains and accounts, as a root admin lists them: listDomains and listAccounts.

A fresh server has the ROOT domain and its ``admin`` account (the ``system``
account exists but is never listed); they are the scope objects of domain and
account settings (:mod:`specc.sim.handlers.config`). Filters follow
``QueryManagerImpl.searchForDomainsInternal`` and ``searchForAccountsInternal``
(apache/cloudstack 4.18.2.5): names match exactly, a domain is matched with its
subdomains by its path when the listing is recursive.
"""

from __future__ import annotations

from typing import Any

from specc.sim.handlers import Ctx, Item, Param, command

ROOT_ACCOUNT_ID = "d3d1d5a8-0000-4000-8000-000000000001"  # the caller: admin
ROOT_DOMAIN_ID = "d3d1d5a8-0000-4000-8000-000000000003"


def under(path: str, base: str) -> bool:
    """Whether the domain *path* is *base* or below it (``ROOT/a`` is under ``ROOT``).

    >>> under("ROOT/a/b", "ROOT/a"), under("ROOT/ab", "ROOT/a")
    (True, False)
    """
    return path == base or path.startswith(base + "/")


def _domain(ctx: Ctx, domain_id: str) -> Item:
    domain = ctx.store.get("domain", domain_id)
    if domain is None:
        raise ctx.invalid(f"Domain id={domain_id} doesn't exist")
    return domain


@command(
    "listDomains",
    item="domain",
    params=[
        Param("details", "list"),
        Param("id", "uuid", entity="domain"),
        Param("keyword", "string"),
        Param("level", "integer"),
        Param("listall", "boolean"),
        Param("name", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("showicon", "boolean"),
        Param("tag", "string", since="4.22"),
    ],
)
def list_domains(ctx: Ctx) -> dict[str, Any]:
    """Lists domains and provides detailed information for listed domains.

    A root admin sees every domain; ``id`` with ``listall`` lists the domain and
    its subdomains, ``id`` alone the domain only.
    """
    base: str | None = None
    if ctx.get("id"):
        base = str(_domain(ctx, str(ctx.params["id"]))["path"])
    recursive = bool(ctx.get("listall"))
    items = [
        d
        for d in ctx.store.items("domain")
        if d.get("state", "Active") == "Active"
        and (base is None or (under(str(d["path"]), base) if recursive else d["path"] == base))
    ]
    return ctx.list_response("domain", items, skip=("id", "details", "showicon", "tag"))


@command(
    "listAccounts",
    item="account",
    params=[
        Param("accounttype", "integer"),
        Param("apikeyaccess", "string", since="4.22"),
        Param("details", "list"),
        Param("domainid", "uuid", entity="domain"),
        Param("id", "uuid", entity="account"),
        Param("iscleanuprequired", "boolean"),
        Param("isrecursive", "boolean"),
        Param("keyword", "string"),
        Param("listall", "boolean"),
        Param("name", "string"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("showicon", "boolean"),
        Param("state", "string"),
        Param("tag", "string", since="4.22"),
    ],
)
def list_accounts(ctx: Ctx) -> dict[str, Any]:
    """Lists accounts and provides detailed account information for listed accounts.

    Without ``id``, ``listall`` lists every account under the given domain (or the
    caller's) recursively; a ``domainid`` alone lists that domain's accounts
    (recursively with ``isrecursive``); with neither, only the caller's account.
    """
    domain_id = ctx.get("domainid")
    account_id = ctx.get("id")
    recursive = bool(ctx.get("isrecursive"))
    base: str | None = None
    if domain_id is not None:
        base = str(_domain(ctx, str(domain_id))["path"])
    if account_id is None:
        if ctx.get("listall"):
            base = base or str(_domain(ctx, ROOT_DOMAIN_ID)["path"])
            recursive = True
        elif domain_id is None:
            account_id = ROOT_ACCOUNT_ID
    items = [
        a
        for a in ctx.store.items("account")
        if (account_id is None or a["id"] == account_id)
        and (
            base is None
            or (under(str(a["domainpath"]), base) if recursive else a["domainid"] == domain_id)
        )
    ]
    return ctx.list_response(
        "account",
        items,
        skip=("id", "domainid", "details", "showicon", "isrecursive", "listall", "tag"),
    )
