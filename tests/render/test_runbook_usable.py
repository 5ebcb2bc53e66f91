"""Runbooks usable as written (issue 14, point 5).

- Every ``sh`` block, in order, plus every rollback command, is one bash session an
  operator runs: shellcheck passes on it, and it runs in bash against the simulator,
  after which ``specc plan`` finds nothing to do; its rollback then runs too. cmk
  itself cannot be installed on this machine (its Go module is not reachable, and
  PyPI's cloudmonkey 5.3.3.1 is Python 2 only), so ``CMK_STANDIN`` stands in for it:
  cmk's command grammar on the ``cs`` client. Host-script and check blocks pass
  shellcheck each on its own.
- The rollback notes carry the values they restore.
- The HTML runbook loads in headless Chromium with no console message, shows every
  section, and a screenshot of it is kept as the test's artefact.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from review_helpers import NFS, REPO, specc

from specc.cloud.state import LiveState
from specc.planning.compiler import compile_plan
from specc.render.runbook import runbook_text
from specc.sim import running
from specc.spec import require

EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
SECTIONS = (
    "1. Preflight checks",
    "2. Steps, in execution order",
    "3. Verification",
    "4. Warnings",
    "5. Rollback notes",
)


def _runbook(spec: Path) -> str:
    from specc.hosts.collect import host_scripts

    validated = require([spec])
    assert validated.spec is not None
    plan = compile_plan(
        validated.spec,
        LiveState(validated.spec.cloudstack.version, {}),
        spec_hash=validated.spec_hash,
        host_scripts=host_scripts(validated.spec),
    )
    return runbook_text(plan, title=spec.name, spec=validated.spec)


def _blocks(markdown: str) -> list[tuple[str, str]]:
    """(language, text) of every fenced block."""
    found = re.findall(r"^(`{3,4})(\w+)\n(.*?)\n\1$", markdown, flags=re.S | re.M)
    return [(lang, text) for _, lang, text in found]


def session_script(markdown: str) -> str:
    """The API steps' ``sh`` blocks in order, then the rollback commands: one session."""
    sh = [text for lang, text in _blocks(markdown) if lang == "sh"]
    rollback = markdown.split("## 5. Rollback notes", 1)[1]
    undo = re.findall(r"`(cmk [^`]+)`", rollback)
    return "\n".join(["#!/usr/bin/env bash", "set -euo pipefail", *sh, "# rollback", *undo])


