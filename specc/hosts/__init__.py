"""specc.hosts."""
