"""A small Java reader: tokens, declarations and constant expressions.

Just enough of Java to read CloudStack's settings declarations from saved
source files, with the standard library only:

* ``tokenize`` splits a compilation unit into tokens (comments dropped, string
  and char literals decoded, text blocks supported);
* ``JavaFile`` records, for every token, the enclosing type declarations, and
  finds ``static final`` constants, ``new ConfigKey<...>(...)`` /
  ``new ValidatedConfigKey<...>(...)`` calls, enum constants and the bodies of
  ``getConfigKeys()``;
* ``Evaluator`` folds constant expressions (string concatenation, arithmetic,
  ``X.key()``, ``String.valueOf``, qualified constants of other files) and
  reports the expression text when it cannot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

Value = str | int | float | bool | None


@dataclass(frozen=True)
class Token:
    """One lexical token; ``value`` is the decoded literal for str/char/num."""

    kind: str  # "str", "char", "num", "id", "op"
    text: str
    start: int
    end: int
    line: int
    value: Value = None


_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lcomment>//[^\n]*)
  | (?P<bcomment>/\*.*?\*/)
  | (?P<tblock>\"\"\"[ \t]*\n.*?(?<!\\)\"\"\")
  | (?P<str>"(?:\\.|[^"\\\n])*")
  | (?P<char>'(?:\\.|[^'\\\n])+')
  | (?P<num>0[xX][0-9a-fA-F_]+[lL]?|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[fFdDlL]?)
  | (?P<id>[A-Za-z_$][\w$]*)
  | (?P<op>\.\.\.|->|::|[^\s\w])
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "b": "\b",
    "r": "\r",
    "f": "\f",
    "s": " ",
    '"': '"',
    "'": "'",
    "\\": "\\",
}


def decode_java_string(body: str) -> str:
    """Decode the escapes of a Java string literal body (without quotes)."""
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 >= len(body):
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "u":
            j = i + 1
            while j < len(body) and body[j] == "u":
                j += 1
            out.append(chr(int(body[j : j + 4], 16)))
            i = j + 4
        elif nxt in "01234567":
            m = re.match(r"[0-3]?[0-7]{1,2}", body[i + 1 :])
            digits = m.group(0) if m else nxt
            out.append(chr(int(digits, 8)))
            i += 1 + len(digits)
        elif nxt == "\n":  # text block line continuation
            i += 2
        else:
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
    return "".join(out)


def _text_block(raw: str) -> str:
    """The value of a Java text block (incidental indentation stripped)."""
    lines = raw[3:-3].split("\n")[1:]
    indents = [len(x) - len(x.lstrip()) for x in lines if x.strip()]
    if lines and not lines[-1].strip():
        indents.append(len(lines[-1]))
    cut = min(indents, default=0)
    body = "\n".join(x[cut:].rstrip() for x in lines)
    return decode_java_string(body)


def _number(text: str) -> int | float:
    clean = text.replace("_", "")
    if clean[:2] in ("0x", "0X"):
        return int(clean.rstrip("lL"), 16)
    if clean[-1] in "lL":
        return int(clean[:-1])
    if clean[-1] in "fFdD" or any(c in clean for c in ".eE"):
        return float(clean.rstrip("fFdD"))
    return int(clean)


def tokenize(source: str) -> list[Token]:
    """Split Java source into tokens, dropping whitespace and comments."""
    tokens: list[Token] = []
    line = 1
    pos = 0
    while pos < len(source):
        m = _TOKEN_RE.match(source, pos)
        if m is None:  # an unterminated literal: skip the character
            pos += 1
            continue
        kind = m.lastgroup or "op"
        text = m.group(0)
        if kind == "tblock":
            tokens.append(Token("str", text, pos, m.end(), line, _text_block(text)))
        elif kind == "str":
            tokens.append(Token("str", text, pos, m.end(), line, decode_java_string(text[1:-1])))
        elif kind == "char":
            tokens.append(Token("char", text, pos, m.end(), line, decode_java_string(text[1:-1])))
        elif kind == "num":
            tokens.append(Token("num", text, pos, m.end(), line, _number(text)))
        elif kind in ("id", "op"):
            tokens.append(Token(kind, text, pos, m.end(), line))
        line += text.count("\n")
        pos = m.end()
    return tokens


OPEN = {"(": ")", "[": "]", "{": "}"}
TYPE_KEYWORDS = frozenset({"class", "interface", "enum", "record"})
KEY_CLASSES = frozenset({"ConfigKey", "ValidatedConfigKey"})


def matching(tokens: Sequence[Token], i: int) -> int:
    """Index of the bracket closing the one at ``i``."""
    depth = 0
    for j in range(i, len(tokens)):
        t = tokens[j].text
        if tokens[j].kind == "op" and t in OPEN:
            depth += 1
        elif tokens[j].kind == "op" and t in OPEN.values():
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def skip_generics(tokens: Sequence[Token], i: int) -> int:
    """Index after a ``<...>`` type-argument list starting at ``i`` (or ``i``)."""
    if i >= len(tokens) or tokens[i].text != "<":
        return i
    depth = 0
    for j in range(i, len(tokens)):
        t = tokens[j].text
        if t == "<":
            depth += 1
        elif t == ">":
            depth -= 1
            if depth == 0:
                return j + 1
        elif t in (";", "{", ")", "="):
            return i
    return i


def split_args(tokens: Sequence[Token], open_idx: int) -> list[list[Token]]:
    """Split the argument list opened at ``open_idx`` on top-level commas."""
    close = matching(tokens, open_idx)
    args: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    i = open_idx + 1
    while i < close:
        tok = tokens[i]
        if tok.kind == "id" and i > 0 and tokens[i - 1].text == "new":
            end = skip_generics(tokens, i + 1)
            current.extend(tokens[i:end])
            i = end
            continue
        if tok.kind == "op" and tok.text in OPEN:
            depth += 1
        elif tok.kind == "op" and tok.text in OPEN.values():
            depth -= 1
        if tok.text == "," and depth == 0:
            args.append(current)
            current = []
        else:
            current.append(tok)
        i += 1
    if current or args:
        args.append(current)
    return args


@dataclass(frozen=True)
class KeyCall:
    """One ``new ConfigKey(...)`` (or ``ValidatedConfigKey``) call."""

    constructor: str
    generic: str
    args: tuple[tuple[Token, ...], ...]
    line: int
    owner: str  # innermost enclosing type
    field: str | None  # the field assigned, if any
    in_method: bool


@dataclass(frozen=True)
class EnumConstant:
    """One enum constant with its constructor arguments."""

    name: str
    args: tuple[tuple[Token, ...], ...]
    line: int


@dataclass
class JavaFile:
    """A parsed Java compilation unit."""

    path: str
    source: str
    tokens: list[Token] = field(default_factory=list)
    owners: list[tuple[str, ...]] = field(default_factory=list)  # type path per token
    depths: list[int] = field(default_factory=list)  # block depth inside innermost type
    constants: dict[tuple[str, str], list[Token]] = field(default_factory=dict)
    key_calls: list[KeyCall] = field(default_factory=list)
    registered_names: set[str] = field(default_factory=set)
    supertypes: dict[str, list[str]] = field(default_factory=dict)
    enums: dict[str, list[str]] = field(
        default_factory=dict
    )  # enum -> constants (no toString override)

    @classmethod
    def parse(cls, path: str, source: str) -> JavaFile:
        jf = cls(path, source, tokenize(source))
        jf._scan_structure()
        jf._find_constants()
        jf._find_key_calls()
        jf._find_registrations()
        jf._find_enums()
        return jf

    @property
    def types(self) -> set[str]:
        return {name for path in self.owners for name in path}

    def text(self, toks: Sequence[Token]) -> str:
        """The source text of a token run, whitespace collapsed."""
        if not toks:
            return ""
        return re.sub(r"\s+", " ", self.source[toks[0].start : toks[-1].end])

    def _scan_structure(self) -> None:
        stack: list[str | None] = []  # type name for type bodies, None for blocks
        pending: str | None = None
        toks = self.tokens
        for i, tok in enumerate(toks):
            if (
                tok.kind == "id"
                and tok.text in TYPE_KEYWORDS
                and i + 1 < len(toks)
                and toks[i + 1].kind == "id"
                and (i == 0 or toks[i - 1].text not in (".", "@"))
            ):
                pending = toks[i + 1].text
                self.supertypes[pending] = self._supertypes(i + 2)
            path = tuple(x for x in stack if x is not None)
            depth = 0
            for entry in reversed(stack):
                if entry is not None:
                    break
                depth += 1
            self.owners.append(path)
            self.depths.append(depth)
            if tok.text == "{" and tok.kind == "op":
                stack.append(pending)
                pending = None
            elif tok.text == "}" and tok.kind == "op" and stack:
                stack.pop()
            elif tok.text == ";" and tok.kind == "op":
                pending = None

    def _supertypes(self, i: int) -> list[str]:
        """Simple names after ``extends`` / ``implements`` up to the body brace."""
        names: list[str] = []
        depth = 0
        collecting = False
        toks = self.tokens
        while i < len(toks) and toks[i].text not in ("{", ";"):
            t = toks[i]
            if t.text == "<":
                depth += 1
            elif t.text == ">":
                depth -= 1
            elif t.text in ("extends", "implements") and depth == 0:
                collecting = True
            elif (
                collecting
                and depth == 0
                and t.kind == "id"
                and (i + 1 >= len(toks) or toks[i + 1].text != ".")
            ):
                names.append(t.text)
            i += 1
        return names

    def _find_enums(self) -> None:
        """Constants of every enum whose body does not override ``toString``."""
        toks = self.tokens
        for i in range(len(toks) - 1):
            if (
                toks[i].text == "enum"
                and toks[i + 1].kind == "id"
                and (i == 0 or toks[i - 1].text != ".")
            ):
                name = toks[i + 1].text
                j = i + 2
                while j < len(toks) and toks[j].text != "{":
                    j += 1
                close = matching(toks, j)
                body = {t.text for t in toks[j:close]}
                if "toString" in body:
                    continue
                self.enums[name] = [c.name for c in self.enum_constants(name)]

    def _find_constants(self) -> None:
        """``String NAME = expr;`` and numeric constants at type-body level."""
        toks = self.tokens
        for i in range(len(toks) - 3):
            if self.depths[i] != 0 or not self.owners[i]:
                continue
            if toks[i].text not in (
                "String",
                "int",
                "long",
                "Integer",
                "Long",
                "double",
                "float",
                "boolean",
            ):
                continue
            if toks[i + 1].kind != "id" or toks[i + 2].text != "=":
                continue
            if i > 0 and toks[i - 1].text in ("<", ",", "(", "."):
                continue
            end = i + 3
            depth = 0
            while end < len(toks):
                t = toks[end].text
                if t in OPEN:
                    depth += 1
                elif t in OPEN.values():
                    depth -= 1
                elif t in (";", ",") and depth == 0:
                    break
                end += 1
            self.constants[(self.owners[i][-1], toks[i + 1].text)] = toks[i + 3 : end]

    def _find_key_calls(self) -> None:
        toks = self.tokens
        for i, tok in enumerate(toks):
            if tok.text != "new" or i + 1 >= len(toks) or toks[i + 1].text not in KEY_CLASSES:
                continue
            after = skip_generics(toks, i + 2)
            if after >= len(toks) or toks[after].text != "(":
                continue  # an array creation such as new ConfigKey<?>[] {...}
            generic = "".join(t.text for t in toks[i + 2 + 1 : after - 1])
            fname = (
                toks[i - 2].text
                if i >= 2 and toks[i - 1].text == "=" and toks[i - 2].kind == "id"
                else None
            )
            owner = self.owners[i][-1] if self.owners[i] else ""
            self.key_calls.append(
                KeyCall(
                    constructor=toks[i + 1].text,
                    generic=generic,
                    args=tuple(tuple(a) for a in split_args(toks, after)),
                    line=tok.line,
                    owner=owner,
                    field=fname,
                    in_method=self.depths[i] > 0,
                )
            )

    def _find_registrations(self) -> None:
        """Identifiers used in the bodies of ``getConfigKeys()`` implementations."""
        toks = self.tokens
        for i in range(len(toks) - 3):
            if (
                toks[i].text != "getConfigKeys"
                or toks[i + 1].text != "("
                or toks[i + 2].text != ")"
            ):
                continue
            if i == 0 or toks[i - 1].text == ".":
                continue
            body = i + 3
            while body < len(toks) and toks[body].text not in ("{", ";"):
                body += 1
            if body >= len(toks) or toks[body].text != "{":
                continue
            close = matching(toks, body)
            self.registered_names |= {t.text for t in toks[body:close] if t.kind == "id"}

    def call_args(self, open_idx: int) -> list[list[Token]]:
        """Arguments of the call whose ``(`` is token ``open_idx``."""
        return split_args(self.tokens, open_idx)

    def enum_constants(self, enum_name: str) -> Iterator[EnumConstant]:
        """The constants of ``enum <enum_name> { ... }`` in declaration order."""
        toks = self.tokens
        start = next(
            (
                i
                for i in range(len(toks) - 2)
                if toks[i].text == "enum" and toks[i + 1].text == enum_name
            ),
            None,
        )
        if start is None:
            return
        i = start + 2
        while toks[i].text != "{":
            i += 1
        i += 1
        while i < len(toks) and toks[i].kind == "id":
            name_tok = toks[i]
            args: list[list[Token]] = []
            i += 1
            if toks[i].text == "(":
                args = split_args(toks, i)
                i = matching(toks, i) + 1
            if toks[i].text == "{":
                i = matching(toks, i) + 1
            yield EnumConstant(name_tok.text, tuple(tuple(a) for a in args), name_tok.line)
            if toks[i].text != ",":
                break
            i += 1


class Unresolved(Exception):
    """Raised when an expression cannot be folded to a constant."""


@dataclass
class Evaluator:
    """Folds constant Java expressions over a set of parsed files."""

    files: Sequence[JavaFile]
    key_names: dict[tuple[str, str], str] = field(
        default_factory=dict
    )  # (owner, field) -> key name
    config_enum: dict[str, tuple[str, Value]] = field(
        default_factory=dict
    )  # constant -> (name, default)
    missing_classes: set[str] = field(default_factory=set)
    missing_names: set[str] = field(default_factory=set)
    bindings: dict[str, Value] = field(
        default_factory=dict
    )  # values of instance fields (Spring properties)
    _by_type: dict[str, list[JavaFile]] = field(default_factory=dict)
    _active: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        for jf in self.files:
            for name in jf.types:
                self._by_type.setdefault(name, []).append(jf)

    def evaluate(self, jf: JavaFile, toks: Sequence[Token], owner: str) -> Value:
        """Fold ``toks``; raise ``Unresolved`` when it is not a constant."""
        parser = _ExprParser(self, jf, list(toks), owner)
        value = parser.ternary()
        if parser.pos != len(parser.toks):
            raise Unresolved(jf.text(toks))
        return value

    def constant(self, owner: str, name: str, jf: JavaFile | None = None) -> Value:
        """The value of constant ``owner.name`` (simple type name), supertypes included."""
        seen: set[str] = set()
        pending = [owner]
        while pending:
            cur = pending.pop(0)
            if cur in seen:
                continue
            seen.add(cur)
            candidates = (
                [jf]
                if jf is not None and (cur, name) in jf.constants
                else self._by_type.get(cur, [])
            )
            if cur not in self._by_type and (jf is None or cur not in jf.types):
                self.missing_classes.add(cur)
            for cand in candidates:
                toks = cand.constants.get((cur, name))
                if toks is None:
                    pending += cand.supertypes.get(cur, [])
                    continue
                if (cur, name) in self._active:
                    raise Unresolved(f"{cur}.{name}")
                self._active.add((cur, name))
                try:
                    return self.evaluate(cand, toks, cur)
                finally:
                    self._active.discard((cur, name))
        members = self.enum_members(owner)
        if name in members:
            return name  # an enum constant; its toString() is its name
        raise Unresolved(f"{owner}.{name}")

    def enum_members(self, enum: str) -> list[str]:
        """Constants of enum ``enum`` when some saved file declares it."""
        for jf in self._by_type.get(enum, []):
            if enum in jf.enums:
                return jf.enums[enum]
        return []

    def unqualified(self, jf: JavaFile, owner: str, name: str) -> Value:
        """Resolve a bare identifier.

        Tried in order: bindings, the own type and its supertypes, the other types
        of the file, then a constant of that name declared once in all files.
        """
        if name in self.bindings:
            return self.bindings[name]
        for cand in [owner, *sorted(jf.types - {owner})]:
            try:
                return self.constant(cand, name, jf)
            except Unresolved:
                continue
        matches = {o for f in self.files for (o, n) in f.constants if n == name}
        if len(matches) == 1:
            return self.constant(matches.pop(), name)
        if name[:1].isupper():
            self.missing_names.add(name)
        raise Unresolved(name)

    def key_name(self, jf: JavaFile, chain: Sequence[str]) -> str:
        """The setting name of ConfigKey field ``chain`` (``X`` or ``Cls.X``)."""
        fname = chain[-1]
        if len(chain) >= 2:
            if chain[-2] == "Config" and fname in self.config_enum:
                return self.config_enum[fname][0]
            if (chain[-2], fname) in self.key_names:
                return self.key_names[(chain[-2], fname)]
            raise Unresolved(".".join(chain))
        local = [n for (o, f), n in self.key_names.items() if f == fname and o in jf.types]
        if local:
            return local[0]
        found = {n for (o, f), n in self.key_names.items() if f == fname}
        if len(found) == 1:
            return found.pop()
        raise Unresolved(fname)


def _java_str(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return str(value)


@dataclass
class _ExprParser:
    """Recursive-descent folding of one expression."""

    ev: Evaluator
    jf: JavaFile
    toks: list[Token]
    owner: str
    pos: int = 0

    def peek(self) -> str:
        return self.toks[self.pos].text if self.pos < len(self.toks) else ""

    def take(self) -> Token:
        if self.pos >= len(self.toks):
            raise Unresolved(self.jf.text(self.toks))
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def ternary(self) -> Value:
        value = self.additive()
        if self.peek() == "?":
            raise Unresolved(self.jf.text(self.toks))
        return value

    def additive(self) -> Value:
        value = self.multiplicative()
        while self.peek() in ("+", "-"):
            op = self.take().text
            right = self.multiplicative()
            if op == "+" and (isinstance(value, str) or isinstance(right, str)):
                value = _java_str(value) + _java_str(right)
            elif isinstance(value, (int, float)) and isinstance(right, (int, float)):
                value = value + right if op == "+" else value - right
            else:
                raise Unresolved(self.jf.text(self.toks))
        return value

    def multiplicative(self) -> Value:
        value = self.unary()
        while self.peek() in ("*", "/", "%"):
            op = self.take().text
            right = self.unary()
            if not isinstance(value, (int, float)) or not isinstance(right, (int, float)):
                raise Unresolved(self.jf.text(self.toks))
            if op == "*":
                value = value * right
            elif isinstance(value, int) and isinstance(right, int):
                value = value // right if op == "/" else value % right
            else:
                value = value / right if op == "/" else value % right
        return value

    def unary(self) -> Value:
        if self.peek() == "-":
            self.take()
            value = self.unary()
            if not isinstance(value, (int, float)):
                raise Unresolved(self.jf.text(self.toks))
            return -value
        if self.peek() == "(":
            start = self.pos
            close = matching(self.toks, start)
            inner = self.toks[start + 1 : close]
            if len(inner) == 1 and inner[0].kind == "id" and inner[0].text[0].isupper():
                self.pos = close + 1  # a cast such as (String)
                return self.unary()
            self.pos = close + 1
            value = self.ev.evaluate(self.jf, inner, self.owner)
            return self.postfix(value)
        return self.primary()

    def primary(self) -> Value:
        tok = self.take()
        if tok.kind in ("str", "num", "char"):
            return self.postfix(tok.value)
        if tok.kind != "id":
            raise Unresolved(self.jf.text(self.toks))
        if tok.text in ("true", "false"):
            return tok.text == "true"
        if tok.text == "null":
            return None
        chain = [tok.text]
        while (
            self.peek() == "."
            and self.pos + 1 < len(self.toks)
            and self.toks[self.pos + 1].kind == "id"
        ):
            self.take()
            chain.append(self.take().text)
        if self.peek() == "(":
            open_idx = self.pos
            args = split_args(self.toks, open_idx)
            self.pos = matching(self.toks, open_idx) + 1
            if chain == ["EnumSet", "allOf"] and len(args) == 1 and args[0][-1].text == "class":
                return self.enum_joined(args[0][-3].text)
            return self.postfix(self.call(chain, args))
        return self.postfix(self.name(chain))

    def postfix(self, value: Value) -> Value:
        while (
            self.peek() == "."
            and self.pos + 2 < len(self.toks)
            and self.toks[self.pos + 2].text == "("
        ):
            self.take()
            method = self.take().text
            self.pos = matching(self.toks, self.pos) + 1
            if method in ("toString", "trim", "intern") and value is not None:
                value = _java_str(value).strip() if method == "trim" else _java_str(value)
            elif method == "toLowerCase" and isinstance(value, str):
                value = value.lower()
            elif method == "toUpperCase" and isinstance(value, str):
                value = value.upper()
            else:
                raise Unresolved(self.jf.text(self.toks))
        return value

    def name(self, chain: list[str]) -> Value:
        if len(chain) == 1:
            return self.ev.unqualified(self.jf, self.owner, chain[0])
        if chain == ["Boolean", "TRUE"]:
            return True
        if chain == ["Boolean", "FALSE"]:
            return False
        if chain[-1] in ("MAX_VALUE", "MIN_VALUE") and chain[0] in ("Integer", "Long"):
            bits = 31 if chain[0] == "Integer" else 63
            return (1 << bits) - 1 if chain[-1] == "MAX_VALUE" else -(1 << bits)
        return self.ev.constant(chain[-2], chain[-1])

    def call(self, chain: list[str], args: list[list[Token]]) -> Value:
        method = chain[-1]
        values = [self.ev.evaluate(self.jf, a, self.owner) for a in args]
        target = chain[:-1]
        if method in ("key", "toString", "name") and target and not values:
            return self.named(method, target)
        if method in ("defaultValue", "getDefaultValue") and target and target[-2:-1] == ["Config"]:
            return self.ev.config_enum[target[-1]][1] if target[-1] in self.ev.config_enum else None
        if (
            method in ("valueOf", "toString")
            and target
            and target[-1] in ("String", "Integer", "Long", "Boolean", "Float", "Double")
            and len(values) == 1
        ):
            return _java_str(values[0])
        if method == "format" and target == ["String"] and values and isinstance(values[0], str):
            return _format(values[0], values[1:])
        if method == "join" and target == ["String"] and values:
            return _java_str(values[0]).join(_java_str(v) for v in values[1:])
        raise Unresolved(".".join(chain) + "(...)")

    def enum_joined(self, enum: str) -> str:
        """``EnumSet.allOf(E.class).stream().map(Enum::toString).collect(Collectors.joining(sep))``."""
        rest = "".join(t.text for t in self.toks[self.pos :])
        m = re.match(
            r'\.stream\(\)\.map\(Enum::(?:toString|name)\)\.collect\(Collectors\.joining\(("(?:[^"\\]|\\.)*")\)\)',
            rest,
        )
        members = self.ev.enum_members(enum)
        if m is None or not members:
            if not members:
                self.ev.missing_classes.add(enum)
            raise Unresolved(self.jf.text(self.toks))
        sep_tok = next(t for t in self.toks[self.pos :] if t.kind == "str")
        self.pos = len(self.toks)
        return str(sep_tok.value).join(members)

    def named(self, method: str, target: list[str]) -> Value:
        """``X.key()``, ``X.toString()`` or ``X.name()`` without arguments."""
        try:
            return self.ev.key_name(self.jf, target)
        except Unresolved:
            if method == "key":
                raise
        try:
            return _java_str(self.name(target))
        except Unresolved:
            if len(target) >= 2 and target[-1][:1].isupper():
                return target[-1]  # an enum constant such as HypervisorType.KVM
            raise


def _format(fmt: str, args: list[Value]) -> str:
    """``String.format`` for the %s / %d / %% conversions."""
    it = iter(args)

    def repl(m: re.Match[str]) -> str:
        if m.group(0) == "%%":
            return "%"
        if m.group(0) == "%n":
            return "\n"
        return _java_str(next(it))

    return re.sub(r"%[sdn%]", repl, fmt)
