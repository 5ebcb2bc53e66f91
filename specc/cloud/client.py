"""A CloudStack API client on the ``cs`` library, with errors fit for a user.

``cs`` signs requests and talks HTTP through ``requests``. This module adds what
specc needs on top:

- every failure mapped to a :class:`~specc.errors.SpeccError` with a clear message
  (unreachable endpoint, refused credentials, TLS failure, API error, an endpoint
  that is not the API: a 404 suggests the ``/client/api`` URL);
- list calls paged here, 500 per page, every page checked against the shape a list
  answer has (:mod:`specc.cloud.answers`), paging bounded: a hostile or broken
  endpoint gives an error, never a wrong answer or an endless loop;
- retries with backoff only where they are safe: reads (``list*``, ``query*``,
  ``get*``) on transient errors (502/503/504, connection reset or timeout), and any
  command when the request provably never reached the server (connection refused,
  503 Service Unavailable);
- reads wait a short time for their answer (5 s, doubling on each retry up to the
  request timeout), so a dropped read costs seconds, not the 30 s a write may need;
- async jobs polled with ``queryAsyncJobResult`` under a timeout, with backoff;
- a count of the HTTP requests sent (the plan benchmark reports it);
- one ``cs`` client (one HTTP session) per thread, so the reader and the executor
  can call in parallel.
"""

from __future__ import annotations

import builtins
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from cs import CloudStack, CloudStackApiException, CloudStackException
from requests.utils import resolve_proxies

from specc.cloud.answers import MAX_PAGES, PAGE_SIZE, bad, page_items, page_signature
from specc.errors import ApiError, ConnectionFailed

READ_PREFIXES = ("list", "query", "get")
TRANSIENT_STATUS = frozenset({502, 503, 504})
API_PATH = "/client/api"


