"""The ``multigap`` command line: parse → validated config → library call → print/save.

Every user mistake, whether a bad flag, a bad value or a bad config file, ends in
one line on stderr and exit code 2. One module per group of commands; ``main`` holds
the group and the entry point.
"""

from multigap.cli.main import cli, in_flags, main

__all__ = ["cli", "in_flags", "main"]
