"""The plan: its data (steps), the compiler and the plan file.

>>> from specc.plan import compile_plan, dump_plan, load_plan
"""

from specc.plan.compiler import compile_plan
from specc.plan.planfile import dump_plan, load_plan

__all__ = ["compile_plan", "dump_plan", "load_plan"]
