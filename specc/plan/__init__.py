"""specc.plan."""
