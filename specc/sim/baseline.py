"""What a freshly installed management server holds before anyone configures it.

OS types, storage providers, the settings of its release (every row of the
registry, :mod:`specc.sim.settings`), the ROOT domain and its ``admin`` account, the
default compute, disk and network offerings, the system VM templates and the
simulator's built-in user template. Ids are derived from names (uuid5), so a fresh
simulator always has the same ids.
"""

from __future__ import annotations

import uuid
from typing import Any

import specc.sim.providers as providers
from specc.sim.handlers import fields_since
from specc.sim.netofferings import OFFERINGS, offering_item
from specc.sim.settings import registry_for, row
from specc.sim.store import Store

_NS = uuid.UUID("6c1b2f3e-5a7d-4e0b-9c1a-2b3c4d5e6f70")
CREATED = "2026-01-01T00:00:00+0000"
ROOT_DOMAIN_ID = "d3d1d5a8-0000-4000-8000-000000000003"
ROOT_ACCOUNT_ID = "d3d1d5a8-0000-4000-8000-000000000001"


fields_since("ostype", {"name": "4.22", "oscategoryname": "4.22", "fordisplay": "4.22"})


def stable_id(kind: str, name: str) -> str:
    """A fixed UUID for a built-in item.

    >>> stable_id("ostype", "CentOS 7") == stable_id("ostype", "CentOS 7")
    True
    """
    return str(uuid.uuid5(_NS, f"{kind}:{name}"))


# OS category -> OS type descriptions, as the server ships them (a representative set).
OS_TYPES: dict[str, tuple[str, ...]] = {
    "CentOS": (
        "CentOS 5.6 (64-bit)",
        "CentOS 6.10 (64-bit)",
        "CentOS 7",
        "CentOS 8",
        "Rocky Linux 8",
        "Rocky Linux 9",
        "AlmaLinux 8",
        "AlmaLinux 9",
    ),
    "Debian": (
        "Debian GNU/Linux 10 (64-bit)",
        "Debian GNU/Linux 11 (64-bit)",
        "Debian GNU/Linux 12 (64-bit)",
    ),
    "Oracle": ("Oracle Linux 7", "Oracle Linux 8", "Oracle Linux 9"),
    "RedHat": (
        "Red Hat Enterprise Linux 7",
        "Red Hat Enterprise Linux 8",
        "Red Hat Enterprise Linux 9",
    ),
    "SUSE": (
        "SUSE Linux Enterprise Server 12 SP5 (64-bit)",
        "SUSE Linux Enterprise Server 15 (64-bit)",
    ),
    "Windows": (
        "Windows 10 (64-bit)",
        "Windows 11 (64-bit)",
        "Windows Server 2016 (64-bit)",
        "Windows Server 2019 (64-bit)",
        "Windows Server 2022 (64-bit)",
    ),
    "Other": (
        "Other (32-bit)",
        "Other (64-bit)",
        "Other Linux (32-bit)",
        "Other Linux (64-bit)",
        "Other PV (32-bit)",
        "Other PV (64-bit)",
    ),
    "Unix": ("FreeBSD 12 (64-bit)", "FreeBSD 13 (64-bit)"),
    "Ubuntu": (
        "Ubuntu 18.04 LTS",
        "Ubuntu 20.04 LTS",
        "Ubuntu 22.04 LTS",
        "Ubuntu 24.04 LTS",
    ),
}

SERVICE_OFFERINGS: tuple[tuple[str, int, int, int, str | None], ...] = (
    # name, cpus, MHz, MiB, system VM type (None: a user offering)
    ("Small Instance", 1, 500, 512, None),
    ("Medium Instance", 1, 1000, 1024, None),
    ("System Offering For Software Router", 1, 500, 256, "domainrouter"),
    ("System Offering For Console Proxy", 1, 500, 1024, "consoleproxy"),
    ("System Offering For Secondary Storage VM", 1, 500, 512, "secondarystoragevm"),
    ("System Offering For Internal LB VM", 1, 256, 256, "internalloadbalancervm"),
    ("System Offering For Elastic LB VM", 1, 128, 128, "elasticloadbalancervm"),
)

DISK_OFFERINGS: tuple[tuple[str, str, int, bool], ...] = (
    # name, display text, size in GiB, customized
    ("Small", "Small Disk, 5 GB", 5, False),
    ("Medium", "Medium Disk, 20 GB", 20, False),
    ("Large", "Large Disk, 100 GB", 100, False),
    ("Custom", "Custom Disk", 0, True),
)

SYSTEM_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("SystemVM Template (KVM)", "KVM"),
    ("SystemVM Template (vSphere)", "VMware"),
    ("SystemVM Template (XenServer)", "XenServer"),
    ("SystemVM Template (simulator)", "Simulator"),
)
# The simulator's own user template: apache/cloudstack setup/db/templates.simulator.sql
# (run by the simulator build's deploydb-simulator) inserts it as template 111, BUILTIN,
# public, featured, cross-zone, VHD, guest OS 142 (CentOS 5.6 (64-bit), setup/db/templates.sql),
# already downloaded to the image store (its template_store_ref row).
SIMULATOR_TEMPLATE = "CentOS 5.6 (64-bit) no GUI (Simulator)"


def _ostypes() -> list[dict[str, Any]]:
    out = []
    for category, names in OS_TYPES.items():
        cat_id = stable_id("oscategory", category)
        for name in names:
            out.append(
                {
                    "id": stable_id("ostype", name),
                    "description": name,
                    "name": name,
                    "oscategoryid": cat_id,
                    "oscategoryname": category,
                    "isuserdefined": False,
                }
            )
    return out


