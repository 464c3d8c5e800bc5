"""``maillage report``: the steering figures (coverage, conventions, freshness) as Markdown or JSON.

The figures and their wording live in :mod:`maillage.steering.report`.
"""

from __future__ import annotations

import argparse
import json

from maillage.assemble.build import model_from
from maillage.cli.options import add_registry_option
from maillage.core import clock
from maillage.core.model import AUDIENCES
from maillage.core.problem_formats import as_text
from maillage.steering.report import figures, report_data, report_markdown
from maillage.validation import validate


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "report", help="chiffres de pilotage : couverture, conventions, fraîcheur des fiches",
        description="Affiche les chiffres de pilotage du réseau : distances des communes aux ressources "
                    "(à vol d'oiseau), habitants au-delà des seuils, offre par territoire, échéances et "
                    "montants des conventions, fraîcheur des fiches.")
    add_registry_option(parser)
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown",
                        help="markdown (par défaut, pour un résumé de tâche CI) ou json")
    parser.add_argument("--audience", choices=AUDIENCES, default="public",
                        help="public (par défaut) ou interne (compte aussi les conventions en projet)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    today = clock.today()
    result = validate(args.registry, today)
    if result.errors:
        print(as_text(result.problems, len(result.registry.records)))
        return 1
    model = model_from(result, today).view(args.audience)
    cov, fol, fre = figures(model)
    if args.format == "json":
        print(json.dumps(report_data(model, cov, fol, fre), ensure_ascii=False, indent=2))
    else:
        print(report_markdown(model, cov, fol, fre))
    return 0
