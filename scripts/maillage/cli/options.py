"""What several ``maillage`` sub-commands share: options, and the reproducible-build date.

Each sub-command is one module defining ``register(subparsers)``; none imports another.
"""

from __future__ import annotations

import argparse
import os
import subprocess
from datetime import date
from pathlib import Path


def add_registry_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--registry", type=Path, default=Path("registry"), metavar="DOSSIER",
                        help="dossier du registre (par défaut : ./registry)")


def business_date(text: str) -> date:
    """``--date AAAA-MM-JJ``: the business date a command works with (statuses, deadlines, freshness)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas une date AAAA-MM-JJ") from None


def add_date_option(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    parser.add_argument("--date", type=business_date, default=None, metavar="AAAA-MM-JJ",
                        help=help or "date du jour à retenir (par défaut : aujourd'hui, ou MAILLAGE_TODAY)")


def add_internal_option(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    parser.add_argument("--internal", type=Path, metavar="DOSSIER",
                        help=help or "registre interne (dépôt privé du Département), réuni au registre public "
                                     "pour les sorties internes")


def add_audience_options(parser: argparse.ArgumentParser, public: str = "", internal: str = "") -> None:
    """``--audience public|interne`` and ``--internal DOSSIER``, under one rule
    (:func:`maillage.pipeline.audience_for`): ``interne`` requires ``--internal``; ``--internal``
    alone means ``interne``; the public never reads the internal registry."""
    from maillage.core.model import AUDIENCES

    parser.add_argument("--audience", choices=AUDIENCES, default=None,
                        help=f"public (par défaut{public}) ou interne (avec --internal{internal})")
    add_internal_option(parser)


def audience(args: argparse.Namespace) -> str:
    """The audience asked for by ``--audience`` and ``--internal`` (raises :class:`maillage.pipeline.AudienceError`)."""
    from maillage.pipeline import AudienceError, audience_for

    try:
        return audience_for(args.audience, args.internal)
    except AudienceError:  # the rule is the pipeline's; on the command line, only the command's options matter
        raise AudienceError(CLI_AUDIENCE_ERRORS[args.audience]) from None


# What a command-line user is told when --audience and --internal do not go together (the MkDocs plugin
# words it with its own option and MAILLAGE_INTERNAL).
CLI_AUDIENCE_ERRORS = {
    "interne": "l'audience interne réunit les deux registres : indiquez le registre interne avec --internal DOSSIER.",
    "public": "l'audience publique ne lit jamais le registre interne : retirez --internal DOSSIER, ou demandez "
              "l'audience interne (--audience interne).",
}


def last_commit_epoch(folder: Path) -> str | None:
    """The time of the last commit of the git checkout holding ``folder`` (seconds), if any."""
    try:
        done = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = done.stdout.strip()
    return value if done.returncode == 0 and value.isdigit() else None


def default_source_date_epoch(registry: Path) -> None:
    """Set ``SOURCE_DATE_EPOCH`` to the last commit's time when it is not set.

    Two builds (or exports) of the same commit then give the same bytes: dates in the
    pages, sitemap, statuses. Set it to an empty value (``SOURCE_DATE_EPOCH= maillage
    build``) to use today's date instead (see ``maillage.cli.build``).
    """
    if "SOURCE_DATE_EPOCH" in os.environ or not registry.is_dir():
        return
    epoch = last_commit_epoch(registry)
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
