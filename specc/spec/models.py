"""The spec model: a CloudStack topology as frozen pydantic v2 models.

Every model rejects unknown keys (``extra="forbid"``) and is immutable. The JSON
Schema in ``schemas/specc-v1.schema.json`` is generated from these classes, so each
field's ``description`` is what an editor shows on completion.

Cross-object rules (references, limits, compatibility) are not here: they live in
``specc.spec.rules`` and produce Diagnostics with a location. This module only fixes
the shape and the per-field ranges that never depend on anything else.

The primitive types (names, tags, secrets...) live in :mod:`specc.spec.types` and
are re-exported here; each storage backend's model lives in its own module under
:mod:`specc.backends`, and :data:`Backend` is their union, built from the registry.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING, Annotated, Literal, Union

from pydantic import ConfigDict, Field, StringConstraints

from specc.backends import BACKENDS
from specc.backends.base import BackendModel
from specc.spec.types import EnvSecret as EnvSecret
from specc.spec.types import FileSecret as FileSecret
from specc.spec.types import HostName as HostName
from specc.spec.types import Hypervisor as Hypervisor
from specc.spec.types import Iops as Iops
from specc.spec.types import Name as Name
from specc.spec.types import OsFamily as OsFamily
from specc.spec.types import Scope as Scope
from specc.spec.types import Secret as Secret
from specc.spec.types import SpecModel as SpecModel
from specc.spec.types import Tag as Tag
from specc.spec.types import Vlan as Vlan

# --- subnets -------------------------------------------------------------------


class Subnet(SpecModel):
    """A named IPv4 network with a role; pods, ranges and backends refer to it by name."""

    name: Name
    cidr: IPv4Network = Field(description="The network, e.g. 10.1.0.0/24.")
    role: Literal["management", "storage", "public", "guest"] = Field(
        description="What the subnet carries. Storage traffic is separated on a 'storage' subnet."
    )
    gateway: IPv4Address | None = Field(default=None, description="Gateway inside the CIDR.")
    vlan: Vlan | None = Field(default=None, description="802.1Q VLAN id, if tagged.")
    netmask: IPv4Address | None = Field(
        default=None, description="Derived from cidr when omitted; given only to be explicit."
    )


# --- storage backends ----------------------------------------------------------

if TYPE_CHECKING:
    Backend = BackendModel
else:
    Backend = Annotated[
        Union[tuple(p.model for p in BACKENDS.values())],  # noqa: UP007 (built at run time)
        Field(discriminator="type"),
    ]
"""One backend of the spec: the union of every registered backend's model (by ``type``).

