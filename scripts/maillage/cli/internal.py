"""``maillage internal extract --to DIR | publish ID``: move data across the border between the two registries.

The work is done by :mod:`maillage.editing.border`; this module parses options and prints
what moved (exit 1 when a move is blocked, nothing written; 2 for a usage error).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from maillage.cli.options import add_internal_option, add_registry_option
from maillage.editing.border import BorderError, extract, publish
from maillage.editing.writer import WriterError
from maillage.load.safe_yaml import LoadError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "internal", help="déplacer les données entre le registre public et le registre interne",
        description="« extract --to DOSSIER » déplace hors du registre public tout ce qui n'y a pas sa place "
                    "(sections « interne », conventions en projet ou en négociation, candidats, documents non "
                    "publics, adresses géocodées de ces fiches) vers le registre interne ; les fichiers publics qui "
                    "restent ne perdent que ces lignes. « publish ID » ramène dans le registre public une "
                    "convention devenue publique, en gardant sa section interne dans le registre interne.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    out = actions.add_parser("extract", help="tout ce qui est interne : du registre public vers le registre interne",
                             description="Déplace les données internes du registre public vers le registre interne "
                                         "(créé s'il n'existe pas). Une deuxième exécution ne change rien.")
    add_registry_option(out)
    out.add_argument("--to", type=Path, required=True, metavar="DOSSIER",
                     help="registre interne (dossier du dépôt privé)")
    out.set_defaults(run=run_extract)
    pub = actions.add_parser("publish", help="une convention devenue publique : du registre interne au registre public",
                             description="Déplace la convention ID du registre interne vers le registre public, une "
                                         "fois signée ; sa section « interne » et ses documents non publics restent "
                                         "dans le registre interne.")
    pub.add_argument("id", metavar="ID", help="identifiant de la convention (nom du fichier sans .yaml)")
    add_registry_option(pub)
    add_internal_option(pub)
    pub.set_defaults(run=run_publish)


def _report(lines: list[str], empty: str) -> None:
    print("\n".join(lines) if lines else empty)


def run_extract(args: argparse.Namespace) -> int:
    try:
        moves = extract(args.registry, args.to)
    except (BorderError, WriterError, LoadError) as exc:
        message = exc.problem.message if isinstance(exc, LoadError) else str(exc)
        print(f"maillage : {message}", file=sys.stderr)
        return 1
    _report([m.line() for m in moves.moved], "Rien à déplacer : le registre public ne contient aucune donnée interne.")
    if moves.moved:
        print(f"{len(moves.moved)} déplacement(s). Vérifiez les deux registres (maillage validate --internal "
              f"{args.to}), puis enregistrez chacun dans son dépôt : le public ne perd que des lignes.")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    if args.internal is None:
        print("maillage : indiquez le registre interne avec --internal DOSSIER.", file=sys.stderr)
        return 2
    try:
        moves = publish(args.registry, args.internal, args.id)
    except (BorderError, WriterError, LoadError) as exc:
        message = exc.problem.message if isinstance(exc, LoadError) else str(exc)
        print(f"maillage : {message}", file=sys.stderr)
        return 1
    _report([m.line() for m in moves.moved], "Rien n'a été déplacé.")
    return 0
