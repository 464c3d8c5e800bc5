"""``maillage geocode``: fill the geocoding cache from the Géoplateforme (BAN), Nominatim or offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from maillage.cli.options import add_internal_option, add_registry_option
from maillage.geocoding.cache import CacheError
from maillage.geocoding.providers import PROVIDER_CHOICES
from maillage.geocoding.run import GeocodeConfigError, GeocodeInterrupted, geocode_registry
from maillage.geocoding.summary import format_dry_run, format_problems, format_summary

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "geocode", help="géocoder les adresses et mettre à jour registry/geocodage.csv",
        description="Cherche les coordonnées des adresses absentes du cache de géocodage "
                    "(registry/geocodage.csv) et les y enregistre. Seule commande qui utilise le réseau.")
    add_registry_option(parser)
    add_internal_option(parser, "registre interne : géocoder aussi les fiches qui n'existent qu'en interne, dans son "
                                "propre cache (DOSSIER/geocodage.csv), jamais dans le registre public")
    parser.add_argument("--provider", choices=PROVIDER_CHOICES, default="ban",
                        help="ban (par défaut : Base Adresse Nationale sur la Géoplateforme de l'IGN), "
                             "nominatim (OpenStreetMap, 1 requête/s) ou offline (centre de la commune, "
                             "sans réseau)")
    parser.add_argument("--endpoint", metavar="URL",
                        help="adresse de base du service (par défaut https://data.geopf.fr/geocodage "
                             "pour ban) ; « /search » y est ajouté")
    parser.add_argument("--refresh", action="store_true",
                        help="interroger aussi les adresses déjà en cache (une position n'est remplacée "
                             "que par une position au moins aussi précise)")
    parser.add_argument("--dry-run", action="store_true",
                        help="lister les adresses qui seraient interrogées, sans rien envoyer ni écrire")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    status = _run(args, None)
    if status in (0, 1) and args.internal is not None:  # not after a usage error or an interruption
        status = max(status, _run(args, args.internal))
    return status


def _run(args: argparse.Namespace, internal: Path | None) -> int:
    try:
        report = geocode_registry(args.registry, args.provider, args.endpoint, refresh=args.refresh,
                                  dry_run=args.dry_run, internal=internal)
    except GeocodeInterrupted as stop:
        print(f"maillage : interrompu. Réponses acceptées avant l'interruption, enregistrées dans le "
              f"cache : {stop.report.accepted}. Relancez « maillage geocode » pour continuer.",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except (GeocodeConfigError, CacheError) as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"maillage : impossible d'enregistrer le cache de géocodage ({exc}) ; "
              "le fichier précédent est intact.", file=sys.stderr)
        return 1
    if args.dry_run:
        print(format_dry_run(report))
        return 0
    if report.problems:
        print(format_problems(report.problems))
    print(format_summary(report))
    return report.exit_code
