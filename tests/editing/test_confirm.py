"""Confirmations: « Rien n'a changé » issues and ``maillage confirm`` change only ``verifie_le``."""

from __future__ import annotations

import difflib
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO
from maillage.cli.main import main
from maillage.editing import issue_proposal as P

REGISTRY = REPO / "registry"
TODAY = date(2026, 11, 29)


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    copy = tmp_path / "registry"
    shutil.copytree(REGISTRY, copy)
    return copy


def _event(body: str, number: int = 12) -> dict[str, object]:
    return {"action": "opened", "issue": {"number": number, "body": body, "labels": [{"name": "confirmation"}]}}


def _body(identifier: str, comment: str = "_No response_") -> str:
    return (f"### Identifiant de la fiche\n\n{identifier}\n\n### Confirmation\n\n"
            "- [X] Les informations publiées sur cette fiche sont à jour.\n\n"
            f"### Un mot pour l'équipe (facultatif)\n\n{comment}\n")


def test_nothing_changed_issue_becomes_a_one_line_pull_request(registry: Path, tmp_path: Path) -> None:
    path = registry / "professionnels" / "besnard-agnes.yaml"
    before = path.read_text(encoding="utf-8")
    result = P.run(_event(_body("professionnel/besnard-agnes", "Toujours au même cabinet.")), registry,
                   tmp_path / "out", TODAY)
    assert result["action"] == "pull-request"
    assert result["titre"] == "Fiche besnard-agnes confirmée sans changement — ticket n° 12"
    assert _changed_lines(before, path.read_text(encoding="utf-8")) == [
        "-verifie_le: 2026-01-09", "+verifie_le: 2026-11-29"]
    body = (tmp_path / "out" / "demande.md").read_text(encoding="utf-8")
    assert "Toujours au même cabinet." in body and "Ferme #12" in body


@pytest.mark.parametrize("identifier", [
    "professionnel/inexistant", "n'importe quoi", "<script>alert(1)</script>", "$(rm -rf ~)", "${{ secrets.X }}",
    "convention/sante-protegee-cmp-coutances", "",
])
def test_an_unusable_confirmation_gets_an_answer_and_changes_nothing(registry: Path, tmp_path: Path,
                                                                     identifier: str) -> None:
    before = {p: p.read_bytes() for p in registry.rglob("*.yaml")}
    result = P.run(_event(_body(identifier)), registry, tmp_path / "out", TODAY)
    assert result["action"] == "reponse"
    assert {p: p.read_bytes() for p in registry.rglob("*.yaml")} == before
    answer = (tmp_path / "out" / "reponse.md").read_text(encoding="utf-8")
    assert "<script>" not in answer and "${{" not in answer


def test_confirm_command_changes_one_line_per_record(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [registry / "professionnels" / "besnard-agnes.yaml", registry / "structures" / "cmp-coutances.yaml"]
    before = [p.read_text(encoding="utf-8") for p in paths]
    assert main(["confirm", "besnard-agnes", "structure/cmp-coutances", "--registry", str(registry),
                 "--date", "2026-11-28"]) == 0
    assert "2\u00a0fiches vérifiées le 28 novembre 2026" in capsys.readouterr().out
    for path, text in zip(paths, before, strict=True):
        changed = _changed_lines(text, path.read_text(encoding="utf-8"))
        assert len(changed) == 2 and changed[1] == "+verifie_le: 2026-11-28"
    assert main(["validate", "--registry", str(registry)]) == 0


def test_confirm_refuses_unknown_records_and_changes_nothing(registry: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = registry / "professionnels" / "besnard-agnes.yaml"
    before = path.read_bytes()
    assert main(["confirm", "besnard-agnes", "personne-inconnue", "--registry", str(registry)]) == 2
    assert "aucune fiche de professionnel ou de structure « personne-inconnue »" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert main(["confirm", "besnard-agnes", "--registry", str(registry), "--date", "2999-01-01"]) == 2
    assert path.read_bytes() == before
