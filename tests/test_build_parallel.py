"""``maillage build`` writes the data files in a forked child while MkDocs renders the pages.

It also renders every other record page (HTML, then theme) in a forked child. Same
bytes as when everything runs in one process; a child that fails, or a page that
fails while the child runs, fails the build cleanly: the previous site is untouched, no
child is left running, no temporary folder is left beside the site.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, TODAY
from maillage.cli.main import main
from maillage.site import data_files, parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="fork indisponible ou un seul cœur")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    saved = os.environ.get("MAILLAGE_TODAY")
    os.environ["MAILLAGE_TODAY"] = TODAY
    yield
    if saved is None:
        os.environ.pop("MAILLAGE_TODAY", None)
    else:
        os.environ["MAILLAGE_TODAY"] = saved


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


def build(site: Path) -> int:
    return main(["build", "--registry", str(REPO / "registry"), "--site-dir", str(site),
                 "--config", str(REPO / "mkdocs.yml")])


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


def test_forked_and_sequential_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert build(tmp_path / "forked" / "site") == 0
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert build(tmp_path / "sequential" / "site") == 0
    forked, sequential = tree(tmp_path / "forked" / "site"), tree(tmp_path / "sequential" / "site")
    assert "donnees/datapackage.json" in forked and "annuaire/index.json" in forked
    assert forked == sequential
    assert sorted(p.name for p in (tmp_path / "forked").iterdir()) == ["site"]
    assert children_left() == []


def _previous_site(tmp_path: Path) -> Path:
    site = tmp_path / "publication" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("ancien site", encoding="utf-8")
    return site


def test_a_failing_child_fails_the_build_and_publishes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(model: object) -> dict[str, bytes]:
        raise RuntimeError("export impossible")

    monkeypatch.setattr(data_files, "render_data_files", broken)
    site = _previous_site(tmp_path)
    assert build(site) == 1
    err = capfd.readouterr().err
    assert "export impossible" in err  # the child's traceback
    assert "la construction du site a échoué" in err
    assert "fichiers de données du site n'ont pas pu être écrits (code 1)" in caplog.text
    assert tree(site) == {"index.html": hashlib.sha256(b"ancien site").hexdigest()}
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    assert children_left() == []


def test_a_failing_page_stops_the_child_and_publishes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from maillage.site.plugin import MaillagePlugin

    def broken(self: MaillagePlugin, html: str, /, **_: object) -> str:
        raise RuntimeError("page impossible")

    monkeypatch.setattr(MaillagePlugin, "on_page_content", broken)
    site = _previous_site(tmp_path)
    with pytest.raises(RuntimeError, match="page impossible"):
        build(site)
    assert tree(site) == {"index.html": hashlib.sha256(b"ancien site").hexdigest()}
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    assert children_left() == []


def _only_in_a_child(function):  # type: ignore[no-untyped-def]
    """``function`` that fails in a forked child, and works in this process."""
    parent = os.getpid()

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise RuntimeError("échec dans le second processus")
        return function(*args, **kwargs)
    return wrapper


@pytest.mark.parametrize("step", ["generation", "rendu"])
def test_a_child_failing_on_record_pages_fails_the_build_and_publishes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, step: str) -> None:
    import mkdocs.commands.build

    from maillage.site.pages import PageRenderer

    if step == "generation":  # the child rendering every other record page's HTML
        monkeypatch.setattr(PageRenderer, "professionnel", _only_in_a_child(PageRenderer.professionnel))
    else:  # the child building every other record page with the theme
        monkeypatch.setattr(mkdocs.commands.build, "_build_page", _only_in_a_child(mkdocs.commands.build._build_page))
    site = _previous_site(tmp_path)
    assert build(site) == 1
    assert "échec dans le second processus" in capfd.readouterr().err  # the child's traceback
    assert "n'ont pas pu être" in caplog.text
    assert tree(site) == {"index.html": hashlib.sha256(b"ancien site").hexdigest()}
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]
    assert children_left() == []
