"""Tests of the packaged commune gazetteer and its generator."""

from __future__ import annotations

import csv
import gzip
import io
import math
import time
from importlib import resources
from pathlib import Path

import pytest

from maillage.core.gazetteer import Commune, Gazetteer, departement_of, haversine_km, normalise_name
from maillage.dev import build_gazetteer

SOURCE = Path("/work/shared/data/communes-france-2024.csv")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_load_is_cached_and_fast() -> None:
    start = time.perf_counter()
    first = Gazetteer.load()
    assert time.perf_counter() - start < 1.0  # generous: < 0.3 s on a developer machine
    assert Gazetteer.load() is first


def test_saint_lo(gaz: Gazetteer) -> None:
    c = gaz.commune("50502")
    assert c is not None
    assert c.nom == "Saint-Lô"
    assert c.codes_postaux == ("50000",)
    assert c.departement == "50"
    assert c.type == "COM"
    assert c.parent is None
    assert c.population == 19373
    assert c.latitude == pytest.approx(49.11228)
    assert c.longitude == pytest.approx(-1.08123)


def test_cherbourg_has_several_postal_codes_and_a_delegated_commune(gaz: Gazetteer) -> None:
    c = gaz.commune("50129")
    assert c is not None and c.nom == "Cherbourg-en-Cotentin" and c.type == "COM"
    assert c.codes_postaux == ("50100", "50110", "50120", "50130", "50460", "50470")
    variants = gaz.variants("50129")
    assert [(v.type, v.nom) for v in variants] == [
        ("COM", "Cherbourg-en-Cotentin"),
        ("COMD", "Cherbourg-Octeville"),
    ]
    assert variants[1].parent == "50129"
    delegated = gaz.match("Cherbourg-Octeville", "50100")
    assert [(d.type, d.parent) for d in delegated] == [("COMD", "50129")]


def test_corsica(gaz: Gazetteer) -> None:
    c = gaz.commune("2A004")
    assert c is not None and c.nom == "Ajaccio" and c.departement == "2A"
    assert "20000" in c.codes_postaux
    assert gaz.commune("2a004") == c


def test_article_names(gaz: Gazetteer) -> None:
    hague = gaz.commune("50041")
    assert hague is not None
    assert (hague.nom, hague.nom_article) == ("Hague", "La Hague")
    assert gaz.match("La Hague", "50440") == [hague]
    assert gaz.match("hague", "50440") == [hague]
    assert "50236" in {c.code_insee for c in gaz.by_name("La Haye")}


def test_match_variants_of_spelling(gaz: Gazetteer) -> None:
    for spelling in ("Saint-Lô", "saint lo", "ST LO", "St-Lo", "SAINT-LÔ"):
        assert [c.code_insee for c in gaz.match(spelling, "50000")] == ["50502"]
    assert gaz.match("Saint-Lô", "50100") == []
    assert gaz.match("Coutances", "50000") == []


def test_by_postal_code(gaz: Gazetteer) -> None:
    codes = {c.code_insee for c in gaz.by_postal_code("50000")}
    assert "50502" in codes
    assert gaz.by_postal_code("00000") == []
    assert gaz.is_postal_code("50000") and not gaz.is_postal_code("00000")


def test_paris_lyon_marseille(gaz: Gazetteer) -> None:
    paris = gaz.commune("75056")
    assert paris is not None and paris.nom == "Paris" and paris.type == "COM"
    assert paris.population == 2133111
    assert "75015" in paris.codes_postaux and "75116" in paris.codes_postaux
    assert 48.8 < paris.latitude < 48.9 and 2.25 < paris.longitude < 2.45
    assert [c.code_insee for c in gaz.match("Paris", "75015")] == ["75056"]
    arm = gaz.commune("75116")
    assert arm is not None and arm.type == "ARM" and arm.parent == "75056"
    assert arm.codes_postaux == ("75016", "75116")
    for code, name in (("69123", "Lyon"), ("13055", "Marseille")):
        city = gaz.commune(code)
        assert city is not None and city.nom == name


