"""iSCSI host roles, shared by backends: the KVM initiator, SolidFire prerequisites.

KVM: the initiator package of the OS family, iscsid enabled, and the host's IQN
reported (SolidFire access groups and LUN masking need it); the solidfire and iscsi
backends both list :data:`KVM_ISCSI_INITIATOR`. VMware and XenServer hosts of the
solidfire and solidfire-shared backends get checks that run where their CLI exists
(``esxcli``, ``xe``) and print what to do by hand when a step cannot be scripted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from specc.core.steps import Check, HostScript

from .roles import HostRole
from .shell import ScriptBuilder, by_family, q
from .topology import Placed, PoolUse, pool_ids

if TYPE_CHECKING:
    from specc.spec.models import Backend, Spec


def _storage_vlan(spec: Spec, backend: Backend) -> int | None:
    for s in spec.subnets:
        if s.name == backend.subnet:
            return s.vlan
    return None


def _unreachable(portal: str, host: str) -> str:
    return f"{portal} does not answer: give {host} an IP on the storage VLAN"


def kvm_iscsi_script(
    placed: Placed,
    backends: tuple[str, ...],
    needed_by: tuple[str, ...],
    portals: tuple[str, ...] = (),
) -> HostScript:
    """The iSCSI initiator script of one KVM host (*portals*: SVIPs/targets to reach)."""
    host = placed.host
    b = ScriptBuilder(
        f"script:kvm-iscsi-initiator:{host.name}",
        host.name,
        host.address,
        "kvm-iscsi-initiator",
        host.os,
        f"iSCSI initiator on KVM host {host.name} for {', '.join(backends)}.",
    )
    b.packages = True
    b.need("did")
    b.section(
        "initiator package",
        by_family(
            host.os,
            {
                ("el7", "el8", "el9"): "ensure_pkgs iscsi-initiator-utils",
                ("debian", "ubuntu"): "ensure_pkgs open-iscsi",
            },
        ),
    )
    b.section(
        "iscsid enabled and running",
        "if ! systemctl is-enabled --quiet iscsid; then\n"
        "  systemctl enable iscsid\n"
        '  did "enabled iscsid"\nfi\n'
        "if ! systemctl is-active --quiet iscsid; then\n"
        "  systemctl start iscsid\n"
        '  did "started iscsid"\nfi',
    )
    b.section(
        "report the IQN",
        '[ -r "$ROOT/etc/iscsi/initiatorname.iscsi" ] || '
        'die "/etc/iscsi/initiatorname.iscsi is missing (reinstall the initiator package)"\n'
        "iqn=$(sed -n 's/^InitiatorName=//p' \"$ROOT/etc/iscsi/initiatorname.iscsi\")\n"
        '[ -n "$iqn" ] || die "no InitiatorName in /etc/iscsi/initiatorname.iscsi"\n'
        f'log "IQN of {host.name}: $iqn (allow it in the storage access group)"',
    )
    if portals:
        b.section(
            "the storage portals answer (an IP on the storage VLAN)",
            "\n".join(
                f"ping -c 1 -W 2 {q(p)} >/dev/null 2>&1 || die {q(_unreachable(p, host.name))}"
                for p in portals
            )
            + f"\nlog {q('reachable: ' + ', '.join(portals))}",
        )
    b.section(
        "verify",
        "if sessions=$(iscsiadm -m session 2>/dev/null); then\n"
        '  log "iSCSI sessions:"\n'
        "  printf '%s\\n' \"$sessions\"\n"
        "else\n"
        '  log "no iSCSI session yet (CloudStack logs in when it attaches a volume)"\nfi',
    )
    return HostScript(
        id=b.script_id,
        host=host.name,
        address=host.address,
        role="kvm-iscsi-initiator",
        script=b.render(),
        needed_by=needed_by,
        description=f"Install the iSCSI initiator on {host.name} and report its IQN",
        os=host.os,
    )


def solidfire_prereq_script(
    spec: Spec, placed: Placed, backends: tuple[Backend, ...], needed_by: tuple[str, ...]
) -> HostScript:
    """Checks (and instructions) for a VMware or XenServer host using SolidFire."""
    host = placed.host
    hv = placed.cluster.hypervisor
    svip_list = sorted({a.address for be in backends for a in be.storage_addresses()})
    svips = ", ".join(svip_list)
    vlans = sorted({v for be in backends if (v := _storage_vlan(spec, be)) is not None})
    vlan_txt = ", ".join(str(v) for v in vlans) or "the SVIP network"
    role = "esxi-solidfire-prereq" if hv == "VMware" else "xenserver-solidfire-prereq"
    b = ScriptBuilder(
        f"script:{role}:{host.name}",
        host.name,
        host.address,
        role,
        None,
        f"{hv} host {host.name}: SolidFire host prerequisites (SVIP {svips}).\n"
        + (
            "Run it on a workstation: it checks the ESXi host over ssh (ESXi has no bash).\n"
            if hv == "VMware"
            else "Run it in the host's dom0.\n"
        )
        + "Steps that cannot be scripted are printed as instructions; the script fails\n"
        "until they are done.",
    )
    b.need("log", "die")
    missing = "missing=0"
    if hv == "VMware":
        manual = (
            "Enable the software iSCSI adapter (esxcli iscsi software set --enabled=true), "
            f"create a VMkernel port on a vSwitch port group in VLAN {vlan_txt} with an IP in "
            f"the SVIP subnet, and bind it to the software iSCSI adapter "
            "(esxcli iscsi networkportal add -A vmhbaNN -n vmkN)."
        )
        unreachable = (
            f"cannot run esxcli on {host.address} over ssh (enable SSH on the host); "
            f"do by hand: {manual}"
        )
        body = (
            f"{missing}\n"
            f"esx() {{ ssh -n -o BatchMode=yes -o ConnectTimeout=10 {q('root@' + host.address)} "
            '"$@"; }\n'
            "if ! esx esxcli --version >/dev/null 2>&1; then\n"
            f"  log {q(unreachable)}\n"
            "  exit 1\nfi\n"
            'if [ "$(esx esxcli iscsi software get)" != true ]; then\n'
            "  log 'the software iSCSI adapter is disabled'\n  missing=1\nfi\n"
            'if [ -z "$(esx esxcli iscsi networkportal list 2>/dev/null)" ]; then\n'
            "  log 'no VMkernel port is bound to the software iSCSI adapter'\n  missing=1\nfi\n"
            + "".join(
                f"if ! esx vmkping -c 1 {q(sv)} >/dev/null 2>&1; then\n"
                f"  log {q(f'SVIP {sv} does not answer from a VMkernel port')}\n  missing=1\nfi\n"
                for sv in svip_list
            )
            + f'[ "$missing" -eq 0 ] || die {q("to do by hand: " + manual)}\n'
            "log 'ESXi iSCSI prerequisites: OK'"
        )
    else:
        vlan_check = ""
        if vlans:
            vlan_check = (
                f'if [ -z "$(xe pif-list VLAN={vlans[0]} host-name-label={q(host.name)} '
                'params=IP --minimal)" ]; then\n'
                f"  log 'no PIF with an IP on storage VLAN {vlans[0]}'\n  missing=1\nfi\n"
            )
        manual = (
            f"create a network on storage VLAN {vlan_txt} (xe network-create, xe vlan-create) "
            "and give this host's PIF on it an IP in the SVIP subnet "
            "(xe pif-reconfigure-ip mode=static)."
        )
        body = (
            f"{missing}\n"
            "if ! command -v xe >/dev/null 2>&1; then\n"
            f"  log {q('not a XenServer dom0: do by hand: ' + manual)}\n"
            "  exit 1\nfi\n"
            + vlan_check
            + "".join(
                f"if ! ping -c 1 -W 2 {q(sv)} >/dev/null 2>&1; then\n"
                f"  log {q(f'SVIP {sv} does not answer from dom0')}\n  missing=1\nfi\n"
                for sv in svip_list
            )
            + f'[ "$missing" -eq 0 ] || die {q("to do by hand: " + manual)}\n'
            "log 'XenServer storage network prerequisites: OK'"
        )
    b.section("host prerequisites", body)
    return HostScript(
        id=b.script_id,
        host=host.name,
        address=host.address,
        role=role,
        script=b.render(),
        needed_by=needed_by,
        description=f"Check the SolidFire prerequisites of {hv} host {host.name}",
        os=None,
    )


def _kvm_iscsi(spec: Spec, placed: Placed, uses: tuple[PoolUse, ...]) -> HostScript:
    names = tuple(sorted({u.backend.name for u in uses}))
    portals = tuple(sorted({a.address for u in uses for a in u.backend.storage_addresses()}))
    return kvm_iscsi_script(placed, names, pool_ids(uses), portals)


def _solidfire_prereq(spec: Spec, placed: Placed, uses: tuple[PoolUse, ...]) -> HostScript:
    backends = {u.backend.name: u.backend for u in uses}
    return solidfire_prereq_script(
        spec, placed, tuple(backends[n] for n in sorted(backends)), pool_ids(uses)
    )


KVM_ISCSI_INITIATOR = HostRole(
    name="kvm-iscsi-initiator",
    runs_on="KVM hosts of SolidFire (1:1) or iSCSI pools",
    does=(
        "`iscsi-initiator-utils` (yum/dnf) or `open-iscsi` (apt), `iscsid` enabled and "
        "running, prints the IQN from `/etc/iscsi/initiatorname.iscsi`, pings the "
        "SVIP/portal (fails without an IP on the storage VLAN); `iscsiadm -m session`"
    ),
    rollback="nothing to undo; `systemctl disable --now iscsid` if unused",
    hypervisors=frozenset({"KVM"}),
    build=_kvm_iscsi,
)
ESXI_SOLIDFIRE_PREREQ = HostRole(
    name="esxi-solidfire-prereq",
    runs_on="a workstation (checks the ESXi host over ssh)",
    does=(
        "software iSCSI adapter enabled, a VMkernel port bound to it, the SVIP answers "
        "`vmkping`; prints what to do by hand (vSwitch port group in the SVIP VLAN) and "
        "fails until done"
    ),
    rollback="checks only: nothing to undo",
    local=True,  # ESXi has no bash: the script checks the host over ssh
    checks_only=True,
    hypervisors=frozenset({"VMware"}),
    build=_solidfire_prereq,
)
XENSERVER_SOLIDFIRE_PREREQ = HostRole(
    name="xenserver-solidfire-prereq",
    runs_on="the XenServer dom0",
    does=("a PIF with an IP on the storage VLAN, the SVIP answers `ping`; instructions otherwise"),
    rollback="checks only: nothing to undo",
    checks_only=True,
    hypervisors=frozenset({"XenServer"}),
    build=_solidfire_prereq,
)


def iscsi_checks(backend: str, uses: tuple[PoolUse, ...]) -> tuple[Check, ...]:
    """Per host that mounts *backend*'s pools: its iSCSI sessions, SRs or datastores."""
    placed = {p.host.name: p for u in uses for p in u.hosts}
    out: list[Check] = []
    for h in sorted(placed):
        hv = placed[h].cluster.hypervisor
        cid = f"check:iscsi:{h}:{backend}"
        if hv == "KVM":
            out.append(
                Check(
                    cid,
                    f"{h} has iSCSI sessions to {backend} once a volume is attached",
                    "iscsiadm -m session",
                    h,
                )
            )
        elif hv == "XenServer":
            out.append(
                Check(
                    cid,
                    f"the SRs of {backend} are attached on {h} (currently-attached true)",
                    "xe pbd-list params=sr-uuid,currently-attached",
                    h,
                )
            )
        elif hv == "VMware":
            out.append(
                Check(
                    cid,
                    f"the datastores of {backend} are mounted on {h}",
                    "esxcli storage filesystem list",
                    h,
                )
            )
    return tuple(out)
