"""Former communes declared in ``registre.yaml`` (``departement.anciennes_communes``): each names a
commune of the département today; a wrong code is an error at its line, like a record's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import make_registry
from maillage.cli.main import main


def validate(registry: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    main(["validate", "--registry", str(registry), "--format", "json", "--date", "2026-11-22"])
    return json.loads(capsys.readouterr().out)["problems"]


def with_former(tmp_path: Path, entry: str) -> Path:
    registry = make_registry(tmp_path / "registry")
    meta = registry / "registre.yaml"
    text = meta.read_text(encoding="utf-8")
    start = text.index("  anciennes_communes:\n")
    end = text.index("editeur:")
    meta.write_text(text[:start] + "  anciennes_communes:\n" + entry + text[end:], encoding="utf-8")
    return registry


def test_the_sample_declares_cherbourg_former_communes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate(make_registry(tmp_path / "registry"), capsys) == []


@pytest.mark.parametrize(("entry", "code", "where"), [
    # Tourgéville (Calvados): not a commune of the Manche.
    ('    - nom: Tourlaville\n      code_insee: "14701"\n', "geo-former-commune-outside",
     "departement.anciennes_communes.0.code_insee"),
    ('    - nom: Tourlaville\n      code_insee: "50999"\n', "geo-insee-unknown",
     "departement.anciennes_communes.0.code_insee"),
    ('    - nom: Tourlaville\n      code_insee: "50129"\n      code_postal: "50200"\n', "geo-postal-mismatch",
     "departement.anciennes_communes.0.code_postal"),
])
def test_a_wrong_former_commune_is_an_error_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        entry: str, code: str, where: str) -> None:
    problems = validate(with_former(tmp_path, entry), capsys)
    assert [(p["code"], p["path"]) for p in problems] == [(code, where)]
    assert problems[0]["file"].endswith("registre.yaml") and problems[0]["line"] > 4
    if code == "geo-former-commune-outside":
        assert problems[0]["message"] == ("« Tourlaville » est rattaché au code INSEE 14701, qui n'est pas une "
                                          "commune du département 50.")
