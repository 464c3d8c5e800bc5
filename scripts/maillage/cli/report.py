"""``maillage report``: the steering figures (coverage, conventions, freshness) as Markdown or JSON.

The figures and their wording live in :mod:`maillage.steering.report`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from maillage import pipeline
from maillage.cli.options import add_date_option, add_registry_option
from maillage.core import clock
from maillage.core.model import AUDIENCES
from maillage.core.problem_formats import as_text
from maillage.steering.prospection import Prospect, compute_prospection
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
    parser.add_argument("--audience", choices=AUDIENCES, default="public",
                        help="public (par défaut) ou interne (compte aussi les conventions en projet)")
    parser.add_argument("--internal", type=Path, metavar="DOSSIER",
                        help="registre interne : avec --audience interne, ajoute la prospection (quels candidats "
                             "importés solliciter là où l'offre manque)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = pipeline.run(args.registry, args.audience, clock.today(args.date))
    if result.model is None:
        print(as_text(result.problems, result.records_read))
        return 1
    model = result.model
    cov, fol, fre = figures(model)
    prospection = None
    if args.internal is not None:
        if args.audience != "interne":
            print("maillage : --internal s'emploie avec --audience interne (la prospection est interne).",
                  file=sys.stderr)
            return 2
        if not args.internal.is_dir():
            print(f"maillage : « {args.internal} » n'est pas un dossier.", file=sys.stderr)
            return 2
        from maillage.imports.candidates import prospect_rows

        prospection = compute_prospection(cov, [Prospect(*row) for row in prospect_rows(args.internal,
                                                                                         args.registry)])
    if args.format == "json":
        print(json.dumps(report_data(model, cov, fol, fre, prospection), ensure_ascii=False, indent=2))
    else:
        print(report_markdown(model, cov, fol, fre, prospection))
    return 0
