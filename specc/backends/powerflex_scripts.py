"""The PowerFlex backend's host script and checks: each KVM host's SDC, the gateway.

CloudStack does not install the PowerFlex SDC (Storage Data Client) but needs it on
every KVM host that mounts a PowerFlex pool; the agent drives it as
apache/cloudstack ``ScaleIOUtil`` (plugins/storage/volume/scaleio/.../util/, 4.18.2.5
and 4.22.1.0) does:

- the SDC home: ``powerflex.sdc.home.dir`` in /etc/cloudstack/agent/agent.properties,
  else ``DEFAULT_SDC_HOME_PATH`` /opt/emc/scaleio/sdc (``getSdcHomePath``), with
  ``<home>/bin/drv_cfg``;
- the ``scini`` service: ``systemctl status scini`` exits 4 when it is not installed
  ("SDC service not installed on host"), then ``is-enabled``/``enable`` and
  ``is-active``/``start`` (4.22.1.0 ``ScaleIOStorageAdaptor.prepareStorageClient``);
  the service loads the scini kernel driver;
- the MDMs: ``drv_cfg --query_mdms`` lists them (``getMdmsFromCliCmd`` parses
  ``IPs [0]-a [1]-b``); the missing ones are added with ``drv_cfg --add_mdm --ip
  <a,b> --file /etc/emc/scaleio/drv_cfg.txt`` (``addMdms``, after
  ``isMdmPresent`` filtered the present ones, in 4.22.1.0 ``prepareStorageClient``);
- the SDC's GUID (``drv_cfg --query_guid``, a UUID, ``getSdcGuid``), by which the
  management server finds the host's SDC at the gateway (``ScaleIOHostListener``).

The script does the same, idempotently: it installs the SDC only when the spec names
its package (Dell's RPM/DEB reads the MDMs from ``MDM_IP`` at install time), and
restarts scini when the driver is not loaded. The checks log in to the gateway as the
management server does (``ScaleIOGatewayClientImpl.authenticate``: ``GET /api/login``
with basic auth, the token then as the password) and list its storage pools and SDCs
(``/types/StoragePool/instances``, ``/types/Sdc/instances``, ``mdmConnectionState``
``Connected``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from specc.core.steps import Check, HostScript
from specc.hosts.shell import ScriptBuilder, q, sq
from specc.spec.types import EnvSecret

if TYPE_CHECKING:  # powerflex imports this module
    from specc.backends.powerflex import PowerFlexBackend
    from specc.hosts.topology import Placed, PoolUse

DEFAULT_SDC_HOME = "/opt/emc/scaleio/sdc"
"""ScaleIOUtil.DEFAULT_SDC_HOME_PATH."""
AGENT_PROPERTIES = "/etc/cloudstack/agent/agent.properties"
SDC_HOME_KEY = "powerflex.sdc.home.dir"
MANAGEMENT_SERVER = "the management server"
"""Where the gateway checks run: the gateway answers the management server."""
DRV_CFG_FILE = "/etc/emc/scaleio/drv_cfg.txt"
"""ScaleIOUtil.DRV_CFG_FILE: where drv_cfg --add_mdm --file keeps the MDMs."""

# The MDM addresses drv_cfg --query_mdms lists ("... IPs [0]-a [1]-b"), one per line.
_KNOWN_MDMS = (
    "drv_cfg --query_mdms | sed -n 's/.*IPs[[:space:]]*//p' |\n"
    "    grep -oE '\\[[0-9]+\\]-[^[:space:]]+' | sed 's/^\\[[0-9]*\\]-//' || true"
)


def _password(backend: PowerFlexBackend) -> str:
    """The shell expression of the gateway password (its reference, never its value)."""
    if isinstance(backend.password, EnvSecret):
        return f'"${backend.password.env}"'
    return f'"$(cat {q(backend.password.file)})"'


def _api(backend: PowerFlexBackend) -> str:
    port = f":{backend.gateway_port}" if backend.gateway_port else ""
    return f"https://{backend.gateway}{port}/api"


def _login(backend: PowerFlexBackend) -> str:
    """Shell that logs in (GET /api/login) and keeps the session token in ``t``."""
    return (
        f"t=$(curl -sk --fail -u {sq(backend.user)}:{_password(backend)} "
        f"{_api(backend)}/login | tr -d '\"')"
    )


def gateway_checks(backend: PowerFlexBackend) -> tuple[Check, ...]:
    """Before anything: the gateway logs the user in and lists the storage pool; the
    password has no ':' (the server would cut it)."""
    name = backend.name
    pool = backend.storage_pool.replace("'", "")
    if isinstance(backend.password, EnvSecret):
        has_colon = f'case "${backend.password.env}" in *:*) false ;; esac'
    else:
        has_colon = f"! grep -q : {q(backend.password.file)}"
    return (
        Check(
            f"preflight:powerflex-gateway:{name}",
            f"the PowerFlex gateway of {name} logs {backend.user} in and lists the storage "
            f"pool {backend.storage_pool} (the management server calls the gateway)",
            f'{_login(backend)} && curl -sk --fail -u {sq(backend.user)}:"$t" '
            f'{_api(backend)}/types/StoragePool/instances | grep -F \'"name":"{pool}"\'',
            MANAGEMENT_SERVER,
        ),
        Check(
            f"preflight:powerflex-password:{name}",
            f"the gateway password of {name} has no ':' (CloudStack splits the URL's user "
            "info at ':')",
            has_colon,
            None,
        ),
    )


def sdc_checks(backend: PowerFlexBackend, uses: tuple[PoolUse, ...]) -> tuple[Check, ...]:
    """Once the pools exist: each host's SDC knows the MDMs and has a GUID; the gateway
    lists the SDCs Connected."""
    name = backend.name
    home = backend.sdc_home or DEFAULT_SDC_HOME
    out = [
        Check(
            f"check:powerflex-sdc:{h}",
            f"the SDC on {h} lists the MDMs ({', '.join(str(m) for m in backend.mdms)}) and "
            "has a GUID",
            f"{home}/bin/drv_cfg --query_mdms && {home}/bin/drv_cfg --query_guid",
            h,
        )
        for h in sorted({p.host.name for u in uses for p in u.hosts})
    ]
    out.append(
        Check(
            f"check:powerflex-sdcs:{name}",
            f"the gateway of {name} lists every host's SDC with mdmConnectionState Connected",
            f'{_login(backend)} && curl -sk --fail -u {sq(backend.user)}:"$t" '
            f'{_api(backend)}/types/Sdc/instances | grep -o \'"mdmConnectionState":"[A-Za-z]*"\'',
            MANAGEMENT_SERVER,
        )
    )
    return tuple(out)


def sdc_script(
    placed: Placed, backends: tuple[PowerFlexBackend, ...], needed_by: tuple[str, ...]
) -> HostScript:
    """The script that makes one KVM host a PowerFlex SDC of *backends* (sorted by name).

    One SDC serves every PowerFlex system of the host: the SDC home and package are
    the first backend's that sets them; each system's MDMs are added on their own.
    """
    host = placed.host
    names = ", ".join(b.name for b in backends)
    b = ScriptBuilder(
        f"script:kvm-powerflex-sdc:{host.name}",
        host.name,
        host.address,
        "kvm-powerflex-sdc",
        host.os,
        f"KVM host {host.name} as PowerFlex SDC of {names}: the SDC, scini and its "
        "driver, the MDMs.",
    )
    b.need("did")
    home = next((be.sdc_home for be in backends if be.sdc_home), None)
    package = next((be.sdc_package for be in backends if be.sdc_package), None)
    props = f'"$ROOT"{AGENT_PROPERTIES}'
    if home is not None:
        want = f"{SDC_HOME_KEY}={home}"
        b.section(
            f"the SDC home {home} in agent.properties ({SDC_HOME_KEY})",
            f"props={props}\n"
            f'if ! grep -qxF {q(want)} "$props" 2>/dev/null; then\n'
            '  mkdir -p "$(dirname "$props")"\n'
            '  [ -f "$props" ] || : > "$props"\n'
            "  tmp=$(mktemp)\n"
            f'  grep -v \'^{SDC_HOME_KEY.replace(".", "[.]")}=\' "$props" > "$tmp" || true\n'
            f"  printf '%s\\n' {q(want)} >> \"$tmp\"\n"
            '  cat "$tmp" > "$props"\n'
            '  rm -f "$tmp"\n'
            f'  did "set {want} in {AGENT_PROPERTIES}"\n'
            "  if systemctl is-active --quiet cloudstack-agent; then\n"
            "    systemctl restart cloudstack-agent\n"
            '    did "restarted cloudstack-agent (it reads the SDC home at start)"\n'
            "  fi\n"
            "fi\n"
            f"SDC_HOME={q(home)}",
        )
    else:
        b.section(
            "the SDC home (agent.properties, as the agent reads it)",
            f"SDC_HOME=$(sed -n 's/^{SDC_HOME_KEY.replace('.', '[.]')}=//p' {props} "
            "2>/dev/null | tail -n 1 || true)\n"
            f'SDC_HOME="${{SDC_HOME:-{DEFAULT_SDC_HOME}}}"\n'
            'log "SDC home: $SDC_HOME"',
        )
    all_mdms = ",".join(str(m) for be in backends for m in be.mdms)
    install = ""
    if package is not None:
        b.packages = True
        install = (
            f"# the package's install scriptlet reads the MDMs from MDM_IP\n"
            f"export MDM_IP={q(all_mdms)}\n"
            f"ensure_pkgs {q(package)}\n"
            "unset MDM_IP\n"
        )
    b.section(
        "the SDC: drv_cfg and the scini service",
        'PATH="$SDC_HOME/bin:$PATH"\n'
        + install
        + 'command -v drv_cfg >/dev/null || die "drv_cfg is not in $SDC_HOME/bin: install '
        "Dell's PowerFlex SDC package (MDM_IP=<mdms> rpm -i EMC-ScaleIO-sdc-*.rpm), or set "
        'sdc_home"\n'
        "rc=0\n"
        "systemctl status scini >/dev/null 2>&1 || rc=$?\n"
        '[ "$rc" -ne 4 ] || die "the scini service is not installed (SDC service not '
        'installed on host): reinstall the SDC package"',
    )
    b.section(
        "scini enabled and running",
        "if ! systemctl is-enabled --quiet scini; then\n"
        "  systemctl enable scini\n"
        '  did "enabled scini"\nfi\n'
        "if ! systemctl is-active --quiet scini; then\n"
        "  systemctl start scini\n"
        '  did "started scini"\nfi',
    )
    b.section(
        "the scini kernel driver loaded",
        "scini_loaded() { lsmod | awk '$1 == \"scini\" { found = 1 } END { exit !found }'; }\n"
        "if ! scini_loaded; then\n"
        "  systemctl restart scini\n"
        '  did "restarted scini: its kernel driver was not loaded"\n'
        '  scini_loaded || die "the scini driver does not load (no SDC driver for kernel '
        '$(uname -r)?): see systemctl status scini"\n'
        "fi\n"
        'log "scini driver loaded"',
    )
    for be in backends:
        mdms = " ".join(str(m) for m in be.mdms)
        b.section(
            f"the MDMs of {be.name} ({', '.join(str(m) for m in be.mdms)})",
            f"known=$({_KNOWN_MDMS})\n"
            "missing=()\n"
            f"for ip in {mdms}; do\n"
            '  grep -qxF "$ip" <<< "$known" || missing+=("$ip")\n'
            "done\n"
            "if [ ${#missing[@]} -gt 0 ]; then\n"
            "  list=$(IFS=,; printf '%s' \"${missing[*]}\")\n"
            f'  drv_cfg --add_mdm --ip "$list" --file {DRV_CFG_FILE}\n'
            f'  did "added MDM(s) $list of {be.name}"\n'
            f"  known=$({_KNOWN_MDMS})\n"
            f"  for ip in {mdms}; do\n"
            '    grep -qxF "$ip" <<< "$known" || die "the SDC does not list MDM $ip after '
            'drv_cfg --add_mdm"\n'
            "  done\n"
            "fi\n"
            f'log "the SDC lists the MDMs of {be.name}"',
        )
    b.section(
        "verify: the SDC's GUID",
        "guid=$(drv_cfg --query_guid | tr -d '[:space:]')\n"
        "uuid='^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$'\n"
        '[[ "$guid" =~ $uuid ]] || die "drv_cfg --query_guid gave no GUID: the SDC is not '
        'configured"\n'
        f'log "SDC GUID of {host.name}: $guid (the gateway must list it Connected)"',
    )
    return HostScript(
        id=b.script_id,
        host=host.name,
        address=host.address,
        role="kvm-powerflex-sdc",
        script=b.render(),
        needed_by=needed_by,
        description=f"Prepare KVM host {host.name} as PowerFlex SDC ({names})",
        os=host.os,
        secrets=(),
    )
