"""``maillage validate``: check every record and print what a partner must fix."""

from __future__ import annotations

import argparse
import sys

from maillage.cli.options import add_registry_option
from maillage.core.problem_formats import as_github, as_json, as_text, summary
from maillage.validation import validate


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("validate", help="vérifier toutes les fiches du registre",
                            description="Vérifie les fiches et affiche chaque problème avec sa ligne.")
    add_registry_option(parser)
    parser.add_argument("--format", choices=("text", "github", "json"), default="text",
                        help="text (par défaut), github (annotations GitHub Actions) ou json")
    parser.add_argument("--strict", action="store_true",
                        help="échouer aussi sur les avertissements")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = validate(args.registry)
    records = len(result.registry.records)
    if args.format == "json":
        print(as_json(result.problems, records))
    elif args.format == "github":
        if result.problems:
            print(as_github(result.problems))
        print(summary(result.problems, records), file=sys.stderr)
    else:
        print(as_text(result.problems, records))
    return result.exit_code(args.strict)
