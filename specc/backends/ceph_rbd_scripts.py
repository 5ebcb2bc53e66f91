"""The Ceph RBD backend's host scripts: the admin node (pool and key), the KVM clients.

Admin node: create the pool (replicated: pg_num and size; erasure: a k+m profile
and EC overwrites), ``rbd pool init``, and the client key with the rbd profiles,
written to a root-only file and never echoed. KVM client: ceph-common/librbd (and
libvirt's RBD driver on el8+), a check that librbd is at least the cluster's
minimum client release, the ``[client]`` RBD cache settings merged into ceph.conf,
and the admin keyring only when the spec asks for it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from specc.core.steps import HostScript
from specc.hosts.shell import ScriptBuilder, by_family, q
from specc.spec.types import EnvSecret

if TYPE_CHECKING:  # ceph_rbd imports this module
    from specc.backends.ceph_rbd import CephBackend
    from specc.hosts.topology import Placed

# Minimum librbd version of each Ceph release (its first stable point release).
RELEASE_VERSIONS: dict[str, str] = {
    "jewel": "10.2.0",
    "luminous": "12.2.0",
    "mimic": "13.2.0",
    "nautilus": "14.2.0",
    "octopus": "15.2.0",
    "pacific": "16.2.0",
    "quincy": "17.2.0",
    "reef": "18.2.0",
    "squid": "19.2.0",
}


def key_file(backend: CephBackend) -> str:
    """Where the admin script stores the client key (the secret file, if one is named)."""
    if isinstance(backend.secret, EnvSecret):
        return f"/etc/ceph/ceph.client.{backend.user}.key"
    return backend.secret.file


def admin_host(backend: CephBackend, placed: Placed | None) -> tuple[str, str]:
    """The admin node's (host name, address): a spec host, the named node, or the first MON."""
    if placed is not None:
        return placed.host.name, placed.host.address
    node = backend.admin_node or backend.monitors[0]
    return node, node


def _ec_profile(spec_profile: str) -> tuple[str, str]:
    """(profile name, 'k=.. m=..' or '') for an erasure profile given as 'k+m' or a name.

    >>> _ec_profile("4+2")
    ('specc-k4-m2', 'k=4 m=2')
    >>> _ec_profile("myprofile")
    ('myprofile', '')
    """
    m = re.fullmatch(r"(\d+)\+(\d+)", spec_profile.strip())
    if m:
        return f"specc-k{m[1]}-m{m[2]}", f"k={m[1]} m={m[2]}"
    return spec_profile, ""


