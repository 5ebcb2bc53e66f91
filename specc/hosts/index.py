"""The files ``specc scripts`` writes: one script per host and role, and an index.

``script_files`` returns relative path -> text (scripts, ``index.md`` and
``index.json``), so the CLI only writes and the tests compare golden files.
"""

from __future__ import annotations

import json

from specc.core.steps import HostScript
from specc.hosts.collect import LOCAL_ROLES
from specc.hosts.order import ordered_scripts


def script_filename(script: HostScript) -> str:
    """The file name of a host script: its id without ``script:``, colons as ``__``.

    >>> s = HostScript("script:kvm-ceph-client:kvm1", "kvm1", "10.0.0.1", "kvm-ceph-client", "")
    >>> script_filename(s)
    'kvm-ceph-client__kvm1.sh'
    """
    return script.id.removeprefix("script:").replace(":", "__") + ".sh"


def _secret_names(s: HostScript) -> list[str]:
    return [f"${x.name}" if x.source == "env" else f"file {x.name}" for x in s.secrets]


def script_files(scripts: tuple[HostScript, ...], spec_hash: str) -> dict[str, str]:
    """Relative path -> file text for *scripts*, plus ``index.md`` and ``index.json``.

    The index lists the scripts in the order to run them (dependencies first).
    """
    order = ordered_scripts(scripts)
    files = {script_filename(s): s.script for s in order}
    entries = [
        {
            "id": s.id,
            "host": s.host,
            "address": s.address,
            "role": s.role,
            "os": s.os,
            "path": script_filename(s),
            "description": s.description,
            "before": list(s.needed_by),
            "after": list(s.depends_on),
            "reads_secrets": _secret_names(s),
            "runs_on": "workstation" if s.role in LOCAL_ROLES else "host",
        }
        for s in order
    ]
    files["index.json"] = (
        json.dumps({"spec_hash": spec_hash, "scripts": entries}, indent=2, sort_keys=True) + "\n"
    )
    md = [
        "# Host scripts",
        "",
        f"Spec `{spec_hash}`. Run them in this order, each on its host as root "
        "(`ssh root@ADDRESS bash -s < FILE`; those marked *workstation* with `bash FILE` "
        "on a machine that reaches the host or array), before the API steps named under "
        "*before*. "
        "Every script is idempotent: rerunning it changes nothing that is already right.",
        "",
    ]
    if not order:
        md.append("This spec needs no host scripts.")
    else:
        md += [
            "| # | host | role | file | what it does | before |",
            "|---|------|------|------|--------------|--------|",
        ]
        for n, s in enumerate(order, 1):
            host = f"{s.host} ({s.address})" if s.host != s.address else s.host
            if s.role in LOCAL_ROLES:
                host += ", from a *workstation*"
            before = ", ".join(f"`{b}`" for b in s.needed_by) or "-"
            md.append(
                f"| {n} | {host} | {s.role} | `{script_filename(s)}` | {s.description} | {before} |"
            )
        secrets = sorted({x for s in order for x in _secret_names(s)})
        if secrets:
            md += [
                "",
                "Secrets read at run time (set them on the host first): " + ", ".join(secrets),
            ]
    files["index.md"] = "\n".join(md) + "\n"
    return files
