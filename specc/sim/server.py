"""The simulator as a real HTTP server: ``/client/api``, GET and POST, JSON answers.

:class:`Simulator` owns the store, the dispatcher, the keys and the HTTP server; the
CLI runs it in the foreground, :func:`specc.sim.running` in a background thread.
"""

from __future__ import annotations

import json
import random
import socket
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from specc.errors import SpeccError
from specc.sim.auth import UNAUTHORIZED_TEXT, new_key, verify
from specc.sim.dispatch import Dispatcher, Faults
from specc.sim.handlers import load_handlers
from specc.sim.seed import initialise
from specc.sim.store import Store

API_VERSIONS = {"4.18": "4.18.0.0", "4.22": "4.22.1.0"}
API_PATH = "/client/api"
MAX_BODY = 1024 * 1024
# How long a simulated timeout holds the request before dropping the connection.
TIMEOUT_HOLD_S = 30.0
IDLE_TIMEOUT_S = 60.0


class SimError(SpeccError):
    """The simulator cannot start as asked."""


@dataclass
class SimConfig:
    """How to run a simulator (see ``specc sim serve --help``)."""

    host: str = "127.0.0.1"
    port: int = 0
    state: Path | None = None
    seed: str | Path | None = None
    api_version: str = "4.18"
    api_key: str | None = None
    secret_key: str | None = None
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    fail: Iterable[str] = field(default_factory=tuple)
    fault_seed: int = 0
    timeout_hold_s: float = TIMEOUT_HOLD_S


def full_version(api_version: str) -> str:
    """``4.18`` -> ``4.18.0.0``; a full version is kept.

    >>> full_version("4.22"), full_version("4.18.0.0")
    ('4.22.1.0', '4.18.0.0')
    """
    if api_version in API_VERSIONS:
        return API_VERSIONS[api_version]
    if api_version in API_VERSIONS.values():
        return api_version
    raise SimError(
        f"unsupported API version {api_version!r}",
        hint="use one of: " + ", ".join(API_VERSIONS),
    )


