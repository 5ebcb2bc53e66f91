"""Replay the ``cloud.configuration`` rows CloudStack's database scripts create.

A fresh CloudStack database is ``setup/db/create-schema.sql`` (the 4.0
schema) upgraded by every ``schema-XtoY.sql`` / ``schema-XtoY-cleanup.sql``
script on the upgrade path (``DatabaseUpgradeChecker``).  This module replays
the statements of those scripts that touch ``configuration`` (INSERT, UPDATE
... WHERE name ..., DELETE ... WHERE name ...) and ``configuration_subgroup``
(INSERT), so the extractor knows which rows exist before the Java code
persists its own (``ConfigurationServerImpl.persistDefaultValues`` then
``ConfigDepotImpl.populateConfigurations``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# Column order of cloud.configuration in 4.18, used for INSERTs without a column list.
CONFIG_COLUMNS: list[str] = [
    "category",
    "instance",
    "component",
    "name",
    "value",
    "description",
    "default_value",
    "updated",
    "scope",
    "is_dynamic",
]
_VERSION_RE = re.compile(r"schema-(\d+)to(\d+)(-cleanup)?\.sql$")
_TABLE = r"(?:`?cloud`?\s*\.\s*)?`?configuration`?"
_INSERT_RE = re.compile(
    r"INSERT\s+(?:IGNORE\s+)?INTO\s+(?:`?cloud`?\s*\.\s*)?`?(\w+)`?\s*(\([^()]*\))?\s*VALUES\s*(.*)$",
    re.I | re.S,
)
_UPDATE_RE = re.compile(rf"UPDATE\s+{_TABLE}\s+SET\s+(.*?)(?:\s+WHERE\s+(.*))?$", re.I | re.S)
_DELETE_RE = re.compile(rf"DELETE\s+FROM\s+{_TABLE}\s+WHERE\s+(.*)$", re.I | re.S)


def version_tuple(digits: str) -> tuple[int, ...]:
    """``"41720"`` -> (4, 17, 2, 0); ``"452"`` -> (4, 5, 2); ``"2214"`` -> (2, 2, 14)."""
    if len(digits) == 5:
        return (int(digits[0]), int(digits[1:3]), int(digits[3]), int(digits[4]))
    if len(digits) == 4:
        return (int(digits[0]), int(digits[1]), int(digits[2:]))
    return tuple(int(d) for d in digits)


def sql_version_key(path: str) -> tuple[tuple[int, ...], tuple[int, ...], int] | None:
    """Sort key (from, to, cleanup) of an upgrade script on the 4.x path, else None."""
    m = _VERSION_RE.search(path)
    if m is None:
        return None
    start, end = version_tuple(m.group(1)), version_tuple(m.group(2))
    if start < (4, 0):
        return None
    return (start, end, 1 if m.group(3) else 0)


def upgrade_path(paths: list[str]) -> list[str]:
    """The scripts a fresh 4.0 schema runs through, in order.

    From each version the step with the highest target version is taken
    (4.5.2 -> 4.6.0 rather than the 4.5.3 maintenance branch); a version with
    no script of its own continues at the next version that has one.
    """
    steps: dict[tuple[int, ...], list[tuple[tuple[int, ...], str, int]]] = {}
    for path in paths:
        key = sql_version_key(path)
        if key is not None:
            steps.setdefault(key[0], []).append((key[1], path, key[2]))
    ordered: list[str] = []
    current: tuple[int, ...] = (4, 0)
    while True:
        # versions without a script (e.g. 4.17.1.0 -> 4.17.2.0) are skipped over
        later = [v for v in steps if v >= current]
        if not later:
            return ordered
        current = min(later)
        target = max(t for t, _, _ in steps[current])
        ordered += [p for t, p, c in sorted(steps[current], key=lambda x: x[2]) if t == target]
        current = target


def statements(sql: str) -> Iterator[str]:
    """Split a MySQL script into statements (quotes and comments respected)."""
    buf: list[str] = []
    i = 0
    quote = ""
    while i < len(sql):
        ch = sql[i]
        if quote:
            buf.append(ch)
            if ch == "\\" and quote != "`":
                buf.append(sql[i + 1 : i + 2])
                i += 2
                continue
            if ch == quote:
                if sql[i + 1 : i + 2] == quote:
                    buf.append(quote)
                    i += 2
                    continue
                quote = ""
            i += 1
            continue
        if ch in "'\"`":
            quote = ch
        elif sql.startswith("--", i) or ch == "#":
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = len(sql) if end < 0 else end + 2
            continue
        elif ch == ";":
            yield "".join(buf).strip()
            buf = []
            i += 1
            continue
        buf.append(ch)
        i += 1
    tail = "".join(buf).strip()
    if tail:
        yield tail


def _unquote(raw: str) -> str | None:
    raw = raw.strip()
    if raw.upper() == "NULL":
        return None
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        body = raw[1:-1].replace(raw[0] * 2, raw[0])
        return re.sub(
            r"\\(.)", lambda m: {"n": "\n", "t": "\t", "0": "\0"}.get(m.group(1), m.group(1)), body
        )
    return raw


def _tuples(text: str) -> Iterator[list[str | None]]:
    """The parenthesised value tuples of a VALUES clause."""
    i = 0
    while True:
        start = text.find("(", i)
        if start < 0:
            return
        depth = 0
        quote = ""
        j = start
        while j < len(text):
            ch = text[j]
            if quote:
                if ch == "\\":
                    j += 2
                    continue
                if ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        yield [_unquote(v) for v in _split_top(text[start + 1 : j])]
        i = j + 1
        rest = text[i:].lstrip()
        if not rest.startswith(","):
            return


def _split_top(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    quote = ""
    cur: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            cur.append(ch)
            if ch == "\\":
                cur.append(text[i + 1 : i + 2])
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            cur.append(ch)
        elif ch == "(":
            depth += 1
            cur.append(ch)
        elif ch == ")":
            depth -= 1
            cur.append(ch)
        elif ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts


Matcher = Callable[[dict[str, str | None]], bool]


def _assignment(text: str) -> tuple[str, str | None, str | None] | None:
    """``col = 'lit'`` -> (col, lit, None); ``col = `other``` -> (col, None, other); else None."""
    col, sep, raw = text.partition("=")
    if not sep:
        return None
    col = col.strip(" `\n\t").lower()
    raw = raw.strip()
    if re.fullmatch(r"""('.*'|".*"|NULL|-?[\d.]+)""", raw, re.I | re.S):
        return col, _unquote(raw), None
    if re.fullmatch(r"`?\w+`?", raw):
        return col, None, raw.strip("`").lower()
    return None


def _condition(where: str | None) -> Matcher | None:
    """Row predicate for ``col = 'x'``, ``col IN ('a', ...)``, ``col IS NULL`` joined by AND.

    None when the condition has another form (OR, LIKE, sub-selects, ...).
    """
    tests: list[tuple[str, frozenset[str] | None]] = []  # (column, accepted values; None = NULL)
    for part in re.split(r"\bAND\b", where or "", flags=re.I):
        part = part.strip().strip("()").strip()
        if not part:
            continue
        eq = re.fullmatch(r"`?(\w+)`?\s*=\s*('(?:[^'\\]|\\.)*')", part, re.S)
        within = re.fullmatch(r"`?(\w+)`?\s+IN\s*\(([^()]*)\)", part, re.I | re.S)
        null = re.fullmatch(r"`?(\w+)`?\s+IS\s+NULL", part, re.I)
        if eq:
            tests.append((eq.group(1).lower(), frozenset({(_unquote(eq.group(2)) or "").lower()})))
        elif within:
            values = re.findall(r"'((?:[^'\\]|\\.)*)'", within.group(2))
            tests.append((within.group(1).lower(), frozenset(v.lower() for v in values)))
        elif null:
            tests.append((null.group(1).lower(), None))
        else:
            return None

    def matches(values: dict[str, str | None]) -> bool:
        for col, accepted in tests:
            value = values.get(col)
            if accepted is None:
                if value is not None:
                    return False
            elif (value or "").lower() not in accepted:
                return False
        return True

    return matches


@dataclass
class SqlRow:
    """A configuration row as the scripts leave it."""

    values: dict[str, str | None]
    file: str

    @property
    def name(self) -> str:
        return self.values.get("name") or ""


@dataclass(frozen=True)
class SubGroup:
    """A row of cloud.configuration_subgroup (id = insertion order)."""

    name: str
    keywords: tuple[str, ...]
    group: str


@dataclass
class SqlState:
    """The configuration rows and subgroups after replaying the scripts."""

    rows: dict[str, SqlRow] = field(default_factory=dict)
    deleted: dict[str, str] = field(default_factory=dict)
    renamed: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # new name -> (old name, file)
    subgroups: list[SubGroup] = field(default_factory=list)

    def replay(self, file: str, sql: str) -> None:
        for stmt in statements(sql):
            self._statement(file, stmt)

    def _statement(self, file: str, stmt: str) -> None:
        for pattern, handler in (
            (_INSERT_RE, self._insert_statement),
            (_UPDATE_RE, self._update_statement),
            (_DELETE_RE, self._delete_statement),
        ):
            m = pattern.match(stmt)
            if m:
                handler(file, stmt, m)
                return

    def _insert_statement(self, file: str, stmt: str, m: re.Match[str]) -> None:
        table, cols = m.group(1).lower(), m.group(2)
        rest = re.split(r"\bON\s+DUPLICATE\s+KEY\b", m.group(3), flags=re.I)[0]
        columns = (
            [c.strip(" `\n\t").lower() for c in cols[1:-1].split(",")] if cols else CONFIG_COLUMNS
        )
        ignore = bool(re.match(r"INSERT\s+IGNORE", stmt, re.I))
        for values in _tuples(rest):
            inserted = dict(zip(columns, values, strict=False))
            if table == "configuration":
                self._insert(file, inserted, ignore)
            elif table == "configuration_subgroup":
                self._subgroup(inserted)

    def _update_statement(self, file: str, stmt: str, m: re.Match[str]) -> None:
        matcher = _condition(m.group(2))
        if matcher is None:
            return
        assignments = [a for a in map(_assignment, _split_top(m.group(1))) if a is not None]
        for name, row in list(self.rows.items()):
            if not matcher(row.values):
                continue
            before = dict(row.values)
            for col, literal, copy_from in assignments:
                row.values[col] = before.get(copy_from) if copy_from else literal
            if row.name and row.name != name:
                self.rows[row.name] = self.rows.pop(name)
                self.renamed[row.name] = (name, file)

    def _delete_statement(self, file: str, stmt: str, m: re.Match[str]) -> None:
        matcher = _condition(m.group(1))
        if matcher is None:
            return
        for name, row in list(self.rows.items()):
            if matcher(row.values):
                del self.rows[name]
                self.deleted[name] = file

    def _insert(self, file: str, row: dict[str, str | None], ignore: bool) -> None:
        name = row.get("name")
        if not name:
            return
        if name in self.rows and ignore:
            return
        self.rows[name] = SqlRow(dict(row), file)
        self.deleted.pop(name, None)

    def _subgroup(self, row: dict[str, str | None]) -> None:
        group_expr = row.get("group_id") or ""
        gm = re.search(r"name`?\s*=\s*'([^']*)'", group_expr)
        keywords = tuple(k.strip() for k in (row.get("keywords") or "").split(",") if k.strip())
        self.subgroups.append(
            SubGroup(row.get("name") or "", keywords, gm.group(1) if gm else "Miscellaneous")
        )

    def group_of(self, name: str) -> tuple[str, str]:
        """(group, subgroup) as ConfigDepotImpl.getConfigurationGroupAndSubGroupByName picks them.

        Each word of the dotted name is tried in order: a subgroup named like the
        word (case-insensitive, MySQL collation), else a keyword equal to the
        word (case-insensitive), else a keyword the word starts with.
        """
        for word in name.split("."):
            if not word:
                continue
            for sub in self.subgroups:
                if sub.name.lower() == word.lower():
                    return sub.group, sub.name
            for sub in self.subgroups:
                if any(word.lower() == k.lower() for k in sub.keywords):
                    return sub.group, sub.name
            for sub in self.subgroups:
                if any(word.lower().startswith(k.lower()) for k in sub.keywords):
                    return sub.group, sub.name
        return "Miscellaneous", "Others"
