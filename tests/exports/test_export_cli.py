"""``maillage export`` from the command line: exit codes and output folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from export_support import SENTINEL_NOTES, centroid_resolver, internal_of, make_registry
from maillage.assemble import build as modelbuild
from maillage.cli.main import main


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_TODAY", "2026-11-22")
    monkeypatch.setattr(modelbuild, "default_resolver", lambda root, gazetteer, internal=None: centroid_resolver)


def test_export_writes_public_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = make_registry(tmp_path / "registry")
    assert main(["export", "--registry", str(registry), "--out", str(tmp_path / "donnees")]) == 0
    assert "fichiers écrits" in capsys.readouterr().out
    package = json.loads((tmp_path / "donnees" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "maillage-50"
    assert "interne_notes" not in (tmp_path / "donnees" / "professionnels.csv").read_text(encoding="utf-8")


def test_export_interne_audience(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = make_registry(tmp_path / "registry")
    out = tmp_path / "interne"
    internal = str(internal_of(registry))
    assert main(["export", "--registry", str(registry), "--out", str(out), "--audience", "interne",
                 "--internal", internal]) == 0
    text = (out / "professionnels.csv").read_text(encoding="utf-8")
    assert "interne_notes" in text and SENTINEL_NOTES in text
    # --internal alone means the internal audience.
    assert main(["export", "--registry", str(registry), "--out", str(tmp_path / "seul"), "--internal", internal]) == 0
    assert "audience : interne" in capsys.readouterr().out
    assert SENTINEL_NOTES in (tmp_path / "seul" / "professionnels.csv").read_text(encoding="utf-8")


def test_internal_audience_needs_the_internal_registry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = make_registry(tmp_path / "registry")
    out = tmp_path / "o"
    assert main(["export", "--registry", str(registry), "--out", str(out), "--audience", "interne"]) == 2
    assert "indiquez le registre interne avec --internal" in capsys.readouterr().err
    # The public audience never reads the internal registry.
    assert main(["export", "--registry", str(registry), "--out", str(out), "--audience", "public",
                 "--internal", str(internal_of(registry))]) == 2
    assert "ne lit jamais le registre interne" in capsys.readouterr().err
    # The public registry is not an internal registry.
    assert main(["export", "--registry", str(registry), "--out", str(out), "--internal", str(registry)]) == 2
    assert "registre public" in capsys.readouterr().err
    assert not out.exists()


def test_invalid_registry_exits_1_with_validator_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = make_registry(tmp_path / "registry", {"structures/sans-nom.yaml": "categorie: cmp\n"})
    out = tmp_path / "donnees"
    assert main(["export", "--registry", str(registry), "--out", str(out)]) == 1
    assert "sans-nom.yaml" in capsys.readouterr().out
    assert not out.exists()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as missing_out:
        main(["export", "--registry", str(tmp_path)])
    assert missing_out.value.code == 2
    registry = make_registry(tmp_path / "registry")
    assert main(["export", "--registry", str(registry), "--out", str(registry)]) == 2
    assert "n'est pas vide" in capsys.readouterr().err
    assert main(["export", "--registry", str(tmp_path / "absent"), "--out", str(tmp_path / "o")]) == 2
