"""Settings (SPC45x): names, scopes and values as the server of the target release has them.

The server's metadata comes from the settings registry of the target release
(``specc/data/settings-<release>.json``, built from the apache/cloudstack source:
:mod:`specc.cloud.settings`). What the server does with a setting the rules flag:

- ``updateConfiguration`` of a name it does not have answers "Config parameter
  with name X doesn't exist" (``ConfigurationManagerImpl.updateConfiguration``);
- a value at a scope the setting does not have answers "Invalid scope id provided
  for the parameter X" (``validateConfigurationValue``; a Domain value of an
  Account setting is accepted when ``enable.account.settings.for.domain`` is true);
- a value that fails ``validateConfigurationValue`` answers 431 with its reason;
- a Hidden setting is never listed (``searchForConfigurations`` adds
  ``category != 'Hidden'``), so the plan cannot read it back.

Against a release between two registries (4.19-4.21, 4.23+) the older registry
may lack a newer name or scope: those findings are warnings (SPC455), and values
are not checked.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Iterator, Mapping
from typing import Any

from specc.cloud.kinds.normalise import norm_scalar
from specc.cloud.settings import SettingInfo, SettingsRegistry, registry_for
from specc.errors import Severity
from specc.spec.models import Settings, Spec
from specc.spec.rules import Finding, JsonPath, Rule

E = Severity.ERROR
W = Severity.WARNING

Entry = tuple[JsonPath, str, Any, str]
"""(path of the value, setting name, value, ConfigKey.Scope it is set at)."""

ACCOUNT_FOR_DOMAIN = "enable.account.settings.for.domain"
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$")
INT_BITS = {"Integer": 31, "Long": 63, "Short": 15}
DOMAIN_NAME = re.compile(r"^((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+[A-Za-z]{1,63}$")
HYPERVISORS = frozenset(
    {"xenserver", "kvm", "vmware", "hyperv", "virtualbox", "parallels", "baremetal"}
    | {"simulator", "ovm", "lxc", "ovm3"}
)


def entries(spec: Spec) -> Iterator[Entry]:
    """Every setting the spec sets, with where and at which scope."""

    def each(settings: Settings, at: JsonPath, scope: str) -> Iterator[Entry]:
        for name, value in settings.items():
            yield (*at, name), name, value, scope

    yield from each(spec.settings, ("settings",), "Global")
    for i, zone in enumerate(spec.zones):
        z: JsonPath = ("zones", i)
        yield from each(zone.settings, (*z, "settings"), "Zone")
        for p, pod in enumerate(zone.pods):
            for c, cluster in enumerate(pod.clusters):
                yield from each(
                    cluster.settings, (*z, "pods", p, "clusters", c, "settings"), "Cluster"
                )
        for k, pool in enumerate(zone.primary_storage):
            yield from each(pool.settings, (*z, "primary_storage", k, "settings"), "StoragePool")
        for k, store in enumerate(zone.secondary_storage):
            yield from each(store.settings, (*z, "secondary_storage", k, "settings"), "ImageStore")
    for i, dom in enumerate(spec.domain_settings):
        yield from each(dom.settings, ("domain_settings", i, "settings"), "Domain")
    for i, acc in enumerate(spec.account_settings):
        yield from each(acc.settings, ("account_settings", i, "settings"), "Account")


def _registry(spec: Spec) -> tuple[SettingsRegistry, bool]:
    """The registry for the spec's target and whether it is of the same release line."""
    reg = registry_for(spec.cloudstack.version)
    return reg, reg.exact_for(spec.cloudstack.version)


def _unknown(reg: SettingsRegistry, name: str) -> str | None:
    """Why the server of *reg*'s release answers "doesn't exist" for *name*, or None."""
    info = reg.get(name)
    if info is None:
        return "has none"
    return None if info.persisted else "declares it but never registers it, so never stores it"


def _scope_problem(reg: SettingsRegistry, spec: Spec, name: str, scope: str) -> str | None:
    """The scopes *name* has, when *scope* is not one of them (else None)."""
    info = reg.get(name)
    if info is None or not info.persisted or scope == "Global" or scope in info.scopes:
        return None
    account_for_domain = str(norm_scalar(spec.settings.get(ACCOUNT_FOR_DOMAIN))) == "true"
    if scope == "Domain" and "Account" in info.scopes and account_for_domain:
        return None
    return ", ".join(info.scopes)


def unknown_setting(spec: Spec) -> Iterator[Finding]:
    """SPC450: the server of the target release has a setting of this name."""
    reg, exact = _registry(spec)
    if not exact:
        return
    for path, name, _, _ in entries(spec):
        why = _unknown(reg, name)
        if why is not None:
            yield Finding(
                "SPC450",
                E,
                path,
                f"setting '{name}': CloudStack {reg.release} {why} (updateConfiguration "
                f'answers "Config parameter with name {name} doesn\'t exist")',
                _near(reg, name),
            )


