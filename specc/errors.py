"""Errors as values: Diagnostic with a location, and the SpeccError tree.

The core never prints and rarely raises: validation collects ``Diagnostic`` values,
and a stage that cannot go on raises a ``SpeccError`` whose message is fit for a
user. The CLI turns both into text; no Python traceback reaches a user.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    """How bad a finding is. A warning fails validation only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: 1-based line and column.

    >>> str(Location("spec.yaml", 3, 7))
    'spec.yaml:3:7'
    """

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a stable code, a severity, where, what, and what to do.

    ``path`` is the JSON path of the offending value inside the spec (for tools).
    """

    code: str
    severity: Severity
    message: str
    location: Location
    hint: str = ""
    path: tuple[str | int, ...] = field(default=())

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order by file, line, column, then code: stable output."""
        loc = self.location
        return (loc.file, loc.line, loc.col, self.code, self.message)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form, used by ``--format json``."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.location.file,
            "line": self.location.line,
            "col": self.location.col,
            "message": self.message,
            "hint": self.hint,
            "path": "/".join(str(p) for p in self.path),
        }


class SpeccError(Exception):
    """Base of every error specc reports to a user; ``str()`` is the message.

    ``location`` is where in the spec the error is, when it is about something the
    spec names (the CLI prints ``file:line:col`` before the message).
    """

    exit_code = 1

    def __init__(self, message: str, hint: str = "", location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location


class UsageError(SpeccError):
    """The command line itself is wrong (exit 2)."""

    exit_code = 2


class SpecError(SpeccError):
    """The spec cannot be used; carries its diagnostics."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class ConnectionFailed(SpeccError):
    """The CloudStack endpoint could not be reached, or refused our credentials."""


class ApiError(SpeccError):
    """The CloudStack API answered with an error."""

    def __init__(self, command: str, status: int, text: str, cserrorcode: int = 0) -> None:
        super().__init__(f"{command} failed: {status} {text}")
        self.command = command
        self.status = status
        self.text = text
        self.cserrorcode = cserrorcode


class BadAnswer(SpeccError):
    """The endpoint answered, but not as CloudStack does (a wrong shape, endless pages)."""


class SnapshotError(SpeccError):
    """A live-state snapshot file is unreadable, truncated or of another version."""


class PlanError(SpeccError):
    """A plan cannot be made or used (ambiguous identity, stale plan, bad plan file)."""


class ApplyError(SpeccError):
    """An apply step failed; the journal records where."""


class LockError(SpeccError):
    """Another apply holds the lock on this cloud."""


class SecretError(SpeccError):
    """A secret reference could not be resolved at execution time."""
