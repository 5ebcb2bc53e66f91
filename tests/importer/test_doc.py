"""The spec writer: its text reads back (with ruamel.yaml, as the spec loader) as the document."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML

from specc.importer.doc import Note, dump

TRICKY = [
    "3600",
    "2.0",
    "true",
    "null",
    "~",
    "",
    "a: b",
    "x #y",
    "2026-01-01",
    "10.0.0.1",
    "10.0.0.0/24",
    "2000-2499",
    "100 GB, 2000-10000 IOPS",
    "it's",
    "-dash",
    "[x]",
    "{y}",
    "*star",
    "&amp",
    "!bang",
    "@at",
    "%pct",
    "`tick`",
    "0x1F",
    "1e3",
    ".inf",
    "end:",
    "trailing ",
    "nfs://10.0.0.5:/export/secondary",
    "<fill in: the Ceph user>",
]


def _bare(value: Any) -> Any:
    if isinstance(value, Note):
        return _bare(value.value)
    if isinstance(value, dict):
        return {k: _bare(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_bare(v) for v in value]
    return value


def test_dump_reads_back_as_the_document() -> None:
    doc: dict[str, Any] = {
        "version": 1,
        "cloudstack": {"version": "4.18.0"},
        "texts": {f"k{i}": t for i, t in enumerate(TRICKY)},
        "flow": [t for t in TRICKY if t],
        "zones": [
            {
                "name": "z 1",
                "dns": ["8.8.8.8"],
                "labels": {"kvm": "cloudbr0", "vmware": "a, b"},
                "pool": Note({"env": "X"}, "secret: where"),
                "vlan": Note("<fill in: VLAN>", "not readable"),
                "list": [Note("<fill in: a>", "there"), "b"],
                "nested": [{"a": [1, 2.5, True, None]}, {"b": {"c": {"d": "e"}}}],
                "empty": [],
                "nothing": {},
            }
        ],
        "settings": {"expunge.delay": 3600, "ratio": 2.0, "flag": False},
    }
    text = dump(doc, "a header\nof two lines")
    assert text.startswith("# a header\n# of two lines\n")
    assert YAML(typ="safe", pure=True).load(text) == _bare(doc)
    assert "vlan: '<fill in: VLAN>'  # not readable\n" in text
    assert "pool: {env: X}  # secret: where\n" in text
    assert dump(doc) == dump(doc)
