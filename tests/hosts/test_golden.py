"""Golden files: the scripts, index and runbook (Markdown; HTML for one) of every example.

To accept new output after a deliberate change, regenerate and review the diff:

    SPECC_UPDATE_GOLDEN=1 python -m pytest -q -p no:cacheprovider tests/hosts/test_golden.py
    git diff tests/hosts/golden
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import specc
from hosts.hosthelp import CASES, EXAMPLES, HERE, spec_id
from specc.cloud.state import LiveState
from specc.hosts.collect import host_scripts
from specc.hosts.index import script_files
from specc.render.runbook import runbook_text
from specc.spec import require

GOLDEN = HERE / "golden"
UPDATE = os.environ.get("SPECC_UPDATE_GOLDEN") == "1"
HTML_FOR = {"ceph-rbd-kvm"}


def outputs(path: Path) -> dict[str, str]:
    """Relative golden path -> the text specc generates for the spec at *path*."""
    v = require([path])
    assert v.spec is not None
    out = {
        f"scripts/{name}": text
        for name, text in script_files(host_scripts(v.spec), v.spec_hash).items()
    }
    plan = specc.plan(v, LiveState(v.spec.cloudstack.version, {}))
    out["runbook.md"] = runbook_text(plan, title=path.name, spec=v.spec)
    if path.stem in HTML_FOR:
        out["runbook.html"] = runbook_text(plan, title=path.name, spec=v.spec, fmt="html")
    return out


@pytest.mark.parametrize("path", EXAMPLES + CASES, ids=spec_id)
def test_outputs_match_golden(path: Path) -> None:
    want_dir = GOLDEN / path.stem
    got = outputs(path)
    if UPDATE:
        if want_dir.exists():
            for old in sorted(want_dir.rglob("*"), reverse=True):
                old.unlink() if old.is_file() else old.rmdir()
        for rel, text in got.items():
            (want_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (want_dir / rel).write_text(text)
    have = {str(p.relative_to(want_dir)) for p in want_dir.rglob("*") if p.is_file()}
    assert have == set(got), f"golden files differ in names for {path.name}"
    for rel, text in sorted(got.items()):
        assert (want_dir / rel).read_text() == text, f"{path.stem}/{rel} differs from golden"


def test_output_is_byte_stable() -> None:
    path = next(p for p in EXAMPLES if p.stem == "production")
    assert outputs(path) == outputs(path)
