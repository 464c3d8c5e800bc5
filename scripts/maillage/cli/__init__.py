"""The ``maillage`` command line: one module per sub-command, the parser in :mod:`maillage.cli.main`."""

from maillage.cli.main import main

__all__ = ["main"]
