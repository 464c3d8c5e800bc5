"""``maillage remind``: the files of a verification campaign (mail-merge table, messages, records without contact)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from maillage import pipeline
from maillage.cli.options import add_internal_option, add_registry_option, business_date
from maillage.core import clock
from maillage.core.french import plural
from maillage.core.problem_formats import as_text
from maillage.exports import remove_stale_siblings, replace_directory, staging_dir
from maillage.steering import campaign

MARKER = "relance.csv"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "remind", help="préparer une campagne de vérification des fiches (messages à envoyer)",
        description="Choisit les fiches à faire vérifier par leurs partenaires et écrit, dans DOSSIER, un "
                    "tableau de publipostage (relance.csv), un message .eml par destinataire et la liste des "
                    "fiches sans adresse électronique (sans-contact.csv). Maillage n'envoie rien lui-même.")
    add_registry_option(parser)
    add_internal_option(parser, "registre interne : écrire aux contacts internes (interne.courriel) quand il y en a")
    parser.add_argument("--out", type=Path, required=True, metavar="DOSSIER",
                        help="dossier de sortie (vide, ou campagne précédente : il est entièrement remplacé)")
    parser.add_argument("--older-than", type=int, default=None, metavar="MOIS",
                        help="fiches non vérifiées depuis plus de MOIS mois (par défaut : le seuil "
                             "« seuils.verification_mois » de registre.yaml)")
    parser.add_argument("--date", type=business_date, default=None, metavar="AAAA-MM-JJ",
                        help="date de la campagne (par défaut : aujourd'hui)")
    parser.set_defaults(run=run)


def _write(out: Path, files: dict[str, bytes]) -> None:
    out = out.absolute()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise OSError(f"{out} n'est pas un dossier vide ni une campagne précédente ({MARKER}) : "
                      "choisissez un autre dossier, il sera entièrement remplacé.")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_dir(out, "nouveau")
    try:
        for name, data in sorted(files.items()):
            (staging / name).write_bytes(data)
        replace_directory(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    remove_stale_siblings(out)


def run(args: argparse.Namespace) -> int:
    if args.older_than is not None and args.older_than < 1:
        print("maillage : --older-than doit être un nombre de mois positif.", file=sys.stderr)
        return 2
    today = clock.today(args.date)
    # The internal view (with --internal) gives the internal contacts; the messages show public content only.
    result = pipeline.run(args.registry, None, today, internal=args.internal)
    if result.model is None:
        print(as_text(result.errors, result.records_read))
        return 1
    model = result.model
    plan = campaign.plan(model, args.older_than)
    try:
        _write(args.out, campaign.files(model, plan))
    except OSError as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        return 2
    print(f"{plural(len(plan.due), 'fiche')} à faire vérifier : {plural(len(plan.contacts), 'message')} "
          f"dans {args.out} (relance.csv pour le publipostage), "
          f"{plural(len(plan.without_contact), 'fiche')} sans adresse électronique (sans-contact.csv).")
    return 0
