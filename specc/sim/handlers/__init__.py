"""The simulator's command table and the API its command handlers are written against.

How to add a command
--------------------
Write a function taking a :class:`Ctx` and returning the body of the response, and
declare it with :func:`command`, giving the real name, async flag and parameters
(names, types and required flags exactly as ``listApis`` of the real server lists
them; a conformance test checks them against the contract)::

    @command("createZone", params=[Param("name", "string", required=True),
                                   Param("dns1", "string", required=True)])
    def create_zone(ctx: Ctx) -> dict[str, Any]:
        zone = ctx.store.insert("zone", {"name": ctx.params["name"], ...})
        return {"zone": zone}

The dispatcher does the rest:

* parameters are checked and typed before the handler runs (``ctx.params`` holds
  only the parameters given, as ``str``/``int``/``bool``/``list``/``list[dict]``);
  a missing required one, a bad number, or a ``uuid`` naming no stored item of the
  param's ``entity`` kind gives the real 431 answers;
* the handler runs inside one store transaction: raising :class:`ApiError`
  (``raise ctx.error(431, "text")``) rolls everything back and answers with the
  real error body;
* a sync handler's dict becomes ``{"<command>response": dict}``;
* an async handler's dict becomes the job result: the client gets
  ``{"jobid": ..., "id": ...}`` at once (``id`` when the result holds one object
  with an id) and ``queryAsyncJobResult`` returns the dict as ``jobresult`` once the
  configured latency has passed. An :class:`ApiError` raised by an async handler
  becomes a failed job (``jobstatus`` 2) instead of an HTTP error, except for
  commands declared ``creates_first=True`` (the server's async create commands,
  which fail before their job starts);
* every item in a response is shaped: keys starting with ``_`` (stored, never
  returned, e.g. secrets) are dropped, and so are fields the chosen API version does
  not return (declare them with :func:`fields_since`).

A list command returns ``ctx.list_response("zone")``: filters from the given
parameters, ``keyword``, paging and ``count`` as the real server does, ``{}`` when
empty.

Handler modules live in this package and are found by :func:`load_handlers`.

The store (:class:`specc.sim.store.Store`) keeps items per kind, named by the list
response's item key (``zone``, ``storagepool``, ...). ``find(kind, **fields)`` looks
items up (indexed on name and parent ids), ``insert``/``update``/``delete`` change
them; a deleted id stays known, so a later list by it is empty rather than a 431.
Kinds without an id are stored under another key: ``configuration`` by name,
``storageprovider`` by ``"<type>:<name>"``, ``hostha`` by host id. A fresh server
already holds the baseline of :mod:`specc.sim.baseline` (OS types, storage
providers, configurations, default offerings, system templates).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from specc.sim.match import item_matches, keyword_matches

if TYPE_CHECKING:
    from specc.sim.store import Store

Item = dict[str, Any]
Handler = Callable[["Ctx"], dict[str, Any]]

# cserrorcode per HTTP error code, as the server maps its exceptions.
CS_ERROR_CODES: dict[int, int] = {
    401: 9999,
    405: 9999,
    431: 4350,
    432: 9999,
    530: 4250,
    531: 4365,
    533: 9999,
    534: 9999,
    535: 9999,
}

DEFAULT_PAGE_SIZE = 500
# Parameters every list command takes, handled by Ctx.list_response itself.
PAGING_PARAMS = frozenset({"page", "pagesize", "keyword", "listall"})
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
INT_TYPES = frozenset({"integer", "long", "short"})


class ApiError(Exception):
    """An error answer of the simulated server: HTTP ``status`` and ``text``.

    ``cserrorcode`` defaults to the server's code for the status (4350 for 431).
    """

    def __init__(self, status: int, text: str, cserrorcode: int | None = None) -> None:
        super().__init__(text)
        self.status = status
        self.text = text
        self.cserrorcode = CS_ERROR_CODES.get(status, 9999) if cserrorcode is None else cserrorcode


@dataclass(frozen=True)
class Param:
    """A command parameter as ``listApis`` lists it.

    ``type`` is the listApis type name (string, uuid, long, integer, short, boolean,
    list, map, date, tzdate). ``entity`` is the item kind a ``uuid`` (or a list of
    uuids) must name; the dispatcher answers 431 when no such item is stored or was
    ever removed (as the server looks ids up including removed rows). ``since`` is
    the first API version (``"4.22"``) with the parameter, None for 4.18.
    """

    name: str
    type: str = "string"
    required: bool = False
    entity: str | None = None
    since: str | None = None


@dataclass(frozen=True)
class CommandSpec:
    """One served command: its real name, async flag, parameters and handler.

    ``item`` is the item key of a list command's response (``zone``); ``since`` the
    first API version serving the command (None: 4.18). ``creates_first`` marks
    the server's async *create* commands (``BaseAsyncCreateCmd``), which make their
    item before the job starts: their errors are answered at once, as HTTP errors,
    not as failed jobs.
    """

    name: str
    handler: Handler
    is_async: bool = False
    params: tuple[Param, ...] = ()
    since: str | None = None
    item: str | None = None
    description: str = ""
    creates_first: bool = False

    def served_on(self, api_version: str) -> bool:
        """True when a server of *api_version* knows this command."""
        return version_at_least(api_version, self.since)

    def params_on(self, api_version: str) -> tuple[Param, ...]:
        """The parameters this command takes on *api_version*."""
        return tuple(p for p in self.params if version_at_least(api_version, p.since))

    @property
    def response_key(self) -> str:
        """The response wrapper key: ``listzonesresponse``."""
        return self.name.lower() + "response"


@dataclass
class Registry:
    """The command table and the per-kind version-gated fields."""

    commands: dict[str, CommandSpec] = field(default_factory=dict)
    # kind -> field -> first API version returning it
    fields_since: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, spec: CommandSpec) -> None:
        """Register *spec*; a second command of the same name is a programming error."""
        if spec.name in self.commands:
            raise ValueError(f"command {spec.name} registered twice")
        self.commands[spec.name] = spec

    def served(self, api_version: str) -> list[CommandSpec]:
        """The commands served on *api_version*, sorted by name."""
        return [c for _, c in sorted(self.commands.items()) if c.served_on(api_version)]


REGISTRY = Registry()


def command(
    name: str,
    *,
    is_async: bool = False,
    params: Iterable[Param] = (),
    since: str | None = None,
    item: str | None = None,
    description: str = "",
    creates_first: bool = False,
) -> Callable[[Handler], Handler]:
    """Declare *name* as a served command handled by the decorated function."""

    def deco(fn: Handler) -> Handler:
        REGISTRY.add(
            CommandSpec(
                name=name,
                handler=fn,
                is_async=is_async,
                params=tuple(params),
                since=since,
                item=item,
                description=description or (fn.__doc__ or "").strip().split("\n")[0],
                creates_first=creates_first,
            )
        )
        return fn

    return deco


def fields_since(kind: str, fields: Mapping[str, str]) -> None:
    """Declare fields of *kind* items that only API versions >= the given one return.

    >>> fields_since("doctestkind", {"url": "4.22"})
    >>> REGISTRY.fields_since["doctestkind"]["url"]
    '4.22'
    """
    REGISTRY.fields_since.setdefault(kind, {}).update(fields)


def load_handlers() -> Registry:
    """Import every handler module of this package (registering its commands)."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


