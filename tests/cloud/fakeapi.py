"""A small fake CloudStack endpoint on loopback (stdlib ``http.server``), for broken
and hostile answers the simulator never gives.

It serves ``/client/api`` (anything else: a 404 HTML page, as a web server in front
of nothing would), checks no signature, answers ``listCapabilities`` with a version
and every other command with an empty list answer (``{"<command>response": {}}``,
what CloudStack sends for no items), unless a test sets an answer for the command:
a fixed body, or a function of the request's parameters.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Answer = Any | Callable[[Mapping[str, str]], Any]


class FakeApi(ThreadingHTTPServer):
    """The server; ``answers[command]`` is the value under ``<command>response``."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers: dict[str, Answer] = {}
        self.calls: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()

    @property
    def root(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def endpoint(self) -> str:
        """The API URL."""
        return f"{self.root}/client/api"

    def env(self, endpoint: str | None = None) -> dict[str, str]:
        """``CLOUDSTACK_*`` for this server."""
        return {
            "CLOUDSTACK_ENDPOINT": endpoint or self.endpoint,
            "CLOUDSTACK_KEY": "key",
            "CLOUDSTACK_SECRET": "secret",
        }

    def answer(self, params: dict[str, str]) -> Any:
        command = params.get("command", "")
        with self.lock:
            self.calls.append((command, params))
            value = self.answers.get(command)
        if command == "listCapabilities" and value is None:
            return {"capability": {"cloudstackversion": "4.18.0.0"}}
        if callable(value):
            return value(params)
        return {} if value is None else value


class _Handler(BaseHTTPRequestHandler):
    server: FakeApi

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        where = urlsplit(self.path)
        if where.path != "/client/api":
            body = b"<html><body><h1>404 Not Found</h1></body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        params = dict(parse_qsl(where.query))
        value = self.server.answer(params)
        key = params.get("command", "").lower() + "response"
        data = json.dumps({key: value}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def fake_api() -> Iterator[FakeApi]:
    """A fake endpoint serving in a thread for the duration of the block."""
    server = FakeApi()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
