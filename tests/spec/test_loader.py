"""specc.spec.load/require: merging files, the source map, the hash, the layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from specc.errors import Diagnostic, Location, Severity, SpecError
from specc.spec import Validated, load, require
from specc.spec.check import rule_diagnostics
from specc.spec.models import Spec
from specc.spec.rules import Finding
from specc.spec.sourcemap import SourceMap

ROOT = Path(__file__).resolve().parents[2]
NFS = ROOT / "examples" / "nfs-baseline.yaml"

PART_A = """\
# yaml-language-server: $schema=../schemas/specc-v1.schema.json
version: 1
cloudstack: {version: "4.18"}
subnets:
  - {name: mgmt, cidr: 10.0.0.0/24, role: management, gateway: 10.0.0.1}
backends:
  - {name: nfs1, type: nfs, server: 10.0.0.20, export: /export/primary}
offerings:
  disk:
    - {name: small, size_gb: 5}
settings:
  expunge.delay: 60
"""
PART_B = """\
cloudstack: {version: "4.18"}
backends:
  - {name: sec1, type: nfs, server: 10.0.0.21, export: /export/secondary}
offerings:
  disk:
    - {name: large, size_gb: 500}
  compute:
    - {name: c1, cpu_number: 1, cpu_speed_mhz: 1000, memory_mb: 512}
settings:
  expunge.interval: 60
"""


def _write(tmp: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp / name).write_text(text)
    return tmp


def test_example_loads_with_hash_and_locations() -> None:
    result = load([NFS])
    assert result.ok and result.spec is not None
    assert result.spec_hash.startswith("sha256:") and len(result.spec_hash) == 71
    loc = result.source_map.locate(("zones", 0, "name"))
    lines = NFS.read_text().splitlines()
    assert lines[loc.line - 1].strip().startswith("- name:") or "name:" in lines[loc.line - 1]
    assert loc.file == str(NFS)


def test_folder_merges_files_in_name_order(tmp_path: Path) -> None:
    _write(tmp_path, **{"a.yaml": PART_A, "b.yml": PART_B, "notes.txt": "not yaml: ["})
    result = load([tmp_path])
    assert result.ok, result.diagnostics
    spec = result.spec
    assert spec is not None
    assert [b.name for b in spec.backends] == ["nfs1", "sec1"]
    assert [d.name for d in spec.offerings.disk] == ["small", "large"]
    assert [c.name for c in spec.offerings.compute] == ["c1"]
    assert spec.settings == {"expunge.delay": 60, "expunge.interval": 60}
    # the second file's items keep their own file and line
    loc = result.source_map.locate(("backends", 1, "server"))
    assert (Path(loc.file).name, loc.line) == ("b.yml", 3)
    loc = result.source_map.locate(("offerings", "disk", 1))
    assert (Path(loc.file).name, loc.line) == ("b.yml", 6)
    assert result.source_map.locate(("settings", "expunge.interval")).line == 10


def test_split_spec_hashes_like_the_single_file(tmp_path: Path) -> None:
    split = _write(tmp_path, **{"a.yaml": PART_A, "b.yaml": PART_B})
    one = tmp_path / "one"
    one.mkdir()
    merged = PART_A.replace(
        "  - {name: nfs1, type: nfs, server: 10.0.0.20, export: /export/primary}\n",
        "  - {name: nfs1, type: nfs, server: 10.0.0.20, export: /export/primary}\n"
        "  - {name: sec1, type: nfs, server: 10.0.0.21, export: /export/secondary}\n",
    )
    merged = merged.replace(
        "    - {name: small, size_gb: 5}\n",
        "    - {name: small, size_gb: 5}\n    - {name: large, size_gb: 500}\n"
        "  compute:\n    - {name: c1, cpu_number: 1, cpu_speed_mhz: 1000, memory_mb: 512}\n",
    )
    merged += "  expunge.interval: 60\n"
    (one / "spec.yaml").write_text(merged)
    a, b = load([split / "a.yaml", split / "b.yaml"]), load([one / "spec.yaml"])
    assert a.ok and b.ok
    assert a.spec_hash == b.spec_hash
    assert load([NFS]).spec_hash != a.spec_hash


def test_conflicting_files_are_located(tmp_path: Path) -> None:
    _write(
        tmp_path,
        **{
            "a.yaml": PART_A,
            "b.yaml": 'cloudstack: {version: "4.19"}\nsettings:\n  expunge.delay: 60\n',
        },
    )
    result = load([tmp_path])
    assert not result.ok and result.spec is None
    got = sorted((d.code, Path(d.location.file).name, d.location.line) for d in result.diagnostics)
    assert got == [("SPC010", "b.yaml", 1), ("SPC010", "b.yaml", 3)]
    assert "a.yaml:12" in next(d.message for d in result.diagnostics if d.location.line == 3)


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = load([tmp_path / "nope.yaml", empty])
    assert sorted(d.code for d in result.diagnostics) == ["SPC011", "SPC014"]
    assert result.spec is None and not result.ok


def test_one_broken_file_fails_the_spec_but_others_are_checked(tmp_path: Path) -> None:
    _write(tmp_path, **{"a.yaml": PART_A, "b.yaml": "zones: [\n", "c.yaml": "subnets: 3\n"})
    result = load([tmp_path])
    codes = {(Path(d.location.file).name, d.code) for d in result.diagnostics}
    assert ("b.yaml", "SPC001") in codes
    assert result.spec is None


def test_every_schema_error_is_reported_not_only_the_first(tmp_path: Path) -> None:
    text = """\
