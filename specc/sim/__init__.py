"""specc.sim."""
