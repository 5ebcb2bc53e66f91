"""specc.cloud."""
