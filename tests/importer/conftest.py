"""The import tests reuse the plan tests' minimal executor and example helpers."""

from __future__ import annotations

import sys
from pathlib import Path

PLANNING = Path(__file__).resolve().parents[1] / "planning"
if str(PLANNING) not in sys.path:
    sys.path.insert(0, str(PLANNING))
