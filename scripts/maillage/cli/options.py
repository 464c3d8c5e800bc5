"""One module per ``maillage`` sub-command; each defines ``register(subparsers)``."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_registry_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--registry", type=Path, default=Path("registry"), metavar="DOSSIER",
                        help="dossier du registre (par défaut : ./registry)")
