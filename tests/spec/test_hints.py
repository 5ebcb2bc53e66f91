"""Every diagnostic of the loading and schema layers says where, and what to do.

Each case goes through ``specc.spec.load`` (the path the CLI takes): the two file
corpora (negative/ and bad_input/), generated files (too big, two files that
disagree, hostile limits) and small YAML snippets for each kind of syntax and
schema problem. Every diagnostic must carry a non-empty, one-line hint and a
location with line and column >= 1. The one exception is a path that does not
exist (or a folder without spec files): there is no line to point at, so it is
located at the path itself (line 0) and still has a hint.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from specc.errors import Diagnostic
from specc.spec import hints, load
from specc.spec.loader import MAX_FILE_BYTES, Limits, parse_text
from specc.spec.schema import cached_schema

HERE = Path(__file__).resolve().parent
CORPUS = sorted((HERE / "negative").glob("*.yaml")) + sorted((HERE / "bad_input").glob("*.yaml"))

BASE = 'version: 1\ncloudstack: {version: "4.18"}\n'
"""The top of each generated spec; each case adds the key it breaks."""


def _assert_helpful(d: Diagnostic, file: str | None = None) -> None:
    where = f"{d.location} {d.code} {d.message}"
    assert d.hint.strip(), f"no hint: {where}"
    assert "\n" not in d.hint and len(d.hint) <= 200, f"hint not one short line: {where}"
    assert d.hint != d.message
    assert d.location.line >= 1 and d.location.col >= 1, f"not located: {where}"
    if file is not None:
        assert d.location.file == file


def test_the_corpora_are_there() -> None:
    assert len(CORPUS) > 100


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_diagnostic_has_a_hint_and_a_line(path: Path) -> None:
    result = load([path])
    assert result.diagnostics, "each corpus file is invalid"
    for d in result.diagnostics:
        _assert_helpful(d, str(path))


def _load_text(tmp_path: Path, text: str) -> list[Diagnostic]:
    path = tmp_path / "spec.yaml"
    path.write_text(text, "utf-8")
    result = load([path])
    for d in result.diagnostics:
        _assert_helpful(d, str(path))
    return list(result.diagnostics)


SYNTAX = {
    "bad-indent": ("a:\n  b: 1\n c: 2\n", "indentation"),
    "tab": ("a:\n  b: 1\n\t c: 2\n", "spaces, not tabs"),
    "tab-first": ("a:\n\tb: 1\n", "spaces, not tabs"),
    "colon-in-value": ("a: b: c\n", "quote"),
    "no-colon": ("a: x\nb\nc: 1\n", "': '"),
    "unclosed-flow-mapping": ("a: {b: 1, c: 2\nd: 3\n", "close the '{'"),
    "unclosed-flow-sequence": ("a: [1, 2\nb: 3\n", "close the '['"),
    "unclosed-quote": ('a: "abc\n', "close the quote"),
    "bad-escape": ('a: "c:\\d"\n', "single quotes"),
    "at-sign": ("a: @foo\n", "quote a value that starts with '@'"),
    "backtick": ("a: `foo`\n", "quote a value that starts with '`'"),
    "list-misaligned": ("a:\n  - 1\n  b: 2\n", "line up"),
    "stray-bracket": ("a: ]\n", "quote it"),
    "unknown-alias": ("a: *nowhere\n", "&nowhere"),
}


@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_syntax_errors_say_what_usually_causes_them(tmp_path: Path, case: str) -> None:
    text, words = SYNTAX[case]
    diags = _load_text(tmp_path, text)
    (d,) = diags
    assert d.code == "SPC001"
    assert words in d.hint, d.hint


@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_both_parsers_give_the_same_syntax_hint(case: str) -> None:
    text = SYNTAX[case][0]
    fast, slow = parse_text(text, "x.yaml")[2], parse_text(text, "x.yaml", pure=True)[2]
    assert [d.hint for d in fast] == [d.hint for d in slow]


SCHEMA = {
    # name: (lines appended to BASE, expected code, words the hint must hold)
    "missing-key": ("zones:\n  - {name: z1, internal_dns: [10.0.0.2]}\n", "SPC102", "dns: ["),
    "missing-required-enum": (
        "templates:\n  - {name: t, url: 'http://x/t.qcow2', os_type: Linux, hypervisor: KVM}\n",
        "SPC102",
        "'format: QCOW2' (one of: QCOW2, RAW",
    ),
    "missing-type": ("backends:\n  - {name: b2, server: s, export: /e}\n", "SPC102", "type: "),
    "text-for-integer": (
        "offerings:\n  compute:\n    - {name: c, cpu_number: many, cpu_speed_mhz: 1000,"
        " memory_mb: 512}\n",
        "SPC101",
        "an integer, e.g. 1",
    ),
    "text-for-optional-integer": (
        "subnets:\n  - {name: s, cidr: 10.9.0.0/24, role: storage, vlan: abc}\n",
        "SPC101",
        "e.g. 1",
    ),
    "scalar-for-backend": ("backends:\n  - nfs\n", "SPC101", "'type' key (one of: ceph"),
    "enum": (
        "subnets:\n  - {name: s, cidr: 10.9.0.0/24, role: storag}\n",
        "SPC103",
        'did you mean "storage"',
    ),
    "pattern-env": (
        "backends:\n  - {name: sf, type: solidfire, mvip: 10.0.0.5, svip: 10.0.0.6,"
        " admin_user: a, admin_password: {env: 1BAD}, default_min_iops: 100,"
        " default_max_iops: 1000}\n",
        "SPC104",
        "environment variable name",
    ),
    "range-vlan": (
        "subnets:\n  - {name: s, cidr: 10.9.0.0/24, role: storage, vlan: 0}\n",
        "SPC105",
        "from 1 to 4094",
    ),
    "range-exclusive": (
        "backends:\n  - {name: sf, type: solidfire, mvip: 10.0.0.5, svip: 10.0.0.6,"
        " admin_user: a, admin_password: {env: SF}, default_min_iops: 0,"
        " default_max_iops: 1000}\n",
        "SPC105",
        "greater than 0",
    ),
    "range-empty-text": (
        "backends:\n  - {name: n2, type: nfs, server: '', export: /e}\n",
        "SPC105",
        "non-empty",
    ),
    "range-items": (
        "zones:\n  - {name: z, dns: [10.0.0.1, 10.0.0.2, 10.0.0.3], internal_dns: [10.0.0.1]}\n",
        "SPC105",
        "1 to 2 items",
    ),
    "bad-address": (
        "subnets:\n  - {name: s, cidr: 10.9.0.0/24, role: storage, gateway: 10.9.0.300}\n",
        "SPC120",
        "e.g. 10.0.0.1",
    ),
    "bad-network": (
        "subnets:\n  - {name: s, cidr: 10.9.0.5/24, role: storage}\n",
        "SPC120",
        "10.1.0.0/24",
    ),
    "complex-key": ("? [a, b]\n: c\n", "SPC013", "plain names"),
    "python-tag": ("extra: !!python/name:os.system x\n", "SPC013", "remove the tag"),
    "bad-merge-key": ("x:\n  <<: 3\n", "SPC013", "<<: *name"),
}


@pytest.mark.parametrize("case", sorted(SCHEMA))
def test_schema_and_model_errors_say_what_fits(tmp_path: Path, case: str) -> None:
    extra, code, words = SCHEMA[case]
    diags = _load_text(tmp_path, BASE + extra)
    hits = [d for d in diags if d.code == code]
    assert hits, [(d.code, d.message) for d in diags]
    assert any(words in d.hint for d in hits), [d.hint for d in hits]


def test_files_that_disagree(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(BASE + "settings: {expunge.delay: 1}\n")
    (tmp_path / "b.yaml").write_text(
        'cloudstack: {version: "4.19"}\nsettings: {expunge.delay: 2}\n'
    )
    result = load([tmp_path])
    assert sorted(d.code for d in result.diagnostics) == ["SPC010", "SPC010"]
    for d in result.diagnostics:
        _assert_helpful(d, str(tmp_path / "b.yaml"))


def test_a_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: refused on its size, before reading
    (d,) = load([big]).diagnostics
    assert d.code == "SPC006"
    _assert_helpful(d, str(big))


@pytest.mark.parametrize(
    ("text", "limits", "code"),
    [
        ("a: [" + "1, " * 50 + "1]\n", Limits(nodes=20), "SPC015"),
        ("a: " + "[" * 10 + "]" * 10 + "\n", Limits(depth=5), "SPC008"),
        ("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n", Limits(alias_nodes=8), "SPC007"),
    ],
)
def test_hostile_input_limits(text: str, limits: Limits, code: str) -> None:
    (d,) = parse_text(text, "x.yaml", limits)[2]
    assert d.code == code
    _assert_helpful(d, "x.yaml")


def test_a_missing_path_has_a_hint_but_no_line(tmp_path: Path) -> None:
    """There is no line in a file that does not exist: located at the path, line 0."""
    empty = tmp_path / "empty"
    empty.mkdir()
    result = load([tmp_path / "nope.yaml", empty])
    assert sorted(d.code for d in result.diagnostics) == ["SPC011", "SPC014"]
    for d in result.diagnostics:
        assert d.hint.strip() and d.location.line == 0
        assert d.location.file in (str(tmp_path / "nope.yaml"), str(empty))


def test_every_pattern_of_the_schema_is_said_in_words() -> None:
    text = str(cached_schema())
    found = set(re.findall(r"'pattern': '((?:[^'\\]|\\.)*)'", text))
    patterns = {p.encode().decode("unicode_escape") for p in found}
    assert patterns, "the schema has patterns"
    assert patterns <= set(hints.PATTERNS), patterns - set(hints.PATTERNS)
    for regex, (_, sample) in hints.PATTERNS.items():
        if sample != hints.NAME_EXAMPLE:
            assert re.search(regex, sample.strip('"')), (regex, sample)


def test_every_required_key_has_an_example() -> None:
    schema = cached_schema()
    for name, d in [("spec", schema), *schema["$defs"].items()]:
        for key in d.get("required", []):
            hint = hints.missing_key(key, d["properties"][key], schema)
            assert hint.startswith(f"add it, e.g. '{key}: "), (name, hint)
            assert "..." not in hint and "text'" not in hint, (name, hint)


def test_an_error_at_the_end_of_the_file_is_located_inside_it() -> None:
    """libyaml may mark an error past the last line; the location stays in the file."""
    text = "a: 1\nb: 2\n&a"
    for pure in (False, True):
        (d,) = parse_text(text, "x.yaml", pure=pure)[2]
        assert (d.code, d.location.line, d.location.col) == ("SPC001", 3, 3)
        _assert_helpful(d, "x.yaml")
