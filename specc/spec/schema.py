"""The JSON Schema of the spec, generated from the pydantic model.

``schemas/specc-v1.schema.json`` is this function's output, checked in so that
editors can use it (``# yaml-language-server: $schema=...``); a test fails when
the file is out of date. Regenerate it with::

    specc schema > schemas/specc-v1.schema.json
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from specc.spec.models import Spec

SCHEMA_ID = "https://specc.dev/schemas/specc-v1.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
REGENERATE = "specc schema > schemas/specc-v1.schema.json"


def spec_schema() -> dict[str, Any]:
    """The spec's JSON Schema (Draft 2020-12), with ``$schema``, ``$id`` and a title.

    >>> s = spec_schema()
    >>> s["$schema"] == DRAFT, s["additionalProperties"]
    (True, False)
    """
    body = Spec.model_json_schema(mode="validation")
    head: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "specc spec, version 1",
        "description": (
            "A CloudStack topology for specc (https://specc.dev). "
            "Secrets are references: {env: NAME} or {file: PATH}."
        ),
    }
    body.pop("title", None)
    body.pop("description", None)
    return {**head, **body}


def schema_text() -> str:
    """The schema as the checked-in file holds it: sorted keys, 2-space indent, newline."""
    return json.dumps(_cached_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@lru_cache(maxsize=1)
def _cached_schema() -> dict[str, Any]:
    return spec_schema()


def cached_schema() -> dict[str, Any]:
    """The schema, computed once per process (the model does not change at run time).

    Callers must not modify the returned dict.
    """
    return _cached_schema()
