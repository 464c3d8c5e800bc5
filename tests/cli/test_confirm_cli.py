"""``maillage confirm``: what the confirmation rests on (--source), record page addresses, misspelled ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO
from maillage.cli.main import main
from maillage.core.schemas import load_schemas
from maillage.load.safe_yaml import load_file


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    copy = tmp_path / "registry"
    shutil.copytree(REPO / "registry", copy)
    return copy


def _record(path: Path) -> dict:
    return load_file(path, str(path), load_schemas().text_keys).data


def confirm(registry: Path, *args: str) -> int:
    return main(["confirm", *args, "--registry", str(registry), "--date", "2026-11-28"])


def test_source_option_replaces_the_source(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = registry / "professionnels" / "besnard-agnes.yaml"
    assert confirm(registry, "besnard-agnes", "--source", "Appel téléphonique du secrétariat") == 0
    record = _record(path)
    assert (record["verifie_le"], record["source"]) == ("2026-11-28", "Appel téléphonique du secrétariat")
    out = capsys.readouterr().out
    assert "1\u00a0fiche vérifiée le 28 novembre 2026" in out and "source mise à jour sur 1\u00a0fiche" in out
    assert main(["validate", "--registry", str(registry)]) == 0


def test_without_source_a_national_register_becomes_the_partner_confirmation(registry: Path) -> None:
    rpps = registry / "professionnels" / "barre-odile.yaml"
    finess = registry / "structures" / "ch-baie-avranches.yaml"
    own = registry / "professionnels" / "besnard-agnes.yaml"
    assert _record(rpps)["source"] == "Annuaire santé (RPPS)"
    assert "FINESS" in _record(finess)["source"]
    assert confirm(registry, "barre-odile", "ch-baie-avranches", "besnard-agnes") == 0
    assert _record(rpps)["source"] == "Confirmation du partenaire"
    assert _record(finess)["source"] == "Confirmation du partenaire"
    assert _record(own)["source"] == "Déclaration du professionnel"  # the partner's own word stays


@pytest.mark.parametrize("given", [
    "https://maillage.example.org/professionnels/besnard-agnes/",
    "https://maillage.example.org/professionnels/besnard-agnes",
    "https://maillage.example.org/professionnels/besnard-agnes/#lieux",
])
def test_a_record_page_address_names_the_record(registry: Path, given: str) -> None:
    assert confirm(registry, given) == 0
    assert _record(registry / "professionnels" / "besnard-agnes.yaml")["verifie_le"] == "2026-11-28"


def test_a_misspelled_id_gets_the_nearest_one_and_nothing_changes(registry: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in registry.rglob("*.yaml")}
    assert confirm(registry, "besnard-agnes", "besnard-agns") == 2
    assert "Vouliez-vous dire « besnard-agnes » ?" in capsys.readouterr().err
    assert confirm(registry, "https://maillage.example.org/conventions/sp-psychomotriciens-avranchin/") == 2
    assert "seules les fiches de professionnels et de structures se confirment" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in registry.rglob("*.yaml")} == before


def test_future_date_is_refused_in_french(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["confirm", "besnard-agnes", "--registry", str(registry), "--date", "2999-01-01"]) == 2
    assert "la date du 1er janvier 2999 est dans le futur" in capsys.readouterr().err
