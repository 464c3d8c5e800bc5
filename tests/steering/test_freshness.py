"""Freshness: age of the last verification in buckets, per kind and territory; stale records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from maillage.steering.freshness import bucket_labels, bucket_of, compute_freshness, months_since
from steering_support import build_model, professionnel, structure

TODAY = date(2026, 11, 22)


def test_buckets_follow_the_verification_period() -> None:
    assert bucket_of(date(2026, 5, 23), TODAY, 12) == "recent"  # 5 months and 30 days
    assert bucket_of(date(2026, 5, 22), TODAY, 12) == "a-verifier"  # 6 months exactly
    assert bucket_of(date(2025, 11, 22), TODAY, 12) == "a-verifier"  # 12 months exactly
    assert bucket_of(date(2025, 11, 21), TODAY, 12) == "perime"
    assert bucket_of(date(2026, 8, 1), TODAY, 6) == "a-verifier"
    assert months_since(date(2025, 11, 23), TODAY) == 11
    assert bucket_labels(12) == {"recent": "moins de 6 mois", "a-verifier": "de 6 à 12 mois",
                                 "perime": "plus de 12 mois"}
    assert bucket_labels(9)["recent"] == "moins de 4,5 mois"


def test_counts_per_kind_and_territory_and_stale_list(tmp_path: Path, today: str) -> None:
    model = build_model(tmp_path / "r", professionnels={
        "recent-a": professionnel("orthophoniste", "50147", nom="A", verifie_le="2026-10-01"),
        "moyen-b": professionnel("psychologue", "50502", nom="B", verifie_le="2026-03-01"),
        "vieux-c": professionnel("pediatre", "50147", nom="C", verifie_le="2025-06-30",
                                 extra_lieux=(("50502", "3 rue Haute"),)),
        "cesse-d": professionnel("pediatre", "50147", nom="D", verifie_le="2020-01-01", statut="cesse",
                                 accepte=None),
    }, structures={"vieux-cmp": structure("cmp", "50218", verifie_le="2024-01-10")})
    f = compute_freshness(model)
    assert f.period_months == 12
    assert f.by_kind["professionnel"] == {"recent": 1, "a-verifier": 1, "perime": 1}
    assert f.by_kind["structure"] == {"recent": 0, "a-verifier": 0, "perime": 1}
    assert f.total == {"recent": 1, "a-verifier": 1, "perime": 2}
    assert f.by_territory["coutancais"] == {"recent": 1, "a-verifier": 0, "perime": 1}
    assert f.by_territory["saint-lois"] == {"recent": 0, "a-verifier": 1, "perime": 1}
    assert f.by_territory["granvillais"] == {"recent": 0, "a-verifier": 0, "perime": 1}
    assert [(s.id, s.months) for s in f.stale] == [("vieux-cmp", 34), ("vieux-c", 16)]
    assert f.stale[1].territories == ("coutancais", "saint-lois")
    assert [s.id for s in compute_freshness(model, stale_months=6).stale] == ["vieux-cmp", "vieux-c", "moyen-b"]
