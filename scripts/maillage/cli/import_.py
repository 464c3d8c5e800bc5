"""``maillage import finess|rpps``: seed and reconcile the registry from a national register.

The work is done by :mod:`maillage.imports`; this module parses options, prints the French
report and maps failures onto the exit status (1: the file or the registry has errors,
nothing written; 2: wrong usage).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from maillage.cli.options import add_date_option, add_internal_option, add_registry_option
from maillage.core import clock
from maillage.imports.apply import ApplyError
from maillage.imports.errors import ImportFileError, ImportUsageError
from maillage.imports.registries import RegistryErrors
from maillage.imports.run import SOURCES, run_import
from maillage.load.registry import display_path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "import", help="importer et rapprocher les répertoires nationaux (FINESS, RPPS)",
        description="Lit l'extraction FINESS (établissements) ou l'extraction de l'Annuaire santé (RPPS : "
                    "activités et savoir-faire), retient les lignes du département de registre.yaml, met à jour "
                    "les fiches publiques sans jamais écraser ce qu'une personne a saisi, propose les cessations "
                    "et range les nouveaux établissements ou professionnels comme candidats dans le registre "
                    "interne. Rien n'est écrit si le fichier est faux, tronqué ou illisible.")
    parser.add_argument("source", choices=SOURCES, metavar="SOURCE", help="finess ou rpps")
    parser.add_argument("--file", action="append", type=Path, required=True, metavar="FICHIER",
                        help="fichier à lire (texte ou zip) ; pour rpps, répétez l'option pour le fichier des "
                             "activités et celui des savoir-faire, ou donnez le zip de l'éditeur")
    add_registry_option(parser)
    add_internal_option(parser)
    parser.add_argument("--categories", metavar="C,C…",
                        help="finess : catégories du vocabulaire à importer (par défaut, toutes celles qui ont un "
                             "code FINESS)")
    parser.add_argument("--professions", metavar="P,P…",
                        help="rpps : professions du vocabulaire à importer (par défaut, toutes celles qui ont un "
                             "code)")
    add_date_option(parser)
    parser.add_argument("--dry-run", action="store_true", help="afficher le rapport sans rien écrire")
    parser.add_argument("--summary", type=Path, metavar="FICHIER",
                        help="écrire aussi le rapport en Markdown dans ce fichier (corps d'une demande de fusion)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.source == "finess" and args.professions:
        print("maillage : --professions s'emploie avec « import rpps », pas « import finess ».", file=sys.stderr)
        return 2
    if args.source == "rpps" and args.categories:
        print("maillage : --categories s'emploie avec « import finess », pas « import rpps ».", file=sys.stderr)
        return 2
    scope = args.categories if args.source == "finess" else args.professions
    today = args.date or clock.today()
    try:
        result = run_import(args.source, args.file, args.registry, args.internal, scope, today, args.dry_run)
    except ImportUsageError as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        return 2
    except ImportFileError as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        print("Rien n'a été écrit.", file=sys.stderr)
        return 1
    except RegistryErrors as exc:
        print("maillage : des fiches sont illisibles ; corrigez-les avant d'importer (rien n'a été écrit) :",
              file=sys.stderr)
        for message in exc.messages:
            print(f"  {message}", file=sys.stderr)
        return 1
    except ApplyError as exc:
        print(f"maillage : une fiche n'a pas pu être modifiée ({exc}) ; rien n'a été écrit.", file=sys.stderr)
        return 1
    print(result.outcome.text(), end="")
    if result.written is not None:
        touched = len(result.written.written) + len(result.written.deleted)
        print(f"{touched} fichier(s) écrit(s) ou supprimé(s).")
    if args.summary:
        args.summary.write_text(result.outcome.text(markdown=True), encoding="utf-8")
        print(f"Rapport Markdown : {display_path(args.summary)}")
    return 0
