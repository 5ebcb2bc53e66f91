"""``python -m specc.cli``: the same entry point as the ``specc`` console script."""

from specc.cli.app import main

main()
