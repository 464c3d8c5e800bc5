"""``maillage cms-config``: print the web editor's configuration (``/admin/config.yml``)."""

from __future__ import annotations

import argparse
import sys

from maillage.cli.options import add_registry_option
from maillage.editing.cms import ConfigError, build_config, render
from maillage.load.registry import METADATA_FILE


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "cms-config", help="la configuration de l'éditeur en ligne (/admin/config.yml)",
        description="Affiche la configuration de l'éditeur en ligne (Decap CMS), produite à partir des "
                    "schémas et des vocabulaires : une collection par type de fiche, chaque champ public "
                    "avec son titre et son aide. La construction du site l'écrit dans /admin/config.yml.")
    add_registry_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not (args.registry / METADATA_FILE).is_file():
        print(f"maillage : « {args.registry} » n'est pas un registre : le fichier {METADATA_FILE} est "
              "introuvable (indiquez le dossier avec --registry).", file=sys.stderr)
        return 2
    try:
        config = build_config(args.registry)
    except ConfigError as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render(config))
    return 0
