"""``maillage build``: validate the registry, then build the site with MkDocs.

The site is built into a temporary folder next to the target and swapped in at the
end: if anything fails, the previous site stays as it was.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import clock
from ..report_format import as_text
from . import add_registry_option

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("build", help="construire le site à partir du registre",
                            description="Vérifie le registre puis construit le site statique (MkDocs).")
    add_registry_option(parser)
    parser.add_argument("--site-dir", type=Path, default=Path("site"), metavar="DOSSIER",
                        help="dossier du site produit (par défaut : ./site)")
    parser.add_argument("--audience", choices=("public", "interne"), default="public",
                        help="public (par défaut) ou interne (avec les informations réservées au Département)")
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


def _swap(built: Path, target: Path) -> None:
    """Replace ``target`` by ``built`` with renames only (the old site is kept until the end)."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.ancien-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    try:
        built.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def run(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from ..modelbuild import model_from
    from ..site.plugin import MaillagePlugin
    from ..validation import validate

    started = time.monotonic()
    config_file = args.config or find_config(Path.cwd())
    if config_file is None or not config_file.is_file():
        print("maillage : fichier mkdocs.yml introuvable (lancez la commande à la racine du dépôt "
              "ou indiquez --config).", file=sys.stderr)
        return EXIT_USAGE

    registry = args.registry.resolve()
    today = clock.today()
    result = validate(registry, today)
    records = len(result.registry.records)
    if result.errors:
        print(as_text(result.problems, records))
        print("Le site n'a pas été construit : corrigez les erreurs ci-dessus.", file=sys.stderr)
        return EXIT_INVALID
    if result.problems:
        print(as_text(result.problems, records))
    model = model_from(result, today).view(args.audience)

    target = args.site_dir.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.construction-", dir=target.parent))
    try:
        with _environment(MAILLAGE_REGISTRY=str(registry), MAILLAGE_AUDIENCE=args.audience):
            config = load_config(config_file=str(config_file), site_dir=str(work))
            for plugin in config.plugins.values():
                if isinstance(plugin, MaillagePlugin):
                    plugin.preloaded = (model, registry)
            build(config)
        pages = _pages(work)
        _swap(work, target)
    except MkDocsException as exc:
        shutil.rmtree(work, ignore_errors=True)
        print(f"maillage : la construction du site a échoué : {exc}", file=sys.stderr)
        return EXIT_INVALID
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise

    elapsed = time.monotonic() - started
    shown = len(model.professionnels) + len(model.structures) + len(model.conventions)
    print(f"Site construit dans {_display(target)} : {pages} pages, {shown} fiches publiées "
          f"(version {'publique' if args.audience == 'public' else 'interne'}), en {elapsed:.1f} s.")
    return EXIT_OK


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
