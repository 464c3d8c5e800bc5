"""The MkDocs plugin: the registry becomes pages of the site.

``mkdocs build``, ``mkdocs serve`` and ``maillage build`` all go through here, with MkDocs'
public plugin events and theme blocks only (MkDocs 1.x and its maintained fork ProperDocs):

* ``on_config`` loads, validates and models the registry (an invalid registry stops
  the build with the validator's French report) and names the site after it;
* ``on_files`` adds the index pages (professionals, structures, conventions,
  territories) as virtual files (nothing is written in ``docs/``), and one **shell** page
  per record folder: a record page without its record (a placeholder title and body);
  on a large registry it also starts the process pool writing the data files (the site
  folder is clean by then) while MkDocs renders its pages;
* ``on_page_markdown`` replaces ``<!-- maillage:NAME -->`` markers in hand-written pages,
  and keeps the HTML of generated pages away from Markdown (``on_page_content`` puts it
  back);
* ``on_post_build`` writes every record page (:mod:`maillage.site.record_pages`): the
  shell its folder got from MkDocs and Material, with the record's title, canonical URL
  and body filled in, rendered as a pure function of the model. It then deletes the
  shells, lists the record pages in ``sitemap.xml`` and ``sitemap.xml.gz``, and writes the
  data files (open-data exports, directory index) and the public convention documents;
* ``on_build_error`` stops the pool; ``on_serve`` watches the registry so ``mkdocs serve``
  reloads when a record changes (``on_startup`` tells a live server, which gets no pool).

What the plugin needs is its configuration in ``mkdocs.yml`` (MkDocs' ``!ENV`` tag reads
the documented environment variables there)::

    plugins:
      - maillage:
          registry: !ENV [MAILLAGE_REGISTRY, registry]   # relative to mkdocs.yml
          audience: !ENV [MAILLAGE_AUDIENCE, null]       # public or interne (default: interne with
                                                         # an internal registry, else public)
          internal: !ENV [MAILLAGE_INTERNAL, null]       # the internal registry, if any
          today: !ENV [MAILLAGE_TODAY, null]             # business date AAAA-MM-JJ (default: the real date)
          processes: null                                # workers for the record pages (default: automatic)

``maillage build`` sets the same options in-process on the configuration it loads.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from maillage.core import clock
from maillage.core.clock import ClockError
from maillage.core.model import AUDIENCES, Model
from maillage.history.log import RegistryHistory, read_history
from maillage.load.registry import RegistryNotFound
from maillage.site.data_files import inside, iter_data_files
from maillage.site.directory import config_script, plain_text
from maillage.site.feed import atom_feed
from maillage.site.markers import MARKERS, Marker
from maillage.site.pages import PageRenderer, SiteContext, record_folders
from maillage.site.record_pages import BODY_TOKEN, SHELL, Outputs, list_in_sitemap, shell_page, written_ids
from maillage.site.safe import escape

log = get_plugin_logger(__name__)

MARKER = re.compile(r"<!--\s*maillage:([a-z0-9][a-z0-9-]*)\s*-->")
MAP_STYLE = "assets/vendor/leaflet/leaflet.css"
MAP_SCRIPTS = ("assets/vendor/leaflet/leaflet.js", "assets/maillage/carte-fiche.js")
BODY_PLACEHOLDER = "<!-- maillage-corps-de-page -->"


class MaillagePluginConfig(Config):
    registry = c.Type(str, default="registry")
    audience = c.Optional(c.Choice(AUDIENCES))  # default: interne with an internal registry, else public
    internal = c.Optional(c.Type(str))
    today = c.Optional(c.Type((str, date)))
    # Processes writing the record pages and data files: 1 for none beside MkDocs', default automatic
    # (a pool of one per core from 2,000 records on, see maillage.site.record_pages.pool_size).
    processes = c.Optional(c.Type(int))


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """The plugin's configuration, resolved: absolute folders and the business date."""

    registry: Path
    audience: str
    internal: Path | None
    today: date


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


