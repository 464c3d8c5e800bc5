"""``maillage new``: create a commented template for a new record."""

from __future__ import annotations

import argparse
import sys

from maillage.cli.options import add_registry_option
from maillage.core import clock
from maillage.core.kinds import KIND_NAMES as KINDS
from maillage.editing.templates import NewRecordError, create
from maillage.load.registry import display_path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "new", help="créer une fiche à remplir (modèle commenté)",
        description="Crée DOSSIER/<type>s/ID.yaml : un modèle commenté en français, à compléter. "
                    "Un fichier existant n'est jamais écrasé.")
    parser.add_argument("kind", choices=KINDS, metavar="TYPE",
                        help="professionnel, structure ou convention")
    parser.add_argument("id", metavar="ID",
                        help="identifiant de la fiche : minuscules, chiffres et tirets "
                             "(par exemple martin-claire)")
    add_registry_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        created = create(args.registry, args.kind, args.id, clock.today())
    except NewRecordError as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        return 2
    shown = display_path(created.path)
    registry = display_path(args.registry)
    print(f"Fiche créée : {shown}")
    print("Étapes suivantes :")
    print(f"  1. Ouvrez {shown} et remplacez chaque \"\" marqué « À REMPLIR ».")
    print("  2. Pour un champ facultatif utile, retirez le « # » en début de ses lignes ; "
          "supprimez les autres.")
    print(f"  3. Vérifiez la fiche : maillage validate --registry {registry}")
    print("  4. Proposez l'ajout (pull request) en joignant la source de l'information.")
    return 0
