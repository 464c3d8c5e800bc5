"""``maillage diff`` on a scripted git history: add, edit, rename, delete."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import PROFESSIONNEL, STRUCTURE, make_registry
from maillage.cli.main import main


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def history(tmp_path: Path) -> Path:
    repo = tmp_path / "depot"
    make_registry(repo / "registry", professionnels={"lefevre-claire": PROFESSIONNEL},
                  structures={"cmp-coutances": STRUCTURE, "cmp-ancien": STRUCTURE.replace("Coutances", "Agon")})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    git(repo, "tag", "v1")
    reg = repo / "registry"
    # edit: the professional's phone and new-patient status
    text = PROFESSIONNEL.replace("02 61 91 12 34", "02 61 91 99 99").replace("accepte: oui", "accepte: non")
    (reg / "professionnels" / "lefevre-claire.yaml").write_text(text, encoding="utf-8")
    # add a professional
    (reg / "professionnels" / "martin-paul.yaml").write_text(
        PROFESSIONNEL.replace("Lefèvre", "Martin").replace("Claire", "Paul"), encoding="utf-8")
    # rename a structure (same content, new id)
    git(repo, "mv", "registry/structures/cmp-coutances.yaml", "registry/structures/cmp-ij-coutances.yaml")
    # delete a structure
    git(repo, "rm", "-q", "registry/structures/cmp-ancien.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v2")
    return repo


def test_json_lists_every_kind_of_change(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "v1", "HEAD", "--repo", str(history), "--format", "json"]) == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    summary = {(c["change"], c["id"]) for c in changes}
    assert summary == {("ajout", "martin-paul"), ("modification", "lefevre-claire"),
                       ("renommage", "cmp-ij-coutances"), ("suppression", "cmp-ancien")}
    edit = next(c for c in changes if c["change"] == "modification")
    fields = {f["field"]: (f["before"], f["after"]) for f in edit["fields"]}
    assert fields == {"lieux[1].telephone": ("02 61 91 12 34", "02 61 91 99 99"),
                      "nouveaux_patients.accepte": ("oui", "non")}
    rename = next(c for c in changes if c["change"] == "renommage")
    assert rename["previous_id"] == "cmp-coutances" and rename["fields"] == []


def test_markdown_summary_for_a_pull_request(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "v1", "--repo", str(history)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Fiches modifiées (1 ajoutée, 1 modifiée, 1 renommée, 1 supprimée)")
    assert "| `nouveaux_patients.accepte` | `oui` | `non` |" in out
    assert "### Renommée : structure `cmp-ij-coutances` (anciennement `cmp-coutances`)" in out


def test_no_change_and_bad_revision(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "HEAD", "HEAD", "--repo", str(history)]) == 0
    assert "Aucune fiche modifiée" in capsys.readouterr().out
    assert main(["diff", "nexistepas", "--repo", str(history)]) == 2
    assert "maillage diff" in capsys.readouterr().err
