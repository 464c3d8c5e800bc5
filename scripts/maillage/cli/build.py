"""``maillage build``: validate the registry, then build the site with MkDocs.

The site is built into a hidden temporary folder next to the target and swapped in at
the end (one atomic exchange on Linux, see :func:`maillage.exports.replace_directory`):
if anything fails, even a ``kill -9``, the previous site stays as it was, and the next
successful build deletes the temporary folders left behind.

Reproducible builds: when ``SOURCE_DATE_EPOCH`` is not set and the registry is in a git
checkout, it is set to the time of the last commit, so that two builds of the same
commit give the same bytes (dates in the pages, sitemap, statuses). Set it to an empty
value (``SOURCE_DATE_EPOCH= maillage build``) to use today's date instead.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from maillage.cli.options import add_audience_options, add_registry_option, audience, default_source_date_epoch
from maillage.core import clock
from maillage.core.problem_formats import as_text

if TYPE_CHECKING:
    from maillage.site.data_files import BackgroundWriter

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("build", help="construire le site à partir du registre",
                            description="Vérifie le registre puis construit le site statique (MkDocs).")
    add_registry_option(parser)
    parser.add_argument("--site-dir", type=Path, default=Path("site"), metavar="DOSSIER",
                        help="dossier du site produit (par défaut : ./site)")
    add_audience_options(parser, internal=" : les deux registres réunis, avec les informations réservées au "
                                          "Département ; à ne jamais publier")
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
def _environment(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def _quiet_gc() -> Iterator[None]:
    """Fewer garbage collections while MkDocs renders: the model and the pages stay alive until
    the end, and rescanning them made the cost per record grow with the registry (50,000
    records: 120 s -> 89 s). What exists before the build (the model) is frozen: never scanned."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _pages(site: Path) -> int:
    """How many ``index.html`` files the site holds (``os.walk``: four times faster than ``rglob``)."""
    return sum(names.count("index.html") for _folder, _folders, names in os.walk(site))


def run(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from maillage import pipeline
    from maillage.exports import remove_stale_siblings, replace_directory, staging_dir
    from maillage.site.data_files import BackgroundWriter, render_data_files
    from maillage.site.parallel import can_fork
    from maillage.site.plugin import MaillagePlugin

    started = time.monotonic()
    config_file = args.config or find_config(Path.cwd())
    if config_file is None or not config_file.is_file():
        print("maillage : fichier mkdocs.yml introuvable (lancez la commande à la racine du dépôt "
              "ou indiquez --config).", file=sys.stderr)
        return EXIT_USAGE

    registry = args.registry.resolve()
    internal = args.internal.resolve() if args.internal is not None else None
    seen_by = audience(args)
    default_source_date_epoch(registry)
    result = pipeline.run(registry, seen_by, clock.today(), internal=internal)
    if result.problems:  # with the places not geocoded, each at the line of its address
        print(as_text(result.problems, result.records_read))
    if result.model is None:
        print("Le site n'a pas été construit : corrigez les erreurs ci-dessus.", file=sys.stderr)
        return EXIT_INVALID
    model = result.model

    target = args.site_dir.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = staging_dir(target, "construction")
    writer: BackgroundWriter | None = None
    try:
        with _environment(MAILLAGE_REGISTRY=str(registry), MAILLAGE_AUDIENCE=seen_by,
                          MAILLAGE_INTERNAL=str(internal or "")), _quiet_gc():
            config = load_config(config_file=str(config_file), site_dir=str(work))
            for plugin in config.plugins.values():
                if isinstance(plugin, MaillagePlugin):
                    plugin.preloaded = (model, registry)
                    if can_fork():  # a second process writes the data files, then half the record pages
                        writer = BackgroundWriter(partial(render_data_files, model),
                                                  staging_dir(target, "construction"))
                        plugin.data_writer = writer
                        plugin.split_pages = True
            build(config)
        pages = _pages(work)
        replace_directory(work, target)
    except MkDocsException as exc:
        _discard(work, writer)
        print(f"maillage : la construction du site a échoué : {exc}", file=sys.stderr)
        return EXIT_INVALID
    except BaseException:
        _discard(work, writer)
        raise

    remove_stale_siblings(target)
    elapsed = time.monotonic() - started
    shown = len(model.professionnels) + len(model.structures) + len(model.conventions)
    print(f"Site construit dans {_display(target)} : {pages} pages, {shown} fiches publiées "
          f"(version {'publique' if seen_by == 'public' else 'interne'}), en {elapsed:.1f} s.")
    return EXIT_OK


def _discard(work: Path, writer: BackgroundWriter | None) -> None:
    """After a failure: stop the processes writing data files or pages, if any, and delete what was built."""
    from maillage.site.parallel import cancel_all

    cancel_all()
    if writer is not None:
        writer.cancel()
    shutil.rmtree(work, ignore_errors=True)


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