def version_at_least(api_version: str, since: str | None) -> bool:
    """True when *api_version* (``4.18.0.0``) is *since* (``4.22``) or newer.

    >>> version_at_least("4.18.0.0", "4.22"), version_at_least("4.22.1.0", "4.22")
    (False, True)
    >>> version_at_least("4.18.0.0", None)
    True
    """
    if since is None:
        return True

    def parts(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in v.split(".") if x.isdigit())

    want = parts(since)
    return parts(api_version)[: len(want)] >= want


def new_id() -> str:
    """A fresh UUID, as the server gives every item."""
    return str(uuid.uuid4())


def now_text(t: float | None = None) -> str:
    """A timestamp in the server's format: ``2024-01-02T03:04:05+0000``.

    >>> now_text(0)
    '1970-01-01T00:00:00+0000'
    """
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(time.time() if t is None else t))


def short_name(command_name: str) -> str:
    """The name the server uses in its error texts: the lowercased command."""
    return command_name.lower()


@dataclass
class Ctx:
    """What a handler gets: typed params, the store, the API version, helpers.

    ``params`` holds the given parameters only, typed; ``raw`` all request
    parameters as strings. ``api_version`` is the full version (``4.18.0.0``).
    """

    spec: CommandSpec
    params: dict[str, Any]
    raw: Mapping[str, str]
    store: Store
    api_version: str

    @property
    def command(self) -> str:
        """The command name (``createZone``)."""
        return self.spec.name

    def get(self, name: str, default: Any = None) -> Any:
        """The typed value of parameter *name*, or *default* when not given."""
        return self.params.get(name, default)

    def error(self, status: int, text: str, cserrorcode: int | None = None) -> ApiError:
        """An :class:`ApiError` to raise: ``raise ctx.error(431, "...")``."""
        return ApiError(status, text, cserrorcode)

    def invalid(self, text: str) -> ApiError:
        """A 431 ``InvalidParameterValueException`` with *text*."""
        return ApiError(431, text)

    def since(self, version: str) -> bool:
        """True when the simulated server is *version* (``"4.22"``) or newer."""
        return version_at_least(self.api_version, version)

    def now(self) -> str:
        """The current time in the server's format."""
        return now_text()

    def entity(self, kind: str, item_id: str, param: str = "id") -> Item:
        """The stored *kind* item *item_id*, or the server's 431 for parameter *param*."""
        item = self.store.get(kind, item_id)
        if item is None:
            raise ApiError(431, invalid_uuid_text(self.command, param, item_id))
        return item

    def list_response(
        self,
        kind: str,
        items: Iterable[Item] | None = None,
        *,
        fields: Mapping[str, str] | None = None,
        skip: Iterable[str] = (),
        key: str | None = None,
        match: Callable[[Item], bool] | None = None,
        flags: Mapping[str, bool] | None = None,
        keyword_fields: tuple[str, ...] = ("name",),
    ) -> dict[str, Any]:
        """A list answer for the stored *kind* items (or *items*), as the server gives it.

        Every given parameter of the command filters on the item field of the same
        name (or the one *fields* maps it to; parameters in *skip* do not filter, nor
        does a parameter naming a field the item lacks). ``keyword`` matches a
        substring of ``name`` (of any of *keyword_fields*, for *items*); each
        ``field: flag`` of *flags* keeps the items with
        ``bool(item.get(field, False)) == flag``; ``match`` is an extra predicate.
        Then paging: ``pagesize`` at most 500 (``-1``: all), ``page`` needs
        ``pagesize``. Returns ``{"count": N, key: [...]}``, or ``{}`` when nothing
        matches; *key* defaults to *kind*. Stored items are filtered, counted and paged
        inside the store (only the page is decoded) unless *match* is given.
        """
        page, pagesize = self._paging()
        mapping = dict(fields or {})
        skipped = set(skip) | PAGING_PARAMS
        filters = [
            (mapping.get(name, name), value)
            for name, value in self.params.items()
            if name not in skipped
        ]
        keyword = self.params.get("keyword")
        limit: int | None = None
        offset = 0
        if pagesize is not None and pagesize >= 0:
            limit, offset = pagesize, (max(page or 1, 1) - 1) * pagesize
        if items is None and match is None:
            count, out = self.store.page(
                kind, filters=filters, keyword=keyword, flags=flags, limit=limit, offset=offset
            )
        else:
            if items is None:
                _, source = self.store.page(kind, filters=filters, keyword=keyword, flags=flags)
            else:
                source = [
                    it
                    for it in items
                    if item_matches(it, filters)
                    and (
                        keyword is None
                        or any(keyword_matches(it.get(f, ""), keyword) for f in keyword_fields)
                    )
                    and all(bool(it.get(f, False)) == v for f, v in (flags or {}).items())
                ]
            found = [it for it in source if match is None or match(it)]
            count = len(found)
            out = found if limit is None else found[offset : offset + limit]
        if not count:
            return {}
        if not out:
            return {"count": count}
        return {"count": count, key or kind: out}

    def _paging(self) -> tuple[int | None, int | None]:
        page = self.params.get("page")
        pagesize = self.params.get("pagesize")
        if page is not None and pagesize is None:
            raise ApiError(431, '"page" parameter is required when "pagesize" is specified')
        if pagesize is not None and pagesize > DEFAULT_PAGE_SIZE:
            raise ApiError(
                431, f"Page size can't exceed max allowed page size value: {DEFAULT_PAGE_SIZE}"
            )
        if pagesize is not None and pagesize != -1 and pagesize < 1:
            raise ApiError(431, "Page size can't be 0 or negative, except -1")
        return page, pagesize


