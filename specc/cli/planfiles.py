"""Tell a saved plan file from spec files, for the commands that take either.

``apply``, ``runbook`` and ``graph`` take spec files or folders, or one plan file
made by ``specc plan -o``. A plan file need not end in ``.json``; a YAML file that
holds a plan, or no spec section at all, is refused as a bad plan file rather than
reported as spec errors.
"""

from __future__ import annotations

from pathlib import Path


def is_plan_file(paths: list[Path], command: str = "apply") -> bool:
    """Whether *paths* name a saved plan rather than spec files.

    Specs are ``*.yaml``/``*.yml`` files or folders; any other single file is taken
    as a plan file, so a truncated or foreign one is reported as a bad plan file by
    ``load_plan``, not as spec errors. A YAML file that is a plan (``format``,
    ``steps``...) or has no spec section at all is refused here for the same reason.

    Raises:
        PlanError: a YAML file that is a plan, or neither a spec nor a plan.
    """
    from specc.spec.loader import SPEC_SUFFIXES

    if len(paths) != 1 or not paths[0].is_file():
        return False
    path = paths[0]
    if path.suffix not in SPEC_SUFFIXES:
        return True
    _refuse_foreign_yaml(path, command)
    return False


_PLAN_KEYS = frozenset({"format", "steps", "spec_hash", "live_fingerprint", "digest"})


def _refuse_foreign_yaml(path: Path, command: str) -> None:
    """Refuse a YAML file that is a plan, or a mapping with no spec section."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from specc.errors import PlanError
    from specc.spec.models import Spec

    try:
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError):
        return  # the spec loader reports it with its line and column
    if not isinstance(data, dict) or not data:
        return
    keys = {str(k) for k in data}
    sections = set(Spec.model_fields) - {"version"}  # a plan has a version too
    if keys & _PLAN_KEYS and not keys & sections:
        raise PlanError(
            f"{path}: a plan in YAML is not a plan file",
            hint=f"{command} takes the JSON file that 'specc plan -o plan.json' writes, unchanged",
        )
    if not keys & set(Spec.model_fields):
        shown = ", ".join(sorted(keys)[:5])
        raise PlanError(
            f"{path}: neither a specc spec nor a plan file (its keys {shown} are not spec "
            "sections)",
            hint="give a plan file made by 'specc plan -o', or spec files with "
            f"{', '.join(sorted(Spec.model_fields)[:4])}, ...",
        )
