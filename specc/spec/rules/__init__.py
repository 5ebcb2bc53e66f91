"""specc.spec.rules."""
