"""The data page's generated parts: field documentation from the schemas, list of files."""

from __future__ import annotations

from pathlib import Path

import pytest

from export_support import full_model, make_registry
from maillage.core.kinds import KIND_NAMES as KINDS
from maillage.core.model import Model
from maillage.core.schemas import load_schemas
from maillage.exports import render_all
from maillage.site.markers import MARKERS

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    return full_model(make_registry(tmp_path_factory.mktemp("registre") / "registry"))


def test_markers_are_registered() -> None:
    assert {"champs", "fichiers"} <= set(MARKERS)


def test_field_documentation_covers_every_schema_field(model: Model) -> None:
    text = MARKERS["champs"](model.view("public"))
    schemas = load_schemas()
    for kind in KINDS:
        assert schemas.raw[kind]["title"] in text
        for path, node, _base in schemas.walk(kind):
            if path[0] == "interne" and len(path) > 1:
                continue
            assert f"`{'.'.join(path).replace('.*', '[]')}`" in text, path
            assert str(node.get("title", path[-1])) in text
    assert "`secteur-1`, `secteur-2`" in text  # enums listed
    assert "&lt;identifiant&gt;" in text  # record text cannot inject HTML


def test_public_field_documentation_hides_internal_columns(model: Model) -> None:
    assert "interne_notes" not in MARKERS["champs"](model.view("public"))
    assert "interne_notes" in MARKERS["champs"](model.view("interne"))


def test_file_list_names_every_exported_file_and_the_licence(model: Model) -> None:
    view = model.view("public")
    text = MARKERS["fichiers"](view)
    for name in render_all(view):
        assert f"`{name}`" in text, name
    assert "Licence Ouverte 2.0" in text


def test_data_page_uses_both_markers() -> None:
    page = (REPO / "docs" / "donnees.md").read_text(encoding="utf-8")
    assert "<!-- maillage:champs -->" in page
    assert "<!-- maillage:fichiers -->" in page
