"""``maillage build``: validate the registry, then build the site with MkDocs.

The site is built into a hidden temporary folder next to the target and swapped in at
the end (one atomic exchange on Linux, see :func:`maillage.exports.replace_directory`):
if anything fails, even a ``kill -9``, the previous site stays as it was, and the next
successful build deletes the temporary folders left behind.

MkDocs runs in this process with the repository's ``mkdocs.yml``; the command sets the
maillage plugin's options on the configuration it loads (registry, audience, business
date), as ``mkdocs build`` would read them from the file, and hands the plugin the model
it has already validated (see :meth:`maillage.site.plugin.MaillagePlugin.provide`).

Two dates (see :mod:`maillage.core.clock`): the business date is ``--date``, else
``MAILLAGE_TODAY``, else the real date. File stamps (sitemap dates, the gzip header)
come from ``SOURCE_DATE_EPOCH``; when it is not set and the registry is in a git
checkout, this command sets it to the time of the last commit while MkDocs runs, so
that two builds of the same commit give the same bytes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from maillage.cli.options import add_audience_options, add_registry_option, audience, default_source_date_epoch
from maillage.core import clock, testhooks
from maillage.core.problem_formats import as_text

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def business_day(text: str) -> date:
    """``--date AAAA-MM-JJ`` for argparse (a French message otherwise)."""
    try:
        return clock.parse_day(text, "--date")
    except clock.ClockError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("build", help="construire le site à partir du registre",
                            description="Vérifie le registre puis construit le site statique (MkDocs).")
    add_registry_option(parser)
    parser.add_argument("--site-dir", type=Path, default=Path("site"), metavar="DOSSIER",
                        help="dossier du site produit (par défaut : ./site)")
    add_audience_options(parser, internal=" : les deux registres réunis, avec les informations réservées au "
                                          "Département ; à ne jamais publier")
    parser.add_argument("--date", type=business_day, default=None, metavar="AAAA-MM-JJ",
                        help="date du jour pour les statuts et échéances (par défaut : MAILLAGE_TODAY, "
                             "sinon la date réelle)")
    parser.add_argument("--config", type=Path, default=None, metavar="FICHIER",
                        help="fichier mkdocs.yml (par défaut : celui de la racine du dépôt)")
    parser.set_defaults(run=run)


def find_config(start: Path) -> Path | None:
    """The ``mkdocs.yml`` of the repository: in ``start`` or one of its parents."""
    for folder in (start, *start.parents):
        candidate = folder / "mkdocs.yml"
        if candidate.is_file():
            return candidate
    return None


@contextmanager
def commit_stamp(registry: Path) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set to the last commit's time while the block runs, when it is not set."""
    if clock.ENV_STAMP in os.environ:
        yield
        return
    default_source_date_epoch(registry)
    try:
        yield
    finally:
        os.environ.pop(clock.ENV_STAMP, None)


def configure_plugin(config: Any, registry: Path, audience: str, today: date, internal: Path | None = None) -> Any:
    """The maillage plugin of a loaded MkDocs configuration, with these options set (as in mkdocs.yml)."""
    from maillage.site.plugin import MaillagePlugin

    for plugin in config.plugins.values():
        if isinstance(plugin, MaillagePlugin):
            plugin.config["registry"] = str(registry)
            plugin.config["audience"] = audience
            plugin.config["internal"] = str(internal) if internal is not None else None
            plugin.config["today"] = today.isoformat()
            return plugin
    return None


def _pages(site: Path) -> int:
    """How many ``index.html`` files the site holds (``os.walk``: four times faster than ``rglob``)."""
    return sum(names.count("index.html") for _folder, _folders, names in os.walk(site))


def run(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from maillage import pipeline
    from maillage.exports import remove_stale_siblings, replace_directory, staging_dir

    started = time.monotonic()
    config_file = args.config or find_config(Path.cwd())
    if config_file is None or not config_file.is_file():
        print("maillage : fichier mkdocs.yml introuvable (lancez la commande à la racine du dépôt "
              "ou indiquez --config).", file=sys.stderr)
        return EXIT_USAGE

    registry = args.registry.resolve()
    today = clock.today(args.date)
    internal = args.internal.resolve() if args.internal is not None else None
    seen_by = audience(args)
    result = pipeline.run(registry, seen_by, today, internal=internal)
    if result.problems:  # with the places not geocoded, each at the line of its address
        print(as_text(result.problems, result.records_read))
    if result.model is None:
        print("Le site n'a pas été construit : corrigez les erreurs ci-dessus.", file=sys.stderr)
        return EXIT_INVALID
    testhooks.reached("construction-valide")
    model = result.model
    del result
    testhooks.reached("construction-modele")

    target = args.site_dir.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = staging_dir(target, "construction")
    try:
        with commit_stamp(registry):
            config = load_config(config_file=str(config_file), site_dir=str(work))
            plugin = configure_plugin(config, registry, seen_by, today, internal)
            if plugin is None:
                shutil.rmtree(work, ignore_errors=True)
                print(f"maillage : {config_file} n'active pas le greffon « maillage » (plugins).", file=sys.stderr)
                return EXIT_USAGE
            plugin.provide(registry, model, internal)
            build(config)
        pages = _pages(work)
        testhooks.reached("construction-avant-echange")
        replace_directory(work, target)
        testhooks.reached("construction-echange")
    except MkDocsException as exc:
        shutil.rmtree(work, ignore_errors=True)
        print(f"maillage : la construction du site a échoué : {exc}", file=sys.stderr)
        return EXIT_INVALID
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise

    remove_stale_siblings(target)
    elapsed = time.monotonic() - started
    shown = len(model.professionnels) + len(model.structures) + len(model.conventions)
    print(f"Site construit dans {_display(target)} : {pages} pages, {shown} fiches publiées "
          f"(version {'publique' if seen_by == 'public' else 'interne'}), en {elapsed:.1f} s.")
    return EXIT_OK


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
