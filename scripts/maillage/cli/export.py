"""``maillage export``: write the open-data files of one audience into a folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from maillage import pipeline
from maillage.cli.options import add_audience_options, add_date_option, add_registry_option, audience
from maillage.core import clock
from maillage.core.problem_formats import as_text
from maillage.exports import ExportError, export_all


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "export", help="écrire les données ouvertes (CSV, JSON, GeoJSON, data·inclusion, iCalendar)",
        description="Écrit les fichiers de données ouvertes dans un dossier, qui est remplacé en une fois.",
    )
    add_registry_option(parser)
    add_date_option(parser)
    parser.add_argument("--out", type=Path, required=True, metavar="DOSSIER",
                        help="dossier de sortie (vide, ou export précédent : il est entièrement remplacé)")
    add_audience_options(parser, " : sans aucune information interne", " : les deux registres réunis")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # The business date (MAILLAGE_TODAY, else the real date); exports carry no file stamp.
    seen_by = audience(args)
    result = pipeline.run(args.registry, seen_by, clock.today(args.date), internal=args.internal)
    if result.model is None:
        print(as_text(result.problems, result.records_read))
        return 1
    model = result.model
    try:
        written = export_all(model, args.out)
    except ExportError as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        return 2
    print(f"{len(written)} fichiers écrits dans {args.out} (audience : {seen_by}).")
    return 0
