"""Setting declarations found in CloudStack's Java sources.

Three kinds of declarations are read from the parsed files:

* ``Config`` enum entries (``server/.../configuration/Config.java``):
  ``Name("Category", Component.class, Type.class, "name", "default",
  "description", range[, ConfigKey.Kind.X, "options"])``.  The enum constructor
  sets every entry's scope to Global; entries have no dynamic flag (stored 0).
* ``new ConfigKey<T>(...)`` and ``new ValidatedConfigKey<T>(...)`` calls, for
  every constructor overload of ``ConfigKey`` (category-first and type-first
  forms; one ``Scope`` or a ``List<Scope>``; ``Kind`` + options; multiplier;
  parent; display text; group / subgroup).
* the keys ``ExtensionRegistry.getConfigKeys()`` builds from the properties
  (``orderConfigKey``, ``excludeKey``, ...) of its Spring beans.

A ConfigKey is ``registered`` when its field name is used in some
``getConfigKeys()`` body: only those reach ``ConfigDepotImpl`` and the
``configuration`` table.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from javasrc import Evaluator, JavaFile, KeyCall, Token, Unresolved, Value

SCOPES = (
    "Global",
    "Zone",
    "Cluster",
    "StoragePool",
    "Account",
    "ManagementServer",
    "ImageStore",
    "Domain",
)
CONFIG_ENUM = "server/src/main/java/com/cloud/configuration/Config.java"
CMI = "server/src/main/java/com/cloud/configuration/ConfigurationManagerImpl.java"

# ConfigKey constructor parameters by argument count (framework/config ConfigKey.java).
COMMON_TYPE_FIRST = ("type", "name", "category", "default", "description", "is_dynamic")
COMMON_CATEGORY_FIRST = ("category", "type", "name", "default", "description", "is_dynamic")
_GROUPED = ("scope", "multiplier", "display_text", "parent", "group", "subgroup")
TYPE_FIRST_EXTRA: dict[int, tuple[str, ...]] = {
    6: (),
    7: ("parent",),
    8: ("scope", "multiplier"),
    9: ("scope", "multiplier", "parent"),
    12: _GROUPED,
    14: (*_GROUPED, "kind", "options"),
    15: (*_GROUPED, "kind", "options", "default_if_empty"),
}
VALIDATED_KEY = (*COMMON_CATEGORY_FIRST, "scope", "parent", "validator")
CONFIG_ENUM_ARGS = (
    "category",
    "component_class",
    "type",
    "name",
    "default",
    "description",
    "range",
    "kind",
    "options",
)
REGISTRY_PROPERTIES = ("orderConfigKey", "orderConfigDefault", "excludeKey", "excludeDefault")
SPRING_NS = "{http://www.springframework.org/schema/beans}"
_RAW_FIELDS = ("validator", "group", "subgroup")


@dataclass
class Declaration:
    """One declaration of a setting."""

    origin: str  # "Config" or "ConfigKey"
    file: str
    line: int
    declaration: str
    fields: dict[str, Any] = field(default_factory=dict)
    unresolved: dict[str, str] = field(default_factory=dict)
    registered: bool | None = None
    overload_known: bool = True

    @property
    def name(self) -> str | None:
        value = self.fields.get("name")
        return value if isinstance(value, str) else None

    def cite(self) -> dict[str, Any]:
        """Where the declaration is, for the registry's ``source`` fields."""
        out: dict[str, Any] = {
            "file": self.file,
            "line": self.line,
            "declaration": self.declaration,
            "origin": self.origin,
        }
        if self.registered is not None:
            out["registered"] = self.registered
        return out


def is_class_literal(toks: tuple[Token, ...]) -> bool:
    return len(toks) >= 3 and toks[-1].text == "class" and toks[-2].text == "."


def class_name(toks: tuple[Token, ...]) -> str:
    """``Integer.class`` -> ``Integer``."""
    return toks[-3].text if is_class_literal(toks) else " ".join(t.text for t in toks)


def looks_like_scope(toks: tuple[Token, ...]) -> bool:
    """A Scope argument: ``ConfigKey.Scope.X``, ``List.of(...)`` or a static import ``X``."""
    if len(toks) == 1:
        return toks[0].text in SCOPES
    return any(t.text in ("Scope", "List", "Arrays", "EnumSet") for t in toks)


def scopes_of(toks: tuple[Token, ...]) -> list[str] | None:
    """Scope names of ``ConfigKey.Scope.X`` / ``List.of(Scope.X, ...)``; None for ``null``."""
    if len(toks) == 1:
        return None if toks[0].text == "null" else [toks[0].text]
    return [
        t.text
        for i, t in enumerate(toks)
        if t.text in SCOPES and i >= 2 and toks[i - 2].text == "Scope"
    ]


