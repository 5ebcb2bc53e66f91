"""Hostile and broken input: each case is a file under bad_input/, named CODE-L<line>-what.

Every case gets a located diagnostic with the expected code and line, in bounded
time, and never an exception.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from specc.spec import load
from specc.spec.loader import MAX_FILE_BYTES, Limits, parse_text

CASES = Path(__file__).parent / "bad_input"


def _cases() -> list[Path]:
    return sorted(CASES.iterdir())


def _expected(path: Path) -> tuple[str, int]:
    code, line = path.name.split("-")[:2]
    return code, int(line.removeprefix("L"))


def test_there_are_cases_for_every_load_problem() -> None:
    codes = {_expected(p)[0] for p in _cases()}
    for code in ("SPC001", "SPC002", "SPC003", "SPC004", "SPC005", "SPC007", "SPC008"):
        assert code in codes
    assert {"SPC009", "SPC012", "SPC013", "SPC101", "SPC110"} <= codes


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.name)
def test_bad_input_is_located(path: Path) -> None:
    code, line = _expected(path)
    start = time.perf_counter()
    result = load([path])
    elapsed = time.perf_counter() - start
    assert not result.ok
    got = [(d.code, d.location.line) for d in result.diagnostics]
    assert (code, line) in got, got
    for d in result.diagnostics:
        assert d.location.file == str(path)
        assert d.location.line >= 1 and d.location.col >= 1
        assert d.message
    assert elapsed < 5.0, f"took {elapsed:.1f} s"


def test_file_of_10_mb_is_refused_fast(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    row = "  - {name: s%07d, cidr: 10.0.0.0/24, role: management}\n"
    with big.open("w") as f:
        f.write("subnets:\n")
        n = 0
        while f.tell() < 10 * 1024 * 1024:
            f.write(row % n)
            n += 1
    assert big.stat().st_size > MAX_FILE_BYTES
    start = time.perf_counter()
    result = load([big])
    elapsed = time.perf_counter() - start
    assert [(d.code, d.location.line) for d in result.diagnostics] == [("SPC006", 1)]
    assert result.spec is None
    assert elapsed < 0.5


def test_secret_value_is_never_echoed() -> None:
    result = load([CASES / "SPC110-L10-inline-secret.yaml"])
    text = " ".join(f"{d.message} {d.hint}" for d in result.diagnostics)
    assert "hunter2" not in text
    (d,) = [d for d in result.diagnostics if d.code == "SPC110"]
    assert "{env: NAME}" in d.hint and "{file: PATH}" in d.hint
    assert d.path == ("backends", 0, "admin_password")


def test_type_error_hint_says_to_quote_a_version() -> None:
    result = load([CASES / "SPC101-L3-number-for-text.yaml"])
    (d,) = result.diagnostics
    assert d.path == ("cloudstack", "version")
    assert "quote" in d.hint


def test_unknown_union_variant_is_one_diagnostic_with_the_choices() -> None:
    result = load([CASES / "SPC106-L5-unknown-backend-type.yaml"])
    (d,) = result.diagnostics
    assert "cephfs" in d.message
    assert "ceph, iscsi, nfs" in d.hint


def test_every_error_of_an_optional_block_is_reported() -> None:
    result = load([CASES / "SPC102-L14-optional-block-all-errors.yaml"])
    got = [(d.code, d.location.line) for d in result.diagnostics]
    assert got == [("SPC102", 14), ("SPC102", 14), ("SPC100", 16), ("SPC110", 17)]
    assert "plain" not in " ".join(d.message for d in result.diagnostics)


def test_a_cluster_vcenter_says_where_it_moved() -> None:
    """A cluster's vcenter (the old shape) is refused with the way to the new one."""
    result = load([CASES / "SPC100-L14-cluster-vcenter-moved.yaml"])
    (d,) = result.diagnostics
    assert (d.code, d.location.line) == ("SPC100", 14)
    assert "unknown key 'vcenter'" in d.message
    assert d.hint.startswith("vcenter moved to the zone")


def test_a_file_with_too_many_values_stops_early() -> None:
    text = "settings: {a: 1}\nx: [" + "1, " * 200 + "1]\n"
    value, node, diags = parse_text(text, "many.yaml", Limits(nodes=100))
    assert value is None and node is None
    assert [(d.code, d.location.line) for d in diags] == [("SPC015", 2)]


def test_limits_are_parameters() -> None:
    deep = "a: " + "[" * 10 + "]" * 10 + "\n"
    assert parse_text(deep, "d.yaml")[2] == []
    assert [d.code for d in parse_text(deep, "d.yaml", Limits(depth=5))[2]] == ["SPC008"]
    bomb = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"
    assert parse_text(bomb, "b.yaml")[2] == []
    assert [d.code for d in parse_text(bomb, "b.yaml", Limits(alias_nodes=8))[2]] == ["SPC007"]


def test_hints_for_case_and_quotes() -> None:
    (case,) = load([CASES / "SPC103-L12-case-sensitive.yaml"]).diagnostics
    assert case.hint == 'did you mean "KVM"? (values are case-sensitive)'
    (quoted,) = load([CASES / "SPC101-L5-quoted-number.yaml"]).diagnostics
    assert "remove the quotes" in quoted.hint
    (word,) = load([CASES / "SPC101-L6-text-for-integer.yaml"]).diagnostics
    assert "quotes" not in word.hint


def test_pure_python_parser_gives_the_same_results() -> None:
    """Without ruamel.yaml.clib the pure parser runs: same values, same positions."""
    for path in [*_cases(), *sorted((CASES.parents[2] / "examples").glob("*.yaml"))]:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        fast, slow = parse_text(text, "f.yaml"), parse_text(text, "f.yaml", pure=True)
        assert fast[0] == slow[0], path
        assert [(d.code, d.location) for d in fast[2]] == [(d.code, d.location) for d in slow[2]]
