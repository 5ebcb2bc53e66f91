"""The runbook: a plan an operator can follow by hand, as Markdown or HTML.

In execution order: preflight checks; every step (host scripts with their text,
API calls as CloudMonkey commands, waits and checks, and a restart of the
management servers after the last setting that needs one); verification; the
domain warnings that apply; rollback notes; and the spec hash it was made from. The
document is built once as blocks, then rendered; no timestamps, byte-stable.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from specc.core.steps import ApiCall, Check, Concat, HostScript, Plan, Ref, SecretParam, Wait
from specc.hosts.collect import (
    LOCAL_ROLES,
    ROLLBACK_BY_ROLE,
    preflight_checks,
    verification_checks,
)
from specc.hosts.index import script_filename
from specc.hosts.rollback import rollback_notes
from specc.hosts.warnings import domain_warnings
from specc.render._common import restart_lines
from specc.render.cmk import cmk_command, shell_value, var_name, verb_noun
from specc.spec.models import Spec


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    checkbox: bool = False


@dataclass(frozen=True)
class Code:
    text: str
    lang: str = "bash"


Block = Heading | Para | Items | Code

_UNDO = {
    "create": "delete",
    "add": "delete",
    "register": "delete",
    "update": None,
    "enable": "disable",
    "configure": None,
}


def _secrets(plan: Plan) -> list[SecretParam]:
    found: set[SecretParam] = set()

    def visit(v: object) -> None:
        if isinstance(v, SecretParam):
            found.add(SecretParam(v.source, v.name))
        elif isinstance(v, Concat):
            for p in v.parts:
                visit(p)

    for s in plan.steps:
        if isinstance(s, ApiCall | Wait):
            for v in s.params.values():
                visit(v)
        elif isinstance(s, HostScript):
            found.update(SecretParam(x.source, x.name) for x in s.secrets)
    return sorted(found, key=lambda x: (x.source, x.name))


def build_runbook(
    plan: Plan,
    *,
    title: str,
    warnings: Sequence[str] = (),
    checks: Sequence[Check] = (),
    preflight: Sequence[Check] = (),
    rollback: dict[str, str] | None = None,
    script_paths: dict[str, str] | None = None,
) -> list[Block]:
    """The runbook of *plan* as blocks, in execution order.

    ``checks`` are the verifications after the steps; ``script_paths`` maps a host
    script id to the file ``specc scripts`` wrote it to.
    """
    paths = script_paths or {}
    scripts = [s for s in plan.steps if isinstance(s, HostScript)]
    calls = [s for s in plan.steps if isinstance(s, ApiCall)]
    out: list[Block] = [
        Heading(1, f"Runbook: {title}"),
        Para(
            f"Made from spec `{plan.spec_hash}` for CloudStack API {plan.api_version} "
            f"(live state `{plan.live_fingerprint}`). {len(plan.steps)} steps: "
            f"{len(scripts)} host scripts, {len(calls)} API calls. Work through the "
            "sections in order; each host script is safe to rerun."
        ),
    ]
    out += [Para(f"Note: {n}") for n in plan.notes]

    out.append(Heading(2, "1. Preflight checks"))
    pre = [
        f"CloudMonkey reaches the management server: `cmk list capabilities` shows "
        f"cloudstackversion {plan.api_version}",
    ]
    for sp in _secrets(plan):
        if sp.source == "env":
            pre.append(f'secret `{sp.name}` is set where it is read: `[ -n "${{{sp.name}:-}}" ]`')
        else:
            pre.append(f"secret file `{sp.name}` is readable there: `[ -r {sp.name} ]`")
    seen: set[str] = set()
    for s in scripts:
        if s.host in seen or s.address == "localhost":
            continue
        seen.add(s.host)
        os_txt = f", OS family {s.os}" if s.os else ""
        pre.append(f"host {s.host} answers as root: `ssh root@{s.address} true`{os_txt}")
    pre += [f"`{c.command}` on {c.host or 'the workstation'}: {c.description}" for c in preflight]
    out.append(Items(tuple(pre), checkbox=True))

    out.append(Heading(2, "2. Steps, in execution order"))
    out.append(
        Para(
            "API steps are CloudMonkey commands (`cmk`). When a step's result is used later, "
            "save its id in the shell variable named under it, e.g. "
            "`VAR=$(cmk -o json create ... | jq -r '.. | .id? | strings' | head -n 1)`."
        )
    )
    used = _used_outputs(plan)
    waiting = {r.step for r in plan.restarts}
    last = max((n for n, s in enumerate(plan.steps, 1) if s.id in waiting), default=None)
    for n, step in enumerate(plan.steps, 1):
        out += _step_blocks(n, step, paths, used)
        if n == last:
            out += _restart_blocks(plan, n)

    out.append(Heading(2, "3. Verification"))
    ver = [f"`{c.command}` on {c.host or 'the workstation'}: {c.description}" for c in checks]
    ver += [
        f"`{s.command}` on {s.host or 'the workstation'}: {s.description}"
        for s in plan.steps
        if isinstance(s, Check)
    ]
    ver.append(
        "`cmk list storagepools` shows every pool of the spec with state Up; "
        "`specc plan` against the cloud now reports no changes"
    )
    out.append(Items(tuple(ver), checkbox=True))

    out.append(Heading(2, "4. Warnings"))
    warn = list(warnings)
    for ch in plan.changes:
        warn += [f"{ch.resource}: {w}" for w in ch.warnings]
    out.append(Items(tuple(warn)) if warn else Para("None apply."))

    out.append(Heading(2, "5. Rollback notes"))
    out.append(
        Para(
            "Undo in reverse order, only what was done. specc never deletes on its own; "
            "the commands below are for an operator who decides to."
        )
    )
    back: list[str] = []
    for step in reversed(plan.steps):
        if isinstance(step, ApiCall):
            m = re.match(r"[a-z]+", step.command)
            verb = m.group(0) if m else ""
            if verb in ("list", "query", "get"):
                continue  # a lookup changes nothing
            undo = _UNDO.get(verb)
            noun = step.command[len(verb) :].lower()
            if undo:
                back.append(f"{step.resource}: `{undo} {noun} id=<its id>`")
            else:
                back.append(f"{step.resource}: restore the previous values of `{step.command}`")
        elif isinstance(step, HostScript):
            note = (rollback or {}).get(step.id) or ROLLBACK_BY_ROLE.get(step.role, "by hand")
            back.append(f"{step.id} on {step.host}: {note}")
    out.append(Items(tuple(back)) if back else Para("Nothing to roll back."))
    out.append(Para(f"Spec hash: `{plan.spec_hash}`"))
    return out


def _restart_blocks(plan: Plan, after: int) -> list[Block]:
    """The manual step that restarts the management servers, after the settings it waits for.

    A non-dynamic setting's global value is cached by the server on first use
    (``ConfigKey.value()``) or read once when its manager starts, so the new value
    counts only after a restart.
    """
    return [
        Heading(3, f"After step {after}: restart the management servers"),
        Para(
            "These settings take effect only when the management servers restart "
            "(they are read at start-up). Restart each management server, one at a time, "
            "and wait until it answers before the next:"
        ),
        Items(tuple(restart_lines(plan))),
        Code(
            "systemctl restart cloudstack-management\n"
            "until cmk list capabilities >/dev/null 2>&1; do sleep 10; done",
            lang="sh",
        ),
    ]


def _used_outputs(plan: Plan) -> set[tuple[str, str]]:
    used: set[tuple[str, str]] = set()
    for s in plan.steps:
        if isinstance(s, ApiCall | Wait):
            for v in s.params.values():
                parts = v.parts if isinstance(v, Concat) else (v,)
                used.update((p.step, p.output) for p in parts if isinstance(p, Ref))
    return used


def _step_blocks(
    n: int, step: object, paths: dict[str, str], used: set[tuple[str, str]]
) -> list[Block]:
    if isinstance(step, HostScript):
        where = f"{step.host} ({step.address})" if step.address != step.host else step.host
        lines = [f"role {step.role}" + (f", OS family {step.os}" if step.os else "")]
        if step.needed_by:
            lines.append("needed by: " + ", ".join(step.needed_by))
        if step.depends_on:
            lines.append("after: " + ", ".join(step.depends_on))
        if step.secrets:
            lines.append(
                "reads at run time: "
                + ", ".join(
                    f"${s.name}" if s.source == "env" else f"file {s.name}" for s in step.secrets
                )
            )
        path = paths.get(step.id)
        run = (
            f"`bash {path or 'SCRIPT'}` on your workstation"
            if step.role in LOCAL_ROLES
            else f"`ssh root@{step.address} bash -s < {path or 'SCRIPT'}`"
        )
        lines.append("run: " + run)
        return [
            Heading(3, f"Step {n}: {step.description or step.id}"),
            Para(f"Host script `{step.id}` on {where}."),
            Items(tuple(lines)),
            Code(step.script.rstrip("\n")),
        ]
    if isinstance(step, ApiCall):
        mode = "async: cmk waits for the job" if step.is_async else "sync"
        blocks: list[Block] = [
            Heading(3, f"Step {n}: {step.description or step.command} ({step.resource})"),
            Para(f"API call `{step.command}` ({mode}); step id `{step.id}`."),
            Code(cmk_command(step), lang="sh"),
        ]
        which = " and ".join(f"`{f}` is `{v}`" for f, v in sorted(step.select.items()))
        keep = [
            f"`{key}` of the result{f' item whose {which}' if which else ''} as "
            f"`${var_name(step.id, name)}`"
            for name, key in sorted(step.outputs.items())
            if (step.id, name) in used
        ]
        if keep:
            blocks.append(Para("Save " + ", ".join(keep) + "."))
        return blocks
    if isinstance(step, Wait):
        verb, noun = verb_noun(step.command)
        args = " ".join(f"{k}={shell_value(v)}" for k, v in sorted(step.params.items()))
        return [
            Heading(3, f"Step {n}: wait for {step.resource}"),
            Para(
                f"Repeat until `{step.field}` is `{step.equals}` "
                f"(at most {step.timeout_s} s): {step.description}"
            ),
            Code(f"{verb} {noun} {args}".rstrip(), lang="sh"),
        ]
    if isinstance(step, Check):
        return [
            Heading(3, f"Step {n}: check on {step.host or 'the workstation'}"),
            Para(step.description),
            Code(step.command),
        ]
    return []


def to_markdown(blocks: Sequence[Block]) -> str:
    """Render blocks as Markdown."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Para):
            out += [b.text, ""]
        elif isinstance(b, Items):
            box = "[ ] " if b.checkbox else ""
            out += [f"- {box}{i}" for i in b.items] + [""]
        else:
            fence = "````" if "```" in b.text else "```"
            out += [fence + b.lang, b.text, fence, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _inline(text: str) -> str:
    """Escape text for HTML, turning `code` spans into <code>."""
    parts = text.split("`")
    return "".join(
        f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p) for i, p in enumerate(parts)
    )