def resolve_settings(options: MaillagePluginConfig, config_file: str | None) -> SiteSettings:
    """Folders relative to ``mkdocs.yml``; the business date pinned by ``today``, else the real date."""
    from maillage.pipeline import AudienceError, audience_for

    base = Path(config_file).parent if config_file else Path.cwd()
    if options.audience is not None and options.audience not in AUDIENCES:  # pragma: no cover - a Choice
        raise PluginError(f"Audience inconnue « {options.audience} » : choisissez public ou interne.")
    try:
        today = clock.business_date(options.today)
    except ClockError as exc:
        raise PluginError(f"Option « today » du greffon maillage : {exc}") from None
    internal = (base / options.internal).resolve() if options.internal else None
    try:  # the internal audience needs the internal registry; the public one never reads it
        audience = audience_for(options.audience, internal)  # type: ignore[arg-type]
    except AudienceError as exc:
        raise PluginError(f"Audience : {exc}") from None
    return SiteSettings((base / options.registry).resolve(), audience, internal, today)


def _load(settings: SiteSettings) -> Model:
    """Validate the registry and build the model the audience may see (a French error otherwise).

    The problems that do not stop the build (places not geocoded…) are logged with their file and line.
    """
    from maillage import pipeline
    from maillage.core.problem_formats import as_line, as_text

    try:
        result = pipeline.run(settings.registry, settings.audience, settings.today,  # type: ignore[arg-type]
                              internal=settings.internal)
    except RegistryNotFound as exc:
        raise PluginError(f"Registre introuvable : {exc}") from None
    except ClockError as exc:
        raise PluginError(str(exc)) from None
    if result.model is None:
        raise PluginError("Le registre contient des erreurs : le site n'est pas construit.\n\n"
                          + as_text(result.problems, result.records_read))
    for warning in result.problems:
        log.info(as_line(warning))
    return result.model


