"""The simulator's state: items per kind in SQLite, one transaction per API call.

Items are JSON objects shaped as the list call of their kind returns them, plus
hidden ``_``-keys (secrets, internal links) the API never shows. One connection
serves all threads behind a lock; a request holds :meth:`Store.transaction` for its
whole run, so concurrent clients see each call as atomic.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from specc.sim.match import sql_keyword, sql_match, sql_truthy

Item = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS removed (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE INDEX IF NOT EXISTS ix_kind_seq ON items (kind, seq);
"""
# Fields that handlers look items up by: each gets an index on its JSON value, so a
# lookup by name or parent id stays fast with thousands of items.
INDEXED_FIELDS = (
    "name",
    "zoneid",
    "podid",
    "clusterid",
    "physicalnetworkid",
    "nspid",
    "hostid",
    "storageid",
    "traffictype",
)
_FIELD_RE = re.compile(r"^[a-z_][a-z0-9_]*$")


def _field_expr(name: str) -> str:
    """The SQL expression of a top-level field (literal path, so indexes match)."""
    return f"json_extract(data, '$.{name}')"


def _json_path(name: str) -> str:
    """The JSON path of a top-level field, quoted unless it is a plain name."""
    return f"$.{name}" if _FIELD_RE.match(name) else '$."' + name.replace('"', '""') + '"'


_INDEXES = "".join(
    f"CREATE INDEX IF NOT EXISTS ix_{f} ON items (kind, {_field_expr(f)});\n"
    for f in INDEXED_FIELDS
)


