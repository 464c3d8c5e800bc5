"""Freshness of the registry: how long ago each record was last verified (``verifie_le``).

Buckets follow the verification period ``seuils.verification_mois`` of ``registre.yaml``
(``N``, 12 by default): *recent* (verified less than N/2 months ago), *to check soon*
(between N/2 and N months) and *stale* (more than N months). Months are calendar months:
a record verified on 15 March is "6 months old" from 15 September.

Professionals and structures are counted (conventions have no verification date).
Records whose activity has stopped (``cesse``) are left out: their freshness no longer
matters. A record is counted once in each territory where it has a place; places
outside every territory are counted under ``None``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from maillage.core import kinds, statuses
from maillage.core.model import Model, Professionnel, Structure, add_months

BUCKETS = ("recent", "a-verifier", "perime")
KINDS = tuple(k.name for k in kinds.KINDS if k.verified)


@dataclass(frozen=True, slots=True)
class StaleRecord:
    id: str
    kind: str
    titre: str
    verifie_le: date
    months: int  # whole months since the verification
    territories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Freshness:
    today: date
    period_months: int  # seuils.verification_mois
    bucket_labels: dict[str, str]  # bucket -> French label ("moins de 6 mois"…)
    by_kind: dict[str, dict[str, int]]  # kind -> bucket -> records
    by_territory: dict[str | None, dict[str, int]]  # territory (None: outside) -> bucket -> records
    stale: tuple[StaleRecord, ...]  # not verified for more than ``stale_months``, oldest first
    stale_months: int

    @property
    def total(self) -> dict[str, int]:
        return {b: sum(counts[b] for counts in self.by_kind.values()) for b in BUCKETS}


def months_since(day: date, today: date) -> int:
    """Whole calendar months from ``day`` to ``today`` (0 if ``day`` is in the future)."""
    months = (today.year - day.year) * 12 + today.month - day.month
    if months > 0 and add_months(day, months) > today:
        months -= 1
    return max(months, 0)


def bucket_of(day: date, today: date, period_months: int) -> str:
    half = period_months / 2
    if add_months(day, period_months) < today:
        return "perime"
    return "recent" if months_since(day, today) < half else "a-verifier"


def bucket_labels(period_months: int) -> dict[str, str]:
    half = f"{period_months / 2:g}".replace(".", ",")
    return {"recent": f"moins de {half} mois", "a-verifier": f"de {half} à {period_months} mois",
            "perime": f"plus de {period_months} mois"}


def compute_freshness(model: Model, stale_months: int | None = None) -> Freshness:
    """Freshness figures; ``stale_months`` defaults to ``seuils.verification_mois``."""
    period = model.meta.verification_mois
    limit = period if stale_months is None else stale_months
    today = model.today
    by_kind = {k: Counter[str]() for k in KINDS}
    territory_ids: list[str | None] = list(model.vocabularies.get("territoires", {}))
    by_territory: dict[str | None, Counter[str]] = {t: Counter() for t in territory_ids}
    stale = []
    records: list[Professionnel | Structure] = [*model.professionnels, *model.structures]
    for r in records:
        if r.statut not in statuses.LISTED_PUBLICLY:
            continue
        bucket = bucket_of(r.verifie_le, today, period)
        by_kind[r.kind][bucket] += 1
        places = sorted({lieu.territoire or "" for lieu in r.lieux})
        for t in places:
            by_territory.setdefault(t or None, Counter())[bucket] += 1
        if add_months(r.verifie_le, limit) < today:
            stale.append(StaleRecord(r.id, r.kind, r.titre, r.verifie_le, months_since(r.verifie_le, today),
                                     tuple(t for t in places if t)))
    stale.sort(key=lambda s: (s.verifie_le, s.kind, s.id))
    return Freshness(
        today=today, period_months=period, bucket_labels=bucket_labels(period),
        by_kind={k: {b: c[b] for b in BUCKETS} for k, c in by_kind.items()},
        by_territory={t: {b: c[b] for b in BUCKETS} for t, c in by_territory.items()},
        stale=tuple(stale), stale_months=limit,
    )