@dataclass(frozen=True)
class Credentials:
    """Where and as whom to connect. ``verify``: TLS verification (bool or CA path)."""

    endpoint: str
    key: str
    secret: str
    verify: bool | str = True
    name: str = ""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry transient failures, and to poll jobs.

    ``request_timeout_s`` bounds the wait for any answer (a write's too: a
    synchronous ``addHost`` or ``createStoragePool`` works while the client waits,
    ``AddHostCmd``/``CreateStoragePoolCmd`` extend ``BaseCmd``, not ``BaseAsyncCmd``,
    in apache/cloudstack 4.18.2.5). A read's first attempt waits ``read_timeout_s``,
    each retry twice as long, up to ``request_timeout_s``: a dropped read is retried
    after seconds, and a read that is only slow still gets its answer.
    """

    attempts: int = 4
    backoff_s: float = 0.2
    max_delay_s: float = 5.0
    request_timeout_s: float = 30.0
    read_timeout_s: float = 5.0
    job_timeout_s: float = 3600.0
    poll_start_s: float = 0.05
    poll_max_s: float = 2.0

    def delay(self, attempt: int) -> float:
        """Backoff before retry number *attempt* (1, 2, ...)."""
        return float(min(self.backoff_s * 2 ** (attempt - 1), self.max_delay_s))

    def timeout(self, command: str, attempt: int) -> float:
        """How long attempt *attempt* (1, 2, ...) of *command* waits for its answer.

        >>> p = RetryPolicy()
        >>> [p.timeout("listZones", n) for n in (1, 2, 3, 4)], p.timeout("createZone", 1)
        ([5.0, 10.0, 20.0, 30.0], 30.0)
        """
        if not is_read(command):
            return self.request_timeout_s
        grown = self.read_timeout_s * 2 ** (attempt - 1)
        return float(min(grown, self.request_timeout_s))

    def read_bound_s(self) -> float:
        """The longest one read can take before it answers or fails: every attempt
        waits its whole timeout, with the backoff between attempts.

        >>> RetryPolicy().read_bound_s()
        66.4
        """
        waits = sum(self.timeout("list", n) for n in range(1, self.attempts + 1))
        pauses = sum(self.delay(n) for n in range(1, self.attempts))
        return round(waits + pauses, 3)


def is_read(command: str) -> bool:
    """Whether *command* only reads (safe to retry).

    >>> is_read("listZones"), is_read("createZone")
    (True, False)
    """
    return command.startswith(READ_PREFIXES)


class _CountingSession(requests.Session):
    """A requests session that counts what it sends.

    It also works out the proxies (``HTTP(S)_PROXY``, ``NO_PROXY``) once per
    scheme and host instead of on every request: requests scans the whole
    environment three times per request for them, which cost more CPU than the
    rest of a call. The environment is read when the first request is sent.
    """

    def __init__(self, count: Callable[[], None]) -> None:
        super().__init__()
        self._count = count
        self._proxies: dict[tuple[str, str], dict[str, str]] = {}

    def send(self, request: Any, **kwargs: Any) -> Any:
        self._count()
        if "proxies" not in kwargs:
            where = urlsplit(str(request.url))
            key = (where.scheme, where.netloc)
            proxies = self._proxies.get(key)
            if proxies is None:
                proxies = resolve_proxies(request, dict(self.proxies), self.trust_env)
                self._proxies[key] = proxies
            kwargs["proxies"] = proxies
        return super().send(request, **kwargs)


class _Transient(Exception):
    """A failure worth retrying (carries the error to raise when retries run out)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class CloudClient:
    """A CloudStack API client: ``call``, ``list``, ``call_async``, ``api_version``."""

    def __init__(self, creds: Credentials, policy: RetryPolicy | None = None) -> None:
        self.creds = creds
        self.policy = policy or RetryPolicy()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._calls = 0
        self.retries = 0
        self._sleep: Callable[[float], None] = time.sleep
        self._readers: tuple[int, ThreadPoolExecutor] | None = None

    def readers(self, size: int) -> ThreadPoolExecutor:
        """A pool of *size* threads for parallel reads, kept for the client's life.

        Its threads keep their ``cs`` clients and HTTP connections from one read of
        the live state to the next (a lookup after a lost answer, the stale check).
        """
        with self._lock:
            if self._readers is None or self._readers[0] != size:
                self._readers = (size, ThreadPoolExecutor(size, thread_name_prefix="read"))
            return self._readers[1]

    # -- public interface --------------------------------------------------------

    @property
    def endpoint(self) -> str:
        """The API endpoint URL."""
        return self.creds.endpoint

    @property
    def call_count(self) -> int:
        """How many HTTP requests this client has sent (pages and polls included)."""
        return self._calls

    def call(self, command: str, **params: Any) -> dict[str, Any]:
        """Run *command* and return its response value (``{"zone": {...}}``).

        An async command returns ``{"jobid": ...}``; use :meth:`call_async` to wait.
        """
        result = self._with_retries(command, lambda api: getattr(api, command)(**params))
        return dict(result) if isinstance(result, Mapping) else {}

    def list(self, command: str, item_key: str, **params: Any) -> list[dict[str, Any]]:
        """All items of a list command, every page (500 per page).

        *item_key* is the response's item key (``zone`` for ``listZones``). Every
        page is checked (:func:`~specc.cloud.answers.page_items`); paging stops at a
        short page, at ``count`` items or at an empty page.

        Raises:
            BadAnswer: a page is not a list answer, repeats an earlier page, or the
                pages do not end within ``MAX_PAGES``.
        """
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        for page in range(1, MAX_PAGES + 1):
            answer = self._with_retries(command, _paged(command, page, params))
            got, count = page_items(command, self.endpoint, item_key, answer)
            signature = page_signature(got)
            if got and signature in seen:
                raise bad(
                    command,
                    self.endpoint,
                    f"page {page}",
                    "repeats an earlier page (the server ignores 'page')",
                )
            seen.add(signature)
            items += got
            if len(got) < PAGE_SIZE or (count is not None and len(items) >= count):
                return items
        raise bad(
            command,
            self.endpoint,
            "paging",
            f"did not end within {MAX_PAGES} pages of {PAGE_SIZE} items",
        )

    def call_unpaged(
        self, command: str, item_key: str, **params: Any
    ) -> builtins.list[dict[str, Any]]:
        """Items of a list command that takes no paging parameters (checked)."""
        answer = self._with_retries(command, lambda api: getattr(api, command)(**params))
        return page_items(command, self.endpoint, item_key, answer)[0]

    def call_async(
        self, command: str, timeout_s: float | None = None, **params: Any
    ) -> dict[str, Any]:
        """Run an async *command* and wait for its job; returns the job result.

        Raises:
            ApiError: the call or the job failed (the job's error code and text), or
                the job did not finish within *timeout_s*.
        """
        started = self.call(command, **params)
        jobid = started.get("jobid")
        if jobid is None:  # answered synchronously
            return started
        return self.wait_job(command, str(jobid), timeout_s)

    def wait_job(self, command: str, jobid: str, timeout_s: float | None = None) -> dict[str, Any]:
        """Poll job *jobid* (started by *command*) until it finishes."""
        limit = self.policy.job_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + limit
        delay = self.policy.poll_start_s
        while True:
            job = self.call("queryAsyncJobResult", jobid=jobid)
            status = int(job.get("jobstatus", 0) or 0)
            if status == 1:
                result = job.get("jobresult", {})
                return dict(result) if isinstance(result, Mapping) else {}
            if status == 2:
                result = job.get("jobresult") or {}
                code = int(result.get("errorcode", 530)) if isinstance(result, Mapping) else 530
                text = (
                    str(result.get("errortext", "job failed"))
                    if isinstance(result, Mapping)
                    else "job failed"
                )
                raise ApiError(command, code, f"async job {jobid} failed: {text}")
            if time.monotonic() + delay > deadline:
                raise ApiError(command, 408, f"async job {jobid} did not finish within {limit:g} s")
            self._sleep(delay)
            delay = min(delay * 1.5, self.policy.poll_max_s)

    def api_version(self) -> str:
        """The management server's version (``listCapabilities`` cloudstackversion)."""
        caps = self.call("listCapabilities").get("capability", {})
        version = caps.get("cloudstackversion") if isinstance(caps, Mapping) else None
        if not version:
            raise ApiError("listCapabilities", 0, "the answer names no cloudstackversion")
        return str(version)

    # -- internals -----------------------------------------------------------------

    def _count(self) -> None:
        with self._lock:
            self._calls += 1

    def _api(self) -> CloudStack:
        api = getattr(self._local, "api", None)
        if api is None:
            api = CloudStack(
                endpoint=self.creds.endpoint,
                key=self.creds.key,
                secret=self.creds.secret,
                verify=self.creds.verify,
                dangerous_no_tls_verify=self.creds.verify is False,
                timeout=max(1, int(self.policy.request_timeout_s)),
                session=_CountingSession(self._count),
                fetch_result=False,
            )
            self._local.api = api
        return api

    def _with_retries(self, command: str, send: Callable[[CloudStack], Any]) -> Any:
        attempt = 0
        while True:
            try:
                return self._once(command, send, self.policy.timeout(command, attempt + 1))
            except _Transient as exc:
                attempt += 1
                if attempt >= self.policy.attempts:
                    raise exc.error from None
                with self._lock:
                    self.retries += 1
                self._sleep(self.policy.delay(attempt))

    def _once(self, command: str, send: Callable[[CloudStack], Any], timeout_s: float) -> Any:
        read = is_read(command)
        api = self._api()
        api.timeout = timeout_s  # type: ignore[assignment]  # per thread; cs passes it to requests
        try:
            return send(api)
        except requests.exceptions.SSLError as exc:
            raise ConnectionFailed(
                f"TLS failure talking to {self.endpoint}: {_reason(exc)}",
                hint="check the server certificate; point 'verify' in the profile at "
                "its CA file (or set it to false for a test server only)",
            ) from None
        except requests.exceptions.ConnectionError as exc:
            # Refused or unresolvable: nothing was sent, any command may be retried.
            never_sent = isinstance(exc, requests.exceptions.ConnectTimeout) or _refused(exc)
            if read or never_sent:
                unreachable = ConnectionFailed(f"cannot reach {self.endpoint}: {_reason(exc)}")
                raise _Transient(unreachable) from None
            raise ApiError(
                command, 0, f"no answer from {self.endpoint} ({_reason(exc)}): it may have run"
            ) from None
        except requests.exceptions.Timeout:
            if read:
                timeout = ConnectionFailed(f"cannot reach {self.endpoint}: timed out")
                raise _Transient(timeout) from None
            raise ApiError(
                command, 0, f"no answer from {self.endpoint} (timed out): it may have run"
            ) from None
        except CloudStackApiException as exc:
            status = _status(exc)
            if status == 404:
                raise self._not_the_api(command, status, str(exc.args[0])) from None
            error = _api_error(command, status, exc.error, self.endpoint)
            if status in TRANSIENT_STATUS and (read or status == 503):
                raise _Transient(error) from None
            raise error from None
        except CloudStackException as exc:
            raise self._not_the_api(command, _status(exc), _cs_reason(exc)) from None

    def _not_the_api(self, command: str, status: int, reason: str) -> ConnectionFailed:
        """The error for an answer that is not the CloudStack API's."""
        suggested = suggest_endpoint(self.endpoint)
        if status == 404 and suggested != self.endpoint:
            hint = f"did you mean {suggested}?"
        else:
            hint = "the endpoint is usually http(s)://HOST:8080/client/api"
        return ConnectionFailed(
            f"{self.endpoint} did not answer {command} as a CloudStack API "
            f"(HTTP {status or '?'}): {reason}",
            hint=hint,
        )


