"""The apply journal: every step's outcome, appended and synced as it happens.

One JSON object per line, keyed by the plan's identity (a hash of the plan file's
text) and the cloud's (:func:`cloud_identity`), so a rerun of the same plan on the
same cloud knows what already happened, and the same plan on another cloud (a lab
set up again, a simulator state made anew) starts its own journal:

- ``{"event": "begin", "plan": ID, "cloud": CLOUD, "steps": N}`` when a run starts;
- ``{"event": "start", "step": S}`` before a step's request is sent;
- ``{"event": "done", "step": S, "outputs": {...}}`` when it completed (outputs are
  ids the API returned: never a parameter, so never a secret);
- ``{"event": "failed", "step": S, "error": TEXT}`` (text already masked);
- ``{"event": "paused", "step": S}``: a host script waits for an operator (a planned
  pause; the run ends without ``finished``). Its later ``done`` carries
  ``"confirmed": "--continue"`` when the operator confirmed it that way;
- ``{"event": "finished"}`` when every step is done.

A step with a ``start`` and no ``done`` may have half-completed (sent, no answer):
the executor reconciles it before sending again. A torn last line (a kill during a
write) is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specc.cloud.client import CloudClient
from specc.core.steps import Plan
from specc.errors import ApiError, ApplyError


def plan_identity(plan: Plan) -> str:
    """The plan's identity: a hash of its canonical file text."""
    from specc.planning.planfile import dump_plan

    return "sha256:" + hashlib.sha256(dump_plan(plan).encode()).hexdigest()


def cloud_identity(client: CloudClient) -> str:
    """The identity of the cloud behind *client*: ``cloud:<cloud.identifier>``.

    A management server makes a random ``cloud.identifier`` when its database is set
    up (``ConfigurationServerImpl.updateCloudIdentifier``, apache/cloudstack
    4.18.2.5) and answers it to ``getCloudIdentifier userid=<caller>``; the caller's
    user id comes from ``getUser userapikey=<our key>`` (a root admin command). When
    those are refused (another role), the endpoint stands for the cloud:
    ``endpoint:<url>``.
    """
    try:
        user = client.call("getUser", userapikey=client.creds.key)["user"]
        found = client.call("getCloudIdentifier", userid=str(user["id"]))["cloudidentifier"]
        identifier = str(found["cloudidentifier"])
    except (ApiError, KeyError, TypeError):
        return f"endpoint:{client.endpoint}"
    return f"cloud:{identifier}" if identifier else f"endpoint:{client.endpoint}"


def cloud_key(cloud: str) -> str:
    """A short name of a cloud identity for file names.

    >>> cloud_key("cloud:5138b444-b103-494f-9b73-c1e2f8a6deed")
    '8d76ffbe3a84'
    """
    return hashlib.sha256(cloud.encode()).hexdigest()[:12]


def default_path(plan: Plan, folder: Path, cloud: str | None = None) -> Path:
    """Where the journal of *plan* lives by default: ``FOLDER/<plan id>[-<cloud>].jsonl``."""
    tail = f"-{cloud_key(cloud)}" if cloud else ""
    return folder / f"{plan_identity(plan)[7:23]}{tail}.jsonl"


@dataclass
class Progress:
    """What a journal says about earlier runs of its plan."""

    done: dict[str, dict[str, Any]] = field(default_factory=dict)
    in_flight: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)
    paused: set[str] = field(default_factory=set)
    runs: int = 0
    finished: bool = False


class Journal:
    """An append-only, fsynced journal of one plan's steps."""

    def __init__(self, path: Path, plan_id: str, cloud: str | None = None) -> None:
        self.path = path
        self.plan_id = plan_id
        self.cloud = cloud
        self._lock = threading.Lock()
        self._fh: Any = None

    def read(self) -> Progress:
        """The progress recorded so far (empty when there is no journal).

        Raises:
            ApplyError: the journal belongs to another plan.
        """
        progress = Progress()
        if not self.path.exists():
            return progress
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue  # a torn last line: the write it belonged to never finished
            if not isinstance(rec, dict):
                continue
            event, step = rec.get("event"), str(rec.get("step", ""))
            if event == "begin":
                if rec.get("plan") != self.plan_id:
                    raise ApplyError(
                        f"journal {self.path} belongs to another plan ({rec.get('plan')})",
                        hint="give another --journal, or remove it if that plan is abandoned",
                    )
                theirs = rec.get("cloud")
                if self.cloud and theirs and theirs != self.cloud:
                    raise ApplyError(
                        f"journal {self.path} belongs to another cloud ({theirs})",
                        hint="give another --journal, or leave --journal out: the default "
                        "journal is kept per plan and cloud",
                    )
                progress.runs += 1
            elif event == "start":
                progress.in_flight.add(step)
            elif event == "done":
                progress.done[step] = dict(rec.get("outputs") or {})
                progress.in_flight.discard(step)
                progress.failed.pop(step, None)
                progress.paused.discard(step)
            elif event == "paused":
                progress.in_flight.discard(step)
                progress.paused.add(step)
            elif event == "failed":
                progress.in_flight.discard(step)
                progress.failed[step] = str(rec.get("error", ""))
            elif event == "finished":
                progress.finished = True
        return progress

    def open(self, steps: int) -> None:
        """Start a run: open for appending and record ``begin``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open
        begin: dict[str, Any] = {"event": "begin", "plan": self.plan_id, "steps": steps}
        if self.cloud:
            begin["cloud"] = self.cloud
        self.record(begin)

    def record(self, rec: dict[str, Any]) -> None:
        """Append one record and sync it to disk before returning."""
        line = json.dumps(rec, sort_keys=True, separators=(",", ":")) + "\n"
        with self._lock:
            if self._fh is None:
                raise ApplyError("the journal is not open")
            self._fh.write(line)
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None
