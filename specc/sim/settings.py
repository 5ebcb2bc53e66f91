"""The settings a simulated management server has: the registry of its release.

``specc/data/settings-<release>.json`` lists every configuration setting a freshly
installed Apache CloudStack management server of that release stores in its
``configuration`` table, read from the server's source by ``tools/settings_registry``
(``Config`` enum, every registered ``ConfigKey``, the database scripts): name,
category, Java type, listConfigurations ``type``, default, scopes, dynamic flag,
Select/CSV options, range, description. A 4.18 simulator serves the 4.18.2.5
registry, a 4.22 one the 4.22.1.0 registry.

This module reads the data file itself: the simulator shares no code with the
compiler (``specc.cloud.settings`` reads the same file for specc's own checks).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

RELEASES = ("4.18.2.5", "4.22.1.0")
"""The releases a registry exists for, oldest first."""


def release_for(api_version: str) -> str:
    """The registry release a server of *api_version* serves: the newest not newer.

    >>> release_for("4.18.0.0"), release_for("4.22.1.0"), release_for("4.20.0.0")
    ('4.18.2.5', '4.22.1.0', '4.18.2.5')
    """

    def minor(text: str) -> tuple[int, ...]:
        return tuple(int(p) for p in text.split(".")[:2] if p.isdigit())

    chosen = RELEASES[0]
    for release in RELEASES:
        if minor(release) <= minor(api_version):
            chosen = release
    return chosen


@dataclass(frozen=True)
class Setting:
    """One setting as the server of the release declares it.

    ``java_type`` is the class ``validateConfigurationValue`` checks with (the
    ``Config`` entry's, else the ConfigKey's; None for rows only SQL creates);
    ``value_type`` what listConfigurations returns as ``type``; ``scopes`` the
    ``ConfigKey.Scope`` names (``Zone``, ``Cluster``, ``StoragePool``, ``Account``,
    ``Domain``, ``ImageStore``, ``Global``); ``config_enum``: an entry of the
    ``Config`` enum (its ``range`` is checked); ``config_key``: a registered
    ConfigKey (ConfigDepot knows it: a value per scope object can be read).
    """

    name: str
    category: str
    java_type: str | None
    value_type: str
    default: str | None
    scopes: tuple[str, ...]
    dynamic: bool
    description: str
    kind: str | None
    options: tuple[str, ...]
    range: str | None
    group: str
    subgroup: str
    component: str | None
    parent: str | None
    display_text: str | None
    listed: bool
    persisted: bool
    config_enum: bool
    config_key: bool

    @classmethod
    def from_record(cls, r: Mapping[str, Any]) -> Setting:
        """A setting from one record of the data file (absent fields are null/false)."""
        return cls(
            name=str(r["name"]),
            category=str(r.get("category", "")),
            java_type=r.get("type"),
            value_type=str(r.get("value_type", "String")),
            default=r.get("default"),
            scopes=tuple(r.get("scope", ("Global",))),
            dynamic=bool(r.get("is_dynamic", False)),
            description=str(r.get("description", "")),
            kind=r.get("kind"),
            options=tuple(r.get("options", ())),
            range=r.get("range"),
            group=str(r.get("group", "Miscellaneous")),
            subgroup=str(r.get("subgroup", "Others")),
            component=r.get("component"),
            parent=r.get("parent"),
            display_text=r.get("display_text"),
            listed=bool(r.get("listed", False)),
            persisted=bool(r.get("persisted", False)),
            config_enum=bool(r.get("config_enum", False)),
            config_key=bool(r.get("config_key", False)),
        )

    def has_scope(self, scope: str) -> bool:
        """Whether the setting takes a value at *scope* (``Zone``...).

        The 4.18 server tests ``configScope.contains(scope)`` on the row's scope text;
        4.22 keeps a list. Neither row ever holds one scope's name inside another's.
        """
        return scope in self.scopes


@dataclass(frozen=True)
class Registry:
    """The settings of one release, by name, and the server's validation name sets."""

    release: str
    commit: str
    settings: Mapping[str, Setting]
    sets: Mapping[str, frozenset[str]]

    def get(self, name: str) -> Setting | None:
        """The setting named *name* (exactly), if the release declares it."""
        return self.settings.get(name)

    def in_set(self, set_name: str, name: str) -> bool:
        """Whether *name* is in ``ConfigurationManagerImpl``'s set *set_name*."""
        return name in self.sets.get(set_name, frozenset())


@cache
def registry(release: str) -> Registry:
    """The registry of *release* (one of :data:`RELEASES`), read once."""
    text = resources.files("specc").joinpath("data", f"settings-{release}.json").read_text()
    doc = json.loads(text)
    return Registry(
        release=release,
        commit=str(doc["registry"]["commit"]),
        settings={r["name"]: Setting.from_record(r) for r in doc["settings"]},
        sets={k: frozenset(v) for k, v in doc.get("validation_sets", {}).items()},
    )


def registry_for(api_version: str) -> Registry:
    """The registry a server of *api_version* serves."""
    return registry(release_for(api_version))


def display_text(name: str) -> str:
    """The display text of a setting without one: ``ConfigurationVO.getDisplayText``.

    Dots become spaces and the first letter is upper case.

    >>> display_text("expunge.delay")
    'Expunge delay'
    """
    text = name.replace(".", " ")
    return text[:1].upper() + text[1:]


def row(setting: Setting) -> dict[str, Any]:
    """The ``configuration`` row a fresh server holds for *setting*, as listed.

    The fields of ``ApiResponseHelper.createConfigurationResponse``: the value is
    the default, ``type`` the listConfigurations type, options as one text.
    """
    item: dict[str, Any] = {
        "name": setting.name,
        "category": setting.category,
        "value": setting.default,
        "defaultvalue": setting.default,
        "description": setting.description,
        "isdynamic": setting.dynamic,
        "component": setting.component,
        "displaytext": setting.display_text or display_text(setting.name),
        "type": setting.value_type,
        "group": setting.group,
        "subgroup": setting.subgroup,
        "parent": setting.parent,
        "options": ",".join(setting.options) if setting.options else None,
    }
    return {k: v for k, v in item.items() if v is not None}