subnets:
  - {name: a, cidr: 10.0.0.0/24, role: nope}
  - {name: b, cidr: 10.0.1.0/24, role: storage, vlan: 0}
  - {name: c, role: storage}
backends:
  - name: ceph1
    type: ceph
    monitors: [10.0.0.1]
    pool: {name: rbd, size: many}
    secret: {env: CEPH_KEY}
"""
    result = load([_write(tmp_path, **{"s.yaml": text}) / "s.yaml"])
    got = [(d.code, d.location.line) for d in result.diagnostics]
    assert got == [("SPC103", 2), ("SPC105", 3), ("SPC102", 4), ("SPC101", 9)]
    # the ceph alternative is chosen by its type: no wall of nfs/solidfire errors
    assert "pool.size" in result.diagnostics[-1].message


def test_secret_with_wrong_shape_and_merge_keys(tmp_path: Path) -> None:
    text = """\
hostdefaults: &h {os: el8, username: root}
"""
    result = load([_write(tmp_path, **{"s.yaml": text}) / "s.yaml"])
    assert [d.code for d in result.diagnostics] == ["SPC100"]
    text = """\
subnets:
  - &base {name: a, cidr: 10.0.0.0/24, role: management}
  - <<: *base
    name: b
    cidr: 10.0.1.0/24
"""
    result = load([_write(tmp_path, **{"m.yaml": text}) / "m.yaml"])
    assert result.ok, result.diagnostics
    assert result.spec is not None
    assert [(s.name, s.role) for s in result.spec.subnets] == [
        ("a", "management"),
        ("b", "management"),
    ]


def test_require_raises_spec_error_with_diagnostics(tmp_path: Path) -> None:
    bad = _write(tmp_path, **{"s.yaml": "zones: 1\n"}) / "s.yaml"
    with pytest.raises(SpecError) as info:
        require([bad])
    assert [d.code for d in info.value.diagnostics] == ["SPC101"]
    assert "s.yaml:1:8" in info.value.message
    assert require([NFS]).ok


def _validated(*severities: Severity) -> Validated:
    diags = tuple(Diagnostic("SPC999", s, "m", Location("a.yaml", 1, 1)) for s in severities)
    spec = Spec()
    return Validated(spec, diags, "sha256:x", SourceMap(None, ("a.yaml",)))


def test_ok_counts_warnings_only_when_strict() -> None:
    v = _validated(Severity.WARNING, Severity.INFO)
    assert v.ok
    assert not Validated(v.spec, v.diagnostics, v.spec_hash, v.source_map, strict=True).ok
    assert not _validated(Severity.ERROR).ok


def test_a_crashing_rule_becomes_a_diagnostic() -> None:
    result = load([NFS])
    assert result.spec is not None

    def broken(spec: Spec) -> list[Finding]:
        zone = spec.zones[99]  # raises IndexError
        return [Finding("SPC999", Severity.WARNING, ("zones", 0), zone.name)]

    def good(spec: Spec) -> list[Finding]:
        return [Finding("SPC998", Severity.WARNING, ("zones", 0, "name"), "found")]

    diags = rule_diagnostics(result.spec, result.source_map, [broken, good])
    assert [d.code for d in diags] == ["SPC190", "SPC998"]
    assert "IndexError" in diags[0].message
    assert diags[1].location == result.source_map.locate(("zones", 0, "name"))


def test_diagnostics_are_sorted_and_deterministic(tmp_path: Path) -> None:
    text = "subnets:\n  - {name: b, role: x}\n  - {name: a, cidr: 1}\nzones: 3\n"
    path = _write(tmp_path, **{"s.yaml": text}) / "s.yaml"
    first, second = load([path]), load([path])
    assert first.diagnostics == second.diagnostics
    keys = [d.sort_key() for d in first.diagnostics]
    assert keys == sorted(keys)


def test_a_single_path_is_accepted_without_a_list() -> None:
    assert load(str(NFS)).spec_hash == load([NFS]).spec_hash == load(NFS).spec_hash  # type: ignore[arg-type]
