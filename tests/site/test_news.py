"""« Historique » on record pages, /nouveautes/ and its Atom feed, from the Git history of the registry."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import feedparser
import pytest

from conftest import PROFESSIONNEL, PROFESSIONNEL_INTERNE, REPO, STRUCTURE, make_registry
from maillage.cli.main import main

ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}


def _commit(repo: Path, message: str, when: str) -> None:
    env = {**ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", message], check=True, env=env)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry with a few months of history (a phone changed, an internal note, a withdrawal), built."""
    repo = tmp_path_factory.mktemp("depot")
    other = (PROFESSIONNEL.replace("Lefèvre", "Martin").replace("Claire", "Paul")
             .replace("10001234565", "10001234573").replace("12 rue des Halles", "3 rue Martin"))
    # Its history starts before the two registries: an internal section, later moved out.
    registry = make_registry(repo / "registry",
                             professionnels={"lefevre-claire": PROFESSIONNEL + PROFESSIONNEL_INTERNE,
                                             "martin-paul": other},
                             structures={"cmp-coutances": STRUCTURE})
    subprocess.run(["git", "-C", str(repo), "init", "-q", "-b", "main"], check=True)
    _commit(repo, "Fiches", "2026-03-02T10:00:00Z")
    pro = registry / "professionnels" / "lefevre-claire.yaml"
    pro.write_text(pro.read_text().replace("02 61 91 12 34", "02 61 91 12 99"), encoding="utf-8")
    _commit(repo, "Téléphone", "2026-05-04T10:00:00Z")
    pro.write_text(pro.read_text().replace("Préfère les courriels.", "Note SENTINELLE-INTERNE."), encoding="utf-8")
    _commit(repo, "Note interne", "2026-06-01T10:00:00Z")
    text = pro.read_text(encoding="utf-8")
    pro.write_text(text[: text.index("interne:")], encoding="utf-8")  # moved to the internal registry
    _commit(repo, "Données internes déplacées", "2026-06-15T10:00:00Z")
    withdrawn = registry / "professionnels" / "martin-paul.yaml"
    withdrawn.write_text(withdrawn.read_text().replace("statut: actif", "statut: retire"), encoding="utf-8")
    _commit(repo, "Retrait", "2026-07-01T10:00:00Z")
    site = repo / "site"
    assert main(["build", "--registry", str(registry), "--site-dir", str(site), "--date", "2026-11-22",
                 "--config", str(REPO / "mkdocs.yml")]) == 0
    return site


def test_record_page_shows_its_history(built: Path) -> None:
    page = (built / "professionnels" / "lefevre-claire" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="historique"'):]
    section = section[:section.index("</section>")]
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    texts = [re.sub(r"<[^>]+>", "", i) for i in items]
    assert texts == ["4 mai 2026 — Mise à jour : numéro de téléphone (lieu 1)", "2 mars 2026 — Fiche ajoutée"]
    assert "SENTINELLE" not in page


def test_feed_is_valid_atom_without_withdrawn_or_internal(built: Path) -> None:
    raw = (built / "nouveautes" / "atom.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert "Claire Lefèvre : Mise à jour : numéro de téléphone (lieu 1)" in titles
    assert all("Martin" not in t for t in titles)  # withdrawn: in no output
    assert b"SENTINELLE" not in raw and b"martin-paul" not in raw
    first = feed.entries[0]
    assert first.link.startswith("https://maillage.example.org/") and first.updated.startswith("2026-")
    page = (built / "nouveautes" / "index.html").read_text(encoding="utf-8")
    assert "Claire Lefèvre" in page and "Martin" not in page and 'href="atom.xml"' in page


def test_without_git_history_the_section_is_absent(small_registry: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert main(["build", "--registry", str(small_registry), "--site-dir", str(site), "--date", "2026-11-22",
                 "--config", str(REPO / "mkdocs.yml")]) == 0
    assert 'id="historique"' not in (site / "professionnels" / "lefevre-claire" / "index.html").read_text()
    assert "pas disponible" in (site / "nouveautes" / "index.html").read_text(encoding="utf-8")
    assert feedparser.parse((site / "nouveautes" / "atom.xml").read_bytes()).entries == []