def ceph_admin_script(
    backend: CephBackend, placed: Placed | None, needed_by: tuple[str, ...]
) -> HostScript:
    """The script that prepares the Ceph pool and client key on the admin node."""
    host, address = admin_host(backend, placed)
    os = placed.host.os if placed else None
    pool = backend.pool
    b = ScriptBuilder(
        f"script:ceph-admin:{backend.name}",
        host,
        address,
        "ceph-admin",
        os,
        f"Ceph backend {backend.name}: pool {pool.name} ({pool.kind}) "
        f"and key client.{backend.user}.",
    )
    b.need("did", "die")
    b.section(
        "the cluster answers",
        "command -v ceph >/dev/null || die 'ceph CLI not found: run this on a node with the "
        "admin keyring'\n"
        "ceph -s >/dev/null || die 'ceph -s failed: no admin access to the cluster'",
    )
    P = q(pool.name)
    if pool.kind == "erasure":
        name, km = _ec_profile(pool.erasure_profile or "4+2")
        prof = ""
        if km:
            prof = (
                f"if ! ceph osd erasure-code-profile get {q(name)} >/dev/null 2>&1; then\n"
                f"  ceph osd erasure-code-profile set {q(name)} {km}\n"
                f'  did "erasure-code profile {name} ({km})"\nfi\n'
            )
        b.section(
            f"erasure-coded pool {pool.name}",
            prof + f"if ! ceph osd pool ls | grep -xF {P} >/dev/null; then\n"
            f"  ceph osd pool create {P} {pool.pg_num} {pool.pg_num} erasure {q(name)}\n"
            f'  did "created pool {pool.name}"\nfi\n'
            f"if [ \"$(ceph osd pool get {P} allow_ec_overwrites | awk '{{print $2}}')\" "
            '!= "true" ]; then\n'
            f"  ceph osd pool set {P} allow_ec_overwrites true\n"
            f'  did "allow_ec_overwrites on {pool.name}"\nfi',
        )
    else:
        b.section(
            f"replicated pool {pool.name}, pg_num {pool.pg_num}, size {pool.size}",
            f"if ! ceph osd pool ls | grep -xF {P} >/dev/null; then\n"
            f"  ceph osd pool create {P} {pool.pg_num} {pool.pg_num} replicated\n"
            f'  did "created pool {pool.name}"\nfi\n'
            f"size=$(ceph osd pool get {P} size | awk '{{print $2}}')\n"
            f'if [ "$size" != {pool.size} ]; then\n'
            f"  ceph osd pool set {P} size {pool.size}\n"
            f'  did "size of {pool.name}: $size -> {pool.size}"\nfi',
        )
    b.section(
        "rbd pool init",
        f"if ! ceph osd pool application get {P} 2>/dev/null | grep '\"rbd\"' >/dev/null; then\n"
        f"  rbd pool init {P}\n"
        f'  did "rbd pool init {pool.name}"\nfi',
    )
    user = q(f"client.{backend.user}")
    kf = key_file(backend)
    b.section(
        f"client key client.{backend.user} (stored root-only in {kf}, never printed)",
        f"osd_caps={q(f'profile rbd pool={pool.name}')}\n"
        f"if ! ceph auth get {user} >/dev/null 2>&1; then\n"
        f"  ceph auth get-or-create {user} mon 'profile rbd' osd \"$osd_caps\" >/dev/null\n"
        f'  did "created {user}"\nfi\n'
        "# only the caps lines are kept: the key itself never reaches a variable or the output\n"
        f"caps=$(ceph auth get {user} 2>/dev/null | grep -E '^[[:space:]]*caps' |\n"
        "  sed 's/^[[:space:]]*//' || true)\n"
        'if ! grep -qxF "caps mon = \\"profile rbd\\"" <<< "$caps" ||\n'
        '  ! grep -qxF "caps osd = \\"$osd_caps\\"" <<< "$caps"; then\n'
        f"  ceph auth caps {user} mon 'profile rbd' osd \"$osd_caps\"\n"
        f'  did "caps of {user} set to the rbd profiles"\nfi\n'
        f'keyfile="$ROOT"{q(kf)}\n'
        'mkdir -p "$(dirname "$keyfile")"\n'
        f'if [ ! -s "$keyfile" ] || ! cmp -s <(ceph auth get-key {user}) "$keyfile"; then\n'
        f'  (umask 077 && ceph auth get-key {user} > "$keyfile")\n'
        f'  did "key written to {kf} (mode 0600)"\nfi\n'
        'chmod 600 "$keyfile"',
    )
    where = (
        f"the environment variable {backend.secret.env}"
        if isinstance(backend.secret, EnvSecret)
        else f"the file {backend.secret.file}"
    )
    hand = (
        f"specc apply reads the key from {where}: on the machine that runs it, provide it "
        f"from {kf} (copy the file; never paste the key into a log or a chat)"
    )
    b.section("hand the key to specc", f"log {q(hand)}")
    b.section(
        "verify",
        "health=$(ceph health | awk '{print $1}')\n"
        'case "$health" in\n'
        '  HEALTH_OK) log "ceph health: HEALTH_OK" ;;\n'
        '  HEALTH_WARN) log "WARNING: ceph health is HEALTH_WARN (check ceph -s: clock skew?)" ;;\n'
        '  *) die "ceph health is $health" ;;\nesac\n'
        f"rbd ls {P} >/dev/null || die 'rbd ls {pool.name} failed'\n"
        f'log "rbd ls {pool.name}: OK"',
    )
    return HostScript(
        id=b.script_id,
        host=host,
        address=address,
        role="ceph-admin",
        script=b.render(),
        needed_by=needed_by,
        description=f"Create Ceph pool {pool.name} and key client.{backend.user} on {host}",
        os=os,
        secrets=(),
    )


