"""``maillage geocode`` as a user runs it: output, exit status, Ctrl-C and kill in the middle of a run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from maillage.cli.main import main
from maillage.dev import fake_geocoder as fake
from maillage.dev.fake_geocoder import FakeGeoplateforme, lieu_yaml, write_registry
from maillage.geocoding import providers
from maillage.geocoding.cache import CacheRow, GeoCache, normalise_address
from maillage.geocoding.network import NetworkSettings

REPO = Path(__file__).resolve().parents[2]
FAST = NetworkSettings(rate_per_second=500, workers=4, timeout=0.3, attempts=2, backoff=0.01)
HALLES_KEY = normalise_address("12 rue des Halles", "50200", "Coutances")


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAILLAGE_TODAY", "2026-11-22")
    monkeypatch.setitem(providers.DEFAULT_SETTINGS, "ban", FAST)
    monkeypatch.setitem(providers.DEFAULT_SETTINGS, "nominatim", FAST)
    return write_registry(tmp_path / "registry", {
        "exemple-halles": [lieu_yaml("12 rue des Halles", "50200", "Coutances", "50147")],
        "exemple-gare": [lieu_yaml("3 avenue de la Gare", "50000", "Saint-Lô", "50502")],
    })


@pytest.fixture
def server() -> Iterator[FakeGeoplateforme]:
    from maillage.core.gazetteer import Gazetteer

    with FakeGeoplateforme(default=fake.auto_answer(Gazetteer.load())) as srv:
        yield srv


def geocode(registry: Path, *args: str) -> int:
    return main(["geocode", "--registry", str(registry), *args])


def test_fixture_registry_is_valid(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--registry", str(registry)]) == 0


def test_successful_run_prints_a_summary_and_exits_0(registry: Path, server: FakeGeoplateforme,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert geocode(registry, "--endpoint", server.url) == 0
    out = capsys.readouterr().out
    assert "Interrogées : 2" in out and "acceptées : 2" in out and "échecs : 0" in out
    assert "geocodage.csv : enregistré" in out
    assert len(GeoCache.load(registry / "geocodage.csv")) == 2


def test_endpoint_may_carry_a_path_like_the_geoplateforme(registry: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from maillage.core.gazetteer import Gazetteer

    with FakeGeoplateforme(default=fake.auto_answer(Gazetteer.load()), base_path="/geocodage") as srv:
        assert geocode(registry, "--endpoint", srv.url) == 0
        assert {r.path for r in srv.requests} == {"/geocodage/search"}


def test_failures_exit_1_and_what_succeeded_is_saved(registry: Path, server: FakeGeoplateforme,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    server.script("12 rue des Halles", fake.status(500))
    assert geocode(registry, "--endpoint", server.url) == 1
    out = capsys.readouterr().out
    assert "[geocode-failed]" in out and "exemple-halles.yaml:5:" in out
    assert "erreur du service (HTTP 500), 2 essais : 1" in out
    cache = GeoCache.load(registry / "geocodage.csv")
    assert HALLES_KEY not in cache and len(cache) == 1


def test_dry_run_lists_the_queries(registry: Path, server: FakeGeoplateforme,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert geocode(registry, "--endpoint", server.url, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "12 rue des Halles, 50200 Coutances (nouvelle adresse)" in out
    assert "2 adresses seraient interrogées" in out
    assert server.requests == [] and not (registry / "geocodage.csv").exists()


@pytest.mark.parametrize("args,needle", [
    (["--endpoint", "ftp://example.org"], "--endpoint"),
    (["--endpoint", "http://127.0.0.1:99999"], "--endpoint"),
])
def test_bad_endpoint_exits_2(registry: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                              needle: str) -> None:
    assert geocode(registry, *args) == 2
    assert needle in capsys.readouterr().err


def test_missing_registry_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert geocode(tmp_path / "nulle-part", "--provider", "offline") == 2
    assert "registre.yaml" in capsys.readouterr().err


def test_damaged_cache_exits_2_and_is_left_alone(registry: Path, server: FakeGeoplateforme,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = registry / "geocodage.csv"
    damaged = "adresse_normalisee,latitude\n<<<<<<< HEAD\n"
    path.write_text(damaged, encoding="utf-8")
    assert geocode(registry, "--endpoint", server.url) == 2
    assert "geocode-cache-invalid" not in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == damaged and server.requests == []


def test_nominatim_without_user_agent_exits_2(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meta = registry / "registre.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text("\n".join(line for line in text.splitlines() if "user_agent" not in line) + "\n",
                    encoding="utf-8")
    assert geocode(registry, "--provider", "nominatim") == 2
    assert "user_agent" in capsys.readouterr().err


def test_offline_run_writes_honest_commune_rows_then_ban_refines_them(
        registry: Path, server: FakeGeoplateforme, capsys: pytest.CaptureFixture[str]) -> None:
    assert geocode(registry, "--provider", "offline") == 0
    rows = list(GeoCache.load(registry / "geocodage.csv"))
    assert {(r.precision, r.provider) for r in rows} == {("commune", "gazetteer")}
    halles = next(r for r in rows if r.key == HALLES_KEY)
    assert halles.label == "Coutances (centre de la commune)" and halles.score is None
    snapshot = (registry / "geocodage.csv").read_bytes()
    assert geocode(registry, "--provider", "offline") == 0  # stable: nothing to do
    assert (registry / "geocodage.csv").read_bytes() == snapshot
    assert geocode(registry, "--endpoint", server.url) == 0  # commune-level rows get refined
    assert {r.precision for r in GeoCache.load(registry / "geocodage.csv")} == {"numero"}


def test_a_row_is_never_degraded_by_a_later_offline_run(registry: Path, server: FakeGeoplateforme,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert geocode(registry, "--endpoint", server.url) == 0
    before = (registry / "geocodage.csv").read_bytes()
    assert geocode(registry, "--provider", "offline", "--refresh") == 0
    assert (registry / "geocodage.csv").read_bytes() == before


# --- Ctrl-C and kill in the middle of a run -------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_run_keeps_the_cache_whole(tmp_path: Path, sig: signal.Signals) -> None:
    root = write_registry(tmp_path / "registry", {
        f"exemple-{n}": [lieu_yaml(f"{n} rue du Port", "50200", "Coutances", "50147")] for n in range(60)})
    known = CacheRow(HALLES_KEY, 49.0498, -1.4421, "numero", 0.96, "ban", "12 Rue des Halles", "50147",
                     "2026-01-01")
    GeoCache([known], root / "geocodage.csv").save()
    before = (root / "geocodage.csv").read_bytes()
    from maillage.core.gazetteer import Gazetteer

    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "MAILLAGE_TODAY": "2026-11-22"}
    with FakeGeoplateforme(latency=0.15, default=fake.auto_answer(Gazetteer.load())) as srv:
        proc = subprocess.Popen([sys.executable, "-m", "maillage.cli", "geocode", "--registry", str(root),
                                 "--endpoint", srv.url], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while len(srv.requests) < 10 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(sig)
        _out, err = proc.communicate(timeout=10)
        asked = len(srv.requests)
    assert asked < 60
    cache = GeoCache.load(root / "geocodage.csv")  # whole and readable
    assert cache.lookup(HALLES_KEY) == known  # nothing known is lost
    assert sorted(p.name for p in root.iterdir() if p.is_file()) == ["geocodage.csv", "registre.yaml"]
    if sig is signal.SIGINT:
        assert proc.returncode == 130 and "interrompu" in err.decode()
        assert len(cache) >= 1  # what was answered before Ctrl-C may be kept: complete rows only
    else:
        assert (root / "geocodage.csv").read_bytes() == before
