"""specc.spec."""