def _shellcheck(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["shellcheck", "-s", "bash", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.stem)
def test_every_block_of_a_runbook_passes_shellcheck(spec: Path, tmp_path: Path) -> None:
    assert shutil.which("shellcheck"), "shellcheck is not installed (.ci/run installs it)"
    markdown = _runbook(spec)
    session = tmp_path / "session.sh"
    session.write_text(session_script(markdown) + "\n", encoding="utf-8")
    run = _shellcheck(session)
    assert run.returncode == 0, run.stdout
    for n, (lang, text) in enumerate(_blocks(markdown)):
        if lang == "bash":
            path = tmp_path / f"block{n}.sh"
            path.write_text("#!/usr/bin/env bash\n" + text + "\n", encoding="utf-8")
            run = _shellcheck(path)
            assert run.returncode == 0, (text[:200], run.stdout)
    # no bare CloudMonkey line: every API command is a cmk invocation
    for lang, text in _blocks(markdown):
        if lang == "sh":
            for line in text.splitlines():
                assert re.match(
                    r"^([A-Z0-9_]+=\$\()?(until )?cmk |^systemctl |^until cmk ", line
                ), line


def test_the_shell_session_runs_in_bash_with_the_ids_captured(tmp_path: Path) -> None:
    """The session really runs: each captured id flows into the later commands.

    ``cmk`` is a stand-in here (it logs its arguments and answers one JSON object with
    an id); bash and the real ``jq`` do the rest, so every variable, quote and capture
    is expanded as in an operator's shell.
    """
    markdown = _runbook(NFS)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "cmk.log"
    (bindir / "cmk").write_text(
        '#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "$CMK_LOG"\n'
        'echo \'{"x": {"id": "uuid-\'"$#"\'"}}\'\n',
        encoding="utf-8",
    )
    (bindir / "cmk").chmod(0o755)
    script = tmp_path / "session.sh"
    script.write_text(session_script(markdown) + "\n", encoding="utf-8")
    env = {
        "PATH": f"{bindir}:/usr/bin:/bin",
        "CMK_LOG": str(log),
        "KVM_ROOT_PASSWORD": "pw",
    }
    run = subprocess.run(
        ["bash", str(script)], capture_output=True, text=True, timeout=120, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    calls = log.read_text().splitlines()
    physnet = next(c for c in calls if c.startswith("-o json create physicalnetwork"))
    assert re.search(r"zoneid=uuid-\d+", physnet), physnet
    host = next(c for c in calls if c.startswith("-o json add host"))
    assert "password=pw" in host and "clusterid=uuid-" in host
    assert "update configuration name=expunge.delay value=3600" in "\n".join(calls)
    assert not any("$" in c for c in calls), "every variable was set before its use"


CMK_STANDIN = '''
"""A stand-in for CloudMonkey's ``cmk -o json VERB NOUN key=value...``, on the cs client.

VERB NOUN resolve to an API command as cmk resolves them from its API cache (the verb
is the leading lower-case run of the name, the noun the rest, lower-cased), here from
the server's own listApis; the call is sent, an async job waited for, and the result
printed as JSON (the response object, or the job's result).
"""
import json
import os
import sys

from cs import CloudStack, CloudStackApiException

args = sys.argv[1:]
if args[:2] == ["-o", "json"]:
    args = args[2:]
verb, noun, *pairs = args
api = CloudStack(
    endpoint=os.environ["CLOUDSTACK_ENDPOINT"],
    key=os.environ["CLOUDSTACK_KEY"],
    secret=os.environ["CLOUDSTACK_SECRET"],
    fetch_result=True,
)
names = [a["name"] for a in api.listApis()["api"]]
match = [n for n in names if n.lower() == (verb + noun).lower() and n.startswith(verb)]
if len(match) != 1:
    sys.exit(f"cmk: unknown command {verb} {noun}")
try:
    result = getattr(api, match[0])(**dict(p.split("=", 1) for p in pairs))
except CloudStackApiException as exc:
    sys.exit(f"cmk: {exc}")
print(json.dumps(result.get("jobresult", result)))
'''


def test_the_runbook_builds_the_spec_on_the_simulator_and_rolls_back(tmp_path: Path) -> None:
    """Run as written, the runbook leaves nothing for ``specc plan`` to do; its rollback runs."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    cmk = bindir / "cmk"
    cmk.write_text(f"#!{sys.executable}\n{CMK_STANDIN}", encoding="utf-8")
    cmk.chmod(0o755)
    steps, rollback = session_script(_runbook(NFS)).split("# rollback")
    specc_exe = shutil.which("specc")
    assert specc_exe
    check = f"{specc_exe} plan {NFS} --detailed-exitcode"
    script = f"{steps}\n{check}\necho BUILT\n{rollback}\n{check} || echo AFTER=$?\n"
    with running() as sim:
        env = {**os.environ, **sim.env(), "KVM_ROOT_PASSWORD": "pw", "HOME": str(tmp_path)}
        env["PATH"] = f"{bindir}:{env['PATH']}"
        run = subprocess.run(
            ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=600
        )
    assert run.returncode == 0, run.stderr[-3000:]
    built, after = run.stdout.split("BUILT\n")
    assert "No changes. The live cloud matches the spec." in built
    # after the rollback, the zone and everything in it are to be created again
    assert "+ create zone:zone1" in after and "+ create host:zone1/pod1/kvm1/kvm1-h1" in after
    assert after.rstrip().endswith("AFTER=2")


def test_rollback_notes_carry_the_values_they_restore(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    made = specc("plan", NFS, "--sim", "-o", plan, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    out = tmp_path / "runbook.md"
    run = specc("runbook", plan, "-o", out, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    text = out.read_text()
    rollback = text.split("## 5. Rollback notes", 1)[1]
    assert (
        '- configuration:expunge.delay: restore value "86400": '
        "`cmk update configuration name=expunge.delay value=86400`" in rollback
    )
    assert "restore the previous values" not in text
    assert '`cmk delete zone id="$CREATE_ZONE_ZONE1"`' in rollback
    assert "CREATE_ZONE_ZONE1=$(cmk -o json create zone " in text


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe
    return subprocess.run(
        [
            exe,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _console(stderr: str) -> list[str]:
    """The page's console messages in Chromium's log (every level logs as CONSOLE)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_html_runbook_in_headless_chromium(
    tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    assert shutil.which("chromium") or shutil.which("chromium-browser"), (
        "Chromium is not installed (.ci/run installs Debian's chromium)"
    )
    page = tmp_path / "runbook.html"
    made = specc("runbook", REPO / "examples" / "ceph-rbd-kvm.yaml", "--format", "html",
                 "-o", page, cwd=tmp_path)  # fmt: skip
    assert made.returncode == 0, made.stderr
    # The detector sees a console error when there is one (a page made to have one).
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><script>console.error("boom")</script></body></html>')
    control = _chromium("--dump-dom", bad.as_uri(), profile=tmp_path / "p0")
    assert any('"boom"' in line for line in _console(control.stderr)), control.stderr[-2000:]

    dom = _chromium("--dump-dom", page.as_uri(), profile=tmp_path / "p1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console(dom.stderr) == []
    headings = re.findall(r"<h2>(.*?)</h2>", dom.stdout)
    assert tuple(headings) == SECTIONS
    assert "<h1>Runbook: ceph-rbd-kvm.yaml</h1>" in dom.stdout
    assert dom.stdout.count("<h3>Step ") == 33

    shot = tmp_path / "runbook.png"
    taken = _chromium(f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri(),
                      profile=tmp_path / "p2")  # fmt: skip
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert _console(taken.stderr) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    record_property("screenshot", str(shot))
