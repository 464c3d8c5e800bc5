"""The committed geocoding cache: keys, format, merge policy, atomic writes, refusal of a damaged file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from maillage.geocoding.cache import (
    HEADER,
    CacheError,
    CacheRow,
    GeoCache,
    MergeOutcome,
    may_replace,
    normalise_address,
)


def row(key: str = "12 rue des halles | 50200 | coutances", precision: str = "numero",
        provider: str = "ban", lat: float = 49.0512345678, lon: float = -1.4412345678,
        label: str = "12 Rue des Halles 50200 Coutances", day: str = "2026-01-01") -> CacheRow:
    return CacheRow(key, lat, lon, precision, 0.93, provider, label, "50147", day)


# --- keys ------------------------------------------------------------------------

@pytest.mark.parametrize("adresse,commune", [
    ("12 rue des Halles", "Coutances"),
    ("12, Rue des  HALLES", "COUTANCES"),
    ("  12 rue des halles ", "coutances"),
])
def test_spelling_variants_share_one_key(adresse: str, commune: str) -> None:
    assert normalise_address(adresse, "50200", commune) == "12 rue des halles | 50200 | coutances"


def test_key_folds_accents_ligatures_and_apostrophes() -> None:
    assert normalise_address("3 place de l'Église", "50000", "Saint-Lô") == \
        "3 place de l eglise | 50000 | saint lo"
    assert normalise_address("Rue du Cœur", "50100", "Cherbourg-en-Cotentin") == \
        "rue du coeur | 50100 | cherbourg en cotentin"


def test_key_keeps_postal_code_and_commune_apart() -> None:
    a = normalise_address("1 rue de la Gare", "50200", "Coutances")
    b = normalise_address("1 rue de la Gare", "50000", "Saint-Lô")
    assert a != b


# --- file format -------------------------------------------------------------------

def test_save_is_sorted_with_six_decimals_and_reloads_identically(tmp_path: Path) -> None:
    path = tmp_path / "geocodage.csv"
    cache = GeoCache([row("z rue | 50200 | coutances"), row("a rue | 50200 | coutances")], path)
    assert cache.save()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(HEADER)
    assert lines[1].startswith("a rue | 50200 | coutances,49.051235,-1.441235,numero,0.93,ban,")
    assert lines[2].startswith("z rue")
    assert b"\r" not in path.read_bytes()
    again = GeoCache.load(path)
    assert list(again) == list(cache)
    assert not again.save()  # same bytes: the file is not rewritten


def test_missing_file_is_an_empty_cache(tmp_path: Path) -> None:
    assert len(GeoCache.load(tmp_path / "geocodage.csv")) == 0


def test_hand_edited_key_is_normalised_on_load(tmp_path: Path) -> None:
    path = tmp_path / "geocodage.csv"
    path.write_text(",".join(HEADER) + "\n"
                    "12 Rue des HALLES | 50200 | Coutances,49.05,-1.44,manuel,,manuel,Posé à la main,50147,"
                    "2026-01-01\n", encoding="utf-8")
    cache = GeoCache.load(path)
    hit = cache.lookup_address("12 rue des Halles", "50200", "Coutances")
    assert hit is not None and hit.precision == "manuel" and hit.score is None


@pytest.mark.parametrize("body,line,needle", [
    ("<<<<<<< HEAD\n", 3, "conflit de fusion"),
    ("b | 50200 | coutances,91,-1.44,numero,0.9,ban,x,50147,2026-01-01\n", 3, "latitude"),
    ("b | 50200 | coutances,49,-1.44,exact,0.9,ban,x,50147,2026-01-01\n", 3, "précision"),
    ("b | 50200 | coutances,49,-1.44,numero,0.9,google,x,50147,2026-01-01\n", 3, "fournisseur"),
    ("b | 50200 | coutances,49,-1.44,numero,0.9,ban,x,50147,hier\n", 3, "date"),
    ("b | 50200 | coutances,49,-1.44\n", 3, "colonnes"),
    ("a | 50200 | Coutances,49,-1.44,numero,0.9,ban,x,50147,2026-01-01\n", 3, "déjà présente ligne 2"),
])
def test_damaged_cache_is_refused_with_its_line(tmp_path: Path, body: str, line: int, needle: str) -> None:
    path = tmp_path / "geocodage.csv"
    path.write_text(",".join(HEADER) + "\n"
                    "a | 50200 | coutances,49,-1.44,numero,0.9,ban,x,50147,2026-01-01\n" + body,
                    encoding="utf-8")
    with pytest.raises(CacheError) as info:
        GeoCache.load(path)
    assert info.value.problem.code == "geocode-cache-invalid"
    assert info.value.problem.line == line
    assert needle in info.value.problem.message


def test_wrong_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "geocodage.csv"
    path.write_text("adresse,lat,lon\n", encoding="utf-8")
    with pytest.raises(CacheError, match="première ligne"):
        GeoCache.load(path)


# --- merge policy: nothing is ever degraded --------------------------------------------

@pytest.mark.parametrize("old,new,allowed", [
    ("rue", "numero", True),
    ("numero", "numero", True),
    ("numero", "rue", False),
    ("lieu-dit", "commune", False),
    ("manuel", "numero", False),
])
def test_a_coordinate_is_only_replaced_by_one_at_least_as_precise(old: str, new: str, allowed: bool) -> None:
    assert may_replace(row(precision=old), row(precision=new, lat=49.06)) is allowed


def test_gazetteer_centroid_never_replaces_a_geocoder_answer_of_equal_precision() -> None:
    ban_commune = row(precision="commune", provider="ban")
    centroid = row(precision="commune", provider="gazetteer", lat=49.0)
    assert not may_replace(ban_commune, centroid)
    assert may_replace(centroid, ban_commune)


def test_merge_reports_what_happened_and_keeps_the_old_date_when_nothing_changed() -> None:
    cache = GeoCache()
    assert cache.merge(row(precision="rue")) is MergeOutcome.ADDED
    assert cache.merge(row(precision="rue", day="2026-06-01")) is MergeOutcome.UNCHANGED
    assert cache.lookup(row().key).date == "2026-01-01"  # type: ignore[union-attr]
    assert cache.merge(row(precision="commune", lat=49.0)) is MergeOutcome.KEPT
    assert cache.merge(row(precision="numero", lat=49.1)) is MergeOutcome.UPDATED
    assert cache.lookup(row().key).latitude == 49.1  # type: ignore[union-attr]


# --- atomic save -------------------------------------------------------------------------

@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / "geocodage.csv"
    GeoCache([row()], path).save()
    return path, path.read_bytes()


@pytest.mark.parametrize("target", ["replace", "fsync"])
def test_crash_while_writing_leaves_the_previous_file_intact(
        saved: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    path, before = saved
    cache = GeoCache.load(path)
    cache.merge(row("b rue | 50200 | coutances"))

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, target, crash)
    with pytest.raises(OSError):
        cache.save()
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["geocodage.csv"]  # no temporary left


def test_interrupt_while_writing_leaves_the_previous_file_intact(
        saved: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    path, before = saved
    cache = GeoCache.load(path)
    cache.merge(row("b rue | 50200 | coutances"))

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.save()
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert len(list(path.parent.iterdir())) == 1


def test_save_keeps_the_file_mode(saved: tuple[Path, bytes]) -> None:
    path, _ = saved
    path.chmod(0o664)
    cache = GeoCache.load(path)
    cache.merge(row("b rue | 50200 | coutances"))
    assert cache.save()
    assert path.stat().st_mode & 0o777 == 0o664
