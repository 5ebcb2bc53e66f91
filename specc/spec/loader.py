"""Read spec files into one plain JSON-like document and its source map.

This is the first validation layer (codes ``SPC0xx``). Each file is checked before
and while it is parsed, so that hostile input fails fast with a located error:

* size (``Limits.file_bytes``) before reading, UTF-8 and control characters
  before parsing;
* YAML syntax, re-located from ruamel's error marks;
* nesting depth, number of values and alias expansion (``Limits``), counted while
  the document is built from parser events, so an anchor bomb is never expanded,
  deep nesting never recurses and a huge file stops early;
* duplicate keys, non-scalar keys, unknown tags, several documents in one file,
  an empty file and a top level that is not a mapping.

The document is built from ruamel's event stream (YAML 1.2 core schema; the C
parser of ruamel.yaml.clib when installed, else the pure one), not from its
constructors: that is what lets us count, cap and locate every node in one
linear pass. Several files merge into one document: see ``specc.spec.merge``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from specc.errors import Diagnostic, Location, Severity
from specc.spec import hints
from specc.spec.merge import merge
from specc.spec.sourcemap import Pos, SourceMap, SourceNode


@dataclass(frozen=True)
class Limits:
    """Caps that keep hostile input cheap; the defaults leave real specs far below."""

    file_bytes: int = 8 * 1024 * 1024
    """A spec file larger than this (8 MiB) is refused before it is read."""
    depth: int = 64
    """Deepest nesting of mappings and sequences; the spec itself needs about 12."""
    alias_nodes: int = 100_000
    """Most nodes that aliases may add to a file when expanded (anchor bombs)."""
    nodes: int = 500_000
    """Most values (scalars, mappings, sequences) in a file; 10,000 resources need ~140,000."""


DEFAULT_LIMITS = Limits()
MAX_FILE_BYTES = DEFAULT_LIMITS.file_bytes

SPEC_SUFFIXES = (".yaml", ".yml")

# Codes of this layer.
SYNTAX = "SPC001"
DUPLICATE_KEY = "SPC002"
EMPTY = "SPC003"
NOT_UTF8 = "SPC004"
BINARY = "SPC005"
TOO_BIG = "SPC006"
ALIAS_BOMB = "SPC007"
TOO_DEEP = "SPC008"
NOT_MAPPING = "SPC009"
# SPC010, files of one spec that disagree: specc.spec.merge.MERGE_CONFLICT
UNREADABLE = "SPC011"
MULTI_DOC = "SPC012"
BAD_NODE = "SPC013"
NO_FILES = "SPC014"
TOO_MANY = "SPC015"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_BOOL["FALSE"] = False
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_TAG_PREFIXES = ("tag:yaml.org,2002:", "!!")
_PLAIN_KEY = "write keys as plain names ('name: value'); '? ' and list or mapping keys do not work"
_NO_TAG = "remove the tag: a spec needs plain values only (tags such as !!python/... never run)"
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
"""First characters of the plain scalars that may resolve to something else than text."""


@dataclass
class Loaded:
    """The merged document (None when no file gave one), its source map, findings."""

    data: dict[str, Any] | None
    source_map: SourceMap
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _Stop(Exception):
    """Abandon the current file; its diagnostic has been recorded."""


def _error(code: str, message: str, location: Location, hint: str) -> Diagnostic:
    """An error diagnostic; every one says what to do (*hint*)."""
    return Diagnostic(code, Severity.ERROR, message, location, hint)


def expand_paths(paths: Sequence[str | Path]) -> tuple[list[str], list[Diagnostic]]:
    """Turn the given paths into the list of files to read, in order.

    A folder stands for every ``*.yaml``/``*.yml`` directly in it, sorted by name.
    A path that does not exist, or a folder without spec files, is a diagnostic.
    """
    files: list[str] = []
    diags: list[Diagnostic] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(c for c in p.iterdir() if c.suffix in SPEC_SUFFIXES and c.is_file())
            if not found:
                diags.append(
                    _error(
                        NO_FILES,
                        "no *.yaml or *.yml files in this folder",
                        Location(str(p)),
                        "put the spec's *.yaml files in it, or name the spec files themselves",
                    )
                )
            files.extend(str(c) for c in found)
        elif p.exists():
            files.append(str(p))
        else:
            diags.append(
                _error(
                    UNREADABLE,
                    "no such file or folder",
                    Location(str(p)),
                    "check the path (it is relative to the current directory)",
                )
            )
    return files, diags


def read_text(name: str, limits: Limits = DEFAULT_LIMITS) -> tuple[str | None, list[Diagnostic]]:
    """Read one file as text, refusing big, non-UTF-8 and binary files with a location."""
    here = Location(name, 1, 1)
    try:
        size = Path(name).stat().st_size
        if size > limits.file_bytes:
            return None, [
                _error(
                    TOO_BIG,
                    f"file is {size:,} bytes; the limit is {limits.file_bytes:,}",
                    here,
                    "split the spec into several files in a folder",
                )
            ]
        raw = Path(name).read_bytes()
    except OSError as exc:
        return None, [
            _error(
                UNREADABLE,
                f"cannot read file: {exc.strerror or exc}",
                here,
                "check that the file exists and that you may read it",
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col_bytes(raw, exc.start)
        return None, [
            _error(
                NOT_UTF8,
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                Location(name, line, col),
                "save the file as UTF-8",
            )
        ]
    bad = _CONTROL.search(text)
    if bad:
        line, col = _line_col_text(text, bad.start())
        what = "a NUL byte (binary file?)" if bad.group() == "\x00" else "a control character"
        return None, [
            _error(
                BINARY,
                f"{what} U+{ord(bad.group()):04X} is not allowed in a spec",
                Location(name, line, col),
                "is this really a YAML spec file?",
            )
        ]
    return text, []


def _clamp(text: str, name: str, line: int, col: int) -> Location:
    """A parser mark as a Location inside *text*: libyaml may point past the last line."""
    last = text.count("\n") + 1
    if line <= last:
        return Location(name, line, col)
    return Location(name, last, len(text) - (text.rfind("\n") + 1) + 1)


def _char_at(text: str, line: int, col: int) -> str:
    """The character at 1-based *line* and *col* of *text*, or ''."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    index = start + col - 1
    return text[index] if 0 <= index < len(text) and text[index] != "\n" else ""