def key_signature(call: KeyCall) -> tuple[tuple[str, ...], bool]:
    """Parameter names of the overload a ConfigKey call binds to, and whether it is known."""
    n = len(call.args)
    if call.constructor == "ValidatedConfigKey":
        return VALIDATED_KEY[:n], n == len(VALIDATED_KEY)
    if call.args and is_class_literal(call.args[0]):
        return COMMON_TYPE_FIRST + TYPE_FIRST_EXTRA.get(n, ()), n in TYPE_FIRST_EXTRA
    extra: tuple[str, ...] = ()
    if n == 7:
        extra = ("scope",) if looks_like_scope(call.args[6]) else ("parent",)
    elif n == 8:
        has_kind = any(t.text == "Kind" for t in call.args[6])
        extra = ("kind", "options") if has_kind else ("scope", "parent")
    return COMMON_CATEGORY_FIRST + extra, n in (6, 7, 8)


def spring_beans(text: str, class_suffix: str) -> list[tuple[str, dict[str, str]]]:
    """(id, property values) of the Spring beans whose class ends with ``class_suffix``."""
    beans: list[tuple[str, dict[str, str]]] = []
    for bean in ET.fromstring(text).iter(f"{SPRING_NS}bean"):
        if not (bean.get("class") or "").endswith("." + class_suffix):
            continue
        props: dict[str, str] = {}
        for prop in bean.findall(f"{SPRING_NS}property"):
            value = prop.get("value")
            if value is None:
                node = prop.find(f"{SPRING_NS}value")
                value = node.text if node is not None else None
            if value is not None:
                props[prop.get("name") or ""] = value.strip()
        beans.append((bean.get("id") or "", props))
    return beans


