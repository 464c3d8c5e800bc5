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

On a machine with more than one core, for a registry large enough for it to pay, the
record pages and the data files are written by a standard ``concurrent.futures`` process
pool (:class:`Outputs`): the workers are forked once the model is built, so they inherit
it (nothing is pickled but the shells and a range of records); the data files start as
soon as MkDocs has cleaned the site folder, the record pages once the shells exist; each
job writes its own files,
and a job that fails fails the build (``maillage build`` then publishes nothing). A
worker whose parent died (``kill -9``) stops at once: it never writes into a folder that
a later build deletes as a leftover. Same bytes with or without the pool.
"""

from __future__ import annotations

import gc
import gzip
import multiprocessing
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

from maillage.core import testhooks
from maillage.core.model import Model
from maillage.history.log import RegistryHistory
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


POOL_MIN_RECORDS = 2000  # below this, forking workers costs more than it saves
CHUNKS_PER_WORKER = 4


def pool_size(records: int) -> int:
    """How many worker processes write the outputs of ``records`` record pages (1: no pool)."""
    if records < POOL_MIN_RECORDS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


@dataclass(slots=True)
class _Work:
    """What every job reads: set in the parent before the pool forks, inherited by the workers."""

    model: Model
    site_dir: Path
    map_assets: str
    data_files: Callable[[Model], Iterable[tuple[str, bytes]]]
    history: RegistryHistory | None = None
    renderer: PageRenderer | None = None

    def pages(self, shells: dict[str, Shell], start: int, stop: int, halfway: int | None = None) -> int:
        if self.renderer is None:
            self.renderer = PageRenderer(self.model, map_assets=self.map_assets, history=self.history)
        records = self.renderer.records()
        for index in range(start, stop):
            page = self.renderer.record(records[index])
            write_page(self.site_dir, shells[page.folder], page)
            if index + 1 == halfway:
                testhooks.reached("construction-fiches")
        return stop - start

    def data(self) -> int:
        from maillage.site.data_files import write_files

        return write_files(self.site_dir, self.data_files(self.model))


_WORK: _Work | None = None


def _watch_parent(parent: int) -> None:
    """In a worker: exit at once if the parent dies (its files are then a leftover, never rewritten)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="maillage-parent", daemon=True).start()


def _pages_job(shells: dict[str, Shell], start: int, stop: int) -> int:
    assert _WORK is not None
    return _WORK.pages(shells, start, stop)


def _data_job() -> int:
    assert _WORK is not None
    return _WORK.data()


def written_ids(model: Model, folders: Sequence[str]) -> dict[str, list[str]]:
    """The record pages of ``model``, by folder, in the order of the site."""
    out: dict[str, list[str]] = {folder: [] for folder in folders}
    for folder, records in (("professionnels", model.professionnels), ("structures", model.structures),
                            ("conventions", model.conventions)):
        if folder in out:
            out[folder] = [record.id for record in records]
    return out


class Outputs:
    """The record pages and data files of one build (see the module doc).

    :meth:`start` (from ``on_files``: the site folder is clean, the model built) starts the data
    files at once in the pool, while MkDocs renders its own pages; :meth:`finish` (from
    ``on_post_build``, the shells written) writes the record pages and waits for everything;
    :meth:`cancel` (``on_build_error``) stops the pool. Without a pool, all is done in :meth:`finish`.
    """

    def __init__(self, model: Model, site_dir: Path, map_assets: str,
                 data_files: Callable[[Model], Iterable[tuple[str, bytes]]], workers: int | None = None,
                 history: RegistryHistory | None = None) -> None:
        self.work = _Work(model, site_dir, map_assets, data_files, history)
        self.total = len(model.professionnels) + len(model.structures) + len(model.conventions)
        self.workers = pool_size(self.total) if workers is None else workers
        self.pool: ProcessPoolExecutor | None = None
        self.data: Future[int] | None = None

    def start(self) -> None:
        global _WORK
        if self.workers <= 1:
            return
        _WORK = self.work
        # What exists now (the model above all) is inherited by the workers: frozen, the garbage collector
        # never scans it, so the memory they share is not copied (see gc.freeze in Python's documentation).
        gc.freeze()
        try:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_watch_parent, initargs=(os.getpid(),))
            self.data = self.pool.submit(_data_job)  # the longest job first
        finally:
            gc.unfreeze()

    def finish(self, folders: Sequence[str]) -> None:
        shells = {folder: read_shell(self.work.site_dir, folder) for folder in folders}
        if self.pool is None or self.data is None:
            self.work.pages(shells, 0, self.total, halfway=self.total // 2)
            self.work.data()
            testhooks.reached("construction-donnees")
            return
        pool, data = self.pool, self.data
        try:
            size = max(1, -(-self.total // (self.workers * CHUNKS_PER_WORKER)))
            pages = [pool.submit(_pages_job, shells, start, min(start + size, self.total))
                     for start in range(0, self.total, size)]
            pending: set[Future[int]] = {data, *pages}
            done_pages = 0
            while pending:
                finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in finished:
                    future.result()  # a failed job (or a dead worker) raises here: the build fails
                    if future is data:
                        testhooks.reached("construction-donnees")
                    else:
                        done_pages += 1
                        if done_pages == (len(pages) + 1) // 2:
                            testhooks.reached("construction-fiches")
        except Exception as exc:
            self.cancel()
            traceback.print_exception(exc, file=sys.stderr)  # with the worker's own traceback
            raise PluginError(f"Des pages ou des fichiers du site n'ont pas pu être écrits : {exc!r}") from exc
        except BaseException:
            self.cancel()
            raise
        self.cancel()

    def cancel(self) -> None:
        """Stop the pool: jobs not started are dropped, running ones end (their folder is then deleted)."""
        global _WORK
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        _WORK = None


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
