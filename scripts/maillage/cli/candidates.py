"""``maillage candidates list|accept|reject``: review the candidates found by ``maillage import``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from maillage.cli.options import add_date_option, add_internal_option, add_registry_option
from maillage.core import clock
from maillage.imports import candidates as review
from maillage.imports.apply import ApplyError, apply_plan
from maillage.imports.errors import ImportFileError
from maillage.imports.mapping import TermNames
from maillage.imports.registries import RegistryErrors, public_records
from maillage.load.registry import LoadedRegistry, RegistryNotFound, load_registry


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "candidates", help="examiner les candidats importés : lister, publier, refuser",
        description="Les établissements et professionnels trouvés par « maillage import » attendent dans le "
                    "registre interne (statut « candidat »). « accept » les publie dans le registre public "
                    "(statut actif, date de vérification, source) ; « reject » les supprime et retient le refus, "
                    "pour qu'un prochain import ne les propose plus.")
    parser.add_argument("action", choices=("list", "accept", "reject"), metavar="ACTION",
                        help="list, accept ou reject")
    parser.add_argument("ids", nargs="*", metavar="ID", help="identifiants des candidats")
    parser.add_argument("--all-of", metavar="CATÉGORIE",
                        help="tous les candidats de cette profession ou catégorie : identifiant, libellé "
                             "ou synonyme du vocabulaire, majuscules et accents indifférents (par exemple "
                             "orthophoniste, CMP)")
    add_registry_option(parser)
    add_internal_option(parser)
    add_date_option(parser)
    parser.add_argument("--source", metavar="TEXTE",
                        help="accept : source à inscrire dans les fiches publiées (par défaut, celle du candidat "
                             "avec la date de vérification)")
    parser.add_argument("--dry-run", action="store_true", help="afficher ce qui serait fait sans rien écrire")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.internal is None:
        print("maillage : indiquez le registre interne avec --internal DOSSIER (les candidats y sont rangés).",
              file=sys.stderr)
        return 2
    if not args.internal.is_dir():
        print(f"maillage : « {args.internal} » n'est pas un dossier.", file=sys.stderr)
        return 2
    today = args.date or clock.today()
    try:
        loaded = _load_public(args.registry, required=args.action == "list" or bool(args.all_of))
        category = _term(loaded, args.all_of)
        public = frozenset(r.id for r in public_records(loaded)) if loaded is not None else frozenset()
        if args.action == "list":
            if args.ids:
                print("maillage : « list » ne prend pas d'identifiant (utilisez --all-of pour filtrer).",
                      file=sys.stderr)
                return 2
            assert loaded is not None
            labels = {name: {t: str(v.get("libelle", t)) for t, v in vocab.terms.items()}
                      for name, vocab in loaded.vocabularies.items()}
            lines = review.listing(args.internal, category, labels)
            print("\n".join(lines) if lines else "Aucun candidat" + (f" de la catégorie ou profession « {category} »."
                                                                      if category else "."))
            if lines:
                print(f"{len(lines)} candidat(s).")
            return 0
        if args.action == "accept":
            result = review.accept(args.registry, args.internal, args.ids, category, today, args.source)
        else:
            result = review.reject(args.internal, args.ids, category, today, public)
        if not args.dry_run:
            apply_plan(result.plan, review.roots(args.registry, args.internal))
    except review.CandidateError as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        return 2
    except (ImportFileError, ApplyError) as exc:
        print(f"maillage : {exc} ; rien n'a été écrit.", file=sys.stderr)
        return 1
    except RegistryErrors as exc:
        print("maillage : des fiches sont illisibles ; corrigez-les d'abord (rien n'a été écrit) :", file=sys.stderr)
        for message in exc.messages:
            print(f"  {message}", file=sys.stderr)
        return 1
    prefix = "(simulation) " if args.dry_run else ""
    for rid, what in result.done:
        print(f"{prefix}{rid} — {what}")
    print(f"{prefix}{len(result.done)} candidat(s) {'publié(s)' if args.action == 'accept' else 'refusé(s)'}.")
    return 0


def _load_public(registry: Path, required: bool) -> LoadedRegistry | None:
    """The public registry (its vocabularies name the terms of --all-of; its ids say « déjà publiée »)."""
    try:
        return load_registry(registry)
    except RegistryNotFound:
        if required:
            raise
        return None


def _term(loaded: LoadedRegistry | None, all_of: str | None) -> str | None:
    """The vocabulary term of ``--all-of`` (any case, label or synonym); CandidateError for an unknown word."""
    if not all_of:
        return None
    assert loaded is not None
    vocabularies = [loaded.vocabularies[name].terms for name in ("professions", "categories")
                    if name in loaded.vocabularies]
    try:
        return TermNames.from_vocabularies(*vocabularies).resolve([all_of.strip()], "--all-of")[0]
    except ValueError as exc:
        raise review.CandidateError(str(exc)) from None