def missing_param_text(command_name: str, param: str) -> str:
    """The server's text for a missing required parameter.

    >>> missing_param_text("createZone", "name")
    'Unable to execute API command createzone due to missing parameter name'
    """
    name = short_name(command_name)
    return f"Unable to execute API command {name} due to missing parameter {param}"


def invalid_value_text(command_name: str, param: str, value: str) -> str:
    """The server's text for a value that is not of the parameter's type."""
    return (
        f"Unable to execute API command {short_name(command_name)} due to invalid value "
        f"{value} for parameter {param}"
    )


def invalid_uuid_text(command_name: str, param: str, value: str) -> str:
    """The server's text for a uuid naming nothing (or not a uuid)."""
    return (
        f"Unable to execute API command {short_name(command_name)} due to invalid value. "
        f"Invalid parameter {param} value={value} due to incorrect long value format, "
        "or entity does not exist or due to incorrect parameter annotation for the field "
        "in api cmd class."
    )


def parse_params(
    spec: CommandSpec, raw: Mapping[str, str], store: Store, api_version: str
) -> dict[str, Any]:
    """Check and type the request parameters of *spec*, as the server's dispatcher does.

    Raises :class:`ApiError` 431 for a missing required parameter, a bad number, or
    a uuid that names no stored item. Booleans parse as the server's
    ``Boolean.valueOf``: ``true`` (any case) is true, anything else false.
    """
    out: dict[str, Any] = {}
    for p in spec.params_on(api_version):
        if p.type == "map":
            value = _parse_map(p.name, raw)
            if value is None:
                if p.required:
                    raise ApiError(431, missing_param_text(spec.name, p.name))
                continue
            out[p.name] = value
            continue
        text = raw.get(p.name)
        if text is None:
            if p.required:
                raise ApiError(431, missing_param_text(spec.name, p.name))
            continue
        out[p.name] = _convert(spec, p, text, store)
    return out