Built from :data:`specc.backends.BACKENDS`, so a new backend module and its registry
line add it to the model, the JSON Schema and the docs. Type checkers see the common
base, :class:`~specc.backends.base.BackendModel`; code that needs one backend's
fields asks its plug-in (``BACKENDS[backend.type]``) or lives in its module.
"""


# --- settings ------------------------------------------------------------------

SettingValue = str | int | float | bool
Settings = dict[str, SettingValue]
"""Setting name -> value, as ``updateConfiguration`` takes them (values compare as text)."""

DomainPath = Annotated[
    str, StringConstraints(pattern=r"^ROOT(/[^/]+)*$", min_length=4, max_length=1024)
]


def _scoped(scope: str, param: str) -> Settings:
    """A ``settings`` field of a scope object (pydantic ``Field``; typed as its value)."""
    field: Settings = Field(
        default_factory=dict,
        description=f"{scope}-scoped settings for this object: name -> value "
        f"(updateConfiguration {param}=...). Global settings go in the top-level `settings`.",
    )
    return field


class AccountSettings(SpecModel):
    """Settings of one account (`updateConfiguration accountid=...`); the account must exist."""

    account: Annotated[str, StringConstraints(min_length=1, max_length=255)] = Field(
        description="Account name, as listAccounts shows it (e.g. admin)."
    )
    domain: DomainPath = Field(
        default="ROOT", description="Path of the account's domain, e.g. ROOT/customers."
    )
    settings: Settings = Field(min_length=1, description="Account-scoped settings: name -> value.")


class DomainSettings(SpecModel):
    """Settings of one domain (`updateConfiguration domainid=...`); the domain must exist."""

    domain: DomainPath = Field(description="Domain path, as listDomains shows it: ROOT/customers.")
    settings: Settings = Field(min_length=1, description="Domain-scoped settings: name -> value.")


# --- zones ---------------------------------------------------------------------


class NetworkLabels(SpecModel):
    """Per-hypervisor network label (bridge, vSwitch, network name) of a traffic type."""

    kvm: str | None = None
    vmware: str | None = None
    xenserver: str | None = None
    hyperv: str | None = None


class TrafficType(SpecModel):
    """A traffic type carried by a physical network."""

    type: Literal["Management", "Guest", "Public", "Storage"]
    labels: NetworkLabels = Field(default_factory=NetworkLabels)
    vlan: Vlan | None = Field(default=None, description="VLAN for this traffic, if any.")


Provider = Literal[
    "VirtualRouter",
    "VpcVirtualRouter",
    "InternalLbVm",
    "ConfigDrive",
    "SecurityGroupProvider",
    "Tungsten",
]
Isolation = Literal[
    "VLAN", "VXLAN", "GRE", "STT", "BCF_SEGMENT", "SSP", "ODL", "L3VPN", "VCS", "TF", "L3"
]


def _default_providers() -> list[Provider]:
    return ["VirtualRouter"]


class PhysicalNetwork(SpecModel):
    """A physical network of a zone."""

    name: Name
    isolation: Isolation = "VLAN"
    vlan_ranges: list[Annotated[str, StringConstraints(pattern=r"^\d{1,8}(-\d{1,8})?$")]] = Field(
        default_factory=list, description="Guest VLAN/VNI ranges, e.g. '500-599'."
    )
    tags: list[Tag] = Field(
        default_factory=list,
        max_length=1,
        description="The physical network's tag (one at most): guest networks and offerings "
        "with this tag use it. Needed when a zone has several physical networks with Guest "
        "traffic.",
    )
    broadcast_domain_range: Literal["ZONE", "POD"] | None = Field(
        default=None,
        description="ZONE (Advanced zones) or POD (Basic zones); the zone's type decides it "
        "when omitted.",
    )
    speed: str | None = Field(default=None, description="Network speed, e.g. '10G'.")
    traffic: list[TrafficType] = Field(min_length=1)
    providers: list[Provider] = Field(
        default_factory=_default_providers, description="Network service providers to enable."
    )


class IpRange(SpecModel):
    """A start..end range of addresses inside a named subnet."""

    subnet: Name
    start: IPv4Address
    end: IPv4Address
    vlan: Vlan | None = Field(default=None, description="Overrides the subnet's VLAN.")


class Host(SpecModel):
    """A hypervisor host."""

    name: Name
    address: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Management address (IP or resolvable name) the management server adds, "
        "and the name or IP CloudStack lists the host under (listHosts ipaddress or name)."
    )
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = Field(
        default=None,
        description="addHost url when it is not http://<address>, e.g. http://sim/c0/h0 for a "
        "Simulator host. The host is still matched by its address.",
    )
    storage_address: IPv4Address | None = Field(
        default=None, description="Address on the storage subnet, if storage traffic is separated."
    )
    storage_interface: str | None = Field(
        default=None, description="NIC (or NIC.VLAN) that carries storage traffic, e.g. eth1."
    )
    os: OsFamily | None = Field(default=None, description="OS family of a KVM host.")
    hostname: HostName | None = Field(
        default=None,
        description=(
            "The host's own name (what `uname -n` prints, or its first labels) when it "
            "differs from name: OCFS2's cluster.conf names the node by it."
        ),
    )
    username: str = "root"
    password: Secret | None = None
    ssh_key: Secret | None = Field(
        default=None, description="Private key for apply --hosts ssh (with username)."
    )
    tags: list[Tag] = Field(default_factory=list, description="Host tags.")
    ha: bool = Field(default=False, description="Enable CloudStack host HA (KVM).")
    memory_gb: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="RAM, for the RBD cache estimate."
    )


class Workload(SpecModel):
    """The expected load of a cluster, for capacity rules (RBD cache RAM, datastore counts)."""

    vms_per_host: Annotated[int, Field(ge=0)] = 0
    volumes_per_vm: Annotated[int, Field(ge=0)] = 1


class VCenter(SpecModel):
    """The vCenter datacenter a zone maps to (addVmwareDc), one per zone."""

    # CloudStack adds a VMware cluster only to a zone mapped to a datacenter, and only a
    # cluster of that datacenter (apache/cloudstack VmwareServerDiscoverer.find); a zone
    # maps to one datacenter at most (VmwareManagerImpl.addVmwareDatacenter).

    host: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="vCenter server: IP address or fully qualified domain name."
    )
    datacenter: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Name of the vCenter datacenter the zone maps to."
    )
    username: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="vCenter user; VMware clusters of the zone are added with it."
    )
    password: Secret = Field(description="vCenter password as a secret reference.")


MOVED_KEYS = "x-moved"
"""JSON Schema keyword of a model: key -> where it went (the hint of an unknown key)."""


class Cluster(SpecModel):
    """A cluster of hosts of one hypervisor (VMware: the vCenter cluster of this name)."""

    # A VMware cluster is added by the url http://<vcenter>/<datacenter>/<name> of its
    # zone's vcenter; its ESXi hosts join through vCenter, not one by one.

    model_config = ConfigDict(
        json_schema_extra={
            MOVED_KEYS: {
                "vcenter": "vcenter moved to the zone: set it once on the cluster's zone "
                "(a zone maps to one vCenter datacenter, which CloudStack needs before "
                "any VMware cluster) and remove it here"
            }
        }
    )

    name: Name
    hypervisor: Hypervisor
    hypervisor_version: str | None = Field(default=None, description="e.g. '6.5' or '8.0'.")
    hosts: list[Host] = Field(default_factory=list)
    workload: Workload | None = None
    settings: Settings = _scoped("Cluster", "clusterid")


class Pod(SpecModel):
    """A pod: a management IP range and its clusters."""

    name: Name
    subnet: Name = Field(description="Management subnet of this pod.")
    start_ip: IPv4Address
    end_ip: IPv4Address
    storage_range: IpRange | None = Field(
        default=None, description="Storage network IP range for system VMs (in the storage subnet)."
    )
    clusters: list[Cluster] = Field(default_factory=list)
    guest_ranges: list[IpRange] = Field(
        default_factory=list,
        description="Basic zones: the pod's guest IP ranges in the zone's shared network "
        "(createVlanIpRange podid=.. networkid=.. forvirtualnetwork=false), each in a guest "
        "subnet.",
    )


class SharedNetwork(SpecModel):
    """A shared guest network of a zone (createNetwork with a Shared network offering).

    In a Basic zone there is exactly one, without ranges of its own: its addresses are
    the pods' guest_ranges. In an Advanced zone its ranges are zone-wide. Once it
    exists, only its display_text changes (updateNetwork); the other fields are fixed.
    With --prune, one the spec no longer names is deleted with its ranges (deleteNetwork).
    """

    name: Name
    display_text: str | None = Field(default=None, description="Defaults to the name.")
    offering: Annotated[str, StringConstraints(min_length=1)] = Field(
        default="DefaultSharedNetworkOfferingWithSGService",
        description="Network offering by name, as listNetworkOfferings shows it; a Shared one.",
    )
    physical_network: Name | None = Field(
        default=None,
        description="Physical network by name; the zone's one with Guest traffic if omitted.",
    )
    subnet: Name | None = Field(
        default=None,
        description="Guest subnet giving the network's gateway and netmask (Advanced zones).",
    )
    vlan: Vlan | None = Field(
        default=None, description="VLAN of the network (Advanced); untagged when omitted."
    )
    ranges: list[IpRange] = Field(
        default_factory=list,
        description="Zone-wide IP ranges in the network's subnet (Advanced zones).",
    )
    network_domain: str | None = Field(
        default=None, description="DNS domain of the network's instances (createNetwork)."
    )


class PrimaryStorage(SpecModel):
    """A primary storage pool on a backend."""

    name: Name
    backend: Name
    scope: Scope
    pod: Name | None = Field(default=None, description="With scope cluster.")
    cluster: Name | None = Field(default=None, description="With scope cluster.")
    hypervisor: Literal["KVM", "VMware", "XenServer", "Simulator", "Any"] | None = Field(
        default=None, description="With scope zone (SolidFire needs Any)."
    )
    tags: list[Tag] = Field(default_factory=list, description="Storage tags.")
    capacity_bytes: Annotated[int, Field(gt=0)] | None = None
    capacity_iops: Iops | None = None
    path: str | None = Field(default=None, description="Overrides the backend's export/path.")
    expected_volumes: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Volumes expected on this pool, for datastore/SR count limits."
    )
    settings: Settings = _scoped("StoragePool", "storageid")


class SecondaryStorage(SpecModel):
    """An image store."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=255)] = Field(
        description="Its name. Any text: CloudStack names a store added without one after "
        "its URL (StorageManagerImpl.discoverImageStore), e.g. nfs://10.0.0.5:/export/secondary."
    )
    backend: Name = Field(description="An nfs backend.")
    path: str | None = None
    settings: Settings = _scoped("ImageStore", "imagestoreuuid")


