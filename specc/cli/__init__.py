"""The command line: parses arguments, calls the library, prints results.

Only this package (and ``specc.execute``) touches the terminal.
"""
