"""specc.render."""
