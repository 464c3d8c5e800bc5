"""Coverage of the département: how far each commune is from each kind of resource.

For every commune of the département (from the gazetteer, with its INSEE 2021 municipal
population) and every *kind* (a profession of the ``professions`` vocabulary, or a
structure category of the ``categories`` vocabulary), :func:`compute_coverage` finds
the nearest **active** record (``statut: actif``) of that kind. Any place (``lieux``)
of a record counts. Distances are **straight-line** great-circle distances (haversine,
in kilometres) between the commune centroid and the place: not travel times.

Rules worth knowing:

* A commune with no active record of a kind anywhere gets ``distance_km = None`` for
  that kind; it counts as beyond the threshold (the resource is missing, not near).
* Ties (exactly equal distances, typically two records at the same address or at the
  same commune centroid) go to the smallest record id, then the smallest place number.
* Thresholds come from ``seuils.distances_km`` of ``registre.yaml``
  (:attr:`maillage.model.Meta.distances_km`); kinds without a threshold get no gap
  figures, only distances.
* For professions, a second nearest is computed among the professionals who accept new
  patients (``nouveaux_patients.accepte == "oui"``).
* Territory figures count a record once in each territory where it has a place;
  places outside every territory are counted under ``None`` ("hors territoires").

Speed: the nearest search sorts the places of each kind by latitude and walks outwards
from the commune's latitude, stopping as soon as the latitude difference alone (a lower
bound of the great-circle distance) exceeds the best distance found. It is exact, and
takes well under a second for ~450 communes × 10,000 records (see ``docs/benchmarks.md``).
"""

from __future__ import annotations

import math
import statistics
import weakref
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from maillage.core import statuses
from maillage.core.gazetteer import EARTH_RADIUS_KM, Commune, Gazetteer
from maillage.core.model import Model, Professionnel, Structure

KindType = Literal["profession", "categorie"]
DISTANCE_NOTE = ("Distances à vol d'oiseau (en ligne droite) entre le centre de chaque commune et le lieu "
                 "d'exercice actif le plus proche : ce ne sont pas des temps de trajet. Population municipale "
                 "INSEE 2021.")
_ROUNDING_SLACK_KM = 1e-9


@dataclass(frozen=True, slots=True)
class Kind:
    """A profession or a structure category, with its distance threshold if any."""

    type: KindType
    code: str
    label: str
    threshold_km: float | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.code)


@dataclass(frozen=True, slots=True)
class Nearest:
    """The nearest active record of a kind from a commune centroid (all ``None`` if there is none)."""

    distance_km: float | None = None
    record_id: str | None = None
    lieu: int | None = None  # place number (1-based) within the record
    commune: str | None = None  # name of the commune of that place


NONE = Nearest()


@dataclass(frozen=True, slots=True)
class CommuneCoverage:
    code_insee: str
    nom: str
    population: int
    latitude: float
    longitude: float
    territory: str | None
    nearest: dict[tuple[str, str], Nearest]  # Kind.key -> nearest active record
    nearest_accepting: dict[str, Nearest]  # profession -> nearest professional accepting new patients

    def distance(self, kind: Kind, accepting: bool = False) -> float | None:
        if accepting:
            return self.nearest_accepting.get(kind.code, NONE).distance_km
        return self.nearest.get(kind.key, NONE).distance_km


@dataclass(frozen=True, slots=True)
class Gap:
    """Communes beyond the threshold of one kind, weighted by population."""

    kind: Kind
    records: int  # active records of this kind
    communes_beyond: tuple[CommuneCoverage, ...]  # farthest first (no record at all first)
    population_beyond: int
    population_total: int
    # Professions only: the same, counting only professionals who accept new patients.
    records_accepting: int | None = None
    communes_beyond_accepting: tuple[CommuneCoverage, ...] | None = None
    population_beyond_accepting: int | None = None

    @property
    def share_beyond(self) -> float:
        return self.population_beyond / self.population_total if self.population_total else 0.0


@dataclass(frozen=True, slots=True)
class WaitingTimes:
    """Indicative waiting times in weeks (declared by the records, not measured)."""

    count: int
    median: float | None
    mean: float | None

    @classmethod
    def of(cls, weeks: Sequence[int]) -> WaitingTimes:
        if not weeks:
            return cls(0, None, None)
        return cls(len(weeks), float(statistics.median(weeks)), statistics.fmean(weeks))


@dataclass(frozen=True, slots=True)
class TerritoryFigures:
    id: str | None  # None: places outside every territory
    label: str
    communes: int
    population: int
    professionals: dict[str, int]  # profession -> active professionals with a place here
    structures: dict[str, int]  # category -> active structures with a place here
    sante_protegee: dict[str, int]  # role -> active professionals
    accepting_new: int
    waiting_professionals: WaitingTimes
    waiting_structures: WaitingTimes

    @property
    def professionals_total(self) -> int:
        return sum(self.professionals.values())

    @property
    def structures_total(self) -> int:
        return sum(self.structures.values())


