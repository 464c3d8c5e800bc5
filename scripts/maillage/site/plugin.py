"""The MkDocs plugin: the registry becomes pages of the site.

``mkdocs build``, ``mkdocs serve`` and ``maillage build`` all go through here:

* ``on_config`` loads, validates and models the registry (an invalid registry stops
  the build with the validator's French report) and names the site after it;
* ``on_files`` adds every generated page as a virtual file (nothing is written in
  ``docs/``); record pages are kept out of the navigation so the cost stays linear;
* ``on_page_markdown`` replaces ``<!-- maillage:NAME -->`` markers in hand-written pages;
* ``on_post_build`` writes the data files (open-data exports, directory index,
  public convention documents);
* with ``maillage build`` on more than one core, forked children write the data files
  and render every other record page (its HTML in ``on_files``, then the theme from
  ``on_env``), so both cores work; the parent waits for them in ``on_post_build``
  (see :mod:`maillage.site.parallel`);
* ``on_serve`` watches the registry so ``mkdocs serve`` reloads when a record changes.

Where the registry and audience come from, first match wins: the environment
variables ``MAILLAGE_REGISTRY`` / ``MAILLAGE_AUDIENCE`` / ``MAILLAGE_INTERNAL``, then the
plugin options ``registry`` (relative to ``mkdocs.yml``), ``audience`` and ``internal`` (the
internal registry, merged for the internal audience: see :func:`maillage.pipeline.audience_for`).
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from types import MethodType
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, DictLoader
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from maillage.core.clock import ClockError
from maillage.core.model import AUDIENCES, Model
from maillage.load.registry import RegistryNotFound
from maillage.site.data_files import BackgroundWriter, inside, render_data_files, write_files
from maillage.site.markers import FALLBACKS, MARKERS, Marker
from maillage.site.pages import generate_pages
from maillage.site.parallel import Child, ChildFailed, failure

log = get_plugin_logger(__name__)

MARKER = re.compile(r"<!--\s*maillage:([a-z0-9][a-z0-9-]*)\s*-->")
ENV_REGISTRY, ENV_AUDIENCE, ENV_INTERNAL = "MAILLAGE_REGISTRY", "MAILLAGE_AUDIENCE", "MAILLAGE_INTERNAL"
MAP_STYLE = "assets/vendor/leaflet/leaflet.css"
MAP_SCRIPTS = ("assets/vendor/leaflet/leaflet.js", "assets/maillage/carte-fiche.js")
GENERATED_BODY_START = '<div class="maillage-page">'
BODY_PLACEHOLDER = "<!-- maillage-corps-de-page -->"
SKIPPED_TEMPLATE = "maillage-construite-ailleurs.html"  # empty: a page another process builds


class MaillagePluginConfig(Config):
    registry = c.Type(str, default="registry")
    audience = c.Optional(c.Choice(AUDIENCES))  # default: interne with an internal registry, else public
    internal = c.Optional(c.Type(str))  # the internal registry (private), relative to mkdocs.yml


def _optional(module: str) -> Any | None:
    """A sibling module another engineer provides, or ``None`` while it does not exist."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise


def _steering(model: Model) -> str:
    from maillage.site.steering import steering_page
    from maillage.steering.coverage import cached_coverage

    return steering_page(model, coverage=cached_coverage(model))


def collect_markers() -> dict[str, Marker]:
    """Site markers, then the exports' ``MARKERS``, then the directory pages."""
    markers: dict[str, Marker] = {**MARKERS, **FALLBACKS}
    exports_markers = _optional("maillage.site.export_markers")
    if exports_markers is not None:
        markers.update(getattr(exports_markers, "MARKERS", {}) or {})
    markers["pilotage"] = _steering
    directory = _optional("maillage.site.directory")
    if directory is not None:
        for name, attribute in (("annuaire", "directory_page"), ("commune", "commune_page")):
            function = getattr(directory, attribute, None)
            if callable(function):
                markers[name] = function
    return markers