def test_in_departement(gaz: Gazetteer) -> None:
    manche = gaz.in_departement("50")
    assert [c.code_insee for c in manche] == sorted(c.code_insee for c in manche)
    assert {c.type for c in manche} == {"COM"}
    assert len(manche) == 445
    paris = gaz.in_departement("75")
    assert len(paris) == 20 and {c.type for c in paris} == {"ARM"}
    assert [c.code_insee for c in gaz.in_departement("75", arrondissements=False)] == ["75056"]
    assert len(gaz.in_departement("2A")) > 100
    assert gaz.in_departement("974")[0].code_insee == "97401"


def test_suggest(gaz: Gazetteer) -> None:
    assert [c.code_insee for c in gaz.suggest("Sint-Lo", "50000")] == ["50502"]
    assert gaz.suggest("Sint-Lo")[0].code_insee == "50502"
    assert len(gaz.suggest("Saint", limit=2)) <= 2
    assert gaz.suggest("Zzzzzzz", "50000") == []


def test_missing_values_are_nan(gaz: Gazetteer) -> None:
    oie = gaz.commune("85165")
    assert oie is not None and not oie.has_position and math.isnan(oie.latitude)
    mamoudzou = gaz.commune("97611")
    assert mamoudzou is not None and math.isnan(mamoudzou.superficie_km2)
    assert mamoudzou.departement == "976" and mamoudzou.has_position


def test_near(gaz: Gazetteer) -> None:
    saint_lo = gaz.commune("50502")
    assert saint_lo is not None
    around = gaz.near(saint_lo.latitude, saint_lo.longitude, 5)
    assert around[0][1].code_insee == "50502" and around[0][0] == pytest.approx(0)
    assert all(d <= 5 for d, _ in around)


def test_normalise_name() -> None:
    assert normalise_name("Saint-Lô") == normalise_name("saint lo") == normalise_name("ST LO")
    assert normalise_name("Saint-Lô") == "saint lo"
    assert normalise_name("Ste-Mère-Église") == "sainte mere eglise"
    assert normalise_name("L'Abergement-Clémenciat") == "abergement clemenciat"
    assert normalise_name("Les Pieux") == normalise_name("Pieux") == "pieux"
    assert normalise_name("Œuilly") == "oeuilly"
    assert normalise_name("Villedieu-les-Poêles-Rouffigny") == "villedieu les poeles rouffigny"
    assert normalise_name("Le") == "le"


def test_haversine() -> None:
    # Paris -> London: 343.5 km on the sphere; Saint-Lô -> Cherbourg-en-Cotentin: 70 km.
    assert haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.56, abs=0.05)
    assert haversine_km(49.11228, -1.08123, 49.62764, -1.63563) == pytest.approx(70.0, abs=0.1)
    assert haversine_km(48.0, 2.0, 48.0, 2.0) == 0
    assert math.isnan(haversine_km(math.nan, 0, 0, 0))


@pytest.mark.parametrize(
    ("code", "dep"),
    [("50123", "50"), ("2A004", "2A"), ("2B033", "2B"), ("97411", "974"), ("01001", "01")],
)
def test_departement_of(code: str, dep: str) -> None:
    assert departement_of(code) == dep


@pytest.mark.parametrize("code", ["5012", "2C004", "ABCDE", ""])
def test_departement_of_rejects_bad_codes(code: str) -> None:
    with pytest.raises(ValueError):
        departement_of(code)


def test_commune_is_frozen() -> None:
    c = Commune("50502", "Saint-Lô", "Saint-Lô", "50", ("50000",), 49.1, -1.1, 1, 2.0, None, "COM")
    with pytest.raises(AttributeError):
        c.nom = "x"  # type: ignore[misc]


# --- generator -----------------------------------------------------------------

