"""The vocabulary every stage shares: resource ids, plan values and steps.

Nothing here imports any other part of specc but ``specc.errors``: every layer may
use it (see docs/architecture.md).
"""
