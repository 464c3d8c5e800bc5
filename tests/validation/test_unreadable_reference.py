"""A record file that does not load is reported once: its references elsewhere are not « missing » too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CONVENTION, PROFESSIONNEL, STRUCTURE, make_registry
from maillage.cli.main import main


def test_one_mistake_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = PROFESSIONNEL.replace("prenom: Claire", "\tprenom: Claire")  # a tab: the file does not load
    convention = CONVENTION.replace("parties:\n",
                                    "parties:\n  - professionnel: lefevre-claire\n    role: prestataire\n")
    registry = make_registry(tmp_path / "registry", professionnels={"lefevre-claire": broken},
                             structures={"cmp-coutances": STRUCTURE},
                             conventions={"sante-protegee-cmp-coutances": convention})
    capsys.readouterr()
    assert main(["validate", "--registry", str(registry), "--format", "json", "--date", "2026-11-22"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["code"], Path(p["file"]).name) for p in problems] == [("yaml-tab", "lefevre-claire.yaml")]


def test_a_reference_to_a_record_that_does_not_exist_is_still_reported(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    convention = CONVENTION.replace("parties:\n", "parties:\n  - professionnel: personne\n    role: prestataire\n")
    registry = make_registry(tmp_path / "registry", structures={"cmp-coutances": STRUCTURE},
                             conventions={"sante-protegee-cmp-coutances": convention})
    capsys.readouterr()
    assert main(["validate", "--registry", str(registry), "--format", "json", "--date", "2026-11-22"]) == 1
    assert "ref-unknown" in {p["code"] for p in json.loads(capsys.readouterr().out)["problems"]}