def _near(reg: SettingsRegistry, name: str) -> str:
    """A hint naming the registry's settings closest to *name*."""
    close = difflib.get_close_matches(name, list(reg.settings), n=3, cutoff=0.8)
    found = f"Did you mean {', '.join(close)}? " if close else ""
    return f"{found}Names are exact and case-sensitive: `cmk list configurations name=...`."


def setting_scope(spec: Spec) -> Iterator[Finding]:
    """SPC451: a setting is set only at a scope it has (its ConfigKey.Scope)."""
    reg, exact = _registry(spec)
    if not exact:
        return
    for path, name, _, scope in entries(spec):
        has = _scope_problem(reg, spec, name, scope)
        if has is not None:
            info = reg.settings[name]
            yield Finding(
                "SPC451",
                E,
                path,
                f"setting '{name}' has scope {has} in CloudStack {reg.release}, not {scope} "
                f'(the server answers "Invalid scope id provided for the parameter {name}")',
                f"Set it in {_where(info)} ({_declared(info)}).",
            )


def _declared(info: SettingInfo) -> str:
    """The declaration of a setting, without its file: ``CapacityManager.X``."""
    return info.source.rsplit(" ", 1)[-1]


def _where(info: SettingInfo) -> str:
    places = {
        "Global": "top-level `settings`",
        "Zone": "a zone's `settings`",
        "Cluster": "a cluster's `settings`",
        "StoragePool": "a primary storage pool's `settings`",
        "ImageStore": "a secondary storage's `settings`",
        "Domain": "`domain_settings`",
        "Account": "`account_settings`",
    }
    scopes = dict.fromkeys(("Global", *info.scopes))
    return " or ".join(places[s] for s in scopes if s in places)


def setting_newer_than_registry(spec: Spec) -> Iterator[Finding]:
    """SPC455: a setting and its scope are in the registry nearest the target (warning).

    A target between two registries (4.19-4.21, 4.23+) is judged by the older one; a
    name or scope it lacks may have come since, so specc can only warn.
    """
    reg, exact = _registry(spec)
    if exact:
        return
    target = spec.cloudstack.version
    for path, name, _, scope in entries(spec):
        why = _unknown(reg, name)
        has = None if why is not None else _scope_problem(reg, spec, name, scope)
        if why is None and has is None:
            continue
        text = (
            f"CloudStack {reg.release} {why}"
            if why is not None
            else f"it has scope {has} in CloudStack {reg.release}, not {scope}"
        )
        yield Finding(
            "SPC455",
            W,
            path,
            f"setting '{name}': {text}; specc has no settings registry for {target} to check",
            f"Check it on a {target} server: `cmk list configurations name={name}`.",
        )


def hidden_setting(spec: Spec) -> Iterator[Finding]:
    """SPC452: a setting is listed by listConfigurations, so the plan can read it back (warning)."""
    reg, _ = _registry(spec)
    for path, name, _, _ in entries(spec):
        info = reg.get(name)
        if info is None or not info.persisted or info.listed:
            continue
        yield Finding(
            "SPC452",
            W,
            path,
            f"setting '{name}' is Hidden: listConfigurations never lists it, so specc "
            "cannot read it back and sets it again on every apply",
            "Hidden settings hold server internals (keys, certificates): leave them unless "
            "the release notes say otherwise.",
        )


def setting_value(spec: Spec) -> Iterator[Finding]:
    """SPC453: a value passes the server's validateConfigurationValue (type, range, name sets)."""
    reg, exact = _registry(spec)
    if not exact:
        return
    for path, name, raw, _ in entries(spec):
        info = reg.get(name)
        if info is None or not info.persisted or raw is None:
            continue
        value = str(norm_scalar(raw))
        problem = value_problem(info, value, reg.release)
        if problem is not None:
            yield Finding(
                "SPC453",
                E,
                path,
                f"setting '{name}' = {value!r}: {problem} (CloudStack {reg.release} refuses it)",
                f"The server checks it in validateConfigurationValue ({_declared(info)}).",
            )


def value_problem(info: SettingInfo, value: str, release: str) -> str | None:
    """What the server of *release* finds wrong with *value* for *info*, or None.

    4.18: the setting's ``validation`` rules (parse, boolean, positive, 0..1 weight,
    greater than 0, integer range, the ``Config`` range, IP ranges). 4.22: its
    ``validateValueType`` (every numeric type parsed, finite floats, exact booleans).

    >>> from specc.cloud.settings import registry
    >>> value_problem(registry("4.18.2.5").get("check.pod.cidrs"), "maybe", "4.18.2.5")
    'one of true, false (any case)'
    """
    if not release.startswith("4.18."):
        return _type_problem(info.java_type, value)
    for rule in info.validation:
        problem = _rule_problem(rule, value)
        if problem is not None:
            return problem
    return None


