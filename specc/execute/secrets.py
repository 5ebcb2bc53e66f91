"""Secret references resolved at execution, and a mask for everything printed.

A :class:`~specc.core.steps.SecretParam` names an environment variable or a file;
its value is read only when a step runs. Every value read is remembered by the
:class:`Masker`, which blanks it (and its URL-encoded form) out of any text before
that text reaches a terminal, a log or the journal.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from specc.core.steps import Concat, Param, Ref, SecretParam
from specc.errors import ApplyError, SecretError

MASK = "********"


class Masker:
    """Replaces every secret value seen so far with ``********``."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()

    def add(self, value: str) -> None:
        """Remember *value* (and its URL-encoded form) as secret."""
        if len(value) < 4:  # masking "1" everywhere would garble, not protect
            return
        with self._lock:
            self._values.update({value, quote(value, safe=""), quote(value)})

    def __call__(self, text: str) -> str:
        """*text* with every known secret replaced."""
        with self._lock:
            values = sorted(self._values, key=len, reverse=True)
        for value in values:
            text = text.replace(value, MASK)
        return text


class SecretResolver:
    """Reads secret references from an environment mapping or files.

    Relative file paths are taken from *base* (the plan's or spec's folder).
    """

    def __init__(self, env: Mapping[str, str], base: Path, masker: Masker) -> None:
        self.env = env
        self.base = base
        self.masker = masker

    def read(self, ref: SecretParam) -> str:
        """The raw value of *ref*.

        Raises:
            SecretError: the variable is unset or the file unreadable (the message
                names the reference, never a value).
        """
        if ref.source == "env":
            value = self.env.get(ref.name)
            if value is None or value == "":
                raise SecretError(
                    f"secret {{env: {ref.name}}} is not set",
                    hint=f"export {ref.name} before apply",
                )
        else:
            path = Path(ref.name).expanduser()
            path = path if path.is_absolute() else self.base / path
            try:
                value = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SecretError(
                    f"secret {{file: {ref.name}}} cannot be read: {exc.strerror}"
                ) from None
        self.masker.add(value)
        return value

    def resolve(self, value: Param, outputs: Mapping[str, Mapping[str, Any]]) -> Any:
        """A step parameter's value: refs from *outputs*, secrets read now."""
        if isinstance(value, Ref):
            try:
                return outputs[value.step][value.output]
            except KeyError:
                raise ApplyError(
                    f"step output {value.step}.{value.output} is not known "
                    "(the step that makes it has not run)"
                ) from None
        if isinstance(value, SecretParam):
            raw = self.read(value)
            return quote(raw, safe="") if value.encoding == "url" else raw
        if isinstance(value, Concat):
            return "".join(str(self.resolve(p, outputs)) for p in value.parts)
        if isinstance(value, bool):
            return "true" if value else "false"
        return value