class Zone(SpecModel):
    """A zone and everything in it."""

    name: Name
    type: Literal["core", "edge"] = "core"
    network_type: Literal["Advanced", "Basic"] = "Advanced"
    security_groups: bool = Field(
        default=False,
        description="Security groups (createZone securitygroupenabled); always on in a Basic "
        "zone. An Advanced zone with security groups has no Public traffic and uses shared "
        "networks.",
    )
    dns: list[IPv4Address] = Field(min_length=1, max_length=2)
    internal_dns: list[IPv4Address] = Field(min_length=1, max_length=2)
    guest_cidr: IPv4Network | None = None
    network_domain: str | None = None
    local_storage: bool = False
    enabled: bool = True
    vcenter: VCenter | None = Field(
        default=None,
        description="The vCenter datacenter of the zone's VMware clusters (addVmwareDc).",
    )
    physical_networks: list[PhysicalNetwork] = Field(default_factory=list)
    public_ranges: list[IpRange] = Field(default_factory=list)
    shared_networks: list[SharedNetwork] = Field(
        default_factory=list, description="Shared guest networks of the zone."
    )
    pods: list[Pod] = Field(default_factory=list)
    primary_storage: list[PrimaryStorage] = Field(default_factory=list)
    secondary_storage: list[SecondaryStorage] = Field(default_factory=list)
    settings: Settings = _scoped("Zone", "zoneid")


