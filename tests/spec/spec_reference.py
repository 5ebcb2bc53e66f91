"""Generate docs/spec-reference.md from the model's JSON Schema and the rules.

Field tables come from ``specc.spec.schema.spec_schema()`` (so they cannot drift
from the model); the rule tables from the rule docstrings, with each code's
severity read from its negative-corpus file. Prose and short examples live here.

    python tests/spec/spec_reference.py > docs/spec-reference.md

``test_rules_reference.py`` fails when the checked-in file is out of date.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

from specc.backends import BACKENDS
from specc.spec.rules.registry import ALL_RULES
from specc.spec.schema import spec_schema

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "negative"

FIELD_NOTES: dict[str, str] = {
    # by field name, wherever it appears
    "name": "Name, unique in its scope (see SPC2xx).",
    "type": "Selects the variant.",
    "admin_user": "SolidFire cluster admin user (clusterAdminUsername).",
    "admin_password": "SolidFire cluster admin password (clusterAdminPassword).",
    "mvip": "Management virtual IP.",
    "svip": "Storage (iSCSI) virtual IP; lies in the backend's storage subnet.",
    "storage_type": "shared (primary storage pools) or local (hosts' local disks).",
    "provisioning": "thin, sparse or fat provisioning of volumes.",
    "storage_tags": "A volume is placed only on a pool that carries all these tags.",
    "qos": "none, hypervisor rate limits, or storage IOPS (SolidFire).",
    "display_text": "Defaults to the name.",
    "checksum": "Checked by the downloader (the KVM host with direct download).",
    "public": "Visible to all accounts.",
    "featured": "Shown as featured.",
    "username": "User the management server logs in as.",
    "password": "Password as a secret reference.",
    "start": "First address of the range.",
    "end": "Last address of the range.",
    # by model and field
    "CephBackend.pool": "The RADOS pool (created with `ceph osd pool create`).",
    "CephBackend.rbd_cache": "The `[client]` section of ceph.conf on KVM hosts.",
    "CephPool.pg_num": "Placement groups of the pool.",
    "CephPool.kind": "replicated (for VM disks) or erasure.",
    "Checksum.algorithm": "Hash algorithm.",
    "Checksum.value": "Hex digest; its length must match the algorithm (SPC377).",
    "CloudStackTarget.version": "CloudStack version, e.g. 4.18 or 4.19.1; gates some rules.",
    "Cluster.hypervisor": "Hypervisor of every host in the cluster.",
    "Cluster.hosts": "The hosts.",
    "Cluster.workload": "Expected load, for the capacity rules.",
    "ComputeOffering.cpu_number": "vCPUs.",
    "ComputeOffering.cpu_speed_mhz": "CPU speed in MHz.",
    "ComputeOffering.memory_mb": "Memory in MiB.",
    "ComputeOffering.host_tags": "VMs run only on hosts that carry these tags.",
    "ComputeOffering.offer_ha": "VMs of this offering are restarted elsewhere on failure.",
    "ComputeOffering.limit_cpu_use": "Cap CPU use at the offering's speed.",
    "ComputeOffering.root_disk_size_gb": "Root disk size in GiB.",
    "DiskOffering.size_gb": "Disk size in GiB (or set custom_size).",
    "DiskOffering.custom_size": "Let users choose the size.",
    "Host.username": "User the management server logs in as (KVM/XenServer).",
    "Host.password": "Host password as a secret reference.",
    "HypervisorQos.bytes_read_rate": "Bytes per second.",
    "HypervisorQos.bytes_write_rate": "Bytes per second.",
    "HypervisorQos.iops_read_rate": "Read IOPS.",
    "HypervisorQos.iops_write_rate": "Write IOPS.",
    "IpRange.subnet": "The subnet the range lies in.",
    "IscsiBackend.iqn": "Target IQN.",
    "IscsiBackend.lun": "LUN number.",
    "Iso.bootable": "The ISO boots a VM.",
    "NetworkLabels.kvm": "Bridge name on KVM hosts, e.g. cloudbr0.",
    "NetworkLabels.vmware": "vSwitch or port group on ESXi hosts.",
    "NetworkLabels.xenserver": "Network name-label on XenServer hosts.",
    "NetworkLabels.hyperv": "Virtual switch on Hyper-V hosts.",
    "Offerings.disk": "Disk offerings.",
    "Offerings.compute": "Compute (service) offerings.",
    "PhysicalNetwork.isolation": "Isolation method (VLAN, VXLAN, TF, ...).",
    "PhysicalNetwork.tags": "Physical network tags.",
    "PhysicalNetwork.traffic": "Traffic types it carries, with per-hypervisor labels.",
    "Pod.start_ip": "First management address for system VMs.",
    "Pod.end_ip": "Last management address for system VMs.",
    "Pod.clusters": "The clusters.",
    "PrimaryStorage.backend": "Name of the backend.",
    "PrimaryStorage.scope": "cluster (one cluster) or zone (all clusters of a hypervisor).",
    "PrimaryStorage.capacity_bytes": "Logical size CloudStack may provision (SolidFire).",
    "PrimaryStorage.capacity_iops": "Sum of volumes' Min IOPS allowed (SolidFire).",
    "RbdCache.enabled": "rbd cache = true.",
    "RbdCache.writethrough_until_flush": "rbd cache writethrough until flush = true.",
    "SecondaryStorage.path": "Overrides the backend's export.",
    "SolidFireSharedBackend.min_iops": "minIops of the shared volume (<= 15,000).",
    "SolidFireSharedBackend.max_iops": "maxIops at creation (<= 100,000).",
    "SolidFireSharedBackend.burst_iops": "burstIops at creation (<= 100,000).",
    "StorageQos.min_iops": "Guaranteed IOPS per volume (SolidFire: <= 15,000, SPC349); with "
    "max_iops or not at all (SPC332).",
    "StorageQos.max_iops": "Sustained IOPS cap per volume (SolidFire: <= 100,000, SPC331).",
    "Template.format": "Image format; must suit the hypervisor (SPC375).",
    "Template.hypervisor": "Hypervisor the template is for.",
    "Template.password_enabled": "The image resets passwords (cloud-init or scripts).",
    "Template.extractable": "Users may download it.",
    "Template.requires_hvm": "Needs hardware virtualization.",
    "TrafficType.labels": "Per-hypervisor network labels.",
    "VmfsBackend.datacenter": "vCenter datacenter of the datastore.",
    "VmfsBackend.datastore": "Datastore name.",
    "Workload.vms_per_host": "VMs per host.",
    "Workload.volumes_per_vm": "Volumes per VM.",
    "Zone.network_type": "Advanced or Basic networking.",
    "Zone.dns": "Public DNS servers for guests.",
    "Zone.internal_dns": "DNS servers for system VMs.",
    "Zone.guest_cidr": "Default guest network CIDR.",
    "Zone.network_domain": "DNS domain of guest networks.",
    "Zone.local_storage": "Allow local-storage offerings in this zone.",
    "Zone.enabled": "Enable the zone once built.",
    "Zone.physical_networks": "Physical networks.",
    "Zone.public_ranges": "Public IP ranges (in public subnets).",
    "Zone.pods": "Pods.",
    "Zone.primary_storage": "Primary storage pools.",
    "Zone.secondary_storage": "Image stores (NFS).",
    "Spec.cloudstack": "The targeted CloudStack.",
    "Spec.subnets": "Named networks.",
    "Spec.backends": "Storage systems.",
    "Spec.zones": "Zones.",
    "Spec.offerings": "Disk and compute offerings.",
    "Spec.templates": "Templates to register.",
    "Spec.isos": "ISOs to register.",
    "Spec.settings": "Global settings: name -> value.",
}

SECTIONS: list[tuple[str, str, list[str], str]] = [
    (
        "Top level",
        "A spec is one YAML file, or a folder of them merged together. Start each file "
        "with the schema line so editors complete keys and flag mistakes as you type.",
        ["Spec", "CloudStackTarget"],
        """\
