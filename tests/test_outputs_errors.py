"""Outputs refuse a damaged registry with a French message and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from maillage.cli.main import main


def test_merge_conflict_in_cache_stops_export(small_registry: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    (small_registry / "geocodage.csv").write_text(
        "adresse_normalisee,latitude,longitude,precision,score,fournisseur,libelle,code_insee,date\n"
        "<<<<<<< HEAD\n", encoding="utf-8")
    out = tmp_path / "donnees"
    assert main(["export", "--registry", str(small_registry), "--out", str(out)]) == 1
    printed = capsys.readouterr().out  # with the other problems of the registry
    assert "geocodage.csv:2:1: erreur [geocode-cache-invalid]" in printed and "conflit de fusion" in printed
    assert not out.exists()


def test_withdrawn_record_adds_no_geocoding_warning(small_registry: Path, small_internal: Path) -> None:
    from maillage import pipeline

    result = pipeline.run(small_registry, "interne", internal=small_internal)
    assert any(p.code == "geo-fallback" and "lefevre-claire" in p.file for p in result.problems)
    path = small_registry / "professionnels" / "lefevre-claire.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("statut: actif", "statut: retire"), encoding="utf-8")
    result = pipeline.run(small_registry, "interne", internal=small_internal)
    assert result.model is not None
    assert not any("lefevre-claire" in p.file for p in result.problems)
    assert all(p.id != "lefevre-claire" for p in result.model.professionnels)