class Simulator:
    """A CloudStack management-server API simulator bound to a loopback port."""

    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.api_version = full_version(config.api_version)
        if (config.api_key is None) != (config.secret_key is None):
            raise SimError("give both --api-key and --secret-key, or neither")
        if not 0.0 <= config.fault_rate <= 1.0:
            raise SimError(f"fault rate must be between 0 and 1, not {config.fault_rate}")
        try:
            self.store = Store(config.state)
        except Exception as exc:
            raise SimError(f"cannot open state {config.state}: {exc}") from None
        registry = load_handlers()
        self.dispatcher = Dispatcher(self.store, registry, self.api_version)
        self.fresh = self.store.meta("initialised") is None
        """True when this start created the state (and applied the seed)."""
        if self.fresh:
            try:
                with self.store.transaction():  # all or nothing: a failed seed leaves no state
                    initialise(self.store, self.dispatcher, config.seed)
                    self.store.set_meta("initialised", "1")
            except BaseException:
                self.store.close()
                raise
        self.dispatcher.call_count = 0  # seeding calls are not served calls
        self.api_key, self.secret_key = self._keys(config)
        self.set_faults(
            latency_ms=config.latency_ms, fault_rate=config.fault_rate, fail=config.fail
        )
        self._rng = random.Random(config.fault_seed)
        self._rng_lock = threading.Lock()
        self._drops: dict[str, list[bool]] = {}
        self._stop = threading.Event()
        try:
            self.httpd = _Server((config.host, config.port), _Handler, self)
        except OSError as exc:
            self.store.close()
            raise SimError(
                f"cannot listen on {config.host}:{config.port}: {exc.strerror}"
            ) from None
        self._thread: threading.Thread | None = None

    def _keys(self, config: SimConfig) -> tuple[str, str]:
        if config.api_key is not None and config.secret_key is not None:
            api_key, secret_key = config.api_key, config.secret_key
        else:
            api_key = self.store.meta("api_key") or new_key()
            secret_key = self.store.meta("secret_key") or new_key()
        self.store.set_meta("api_key", api_key)
        self.store.set_meta("secret_key", secret_key)
        return api_key, secret_key

    # -- public interface --------------------------------------------------------

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.httpd.server_address[1])

    @property
    def endpoint(self) -> str:
        """The API endpoint URL: ``http://127.0.0.1:PORT/client/api``."""
        host = self.config.host if self.config.host not in ("0.0.0.0", "") else "127.0.0.1"
        return f"http://{host}:{self.port}{API_PATH}"

    @property
    def call_count(self) -> int:
        """How many API calls the server has answered (authenticated ones)."""
        return self.dispatcher.call_count

    def env(self) -> dict[str, str]:
        """The ``CLOUDSTACK_*`` variables clients read."""
        return {
            "CLOUDSTACK_ENDPOINT": self.endpoint,
            "CLOUDSTACK_KEY": self.api_key,
            "CLOUDSTACK_SECRET": self.secret_key,
        }

    def tamper(self, kind: str, item_id: str, **fields: Any) -> dict[str, Any]:
        """Change stored fields of an item behind the API's back (drift tests).

        A field given as None is removed. Returns the stored item.
        """
        with self.store.transaction():
            if self.store.get(kind, item_id) is None:
                raise SimError(f"no {kind} with id {item_id} to tamper with")
            return self.store.update(kind, item_id, **fields)

    def set_faults(
        self,
        latency_ms: float | None = None,
        fault_rate: float | None = None,
        fail: Iterable[str] | None = None,
        timeouts_after_call: bool | None = None,
    ) -> None:
        """Change the injected faults while running (None keeps a setting).

        ``timeouts_after_call``: a simulated timeout lets the call run, then drops
        the answer (default: it drops the request before it runs).
        """
        old = self.dispatcher.faults
        if fault_rate is not None and not 0.0 <= fault_rate <= 1.0:
            raise SimError(f"fault rate must be between 0 and 1, not {fault_rate}")
        self.dispatcher.faults = Faults(
            latency_ms=old.latency_ms if latency_ms is None else float(latency_ms),
            fault_rate=old.fault_rate if fault_rate is None else float(fault_rate),
            fail=old.fail if fail is None else frozenset(fail),
            timeouts_after_call=(
                old.timeouts_after_call if timeouts_after_call is None else timeouts_after_call
            ),
        )

    def drop_next(self, command: str, after_call: bool = False, times: int = 1) -> None:
        """Drop the answer of the next *times* calls of *command* (tests' exact faults).

        Each is held for ``timeout_hold_s``, then its connection closed without an
        answer, as a random timeout is; with *after_call* the call runs first (the
        client cannot tell whether its change happened).
        """
        with self._rng_lock:
            self._drops.setdefault(command.lower(), []).extend([after_call] * times)

    def start(self) -> Simulator:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, args=(0.05,), name="specc-sim", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until :meth:`close` (or Ctrl-C in the caller)."""
        self.httpd.serve_forever()

    def close(self) -> None:
        """Stop serving and close the state."""
        self._stop.set()
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
        self.httpd.server_close()
        with self.store.lock:
            self.store.close()

    # -- request handling -----------------------------------------------------------

    def answer(self, params: Mapping[str, str]) -> tuple[int, dict[str, Any] | None]:
        """Status and body for one request's parameters; body None means drop it."""
        command = params.get("command")
        if not command:
            return 400, _error("errorresponse", 400, "no command specified")
        key = command.lower() + "response"
        if self.dispatcher.lookup(command) is None:
            key = "errorresponse"
        if not verify(params, self.api_key, self.secret_key):
            return 401, _error(key, 401, UNAUTHORIZED_TEXT)
        with self._rng_lock:
            queued = self._drops.get(command.lower())
            drop = queued.pop(0) if queued else None
        if drop is not None:
            if drop:
                self.dispatcher.call(command, params)
            self._stop.wait(self.config.timeout_hold_s)
            return 0, None
        faults = self.dispatcher.faults
        if faults.fault_rate > 0:
            with self._rng_lock:
                hit = self._rng.random() < faults.fault_rate
                timeout = self._rng.random() < 0.5
            if hit and timeout:
                if faults.timeouts_after_call:
                    self.dispatcher.call(command, params)
                self._stop.wait(self.config.timeout_hold_s)
                return 0, None
            if hit:
                return 503, _error(key, 503, "Service Unavailable (simulated fault)")
        if faults.latency_ms > 0:
            self._stop.wait(faults.latency_ms / 1000.0)
        ans = self.dispatcher.call(command, params)
        return ans.status, ans.body


def _error(key: str, status: int, text: str) -> dict[str, Any]:
    return {key: {"uuidList": [], "errorcode": status, "errortext": text}}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], handler: type[_Handler], sim: Simulator) -> None:
        self.sim = sim
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Drop a broken connection quietly (no traceback on the terminal)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = IDLE_TIMEOUT_S

    def setup(self) -> None:
        super().setup()
        # answers go out in one write; without this, Nagle's algorithm and the
        # client's delayed ACK cost ~40 ms per keep-alive request
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """The simulator does not log requests."""

    def do_GET(self) -> None:
        self._api(b"")

    def do_POST(self) -> None:
        length_text = self.headers.get("Content-Length") or "0"
        try:
            length = int(length_text)
        except ValueError:
            self._send(400, _error("errorresponse", 400, "invalid Content-Length"), close=True)
            return
        if length > MAX_BODY or length < 0:
            text = f"Unable to parse form content: Form is larger than max length {MAX_BODY}"
            self._send(413, _error("errorresponse", 413, text), close=True)
            return
        body = self.rfile.read(length) if length else b""
        self._api(body)

    def _api(self, body: bytes) -> None:
        url = urlsplit(self.path)
        if url.path.rstrip("/") != API_PATH:
            self._send(404, _error("errorresponse", 404, f"{url.path} not found"))
            return
        params: dict[str, str] = {}
        pairs = parse_qsl(url.query, keep_blank_values=True, errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if body and ctype in ("", "application/x-www-form-urlencoded"):
            pairs += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        for name, value in pairs:
            params.setdefault(name, value)
        try:
            status, answer = self.server.sim.answer(params)
        except Exception as exc:  # never a traceback in a 500
            status = 530
            answer = _error("errorresponse", 530, f"Internal error: {type(exc).__name__}")
        if answer is None:
            self.close_connection = True
            return
        self._send(status, answer)

    def _send(self, status: int, body: dict[str, Any], close: bool = False) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)
