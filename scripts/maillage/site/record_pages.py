"""Record pages: the theme's shell of their folder, filled in with each record.

MkDocs and Material render one **shell** page per record folder (``professionnels/``,
``structures/``, ``conventions/``): a record page whose title is :data:`TITLE_TOKEN`,
whose URL ends in :data:`SHELL` and whose body is :data:`BODY_TOKEN`. It sits in the same
folder as the records, out of the navigation, so everything else in it (relative links,
side navigation, header, footer, scripts) is what each record page of that folder gets.
The plugin's ``on_post_build`` then writes ``<folder>/<id>/index.html`` for every record:
the shell with the record's title, canonical URL and body (a pure function of the model,
:class:`maillage.site.pages.PageRenderer`), each page written as soon as it is rendered,
and lists them in ``sitemap.xml`` (and its ``.gz``) in place of the shells.

The shell's indentation is dropped (runs of white space holding a line break become one
line break; the shell holds no ``<pre>``): the same page to a browser, a third smaller.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

from maillage.core import testhooks
from maillage.core.model import Model
from maillage.site.pages import GeneratedPage, PageRenderer, RecordPage
from maillage.site.safe import plain_title

SHELL = "maillage--fiche"  # never a record id: ids have no double hyphen
TITLE_TOKEN = "MAILLAGE-TITRE-DE-FICHE"
# The body holds the record's <h1>: the token says so, or Material would add one of its own.
BODY_TOKEN = "<!-- maillage-corps-de-fiche <h1> -->"
RECORD_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SLOTS = re.compile(f"({re.escape(TITLE_TOKEN)}|{re.escape(SHELL)}|{re.escape(BODY_TOKEN)})")
_INDENTATION = re.compile(r"[ \t\r\f\v]*\n\s*")


def shell_page(folder: str) -> GeneratedPage:
    """The virtual Markdown page MkDocs renders as the shell of ``folder``'s record pages."""
    front = f'---\ntitle: "{TITLE_TOKEN}"\nmaillage_fiche: true\n---\n\n'
    return GeneratedPage(f"{folder}/{SHELL}.md", f"{front}{BODY_TOKEN}\n")


@dataclass(frozen=True, slots=True)
class Shell:
    """A shell page cut at its slots: ``texts[0] slot[0] texts[1] slot[1] … texts[-1]``."""

    texts: tuple[str, ...]
    slots: tuple[str, ...]  # "title", "title-attribute", "id", "body"

    @classmethod
    def parse(cls, page: str, where: str) -> Shell:
        if page.count(BODY_TOKEN) != 1:
            raise PluginError(f"La page modèle des fiches {where} n'a pas exactement un emplacement de contenu.")
        if "<pre" not in page and "<textarea" not in page:
            page = _INDENTATION.sub("\n", page)
        pieces = _SLOTS.split(page)
        texts, slots = pieces[0::2], []
        for before, token in zip(pieces[0::2], pieces[1::2], strict=False):
            if token == TITLE_TOKEN:
                inside_tag = before.rfind("<") > before.rfind(">")
                slots.append("title-attribute" if inside_tag else "title")
            else:
                slots.append("id" if token == SHELL else "body")
        return cls(tuple(texts), tuple(slots))

    def fill(self, page: RecordPage) -> str:
        title = plain_title(page.title)
        values = {"title": title, "title-attribute": title.replace('"', "&quot;"),
                  "id": page.id, "body": page.block}
        out = [self.texts[0]]
        for slot, text in zip(self.slots, self.texts[1:], strict=True):
            out.append(values[slot])
            out.append(text)
        return "".join(out)


def read_shell(site_dir: Path, folder: str) -> Shell:
    path = site_dir / folder / SHELL / "index.html"
    try:
        return Shell.parse(path.read_text(encoding="utf-8"), f"« {folder} »")
    except FileNotFoundError:
        raise PluginError(f"La page modèle des fiches « {folder} » n'a pas été produite.") from None


def write_page(site_dir: Path, shell: Shell, page: RecordPage) -> None:
    if not RECORD_ID.match(page.id):
        raise PluginError(f"Identifiant de fiche refusé : {page.id!r}")
    folder = site_dir / page.folder / page.id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_bytes(shell.fill(page).encode("utf-8"))


def write_record_pages(model: Model, site_dir: Path, folders: Sequence[str],
                       map_assets: str = "") -> dict[str, list[str]]:
    """Write every record page of ``model`` into ``site_dir``; returns the ids written, by folder."""
    shells = {folder: read_shell(site_dir, folder) for folder in folders}
    renderer = PageRenderer(model, map_assets=map_assets)
    records = renderer.records()
    half = len(records) // 2
    written: dict[str, list[str]] = {folder: [] for folder in folders}
    for count, record in enumerate(records, start=1):
        page = renderer.record(record)
        write_page(site_dir, shells[page.folder], page)
        written[page.folder].append(page.id)
        if count == half:
            testhooks.reached("construction-fiches")
    return written


# --- sitemap -------------------------------------------------------------------------

_URL_BLOCK = re.compile(r"\n[ \t]*<url>(?:(?!</url>).)*</url>", re.DOTALL)


def _with_records(sitemap: str, written: dict[str, list[str]]) -> str:
    """``sitemap`` with each shell's ``<url>`` entry replaced by one entry per record of its folder."""
    blocks = {folder: f"/{folder}/{SHELL}/</loc>" for folder in written}

    def replace(match: re.Match[str]) -> str:
        block = match.group(0)
        for folder, marker in blocks.items():
            if marker in block:
                return "".join(block.replace(f"/{folder}/{SHELL}/", f"/{folder}/{rid}/") for rid in written[folder])
        return block

    return _URL_BLOCK.sub(replace, sitemap)


def list_in_sitemap(site_dir: Path, written: dict[str, list[str]]) -> None:
    """List the record pages in ``sitemap.xml`` and ``sitemap.xml.gz`` (written by MkDocs), in place of the
    shells, with the same dates and the same gzip header (its time stamp is kept)."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = _with_records(sitemap.read_text(encoding="utf-8"), written)
    data = text.encode("utf-8")
    sitemap.write_bytes(data)
    compressed = site_dir / "sitemap.xml.gz"
    if compressed.is_file():
        header = compressed.read_bytes()[:10]
        stamp = int.from_bytes(header[4:8], "little") if len(header) == 10 else 0
        with compressed.open("wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(compressed), mode="wb",
                                                         mtime=stamp) as out:
            out.write(data)