# yaml-language-server: $schema=../schemas/specc-v1.schema.json
version: 1
cloudstack: {version: "4.18"}
subnets: [...]
backends: [...]
zones: [...]
offerings: {disk: [...], compute: [...]}
templates: [...]
isos: [...]
settings: {expunge.delay: 3600}
domain_settings: [...]
account_settings: [...]""",
    ),
    (
        "Secrets",
        "A secret is never written in the spec: it is a reference resolved only when a "
        "plan is applied, and masked in every output. A plain string where a secret "
        "belongs is an error (SPC110).",
        ["EnvSecret", "FileSecret"],
        """\
admin_password: {env: SOLIDFIRE_ADMIN_PASSWORD}
ssh_key: {file: /etc/specc/secrets/kvm-ssh-key}""",
    ),
    (
        "Subnets",
        "Named IPv4 networks with a role. Pods, IP ranges and backends refer to them by "
        "name. Storage traffic is separated on a subnet with role `storage` that never "
        "overlaps the management subnet.",
        ["Subnet"],
        """\
subnets:
  - {name: mgmt, cidr: 10.20.0.0/24, role: management, gateway: 10.20.0.1}
  - {name: storage, cidr: 10.21.0.0/24, role: storage, vlan: 210}""",
    ),
    (
        "Backends",
        "The storage systems, each with its own settings, selected by `type`. A backend "
        "with `subnet` is reached over that storage subnet: its storage address (NFS "
        "server, SolidFire SVIP, Ceph monitors) lies in it, and every host that mounts it "
        "has a `storage_address` in it.",
        [],  # every registered backend's models: backend_models()
        """\
