"""The StorPool backend's host script: a check that a KVM host is a StorPool client.

specc does not install StorPool: its client (the ``storpool_block`` service, the
``storpool`` CLI, ``storpool_confget`` and ``/etc/storpool.conf``) comes from
StorPool's own installer. The script only checks what the CloudStack agent's side of
the plug-in runs (apache/cloudstack ``plugins/storage/volume/storpool``, 4.18.2.5
and 4.22.1.0), says what is missing, and exits non-zero until it is there:

- ``storpool_confget`` answers ``SP_CLUSTER_ID``: without it
  ``StorPoolModifyStorageCommandWrapper.execute`` answers ``spNotFound`` and the pool
  is never connected on the host; and ``SP_OURID``: ``StorPoolStoragePool`` reads it
  as the host's storage node id (the KVM HA heartbeat compares it with
  ``storpool -j service list``);
- ``/dev/storpool-byid`` exists: every volume is attached as
  ``/dev/storpool-byid/<global id>`` (``StorPoolUtil.SP_DEV_PATH``), the device links
  of the StorPool block client;
- ``storpool -j service list`` answers: the agent attaches and detaches volumes with
  the ``storpool`` CLI (``StorPoolStorageAdaptor.attachOrDetachVolume``), so the host
  must reach the StorPool API (the plug-in's README: "Agents should have access to
  the StorPool management API"); this is the command the HA check runs
  (``StorPoolStoragePool.executeStorPoolServiceListCmd``).

When the host's own API endpoint (``SP_API_HTTP_HOST``/``SP_API_HTTP_PORT`` from
``storpool_confget``) is not the pool url's, the script says so without failing:
the management server uses the url's, the host its own configuration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from specc.core.steps import HostScript
from specc.hosts.shell import ScriptBuilder, q

if TYPE_CHECKING:  # storpool imports this module
    from specc.backends.storpool import StorPoolBackend
    from specc.hosts.topology import Placed

ROLE = "kvm-storpool-client"


def _missing_client(host: str) -> str:
    return (
        f"the StorPool client is not installed on {host} (missing:$missing): install and "
        "configure it with StorPool's installer, then run this script again; specc does "
        "not install StorPool"
    )


def kvm_storpool_script(
    placed: Placed, backends: tuple[StorPoolBackend, ...], needed_by: tuple[str, ...]
) -> HostScript:
    """The check script of one KVM host for the StorPool *backends* its pools use."""
    host = placed.host
    names = ", ".join(b.name for b in backends)
    b = ScriptBuilder(
        f"script:{ROLE}:{host.name}",
        host.name,
        host.address,
        ROLE,
        host.os,
        f"KVM host {host.name} as a client of StorPool backend(s) {names}.\n"
        "Checks only: specc does not install StorPool; the script says what is missing\n"
        "and fails until the StorPool client is installed and configured.",
    )
    b.need("log", "die")
    b.section(
        "the StorPool client tools",
        'missing=""\n'
        "for tool in storpool_confget storpool; do\n"
        '  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"\n'
        "done\n"
        f'[ -z "$missing" ] || die "{_missing_client(host.name)}"',
    )
    b.section(
        "storpool_confget answers SP_CLUSTER_ID and SP_OURID",
        "conf=$(storpool_confget < /dev/null) ||\n"
        "  die 'storpool_confget failed: the StorPool configuration (/etc/storpool.conf) "
        "is missing or broken'\n"
        'conf_value() { printf \'%s\\n\' "$conf" | sed -n "s/^$1=//p" | head -n 1; }\n'
        "cluster_id=$(conf_value SP_CLUSTER_ID)\n"
        "our_id=$(conf_value SP_OURID)\n"
        '[ -n "$cluster_id" ] || die "storpool_confget gives no SP_CLUSTER_ID: the '
        'CloudStack agent would answer spNotFound and never connect the pool"\n'
        '[ -n "$our_id" ] || die "storpool_confget gives no SP_OURID: the CloudStack agent '
        "needs this host's StorPool node id\"\n"
        'log "StorPool cluster $cluster_id, node $our_id"',
    )
    b.section(
        "the devices of the StorPool block client (/dev/storpool-byid)",
        '[ -d "$ROOT/dev/storpool-byid" ] || die "/dev/storpool-byid is missing: the '
        "StorPool block client (storpool_block) is not running on this host; CloudStack "
        'attaches every volume as /dev/storpool-byid/<id>"',
    )
    checks = []
    for be in backends:
        endpoint = be.endpoint
        rest = f"the pool url of {be.name} names {endpoint}: both must be the same cluster"
        checks.append(
            f'if [ "$host_api" != : ] && [ "$host_api" != {q(endpoint)} ]; then\n'
            f'  log "note: this host\'s StorPool API is $host_api," {q(rest)}\nfi'
        )
    b.section(
        "the StorPool API answers (storpool -j service list)",
        "storpool -j service list < /dev/null >/dev/null 2>&1 ||\n"
        "  die 'storpool -j service list failed: this host does not reach the StorPool API "
        "(the agent attaches every volume through it)'\n"
        'host_api="$(conf_value SP_API_HTTP_HOST):$(conf_value SP_API_HTTP_PORT)"\n'
        + "\n".join(checks)
        + '\nlog "the StorPool API answers ($host_api)"',
    )
    return HostScript(
        id=b.script_id,
        host=host.name,
        address=host.address,
        role=ROLE,
        script=b.render(),
        needed_by=needed_by,
        description=f"Check that {host.name} is a StorPool client ({names})",
        os=host.os,
    )
