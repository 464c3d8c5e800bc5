"""Each export file is valid for the standard tools that reusers will use."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from frictionless import validate as frictionless_validate
from icalendar import Calendar

from export_support import full_model, make_registry
from maillage.core.model import Model
from maillage.exports import export_all

REPO = Path(__file__).resolve().parents[2]
DI_SCHEMAS = REPO / "schemas" / "data-inclusion" / "v1"


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    return full_model(make_registry(tmp_path_factory.mktemp("registre") / "registry"))


@pytest.fixture(scope="module", params=["public", "interne"])
def exported(request: pytest.FixtureRequest, model: Model, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"export-{request.param}") / "donnees"
    export_all(model.view(request.param), out)
    return out


def test_data_package_passes_frictionless_validation(exported: Path) -> None:
    report = frictionless_validate(str(exported / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_data_package_declares_keys_types_and_licence(exported: Path) -> None:
    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["title"] == "Licence Ouverte 2.0"
    resources = {r["name"]: r for r in package["resources"]}
    assert {"professionnels", "structures", "conventions", "lieux", "convention_parties",
            "financements"} <= set(resources)
    lieux = resources["lieux"]["schema"]
    assert lieux["primaryKey"] == ["id"]
    assert {"fields": "professionnel_id", "reference": {"resource": "professionnels", "fields": "id"}} \
        in lieux["foreignKeys"]
    fields = {f["name"]: f for f in resources["professionnels"]["schema"]["fields"]}
    assert fields["nom"]["title"] == "Nom" and fields["nom"]["constraints"]["required"] is True
    assert fields["verifie_le"]["type"] == "date"
    assert fields["ages_min"]["type"] == "integer"
    assert fields["statut"]["constraints"]["enum"] == ["actif", "inactif", "cesse", "retire"]


def test_broken_foreign_key_is_caught_by_frictionless(model: Model, tmp_path: Path) -> None:
    """The validation above is meaningful: a dangling reference makes it fail."""
    out = tmp_path / "donnees"
    export_all(model.view("public"), out)
    lieux = out / "lieux.csv"
    lieux.write_bytes(lieux.read_bytes().replace(b"lefevre-claire-1,lefevre-claire,", b"lefevre-claire-1,inconnu,"))
    report = frictionless_validate(str(out / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error[0] for error in report.flatten(["type"])}


def test_csv_is_utf8_comma_separated_with_documented_header(exported: Path) -> None:
    text = (exported / "professionnels.csv").read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    claire = next(r for r in rows if r["id"] == "lefevre-claire")
    assert claire["nom"] == "Lefèvre"
    assert claire["specialites"] == "langage-oral;troubles-des-apprentissages"
    assert claire["description"].startswith("Bilans et rééducation")
    assert claire["conventionnement_tiers_payant"] == "true"


@pytest.mark.parametrize(("kind", "filename"), [("structure", "structures"), ("service", "services")])
def test_data_inclusion_files_validate_against_official_schemas(exported: Path, kind: str, filename: str) -> None:
    schema = json.loads((DI_SCHEMAS / f"{kind}.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    items = json.loads((exported / "data-inclusion" / f"{filename}.json").read_text(encoding="utf-8"))
    assert items
    for item in items:
        errors = [e.message for e in validator.iter_errors(item)]
        assert not errors, (item["id"], errors)


def test_data_inclusion_mapping(exported: Path) -> None:
    services = {s["id"]: s for s in json.loads((exported / "data-inclusion" / "services.json").read_text())}
    cmp = services["cmp-coutances-1"]
    assert cmp["thematiques"] == ["sante--sante-mentale"]
    assert cmp["frais"] == "gratuit"
    assert cmp["mobilisable_par"] == ["professionnels"]
    assert "50147" in cmp["zone_eligibilite"]
    assert cmp["telephone"] == "+33261912000"
    assert services["pmi-saint-lo-1"]["zone_eligibilite"] == ["50"]
    assert services["lefevre-claire-1"]["modes_accueil"] == ["a-distance", "en-presentiel"]


def test_geojson_points_are_longitude_latitude(exported: Path) -> None:
    data = json.loads((exported / "registre.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert data["features"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]
        # The Manche lies around 49° N, 1.3° W: a swapped pair would fail here.
        assert -2.0 < longitude < -0.7 and 48.4 < latitude < 49.8
        assert all(len(repr(c).split(".")[-1]) <= 6 for c in (longitude, latitude))
        props = feature["properties"]
        assert {"id", "type", "nom", "commune", "code_insee", "statut", "precision"} <= set(props)
        assert ("profession" in props) == (props["type"] == "professionnel")
        assert ("categorie" in props) == (props["type"] == "structure")
    claire = next(f for f in data["features"] if f["id"] == "lefevre-claire-1")
    assert claire["properties"]["nom"] == "Claire Lefèvre"
    assert claire["properties"]["code_insee"] == "50147"


def test_registre_json_has_derived_fields(exported: Path) -> None:
    data = json.loads((exported / "registre.json").read_text(encoding="utf-8"))
    assert data["registre"]["licence"]["id"] == "etalab-2.0"
    claire = next(p for p in data["professionnels"] if p["id"] == "lefevre-claire")
    place = claire["lieux"][0]
    assert place["id"] == "lefevre-claire-1"
    assert place["territoire"] == "coutancais" and place["code_insee"] == "50147"
    assert set(place["position"]) >= {"latitude", "longitude", "precision"}
    assert claire["profession_libelle"] == "Orthophoniste"
    convention = next(c for c in data["conventions"] if c["id"] == "sante-protegee-lefevre")
    assert convention["date_preavis"] == "2026-10-31"


def test_icalendar_feed_has_end_and_notice_events(exported: Path) -> None:
    calendar = Calendar.from_ical((exported / "conventions.ics").read_bytes())
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    fin = events["sante-protegee-lefevre-fin@conventions.maillage-50"]
    assert fin.decoded("DTSTART").isoformat() == "2027-01-31"
    assert str(fin["DTSTAMP"].to_ical().decode()) == "20260101T000000Z"  # the signature date, not the clock
    notice = events["sante-protegee-lefevre-preavis@conventions.maillage-50"]
    assert notice.decoded("DTSTART").isoformat() == "2026-10-31"
    assert "Préavis" in str(notice["SUMMARY"])


def test_spreadsheet_uses_french_excel_dialect(exported: Path) -> None:
    raw = (exported / "tableur" / "lieux.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = rows[0]
    assert "Latitude" in header and "Code postal" in header
    row = next(r for r in rows if r[0] == "lefevre-claire-1")
    assert row[header.index("Latitude")] == "49,055200"
    assert row[header.index("Accessible en fauteuil roulant")] == "oui"