backends:
  - {name: nfs-secondary, type: nfs, server: 10.20.0.21, export: /export/secondary}
  - name: ceph1
    type: ceph
    subnet: storage
    monitors: [10.21.0.31, 10.21.0.32, 10.21.0.33]
    monitor_dns: mon.ceph.example.internal
    pool: {name: cloudstack, pg_num: 256, size: 3}
    secret: {env: CEPH_CLOUDSTACK_KEY}
    osd_nodes: 12
  - name: sf1
    type: solidfire
    subnet: storage
    mvip: 10.20.0.40
    svip: 10.21.0.40
    admin_user: cloudstack-admin
    admin_password: {env: SOLIDFIRE_ADMIN_PASSWORD}
    default_min_iops: 200
    default_max_iops: 1000
    default_burst_multiplier: 2.0""",
    ),
    (
        "Zones, networks and pods",
        "A zone holds its physical networks (traffic types with per-hypervisor labels), "
        "public IP ranges, shared guest networks, pods (a management range in a management "
        "subnet, optionally a storage range in a storage subnet, and in a Basic zone the "
        "pod's guest ranges) and storage. A Basic zone, or an Advanced zone with "
        "security_groups, has no Public traffic: its guest addresses are shared networks'. "
        "A zone with VMware clusters maps to one vCenter datacenter (`vcenter`, added with "
        "addVmwareDc before the clusters); its VMware clusters are clusters of that "
        "datacenter, named as in vCenter.",
        [
            "Zone",
            "VCenter",
            "PhysicalNetwork",
            "TrafficType",
            "NetworkLabels",
            "SharedNetwork",
            "IpRange",
            "Pod",
        ],
        """\
zones:
  - name: zone1
    dns: [10.20.0.2]
    internal_dns: [10.20.0.2]
    vcenter:
      host: vcenter.example.internal
      datacenter: DC1
      username: administrator@vsphere.local
      password: {env: VCENTER_PASSWORD}
    physical_networks:
      - name: physnet1
        vlan_ranges: ["600-699"]
        traffic:
          - {type: Management, labels: {kvm: cloudbr0}}
          - {type: Guest, labels: {kvm: cloudbr1}}
          - {type: Public, labels: {kvm: cloudbr1}}
          - {type: Storage, labels: {kvm: cloudbr2}, vlan: 210}
    pods:
      - name: pod1
        subnet: mgmt
        start_ip: 10.20.0.100
        end_ip: 10.20.0.150
        storage_range: {subnet: storage, start: 10.21.0.100, end: 10.21.0.150}
        clusters: [...]""",
    ),
    (
        "Clusters and hosts",
        "A cluster has one hypervisor. A VMware cluster is the vCenter cluster of its name "
        "in its zone's datacenter (its ESXi hosts join through vCenter); KVM hosts name "
        "their OS family (host scripts depend on it). `workload` feeds the capacity rules "
        "(RBD cache RAM, datastore/SR counts).",
        ["Cluster", "Workload", "Host"],
        """\