@dataclass(frozen=True, slots=True)
class Coverage:
    departement_code: str
    departement_nom: str
    kinds: tuple[Kind, ...]  # kinds with a threshold or at least one active record
    communes: tuple[CommuneCoverage, ...]  # sorted by INSEE code
    gaps: tuple[Gap, ...]  # one per kind with a threshold, in ``kinds`` order
    territories: tuple[TerritoryFigures, ...]  # in id order, then "hors territoires" if any
    records: dict[tuple[str, str], int]  # Kind.key -> active records

    @property
    def population(self) -> int:
        return sum(c.population for c in self.communes)

    def kind(self, type_: str, code: str) -> Kind:
        for k in self.kinds:
            if k.key == (type_, code):
                return k
        raise KeyError((type_, code))

    def gap(self, type_: str, code: str) -> Gap | None:
        return next((g for g in self.gaps if g.kind.key == (type_, code)), None)


# --- nearest search ------------------------------------------------------------------


@dataclass(slots=True)
class _Points:
    """Places of one kind, sorted by latitude, with precomputed trigonometry."""

    lat: list[float]
    lon: list[float]
    phi: list[float]
    cos_phi: list[float]
    key: list[tuple[str, int]]  # (record id, place number)
    commune: list[str]

    @classmethod
    def build(cls, places: Iterable[tuple[float, float, str, int, str]]) -> _Points:
        rows = sorted(p for p in places if not (math.isnan(p[0]) or math.isnan(p[1])))
        phi = [math.radians(r[0]) for r in rows]
        return cls([r[0] for r in rows], [r[1] for r in rows], phi, [math.cos(p) for p in phi],
                   [(r[2], r[3]) for r in rows], [r[4] for r in rows])

    def nearest(self, lat: float, lon: float) -> Nearest:
        n = len(self.lat)
        if n == 0 or math.isnan(lat) or math.isnan(lon):
            return NONE
        phi1 = math.radians(lat)
        cos1 = math.cos(phi1)
        sin, sqrt, asin, radians = math.sin, math.sqrt, math.asin, math.radians
        two_r = 2 * EARTH_RADIUS_KM
        plat, plon, pphi, pcos, pkey = self.lat, self.lon, self.phi, self.cos_phi, self.key
        best_d = math.inf
        best_key: tuple[str, int] = ("", 0)
        best_i = -1
        hi = bisect_left(plat, lat)
        lo = hi - 1
        while lo >= 0 or hi < n:
            # Walk towards the side whose next place is closer in latitude.
            if hi >= n or (lo >= 0 and lat - plat[lo] <= plat[hi] - lat):
                i = lo
                lo -= 1
            else:
                i = hi
                hi += 1
            dphi = pphi[i] - phi1
            if EARTH_RADIUS_KM * abs(dphi) > best_d + _ROUNDING_SLACK_KM:
                # This was the closest remaining place in latitude: every other one is
                # at least as far in latitude alone, so none can be nearer.
                break
            # Same formula, same operation order as gazetteer.haversine_km.
            a = sin(dphi / 2) ** 2 + cos1 * pcos[i] * sin(radians(plon[i] - lon) / 2) ** 2
            root = sqrt(a)
            d = two_r * asin(1.0 if root > 1.0 else root)
            if d < best_d or (d == best_d and pkey[i] < best_key):
                best_d, best_key, best_i = d, pkey[i], i
        record_id, numero = best_key
        return Nearest(best_d, record_id, numero, self.commune[best_i])


def _places(records: Iterable[Professionnel | Structure]) -> list[tuple[float, float, str, int, str]]:
    return [(lieu.position.latitude, lieu.position.longitude, r.id, lieu.numero, lieu.commune)
            for r in records for lieu in r.lieux]


# --- figures -------------------------------------------------------------------------


def _kinds(model: Model, active_p: list[Professionnel], active_s: list[Structure]) -> tuple[Kind, ...]:
    thresholds = dict(model.meta.distances_km)
    present = {("profession", p.profession) for p in active_p} | {("categorie", s.categorie) for s in active_s}
    kinds = []
    for type_, vocabulary in (("profession", "professions"), ("categorie", "categories")):
        codes = set(model.vocabularies.get(vocabulary, {})) | {c for t, c in present if t == type_}
        for code in codes:
            threshold = thresholds.get(code)
            if threshold is not None or (type_, code) in present:
                kinds.append(Kind(type_, code, model.label(vocabulary, code), threshold))  # type: ignore[arg-type]
    return tuple(sorted(kinds, key=lambda k: (k.type != "profession", k.label.casefold(), k.code)))


def _beyond(communes: Sequence[CommuneCoverage], kind: Kind, accepting: bool) -> tuple[CommuneCoverage, ...]:
    assert kind.threshold_km is not None
    out = [c for c in communes if (d := c.distance(kind, accepting)) is None or d > kind.threshold_km]

    def order(c: CommuneCoverage) -> tuple[float, str]:
        d = c.distance(kind, accepting)
        return (-math.inf if d is None else -d, c.code_insee)

    return tuple(sorted(out, key=order))


