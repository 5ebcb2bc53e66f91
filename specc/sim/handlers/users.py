"""The caller and the cloud's identity: getUser and getCloudIdentifier.

A management server stores a random UUID as ``cloud.identifier`` when its database
is first set up (``ConfigurationServerImpl.updateCloudIdentifier``, apache/cloudstack
4.18.2.5) and answers it, signed with the user's secret key, to
``getCloudIdentifier userid=..`` (``ManagementServerImpl.getCloudIdentifierResponse``:
HmacSHA1, base64). The simulator keeps one per state file, made the first time it
is asked, so a state file created again is another cloud. ``getUser userapikey=..``
finds the user of an API key (``GetUserCmd``, ``AccountManagerImpl.getUserByApiKey``);
the simulator has one user, the root admin whose keys it was started with.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from typing import Any

from specc.sim.baseline import CREATED
from specc.sim.dispatch import ROOT_ACCOUNT_ID, ROOT_DOMAIN_ID, ROOT_USER_ID
from specc.sim.handlers import Ctx, Param, command

IDENTIFIER_KEY = "cloud_identifier"


def _admin(ctx: Ctx) -> dict[str, Any]:
    """The root admin as ``UserAccountJoinDaoImpl.newUserResponse`` shows it."""
    return {
        "id": ROOT_USER_ID,
        "username": "admin",
        "firstname": "admin",
        "lastname": "cloud",
        "created": CREATED,
        "state": "enabled",
        "account": "admin",
        "accountid": ROOT_ACCOUNT_ID,
        "accounttype": 1,
        "roletype": "Admin",
        "rolename": "Root Admin",
        "domainid": ROOT_DOMAIN_ID,
        "domain": "ROOT",
        "apikey": ctx.store.meta("api_key"),
        "isdefault": True,
        "usersource": "native",
    }


@command("getUser", params=[Param("userapikey", "string", required=True)])
def get_user(ctx: Ctx) -> dict[str, Any]:
    """Find user account by API key."""
    if ctx.get("userapikey") != ctx.store.meta("api_key"):
        raise ctx.invalid("User with specified API key does not exist")
    return {"user": _admin(ctx)}


@command("getCloudIdentifier", params=[Param("userid", "uuid", required=True)])
def get_cloud_identifier(ctx: Ctx) -> dict[str, Any]:
    """Retrieves a cloud identifier."""
    if str(ctx.get("userid")) != ROOT_USER_ID:
        raise ctx.invalid("Unable to find active user of specified id")
    identifier = ctx.store.meta(IDENTIFIER_KEY)
    if identifier is None:
        identifier = str(uuid.uuid4())
        ctx.store.set_meta(IDENTIFIER_KEY, identifier)
    key = (ctx.store.meta("secret_key") or "").encode()
    mac = hmac.new(key, identifier.encode(), hashlib.sha1).digest()
    return {
        "cloudidentifier": {
            "cloudidentifier": identifier,
            "signature": base64.b64encode(mac).decode(),
        }
    }
