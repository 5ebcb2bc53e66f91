"""What specc knows of a release's settings: the server's own metadata, as data.

``specc/data/settings-<release>.json`` is built from the apache/cloudstack source of
a release by ``tools/settings_registry`` (the ``Config`` enum, every registered
``ConfigKey``, the database scripts). specc reads from it, for a setting the spec
names: whether the server has it, its scopes (``ConfigKey.Scope``), whether it is
listed, whether it is dynamic, and its value checks. The simulator reads the same
file through its own reader (``specc.sim.settings``): the data is the server's,
the code is not shared.

A server of a release between two registries is judged by the older one, and only
loosely: a name or scope the older release lacks may have come since.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

RELEASES = ("4.18.2.5", "4.22.1.0")

READ_AT_START: Mapping[str, str] = {
    "expunge.delay": "read once by UserVmManagerImpl.configure",
    "expunge.interval": "read once by UserVmManagerImpl.configure",
    "expunge.workers": "read once by UserVmManagerImpl.configure (its thread pool size)",
}
"""Settings a manager reads once in its ``configure`` (apache/cloudstack 4.18.2.5
``server/src/main/java/com/cloud/vm/UserVmManagerImpl.java``), whatever the row's
dynamic flag says: a new value takes effect when the management server restarts."""


def _minor(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".")[:2] if p.isdigit())


@dataclass(frozen=True)
class SettingInfo:
    """One setting of a release: what specc checks and plans with.

    ``java_type`` is the class the server validates with (None: not validated);
    ``scopes`` its ``ConfigKey.Scope`` names; ``listed`` false for category Hidden
    (never listed, so never read back); ``persisted`` false for a key declared but
    never registered (the server answers "doesn't exist"); ``validation`` the 4.18
    rules of ``validateConfigurationValue`` that apply (empty for 4.22);
    ``source`` the declaration (``file:line Class.FIELD``); ``default`` the value a
    fresh server has (None: no default).
    """

    name: str
    java_type: str | None
    scopes: tuple[str, ...]
    dynamic: bool
    listed: bool
    persisted: bool
    validation: tuple[Mapping[str, Any], ...]
    source: str
    default: str | None = None

    @classmethod
    def from_record(cls, r: Mapping[str, Any]) -> SettingInfo:
        """A setting from one record of the data file (absent fields are null/false)."""
        return cls(
            name=str(r["name"]),
            java_type=r.get("type"),
            scopes=tuple(r.get("scope", ("Global",))),
            dynamic=bool(r.get("is_dynamic", False)),
            listed=bool(r.get("listed", False)),
            persisted=bool(r.get("persisted", False)),
            validation=tuple(r.get("validation", ())),
            source=str(r.get("source", "")),
            default=None if r.get("default") is None else str(r["default"]),
        )


@dataclass(frozen=True)
class SettingsRegistry:
    """The settings of one release, by name."""

    release: str
    commit: str
    settings: Mapping[str, SettingInfo]

    def get(self, name: str) -> SettingInfo | None:
        """The setting named *name*, if the release has it."""
        return self.settings.get(name)

    def exact_for(self, version: str) -> bool:
        """Whether this registry is of *version*'s release line (same major.minor).

        >>> registry("4.18.2.5").exact_for("4.18"), registry("4.18.2.5").exact_for("4.20.1")
        (True, False)
        """
        return _minor(self.release) == _minor(version)


@cache
def registry(release: str) -> SettingsRegistry:
    """The registry of *release* (one of :data:`RELEASES`), read once."""
    text = resources.files("specc").joinpath("data", f"settings-{release}.json").read_text()
    doc = json.loads(text)
    return SettingsRegistry(
        release=release,
        commit=str(doc["registry"]["commit"]),
        settings={r["name"]: SettingInfo.from_record(r) for r in doc["settings"]},
    )


def registry_for(version: str) -> SettingsRegistry:
    """The registry for a server of *version*: the newest release not newer (else the oldest).

    >>> registry_for("4.22.1.0").release, registry_for("4.20").release, registry_for("4.17").release
    ('4.22.1.0', '4.18.2.5', '4.18.2.5')
    """
    chosen = RELEASES[0]
    for release in RELEASES:
        if _minor(release) <= _minor(version):
            chosen = release
    return registry(chosen)


def restart_reason(name: str, live_dynamic: bool | None, version: str) -> str | None:
    """Why a new global value of *name* waits for a management server restart, or None.

    A setting a manager reads once at start-up (:data:`READ_AT_START`) always waits.
    Otherwise the live row's ``isdynamic`` decides, or, when the live cloud was not
    read, the registry's: a non-dynamic ``ConfigKey`` caches its global value on first
    use (``ConfigKey.value()``), and ``Config`` enum settings are read when their
    manager starts. A value per zone, cluster, pool, account or domain is read from
    the object's details at each use (``ConfigKey.valueIn``), so it never waits.

    >>> restart_reason("ping.timeout", None, "4.18")
    >>> restart_reason("network.gc.wait", True, "4.18")
    >>> restart_reason("network.gc.wait", None, "4.18")
    'isdynamic false: read at start-up or cached on first use'
    """
    if name in READ_AT_START:
        return READ_AT_START[name]
    dynamic = live_dynamic
    if dynamic is None:
        info = registry_for(version).get(name)
        dynamic = None if info is None else info.dynamic
    if dynamic is False:
        return "isdynamic false: read at start-up or cached on first use"
    return None