def _territories(model: Model, communes: Sequence[Commune], active_p: list[Professionnel],
                 active_s: list[Structure]) -> tuple[TerritoryFigures, ...]:
    order = list(model.vocabularies.get("territoires", {}))
    prof: dict[str | None, Counter[str]] = defaultdict(Counter)
    struct: dict[str | None, Counter[str]] = defaultdict(Counter)
    roles: dict[str | None, Counter[str]] = defaultdict(Counter)
    accepting: Counter[str | None] = Counter()
    wait_p: dict[str | None, list[int]] = defaultdict(list)
    wait_s: dict[str | None, list[int]] = defaultdict(list)
    for p in active_p:
        for t in {lieu.territoire for lieu in p.lieux}:
            prof[t][p.profession] += 1
            if p.sante_protegee:
                roles[t][p.sante_protegee.role] += 1
            if p.takes_new_patients:
                accepting[t] += 1
            if p.nouveaux_patients and p.nouveaux_patients.delai_semaines is not None:
                wait_p[t].append(p.nouveaux_patients.delai_semaines)
    for s in active_s:
        for t in {lieu.territoire for lieu in s.lieux}:
            struct[t][s.categorie] += 1
            if s.delai_attente_semaines is not None:
                wait_s[t].append(s.delai_attente_semaines)
    n_communes: Counter[str | None] = Counter()
    population: Counter[str | None] = Counter()
    for c in communes:
        t = model.territory_of.get(c.code_insee)
        n_communes[t] += 1
        population[t] += c.population
    ids: list[str | None] = [*order]
    if None in prof or None in struct:
        ids.append(None)
    return tuple(
        TerritoryFigures(
            id=t, label=model.label("territoires", t) if t else "Hors territoires",
            communes=n_communes[t] if t else 0, population=population[t] if t else 0,
            professionals=dict(sorted(prof[t].items())), structures=dict(sorted(struct[t].items())),
            sante_protegee=dict(sorted(roles[t].items())), accepting_new=accepting[t],
            waiting_professionals=WaitingTimes.of(sorted(wait_p[t])),
            waiting_structures=WaitingTimes.of(sorted(wait_s[t])),
        )
        for t in ids
    )


def compute_coverage(model: Model, communes: Sequence[Commune] | None = None) -> Coverage:
    """Coverage figures of the model's département (or of the given communes)."""
    if communes is None:
        communes = Gazetteer.load().in_departement(model.meta.departement_code)
    communes = sorted(communes, key=lambda c: c.code_insee)
    active_p = [p for p in model.professionnels if statuses.is_available(p.statut)]
    active_s = [s for s in model.structures if statuses.is_available(s.statut)]
    kinds = _kinds(model, active_p, active_s)

    by_kind: dict[tuple[str, str], list[Professionnel | Structure]] = defaultdict(list)
    accepting: dict[str, list[Professionnel]] = defaultdict(list)
    for p in active_p:
        by_kind[("profession", p.profession)].append(p)
        if p.takes_new_patients:
            accepting[p.profession].append(p)
    for s in active_s:
        by_kind[("categorie", s.categorie)].append(s)

    points = {k.key: _Points.build(_places(by_kind.get(k.key, ()))) for k in kinds}
    points_accepting = {k.code: _Points.build(_places(accepting.get(k.code, ())))
                        for k in kinds if k.type == "profession"}

    rows = []
    for c in communes:
        rows.append(CommuneCoverage(
            code_insee=c.code_insee, nom=c.nom_article, population=c.population, latitude=c.latitude,
            longitude=c.longitude, territory=model.territory_of.get(c.code_insee),
            nearest={key: pts.nearest(c.latitude, c.longitude) for key, pts in points.items()},
            nearest_accepting={code: pts.nearest(c.latitude, c.longitude) for code, pts in points_accepting.items()},
        ))
    total = sum(c.population for c in rows)
    gaps = []
    for k in kinds:
        if k.threshold_km is None:
            continue
        beyond = _beyond(rows, k, accepting=False)
        gap = Gap(k, len(by_kind.get(k.key, ())), beyond, sum(c.population for c in beyond), total)
        if k.type == "profession":
            beyond_a = _beyond(rows, k, accepting=True)
            gap = Gap(k, gap.records, beyond, gap.population_beyond, total, len(accepting.get(k.code, ())),
                      beyond_a, sum(c.population for c in beyond_a))
        gaps.append(gap)
    return Coverage(
        departement_code=model.meta.departement_code, departement_nom=model.meta.departement_nom,
        kinds=kinds, communes=tuple(rows), gaps=tuple(gaps),
        territories=_territories(model, communes, active_p, active_s),
        records={k.key: len(by_kind.get(k.key, ())) for k in kinds},
    )


_CACHE: dict[int, tuple[weakref.ref[Model], Coverage]] = {}


def cached_coverage(model: Model) -> Coverage:
    """``compute_coverage(model)``, computed once per model object (pages and exports share it)."""
    key = id(model)
    entry = _CACHE.get(key)
    if entry is not None and entry[0]() is model:
        return entry[1]
    coverage = compute_coverage(model)
    _CACHE[key] = (weakref.ref(model, lambda _ref, key=key: _CACHE.pop(key, None)), coverage)
    return coverage
