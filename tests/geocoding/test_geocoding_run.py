"""``maillage geocode`` against a local server that speaks the Géoplateforme API.

The real geopy client talks to :class:`FakeGeoplateforme` on 127.0.0.1. Each
scenario checks what a user would see afterwards: the cache (nothing known is
lost, failures are not cached) and the registry (never touched).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from maillage.dev import fake_geocoder as fake
from maillage.dev.fake_geocoder import FakeGeoplateforme, lieu_yaml, write_registry
from maillage.geocoding.cache import CacheRow, GeoCache, normalise_address
from maillage.geocoding.network import NetworkSettings
from maillage.geocoding.run import geocode_registry

FAST = NetworkSettings(rate_per_second=500, workers=4, timeout=0.3, attempts=3, backoff=0.01, max_backoff=0.05)
HALLES = "12 rue des Halles"
HALLES_KEY = normalise_address(HALLES, "50200", "Coutances")
GARE = "3 avenue de la Gare"
GARE_KEY = normalise_address(GARE, "50000", "Saint-Lô")


def halles(score: float = 0.96, type: str = "housenumber", citycode: str = "50147",
           lat: float = 49.0498) -> fake.Reply:
    return fake.collection(fake.feature(lat, -1.4421, label="12 Rue des Halles 50200 Coutances", score=score,
                                        type=type, citycode=citycode))


def gare(score: float = 0.9) -> fake.Reply:
    return fake.collection(fake.feature(49.1128, -1.0825, label="3 Avenue de la Gare 50000 Saint-Lô",
                                        score=score, citycode="50502", city="Saint-Lô", postcode="50000"))


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAILLAGE_TODAY", "2026-11-22")
    return write_registry(tmp_path / "registry", {
        "exemple-halles": [lieu_yaml(HALLES, "50200", "Coutances", "50147")],
        "exemple-gare": [lieu_yaml(GARE, "50000", "Saint-Lô", "50502"),
                         lieu_yaml("1 chemin Creux", "50000", "Saint-Lô", "50502", (49.11, -1.09))],
    })


@pytest.fixture
def server() -> Iterator[FakeGeoplateforme]:
    with FakeGeoplateforme() as srv:
        yield srv


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*.yaml"))}


def run(root: Path, server: FakeGeoplateforme | str, **kwargs: object):  # type: ignore[no-untyped-def]
    url = server if isinstance(server, str) else server.url
    before = snapshot(root)
    report = geocode_registry(root, "ban", url, settings=kwargs.pop("settings", FAST), progress=False,
                              **kwargs)  # type: ignore[arg-type]
    assert snapshot(root) == before, "a geocoding run must never touch the records"
    return report


def cache_of(root: Path) -> GeoCache:
    return GeoCache.load(root / "geocodage.csv")


def seed(root: Path, *rows: CacheRow) -> bytes:
    GeoCache(rows, root / "geocodage.csv").save()
    return (root / "geocodage.csv").read_bytes()


def known_halles(precision: str = "rue", provider: str = "ban") -> CacheRow:
    return CacheRow(HALLES_KEY, 49.0501, -1.4430, precision, 0.8, provider, "Rue des Halles 50200 Coutances",
                    "50147", "2025-05-05")


# --- accepted / rejected -------------------------------------------------------------

def test_accepted_result_is_cached_with_its_precision_and_provider(registry: Path, server: FakeGeoplateforme) -> None:
    server.script(HALLES, halles())
    server.script(GARE, gare())
    report = run(registry, server)
    assert report.exit_code == 0 and report.accepted == 2 and report.problems == []
    row = cache_of(registry).lookup(HALLES_KEY)
    assert row is not None
    assert (row.latitude, row.longitude, row.precision, row.provider, row.score, row.code_insee, row.date) == \
        (49.0498, -1.4421, "numero", "ban", 0.96, "50147", "2026-11-22")
    assert row.label == "12 Rue des Halles 50200 Coutances"
    # the location pinned by hand is never sent; queries carry the postal code and the commune
    assert sorted(server.queries()) == [f"{HALLES}, 50200 Coutances", f"{GARE}, 50000 Saint-Lô"]
    assert all(r.path == "/search" for r in server.requests)
    assert all("sante-protegee@example.org" in r.user_agent for r in server.requests)


def test_second_run_reads_the_cache_and_sends_nothing(registry: Path, server: FakeGeoplateforme) -> None:
    server.script(HALLES, halles())
    server.script(GARE, gare())
    run(registry, server)
    first = (registry / "geocodage.csv").read_bytes()
    count = len(server.requests)
    report = run(registry, server)
    assert len(server.requests) == count
    assert report.plan.from_cache == 2 and report.queried == 0 and not report.cache_written
    assert (registry / "geocodage.csv").read_bytes() == first


@pytest.mark.parametrize("reply,code,reason", [
    (halles(score=0.31), "geocode-low-score", "score trop faible"),
    (halles(citycode="50502"), "geocode-wrong-commune", "autre commune"),
    (fake.collection(), "geocode-no-result", "aucun résultat"),
])
def test_rejected_result_is_not_cached_and_says_why(registry: Path, server: FakeGeoplateforme,
                                                    reply: fake.Reply, code: str, reason: str) -> None:
    server.script(HALLES, reply)
    server.script(GARE, gare())
    report = run(registry, server)
    assert report.exit_code == 0
    assert report.rejected == {reason: 1}
    assert cache_of(registry).lookup(HALLES_KEY) is None
    assert cache_of(registry).lookup(GARE_KEY) is not None
    assert report.fallback == 1
    [warning] = report.problems
    assert warning.code == code and warning.file.endswith("exemple-halles.yaml") and warning.line == 5
    assert "centre de la commune" in warning.message


def test_low_score_message_gives_score_and_threshold(registry: Path, server: FakeGeoplateforme) -> None:
    server.script(HALLES, halles(score=0.31))
    report = run(registry, server)
    message = next(p.message for p in report.problems if p.code == "geocode-low-score")
    assert "0,31" in message and "0,50" in message


def test_threshold_comes_from_registre_yaml(registry: Path, server: FakeGeoplateforme) -> None:
    meta = registry / "registre.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("score_minimum: 0.5", "score_minimum: 0.97"),
                    encoding="utf-8")
    server.script(HALLES, halles(score=0.96))
    report = run(registry, server)
    assert report.rejected["score trop faible"] >= 1


def test_best_answer_in_the_right_commune_is_chosen(registry: Path, server: FakeGeoplateforme) -> None:
    elsewhere = fake.feature(49.2, -1.3, label="12 Rue des Halles 50190 Périers", score=0.98, citycode="50394")
    right = fake.feature(49.0498, -1.4421, label="12 Rue des Halles 50200 Coutances", score=0.9)
    server.script(HALLES, fake.collection(elsewhere, right))
    run(registry, server)
    row = cache_of(registry).lookup(HALLES_KEY)
    assert row is not None and row.label.endswith("Coutances")


def test_paris_arrondissement_code_matches_the_city_code(tmp_path: Path, server: FakeGeoplateforme) -> None:
    root = write_registry(tmp_path / "registry", {
        "exemple-paris": [lieu_yaml("10 rue de Vaugirard", "75015", "Paris", "75056")]})
    server.script("10 rue de Vaugirard", fake.collection(fake.feature(
        48.84, 2.30, label="10 Rue de Vaugirard 75015 Paris", citycode="75115", city="Paris", postcode="75015")))
    report = run(root, server)
    assert report.accepted == 1


def test_rejection_keeps_the_previous_coordinate(registry: Path, server: FakeGeoplateforme) -> None:
    seed(registry, known_halles())
    server.script(HALLES, halles(score=0.2))
    report = run(registry, server, refresh=True)
    assert cache_of(registry).lookup(HALLES_KEY) == known_halles()
    assert report.kept_previous >= 1
    assert any("déjà connue" in p.message for p in report.problems)


# --- network trouble: a failure is a failure, never "no result" --------------------------

def test_429_then_success_is_retried_and_cached(registry: Path, server: FakeGeoplateforme) -> None:
    server.script(HALLES, fake.status(429, retry_after=0), fake.status(429), halles())
    server.script(GARE, gare())
    report = run(registry, server)
    assert report.exit_code == 0 and report.retries == 2
    assert server.queries().count(f"{HALLES}, 50200 Coutances") == 3
    assert cache_of(registry).lookup(HALLES_KEY) is not None


@pytest.mark.parametrize("reply,reason", [
    (fake.status(500), "erreur du service (HTTP 500)"),
    (fake.status(503), "service indisponible (HTTP 503)"),
    (fake.status(429), "trop de requêtes (HTTP 429)"),
])
def test_persistent_server_error_fails_after_retries(registry: Path, server: FakeGeoplateforme,
                                                     reply: fake.Reply, reason: str) -> None:
    server.script(HALLES, reply)
    server.script(GARE, gare())
    report = run(registry, server)
    assert report.exit_code == 1
    assert report.failed == {f"{reason}, 3 essais": 1}
    assert server.queries().count(f"{HALLES}, 50200 Coutances") == FAST.attempts
    cache = cache_of(registry)
    assert cache.lookup(HALLES_KEY) is None and cache.lookup(GARE_KEY) is not None  # the rest is saved
    assert [p.code for p in report.problems] == ["geocode-failed"]


def test_timeout_is_a_failure(registry: Path, server: FakeGeoplateforme) -> None:
    server.script(HALLES, fake.hang(1.0, halles()))
    server.script(GARE, gare())
    report = run(registry, server)
    assert report.exit_code == 1
    assert report.failed == {"délai de réponse dépassé, 3 essais": 1}
    assert cache_of(registry).lookup(HALLES_KEY) is None


def test_timeout_then_answer_succeeds(registry: Path, server: FakeGeoplateforme) -> None:
    server.script(HALLES, fake.hang(1.0), halles())
    report = run(registry, server)
    assert report.exit_code == 0 and cache_of(registry).lookup(HALLES_KEY) is not None


@pytest.mark.parametrize("reply", [
    fake.garbage(),
    fake.garbage(b"<html>Maintenance</html>"),
    fake.json_reply({"message": "pas une FeatureCollection"}),
    fake.json_reply({"type": "FeatureCollection", "features": [{"properties": {"label": "x"}}]}),
])
def test_malformed_answer_is_a_failure_not_an_empty_result(registry: Path, server: FakeGeoplateforme,
                                                           reply: fake.Reply) -> None:
    seed(registry, known_halles())
    server.script(HALLES, reply)
    report = run(registry, server, refresh=True)
    assert report.exit_code == 1
    assert report.failed == {"réponse illisible": 1}
    assert cache_of(registry).lookup(HALLES_KEY) == known_halles()


def test_connection_refused_fails_everything_and_keeps_the_cache(registry: Path) -> None:
    before = seed(registry, known_halles())
    report = run(registry, fake.closed_port_url(), refresh=True)
    assert report.exit_code == 1
    assert sum(report.failed.values()) == 2
    assert all(reason.startswith("service injoignable") for reason in report.failed)
    assert (registry / "geocodage.csv").read_bytes() == before


def test_service_down_stops_the_run_early(tmp_path: Path) -> None:
    root = write_registry(tmp_path / "registry", {
        f"exemple-{n}": [lieu_yaml(f"{n} rue du Port", "50200", "Coutances", "50147")] for n in range(30)})
    settings = NetworkSettings(rate_per_second=500, workers=2, timeout=0.3, attempts=1,
                               max_consecutive_failures=5)
    report = run(root, fake.closed_port_url(), settings=settings)
    assert report.stopped_early and sum(report.failed.values()) == 30
    assert report.failed["non interrogée : le service ne répondait plus"] >= 20


# --- refresh: never degrade --------------------------------------------------------------

def test_refresh_does_not_replace_with_a_less_precise_coordinate(registry: Path, server: FakeGeoplateforme) -> None:
    seed(registry, known_halles("numero"))
    server.script(HALLES, halles(type="street", lat=49.06))
    report = run(registry, server, refresh=True)
    assert cache_of(registry).lookup(HALLES_KEY) == known_halles("numero")
    assert report.merged["conservée"] == 1


def test_refresh_upgrades_to_a_more_precise_coordinate(registry: Path, server: FakeGeoplateforme) -> None:
    seed(registry, known_halles("rue"))
    server.script(HALLES, halles())
    run(registry, server, refresh=True)
    row = cache_of(registry).lookup(HALLES_KEY)
    assert row is not None and row.precision == "numero" and row.date == "2026-11-22"


def test_commune_placeholder_is_queried_without_refresh(registry: Path, server: FakeGeoplateforme) -> None:
    seed(registry, known_halles("commune", provider="gazetteer"))
    server.script(HALLES, halles())
    run(registry, server)
    row = cache_of(registry).lookup(HALLES_KEY)
    assert row is not None and (row.precision, row.provider) == ("numero", "ban")


def test_manual_cache_row_is_never_queried(registry: Path, server: FakeGeoplateforme) -> None:
    seed(registry, known_halles("manuel", provider="manuel"))
    server.script(GARE, gare())
    run(registry, server, refresh=True)
    assert f"{HALLES}, 50200 Coutances" not in server.queries()


def test_rows_of_vanished_addresses_are_kept(registry: Path, server: FakeGeoplateforme) -> None:
    orphan = CacheRow(normalise_address("9 rue Disparue", "50200", "Coutances"), 49.05, -1.44, "numero", 0.9,
                      "ban", "9 Rue Disparue", "50147", "2024-01-01")
    seed(registry, orphan)
    server.script(HALLES, halles())
    report = run(registry, server)
    assert cache_of(registry).lookup(orphan.key) == orphan
    assert report.unused_rows == 1


# --- crash while saving --------------------------------------------------------------------

def test_crash_while_saving_leaves_the_previous_cache(registry: Path, server: FakeGeoplateforme,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    before = seed(registry, known_halles())
    server.script(HALLES, halles())
    server.script(GARE, gare())

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        run(registry, server, refresh=True)
    monkeypatch.undo()
    assert (registry / "geocodage.csv").read_bytes() == before
    assert sorted(p.name for p in registry.iterdir() if p.is_file()) == ["geocodage.csv", "registre.yaml"]


def test_checkpoints_save_progress_during_long_runs(tmp_path: Path, server: FakeGeoplateforme,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_registry(tmp_path / "registry", {
        f"exemple-{n}": [lieu_yaml(f"{n} rue du Port", "50200", "Coutances", "50147")] for n in range(12)})
    saved_sizes: list[int] = []
    original = GeoCache.save

    def spy(self: GeoCache, path: Path | None = None) -> bool:
        written = original(self, path)
        saved_sizes.append(len(self))
        return written

    monkeypatch.setattr(GeoCache, "save", spy)
    from maillage.core.gazetteer import Gazetteer

    server.default = fake.auto_answer(Gazetteer.load())
    report = run(root, server, checkpoint_every=5)
    assert report.accepted == 12
    assert saved_sizes[:2] == [5, 10] and saved_sizes[-1] == 12


# --- dry run, withdrawn records, Nominatim ------------------------------------------------------

def test_dry_run_sends_nothing_and_writes_nothing(registry: Path, server: FakeGeoplateforme) -> None:
    report = run(registry, server, dry_run=True)
    assert server.requests == []
    assert not (registry / "geocodage.csv").exists()
    assert [q.query.text for q in report.plan.queries] == [f"{HALLES}, 50200 Coutances", f"{GARE}, 50000 Saint-Lô"]


def test_withdrawn_record_is_not_sent(tmp_path: Path, server: FakeGeoplateforme) -> None:
    root = write_registry(tmp_path / "registry", {"exemple-retire": [lieu_yaml(HALLES, "50200", "Coutances", "50147")]})
    path = root / "professionnels" / "exemple-retire.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("statut: actif", "statut: retire"), encoding="utf-8")
    run(root, server)
    assert server.requests == []


def test_nominatim_is_polite_and_its_answers_are_checked(registry: Path, server: FakeGeoplateforme) -> None:
    server.script(HALLES, fake.json_reply([{
        "lat": "49.0497", "lon": "-1.4420", "display_name": "12, Rue des Halles, Coutances, Manche, France",
        "place_rank": 30, "addresstype": "building",
        "address": {"house_number": "12", "road": "Rue des Halles", "town": "Coutances", "postcode": "50200"},
    }]))
    server.script(GARE, fake.json_reply([{
        "lat": "49.2", "lon": "-1.3", "display_name": "Gare, Carentan", "place_rank": 26,
        "address": {"road": "Avenue de la Gare", "town": "Carentan-les-Marais", "postcode": "50500"},
    }]))
    settings = NetworkSettings(rate_per_second=500, workers=1, timeout=0.3, attempts=2, backoff=0.01)
    report = geocode_registry(registry, "nominatim", server.url, settings=settings, progress=False)
    row = cache_of(registry).lookup(HALLES_KEY)
    assert row is not None and (row.precision, row.provider, row.score, row.code_insee) == \
        ("numero", "nominatim", None, "50147")
    assert report.rejected == {"autre commune": 1}
    assert server.max_in_flight == 1
    assert {r.params.get("postalcode") for r in server.requests} == {"50200", "50000"}
    assert all(r.params.get("countrycodes") == "fr" for r in server.requests)
