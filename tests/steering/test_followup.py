"""Convention follow-up: statuses, 30/90/180-day deadlines, annual amounts, CPAM share, services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from maillage.core.model import Model
from maillage.steering.followup import compute_followup, duration_years
from steering_support import build_model, convention, financement

# Today is 2026-11-22 (fixture ``today``).


@pytest.fixture
def conventions(tmp_path: Path, today: str) -> Model:
    return build_model(tmp_path / "registry", conventions={
        # Ends in 20 days.
        "fin-proche": convention(fin="2026-12-12", financements=financement("departement", "subvention", 12000,
                                                                            "par-an")),
        # Ends in 159 days (2027-04-30); notice of 3 months: 2027-01-30, in 69 days.
        "preavis-proche": convention(fin="2027-04-30", preavis=3, enfants=10,
                                     financements=financement("cpam", "forfait", 240, "par-enfant")),
        # 3 years exactly: 36,000 in total is 12,000 a year.
        "total-3-ans": convention(effet="2025-01-01", fin="2027-12-31", territoires=("coutancais",),
                                  services=("bilan-sante-entree", "soins-psychologiques"),
                                  financements=financement("cpam", "forfait", 36000, "total")),
        # Not estimated: per act without children expected, no amount at all.
        "non-chiffree": convention(type_="prestation", fin="2028-06-30",
                                   financements=financement("departement", "acte", 25, "par-acte")
                                   + financement("ars", "subvention")),
        # Suspended: deadlines watched, amounts not committed.
        "suspendue": convention(statut="suspendue", fin="2027-02-01",
                                financements=financement("departement", "subvention", 5000, "par-an")),
        # Finished or not signed yet: no deadline, no amount.
        "expiree": convention(statut="expiree", effet="2025-01-01", fin="2025-12-31",
                              financements=financement("cpam", "forfait", 99999, "par-an")),
        "projet": convention(statut="projet", effet=None, fin=None, type_="partenariat",
                             financements=financement("cpam", "forfait", 77777, "par-an")),
    })


def test_counts_by_status_and_type(conventions: Model) -> None:
    f = compute_followup(conventions)
    assert f.total == 7
    assert f.by_status == {"active": 4, "expiree": 1, "projet": 1, "suspendue": 1}
    assert f.by_type == {"partenariat": 1, "prestation": 1, "sante-protegee": 5}


def test_deadline_windows_are_cumulative(conventions: Model) -> None:
    f = compute_followup(conventions)
    assert f.conventions_within(30) == ("fin-proche",)
    assert f.conventions_within(90) == ("fin-proche", "preavis-proche", "suspendue")
    assert f.conventions_within(180) == ("fin-proche", "preavis-proche", "suspendue")
    notice = next(d for d in f.deadlines[90] if d.convention_id == "preavis-proche")
    assert (notice.what, notice.day, notice.days_left) == ("preavis", date(2027, 1, 30), 69)
    ends = [(d.convention_id, d.what, d.days_left) for d in f.deadlines[180]]
    assert ("preavis-proche", "fin", 159) in ends
    assert all(d.convention_id not in ("expiree", "projet") for d in f.deadlines[180])


def test_annual_amounts_per_financer_and_cpam_share(conventions: Model) -> None:
    f = compute_followup(conventions)
    by_id = {(a.convention_id, a.financeur): a for a in f.amounts}
    assert by_id[("fin-proche", "departement")].annual == 12000
    assert by_id[("preavis-proche", "cpam")].annual == 2400  # 240 € per child × 10 children
    assert by_id[("total-3-ans", "cpam")].annual == pytest.approx(12000)
    assert by_id[("non-chiffree", "departement")].annual is None
    assert "enfants prévus" in by_id[("non-chiffree", "departement")].rule
    assert by_id[("non-chiffree", "ars")].annual is None
    assert not any(a.convention_id in ("suspendue", "expiree", "projet") for a in f.amounts)
    totals = {t.financeur: (t.annual, t.lines, t.not_estimated) for t in f.financers}
    assert totals == {"cpam": (14400, 2, 0), "departement": (12000, 2, 1), "ars": (0, 1, 1)}
    assert f.cpam_share == pytest.approx(14400 / 26400)


def test_services_per_territory(conventions: Model) -> None:
    f = compute_followup(conventions)
    assert f.territories == tuple(sorted(conventions.vocabularies["territoires"])) and len(f.territories) == 7
    # "total-3-ans" covers only the Coutançais; the other running ones the whole département.
    assert f.services["bilan-sante-entree"] == {t: int(t == "coutancais") for t in f.territories}
    psy = f.services["soins-psychologiques"]
    assert psy["coutancais"] == 5 and psy["avranchin"] == 4  # 5 running conventions, one restricted


def test_duration_counts_calendar_months() -> None:
    assert duration_years(date(2025, 1, 1), date(2027, 12, 31)) == 3
    assert duration_years(date(2025, 2, 1), date(2027, 12, 31)) == pytest.approx(35 / 12)
    assert duration_years(date(2025, 1, 1), date(2025, 1, 15)) == pytest.approx(15 / (365.25 / 12) / 12)
    assert duration_years(date(2025, 1, 2), date(2025, 1, 1)) is None
