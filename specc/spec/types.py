"""The spec's primitive types: the base model, names, tags, secrets, IOPS, VLANs.

Both the common model (:mod:`specc.spec.models`) and every storage backend's model
(:mod:`specc.backends`) are built from these. This module imports nothing of specc,
so a backend module can use it while the common model imports the backends.
:mod:`specc.spec.models` re-exports every name here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\- ]*$"),
]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^,\s]+$")]
HOST_NAME_PATTERN = r"^[A-Za-z0-9]([A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$"
"""A host's own name: letters, digits, '-', '_' and '.', at most 64 characters (a
Linux nodename, __NEW_UTS_LEN, and an o2cb node name, O2NM_MAX_NAME_LEN, are 64)."""
HostName = Annotated[str, StringConstraints(max_length=64, pattern=HOST_NAME_PATTERN)]
Vlan = Annotated[int, Field(ge=1, le=4094)]
Iops = Annotated[int, Field(gt=0)]
Hypervisor = Literal["KVM", "VMware", "XenServer", "Simulator"]
OsFamily = Literal["el7", "el8", "el9", "debian", "ubuntu"]
Scope = Literal["cluster", "zone"]

HYPERVISORS: frozenset[str] = frozenset({"KVM", "VMware", "XenServer", "Simulator"})
"""Every value of :data:`Hypervisor`."""


class SpecModel(BaseModel):
    """Base of every spec model: frozen, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False)


class EnvSecret(SpecModel):
    """A secret read from an environment variable at execution time."""

    env: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] = Field(
        description="Name of the environment variable that holds the secret."
    )


class FileSecret(SpecModel):
    """A secret read from a file at execution time (trailing newline stripped)."""

    file: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="Path of the file that holds the secret."
    )


Secret = EnvSecret | FileSecret
