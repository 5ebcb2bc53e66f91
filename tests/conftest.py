"""What the whole suite shares: the Hypothesis profile.

Tests are not timed (speed is measured by the benchmarks in ``bench/``), so the
property tests have no per-example deadline and do not fail when input generation
is slow on a loaded machine; every other health check stays on.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile("specc", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("specc")