def _type_problem(java_type: str | None, value: str) -> str | None:
    if java_type == "Boolean" and value not in ("true", "false"):
        return "true or false (lower case)"
    if java_type in INT_BITS and not _int_ok(value, INT_BITS[java_type]):
        return f"a {java_type.lower()} number"
    if java_type in ("Float", "Double"):
        number = _float(value)
        if number is None or number in (float("inf"), float("-inf")):
            return "a finite decimal number"
    return None


def _int_ok(value: str, bits: int) -> bool:
    return bool(_INT.match(value)) and -(2**bits) <= int(value) < 2**bits


def _float(value: str) -> float | None:
    if not _FLOAT.match(value.strip()):
        return None
    return float(value.strip().rstrip("fFdD"))


def _rule_problem(rule: Mapping[str, Any], value: str) -> str | None:
    kind = rule.get("rule")
    if kind == "parse":
        parser = str(rule.get("parser", ""))
        bits = 63 if parser.startswith("Long") else 31
        ok = _float(value) is not None if parser.startswith("Float") else _int_ok(value, bits)
        return None if ok else f"not a valid {parser.split('.')[0].lower()} value"
    if kind == "boolean":
        return None if value in ("true", "false") else "true or false (lower case)"
    number = _float(value)
    if kind in ("positive_int", "greater_than"):
        return None if number is not None and number > 0 else "a number greater than 0"
    if kind == "float_range":
        return None if number is not None and 0 <= number <= 1 else "a number between 0 and 1"
    if kind == "int_range":
        low, high = rule.get("min"), rule.get("max")
        ok = number is not None and (low is None or number >= low)
        ok = ok and (high is None or (number is not None and number <= high))
        span = f"{'' if low is None else low}..{'' if high is None else high}"
        return None if ok else f"an integer in {span}"
    if kind == "string_range":
        return _string_range(rule.get("any_of", ()), value)
    if kind in ("ipv4", "ipv4_range"):
        parts = value.split("-") if kind == "ipv4_range" else [value]
        ok = len(parts) == (2 if kind == "ipv4_range" else 1) and all(_ipv4(p) for p in parts)
        return None if ok or not value else "an IPv4 address (range: first-last)"
    return None


def _string_range(options: Any, value: str) -> str | None:
    wanted: list[str] = []
    for option in options:
        if "equals_ignore_case" in option:
            if value.lower() == str(option["equals_ignore_case"]).lower():
                return None
            wanted.append(str(option["equals_ignore_case"]))
        elif _check(str(option.get("check")), value):
            return None
        else:
            wanted.append(str(option.get("check")))
    return f"one of {', '.join(wanted)} (any case)"


def _check(check: str, value: str) -> bool:
    """The server's named range checks (``validateIfStringValueIsInRange``)."""
    if check == "instanceName":
        return not any(ch in value for ch in "- +")
    if check == "hypervisorList":
        return all(h.lower() in HYPERVISORS for h in value.split(","))
    if check == "domainName":
        name = value[2:] if value.startswith("*") else value
        return len(name) < 238 and DOMAIN_NAME.match(name) is not None
    if check == "privateip":  # NetUtils.isSiteLocalAddress
        nets = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
        return _ipv4(value) and any(
            ipaddress.ip_address(value) in ipaddress.ip_network(n) for n in nets
        )
    return True


def _ipv4(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 4
    except ValueError:
        return False


def duplicate_scope_object(spec: Spec) -> Iterator[Finding]:
    """SPC454: a domain or an account is named once in domain_settings/account_settings."""
    seen: dict[tuple[str, ...], int] = {}
    key: tuple[str, ...]
    for i, dom in enumerate(spec.domain_settings):
        key = ("domain", dom.domain)
        if key in seen:
            yield Finding(
                "SPC454",
                E,
                ("domain_settings", i, "domain"),
                f"domain {dom.domain} is named twice in domain_settings "
                f"(first at entry {seen[key] + 1})",
                "Merge its settings into one entry.",
            )
        seen.setdefault(key, i)
    for i, acc in enumerate(spec.account_settings):
        key = ("account", acc.domain, acc.account)
        if key in seen:
            yield Finding(
                "SPC454",
                E,
                ("account_settings", i, "account"),
                f"account {acc.account} of {acc.domain} is named twice in account_settings "
                f"(first at entry {seen[key] + 1})",
                "Merge its settings into one entry.",
            )
        seen.setdefault(key, i)


RULES: tuple[Rule, ...] = (
    unknown_setting,
    setting_scope,
    hidden_setting,
    setting_value,
    duplicate_scope_object,
    setting_newer_than_registry,
)
