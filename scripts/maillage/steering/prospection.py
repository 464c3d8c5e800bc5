"""Prospection: whom to approach where care is missing (internal audience only).

For each gap of the coverage (:class:`~maillage.steering.coverage.Gap`: the communes beyond
the distance threshold of a profession or category), the candidates of that profession or
category found in the national registers by ``maillage import`` are ranked as a recruitment
plan, greedily: first the candidate whose places would bring the most inhabitants of the gap
within the threshold, then the one that adds the most to that, and so on (a candidate that
adds nobody is not suggested). When no candidate is within the threshold of any commune of
the gap, the nearest candidates are listed instead, with their distance. Distances are
straight-line, like the coverage figures.

Candidates are not partners: the model keeps them apart (:attr:`~maillage.core.model.Model.candidates`,
internal audience only, from the internal registry), with their positions (geocoding caches,
else commune centre); :func:`prospects_from_model` turns them into :class:`Prospect` objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from maillage.core import statuses
from maillage.core.gazetteer import haversine_km
from maillage.core.model import Model, Professionnel
from maillage.steering.coverage import CommuneCoverage, Coverage, Gap

DEFAULT_LIMIT = 5


@dataclass(frozen=True, slots=True)
class Prospect:
    """A candidate of the internal registry, where it practises."""

    id: str
    type: str  # "profession" or "categorie", as Kind.type
    code: str  # the vocabulary term
    title: str  # « Jeanne Martin », « CMP de Périers »
    points: tuple[tuple[float, float, str], ...]  # (latitude, longitude, commune)


@dataclass(frozen=True, slots=True)
class Suggestion:
    prospect: Prospect
    communes: tuple[str, ...]  # gap communes it would bring within the threshold (names, farthest first)
    population: int  # their inhabitants (not already counted for an earlier suggestion)
    distance_km: float  # from its nearest place to the nearest commune of the gap
    commune: str  # the commune of that place


@dataclass(frozen=True, slots=True)
class GapPlan:
    gap: Gap
    prospects: int  # candidates of this profession or category
    suggestions: tuple[Suggestion, ...]
    nearest_only: bool  # no candidate within the threshold: the nearest ones are listed
    population_left: int  # inhabitants still beyond the threshold after every suggestion


def _reach(prospect: Prospect, communes: Sequence[CommuneCoverage], threshold: float
           ) -> tuple[set[int], float, str]:
    covered: set[int] = set()
    best, where = math.inf, ""
    for index, c in enumerate(communes):
        for lat, lon, commune in prospect.points:
            d = haversine_km(lat, lon, c.latitude, c.longitude)
            if math.isnan(d):
                continue
            if d <= threshold:
                covered.add(index)
            if d < best:
                best, where = d, commune
    return covered, best, where


def plan_for(gap: Gap, prospects: Iterable[Prospect], limit: int = DEFAULT_LIMIT) -> GapPlan:
    kind = gap.kind
    mine = sorted((p for p in prospects if (p.type, p.code) == kind.key and p.points), key=lambda p: p.id)
    communes = gap.communes_beyond
    threshold = kind.threshold_km or 0.0
    reach = {p.id: _reach(p, communes, threshold) for p in mine}
    left = set(range(len(communes)))
    chosen: list[Suggestion] = []
    remaining = list(mine)
    def gain(p: Prospect, left: set[int]) -> tuple[int, float]:
        covered, distance, _where = reach[p.id]
        return (sum(communes[i].population for i in covered & left), -distance)

    while remaining and len(chosen) < limit:
        best = max(remaining, key=lambda p: gain(p, left))  # ties: the first, i.e. the smallest id
        population = gain(best, left)[0]
        if population <= 0:
            break
        covered, distance, where = reach[best.id]
        new = sorted(covered & left)
        chosen.append(Suggestion(best, tuple(communes[i].nom for i in new), population, distance, where))
        left -= covered
        remaining.remove(best)
    nearest_only = False
    if not chosen and mine:
        nearest_only = True
        for p in sorted(mine, key=lambda p: (reach[p.id][1], p.id))[:limit]:
            _covered, distance, where = reach[p.id]
            chosen.append(Suggestion(p, (), 0, distance, where))
    return GapPlan(gap, len(mine), tuple(chosen), nearest_only, sum(communes[i].population for i in left))


def compute_prospection(coverage: Coverage, prospects: Sequence[Prospect], limit: int = DEFAULT_LIMIT
                        ) -> tuple[GapPlan, ...]:
    """One plan per gap that has communes beyond its threshold, in the coverage's order."""
    return tuple(plan_for(g, prospects, limit) for g in coverage.gaps if g.communes_beyond)


def prospects_from_model(model: Model) -> list[Prospect]:
    """The candidates of a model (none for the public audience) as prospection sees them.

    Candidates (``statut: candidat``, from the internal registry) carry their places with the
    model's positions; the internal ``/territoires/`` page and ``maillage report --audience
    interne`` pass them to :func:`compute_prospection`.
    """
    out = []
    for record in model.candidates:
        if record.statut not in statuses.CANDIDATE:
            continue
        points = tuple((lieu.position.latitude, lieu.position.longitude, lieu.commune) for lieu in record.lieux)
        if isinstance(record, Professionnel):
            out.append(Prospect(record.id, "profession", record.profession, record.nom_complet, points))
        else:
            out.append(Prospect(record.id, "categorie", record.categorie, record.nom, points))
    return out