clusters:
  - name: kvm1
    hypervisor: KVM
    workload: {vms_per_host: 50, volumes_per_vm: 4}
    hosts:
      - name: kvm1-h1
        address: 10.20.0.11
        storage_address: 10.21.0.11
        storage_interface: eth1
        os: el8
        password: {env: KVM_ROOT_PASSWORD}
        ha: true
        memory_gb: 256""",
    ),
    (
        "Primary and secondary storage",
        "A pool puts a backend into a zone, either for one cluster (`scope: cluster` with "
        "`pod` and `cluster`) or zone-wide (`scope: zone` with `hypervisor`: KVM or VMware, "
        "never XenServer; `Any` only for SolidFire, which stores every zone-wide pool as "
        "`Any`). Offerings reach pools through storage `tags`. Secondary storage is "
        "NFS.",
        ["PrimaryStorage", "SecondaryStorage"],
        """\
primary_storage:
  - {name: rbd-zone, backend: ceph1, scope: zone, hypervisor: KVM, tags: [RBD]}
  - name: sf-zone
    backend: sf1
    scope: zone
    hypervisor: Any
    tags: [SF]
    capacity_bytes: 10995116277760
    capacity_iops: 150000
secondary_storage:
  - {name: secondary1, backend: nfs-secondary}""",
    ),
    (
        "Offerings",
        "Disk and compute offerings. `storage_tags` must be carried by a pool in every "
        "zone where the offering is offered (all zones unless `zones` says otherwise). "
        "QoS is `none`, `hypervisor` (rate limits) or `storage` (SolidFire min/max IOPS).",
        ["Offerings", "DiskOffering", "ComputeOffering", "NoQos", "HypervisorQos", "StorageQos"],
        """\
offerings:
  disk:
    - name: sf-gold-100g
      size_gb: 100
      storage_tags: [SF]
      qos: {type: storage, min_iops: 1000, max_iops: 5000}
      hypervisor_snapshot_reserve: 200
  compute:
    - {name: small, cpu_number: 1, cpu_speed_mhz: 2000, memory_mb: 2048, storage_tags: [RBD]}""",
    ),
    (
        "Settings",
        "CloudStack settings (`updateConfiguration`), global or for one object. Global "
        "settings go in the top-level `settings`; a zone, cluster, primary storage pool or "
        "secondary storage has its own `settings` for the settings of that scope "
        "(`zoneid`, `clusterid`, `storageid`, `imagestoreuuid`); `domain_settings` and "
        "`account_settings` name an existing domain (by path) or account. Names, scopes "
        "and values are checked against the settings registry of the target release, built "
        "from the apache/cloudstack source (SPC45x): a setting at a scope it does not have "
        "is an error, as the server refuses it. A new global value of a setting the server "
        "reads at start-up (not dynamic) takes effect after the management servers restart: "
        "the plan and the runbook say so. Values compare as text (`true`, `2`, `2.5`).",
        ["DomainSettings", "AccountSettings"],
        """\
settings: {expunge.delay: 3600, network.gc.wait: 600}
zones:
  - name: zone1
    settings: {use.external.dns: true}
    pods:
      - name: pod1
        clusters:
          - {name: kvm1, hypervisor: KVM, settings: {cpu.overprovisioning.factor: 2}}
    primary_storage:
      - {name: ps1, backend: nfs1, scope: zone, hypervisor: KVM,
         settings: {storage.overprovisioning.factor: 3}}
domain_settings:
  - {domain: ROOT/customers, settings: {destroy.root.volume.on.vm.destruction: true}}
account_settings:
  - {account: admin, domain: ROOT, settings: {allow.public.user.templates: false}}""",
    ),
    (
        "Templates and ISOs",
        "Images to register. The URL's file name ends in an extension of the format "
        "(`.qcow2`, `.img`, `.vhd.bz2`, `.ova`, `.iso`, ...), as the server checks it. Direct "
        "download (KVM only, CloudStack 4.11+) makes KVM hosts fetch the image at deploy "
        "time; give it a checksum. A metalink (several mirrors) is a URL ending in "
        "`.metalink` with `metalink: true`.",
        ["Template", "Iso", "Checksum"],
        """\
