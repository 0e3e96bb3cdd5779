"""``python -m multigap.cli``: the same as the ``multigap`` command."""

import sys

from multigap.cli.main import main

sys.exit(main())