def kvm_ceph_client_script(
    placed: Placed,
    backends: tuple[CephBackend, ...],
    needed_by: tuple[str, ...],
    admin_hosts: dict[str, str],
) -> HostScript:
    """The script that makes one KVM host a Ceph RBD client of *backends*."""
    host = placed.host
    os = host.os
    names = ", ".join(b.name for b in backends)
    b = ScriptBuilder(
        f"script:kvm-ceph-client:{host.name}",
        host.name,
        host.address,
        "kvm-ceph-client",
        os,
        f"KVM host {host.name} as RBD client of Ceph backend(s) {names}.",
    )
    b.packages = True
    b.need("did", "version_ge", "ini_set")
    b.section(
        "ceph-common, librbd and libvirt's RBD storage driver",
        by_family(
            os,
            {
                ("el7",): "ensure_pkgs ceph-common librbd1",
                ("el8", "el9"): "ensure_pkgs ceph-common librbd1 libvirt-daemon-driver-storage-rbd",
                ("debian", "ubuntu"): (
                    "ensure_pkgs ceph-common librbd1 libvirt-daemon-driver-storage-rbd"
                ),
            },
        ),
    )
    release = max((b_.min_client_release for b_ in backends), key=lambda r: RELEASE_VERSIONS[r])
    need = RELEASE_VERSIONS[release]
    b.section(
        f"librbd at least {release} ({need})",
        "have=$(pkg_version librbd1)\n"
        f'version_ge "$have" {need} || die "librbd1 $have is older than {need} ({release}, '
        "the cluster's minimum client release): add the Ceph repository of that release "
        '(download.ceph.com) and upgrade ceph-common librbd1"\n'
        f'log "librbd1 $have >= {need}"',
    )
    for be in backends:
        cache = be.rbd_cache
        lines = [
            f"ini_set /etc/ceph/ceph.conf global 'mon host' {q(','.join(be.monitors))}",
            f"ini_set /etc/ceph/ceph.conf client 'rbd cache' {str(cache.enabled).lower()}",
            "ini_set /etc/ceph/ceph.conf client 'rbd cache writethrough until flush' "
            f"{str(cache.writethrough_until_flush).lower()}",
            f"ini_set /etc/ceph/ceph.conf client 'rbd cache size' {cache.size_mb * 1024 * 1024}",
        ]
        b.section(f"ceph.conf for {be.name} (merged, other settings kept)", "\n".join(lines))
        if be.copy_admin_keyring:
            src = admin_hosts.get(be.name, be.monitors[0])
            kr = "/etc/ceph/ceph.client.admin.keyring"
            b.section(
                f"admin keyring from {src} (copy_admin_keyring)",
                f'if [ ! -s "$ROOT"{kr} ]; then\n'
                '  mkdir -p "$ROOT/etc/ceph"\n'
                f'  (umask 077 && scp -q -o BatchMode=yes {q(src + ":" + kr)} "$ROOT"{kr})\n'
                f'  did "copied {kr} from {src}"\nfi\n'
                f'chmod 600 "$ROOT"{kr}',
            )
    b.section(
        "verify",
        "virsh pool-list --all >/dev/null || die 'libvirt does not answer (virsh pool-list)'\n"
        'log "libvirt answers; CloudStack defines the RBD pool when the storage pool is added"',
    )
    return HostScript(
        id=b.script_id,
        host=host.name,
        address=host.address,
        role="kvm-ceph-client",
        script=b.render(),
        needed_by=needed_by,
        description=f"Prepare KVM host {host.name} as a Ceph RBD client ({names})",
        os=os,
        secrets=(),
    )
