"""specc.graph."""
