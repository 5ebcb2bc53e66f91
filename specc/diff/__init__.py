"""specc.diff."""
