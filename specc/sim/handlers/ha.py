"""Host HA: listHostHAResources, configureHAForHost, enableHAForHost, disableHAForHost.

A host's HA configuration is stored under its host id (kind ``hostha``) and mirrored
in the host's ``hostha`` field, as listHosts shows it. The KVM HA provider works only
for KVM hosts (the simulator provider only for Simulator hosts). KVM HA relies on an
NFS heartbeat: enabled on a host whose cluster reaches no NFS pool, its state is
``Ineligible``; otherwise ``Available``.
"""

from __future__ import annotations

from typing import Any

from specc.sim.handlers import Ctx, Item, Param, command

PROVIDERS = {"kvmhaprovider": "KVM", "simulatorhaprovider": "Simulator"}


def _view(ha: Item) -> Item:
    return {k: v for k, v in ha.items() if k != "id"}


def _config(ctx: Ctx, host: Item) -> Item:
    ha = ctx.store.get("hostha", host["id"])
    if ha is None or not ha.get("haprovider"):
        raise ctx.invalid(
            f"HAProvider is not provided for the resource [{host['id']}], failing configuration."
        )
    return ha


def _save(ctx: Ctx, host: Item, ha: Item) -> dict[str, Any]:
    if ctx.store.get("hostha", host["id"]) is None:
        ctx.store.insert("hostha", ha, key=host["id"])
    else:
        ctx.store.update("hostha", host["id"], **ha)
    mirror = {"haenable": ha["haenable"], "hastate": ha["hastate"], "haprovider": ha["haprovider"]}
    ctx.store.update("host", host["id"], hostha=mirror)
    return {"hostha": dict(_view(ha), status=True)}


def _has_nfs_heartbeat(ctx: Ctx, host: Item) -> bool:
    for pool in ctx.store.find("storagepool", zoneid=host["zoneid"]):
        if pool.get("type") != "NetworkFilesystem" or pool.get("state") != "Up":
            continue
        if pool.get("scope") == "ZONE" or pool.get("clusterid") == host.get("clusterid"):
            return True
    return False


@command("listHostHAResources", item="hostha", params=[Param("hostid", "uuid")])
def list_host_ha_resources(ctx: Ctx) -> dict[str, Any]:
    """Lists host HA resources."""
    items = [_view(it) for it in ctx.store.items("hostha")]
    return ctx.list_response("hostha", items)


@command(
    "configureHAForHost",
    is_async=True,
    params=[
        Param("hostid", "uuid", required=True, entity="host"),
        Param("provider", "string", required=True),
    ],
)
def configure_ha_for_host(ctx: Ctx) -> dict[str, Any]:
    """Configures HA for a host."""
    host = ctx.entity("host", ctx.params["hostid"], "hostid")
    provider = ctx.params["provider"].lower()
    if provider not in PROVIDERS:
        raise ctx.error(530, f"Given HA provider [{ctx.params['provider']}] does not exist.")
    if PROVIDERS[provider] != host["hypervisor"]:
        raise ctx.invalid(
            f"Incompatible haprovider provided [{PROVIDERS[provider]}] for the resource "
            f"[{host['id']}] of hypervisor type: [{host['hypervisor']}]."
        )
    old = ctx.store.get("hostha", host["id"]) or {}
    ha = {
        "hostid": host["id"],
        "haprovider": provider,
        "haenable": bool(old.get("haenable", False)),
        "hastate": old.get("hastate", "Disabled"),
    }
    return _save(ctx, host, ha)


@command(
    "enableHAForHost",
    is_async=True,
    params=[Param("hostid", "uuid", required=True, entity="host")],
)
def enable_ha_for_host(ctx: Ctx) -> dict[str, Any]:
    """Enables HA for a host."""
    host = ctx.entity("host", ctx.params["hostid"], "hostid")
    ha = dict(_config(ctx, host))
    eligible = ha["haprovider"] != "kvmhaprovider" or _has_nfs_heartbeat(ctx, host)
    ha.update(haenable=True, hastate="Available" if eligible else "Ineligible")
    return _save(ctx, host, ha)


@command(
    "disableHAForHost",
    is_async=True,
    params=[Param("hostid", "uuid", required=True, entity="host")],
)
def disable_ha_for_host(ctx: Ctx) -> dict[str, Any]:
    """Disables HA for a host."""
    host = ctx.entity("host", ctx.params["hostid"], "hostid")
    ha = dict(_config(ctx, host))
    ha.update(haenable=False, hastate="Disabled")
    return _save(ctx, host, ha)