def _line_col_bytes(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


def _line_col_text(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def resolve_scalar(value: str, tag: str | None, plain: bool) -> Any:
    """The Python value of a scalar under the YAML 1.2 core schema.

    Raises ValueError for a tag that a spec never needs.

    >>> [resolve_scalar(v, None, True) for v in ("12", "1.5", "true", "~", "0x1f", "a")]
    [12, 1.5, True, None, 31, 'a']
    >>> resolve_scalar("12", None, False)
    '12'
    """
    if tag not in (None, "!"):
        short = next((tag[len(p) :] for p in _TAG_PREFIXES if tag.startswith(p)), None)
        if short == "str":
            return value
        if short in ("int", "float", "bool", "null"):
            resolved = resolve_scalar(value, None, True)
            kinds: dict[str, tuple[type, ...]] = {
                "int": (int,),
                "float": (int, float),
                "bool": (bool,),
                "null": (type(None),),
            }
            if isinstance(resolved, kinds[short]) and not (
                short == "int" and isinstance(resolved, bool)
            ):
                return (
                    float(resolved)
                    if isinstance(resolved, int | float) and short == "float"
                    else resolved
                )
            raise ValueError(f"{value!r} is not a valid !!{short}")
        raise ValueError(f"unsupported tag {tag}")
    if not plain:
        return value
    if value and value[0] not in _MAYBE_NOT_TEXT:
        return value  # the common case: a name, an address, a path
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


@dataclass
class _Frame:
    """A container being built: its value, source node, size and pending key."""

    value: Any
    node: SourceNode
    anchor: str | None
    size: int = 1
    key: str | None = None
    key_loc: Pos | None = None
    merges: list[tuple[dict[str, Any], SourceNode, Pos]] | None = None


class _Builder:
    """Builds one document from parser events, with its source tree and limits."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.diags: list[Diagnostic] = []
        self.anchors: dict[str, tuple[Any, SourceNode, int]] = {}
        self.stack: list[_Frame] = []
        self.alias_nodes = 0
        self.nodes = 0
        self.root: tuple[Any, SourceNode] | None = None
        self.documents = 0

    def loc(self, event: Any) -> Pos:
        mark = event.start_mark
        return (self.name, mark.line + 1, mark.column + 1)

    def run(self, events: Iterator[Any]) -> None:
        """Consume the event stream; raises _Stop after a fatal diagnostic."""
        for event in events:
            if isinstance(event, ev.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, ev.MappingStartEvent | ev.SequenceStartEvent):
                self.start(event)
            elif isinstance(event, ev.MappingEndEvent | ev.SequenceEndEvent):
                self.end()
            elif isinstance(event, ev.AliasEvent):
                self.alias(event)
            elif isinstance(event, ev.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    self.fatal(
                        MULTI_DOC,
                        "a spec file holds one YAML document; found a second one",
                        self.loc(event),
                        "put each part in its own file and pass the folder",
                    )

    def fatal(self, code: str, message: str, pos: Pos, hint: str) -> None:
        self.diags.append(_error(code, message, Location(*pos), hint))
        raise _Stop

    def count(self, location: Pos) -> None:
        self.nodes += 1
        if self.nodes > self.limits.nodes:
            self.fatal(
                TOO_MANY,
                f"more than {self.limits.nodes:,} values in one file",
                location,
                "split the spec into several files in a folder",
            )

    def start(self, event: Any) -> None:
        location = self.loc(event)
        self.count(location)
        if self.stack and self.stack[-1].node.members is not None and self.stack[-1].key is None:
            self.fatal(BAD_NODE, "a mapping key must be a plain scalar", location, _PLAIN_KEY)
        if len(self.stack) >= self.limits.depth:
            self.fatal(
                TOO_DEEP,
                f"nesting deeper than {self.limits.depth} levels",
                location,
                "a spec never needs this; is the file generated by mistake?",
            )
        self.check_tag(event, location, ("map", "seq"))
        if isinstance(event, ev.MappingStartEvent):
            frame = _Frame({}, SourceNode(location, members={}, keys={}), event.anchor)
        else:
            frame = _Frame([], SourceNode(location, items=[]), event.anchor)
        self.stack.append(frame)

    def check_tag(self, event: Any, location: Pos, allowed: tuple[str, ...]) -> None:
        tag = event.tag
        if tag in (None, "!"):
            return
        short = next((tag[len(p) :] for p in _TAG_PREFIXES if tag.startswith(p)), None)
        if short not in allowed:
            self.diags.append(
                _error(BAD_NODE, f"unsupported tag {tag}", Location(*location), _NO_TAG)
            )

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.merges:
            self.apply_merges(frame)
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.value, frame.node, frame.size)
        self.add(frame.value, frame.node, frame.size)

    def apply_merges(self, frame: _Frame) -> None:
        """YAML merge keys (``<<: *base``): explicit keys win, then earlier merges."""
        assert frame.merges is not None
        members, keys = frame.node.members, frame.node.keys
        assert members is not None and keys is not None
        for value, node, key_loc in frame.merges:
            for k, v in value.items():
                if k not in frame.value:
                    frame.value[k] = v
                    if node.members and k in node.members:
                        members[k] = node.members[k]
                    keys[k] = key_loc

    def scalar(self, event: Any) -> None:
        location = self.loc(event)
        self.count(location)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.node.members is not None and frame.key is None:
            self.key(frame, event, location)
            return
        try:
            value = resolve_scalar(event.value, event.tag, event.implicit[0])
        except ValueError as exc:
            self.diags.append(_error(BAD_NODE, str(exc), Location(*location), _NO_TAG))
            value = event.value
        node = SourceNode(location)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, node, 1)
        self.add(value, node, 1)

    def key(self, frame: _Frame, event: Any, location: Pos) -> None:
        if event.tag not in (None, "!") and not str(event.tag).endswith("str"):
            self.diags.append(
                _error(
                    BAD_NODE, f"unsupported tag {event.tag} on a key", Location(*location), _NO_TAG
                )
            )
        name = str(event.value)
        if event.implicit[0] and name == "<<":
            name = "<<"
        elif name in frame.value:
            assert frame.node.keys is not None
            first = frame.node.keys[name]
            self.diags.append(
                _error(
                    DUPLICATE_KEY,
                    f"duplicate key '{name}' (first at line {first[1]})",
                    Location(*location),
                    "remove one of them; YAML would silently keep only one",
                )
            )
        frame.key, frame.key_loc = name, location

    def alias(self, event: Any) -> None:
        location = self.loc(event)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.node.members is not None and frame.key is None:
            self.fatal(BAD_NODE, "a mapping key must be a plain scalar", location, _PLAIN_KEY)
        if event.anchor not in self.anchors:
            self.fatal(
                SYNTAX,
                f"unknown alias *{event.anchor}",
                location,
                f"define '&{event.anchor}' on a value above this line, in the same file "
                "(anchors do not cross files)",
            )
        value, node, size = self.anchors[event.anchor]
        self.alias_nodes += size
        if self.alias_nodes > self.limits.alias_nodes:
            self.fatal(
                ALIAS_BOMB,
                f"aliases expand to more than {self.limits.alias_nodes:,} nodes",
                location,
                "an alias of an alias of ... (a 'billion laughs' bomb)? Write the values out",
            )
        self.add(value, node, size)

    def add(self, value: Any, node: SourceNode, size: int) -> None:
        if not self.stack:
            self.root = (value, node)
            return
        frame = self.stack[-1]
        frame.size += size
        if frame.node.items is not None:
            frame.value.append(value)
            frame.node.items.append(node)
            return
        key, key_loc = frame.key, frame.key_loc
        assert key is not None and key_loc is not None
        frame.key = frame.key_loc = None
        if key == "<<":
            self.merge_key(frame, value, node, key_loc)
            return
        if key in frame.value:
            return  # a duplicate: reported, the first one is kept
        frame.value[key] = value
        assert frame.node.members is not None and frame.node.keys is not None
        frame.node.members[key] = node
        frame.node.keys[key] = key_loc

    def merge_key(self, frame: _Frame, value: Any, node: SourceNode, key_loc: Pos) -> None:
        sources = (
            [(value, node)]
            if isinstance(value, dict)
            else list(zip(value, node.items or [], strict=False))
            if isinstance(value, list)
            else []
        )
        if not sources or not all(isinstance(v, dict) for v, _ in sources):
            self.diags.append(
                _error(
                    BAD_NODE,
                    "a merge key '<<' needs a mapping or a list of them",
                    Location(*key_loc),
                    "write '<<: *name' where '&name' anchors a mapping",
                )
            )
            return
        frame.merges = (frame.merges or []) + [(v, n, key_loc) for v, n in sources]


def parse_text(
    text: str, name: str, limits: Limits = DEFAULT_LIMITS, *, pure: bool = False
) -> tuple[Any, SourceNode | None, list[Diagnostic]]:
    """Parse one file's text into (value, source node, diagnostics).

    ruamel's C parser (libyaml, from ruamel.yaml.clib) is used when installed: it
    is ~25x faster than the pure-Python one, which *pure* forces.
    """
    builder = _Builder(name, limits)
    yaml = YAML(typ="safe", pure=pure)
    try:
        builder.run(yaml.parse(text))
    except _Stop:
        return None, None, builder.diags
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _clamp(text, name, mark.line + 1, mark.column + 1) if mark else Location(name, 1, 1)
        context = exc.context or ""
        if context and exc.context_mark is not None and exc.context_mark is not mark:
            context += f" (started at line {exc.context_mark.line + 1})"
        parts = [p for p in (context, exc.problem) if p]
        message = "YAML syntax: " + ("; ".join(parts) if parts else "invalid YAML")
        char = _char_at(text, where.line, where.col)
        hint = hints.syntax(f"{context} {exc.problem or ''}", char)
        builder.diags.append(_error(SYNTAX, message, where, hint))
        return None, None, builder.diags
    except (YAMLError, RecursionError, ValueError) as exc:
        builder.diags.append(
            _error(SYNTAX, f"YAML syntax: {exc}", Location(name, 1, 1), hints.syntax(str(exc)))
        )
        return None, None, builder.diags
    if builder.root is None:
        return None, None, builder.diags
    value, node = builder.root
    return value, node, builder.diags


def load_file(
    name: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[dict[str, Any] | None, SourceNode | None, list[Diagnostic]]:
    """Read and parse one spec file; the value is a mapping or None."""
    text, diags = read_text(name, limits)
    if text is None:
        return None, None, diags
    value, node, more = parse_text(text, name, limits)
    diags.extend(more)
    if any(d.code in (SYNTAX, TOO_DEEP, ALIAS_BOMB, MULTI_DOC, TOO_MANY) for d in more):
        return None, None, diags
    if value is None and diags:
        return None, None, diags
    if value is None:
        diags.append(
            _error(
                EMPTY,
                "the file is empty (no YAML document)",
                Location(name, 1, 1),
                "a spec is a mapping with keys such as zones, backends, offerings",
            )
        )
        return None, None, diags
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"a {type(value).__name__} scalar"
        assert node is not None
        diags.append(
            _error(
                NOT_MAPPING,
                f"the top level of a spec must be a mapping, not {kind}",
                node.location,
                "start with keys such as 'zones:', 'backends:', 'offerings:'",
            )
        )
        return None, None, diags
    return value, node, diags


def load_documents(paths: Sequence[str | Path], limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Read, check and merge the spec files named by *paths* (files or folders)."""
    files, diags = expand_paths(paths)
    parts: list[tuple[dict[str, Any], SourceNode]] = []
    for name in files:
        value, node, more = load_file(name, limits)
        diags.extend(more)
        if value is not None and node is not None:
            parts.append((value, node))
    shown = tuple(files) or tuple(str(p) for p in paths)
    if not parts:
        return Loaded(None, SourceMap(None, shown), diags)
    data, root, more = merge(parts)
    diags.extend(more)
    return Loaded(data, SourceMap(root, shown), diags)
