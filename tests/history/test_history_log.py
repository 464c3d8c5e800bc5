"""Record history from Git: one pass over the log, public fields only, cached by commit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import PROFESSIONNEL, PROFESSIONNEL_INTERNE, STRUCTURE, make_registry
from maillage.history.log import CACHE_NAME, read_history

GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.org"}


def git(repo: Path, *args: str, when: str = "2026-01-01T10:00:00Z") -> str:
    env = {**GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=env)
    return done.stdout


def commit(repo: Path, message: str, when: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose registry went through additions, edits, a rename, a withdrawal and a migration."""
    root = tmp_path / "depot"
    # Its history starts before the two registries: an internal section, later migrated out.
    registry = make_registry(root / "registry",
                             professionnels={"lefevre-claire": PROFESSIONNEL + PROFESSIONNEL_INTERNE},
                             structures={"cmp-coutances": STRUCTURE})
    git(root, "init", "-q", "-b", "main")
    commit(root, "Premières fiches", "2026-01-05T10:00:00Z")
    pro = registry / "professionnels" / "lefevre-claire.yaml"
    pro.write_text(pro.read_text().replace("02 61 91 12 34", "02 61 91 12 99"), encoding="utf-8")
    commit(root, "Nouveau téléphone", "2026-02-10T10:00:00Z")
    # An internal note changes: never a public change.
    pro.write_text(pro.read_text().replace("Préfère les courriels.", "Note SENTINELLE-INTERNE."), encoding="utf-8")
    commit(root, "Note interne", "2026-03-01T10:00:00Z")
    # Migration: the internal section leaves the public repository.
    text = pro.read_text()
    pro.write_text(text[: text.index("interne:")], encoding="utf-8")
    commit(root, "Migration des données internes", "2026-04-01T10:00:00Z")
    git(root, "mv", "registry/structures/cmp-coutances.yaml", "registry/structures/cmp-ij-coutances.yaml")
    commit(root, "Renommage", "2026-05-01T10:00:00Z")
    struct = registry / "structures" / "cmp-ij-coutances.yaml"
    struct.write_text(struct.read_text().replace("Mo-Fr 09:00-17:00", "Mo-Fr 09:00-18:00"), encoding="utf-8")
    commit(root, "Horaires", "2026-06-01T10:00:00Z")
    (registry / "professionnels" / "martin-paul.yaml").write_text(
        PROFESSIONNEL.replace("Lefèvre", "Martin").replace("Claire", "Paul").replace("10001234565", "10001234573"),
        encoding="utf-8")
    commit(root, "Ajout", "2026-07-01T10:00:00Z")
    (registry / "professionnels" / "martin-paul.yaml").unlink()
    commit(root, "Suppression", "2026-08-01T10:00:00Z")
    return root


def test_each_record_gets_dated_french_summaries_of_public_changes(repo: Path) -> None:
    history = read_history(repo / "registry", use_cache=False)
    assert history is not None
    entries = history.of("professionnel", "lefevre-claire")
    assert [(e.day.isoformat(), e.summary()) for e in entries] == [
        ("2026-02-10", "Mise à jour : numéro de téléphone (lieu 1)"),
        ("2026-01-05", "Fiche ajoutée"),
    ]


def test_internal_sections_never_reach_the_history(repo: Path) -> None:
    history = read_history(repo / "registry", use_cache=False)
    assert history is not None
    everything = json.dumps([[e.summary(), e.fields] for es in history.records.values() for e in es],
                            ensure_ascii=False)
    assert "SENTINELLE" not in everything and "interne" not in everything.lower()
    # The internal note (March) and the migration (April) are not public changes.
    days = [e.day.month for e in history.of("professionnel", "lefevre-claire")]
    assert 3 not in days and 4 not in days


def test_a_renamed_record_keeps_its_history_and_a_deleted_one_has_none(repo: Path) -> None:
    history = read_history(repo / "registry", use_cache=False)
    assert history is not None
    renamed = history.of("structure", "cmp-ij-coutances")
    assert [e.summary() for e in renamed] == ["Mise à jour : horaires d'ouverture (lieu 1)", "Fiche ajoutée"]
    assert history.of("structure", "cmp-coutances") == []
    assert history.of("professionnel", "martin-paul") == []


def test_feed_lists_only_the_records_shown(repo: Path) -> None:
    history = read_history(repo / "registry", use_cache=False)
    assert history is not None
    latest = history.latest({"structure/cmp-ij-coutances", "professionnel/lefevre-claire"})
    assert [(k, i, e.day.isoformat()) for k, i, e in latest] == [
        ("structure", "cmp-ij-coutances", "2026-06-01"),
        ("professionnel", "lefevre-claire", "2026-02-10"),
        ("structure", "cmp-ij-coutances", "2026-01-05"),
        ("professionnel", "lefevre-claire", "2026-01-05"),
    ]
    assert history.latest({"structure/cmp-ij-coutances"}, limit=1)[0][2].day.isoformat() == "2026-06-01"


def test_cache_reads_only_new_commits_and_gives_the_same_history(repo: Path) -> None:
    registry = repo / "registry"
    first = read_history(registry)
    cache = repo / ".git" / CACHE_NAME
    assert first is not None and cache.is_file()
    assert json.loads(cache.read_text())["head"] == first.head
    pro = registry / "professionnels" / "lefevre-claire.yaml"
    pro.write_text(pro.read_text().replace("Bilans et rééducation", "Bilans, rééducation"), encoding="utf-8")
    commit(repo, "Description", "2026-09-01T10:00:00Z")
    incremental = read_history(registry)
    full = read_history(registry, use_cache=False)
    assert incremental is not None and full is not None
    assert incremental.records == full.records and incremental.feed == full.feed
    assert incremental.of("professionnel", "lefevre-claire")[0].summary() == "Mise à jour : présentation"


def test_a_damaged_cache_is_rebuilt(repo: Path) -> None:
    (repo / ".git" / CACHE_NAME).write_text("{pas du json", encoding="utf-8")
    history = read_history(repo / "registry")
    assert history is not None and history.of("professionnel", "lefevre-claire")


def test_no_history_without_git_or_in_a_shallow_clone(repo: Path, tmp_path: Path) -> None:
    exported = make_registry(tmp_path / "export" / "registry", professionnels={"lefevre-claire": PROFESSIONNEL})
    assert read_history(exported) is None
    shallow = tmp_path / "superficiel"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    assert read_history(shallow / "registry") is None


def test_a_field_with_labelled_values_is_named_by_its_new_value(repo: Path) -> None:
    """« accepte de nouveaux patients » as the summary of a change to « non » would read as the news:
    such a field is named by what it now says."""
    registry = repo / "registry"
    pro = registry / "professionnels" / "lefevre-claire.yaml"
    pro.write_text(pro.read_text().replace("accepte: oui", "accepte: non"), encoding="utf-8")
    commit(repo, "Plus de nouveaux patients", "2026-09-01T10:00:00Z")
    history = read_history(registry, use_cache=False)
    assert history is not None
    assert history.of("professionnel", "lefevre-claire")[0].summary() == \
        "Mise à jour : n'accepte pas de nouveaux patients pour le moment"
    pro.write_text(pro.read_text().replace("accepte: non", "accepte: liste-attente")
                   .replace("delai_semaines: 4", "delai_semaines: 12"), encoding="utf-8")
    commit(repo, "Liste d'attente", "2026-10-01T10:00:00Z")
    history = read_history(registry, use_cache=False)
    assert history is not None
    assert history.of("professionnel", "lefevre-claire")[0].summary() == \
        "Mise à jour : nouveaux patients sur liste d'attente et délai indicatif"
