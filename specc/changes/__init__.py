"""The differ: desired graph + live state -> Changeset (pure)."""

from specc.changes.differ import Changeset, diff

__all__ = ["Changeset", "diff"]
