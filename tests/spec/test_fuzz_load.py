"""Property test: mutated valid specs never make load() or the CLI raise.

Valid specs (the examples) are mutated structurally (delete a key or item, swap a
value for one of another type, insert a junk key, duplicate an item) and as text
(junk characters or bytes spliced in). Whatever comes out, ``load`` returns
diagnostics that are located in the file, and the CLI prints no traceback.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from specc.cli.app import build_app
from specc.spec import load
from specc.spec.loader import load_documents

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CODE = re.compile(r"^SPC\d{3}$")
JUNK_VALUES: list[Any] = [None, 0, -1, 1.5, True, "", "x" * 300, [], {}, [1, "a"], {"k": 1}]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _base(index: int) -> Any:
    loaded = load_documents([EXAMPLES[index % len(EXAMPLES)]])
    assert loaded.data is not None
    return loaded.data


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node


def _mutate(doc: Any, data: st.DataObject) -> Any:
    doc = _copy(doc)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths), label="path")
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        op = data.draw(st.sampled_from(["delete", "swap", "junk-key", "duplicate"]), label="op")
        if op == "delete":
            del parent[last]
        elif op == "swap":
            parent[last] = data.draw(st.sampled_from(JUNK_VALUES), label="value")
        elif op == "junk-key":
            target = parent[last] if isinstance(parent[last], dict) else parent
            if isinstance(target, dict):
                target[data.draw(st.text(min_size=1, max_size=8), label="key")] = "junk"
        elif isinstance(parent, list):
            parent.insert(last, _copy(parent[last]))
    return doc


def _dump(doc: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _assert_located(path: Path, text_lines: int) -> None:
    result = load([path])  # must not raise
    for d in result.diagnostics:
        assert CODE.match(d.code), d
        assert d.location.file == str(path), d
        assert 1 <= d.location.line <= text_lines + 1, d
        assert d.location.col >= 1, d
        assert d.message, d
    assert result.ok == (result.spec is not None and not result.errors)


@SETTINGS
@given(st.integers(0, 100), st.data())
def test_structural_mutants_give_located_diagnostics(example: int, data: st.DataObject) -> None:
    text = _dump(_mutate(_base(example), data))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutant.yaml"
        path.write_text(text)
        _assert_located(path, text.count("\n"))


@SETTINGS
@given(st.integers(0, 100), st.data())
def test_text_mutants_give_located_diagnostics(example: int, data: st.DataObject) -> None:
    raw = EXAMPLES[example % len(EXAMPLES)].read_bytes()
    for _ in range(data.draw(st.integers(1, 3), label="splices")):
        at = data.draw(st.integers(0, len(raw)), label="at")
        cut = data.draw(st.integers(0, 20), label="cut")
        junk = data.draw(
            st.one_of(
                st.binary(max_size=8),
                st.sampled_from(
                    [b"&a", b"*a", b"*zz", b"[", b"{", b"- ", b": ", b"\t", b"!!", b"<<: "]
                ),
                st.text(max_size=6).map(str.encode),
            ),
            label="junk",
        )
        raw = raw[:at] + junk + raw[at + cut :]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutant.yaml"
        path.write_bytes(raw)
        _assert_located(path, raw.count(b"\n"))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 100), st.data())
def test_cli_on_mutants_prints_no_traceback(example: int, data: st.DataObject) -> None:
    text = _dump(_mutate(_base(example), data))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mutant.yaml"
        path.write_text(text)
        for fmt in ("text", "json"):
            result = CliRunner().invoke(build_app(), ["validate", "--format", fmt, str(path)])
            assert result.exit_code in (0, 1), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit)
            assert "Traceback" not in result.output
