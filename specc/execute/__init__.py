"""specc.execute."""