templates:
  - name: rocky9-direct
    url: https://images.example.org/rocky/Rocky-9-GenericCloud.latest.x86_64.qcow2
    format: QCOW2
    hypervisor: KVM
    os_type: Rocky Linux 9
    direct_download: true
    checksum: {algorithm: sha256, value: 3c4d5e6f...}""",
    ),
]


def documented(sections: list[tuple[str, str, list[str], str]]) -> set[str]:
    """The models the sections name themselves."""
    return {m for _, _, models, _ in sections for m in models}


def backend_models(defs: dict[str, Any], elsewhere: set[str]) -> list[str]:
    """Each registered backend's model, then the models only it uses, in registry order.

    A nested model is listed after the first backend that refers to it (CephPool
    after CephBackend), unless a section of its own documents it (the secrets).
    """
    out: list[str] = []

    def visit(name: str) -> None:
        if name in out or name in elsewhere:
            return
        out.append(name)
        for ref in re.findall(r'"\$ref": "#/\$defs/([A-Za-z0-9_]+)"', json.dumps(defs[name])):
            visit(ref)

    for plugin in BACKENDS.values():
        visit(plugin.model.__name__)
    return out


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _anchor(name: str) -> str:
    return name.lower()


def _constraints(s: dict[str, Any]) -> str:
    parts = []
    lo = s.get("minimum", s.get("exclusiveMinimum"))
    hi = s.get("maximum", s.get("exclusiveMaximum"))
    if "exclusiveMinimum" in s:
        parts.append(f"> {lo}")
    elif lo is not None and hi is not None:
        parts.append(f"{lo}..{hi}")
    elif lo is not None:
        parts.append(f">= {lo}")
    if hi is not None and lo is None:
        parts.append(f"<= {hi}")
    if "minItems" in s or "maxItems" in s:
        parts.append(f"{s.get('minItems', 0)}..{s.get('maxItems', 'n')} items")
    return f" ({', '.join(parts)})" if parts else ""


def type_of(s: dict[str, Any]) -> str:
    """A short Markdown rendering of a JSON Schema fragment's type."""
    if "$ref" in s:
        name = _ref_name(s["$ref"])
        return f"[{name}](#{_anchor(name)})"
    if "const" in s:
        return f"`{s['const']}`"
    if "enum" in s:
        return " \\| ".join(f"`{v}`" for v in s["enum"])
    for key in ("anyOf", "oneOf"):
        if key in s:
            options = [o for o in s[key] if o.get("type") != "null"]
            return " or ".join(type_of(o) for o in options)
    kind = s.get("type")
    if kind == "array":
        return f"list of {type_of(s.get('items', {}))}{_constraints(s)}"
    if kind == "object":
        extra = s.get("additionalProperties")
        return f"map of {type_of(extra)}" if isinstance(extra, dict) else "mapping"
    fmt = s.get("format")
    base = {"ipv4": "IPv4 address", "ipv4network": "IPv4 CIDR"}.get(fmt or "", kind or "any")
    return f"{base}{_constraints(s)}"


def _default(s: dict[str, Any], required: bool) -> str:
    if required:
        return "**required**"
    if "default" not in s:
        return ""
    value = s["default"]
    if value is None:
        return ""
    return f"`{json.dumps(value)}`"


def table(name: str, s: dict[str, Any]) -> list[str]:
    """The Markdown section of one model: its description and a field table."""
    lines = [f"### {name}", ""]
    if s.get("description"):
        lines += [s["description"], ""]
    lines += ["| field | type | default | description |", "|---|---|---|---|"]
    required = set(s.get("required", []))
    for field, fs in s.get("properties", {}).items():
        desc = (
            fs.get("description")
            or FIELD_NOTES.get(f"{name}.{field}")
            or FIELD_NOTES.get(field, "")
        )
        lines.append(f"| `{field}` | {type_of(fs)} | {_default(fs, field in required)} | {desc} |")
    return [*lines, ""]