# --- offerings -----------------------------------------------------------------


class NoQos(SpecModel):
    type: Literal["none"]


class HypervisorQos(SpecModel):
    """Rate limits enforced by the hypervisor."""

    type: Literal["hypervisor"]
    bytes_read_rate: Annotated[int, Field(gt=0)] | None = None
    bytes_write_rate: Annotated[int, Field(gt=0)] | None = None
    iops_read_rate: Annotated[int, Field(gt=0)] | None = None
    iops_write_rate: Annotated[int, Field(gt=0)] | None = None


class StorageQos(SpecModel):
    """IOPS guaranteed by managed storage (SolidFire)."""

    type: Literal["storage"]
    min_iops: Iops | None = None
    max_iops: Iops | None = None
    customized: bool = Field(default=False, description="Let users choose IOPS.")


Qos = Annotated[NoQos | HypervisorQos | StorageQos, Field(discriminator="type")]


class _Offering(SpecModel):
    name: Name
    display_text: str | None = Field(default=None, description="Defaults to the name.")
    storage_type: Literal["shared", "local"] = "shared"
    provisioning: Literal["thin", "sparse", "fat"] = "thin"
    storage_tags: list[Tag] = Field(default_factory=list)
    qos: Qos = Field(default_factory=lambda: NoQos(type="none"))
    hypervisor_snapshot_reserve: Annotated[int, Field(ge=0)] | None = Field(
        default=None,
        description="Percent of the volume reserved for hypervisor snapshots, at least 0 "
        "(ConfigurationManagerImpl.createDiskOfferingInternal; no upper bound).",
    )
    zones: list[Name] | None = Field(
        default=None, description="Zones it is offered in (all if omitted)."
    )
    domain: str | None = Field(default=None, description="Domain path; public if omitted.")


