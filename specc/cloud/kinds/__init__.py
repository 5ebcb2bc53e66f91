"""specc.cloud.kinds."""