def _csp(model: Model) -> str:
    """Content-Security-Policy: scripts only from the site itself, never inline."""
    images = ["'self'", "data:"]
    tiles = model.meta.tuiles or "https://data.geopf.fr/"
    parts = urlsplit(tiles.replace("{", "").replace("}", ""))
    if parts.scheme == "https" and parts.hostname:
        images.append(f"https://{parts.hostname}")
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src {' '.join(images)}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


class MaillagePlugin(BasePlugin[MaillagePluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.model: Model | None = None
        self.registry_dir: Path | None = None
        self.internal_dir: Path | None = None
        self.audience: str = "public"
        # Set by ``maillage build``, which has already validated: avoids doing it twice.
        self.preloaded: tuple[Model, Path] | None = None
        self.markers: dict[str, Marker] = {}
        self.generated = 0
        self._bodies: dict[str, str] = {}  # generated page -> its HTML, between markdown and content
        self._nav_cache: dict[str, str] = {}  # rendered side navigation of record pages, by folder
        # Set by ``maillage build``: a child process already writing the data files, and
        # whether a child process builds half of the record pages (see ``_split_pages``).
        self.data_writer: BackgroundWriter | None = None
        self.split_pages = False
        self._nav: Any = None
        self._page_builder: Child | None = None

    # -- configuration

    def _resolve(self, config: Any) -> tuple[Path, str, Path | None]:
        from maillage.pipeline import AudienceError, audience_for

        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        env_registry = os.environ.get(ENV_REGISTRY)
        registry = Path(env_registry).resolve() if env_registry else (base / self.config.registry).resolve()
        env_internal = os.environ.get(ENV_INTERNAL)
        internal_option = env_internal or self.config.internal
        internal = (base / internal_option).resolve() if internal_option else None
        audience = os.environ.get(ENV_AUDIENCE) or self.config.audience
        if audience is not None and audience not in AUDIENCES:
            raise PluginError(f"Audience inconnue « {audience} » : choisissez public ou interne.")
        try:
            return registry, audience_for(audience, internal), internal  # type: ignore[arg-type]
        except AudienceError as exc:
            raise PluginError(f"Audience : {exc}") from None

    def _load(self, registry: Path, audience: str, internal: Path | None = None) -> Model:
        from maillage import pipeline
        from maillage.core.problem_formats import as_line, as_text

        try:
            result = pipeline.run(registry, audience, internal=internal)  # type: ignore[arg-type]
            if result.model is None:
                raise PluginError("Le registre contient des erreurs : le site n'est pas construit.\n\n"
                                  + as_text(result.problems, result.records_read))
            for warning in result.problems:  # e.g. places not geocoded, each with its file and line
                log.info(as_line(warning))
            return result.model
        except RegistryNotFound as exc:
            raise PluginError(f"Registre introuvable : {exc}") from None
        except ClockError as exc:
            raise PluginError(str(exc)) from None

    def on_config(self, config: Any) -> Any:
        if self.preloaded is not None:
            self.model, self.registry_dir = self.preloaded
            self.audience = self.model.audience
            internal = os.environ.get(ENV_INTERNAL)  # set by « maillage build » with the preloaded model
            self.internal_dir = Path(internal).resolve() if internal and self.audience == "interne" else None
        else:
            self.registry_dir, self.audience, self.internal_dir = self._resolve(config)
            self.model = self._load(self.registry_dir, self.audience, self.internal_dir)
        model = self.model
        config["site_name"] = model.meta.titre
        if model.meta.description and not config.get("site_description"):
            config["site_description"] = " ".join(model.meta.description.split())
        if model.meta.site_url and not config.get("site_url"):
            config["site_url"] = model.meta.site_url
        config["extra"]["maillage"] = {
            "audience": self.audience,
            "fictif": model.meta.fictif,
            "csp": _csp(model),
            "editeur": model.meta.editeur,
        }
        self.markers = collect_markers()
        return config

    # -- pages

    def on_files(self, files: Files, /, *, config: Any) -> Files:
        assert self.model is not None
        self.generated = 0
        try:
            pages = generate_pages(self.model, map_assets=self._map_assets(config), split=self.split_pages)
        except ChildFailed as exc:
            raise PluginError(f"Des pages du site n'ont pas pu être produites : {exc}.") from None
        for page in pages:
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                log.warning(f"docs/{page.src_uri} est remplacé par la page produite à partir du registre.")
                files.remove(existing)
            file = File.generated(config, page.src_uri, content=page.content)
            if not page.in_nav:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(file)
            self.generated += 1
        return files

    def _map_assets(self, config: Any) -> str:
        """Script and style tags for the record maps, when the front-end files exist."""
        docs = Path(config["docs_dir"])
        root = "../../"
        wanted = [MAP_STYLE, *MAP_SCRIPTS]
        if not all((docs / path).is_file() for path in wanted):
            return ""
        parts = [f'<link rel="stylesheet" href="{root}{MAP_STYLE}">']
        directory = _optional("maillage.site.directory")
        config_script = getattr(directory, "config_script", None) if directory else None
        if callable(config_script) and self.model is not None:
            parts.append(config_script(self.model, root))
        parts += [f'<script src="{root}{path}" defer></script>' for path in MAP_SCRIPTS]
        return "\n".join(parts)

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Files) -> str:
        if page.file.generated_by:
            return self._set_aside(page, markdown)
        if "maillage:" not in markdown:
            return markdown
        model = self.model
        assert model is not None

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            function: Callable[[Model], str] | None = self.markers.get(name)
            if function is None:
                log.warning(f"{page.file.src_uri} : marqueur inconnu « {name} » (ignoré).")
                return ""
            return function(model)

        return MARKER.sub(replace, markdown)

    def _set_aside(self, page: Any, markdown: str) -> str:
        """Keep a generated page's HTML away from Markdown, which would only copy it (at a cost).

        A generated page is one raw HTML block (see ``pages._page``): Python-Markdown's
        ``md_in_html`` would parse every tag of it to hand it back unchanged, which was
        the largest cost of a 10,000-record build. Markdown gets a placeholder instead, and
        :meth:`on_page_content` puts the HTML back.
        """
        body = markdown.strip()
        if not (body.startswith(GENERATED_BODY_START) and body.endswith("</div>")) or BODY_PLACEHOLDER in body:
            return markdown
        self._bodies[page.file.src_uri] = body
        page.render = MethodType(_render_placeholder, page)
        return BODY_PLACEHOLDER + "\n"

    def on_nav(self, nav: Any, /, *, config: Any, files: Files) -> Any:
        self._nav = nav
        return nav

    def on_env(self, env: Any, /, *, config: Any, files: Files) -> Any:
        self._nav_cache.clear()  # a new build (``mkdocs serve``): the navigation may have changed
        env.globals["maillage_nav_key"] = _record_nav_key
        env.globals["maillage_nav_cache"] = self._nav_cache
        if self.split_pages and self._nav is not None:
            self._split_pages(env, config, files)
        return env

    def _split_pages(self, env: Any, config: Any, files: Files) -> None:
        """Every other record page is built by a forked child, into the same site folder.

        Every page is read and rendered to HTML by then: what is left is the theme's template
        and the file, page by page, each a function of its page, the navigation and the
        configuration alone. The child builds its pages as MkDocs would and exits; the parent
        gives those pages an empty template, so MkDocs skips them (an empty page is not
        written), and waits for the child in ``on_post_build``.
        """
        from mkdocs.commands.build import _build_page

        nav = self._nav
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        theirs = [file for file in doc_files
                  if file.generated_by and file.page is not None and not file.inclusion.is_in_nav()][1::2]
        if not theirs:
            return

        def build_theirs() -> None:
            for file in theirs:
                _build_page(file.page, config, doc_files, nav, env, False, excluded=file.inclusion.is_excluded())

        self._page_builder = Child(build_theirs)
        env.loader = ChoiceLoader([DictLoader({SKIPPED_TEMPLATE: ""}), env.loader])
        for file in theirs:
            file.page.meta["template"] = SKIPPED_TEMPLATE

    def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Files) -> str:
        body = self._bodies.pop(page.file.src_uri, None)
        if body is None:
            return html
        return html.replace(BODY_PLACEHOLDER, body, 1)

    # -- data files

    def on_post_build(self, *, config: Any) -> None:
        assert self.model is not None
        site_dir = Path(config["site_dir"])
        # Written straight into the site (no temporary folder inside site_dir, which MkDocs
        # would never clean: hidden names); ``maillage build`` builds in a staging folder, so
        # the site as a whole stays atomic. It may have had them written meanwhile by a child
        # process (see :mod:`maillage.site.data_files`): then they are only moved in.
        builder, self._page_builder = self._page_builder, None
        if builder is not None:
            code = builder.wait()
            if code != 0:
                raise PluginError(f"Des pages du site n'ont pas pu être construites ({failure(code)}).")
        writer, self.data_writer = self.data_writer, None
        if writer is not None:
            writer.finish(site_dir)
        else:
            write_files(site_dir, render_data_files(self.model))
        self._copy_documents(site_dir)
        self._editor_config(site_dir, config)

    def _editor_config(self, site_dir: Path, config: Any) -> None:
        """``admin/config.yml``: the web editor's configuration, beside its page (docs/admin/)."""
        cms = _optional("maillage.editing.cms")
        if cms is None or self.registry_dir is None:
            return
        repo_root = Path(config.config_file_path).parent if config.config_file_path else None
        write_files(site_dir, cms.site_files(self.registry_dir, repo_root))

    def _copy_documents(self, site_dir: Path) -> None:
        """Convention documents stored beside the records, when the audience may see them."""
        assert self.model is not None and self.registry_dir is not None
        for convention in self.model.conventions:
            for document in convention.documents:
                if not document.fichier:
                    continue
                # A document that is not public sits in the internal registry (internal audience only).
                folders = [d for d in (self.registry_dir, self.internal_dir) if d is not None]
                source = next((f / "conventions" / document.fichier for f in folders
                               if (f / "conventions" / document.fichier).is_file()), folders[0] / "conventions")
                if not source.is_file():
                    log.warning(f"Document introuvable pour la convention {convention.id} : {document.fichier}")
                    continue
                target = inside(site_dir, f"conventions/{convention.id}/{document.fichier}")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)

    # -- serve

    def on_serve(self, server: Any, /, *, config: Any, builder: Callable[..., Any]) -> Any:
        for folder in (self.registry_dir, self.internal_dir):
            if folder is not None and folder.is_dir():
                server.watch(str(folder))
        return server


def _render_placeholder(page: Any, config: Any, files: Files) -> None:
    """``Page.render`` for a generated page set aside: what Markdown gives for the placeholder alone.

    Markdown turns the placeholder line into itself, with no table of contents, title, anchor
    or link; building a Markdown converter with every extension for each page only to learn
    that cost a tenth of a 10,000-record build.
    """
    page.content = BODY_PLACEHOLDER
    page.toc = get_toc([])
    page._title_from_render = None
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def _record_nav_key(page: Any) -> str | None:
    """Pages whose side navigation is the same: generated, out of the navigation, without a
    table of contents, in the same folder (links are relative) and with the same ``hide``."""
    if page is None or not getattr(page.file, "generated_by", None):
        return None
    if page.file.inclusion.is_in_nav() or len(page.toc) or page.parent is not None:
        return None
    folder = page.url.rstrip("/").rpartition("/")[0]
    return f"{folder}|{','.join(sorted(page.meta.get('hide') or ()))}"