class DiskOffering(_Offering):
    """A disk offering."""

    size_gb: Annotated[int, Field(ge=1)] | None = None
    custom_size: bool = False


class ComputeOffering(_Offering):
    """A compute (service) offering."""

    cpu_number: Annotated[int, Field(ge=1)]
    cpu_speed_mhz: Annotated[int, Field(ge=1)]
    memory_mb: Annotated[int, Field(ge=32)]
    host_tags: list[Tag] = Field(default_factory=list)
    offer_ha: bool = False
    limit_cpu_use: bool = False
    root_disk_size_gb: Annotated[int, Field(ge=1)] | None = None


class Offerings(SpecModel):
    disk: list[DiskOffering] = Field(default_factory=list)
    compute: list[ComputeOffering] = Field(default_factory=list)


# --- templates -----------------------------------------------------------------


class Checksum(SpecModel):
    algorithm: Literal["md5", "sha1", "sha256", "sha384", "sha512"]
    value: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{32,128}$")]


class _Image(SpecModel):
    name: Name
    display_text: str | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://")] = Field(
        description="Download URL (http or https: UriUtils.validateUrl); its file name ends in "
        "an extension of the format (SPC378), or in .metalink for a metalink."
    )
    metalink: bool = Field(
        default=False, description="The URL is a metalink; its path ends in .metalink (SPC379)."
    )
    os_type: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="OS type by name, as listOsTypes shows it."
    )
    zones: list[Name] = Field(
        default_factory=list, description="Zones to register in; empty means all zones."
    )
    direct_download: bool = Field(default=False, description="KVM only, since 4.11.")
    checksum: Checksum | None = None
    public: bool = False
    featured: bool = False
    wait_ready: bool = Field(default=False, description="Plan waits until the image is Ready.")


class Template(_Image):
    """A template to register."""

    format: Literal["QCOW2", "RAW", "VHD", "VHDX", "OVA", "ISO", "TAR"]
    hypervisor: Hypervisor
    password_enabled: bool = False
    extractable: bool = False
    requires_hvm: bool = True


class Iso(_Image):
    """An ISO to register."""

    bootable: bool = True


# --- the spec ------------------------------------------------------------------


class CloudStackTarget(SpecModel):
    """Which CloudStack the spec targets; some rules depend on the version."""

    version: Annotated[str, StringConstraints(pattern=r"^4\.\d{1,2}(\.\d+){0,2}$")] = "4.18"


class Spec(SpecModel):
    """A whole CloudStack topology."""

    version: Literal[1] = Field(default=1, description="Spec format version.")
    cloudstack: CloudStackTarget = Field(default_factory=CloudStackTarget)
    subnets: list[Subnet] = Field(default_factory=list)
    backends: list[Backend] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list)
    offerings: Offerings = Field(default_factory=Offerings)
    templates: list[Template] = Field(default_factory=list)
    isos: list[Iso] = Field(default_factory=list)
    settings: Settings = Field(
        default_factory=dict,
        description="Global settings: name -> value (updateConfiguration name=.. value=..).",
    )
    domain_settings: list[DomainSettings] = Field(
        default_factory=list, description="Settings per domain (Domain-scoped settings)."
    )
    account_settings: list[AccountSettings] = Field(
        default_factory=list, description="Settings per account (Account-scoped settings)."
    )