def _convert(spec: CommandSpec, p: Param, text: str, store: Store) -> Any:
    if p.type == "boolean":
        return text.strip().lower() == "true"
    if p.type in INT_TYPES:
        if not text.strip():
            return None
        try:
            return int(text)
        except ValueError:
            raise ApiError(431, invalid_value_text(spec.name, p.name, text)) from None
    if p.type == "uuid":
        _check_uuid(spec, p, text, store)
        return text
    if p.type == "list":
        values = [v for v in text.split(",") if v]
        if p.entity is not None:
            for v in values:
                _check_uuid(spec, p, v, store)
        return values
    return text


def _check_uuid(spec: CommandSpec, p: Param, text: str, store: Store) -> None:
    if text == "-1":
        return
    if not UUID_RE.match(text) or (p.entity is not None and not store.known(p.entity, text)):
        raise ApiError(431, invalid_uuid_text(spec.name, p.name, text))


def _parse_map(name: str, raw: Mapping[str, str]) -> list[dict[str, str]] | None:
    """``name[0].key=a&name[0].value=b`` -> ``[{"key": "a", "value": "b"}]`` by index."""
    prefix = name + "["
    groups: dict[int, dict[str, str]] = {}
    for k, v in raw.items():
        if not k.startswith(prefix):
            continue
        m = re.match(re.escape(name) + r"\[(\d+)\]\.(.+)$", k)
        if m is None:
            continue
        groups.setdefault(int(m.group(1)), {})[m.group(2)] = v
    if not groups:
        return None
    return [groups[i] for i in sorted(groups)]


def shape(value: Any, api_version: str, registry: Registry, kind: str | None = None) -> Any:
    """Drop ``_``-keys and fields *api_version* does not return, recursively."""
    if isinstance(value, dict):
        gated = registry.fields_since.get(kind or "", {})
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k.startswith("_"):
                continue
            if k in gated and not version_at_least(api_version, gated[k]):
                continue
            out[k] = shape(v, api_version, registry, k) if isinstance(v, dict | list) else v
        return out
    if isinstance(value, list):
        return [
            shape(v, api_version, registry, kind) if isinstance(v, dict | list) else v
            for v in value
        ]
    return value
