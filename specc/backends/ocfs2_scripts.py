"""The OCFS2 backend's host script: one member of the o2cb cluster.

Every member gets the packages and kernel module, ``/etc/ocfs2/cluster.conf`` from
the member list, the o2cb settings from the sources (heartbeat dead threshold 31,
idle timeout 30000 ms, keepalive 2000 ms, reconnect 2000 ms), port 7777 tcp+udp
open, an fstab line with ``_netdev``, the mount, and both services of ocfs2-tools
enabled: ``o2cb`` (brings the cluster online) and ``ocfs2`` (``mount -at ocfs2``
after it at boot; ocfs2-tools ``vendor/common/ocfs2.service``, ``ocfs2.init``).
Exactly one member (``format_on``, else the first) runs ``mkfs.ocfs2 -N
<members + 1>``, and refuses when the device already carries any other file system.

o2cb finds its own node in cluster.conf by the host name: a node is local when its
name equals ``gethostname()``, or the host name's first labels up to a dot, compared
without case (ocfs2-tools ``o2cb_ctl/op_register.c`` ``node_is_local``; o2cb(7): "The
node name needs to match the hostname. It does not need to include the domain
name"). So a member's node name is its ``hostname`` (else its spec name), and the
script checks ``uname -n`` against it before it writes anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from specc.core.steps import HostScript
from specc.hosts.shell import ScriptBuilder, by_family, q

if TYPE_CHECKING:  # ocfs2 imports this module
    from specc.backends.ocfs2 import Ocfs2Backend
    from specc.hosts.topology import Placed
    from specc.spec.models import Host


O2CB_SETTINGS: tuple[tuple[str, str], ...] = (
    ("O2CB_ENABLED", "true"),
    ("O2CB_STACK", "o2cb"),
    ("O2CB_HEARTBEAT_THRESHOLD", "31"),
    ("O2CB_IDLE_TIMEOUT_MS", "30000"),
    ("O2CB_KEEPALIVE_DELAY_MS", "2000"),
    ("O2CB_RECONNECT_DELAY_MS", "2000"),
)


def node_name(host: Host) -> str:
    """The member's name in cluster.conf: its own host name, else its spec name."""
    return host.hostname or host.name


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
            f"\tname = {node_name(m.host)}",
            f"\tcluster = {backend.cluster_name}",
            "",
        ]
    out += ["cluster:", f"\tnode_count = {len(members)}", f"\tname = {backend.cluster_name}"]
    return "\n".join(out) + "\n"


def format_host(backend: Ocfs2Backend) -> str:
    """The one member that runs mkfs.ocfs2."""
    return backend.format_on or backend.hosts[0]


def _hostname_check(host: Host) -> str:
    """Bash that stops unless o2cb would take this host for node ``node_name(host)``."""
    node = node_name(host)
    how = (
        f"Set the host name to {node} (hostnamectl set-hostname {node}), or set hostname: "
        f"to this host's name on host {host.name} in the spec."
    )
    return (
        "host=$(uname -n)\n"
        f"node={q(node)}\n"
        'case "${host,,}" in\n'
        '  "${node,,}"|"${node,,}".*) log "this host ($host) is node $node" ;;\n'
        '  *) die "this host is called $host (uname -n; hostname -s: ${host%%.*}), but '
        "cluster.conf names it $node: o2cb finds its own node by the host name and would "
        f'not find it. {how}" ;;\n'
        "esac"
    )


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
        f"OCFS2 cluster {backend.cluster_name} ({backend.name}): member {host.name} "
        f"(node {node_name(host)}), {backend.device} on {mp}."
        + (
            "\nThis member formats the device (once; refuses a device with a file system)."
            if formats
            else ""
        ),
    )
    b.packages = True
    b.need("did", "write_file", "line_in_file")
    b.section(
        f"this host is node {node_name(host)} (o2cb matches cluster.conf to the host name)",
        _hostname_check(host),
    )
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
        f"fstab and mount on {mp}, mounted again at boot by the ocfs2 service",
        f'if [ ! -d "$ROOT"{q(mp)} ]; then\n'
        f'  mkdir -p "$ROOT"{q(mp)}\n'
        f'  did "created {mp}"\nfi\n'
        f"if awk -v mp={q(mp)} '$2 == mp' \"$ROOT/etc/fstab\" 2>/dev/null |\n"
        f"  grep -vxF {q(fstab)} >/dev/null; then\n"
        f'  die "/etc/fstab already mounts something else on {mp}"\nfi\n'
        f"line_in_file /etc/fstab {q(fstab)}\n"
        f'if ! mountpoint -q "$ROOT"{q(mp)}; then\n'
        f'  mount -t ocfs2 -o _netdev {dev} "$ROOT"{q(mp)}\n'
        f'  did "mounted {mp}"\nfi\n'
        "# ocfs2.service runs `mount -at ocfs2` after o2cb.service at boot\n"
        "if ! systemctl is-enabled --quiet ocfs2; then\n"
        "  systemctl enable ocfs2\n"
        '  did "enabled ocfs2 (mounts the OCFS2 lines of /etc/fstab at boot)"\nfi',
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
