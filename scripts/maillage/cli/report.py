"""``maillage report``: the steering figures (coverage, conventions, freshness) as Markdown or JSON.

The figures and their wording live in :mod:`maillage.steering.report`.
"""

from __future__ import annotations

import argparse
import json

from maillage import pipeline
from maillage.cli.options import add_audience_options, add_date_option, add_registry_option, audience
from maillage.core import clock
from maillage.core.problem_formats import as_text
from maillage.steering.prospection import compute_prospection, prospects_from_model
from maillage.steering.report import figures, report_data, report_markdown


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "report", help="chiffres de pilotage : couverture, conventions, fraîcheur des fiches",
        description="Affiche les chiffres de pilotage du réseau : distances des communes aux ressources "
                    "(à vol d'oiseau), habitants au-delà des seuils, offre par territoire, échéances et "
                    "montants des conventions, fraîcheur des fiches.")
    add_registry_option(parser)
    add_date_option(parser)
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown",
                        help="markdown (par défaut, pour un résumé de tâche CI) ou json")
    add_audience_options(parser, internal=" : compte aussi les conventions en projet et ajoute la prospection, "
                                          "quels candidats importés solliciter là où l'offre manque")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = pipeline.run(args.registry, audience(args), clock.today(args.date), internal=args.internal)
    if result.model is None:
        print(as_text(result.problems, result.records_read))
        return 1
    model = result.model
    cov, fol, fre = figures(model)
    # The prospection is internal: the candidates of the internal registry, where the offer is missing.
    prospection = compute_prospection(cov, prospects_from_model(model)) if model.audience == "interne" else None
    if args.format == "json":
        print(json.dumps(report_data(model, cov, fol, fre, prospection), ensure_ascii=False, indent=2))
    else:
        print(report_markdown(model, cov, fol, fre, prospection))
    return 0