class Extractor:
    """Finds the declarations of all settings in the parsed sources."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.java = {p: JavaFile.parse(p, t) for p, t in texts.items() if p.endswith(".java")}
        self.ev = Evaluator(list(self.java.values()))
        self.supertypes: dict[str, set[str]] = {}
        for jf in self.java.values():
            for type_name, supers in jf.supertypes.items():
                self.supertypes.setdefault(type_name, set()).update(supers)
        self.declarations: list[Declaration] = []
        self.unnamed: list[Declaration] = []

    def run(self) -> list[Declaration]:
        """All declarations with a resolvable name (the others go to ``unnamed``)."""
        self._config_enum()
        self._key_names()
        self._config_keys()
        self._extension_registries()
        return self.declarations

    def _value(
        self, jf: JavaFile, toks: tuple[Token, ...], owner: str, decl: Declaration, key: str
    ) -> Value:
        try:
            return self.ev.evaluate(jf, toks, owner)
        except Unresolved:
            decl.unresolved[key] = jf.text(toks)
            return None

    def _config_enum(self) -> None:
        jf = self.java.get(CONFIG_ENUM)
        if jf is None:
            return
        # Config.getComponent(): "_componentClass == X.class) { return "name";"
        components = dict(
            re.findall(r'_componentClass == (\w+)\.class\)\s*\{\s*return "([^"]+)"', jf.source)
        )
        for const in jf.enum_constants("Config"):
            decl = Declaration("Config", jf.path, const.line, f"Config.{const.name}")
            for pname, toks in zip(CONFIG_ENUM_ARGS, const.args, strict=False):
                if pname == "type":
                    decl.fields["type"] = class_name(toks)
                elif pname == "component_class":
                    decl.fields["component"] = components.get(class_name(toks), "none")
                elif pname == "kind":
                    decl.fields["kind"] = None if toks[-1].text == "null" else toks[-1].text
                else:
                    decl.fields[pname] = self._value(jf, toks, "Config", decl, pname)
            decl.fields.update(scope=["Global"], is_dynamic=False)
            self.declarations.append(decl)
            if decl.name:
                self.ev.config_enum[const.name] = (decl.name, decl.fields.get("default"))

    def _key_names(self) -> None:
        """Fold the names of the ConfigKey fields first: other expressions use ``X.key()``."""
        for _ in range(3):
            for jf in self.java.values():
                for call in jf.key_calls:
                    if call.field is None or (call.owner, call.field) in self.ev.key_names:
                        continue
                    params, _ = key_signature(call)
                    try:
                        name = self.ev.evaluate(jf, call.args[params.index("name")], call.owner)
                    except Unresolved:
                        continue
                    if isinstance(name, str):
                        self.ev.key_names[(call.owner, call.field)] = name

    def _declare(self, jf: JavaFile, call: KeyCall, where: str) -> Declaration:
        """A Declaration from one ConfigKey constructor call."""
        params, known = key_signature(call)
        decl = Declaration("ConfigKey", jf.path, call.line, where, overload_known=known)
        for pname, toks in zip(params, call.args, strict=False):
            if pname == "type":
                decl.fields["type"] = class_name(toks)
            elif pname == "scope":
                decl.fields["scope"] = scopes_of(toks)
            elif pname == "kind":
                decl.fields["kind"] = None if toks[-1].text == "null" else toks[-1].text
            elif pname in _RAW_FIELDS:
                if toks[-1].text != "null":
                    decl.fields[pname] = jf.text(toks)
            else:
                decl.fields[pname] = self._value(jf, toks, call.owner, decl, pname)
        decl.fields.setdefault("scope", ["Global"])
        decl.fields["generic"] = call.generic
        return decl

    def _config_keys(self) -> None:
        for jf in self.java.values():
            for call in jf.key_calls:
                where = f"{call.owner}.{call.field}" if call.field else f"{call.owner} (inline)"
                decl = self._declare(jf, call, where)
                if call.field:
                    decl.registered = self.is_registered(call.owner, call.field)
                elif call.in_method:
                    decl.registered = True
                (self.declarations if decl.name else self.unnamed).append(decl)

    def ancestors(self, type_name: str) -> set[str]:
        """Every supertype of ``type_name`` known from the saved files."""
        found: set[str] = set()
        pending = [type_name]
        while pending:
            for sup in self.supertypes.get(pending.pop(), set()) - found:
                found.add(sup)
                pending.append(sup)
        return found

    def is_registered(self, owner: str, field_name: str) -> bool:
        """Whether a ``getConfigKeys()`` body that can see ``owner.field_name`` uses it.

        It can when it is written in ``owner`` or a subtype of it, or names the
        field qualified (``Owner.Field``).
        """
        for jf in self.java.values():
            if field_name not in jf.registered_names:
                continue
            if f"{owner}.{field_name}" in jf.source:
                return True
            if any(owner == t or owner in self.ancestors(t) for t in jf.types):
                return True
        return False

    def _extension_registries(self) -> None:
        """Keys ``ExtensionRegistry.getConfigKeys`` builds from its Spring bean properties."""
        registry = next(
            (jf for p, jf in self.java.items() if p.endswith("/ExtensionRegistry.java")), None
        )
        if registry is None:
            return
        calls = [c for c in registry.key_calls if c.owner == "ExtensionRegistry"]
        for path, text in sorted(self.texts.items()):
            if not path.endswith(".xml") or "ExtensionRegistry" not in text:
                continue
            for bean_id, props in spring_beans(text, "ExtensionRegistry"):
                self.ev.bindings = {p: props.get(p) for p in REGISTRY_PROPERTIES}
                for call in calls:
                    decl = self._declare(
                        registry, call, f"ExtensionRegistry bean {bean_id} ({path})"
                    )
                    if decl.name:
                        decl.registered = True
                        self.declarations.append(decl)
                self.ev.bindings = {}
        self.unnamed = [d for d in self.unnamed if d.file != registry.path]

    def validation_sets(self) -> dict[str, list[str]]:
        """The name sets ``ConfigurationManagerImpl`` validates specially.

        ``configValuesForValidation``, ``weightBasedParametersForValidation`` and
        ``overprovisioningFactorsForValidation`` (their ``.add(...)`` calls), plus
        ``macIdentifier`` when ``NetworkModel.MACIdentifier`` is range-checked.
        """
        jf = self.java.get(CMI)
        sets: dict[str, list[str]] = {}
        if jf is None:
            return sets
        toks = jf.tokens
        for i in range(len(toks) - 3):
            if not toks[i].text.endswith("ForValidation"):
                continue
            if (toks[i + 1].text, toks[i + 2].text, toks[i + 3].text) != (".", "add", "("):
                continue
            arg = tuple(jf.call_args(i + 3)[0])
            try:
                name = str(self.ev.evaluate(jf, arg, "ConfigurationManagerImpl"))
            except Unresolved:
                name = f"<unresolved: {jf.text(arg)}>"
            sets.setdefault(toks[i].text, []).append(name)
        if "NetworkModel.MACIdentifier.key().equalsIgnoreCase(name)" in jf.source:
            sets["macIdentifier"] = [self.ev.key_name(jf, ["NetworkModel", "MACIdentifier"])]
        return sets