class MaillagePlugin(BasePlugin[MaillagePluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.settings: SiteSettings | None = None
        self.model: Model | None = None
        self.markers: dict[str, Marker] = {}
        self._provided: tuple[Path, Model, Path | None] | None = None
        self._generated: set[str] = set()  # src_uri of the pages added by on_files
        self._bodies: dict[str, str] = {}  # generated page -> its HTML, between markdown and content
        self._map_assets = ""
        self._command = "build"
        self._outputs: Outputs | None = None
        self.history: RegistryHistory | None = None

    def provide(self, registry: Path, model: Model, internal: Path | None = None) -> None:
        """A model already built from this configuration (``maillage build`` validates first): used
        instead of loading the registries again when they, the audience and the date match the options."""
        self._provided = (registry.resolve(), model, internal.resolve() if internal is not None else None)

    # -- configuration

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = command

    def on_config(self, config: Any) -> Any:
        settings = resolve_settings(self.config, config.config_file_path)
        provided = self._provided
        if (provided is not None and provided[0] == settings.registry and provided[1].audience == settings.audience
                and provided[1].today == settings.today and provided[2] == settings.internal):
            model = provided[1]
        else:
            model = _load(settings)
        self.settings, self.model = settings, model
        # The history of the public registry's records, public fields only (none without Git history).
        self.history = read_history(settings.registry)
        config["site_name"] = model.meta.titre
        if model.meta.description and not config.get("site_description"):
            # A meta description is plain text: the Markdown of registre.yaml's description is flattened.
            config["site_description"] = plain_text(model.meta.description)
        if not config.get("copyright"):
            config["copyright"] = str(escape(f"{model.meta.editeur} — données sous {model.meta.licence_titre}"))
        # Material's « Made with Material for MkDocs » line: its documented switch.
        config["extra"].setdefault("generator", False)
        if model.meta.site_url and not config.get("site_url"):
            config["site_url"] = model.meta.site_url
        config["extra"]["maillage"] = {
            "audience": settings.audience,
            "fictif": model.meta.fictif,
            "csp": _csp(model),
            "editeur": model.meta.editeur,
        }
        self.markers = dict(MARKERS)
        return config

    # -- pages

    def on_files(self, files: Files, /, *, config: Any) -> Files:
        assert self.model is not None
        self._generated.clear()
        self._bodies.clear()
        self._map_assets = self._map_assets_for(config)
        renderer = PageRenderer(self.model, map_assets=self._map_assets, history=self.history)
        pages = [*renderer.index_pages(), *(shell_page(folder) for folder in record_folders(self.model))]
        for page in pages:
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                log.warning(f"docs/{page.src_uri} est remplacé par la page produite à partir du registre.")
                files.remove(existing)
            file = File.generated(config, page.src_uri, content=page.content)
            if not page.in_nav:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(file)
            self._generated.add(page.src_uri)
        # The site folder is clean by now: the data files may start (in the pool, beside MkDocs' work).
        self._stop_outputs()
        workers = 1 if self._command == "serve" else self.config.processes  # no workers beside a live server
        self._outputs = Outputs(self.model, Path(config["site_dir"]), self._map_assets, iter_data_files, workers,
                                history=self.history)
        self._outputs.start()
        return files

    def _stop_outputs(self) -> None:
        outputs, self._outputs = self._outputs, None
        if outputs is not None:
            outputs.cancel()

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_outputs()

    def _map_assets_for(self, config: Any) -> str:
        """Script and style tags for the record maps, when the front-end files exist."""
        docs = Path(config["docs_dir"])
        root = "../../"
        wanted = [MAP_STYLE, *MAP_SCRIPTS]
        if not all((docs / path).is_file() for path in wanted):
            return ""
        parts = [f'<link rel="stylesheet" href="{root}{MAP_STYLE}">']
        if self.model is not None:
            parts.append(config_script(self.model, root))
        parts += [f'<script src="{root}{path}" defer></script>' for path in MAP_SCRIPTS]
        return "\n".join(parts)

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Files) -> str:
        if page.file.src_uri in self._generated:
            # One raw HTML block: Markdown (``md_in_html``) would parse every tag only to hand
            # it back unchanged. It gets a placeholder; on_page_content puts the HTML back.
            self._bodies[page.file.src_uri] = markdown.strip()
            return BODY_PLACEHOLDER + "\n"
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

    def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Files) -> str:
        body = self._bodies.pop(page.file.src_uri, None)
        if body is None:
            return html
        return html.replace(BODY_PLACEHOLDER, body, 1)

    # -- record pages and data files

    def on_post_build(self, *, config: Any) -> None:
        assert self.model is not None
        site_dir = Path(config["site_dir"])
        # Written straight into the site (``maillage build`` builds in a staging folder and
        # swaps it in at the end, so the site as a whole stays atomic).
        from maillage.core import testhooks

        testhooks.reached("construction-pages")
        folders = record_folders(self.model)
        outputs, self._outputs = self._outputs, None
        assert outputs is not None
        outputs.finish(folders)
        list_in_sitemap(site_dir, written_ids(self.model, folders))
        for folder in folders:
            shutil.rmtree(site_dir / folder / SHELL, ignore_errors=True)
        self._copy_documents(site_dir)
        self._editor_config(site_dir, config)
        self._news_feed(site_dir, config)

    def _news_feed(self, site_dir: Path, config: Any) -> None:
        """``nouveautes/atom.xml``: the feed of /nouveautes/ (absolute links: from ``site_url``)."""
        assert self.model is not None
        changes = SiteContext(self.model, history=self.history).latest_changes()
        site_url = config.get("site_url") or "http://127.0.0.1:8000/"
        stamp = datetime.fromtimestamp(clock.file_stamp(), tz=UTC).date()
        target = inside(site_dir, "nouveautes/atom.xml")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(atom_feed(self.model, changes, site_url, stamp))

    def _editor_config(self, site_dir: Path, config: Any) -> None:
        """``admin/config.yml``: the web editor's configuration, beside its page (docs/admin/)."""
        from maillage.editing import cms

        assert self.settings is not None
        repo_root = Path(config.config_file_path).parent if config.config_file_path else None
        for relative, data in sorted(cms.site_files(self.settings.registry, repo_root).items()):
            target = inside(site_dir, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def _copy_documents(self, site_dir: Path) -> None:
        """Convention documents stored beside the records, when the audience may see them."""
        assert self.model is not None and self.settings is not None
        for convention in self.model.conventions:
            for document in convention.documents:
                if not document.fichier:
                    continue
                # A document that is not public sits in the internal registry (internal audience only).
                folders = [f for f in (self.settings.registry, self.settings.internal) if f is not None]
                source = next((f / "conventions" / document.fichier for f in folders
                               if (f / "conventions" / document.fichier).is_file()),
                              self.settings.registry / "conventions" / document.fichier)
                if not source.is_file():
                    log.warning(f"Document introuvable pour la convention {convention.id} : {document.fichier}")
                    continue
                target = inside(site_dir, f"conventions/{convention.id}/{document.fichier}")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)

    # -- serve

    def on_serve(self, server: Any, /, *, config: Any, builder: Callable[..., Any]) -> Any:
        if self.settings is not None:
            for folder in (self.settings.registry, self.settings.internal):
                if folder is not None and folder.is_dir():
                    server.watch(str(folder))
        return server


__all__ = ["BODY_TOKEN", "MaillagePlugin", "MaillagePluginConfig", "SiteSettings",
           "resolve_settings"]
