"""``python -m maillage.cli``: the same as the ``maillage`` command."""

import sys

from maillage.cli.main import main

sys.exit(main())
