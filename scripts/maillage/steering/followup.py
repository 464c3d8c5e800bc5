"""Convention follow-up: statuses, deadlines, committed amounts, services covered per territory.

Rules (also explained to the project officer in ``docs/pilotage.md``):

* Statuses mean what :mod:`maillage.core.statuses` says: only **running** conventions
  (``signee``, ``active``, ``suspendue``) have deadlines to watch; **committed** amounts
  count ``signee`` and ``active`` conventions only (a suspended convention pays nothing
  while suspended); « en vigueur » is ``active``.
* **Deadlines**: a convention is listed in the 30-, 90- and 180-day windows when its end
  date (``fin``) or its notice date (:attr:`maillage.core.model.Convention.date_preavis`:
  end date minus the notice period) falls between today and today + N days, both
  included. Windows are cumulative: the 90-day list contains the 30-day one. The notice
  date of a convention renewed tacitly is the last day to *dénoncer* it
  (``denonciation``); otherwise the last day to give notice (``preavis``).
* **Annual amounts**, per financing line:

  - ``par-an``: the amount as it is;
  - ``total``: divided by the duration in years, from the effect date (or, failing it,
    the signature date) to the end date, both included; months are counted on the
    calendar (1 Jan 2025 → 31 Dec 2027 is exactly 3 years);
  - ``par-enfant`` and ``par-acte``: multiplied by ``enfants_prevus`` (children
    expected per year), i.e. one act or one flat fee per expected child and per year;
  - anything else (no amount, no unit, ``total`` without both dates, per child or per
    act without ``enfants_prevus``) is **not estimated** ("non chiffré"): it is counted,
    never guessed.

* The **CPAM share** is CPAM / (CPAM + Département) of the annual amounts that could be
  estimated; ARS and other financers are reported beside it.
* **Services per territory**: a running convention covers its ``territoires``, or the
  whole département when the list is empty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from maillage.core import statuses
from maillage.core.labels import FINANCEURS
from maillage.core.model import Convention, Financement, Model, add_months

WINDOWS = (30, 90, 180)
FINANCERS = tuple(FINANCEURS)  # in the order of the schema's enum
AVERAGE_MONTH_DAYS = 365.25 / 12


@dataclass(frozen=True, slots=True)
class Deadline:
    convention_id: str
    intitule: str
    statut: str
    what: str  # "fin" (end date), "preavis" (last day to give notice) or "denonciation" (tacit renewal)
    day: date
    days_left: int


@dataclass(frozen=True, slots=True)
class AnnualAmount:
    """One financing line of a committed convention, with its annual estimate."""

    convention_id: str
    financeur: str
    mode: str
    montant: float | None
    unite: str | None
    annual: float | None  # None: "non chiffré"; rounded to the cent
    rule: str  # French explanation of how ``annual`` was derived (or why it was not)


@dataclass(frozen=True, slots=True)
class FinancerTotal:
    financeur: str
    label: str
    annual: float  # sum of the estimated lines, rounded to the cent
    lines: int  # financing lines of committed conventions
    not_estimated: int  # lines that could not be estimated


@dataclass(frozen=True, slots=True)
class FollowUp:
    today: date
    total: int
    by_status: dict[str, int]
    by_type: dict[str, int]
    deadlines: dict[int, tuple[Deadline, ...]]  # window in days -> deadlines, soonest first
    amounts: tuple[AnnualAmount, ...]
    financers: tuple[FinancerTotal, ...]  # in FINANCERS order, only those present
    cpam_share: float | None  # CPAM / (CPAM + Département), None when both are 0
    services: dict[str, dict[str, int]]  # service -> territory -> running conventions covering it
    territories: tuple[str, ...]  # territory ids, in id order

    def conventions_within(self, days: int) -> tuple[str, ...]:
        """Ids of the conventions with an end or notice date within ``days`` days."""
        return tuple(dict.fromkeys(d.convention_id for d in self.deadlines[days]))


def duration_years(start: date, end: date) -> float | None:
    """Years from ``start`` to ``end``, both included, counting calendar months (None if end < start)."""
    stop = end + timedelta(days=1)
    if stop <= start:
        return None
    months = (stop.year - start.year) * 12 + stop.month - start.month
    while months > 0 and add_months(start, months) > stop:
        months -= 1
    rest = (stop - add_months(start, months)).days
    return (months + rest / AVERAGE_MONTH_DAYS) / 12


def annual_amount(c: Convention, f: Financement) -> AnnualAmount:
    """The annual estimate of one financing line, following the module's rules."""

    def line(annual: float | None, rule: str) -> AnnualAmount:
        return AnnualAmount(c.id, f.financeur, f.mode, f.montant, f.unite,
                            None if annual is None else round(annual, 2), rule)

    if f.montant is None:
        return line(None, "non chiffré : montant non renseigné")
    if f.unite == "par-an":
        return line(f.montant, "montant annuel")
    if f.unite == "total":
        start = c.effet or c.signature
        years = duration_years(start, c.fin) if start and c.fin else None
        if not years:
            return line(None, "non chiffré : montant total sans dates de début et de fin")
        return line(f.montant / years, f"montant total réparti sur {years:.2f} ans".replace(".", ","))
    if f.unite in ("par-enfant", "par-acte"):
        if c.enfants_prevus is None:
            return line(None, "non chiffré : nombre d'enfants prévus non renseigné")
        unit = "par enfant" if f.unite == "par-enfant" else "par acte (un par enfant)"
        return line(f.montant * c.enfants_prevus, f"montant {unit} × {c.enfants_prevus} enfants prévus par an")
    return line(None, "non chiffré : unité du montant non renseignée")


