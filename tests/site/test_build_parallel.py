"""Record pages and data files: written by the plugin's ``on_post_build``, alone or by a process pool.

On a large registry and more than one core, a standard process pool writes the record
pages and the data files. Same bytes as when everything runs in one process; a job that
fails, in a worker or in the build itself, fails the build cleanly: the previous site is
untouched, no worker is left running, no temporary folder is left beside the site.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, TODAY
from maillage.cli.main import main
from maillage.site import plugin, record_pages

EPOCH = "1795305600"  # 2026-11-22 00:00 UTC


@pytest.fixture(autouse=True)
def _stamp(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    yield


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


def build(site: Path) -> int:
    return main(["build", "--registry", str(REPO / "registry"), "--site-dir", str(site), "--date", TODAY,
                 "--config", str(REPO / "mkdocs.yml")])


def with_pool(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    monkeypatch.setattr(record_pages, "pool_size", lambda records: workers)


def _children() -> set[int]:
    try:
        return {int(pid) for pid in Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()}
    except OSError:  # pragma: no cover - not Linux
        return set()


# Children that other tests legitimately keep (e.g. the session's Chromium driver) are not the build's.
_BEFORE: set[int] = set()


@pytest.fixture(autouse=True)
def _known_children() -> None:
    _BEFORE.clear()
    _BEFORE.update(_children())


def children_left() -> list[int]:
    """Children started during the test that exited but were never waited for, or still run."""
    return sorted(_children() - _BEFORE)


def test_pool_and_single_process_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_pool(monkeypatch, 2)
    assert build(tmp_path / "pool" / "site") == 0
    assert children_left() == []
    with_pool(monkeypatch, 1)
    assert build(tmp_path / "seul" / "site") == 0
    pooled, alone = tree(tmp_path / "pool" / "site"), tree(tmp_path / "seul" / "site")
    assert "donnees/datapackage.json" in pooled and "annuaire/index.json" in pooled
    assert "professionnels/aubry-valerie/index.html" in pooled
    assert pooled == alone
    assert sorted(p.name for p in (tmp_path / "pool").iterdir()) == ["site"]


def test_record_pages_replace_the_shells_in_the_site_and_the_sitemap(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(site) == 0
    assert not [p for p in site.rglob("*") if record_pages.SHELL in p.as_posix()]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert record_pages.SHELL not in sitemap
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(locs) == len(set(locs))
    records = sorted(p.parent.name for p in (site / "professionnels").glob("*/index.html"))
    assert len(records) > 100
    for record in records:
        assert f"https://maillage.example.org/professionnels/{record}/" in locs
        page = (site / "professionnels" / record / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="https://maillage.example.org/professionnels/{record}/">' in page
        assert record_pages.TITLE_TOKEN not in page and "maillage-corps-de-fiche" not in page
    # every record page, index page and hand-written page, once, with the stamp's date
    # (the web editor, /admin/, stays out of the sitemap)
    pages = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")} - {"admin"}
    assert {loc.removeprefix("https://maillage.example.org/").rstrip("/") for loc in locs} == \
        {"" if page == "." else page for page in pages}
    assert sitemap.count("<lastmod>2026-11-22</lastmod>") == len(locs)
    # the compressed copy holds the same bytes, dated by SOURCE_DATE_EPOCH
    compressed = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(compressed) == sitemap.encode("utf-8")
    assert int.from_bytes(compressed[4:8], "little") == int(EPOCH)


def _previous_site(tmp_path: Path) -> Path:
    site = tmp_path / "publication" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("ancien site", encoding="utf-8")
    return site


def _published_nothing(site: Path) -> None:
    assert tree(site) == {"index.html": hashlib.sha256(b"ancien site").hexdigest()}
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    assert children_left() == []


def test_a_failing_data_job_in_a_worker_fails_the_build_and_publishes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(model: object) -> Iterator[tuple[str, bytes]]:
        yield "donnees/moitie.csv", b"id\n"
        raise RuntimeError("export impossible")

    with_pool(monkeypatch, 2)
    monkeypatch.setattr(plugin, "iter_data_files", broken)
    site = _previous_site(tmp_path)
    assert build(site) == 1
    err = capfd.readouterr().err
    assert "la construction du site a échoué" in err and "export impossible" in err  # with the worker's traceback
    assert "n'ont pas pu être écrits" in caplog.text
    _published_nothing(site)


def _only_in_a_child(function):  # type: ignore[no-untyped-def]
    """``function`` that fails in a worker process, and works in this process."""
    parent = os.getpid()

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise RuntimeError("échec dans le second processus")
        return function(*args, **kwargs)
    return wrapper


def test_a_record_page_failing_in_a_worker_fails_the_build_and_publishes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    from maillage.site.pages import PageRenderer

    with_pool(monkeypatch, 2)
    render = PageRenderer.record
    failing = _only_in_a_child(render)
    monkeypatch.setattr(PageRenderer, "record",
                        lambda self, record: failing(self, record) if record.kind == "professionnel"
                        else render(self, record))
    site = _previous_site(tmp_path)
    assert build(site) == 1
    assert "échec dans le second processus" in capfd.readouterr().err
    _published_nothing(site)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_record_page_publishes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  workers: int) -> None:
    from maillage.site.pages import PageRenderer

    render = PageRenderer.record

    def broken(self: PageRenderer, record: Any) -> Any:
        if record.kind == "structure":
            raise RuntimeError("page impossible")
        return render(self, record)

    with_pool(monkeypatch, workers)
    monkeypatch.setattr(PageRenderer, "record", broken)
    site = _previous_site(tmp_path)
    if workers == 1:
        with pytest.raises(RuntimeError, match="page impossible"):
            build(site)
    else:
        assert build(site) == 1
    _published_nothing(site)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_page_of_mkdocs_publishes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    workers: int) -> None:
    """With the pool, the data files have already started: the failure stops the pool too."""
    from maillage.site.plugin import MaillagePlugin

    with_pool(monkeypatch, workers)
    def broken(self: MaillagePlugin, html: str, /, **_: object) -> str:
        raise RuntimeError("page impossible")

    monkeypatch.setattr(MaillagePlugin, "on_page_content", broken)
    site = _previous_site(tmp_path)
    with pytest.raises(RuntimeError, match="page impossible"):
        build(site)
    _published_nothing(site)
