"""The negative corpus: each file under negative/ is a small invalid spec.

Its first comment lines say what it expects, one line per diagnostic::

    # expect: SPC301 error line 14

(the severity may be left out: ``# expect: SPC301 line 14``). The test loads the
file through ``specc.spec.load`` (every layer, as the CLI does) and asserts that
each expected code appears (with that severity) at that line, that no other error
or warning appears (each file isolates its rule), and that the spec is not ok when
an error is expected (and is ok, unless strict, when only warnings are).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from specc.errors import Severity
from specc.spec import load

CORPUS = Path(__file__).resolve().parent / "negative"
EXPECT = re.compile(r"^#\s*expect:\s*(SPC\d{3})(?:\s+(error|warning))?\s+line\s+(\d+)\s*$")


@dataclass(frozen=True)
class Expected:
    code: str
    severity: Severity | None  # None: whatever the code's severity is
    line: int


def expectations(path: Path) -> list[Expected]:
    """The ``# expect:`` lines at the top of *path* (an empty file has a .expect sidecar)."""
    sidecar = path.with_suffix(".expect")
    text = (
        sidecar.read_text("utf-8")
        if sidecar.exists()
        else path.read_bytes().decode("utf-8", "replace")
    )
    out = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = EXPECT.match(line)
        if m:
            severity = Severity(m.group(2)) if m.group(2) else None
            out.append(Expected(m.group(1), severity, int(m.group(3))))
    return out


def corpus() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix != ".expect")


def test_corpus_is_large_enough() -> None:
    assert len(corpus()) >= 40


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.name)
def test_negative_spec(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' line"
    assert path.name.startswith(tuple(e.code for e in expected)), "file is named for its code"
    result = load([path])
    found = {(d.code, d.severity, d.location.line) for d in result.diagnostics}
    found |= {(d.code, None, d.location.line) for d in result.diagnostics}
    named = [d for d in result.diagnostics if d.code == path.name[:6]]
    shown = sorted(
        f"{d.code} {d.severity.value} line {d.location.line}: {d.message}"
        for d in result.diagnostics
    )
    for e in expected:
        assert (e.code, e.severity, e.line) in found, f"missing {e}; got {shown}"
    for d in result.diagnostics:
        if d.severity is not Severity.INFO:
            assert any(d.code == e.code for e in expected), f"unexpected {d.code}; got {shown}"
    for d in result.diagnostics:
        assert d.message, f"{d.code} lacks a message"
        if d.code >= "SPC200":  # domain rules always say what to do
            assert d.hint, f"{d.code} lacks a hint"
    if any(e.severity is Severity.ERROR for e in expected) or any(
        d.severity is Severity.ERROR for d in named
    ):
        assert not result.ok
    else:
        assert result.ok
        assert not load([path], strict=True).ok