_SAMPLE_HEADER = (
    "insee_com,insee_reg,insee_dep,commune,commune_article,code_postal,commune_type,"
    "insee_parente,lat,lng,superficie_km2,population_2021,population_2015"
)
_SAMPLE = "\n".join(
    [
        _SAMPLE_HEADER,
        "50129,28,50,Cherbourg-en-Cotentin,Cherbourg-en-Cotentin,50110,COM,,49.6,-1.6,68.54,77808,1",
        "50129,28,50,Cherbourg-en-Cotentin,Cherbourg-en-Cotentin,50100,COM,,49.6,-1.6,68.54,77808,1",
        "50129,,,Cherbourg-Octeville,Cherbourg-Octeville,50100,COMD,50129,49.6,-1.6,68.54,77808,1",
        "75101,11,75,Paris 1er Arrondissement,Paris 1er Arrondissement,"
        "75001,ARM,75056,48.86,2.33,1,10,1",
        "75102,11,75,Paris 2e Arrondissement,Paris 2e Arrondissement,"
        "75002,ARM,75056,48.87,2.35,3,30,1",
        "85165,52,85,Oie,L'Oie,85140,COM,,,,14.06,1259,1",
    ]
)


def test_generator_rows() -> None:
    rows = build_gazetteer.build_rows(csv.DictReader(io.StringIO(_SAMPLE)))
    by_key = {(r[0], r[-1]): dict(zip(build_gazetteer.COLUMNS, r, strict=True)) for r in rows}
    assert [(r[0], r[-1]) for r in rows] == [
        ("50129", "COM"),
        ("50129", "COMD"),
        ("75056", "COM"),
        ("75101", "ARM"),
        ("75102", "ARM"),
        ("85165", "COM"),
    ]
    assert by_key["50129", "COM"]["codes_postaux"] == "50100 50110"
    assert by_key["50129", "COMD"]["departement"] == "50"
    assert by_key["50129", "COMD"]["parent"] == "50129"
    assert by_key["50129", "COM"]["parent"] == ""
    paris = by_key["75056", "COM"]
    assert paris["nom"] == "Paris" and paris["population"] == "40"
    assert paris["codes_postaux"] == "75001 75002"
    assert paris["latitude"] == "48.86750"  # area-weighted: (48.86 * 1 + 48.87 * 3) / 4
    assert by_key["85165", "COM"]["latitude"] == ""
    assert by_key["85165", "COM"]["nom_article"] == "L'Oie"


def test_generator_is_deterministic(tmp_path: Path) -> None:
    src = tmp_path / "src.csv"
    src.write_text(_SAMPLE + "\n", encoding="utf-8")
    a, b = tmp_path / "a.csv.gz", tmp_path / "b.csv.gz"
    assert build_gazetteer.main([str(src), str(a)]) == 0
    build_gazetteer.build(src, b)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes()[4:8] == b"\0\0\0\0"  # gzip mtime
    text = gzip.decompress(a.read_bytes()).decode("utf-8")
    assert text.splitlines()[0] == ",".join(build_gazetteer.COLUMNS)
    loaded = Gazetteer.from_file(a)
    assert loaded.commune("75056") is not None and len(loaded) == 6


def test_packaged_file_matches_columns() -> None:
    data = resources.files("maillage").joinpath("data", "communes.csv.gz").read_bytes()
    assert data[4:8] == b"\0\0\0\0"
    header = gzip.decompress(data).split(b"\n", 1)[0].decode()
    assert tuple(header.split(",")) == build_gazetteer.COLUMNS


@pytest.mark.skipif(not SOURCE.exists(), reason="reference table not available")
def test_packaged_file_is_up_to_date() -> None:
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        rows = build_gazetteer.build_rows(csv.DictReader(handle))
    data = resources.files("maillage").joinpath("data", "communes.csv.gz").read_bytes()
    assert build_gazetteer.render(rows) == data
