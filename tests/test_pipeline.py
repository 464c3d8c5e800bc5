"""``pipeline.run``: one load → validate → assemble → view, for every command and the site plugin."""

from __future__ import annotations

import ast
import logging
from datetime import date
from pathlib import Path

import pytest

from conftest import PROFESSIONNEL, REPO, STRUCTURE, TODAY
from maillage import pipeline
from maillage.cli.main import main
from maillage.load.registry import RegistryNotFound

DAY = date.fromisoformat(TODAY)


def _line_of(text: str, needle: str) -> tuple[int, int]:
    number, line = next((n, line) for n, line in enumerate(text.splitlines(), 1) if needle in line)
    return number, line.index(needle.split(": ", 1)[-1]) + 1


def test_places_not_geocoded_are_catalogued_problems_at_their_address(small_registry: Path) -> None:
    """The fixture has no geocoding cache: each place falls back to its commune centroid."""
    result = pipeline.run(small_registry, "public", DAY)
    assert result.model is not None and result.exit_code() == 0 and result.exit_code(strict=True) == 1
    fallbacks = [p for p in result.problems if p.code == "geo-fallback"]
    assert {Path(p.file).name for p in fallbacks} == {"lefevre-claire.yaml", "cmp-coutances.yaml"}
    pro = next(p for p in fallbacks if p.file.endswith("lefevre-claire.yaml"))
    assert (pro.line, pro.column) == _line_of(PROFESSIONNEL, "adresse: 12 rue des Halles")
    assert pro.path == "lieux.0.adresse" and pro.severity.value == "avertissement"
    assert pro.message == ("L'adresse « 12 rue des Halles, 50200 Coutances » n'est pas géocodée : le lieu est "
                           "placé au centre de la commune.")
    structure = next(p for p in fallbacks if p.file.endswith("cmp-coutances.yaml"))
    assert structure.line == _line_of(STRUCTURE, "adresse: 5 avenue du Bocage")[0]


def test_validation_alone_neither_reads_the_cache_nor_builds(small_registry: Path) -> None:
    (small_registry / "geocodage.csv").write_text("<<<<<<< HEAD\n", encoding="utf-8")
    result = pipeline.run(small_registry, "public", DAY, build_model=False)
    assert result.problems == [] and result.model is None and result.records_read == 3


def test_errors_give_no_model_and_a_damaged_cache_is_a_problem(small_registry: Path) -> None:
    (small_registry / "geocodage.csv").write_text(
        "adresse_normalisee,latitude,longitude,precision,score,fournisseur,libelle,code_insee,date\n"
        "<<<<<<< HEAD\n", encoding="utf-8")
    result = pipeline.run(small_registry, "public", DAY)
    assert result.model is None and [p.code for p in result.errors] == ["geocode-cache-invalid"]
    assert result.errors[0].location().endswith("geocodage.csv:2:1")

    path = small_registry / "professionnels" / "lefevre-claire.yaml"
    path.write_text(PROFESSIONNEL.replace('"10001234565"', '"10001234567"'), encoding="utf-8")
    result = pipeline.run(small_registry, "public", DAY)
    assert result.model is None and [p.code for p in result.errors] == ["rpps-key"]


def test_audience_and_internal_registry(small_registry: Path, small_internal: Path) -> None:
    public = pipeline.run(small_registry, "public", DAY).model
    interne = pipeline.run(small_registry, "interne", DAY, internal=small_internal).model
    assert public is not None and interne is not None
    assert public.audience == "public" and public.professionnels[0].interne is None
    assert interne.audience == "interne"
    assert interne.professionnels[0].interne.notes == "Préfère les courriels."  # from the internal registry
    # No audience: decided by the internal registry.
    assert pipeline.run(small_registry, None, DAY, internal=small_internal).model.audience == "interne"
    assert pipeline.run(small_registry, None, DAY).model.audience == "public"
    # The internal audience needs the internal registry; the public one never reads it.
    with pytest.raises(pipeline.AudienceError, match="--internal"):
        pipeline.run(small_registry, "interne", DAY)
    with pytest.raises(pipeline.AudienceError, match="ne lit jamais"):
        pipeline.run(small_registry, "public", DAY, internal=small_internal)
    with pytest.raises(RegistryNotFound, match="registre public"):
        pipeline.run(small_registry, "interne", DAY, internal=small_registry)


def test_build_prints_the_geocoding_fallback_with_code_and_line(small_registry: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["build", "--registry", "registry", "--site-dir", str(tmp_path / "site"),
                 "--config", str(REPO / "mkdocs.yml")])
    out = capsys.readouterr().out
    assert code == 0, out
    line, column = _line_of(PROFESSIONNEL, "adresse: 12 rue des Halles")
    assert (f"  registry/professionnels/lefevre-claire.yaml:{line}:{column}: avertissement [geo-fallback] "
            "L'adresse « 12 rue des Halles, 50200 Coutances » n'est pas géocodée") in out
    assert "0 erreur, 2 avertissements dans 2 fichiers (3 fiches lues)." in out
    assert (tmp_path / "site" / "index.html").is_file()


def test_plugin_logs_the_fallback_with_code_and_line(small_registry: Path, caplog: pytest.LogCaptureFixture,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``mkdocs build`` alone: the plugin loads through the pipeline and logs what ``maillage build`` prints."""
    from maillage.site.plugin import SiteSettings, _load

    monkeypatch.chdir(small_registry.parent)
    with caplog.at_level(logging.INFO):
        model = _load(SiteSettings(small_registry, "public", None, date.fromisoformat(TODAY)))
    assert model.audience == "public"
    line, column = _line_of(PROFESSIONNEL, "adresse: 12 rue des Halles")
    expected = f"registry/professionnels/lefevre-claire.yaml:{line}:{column}: avertissement [geo-fallback] "
    assert any(expected in r.getMessage() for r in caplog.records), [r.getMessage() for r in caplog.records]


def test_no_command_imports_another() -> None:
    commands = REPO / "scripts" / "maillage" / "cli"
    names = {p.stem for p in commands.glob("*.py")} - {"__init__", "__main__", "main", "options"}
    for path in commands.glob("*.py"):
        if path.stem in {"__init__", "__main__", "main"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("maillage.cli."):
                assert node.module.removeprefix("maillage.cli.") not in names, (path.name, node.module)
