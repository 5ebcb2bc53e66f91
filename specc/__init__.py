"""specc: an infrastructure-as-code compiler for Apache CloudStack.

The pipeline, stage by stage (each a pure function over typed values):
load (YAML + source map) -> check (schema, references, domain rules) -> build the
desired graph -> read the live state -> diff -> compile the plan -> render or execute.
"""

__version__ = "0.1.0"