def to_html(blocks: Sequence[Block]) -> str:
    """Render blocks as a standalone HTML page."""
    title = next((b.text for b in blocks if isinstance(b, Heading)), "Runbook")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        "pre{background:#f4f4f4;padding:.5em;overflow-x:auto}</style>",
        "</head>",
        "<body>",
    ]
    for b in blocks:
        if isinstance(b, Heading):
            out.append(f"<h{b.level}>{_inline(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            out.append(f"<p>{_inline(b.text)}</p>")
        elif isinstance(b, Items):
            box = '<input type="checkbox"> ' if b.checkbox else ""
            out.append("<ul>")
            out += [f"<li>{box}{_inline(i)}</li>" for i in b.items]
            out.append("</ul>")
        else:
            out.append(f'<pre><code class="language-{b.lang}">{html.escape(b.text)}</code></pre>')
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def runbook_text(plan: Plan, *, title: str, spec: Spec | None = None, fmt: str = "markdown") -> str:
    """The whole runbook of *plan* as Markdown or HTML.

    With the *spec* it was compiled from, the preflight checks, domain warnings and
    verification checks of the spec's storage are included; from a plan file alone, only what
    the plan carries.
    """
    warnings: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    preflight: tuple[Check, ...] = ()
    rollback: dict[str, str] = {}
    if spec is not None:
        preflight = preflight_checks(spec)
        rollback = rollback_notes(spec)
        warnings = domain_warnings(spec, plan.api_version)
        checks = verification_checks(spec)
    paths = {s.id: script_filename(s) for s in plan.steps if isinstance(s, HostScript)}
    blocks = build_runbook(
        plan,
        title=title,
        warnings=warnings,
        checks=checks,
        preflight=preflight,
        rollback=rollback,
        script_paths=paths,
    )
    return to_html(blocks) if fmt == "html" else to_markdown(blocks)