def _service_offering(
    name: str, cpus: int, mhz: int, mib: int, vmtype: str | None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": stable_id("serviceoffering", name),
        "name": name,
        "displaytext": name if vmtype else f"{name}, {mhz}MHz, {mib}MB",
        "cpunumber": cpus,
        "cpuspeed": mhz,
        "memory": mib,
        "created": CREATED,
        "storagetype": "shared",
        "provisioningtype": "thin",
        "offerha": False,
        "limitcpuuse": False,
        "isvolatile": False,
        "issystem": vmtype is not None,
        "defaultuse": vmtype is not None,
        "iscustomized": False,
        "hasannotations": False,
        "cacheMode": "none",
        "dynamicscalingenabled": True,
        "diskofferingstrictness": False,
        "encryptroot": False,
        "rootdisksize": 0,
    }
    if vmtype is not None:
        item["systemvmtype"] = vmtype
    return item


def _disk_offering(name: str, text: str, size: int, custom: bool) -> dict[str, Any]:
    return {
        "id": stable_id("diskoffering", name),
        "name": name,
        "displaytext": text,
        "disksize": size,
        "created": CREATED,
        "iscustomized": custom,
        "storagetype": "shared",
        "provisioningtype": "thin",
        "displayoffering": True,
        "cacheMode": "none",
        "encrypt": False,
        "hasannotations": False,
        "disksizestrictness": False,
        "iscustomizediops": False,
    }


def _system_template(name: str, hypervisor: str) -> dict[str, Any]:
    return {
        "id": stable_id("template", name),
        "name": name,
        "displaytext": name,
        "ispublic": False,
        "created": CREATED,
        "isready": False,
        "passwordenabled": False,
        "format": "QCOW2"
        if hypervisor in ("KVM", "Simulator")
        else ("OVA" if hypervisor == "VMware" else "VHD"),
        "isfeatured": False,
        "crossZones": True,
        "ostypeid": stable_id("ostype", "Other Linux (64-bit)"),
        "ostypename": "Other Linux (64-bit)",
        "account": "system",
        "accountid": ROOT_ACCOUNT_ID,
        "domain": "ROOT",
        "domainid": ROOT_DOMAIN_ID,
        "templatetype": "SYSTEM",
        "hypervisor": hypervisor,
        "isextractable": False,
        "bootable": True,
        "requireshvm": False,
        "sshkeyenabled": False,
        "isdynamicallyscalable": False,
        "directdownload": False,
        "deployasis": False,
        "hasannotations": False,
        "tags": [],
        "details": {},
        "downloaddetails": [],
        "status": "",
    }


def _simulator_template() -> dict[str, Any]:
    item = _system_template(SIMULATOR_TEMPLATE, "Simulator")
    item.update(
        templatetype="BUILTIN",
        ispublic=True,
        isfeatured=True,
        isready=True,
        format="VHD",
        ostypeid=stable_id("ostype", "CentOS 5.6 (64-bit)"),
        ostypename="CentOS 5.6 (64-bit)",
        status="Download Complete",
    )
    return item


def _root_domain() -> dict[str, Any]:
    """The ROOT domain, as listDomains shows it (``DomainJoinDaoImpl.newDomainResponse``)."""
    return {
        "id": ROOT_DOMAIN_ID,
        "name": "ROOT",
        "level": 0,
        "path": "ROOT",
        "haschild": False,
        "state": "Active",
        "created": CREATED,
        "hasannotations": False,
    }


def _admin_account() -> dict[str, Any]:
    """The ``admin`` root admin account of ROOT (the ``system`` account is never listed)."""
    return {
        "id": ROOT_ACCOUNT_ID,
        "name": "admin",
        "accounttype": 1,
        "roletype": "Admin",
        "rolename": "Root Admin",
        "domainid": ROOT_DOMAIN_ID,
        "domain": "ROOT",
        "domainpath": "ROOT",
        "state": "enabled",
        "isdefault": True,
        "iscleanuprequired": False,
        "created": CREATED,
        "groups": [],
    }


def install_baseline(store: Store, api_version: str) -> None:
    """Store what a fresh management server of *api_version* holds (once, in a transaction)."""
    for item in _ostypes():
        store.insert("ostype", item)
    for p in providers.PROVIDERS:
        provider: dict[str, Any] = {"name": p.name, "type": p.kind}
        if p.since is not None:
            provider["_since"] = p.since  # listed only by servers of this version or newer
        store.insert("storageprovider", provider, key=f"{p.kind}:{p.name}")
    for setting in registry_for(api_version).settings.values():
        if setting.persisted:
            store.insert("configuration", row(setting), key=setting.name)
    store.insert("domain", _root_domain())
    store.insert("account", _admin_account())
    for so in SERVICE_OFFERINGS:
        store.insert("serviceoffering", _service_offering(*so))
    for do in DISK_OFFERINGS:
        store.insert("diskoffering", _disk_offering(*do))
    for name, hypervisor in SYSTEM_TEMPLATES:
        store.insert("template", _system_template(name, hypervisor))
    store.insert("template", _simulator_template())
    router = stable_id("serviceoffering", "System Offering For Software Router")
    for off in OFFERINGS:
        item = offering_item(off, stable_id("networkoffering", off.name), router, CREATED)
        store.insert("networkoffering", item)