def _paged(command: str, page: int, params: Mapping[str, Any]) -> Callable[[CloudStack], Any]:
    """The call of page *page* of list *command*."""

    def send(api: CloudStack) -> Any:
        return getattr(api, command)(page=page, pagesize=PAGE_SIZE, **params)

    return send


def suggest_endpoint(endpoint: str) -> str:
    """The API URL an *endpoint* most likely meant: its server's ``/client/api``.

    >>> suggest_endpoint("http://cs:8080"), suggest_endpoint("http://cs:8080/client/")
    ('http://cs:8080/client/api', 'http://cs:8080/client/api')
    >>> suggest_endpoint("https://cs/mgmt/client/api")
    'https://cs/mgmt/client/api'
    """
    where = urlsplit(endpoint)
    path = where.path.rstrip("/")
    if path.endswith(API_PATH):
        return endpoint
    if path.endswith("/client"):
        path = path[: -len("/client")]
    elif path.endswith("/api"):
        path = path[: -len("/api")]
    return f"{where.scheme}://{where.netloc}{path}{API_PATH}"


def _status(exc: CloudStackException) -> int:
    response = getattr(exc, "response", None)
    return int(getattr(response, "status_code", 0) or 0)


def _api_error(command: str, status: int, error: Any, endpoint: str) -> Exception:
    text = ""
    cserrorcode = 0
    if isinstance(error, Mapping):
        text = str(error.get("errortext", ""))
        cserrorcode = int(error.get("cserrorcode", 0) or 0)
    elif error:
        text = str(error)
    if status == 401:
        return ConnectionFailed(
            f"{endpoint} refused the credentials (401): {text or 'unable to verify'}",
            hint="check the API key and secret key of the profile or CLOUDSTACK_KEY/SECRET",
        )
    return ApiError(command, status, text or "error", cserrorcode)


def _refused(exc: BaseException) -> bool:
    text = repr(exc)
    return "Connection refused" in text or "NewConnectionError" in text or "Errno -2" in text


def _reason(exc: BaseException) -> str:
    """The innermost useful words of a requests error (no URL soup)."""
    text = str(exc)
    for marker in (
        "Connection refused",
        "Name or service not known",
        "Temporary failure in name resolution",
        "No route to host",
        "Connection reset by peer",
        "Remote end closed connection without response",
        "certificate verify failed",
        "wrong version number",
        "Read timed out",
        "timed out",
    ):
        if marker in text:
            return marker
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _cs_reason(exc: CloudStackException) -> str:
    parts = [str(a) for a in exc.args if a]
    return "; ".join(parts)[:200] or type(exc).__name__
