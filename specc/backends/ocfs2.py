"""OCFS2 over a shared SAN LUN on KVM hosts, added as SharedMountPoint (rules SPC35x).

Everything specc knows about it: the spec model; the rules; the pool URL
``SharedMountPoint://localhost/<mount point>`` of the default provider (apache/
cloudstack ``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``, scheme
``sharedMountPoint``: each host mounts the path itself); the member host scripts;
checks, runbook warnings and rollback notes.

A LUN shared by several KVM hosts needs a clustered file system; every host that
mounts the pool must be a node of the OCFS2 cluster (a ``node:`` stanza with its
``ip_address``), and mkfs runs on one member only. The sources give no maximum node
count (``mkfs.ocfs2 -N`` takes nodes + 1 slots), so none is enforced here.

Every member gets the packages and kernel module, ``/etc/ocfs2/cluster.conf`` from
the member list, the o2cb settings from the sources (heartbeat dead threshold 31,
idle timeout 30000 ms, keepalive 2000 ms, reconnect 2000 ms), port 7777 tcp+udp
open, an fstab line with ``_netdev`` and the mount. Exactly one member (``format_on``,
else the first) runs ``mkfs.ocfs2 -N <members + 1>``, and refuses when the device
already carries any other file system; the other members' scripts run after it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from specc.backends.base import BackendModel, PoolParams, PoolSite, StorageBackend
from specc.core.steps import Check, HostScript
from specc.errors import Severity
from specc.hosts.order import run_after
from specc.hosts.roles import Role
from specc.hosts.shell import ScriptBuilder, by_family, q
from specc.hosts.topology import Placed, PoolUse, find_host, pool_ids
from specc.spec.rules import Finding, Rule
from specc.spec.rules.topology import backend_named, host_index, hosts_mounting, iter_pools
from specc.spec.types import Name

if TYPE_CHECKING:
    from specc.spec.models import PrimaryStorage, Spec

E = Severity.ERROR
W = Severity.WARNING


class Ocfs2Backend(BackendModel):
    """A SAN LUN shared by KVM hosts through OCFS2, added as SharedMountPoint."""

    type: Literal["ocfs2"]
    device: Annotated[str, StringConstraints(pattern=r"^/dev/")] = Field(
        description="Block device of the shared LUN, e.g. /dev/mapper/mpatha."
    )
    label: Annotated[str, StringConstraints(min_length=1, max_length=63)] = Field(
        description="Volume label (mkfs.ocfs2 -L), at most 63 characters: ocfs2_fs.h "
        "OCFS2_MAX_VOL_LABEL_LEN is 64 with the final NUL."
    )
    mount_point: Annotated[str, StringConstraints(pattern=r"^/")] = Field(
        description="Same path on every host, e.g. /san/primary."
    )
    cluster_name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]{1,16}$")] = Field(
        default="ocfs2",
        description="The o2cb cluster name, at most 16 characters (ocfs2_fs.h "
        "OCFS2_CLUSTER_NAME_LEN).",
    )
    hosts: list[Name] = Field(min_length=1, description="Names of the member hosts.")
    format_on: Name | None = Field(
        default=None, description="The one host that runs mkfs.ocfs2 (default: the first member)."
    )


# --- rules -------------------------------------------------------------------------


def _ocfs2(spec: Spec) -> Iterator[tuple[int, Ocfs2Backend]]:
    for bi, b in enumerate(spec.backends):
        if isinstance(b, Ocfs2Backend):
            yield bi, b


def missing_members(spec: Spec) -> Iterator[Finding]:
    """SPC224: every OCFS2 member and its format_on host is a declared host."""
    if not any(isinstance(b, Ocfs2Backend) for b in spec.backends):
        return
    hosts = host_index(spec)
    for bi, backend in _ocfs2(spec):
        for j, member in enumerate(backend.hosts):
            if member not in hosts:
                yield Finding(
                    "SPC224",
                    E,
                    ("backends", bi, "hosts", j),
                    f"OCFS2 backend '{backend.name}' lists member '{member}', "
                    "which is not a declared host",
                    "List the names of hosts declared under a cluster.",
                )
        if backend.format_on is not None and backend.format_on not in backend.hosts:
            yield Finding(
                "SPC224",
                E,
                ("backends", bi, "format_on"),
                f"OCFS2 backend '{backend.name}' formats on '{backend.format_on}', "
                "which is not one of its members",
                f"Pick one of: {', '.join(backend.hosts)} (mkfs.ocfs2 runs on one member only).",
            )


def node_count(spec: Spec) -> Iterator[Finding]:
    """SPC350: an OCFS2 cluster has at least two distinct member hosts (warning).

    Advice, not a limit: o2cb and ``mkfs.ocfs2`` accept a one-node cluster and
    CloudStack's SharedMountPoint pool does not know OCFS2; one host gains nothing
    from a clustered file system (the seed's OCFS2 article shares a LUN between hosts).
    """
    for bi, b in _ocfs2(spec):
        n = len(set(b.hosts))
        if n < 2:
            yield Finding(
                "SPC350",
                W,
                ("backends", bi, "hosts"),
                f"OCFS2 backend '{b.name}' has {n} member host; a shared LUN with a clustered "
                "file system needs at least 2",
                "List every KVM host that mounts the LUN; for a single host use local storage.",
            )


def duplicate_members(spec: Spec) -> Iterator[Finding]:
    """SPC351: an OCFS2 member is listed once (node numbers come from the order)."""
    for bi, b in _ocfs2(spec):
        seen: set[str] = set()
        for j, member in enumerate(b.hosts):
            if member in seen:
                yield Finding(
                    "SPC351",
                    E,
                    ("backends", bi, "hosts", j),
                    f"OCFS2 backend '{b.name}' lists host '{member}' twice",
                    "List each member once: cluster.conf numbers nodes by position.",
                )
            seen.add(member)


def members_are_kvm(spec: Spec) -> Iterator[Finding]:
    """SPC352: every OCFS2 member is a KVM host with an IP address for cluster.conf."""
    backends = list(_ocfs2(spec))
    hosts = host_index(spec) if backends else {}
    for bi, b in backends:
        for j, member in enumerate(b.hosts):
            at = hosts.get(member)
            if at is None:
                continue  # SPC224
            if at.cluster.hypervisor != "KVM":
                yield Finding(
                    "SPC352",
                    E,
                    ("backends", bi, "hosts", j),
                    f"OCFS2 member '{member}' is in {at.cluster.hypervisor} cluster "
                    f"'{at.cluster.name}'; SharedMountPoint with OCFS2 is for KVM hosts",
                    "List KVM hosts only.",
                )


def pool_on_kvm_cluster(spec: Spec) -> Iterator[Finding]:
    """SPC353: an OCFS2 pool is cluster scope on a KVM cluster."""
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if not isinstance(backend, Ocfs2Backend):
            continue
        if at.pool.scope != "cluster":
            yield Finding(
                "SPC353",
                E,
                (*at.path, "scope"),
                f"OCFS2 pool '{at.pool.name}' has scope {at.pool.scope}",
                "Use scope cluster: mask the LUN so that each cluster sees only its own.",
            )
            continue
        for pod in at.zone.pods:
            for cluster in pod.clusters:
                if (pod.name, cluster.name) == (at.pool.pod, at.pool.cluster) and (
                    cluster.hypervisor != "KVM"
                ):
                    yield Finding(
                        "SPC353",
                        E,
                        (*at.path, "cluster"),
                        f"OCFS2 pool '{at.pool.name}' is on {cluster.hypervisor} cluster "
                        f"'{cluster.name}'",
                        "SharedMountPoint over OCFS2 is a KVM setup; use a KVM cluster.",
                    )


def cluster_hosts_are_members(spec: Spec) -> Iterator[Finding]:
    """SPC354: every host of the OCFS2 pool's cluster is a member of the OCFS2 cluster."""
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if not isinstance(backend, Ocfs2Backend) or at.pool.scope != "cluster":
            continue
        members = set(backend.hosts)
        for host_at in hosts_mounting(at):
            if host_at.host.name not in members:
                yield Finding(
                    "SPC354",
                    E,
                    (*host_at.path, "name"),
                    f"host '{host_at.host.name}' mounts OCFS2 pool '{at.pool.name}' but is not "
                    f"a member of backend '{backend.name}'",
                    "Add it to the backend's hosts: a node outside cluster.conf cannot mount "
                    "the file system.",
                )


def members_in_one_cluster(spec: Spec) -> Iterator[Finding]:
    """SPC355: OCFS2 members outside the cluster that mounts the pool (warning)."""
    backends = list(_ocfs2(spec))
    if not backends:
        return
    hosts = host_index(spec)
    pools_by_backend: dict[str, set[tuple[str, str | None, str | None]]] = {}
    for at in iter_pools(spec):
        if at.pool.scope != "cluster":
            continue  # SPC353
        pools_by_backend.setdefault(at.pool.backend, set()).add(
            (at.zone.name, at.pool.pod, at.pool.cluster)
        )
    for bi, b in backends:
        places = pools_by_backend.get(b.name)
        if not places:
            continue
        for j, member in enumerate(b.hosts):
            member_at = hosts.get(member)
            if member_at is None:
                continue
            if (member_at.zone.name, member_at.pod.name, member_at.cluster.name) not in places:
                yield Finding(
                    "SPC355",
                    W,
                    ("backends", bi, "hosts", j),
                    f"OCFS2 member '{member}' is in cluster '{member_at.cluster.name}', which does "
                    f"not mount backend '{b.name}'",
                    "Mask LUNs so each cluster sees only its own; remove the member or attach "
                    "the pool to its cluster.",
                )


def one_cluster_per_lun(spec: Spec) -> Iterator[Finding]:
    """SPC356: an OCFS2 LUN is mounted by one cluster only (warning)."""
    first: dict[str, tuple[str, str | None]] = {}
    for at in iter_pools(spec):
        backend = backend_named(spec, at.pool.backend)
        if not isinstance(backend, Ocfs2Backend) or at.pool.scope != "cluster":
            continue
        place = (at.zone.name, at.pool.cluster)
        seen = first.setdefault(backend.name, place)
        if seen != place:
            yield Finding(
                "SPC356",
                W,
                (*at.path, "backend"),
                f"OCFS2 backend '{backend.name}' is mounted by cluster '{at.pool.cluster}' "
                f"and already by cluster '{seen[1]}' (zone '{seen[0]}')",
                "Give each cluster its own LUN and mask LUNs on the SAN so that each cluster "
                "sees only its own.",
            )


RULES: tuple[Rule, ...] = (
    missing_members,
    node_count,
    duplicate_members,
    members_are_kvm,
    pool_on_kvm_cluster,
    cluster_hosts_are_members,
    members_in_one_cluster,
    one_cluster_per_lun,
)

# --- host scripts ------------------------------------------------------------------


O2CB_SETTINGS: tuple[tuple[str, str], ...] = (
    ("O2CB_ENABLED", "true"),
    ("O2CB_STACK", "o2cb"),
    ("O2CB_HEARTBEAT_THRESHOLD", "31"),
    ("O2CB_IDLE_TIMEOUT_MS", "30000"),
    ("O2CB_KEEPALIVE_DELAY_MS", "2000"),
    ("O2CB_RECONNECT_DELAY_MS", "2000"),
)


def node_ip(placed: Placed) -> str:
    """The address a member uses in cluster.conf: its storage address, else its address."""
    host = placed.host
    return str(host.storage_address) if host.storage_address else host.address


def cluster_conf(backend: Ocfs2Backend, members: tuple[Placed, ...]) -> str:
    """The text of /etc/ocfs2/cluster.conf for *members* (numbered from 0 in spec order)."""
    out: list[str] = []
    for n, m in enumerate(members):
        out += [
            "node:",
            "\tip_port = 7777",
            f"\tip_address = {node_ip(m)}",
            f"\tnumber = {n}",
            f"\tname = {m.host.name}",
            f"\tcluster = {backend.cluster_name}",
            "",
        ]
    out += ["cluster:", f"\tnode_count = {len(members)}", f"\tname = {backend.cluster_name}"]
    return "\n".join(out) + "\n"


def format_host(backend: Ocfs2Backend) -> str:
    """The one member that runs mkfs.ocfs2."""
    return backend.format_on or backend.hosts[0]


def ocfs2_node_script(
    backend: Ocfs2Backend,
    placed: Placed,
    members: tuple[Placed, ...],
    needed_by: tuple[str, ...],
) -> HostScript:
    """The OCFS2 member script of one host (with mkfs on the format host only)."""
    host = placed.host
    formats = host.name == format_host(backend)
    dev = q(backend.device)
    mp = backend.mount_point
    b = ScriptBuilder(
        f"script:ocfs2-node:{backend.name}:{host.name}",
        host.name,
        host.address,
        "ocfs2-node",
        host.os,
        f"OCFS2 cluster {backend.cluster_name} ({backend.name}): member {host.name}, "
        f"{backend.device} on {mp}."
        + (
            "\nThis member formats the device (once; refuses a device with a file system)."
            if formats
            else ""
        ),
    )
    b.packages = True
    b.need("did", "write_file", "line_in_file")
    b.section(
        "ocfs2-tools and the ocfs2 kernel module (el: a repository with ocfs2-tools and a "
        "kernel with OCFS2, e.g. Oracle's UEK)",
        by_family(
            host.os,
            {
                ("el7", "el8", "el9"): "ensure_pkgs ocfs2-tools",
                ("debian", "ubuntu"): "ensure_pkgs ocfs2-tools",
            },
        )
        + "\nif ! lsmod | awk '{print $1}' | grep -x ocfs2 >/dev/null; then\n"
        "  modprobe ocfs2\n"
        '  did "loaded the ocfs2 module"\nfi\n'
        "write_file /etc/modules-load.d/ocfs2.conf 0644 <<'EOF'\nocfs2\nEOF",
    )
    b.section(
        f"/etc/ocfs2/cluster.conf ({len(members)} nodes)",
        "write_file /etc/ocfs2/cluster.conf 0644 <<'EOF'\n"
        + cluster_conf(backend, members)
        + "EOF",
    )
    conf_lines = "\n".join(f"{k}={v}" for k, v in O2CB_SETTINGS)
    b.section(
        "o2cb configuration and service",
        by_family(
            host.os,
            {
                ("el7", "el8", "el9"): "o2cb_conf=/etc/sysconfig/o2cb",
                ("debian", "ubuntu"): "o2cb_conf=/etc/default/o2cb",
            },
        )
        + f"\nwrite_file \"$o2cb_conf\" 0644 <<'EOF'\n{conf_lines}\n"
        f"O2CB_BOOTCLUSTER={backend.cluster_name}\nEOF\n"
        "if ! systemctl is-enabled --quiet o2cb; then\n"
        "  systemctl enable o2cb\n"
        '  did "enabled o2cb"\nfi\n'
        "if ! systemctl is-active --quiet o2cb; then\n"
        "  systemctl start o2cb\n"
        '  did "started o2cb"\nfi\n'
        f"if ! o2cb cluster-status {q(backend.cluster_name)} >/dev/null 2>&1; then\n"
        f"  o2cb register-cluster {q(backend.cluster_name)}\n"
        f'  did "cluster {backend.cluster_name} online"\nfi',
    )
    b.section(
        "firewall: 7777/tcp and 7777/udp",
        "if systemctl is-active --quiet firewalld; then\n"
        "  for proto in tcp udp; do\n"
        '    if ! firewall-cmd --permanent --query-port="7777/$proto" >/dev/null; then\n'
        '      firewall-cmd --permanent --add-port="7777/$proto" >/dev/null\n'
        '      did "firewalld: 7777/$proto (permanent)"\n    fi\n'
        '    if ! firewall-cmd --query-port="7777/$proto" >/dev/null; then\n'
        '      firewall-cmd --add-port="7777/$proto" >/dev/null\n'
        '      did "firewalld: 7777/$proto"\n    fi\n'
        "  done\nelse\n"
        "  for proto in tcp udp; do\n"
        '    if ! iptables -C INPUT -p "$proto" --dport 7777 -j ACCEPT 2>/dev/null; then\n'
        '      iptables -I INPUT -p "$proto" --dport 7777 -j ACCEPT\n'
        '      did "iptables: 7777/$proto (save the rules to keep them after a reboot)"\n'
        "    fi\n  done\nfi",
    )
    n = len(members) + 1
    if formats:
        b.section(
            f"format {backend.device} once (-N {n})",
            f"fstype=$(blkid -o value -s TYPE {dev} 2>/dev/null || true)\n"
            f"label=$(blkid -o value -s LABEL {dev} 2>/dev/null || true)\n"
            'if [ -z "$fstype" ]; then\n'
            f"  mkfs.ocfs2 -L {q(backend.label)} -T vmstore --fs-feature-level=max-compat "
            f"{dev} -N {n} < /dev/null\n"
            f'  did "formatted {backend.device} as OCFS2 ({backend.label})"\n'
            f'elif [ "$fstype" = ocfs2 ] && [ "$label" = {q(backend.label)} ]; then\n'
            f'  log "{backend.device} already carries OCFS2 {backend.label}: not formatting"\n'
            "else\n"
            f'  die "REFUSING to format {backend.device}: it already carries a $fstype file '
            "system (label '$label'). Wipe it by hand if it is really unused.\"\n"
            "fi",
        )
    else:
        b.section(
            f"{backend.device} formatted by {format_host(backend)}",
            f'[ "$(blkid -o value -s TYPE {dev} 2>/dev/null || true)" = ocfs2 ] || '
            f'die "{backend.device} is not OCFS2 yet: run the ocfs2-node script on '
            f'{format_host(backend)} first"',
        )
    fstab = f"{backend.device} {mp} ocfs2 _netdev,defaults 0 0"
    b.section(
        f"fstab and mount on {mp}",
        f'if [ ! -d "$ROOT"{q(mp)} ]; then\n'
        f'  mkdir -p "$ROOT"{q(mp)}\n'
        f'  did "created {mp}"\nfi\n'
        f"if awk -v mp={q(mp)} '$2 == mp' \"$ROOT/etc/fstab\" 2>/dev/null |\n"
        f"  grep -vxF {q(fstab)} >/dev/null; then\n"
        f'  die "/etc/fstab already mounts something else on {mp}"\nfi\n'
        f"line_in_file /etc/fstab {q(fstab)}\n"
        f'if ! mountpoint -q "$ROOT"{q(mp)}; then\n'
        f'  mount -t ocfs2 -o _netdev {dev} "$ROOT"{q(mp)}\n'
        f'  did "mounted {mp}"\nfi',
    )
    b.section(
        "verify",
        f"mounted.ocfs2 -f {dev}\n"
        f'mountpoint -q "$ROOT"{q(mp)} || die "{mp} is not mounted"\n'
        f'log "{mp}: OCFS2 mounted"',
    )
    depends = () if formats else (f"script:ocfs2-node:{backend.name}:{format_host(backend)}",)
    return HostScript(
        id=b.script_id,
        host=host.name,
        address=host.address,
        role="ocfs2-node",
        script=b.render(),
        needed_by=needed_by,
        depends_on=depends,
        description=(
            f"Join {host.name} to OCFS2 cluster {backend.cluster_name} and mount {mp}"
            + (f" (formats {backend.device})" if formats else "")
        ),
        os=host.os,
    )


# --- the plug-in -------------------------------------------------------------------

OCFS2_NODE = Role(
    name="ocfs2-node",
    script_id="script:ocfs2-node:<backend>:<host>",
    runs_on="each member in `hosts`",
    does=(
        "`ocfs2-tools`, the `ocfs2` module (and `/etc/modules-load.d`), "
        "`/etc/ocfs2/cluster.conf` (a `node:` stanza per member: `ip_port = 7777`, "
        "`ip_address` = storage address else address, `number` from 0, `name`, `cluster`; a "
        "`cluster:` stanza with `node_count` and `name`), `/etc/sysconfig/o2cb` or "
        "`/etc/default/o2cb` (heartbeat dead threshold 31, idle timeout 30000 ms, keepalive "
        "2000 ms, reconnect 2000 ms), `o2cb` enabled and the cluster registered, 7777/tcp "
        "and 7777/udp (firewalld when it runs, else iptables), the fstab line `<device> "
        "<mount point> ocfs2 _netdev,defaults 0 0`, mount; `mounted.ocfs2 -f`. On the "
        "`format_on` member (default: the first) only: `mkfs.ocfs2 -L <label> -T vmstore "
        "--fs-feature-level=max-compat <device> -N <members + 1>` when `blkid` finds no file "
        "system; skips a device that already carries OCFS2 with this label; **refuses** "
        "(exit 1) a device with any other file system. The other members run after it "
        "(`after`) and stop if the device is not OCFS2 yet"
    ),
    rollback=(
        "`umount <mount point>`, remove its /etc/fstab line, `systemctl disable --now o2cb`; "
        "never run mkfs.ocfs2 again on a LUN that holds VM disks"
    ),
)


class Ocfs2(StorageBackend[Ocfs2Backend]):
    """SharedMountPoint over OCFS2: cluster scope, KVM (its rules SPC352/353 say so)."""

    type = "ocfs2"
    model = Ocfs2Backend
    provider = "DefaultPrimary"
    scopes = frozenset({"cluster"})
    hypervisors = frozenset({"KVM"})
    checks_fit = True
    rules = RULES
    roles = (OCFS2_NODE,)

    def pool(self, backend: Ocfs2Backend, pool: PrimaryStorage, site: PoolSite) -> PoolParams:
        """``SharedMountPoint://localhost/<mount point>`` (the pool's ``path`` overrides it)."""
        return PoolParams(f"SharedMountPoint://localhost{pool.path or backend.mount_point}")

    def backend_scripts(
        self,
        spec: Spec,
        backend: Ocfs2Backend,
        uses: tuple[PoolUse, ...],
        network: Mapping[str, str],
    ) -> tuple[HostScript, ...]:
        """One script per declared member, each after its storage-network script."""
        members = tuple(m for name in backend.hosts if (m := find_host(spec, name)) is not None)
        need = pool_ids(uses)
        return tuple(
            run_after(
                ocfs2_node_script(backend, m, members, need),
                (network[m.resource],) if m.resource in network else (),
            )
            for m in members
        )

    def preflight_checks(
        self, spec: Spec, backend: Ocfs2Backend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """Each member sees the LUN, and its host name is its name in cluster.conf."""
        if not uses:
            return ()
        out: list[Check] = []
        for h in backend.hosts:
            out += [
                Check(
                    f"preflight:ocfs2-device:{backend.name}:{h}",
                    f"{h} sees the shared LUN {backend.device} (masked from other clusters)",
                    f"lsblk {backend.device}",
                    h,
                ),
                Check(
                    f"preflight:ocfs2-hostname:{backend.name}:{h}",
                    f"the host name of {h} is `{h}`: o2cb matches cluster.conf names to it",
                    "hostname",
                    h,
                ),
            ]
        return tuple(out)

    def verification_checks(
        self, spec: Spec, backend: Ocfs2Backend, uses: tuple[PoolUse, ...]
    ) -> tuple[Check, ...]:
        """The file system is mounted on every member."""
        if not uses:
            return ()
        return tuple(
            Check(
                f"check:ocfs2-mounted:{h}:{backend.name}",
                f"{backend.device} is mounted on {backend.mount_point} on every member",
                f"mounted.ocfs2 -f {backend.device}",
                h,
            )
            for h in backend.hosts
        )

    def warnings(
        self,
        spec: Spec,
        backend: Ocfs2Backend,
        uses: tuple[PoolUse, ...],
        version: tuple[int, ...],
    ) -> tuple[str, ...]:
        """mkfs.ocfs2 runs once; LUN masking."""
        if not uses:
            return ()
        return (
            f"OCFS2 {backend.name}: mkfs.ocfs2 runs once, on {format_host(backend)} only; "
            "running it again destroys every VM disk on the LUN. Mask LUNs so each cluster "
            "sees only its own.",
        )

    def rollback_notes(self, backend: Ocfs2Backend) -> dict[str, str]:
        """Each member's mount, fstab line and o2cb service."""
        be = backend
        return {
            f"script:ocfs2-node:{be.name}:{h}": (
                f"`umount {be.mount_point}`, delete the line `{be.device} {be.mount_point} "
                "ocfs2 _netdev,defaults 0 0` from /etc/fstab, `systemctl disable --now o2cb`; "
                f"never format {be.device} again while it holds VM disks"
            )
            for h in be.hosts
        }
