"""Offline resolution used by the model: manual → cache → commune centroid, and never the network."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from maillage.core.gazetteer import Commune, Gazetteer
from maillage.dev.fake_geocoder import lieu_yaml, write_registry
from maillage.geocoding.cache import CacheRow, GeoCache, normalise_address
from maillage.geocoding.resolve import UnresolvableLocation, resolve_location
from maillage.load.registry import load_registry

REPO = Path(__file__).resolve().parents[2]
LIEU = {"adresse": "12 rue des Halles", "code_postal": "50200", "commune": "Coutances", "code_insee": "50147"}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def cache_with(lieu: dict[str, Any], precision: str = "numero", provider: str = "ban") -> GeoCache:
    key = normalise_address(lieu["adresse"], lieu["code_postal"], lieu["commune"])
    return GeoCache([CacheRow(key, 49.0498, -1.4421, precision, 0.91, provider, "12 Rue des Halles", "50147",
                              "2026-01-01")])


def test_manual_coordinates_win_over_the_cache(gazetteer: Gazetteer) -> None:
    lieu = {**LIEU, "coordonnees": {"latitude": 49.05, "longitude": -1.45}}
    point = resolve_location(lieu, cache_with(LIEU), gazetteer)
    assert (point.latitude, point.longitude, point.precision, point.provider) == (49.05, -1.45, "manuel", "manuel")
    assert point.warning is None


def test_cache_gives_precision_provider_and_licence(gazetteer: Gazetteer) -> None:
    point = resolve_location({**LIEU, "adresse": "12, Rue des HALLES"}, cache_with(LIEU), gazetteer)
    assert (point.latitude, point.longitude, point.precision, point.provider) == (49.0498, -1.4421, "numero", "ban")
    assert point.licence == "Licence Ouverte 2.0"
    assert "Base Adresse Nationale" in point.attribution
    assert point.warning is None


def test_nominatim_coordinates_carry_the_odbl_attribution(gazetteer: Gazetteer) -> None:
    point = resolve_location(LIEU, cache_with(LIEU, provider="nominatim"), gazetteer)
    assert point.licence == "ODbL 1.0"
    assert "OpenStreetMap" in point.attribution


def test_cached_commune_level_row_is_honest_and_silent(gazetteer: Gazetteer) -> None:
    point = resolve_location(LIEU, cache_with(LIEU, precision="commune", provider="gazetteer"), gazetteer)
    assert (point.precision, point.provider, point.warning) == ("commune", "gazetteer", None)


def test_uncached_address_falls_back_to_the_commune_centroid_with_a_warning(gazetteer: Gazetteer) -> None:
    point = resolve_location(LIEU, GeoCache(), gazetteer)
    coutances = gazetteer.commune("50147")
    assert coutances is not None
    assert (point.latitude, point.longitude) == (coutances.latitude, coutances.longitude)
    assert (point.precision, point.provider, point.warning_code) == ("commune", "gazetteer", "geo-fallback")
    assert point.warning is not None and "12 rue des Halles, 50200 Coutances" in point.warning.message


def test_commune_without_centroid_uses_its_postal_code_neighbours(gazetteer: Gazetteer) -> None:
    lieu = {"adresse": "1 rue X", "code_postal": "85140", "commune": "L'Oie", "code_insee": "85165"}
    point = resolve_location(lieu, GeoCache(), gazetteer)
    assert point.warning_code == "geocode-no-centroid"
    assert 46 < point.latitude < 47.5 and -2 < point.longitude < 0


def test_unknown_commune_cannot_be_placed() -> None:
    empty = Gazetteer([Commune("50147", "Coutances", "Coutances", "50", ("50200",), float("nan"),
                               float("nan"), 0, float("nan"), None, "COM")])
    with pytest.raises(UnresolvableLocation):
        resolve_location(LIEU, GeoCache(), empty)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise AssertionError(f"network access attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))  # type: ignore[arg-type]
    return attempts


def test_resolving_the_whole_sample_registry_makes_no_network_call(no_network: list[object]) -> None:
    root = REPO / "registry"
    loaded = load_registry(root)
    cache = GeoCache.load(root / "geocodage.csv")
    gazetteer = Gazetteer.load()
    resolved = 0
    for record in loaded.records:
        for lieu in record.data.get("lieux") or []:
            point = resolve_location(lieu, cache, gazetteer)
            assert -90 <= point.latitude <= 90 and point.precision and point.provider and point.licence
            resolved += 1
    assert resolved >= 1
    assert no_network == []


def test_building_the_model_makes_no_network_call(tmp_path: Path, no_network: list[object],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from maillage import pipeline

    root = write_registry(tmp_path / "registry", {
        "exemple-halles": [lieu_yaml("12 rue des Halles", "50200", "Coutances", "50147")],
        "exemple-manuel": [lieu_yaml("1 chemin Creux", "50000", "Saint-Lô", "50502", (49.1, -1.08))],
    })
    (tmp_path / "interne").mkdir()
    result = pipeline.run(root, "interne", date(2026, 11, 22), internal=tmp_path / "interne")
    assert result.model is not None, result.problems
    places = [lieu for pro in result.model.professionnels for lieu in pro.lieux]
    assert {lieu.position.precision for lieu in places} == {"commune", "manuel"}
    # The address never geocoded is reported, at the line of its address.
    fallback = [p for p in result.problems if p.code == "geo-fallback"]
    assert len(fallback) == 1 and fallback[0].file.endswith("exemple-halles.yaml") and fallback[0].line > 0
    assert no_network == []


def test_sample_cache_is_complete_and_honest() -> None:
    """The sample addresses are fictional: every one has a row, and none claims more than the commune."""
    from maillage.geocoding.run import collect_locations

    root = REPO / "registry"
    cache = GeoCache.load(root / "geocodage.csv")
    missing = sorted({loc.record.file for loc in collect_locations(load_registry(root))
                      if not loc.manual and cache.lookup(loc.key) is None})
    assert not missing, f"lancez : maillage geocode --provider offline ({len(missing)} fiches : {missing[:3]})"
    assert {(row.precision, row.provider) for row in cache} <= {("commune", "gazetteer"), ("manuel", "manuel")}
