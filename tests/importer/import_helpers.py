"""Helpers of the import tests: fill the placeholders as an operator would, plan again."""

from __future__ import annotations

import re
from pathlib import Path

import specc
from specc.cloud.state import LiveState
from specc.core.steps import Plan
from specc.importer import Imported, Selection, import_live

FILLS = {
    "Ceph client user": "cloudstack",
    "Ceph monitor addresses": "192.0.2.31",
    "SolidFire cluster admin user": "admin",
    "clusterDefaultMinIops": "300",
    "clusterDefaultMaxIops": "1500",
    "SolidFire management VIP": "10.100.0.41",
    "SolidFire storage VIP": "10.101.0.41",
    "max IOPS of the volume": "2000",
    "burst IOPS of the volume": "3000",
    "vCenter host": "vcenter.example.internal",
    "vCenter datacenter": "DC1",
    "vCenter user": "administrator@vsphere.local",
    "PowerFlex gateway user": "cloudstack",
    "PowerFlex storage pool name": "pool1",
    "PowerFlex MDM addresses": "10.0.0.51",
    "device path of the shared LUN": "/dev/mapper/shared",
    "the OCFS2 volume label": "shared",
}
PLACEHOLDER = re.compile(r"'<fill in: ([^>]*)>'")


def fill(text: str) -> str:
    """*text* with every placeholder filled (a VLAN with null: none was set)."""

    def value(m: re.Match[str]) -> str:
        what = m.group(1)
        example = re.search(r"e\.g\. (\S+)$", what)
        if example:
            return example.group(1)
        if what.startswith("VLAN of "):
            return "null"
        if what.startswith("OS family"):
            return "el9"
        if what.startswith("StorPool API host"):
            return "192.0.2.81"
        if what.startswith("StorPool template"):
            return "ssd"
        return FILLS[what]

    return PLACEHOLDER.sub(value, _members(_storage_addresses(text)))


MEMBERS = re.compile(r"^( *)- '<fill in: names of the member hosts>'.*$", re.M)
HOST_NAME = re.compile(r"^ *- name: (\S+)\n *address:", re.M)


def _members(text: str) -> str:
    """OCFS2 members: every host of the spec (the examples have one cluster each)."""
    names = HOST_NAME.findall(text)
    return MEMBERS.sub(lambda m: "\n".join(f"{m.group(1)}- {n}" for n in names), text)


def write(imported: Imported, folder: Path, *, filled: bool = True) -> Path:
    """Write *imported* into *folder* (placeholders filled); the path to plan."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in imported.files.items():
        (folder / name).write_text(fill(text) if filled else text, encoding="utf-8")
    return folder if len(imported.files) > 1 else folder / next(iter(imported.files))


def changes_of(plan: Plan) -> list[str]:
    """Every change that is not a no-op, and every warning: the round trip wants none."""
    out = [f"{c.resource} {c.action} {c.fields}" for c in plan.changes if c.action != "noop"]
    out += [w for c in plan.changes for w in c.warnings]
    out += [n for n in plan.notes if "would" in n or "change" in n]
    return out


def round_trip(
    live: LiveState,
    folder: Path,
    selection: Selection | None = None,
    cloud_findings: frozenset[str] = frozenset(),
) -> Plan:
    """Import *live*, fill, validate strictly and plan against *live* again.

    *cloud_findings*: warning codes about the cloud itself (not the import) to allow.
    """
    imported = import_live(live, selection)
    path = write(imported, folder)
    validated = specc.check(specc.load(path), strict=True)
    bad = [
        f"{d.code} {d.location.line}: {d.message}"
        for d in validated.diagnostics
        if d.code not in cloud_findings
    ]
    assert validated.spec is not None and not bad, "\n".join(bad) + "\n" + path.read_text()
    if validated.ok:
        return specc.plan(validated, live, scripts=False)
    # A finding about the cloud itself makes the spec invalid: diff it all the same.
    from specc.graph.build import build_desired
    from specc.planning.compiler import assemble_plan

    desired = build_desired(validated.spec, validated.source_map)
    changes = specc.diff(desired, live)
    return assemble_plan(desired, live, changes, spec_hash=validated.spec_hash)


STORAGE_ADDRESS = re.compile(r"'<fill in: storage address of host [^>]* in ([0-9./]+)[^>]*>'")


def _storage_addresses(text: str) -> str:
    """Each host's storage address: the next address from the top of its subnet."""
    from ipaddress import IPv4Network

    taken: dict[str, int] = {}

    def pick(m: re.Match[str]) -> str:
        net = IPv4Network(m.group(1))
        taken[m.group(1)] = taken.get(m.group(1), 0) + 1
        return str(net.broadcast_address - 1 - taken[m.group(1)])

    return STORAGE_ADDRESS.sub(pick, text)
