"""``maillage remind``: the files of a verification campaign (mail-merge table, messages, records without contact)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
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
                        help="dossier de la campagne : nouveau, vide, ou une campagne précédente (ce dossier "
                             "seul est alors remplacé). Avec --internal, hors du dépôt public")
    parser.add_argument("--older-than", type=int, default=None, metavar="MOIS",
                        help="fiches non vérifiées depuis plus de MOIS mois, 0 pour toutes (par défaut : le "
                             "seuil « seuils.verification_mois » de registre.yaml)")
    parser.add_argument("--date", type=business_date, default=None, metavar="AAAA-MM-JJ",
                        help="date de la campagne (par défaut : aujourd'hui)")
    parser.set_defaults(run=run)


def _write(out: Path, files: dict[str, bytes]) -> None:
    out = out.absolute()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise OSError(f"{out} n'est pas un dossier vide ni une campagne précédente (pas de {MARKER}) : rien n'a "
                      f"été écrit. La campagne remplace entièrement son dossier --out, et seulement lui ; pour ne "
                      f"rien effacer d'autre, Maillage n'écrit que dans un dossier nouveau, vide ou contenant une "
                      f"campagne précédente. Choisissez-en un autre.")
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


def git_toplevel(folder: Path) -> Path | None:
    """The root of the Git working tree holding ``folder`` (or its nearest existing parent); None without Git."""
    folder = folder.absolute()
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    try:
        done = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    top = done.stdout.strip()
    return Path(top).resolve() if done.returncode == 0 and top else None


def inside_public_checkout(out: Path, registry: Path) -> Path | None:
    """The public repository's working tree when ``out`` would be written inside it, else None.

    ``out`` counts as inside when its own Git working tree is the registry's: a folder of a
    separate repository checked out beneath (the internal registry in ``interne/``, say) is not.
    """
    public = git_toplevel(registry)
    if public is None:
        return None
    return public if git_toplevel(out) == public else None


def run(args: argparse.Namespace) -> int:
    if args.older_than is not None and args.older_than < 0:
        print("maillage : --older-than attend un nombre de mois (0 pour toutes les fiches).", file=sys.stderr)
        return 2
    if args.internal is not None and (public := inside_public_checkout(args.out, args.registry)) is not None:
        print(f"maillage : {args.out} est dans la copie de travail du dépôt public ({public}). Avec --internal, "
              "la campagne contient les noms et adresses directes des contacts internes : ils ne doivent pas se "
              "retrouver dans ce dépôt, ni par erreur dans un commit. Écrivez-la hors du dépôt public, par exemple "
              f"--out {public.parent / 'campagnes' / 'relance'} (ou dans la copie du registre interne).",
              file=sys.stderr)
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
    if not plan.due:
        print(_nothing_due(model.meta.verification_mois, args.older_than))
        return 0
    print(f"{plural(len(plan.due), 'fiche')} à faire vérifier : {plural(len(plan.contacts), 'message')} "
          f"dans {args.out} (relance.csv pour le publipostage), "
          f"{plural(len(plan.without_contact), 'fiche')} sans adresse électronique (sans-contact.csv).")
    return 0


def _nothing_due(period: int, older_than: int | None) -> str:
    if older_than == 0:
        return "Aucune fiche publiée à faire vérifier : le registre n'a aucune fiche de professionnel ou de structure."
    months = period if older_than is None else older_than
    why = ("le délai de « seuils.verification_mois » de registre.yaml" if older_than is None else "--older-than")
    return (f"Aucune fiche à faire vérifier : toutes ont été vérifiées depuis moins de {months}\u00a0mois "
            f"({why}). Pour écrire aussi aux fiches vérifiées plus récemment, ajoutez --older-than N (fiches non "
            "vérifiées depuis plus de N mois ; --older-than 0 pour toutes). Le dossier ne contient que des "
            "tableaux vides.")