def severities() -> dict[str, str]:
    """Each code's severity, as the negative corpus states it."""
    found: dict[str, str] = {}
    pattern = re.compile(r"^# expect: (SPC\d{3}) (error|warning) line \d+$", re.M)
    for path in sorted(CORPUS.iterdir()):
        text = path.read_bytes().decode("utf-8", "replace")
        for code, severity in pattern.findall(text):
            found.setdefault(code, severity)
    return found


def rule_rows() -> list[str]:
    """One row per code of the domain rules: code, severity, area, what it checks.

    The area of a backend's rule is the backend's type; of another, its module.
    """
    sev = severities()
    owner = {rule: plugin.type for plugin in BACKENDS.values() for rule in plugin.rules}
    rows: dict[str, str] = {}
    for rule in ALL_RULES:
        summary = (inspect.getdoc(rule) or "").splitlines()[0]
        codes = re.findall(r'"(SPC\d{3})"', inspect.getsource(rule))
        module = owner.get(rule) or rule.__module__.rsplit(".", 1)[-1]
        for code in codes:
            text = re.sub(r"^SPC\d{3}:\s*", "", summary)
            text = re.sub(r" \((warning|error)\)", "", text)
            rows.setdefault(code, f"| {code} | {sev.get(code, '?')} | {module} | {text} |")
    return [rows[c] for c in sorted(rows)]


def render() -> str:
    """The whole reference document."""
    schema = spec_schema()
    defs: dict[str, Any] = dict(schema["$defs"])
    defs["Spec"] = {k: v for k, v in schema.items() if k != "$defs"}
    defs["Spec"]["description"] = "The whole document."
    out = [
        "# Spec reference",
        "",
        "<!-- Generated by `python tests/spec/spec_reference.py > docs/spec-reference.md`;",
        "     do not edit by hand (tests/spec/test_rules_reference.py checks it). -->",
        "",
        "A specc spec describes a CloudStack cloud's topology in YAML: subnets, storage "
        "backends, zones with their networks, pods, clusters, hosts and storage, "
        "offerings, templates and global settings. Every mapping rejects unknown keys. "
        "The examples under `examples/` are complete, validated specs, one per storage "
        "system; start from the one closest to your cloud.",
        "",
        "Validation runs in layers: the YAML itself (SPC0xx), the JSON Schema and model "
        "(SPC1xx, see docs/spec-cli.md), references between objects (SPC2xx) and the "
        "domain rules (SPC3xx, and SPC4xx for the backends added since; settings SPC45x). "
        "Every diagnostic has a stable code, a severity, `file:line:col`, a message and a "
        "hint. A warning fails validation only with `--strict`.",
        "",
        "## Contents",
        "",
    ]
    for title, *_ in SECTIONS:
        out.append(f"- [{title}](#{title.lower().replace(' ', '-').replace(',', '')})")
    out += ["- [Rules](#rules)", "- [Examples](#examples)", ""]
    for title, prose, models, example in SECTIONS:
        out += [f"## {title}", "", prose, "", "```yaml", example, "```", ""]
        for model in models or backend_models(defs, documented(SECTIONS)):
            out += table(model, defs[model])
    out += [
        "## Rules",
        "",
        "References (SPC2xx), domain rules (SPC3xx and up) and settings (SPC45x). Each code "
        "has a negative test case in `tests/spec/negative/<code>-*.yaml`. Errors are hard "
        "limits; warnings are recommendations from the sources.",
        "",
        "| code | severity | area | checks that |",
        "|---|---|---|---|",
        *rule_rows(),
        "",
        "## Examples",
        "",
        "Each validates clean (`specc validate --strict examples/*.yaml`).",
        "",
        *example_rows(),
        "",
    ]
    return "\n".join(out)


def example_rows() -> list[str]:
    """One bullet per example: its file and the first sentence of its header comment."""
    rows = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        header = []
        for line in path.read_text("utf-8").splitlines()[1:]:
            if not line.startswith("#"):
                break
            header.append(line.lstrip("# ").strip())
        text = " ".join(header)
        first = text.split(". ")[0].rstrip(".") + "."
        rows.append(f"- `examples/{path.name}`: {first}")
    return rows


if __name__ == "__main__":
    sys.stdout.write(render())