def deadlines(conventions: Iterable[Convention], today: date, horizon_days: int) -> tuple[Deadline, ...]:
    """End and notice dates of running conventions between ``today`` and ``today + horizon_days``."""
    found = []
    for c in conventions:
        if not statuses.running(c.statut):
            continue
        notice = "denonciation" if c.reconduction == "tacite" else "preavis"
        for what, day in ((notice, c.date_preavis), ("fin", c.fin)):
            if day is not None and 0 <= (day - today).days <= horizon_days:
                found.append(Deadline(c.id, c.intitule, c.statut, what, day, (day - today).days))
    found.sort(key=lambda d: (d.day, d.convention_id, d.what))
    return tuple(found)


def _deadlines(conventions: list[Convention], today: date) -> dict[int, tuple[Deadline, ...]]:
    found = deadlines(conventions, today, max(WINDOWS))
    return {w: tuple(d for d in found if d.days_left <= w) for w in WINDOWS}


def compute_followup(model: Model) -> FollowUp:
    conventions = list(model.conventions)
    amounts = tuple(annual_amount(c, f) for c in conventions if statuses.committed(c.statut) for f in c.financements)
    financers = []
    for fid in FINANCERS:
        lines = [a for a in amounts if a.financeur == fid]
        if lines:
            financers.append(FinancerTotal(
                fid, FINANCEURS.short_label(fid), round(sum(a.annual for a in lines if a.annual is not None), 2),
                len(lines),
                sum(a.annual is None for a in lines)))
    totals = {f.financeur: f.annual for f in financers}
    base = totals.get("cpam", 0.0) + totals.get("departement", 0.0)
    territories = tuple(model.vocabularies.get("territoires", {}))
    services: dict[str, Counter[str]] = {}
    for c in conventions:
        if not statuses.running(c.statut):
            continue
        covered = c.territoires or territories
        for service in c.services:
            counter = services.setdefault(service, Counter())
            for t in covered:
                counter[t] += 1
    return FollowUp(
        today=model.today, total=len(conventions),
        by_status=dict(sorted(Counter(c.statut for c in conventions).items())),
        by_type=dict(sorted(Counter(c.type for c in conventions).items())),
        deadlines=_deadlines(conventions, model.today), amounts=amounts, financers=tuple(financers),
        cpam_share=totals.get("cpam", 0.0) / base if base else None,
        services={s: {t: counter.get(t, 0) for t in territories} for s, counter in sorted(services.items())},
        territories=territories,
    )
