"""Command line: ``maillage <command>``. Each command lives in ``maillage.cli.<name>``.

Exit status: 0 success, 1 the registry has errors, 2 wrong usage or configuration.
"""

from __future__ import annotations

import argparse
import importlib
import keyword
import sys
from collections.abc import Sequence

from maillage import __version__
from maillage.assemble.build import InvalidRegistry
from maillage.cli.french import FrenchArgumentParser
from maillage.core.clock import ClockError
from maillage.core.problem_formats import as_text
from maillage.load.registry import RegistryNotFound
from maillage.pipeline import AudienceError

COMMANDS = ("validate", "geocode", "export", "build", "new", "diff", "synth", "report", "fmt", "remind",
            "cms_config", "import", "candidates", "confirm", "internal")

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def module_name(command: str) -> str:
    """The module of a command: ``maillage.cli.<command>`` (``import_`` for the keyword ``import``)."""
    return f"maillage.cli.{command}_" if keyword.iskeyword(command) else f"maillage.cli.{command}"


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="maillage",
        description="Registre du réseau de santé des enfants protégés : valider, géocoder, publier.",
    )
    parser.add_argument("--version", action="version", version=f"maillage {__version__}",
                        help="afficher la version et quitter")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", required=True, title="commandes")
    for name in COMMANDS:
        importlib.import_module(module_name(name)).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except InvalidRegistry as exc:  # raised while building outputs (e.g. a damaged geocoding cache)
        print(as_text(exc.problems, len(exc.result.registry.records)), file=sys.stderr)
        return EXIT_INVALID
    except (RegistryNotFound, AudienceError) as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ClockError as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("maillage : interrompu.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
