"""Nothing internal reaches a public file; a withdrawn record reaches no file at all."""

from __future__ import annotations

import pytest

from export_support import NOT_PUBLIC, SENTINELS, WITHDRAWN, full_model, make_registry
from maillage.exports import export_all


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    base = tmp_path_factory.mktemp("audiences")
    model = full_model(make_registry(base / "registry"))
    out: dict[str, dict[str, str]] = {}
    for audience in ("public", "interne"):
        paths = export_all(model.view(audience), base / audience)
        out[audience] = {p.relative_to(base / audience).as_posix(): p.read_bytes().decode("utf-8") for p in paths}
    return out


def _unfolded(text: str) -> str:
    """iCalendar folds long lines and escapes commas: undo both before searching."""
    return text.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")


def test_every_file_is_produced_for_both_audiences(exports: dict[str, dict[str, str]]) -> None:
    expected = {"professionnels.csv", "structures.csv", "conventions.csv", "lieux.csv", "convention_parties.csv",
                "financements.csv", "datapackage.json", "registre.json", "registre.geojson",
                "data-inclusion/structures.json", "data-inclusion/services.json", "conventions.ics",
                "tableur/professionnels.csv"}
    assert expected <= set(exports["public"])
    assert set(exports["public"]) == set(exports["interne"])


@pytest.mark.parametrize("sentinel", SENTINELS)
def test_internal_sentinel_absent_from_every_public_file(exports: dict[str, dict[str, str]], sentinel: str) -> None:
    leaks = [name for name, text in exports["public"].items() if sentinel in _unfolded(text)]
    assert not leaks, f"« {sentinel} » apparaît dans {leaks}"


@pytest.mark.parametrize("sentinel", ["02 61 91 99 88", "sentinelle-interne@example.org",
                                      "Contact Sentinelle Interne", "NOTES-SENTINELLE-INTERNE"])
def test_internal_sentinel_present_in_internal_export(exports: dict[str, dict[str, str]], sentinel: str) -> None:
    assert sentinel in exports["interne"]["professionnels.csv"]
    assert sentinel in exports["interne"]["structures.csv"]
    assert sentinel in exports["interne"]["conventions.csv"]
    assert sentinel in exports["interne"]["registre.json"]


def test_internal_columns_only_in_internal_export(exports: dict[str, dict[str, str]]) -> None:
    assert "interne_notes" not in exports["public"]["professionnels.csv"]
    assert "interne_notes" not in exports["public"]["datapackage.json"]
    assert "interne_notes" in exports["interne"]["professionnels.csv"].splitlines()[0]


@pytest.mark.parametrize("marker", NOT_PUBLIC)
def test_not_public_records_only_in_internal_export(exports: dict[str, dict[str, str]], marker: str) -> None:
    assert not [name for name, text in exports["public"].items() if marker in _unfolded(text)]
    assert [name for name, text in exports["interne"].items() if marker in _unfolded(text)]


def test_private_convention_document_only_in_internal_export(exports: dict[str, dict[str, str]]) -> None:
    assert "annexe.pdf" not in exports["public"]["convention_documents.csv"]
    assert "annexe.pdf" not in exports["public"]["registre.json"]
    assert "annexe.pdf" in exports["interne"]["convention_documents.csv"]


@pytest.mark.parametrize("audience", ["public", "interne"])
@pytest.mark.parametrize("marker", WITHDRAWN)
def test_withdrawn_record_appears_nowhere(exports: dict[str, dict[str, str]], audience: str, marker: str) -> None:
    leaks = [name for name, text in exports[audience].items() if marker in _unfolded(text)]
    assert not leaks