class Store:
    """Items per kind, kept in SQLite (a file when *path* is given, else in memory)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        target = str(path) if path is not None else ":memory:"
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        if path is not None:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA + _INDEXES)
        # the list filters' rules (specc.sim.match), callable from SQL
        self._conn.create_function("sim_match", 3, sql_match, deterministic=True)
        self._conn.create_function("sim_keyword", 3, sql_keyword, deterministic=True)
        self._conn.create_function("sim_truthy", 2, sql_truthy, deterministic=True)
        self.lock = threading.RLock()
        self._depth = 0
        self.decoded = 0  # stored items decoded so far (what a read costs)

    def close(self) -> None:
        """Close the database."""
        with self.lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Hold the store for one atomic unit of work; roll back on any exception."""
        with self.lock:
            outer = self._depth == 0
            if outer:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._conn.execute("COMMIT")

    # -- reading ---------------------------------------------------------------

    def _decode(self, texts: list[str]) -> list[Item]:
        with self.lock:
            self.decoded += len(texts)
        return [json.loads(t) for t in texts]

    def get(self, kind: str, item_id: str) -> Item | None:
        """The *kind* item with id *item_id*, or None."""
        with self.lock:
            row = self._conn.execute(
                "SELECT data FROM items WHERE kind = ? AND id = ?", (kind, item_id)
            ).fetchone()
        return None if row is None else dict(self._decode([row[0]])[0])

    def items(self, kind: str) -> list[Item]:
        """Every *kind* item, in creation order."""
        with self.lock:
            rows = self._conn.execute(
                "SELECT data FROM items WHERE kind = ? ORDER BY seq", (kind,)
            ).fetchall()
        return self._decode([r[0] for r in rows])

    def find(self, kind: str, **eq: Any) -> list[Item]:
        """The *kind* items whose fields equal every given value, in creation order.

        Scalar values are matched inside SQLite (``json_extract``), so a lookup
        does not decode every stored item.
        """
        where = ["kind = ?"]
        args: list[Any] = [kind]
        rest: dict[str, Any] = {}
        indexed = False
        # name first: it is the most selective, and SQLite uses one index per lookup
        for k, v in sorted(eq.items(), key=lambda kv: kv[0] != "name"):
            if isinstance(v, bool) or v is None or not isinstance(v, str | int | float):
                rest[k] = v
                continue
            if _FIELD_RE.match(k):
                use_index = not indexed and k in INDEXED_FIELDS
                indexed = indexed or use_index
                # a unary + keeps SQLite from choosing a less selective index
                where.append(f"{'' if use_index else '+'}{_field_expr(k)} = ?")
                args.append(v)
            else:
                where.append("json_extract(data, ?) = ?")
                args += ['$."' + k.replace('"', '""') + '"', v]
        sql = f"SELECT data FROM items WHERE {' AND '.join(where)} ORDER BY seq"
        with self.lock:
            rows = self._conn.execute(sql, args).fetchall()
        found = self._decode([r[0] for r in rows])
        return [it for it in found if all(it.get(k) == v for k, v in rest.items())]

    def page(
        self,
        kind: str,
        *,
        filters: Sequence[tuple[str, Any]] = (),
        keyword: Any = None,
        flags: Mapping[str, bool] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[int, list[Item]]:
        """How many *kind* items match, and the matching items from *offset* (at most *limit*).

        Matching follows :mod:`specc.sim.match`: every ``(field, value)`` of *filters*
        (absent fields pass), ``keyword`` as a substring of ``name``, and every
        ``field: flag`` of *flags* as ``bool(item.get(field, False)) == flag``. It is
        evaluated inside SQLite and counted there; only the returned items are
        decoded, in creation order, so a page costs what the page holds.
        """
        where = ["kind = ?"]
        args: list[Any] = [kind]
        for name, want in filters:
            path = _json_path(name)
            where.append("sim_match(json_type(data, ?), json_extract(data, ?), ?)")
            args += [path, path, json.dumps(want)]
        if keyword is not None:
            where.append("sim_keyword(json_type(data, '$.name'), json_extract(data, '$.name'), ?)")
            args.append(str(keyword))
        for name, flag in (flags or {}).items():
            path = _json_path(name)
            where.append(
                f"{'' if flag else 'NOT '}sim_truthy(json_type(data, ?), json_extract(data, ?))"
            )
            args += [path, path]
        cond = " AND ".join(where)
        with self.lock:
            total = int(
                self._conn.execute(f"SELECT COUNT(*) FROM items WHERE {cond}", args).fetchone()[0]
            )
            if total == 0 or (limit is not None and offset >= total):
                return total, []
            rows = self._conn.execute(
                f"SELECT data FROM items WHERE {cond} ORDER BY seq LIMIT ? OFFSET ?",
                [*args, -1 if limit is None else limit, offset],
            ).fetchall()
        return total, self._decode([r[0] for r in rows])

    def first(self, kind: str, **eq: Any) -> Item | None:
        """The first item :meth:`find` returns, or None."""
        found = self.find(kind, **eq)
        return found[0] if found else None

    def count(self, kind: str, **eq: Any) -> int:
        """How many *kind* items match *eq*."""
        if not eq:
            with self.lock:
                row = self._conn.execute(
                    "SELECT COUNT(*) FROM items WHERE kind = ?", (kind,)
                ).fetchone()
            return int(row[0])
        return len(self.find(kind, **eq))

    def kinds(self) -> list[str]:
        """The kinds that hold at least one item, sorted."""
        with self.lock:
            rows = self._conn.execute("SELECT DISTINCT kind FROM items ORDER BY kind").fetchall()
        return [r[0] for r in rows]

    # -- writing ---------------------------------------------------------------

    def insert(self, kind: str, item: Item, key: str | None = None) -> Item:
        """Store *item* and return it.

        The item is found again by *key*, by default its ``id`` (generated when
        missing). Kinds whose items have no id (configuration, storageprovider,
        hostha) pass another key (the name, the host id) and are got by it.
        """
        item = dict(item)
        if key is None:
            item.setdefault("id", str(uuid.uuid4()))
            key = str(item["id"])
        with self.lock:
            self._conn.execute(
                "INSERT INTO items (kind, id, data) VALUES (?, ?, ?)",
                (kind, key, json.dumps(item)),
            )
        return item

    def update(self, kind: str, item_id: str, **fields: Any) -> Item:
        """Set *fields* on the stored item found by *item_id* (its key).

        A None value removes the field.
        """
        with self.lock:
            item = self.get(kind, item_id)
            if item is None:
                raise KeyError(f"{kind} {item_id}")
            for k, v in fields.items():
                if v is None:
                    item.pop(k, None)
                else:
                    item[k] = v
            self._conn.execute(
                "UPDATE items SET data = ? WHERE kind = ? AND id = ?",
                (json.dumps(item), kind, item_id),
            )
        return item

    def put(self, kind: str, item: Item, key: str | None = None) -> Item:
        """Replace the stored item with the same key (insert when new)."""
        key = str(item["id"]) if key is None else key
        with self.lock:
            if self.get(kind, key) is None:
                return self.insert(kind, item, key)
            self._conn.execute(
                "UPDATE items SET data = ? WHERE kind = ? AND id = ?",
                (json.dumps(item), kind, key),
            )
        return item

    def delete(self, kind: str, item_id: str) -> None:
        """Remove the item (no error when absent), remembering its id as removed.

        The server marks rows removed rather than deleting them, so a removed id
        is still a valid parameter value (a list by it is empty, not an error).
        """
        with self.lock:
            self._conn.execute("DELETE FROM items WHERE kind = ? AND id = ?", (kind, item_id))
            self._conn.execute(
                "INSERT OR IGNORE INTO removed (kind, id) VALUES (?, ?)", (kind, item_id)
            )

    def known(self, kind: str, item_id: str) -> bool:
        """True when *item_id* names a stored or a removed *kind* item."""
        with self.lock:
            row = self._conn.execute(
                "SELECT 1 FROM items WHERE kind = ? AND id = ? "
                "UNION ALL SELECT 1 FROM removed WHERE kind = ? AND id = ?",
                (kind, item_id, kind, item_id),
            ).fetchone()
        return row is not None

    def clear(self, kind: str) -> None:
        """Remove every *kind* item."""
        with self.lock:
            self._conn.execute("DELETE FROM items WHERE kind = ?", (kind,))

    # -- metadata --------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A stored setting of the simulator itself (keys, version), or None."""
        with self.lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting of the simulator itself."""
        with self.lock:
            self._conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
