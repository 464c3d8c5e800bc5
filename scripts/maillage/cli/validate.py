"""``maillage validate``: check every record and print what a partner must fix."""

from __future__ import annotations

import argparse
import sys

from maillage import pipeline
from maillage.cli.options import add_date_option, add_internal_option, add_registry_option
from maillage.core import clock
from maillage.core.problem_formats import as_github, as_json, as_text, summary


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("validate", help="vérifier toutes les fiches du registre",
                            description="Vérifie les fiches et affiche chaque problème avec sa ligne.")
    add_registry_option(parser)
    add_internal_option(parser, "registre interne (dépôt privé) à vérifier avec le registre public : mêmes schémas, "
                                "mêmes règles, et la frontière entre les deux")
    add_date_option(parser)
    parser.add_argument("--format", choices=("text", "github", "json"), default="text",
                        help="text (par défaut), github (annotations GitHub Actions) ou json")
    parser.add_argument("--strict", action="store_true",
                        help="échouer aussi sur les avertissements")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Validation only: no geocoding cache, no model (« maillage build » reports the places not geocoded).
    result = pipeline.run(args.registry, None, clock.today(args.date), internal=args.internal, build_model=False)
    records = result.records_read
    if args.format == "json":
        print(as_json(result.problems, records))
    elif args.format == "github":
        if result.problems:
            print(as_github(result.problems))
        print(summary(result.problems, records), file=sys.stderr)
    else:
        print(as_text(result.problems, records))
    return result.exit_code(args.strict)
