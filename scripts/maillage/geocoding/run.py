"""One ``maillage geocode`` run: collect, plan, query, accept or reject, save, summarise.

The cache is only ever merged into (see :meth:`GeoCache.merge`) and saved
atomically: a failed request is never cached, a rejected answer never replaces a
known coordinate, a crash or Ctrl-C leaves the previous file (or the last
checkpoint, itself complete) in place.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from maillage import __version__
from maillage.core import clock, kinds, statuses, testhooks
from maillage.core.gazetteer import Gazetteer
from maillage.core.problems import Problem, problem
from maillage.geocoding.acceptance import DEFAULT_SCORE_MINIMUM, Decision, Verdict, commune_label, decide
from maillage.geocoding.cache import CACHE_FILE, CacheRow, GeoCache, MergeOutcome, normalise_address
from maillage.geocoding.network import Failure, GeocodeFailure, NetworkSettings, RateLimiter, Retrier
from maillage.geocoding.providers import AddressQuery, EndpointError, Provider, make_provider
from maillage.geocoding.resolve import address_label
from maillage.geocoding.sources import GAZETTEER, MANUAL, NETWORK_PROVIDERS
from maillage.load.registry import LoadedRegistry, RawRecord, display_path, load_registry

# A withdrawn record (GDPR objection) must not be sent to a third-party service.
PLACE_KINDS = tuple(k.name for k in kinds.PLACE_KINDS)
PROGRESS_MIN_QUERIES = 20
CHECKPOINT_EVERY = 200
# A checkpoint rewrites the whole cache: beyond CHECKPOINT_EVERY answers, wait for the cache to
# grow by this fraction too (so the total written stays linear in the number of answers: the
# 50,000-address offline run wrote its file 256 times, 20 s of a 29 s run), unless the last
# checkpoint is older than CHECKPOINT_MAX_SECONDS (a slow provider loses at most that much).
CHECKPOINT_GROWTH = 0.1
CHECKPOINT_MAX_SECONDS = 60.0

REASON_NEW = "nouvelle adresse"
REASON_APPROXIMATE = "position approximative (centre de la commune) à préciser"
REASON_REFRESH = "actualisation (--refresh)"
NOT_QUERIED = Failure("not-queried")


class GeocodeConfigError(ValueError):
    """A usage or configuration problem: exit status 2."""


class GeocodeInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run; the answers already received were saved. Carries the partial report."""

    def __init__(self, report: RunReport) -> None:
        super().__init__()
        self.report = report


@dataclass(frozen=True, slots=True)
class Location:
    """One ``lieux`` entry of one record."""

    record: RawRecord
    index: int
    lieu: dict[str, Any]
    key: str

    @property
    def manual(self) -> bool:
        coords = self.lieu.get("coordonnees")
        return isinstance(coords, dict) and "latitude" in coords and "longitude" in coords


@dataclass(frozen=True, slots=True)
class PlannedQuery:
    query: AddressQuery
    reason: str
    locations: tuple[Location, ...]


@dataclass(slots=True)
class Plan:
    locations: list[Location]
    queries: list[PlannedQuery]
    from_cache: int
    manual: int
    addresses: int


@dataclass(slots=True)
class RunReport:
    provider: str
    endpoint: str
    cache_file: str
    plan: Plan
    dry_run: bool = False
    merged: Counter[MergeOutcome] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    kept_previous: int = 0  # rejected or failed, but a known coordinate stays
    fallback: int = 0  # addresses with no coordinate at all: the commune centroid at build time
    retries: int = 0
    stopped_early: bool = False
    cache_written: bool = False
    unused_rows: int = 0
    elapsed: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def queried(self) -> int:
        return sum(self.merged.values()) + sum(self.rejected.values()) + sum(self.failed.values())

    @property
    def accepted(self) -> int:
        return sum(self.merged.values())

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


# --- collect and plan --------------------------------------------------------------

def collect_locations(loaded: LoadedRegistry | Iterable[RawRecord]) -> list[Location]:
    """Every well-formed location of every professional and structure that may be published
    (of a loaded registry, or of the records given)."""
    out: list[Location] = []
    for record in loaded.records if isinstance(loaded, LoadedRegistry) else loaded:
        if record.kind not in PLACE_KINDS or record.data.get("statut") in statuses.WITHDRAWN:
            continue
        lieux = record.data.get("lieux")
        if not isinstance(lieux, list):
            continue
        for index, lieu in enumerate(lieux):
            if not isinstance(lieu, dict):
                continue
            fields = [lieu.get(k) for k in ("adresse", "code_postal", "commune", "code_insee")]
            if not all(isinstance(v, str) and v.strip() for v in fields):
                continue  # « maillage validate » reports it
            out.append(Location(record, index, lieu, normalise_address(*fields[:3])))
    return out


def plan_queries(locations: Iterable[Location], cache: GeoCache, provider: str,
                 refresh: bool) -> Plan:
    """Decide which distinct addresses to ask the provider about, and why."""
    all_locations = list(locations)
    by_key: dict[str, list[Location]] = {}
    manual = 0
    for loc in all_locations:
        if loc.manual:
            manual += 1
        else:
            by_key.setdefault(loc.key, []).append(loc)
    queries: list[PlannedQuery] = []
    from_cache = 0
    for key in sorted(by_key):
        locs = by_key[key]
        row = cache.lookup(key)
        reason = _query_reason(row, provider, refresh)
        if reason is None:
            from_cache += 1
            continue
        first = locs[0].lieu
        query = AddressQuery(key, first["adresse"].strip(), first["code_postal"].strip(),
                             first["commune"].strip(), first["code_insee"].strip())
        queries.append(PlannedQuery(query, reason, tuple(locs)))
    addresses = len(by_key)
    return Plan(all_locations, queries, from_cache, manual, addresses)


def _query_reason(row: CacheRow | None, provider: str, refresh: bool) -> str | None:
    if row is None:
        return REASON_NEW
    if row.precision == MANUAL:
        return None  # pinned by hand: nothing can replace it
    if refresh:
        return REASON_REFRESH
    if row.provider == GAZETTEER and provider in NETWORK_PROVIDERS:
        return REASON_APPROXIMATE
    return None


# --- the run -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Outcome:
    planned: PlannedQuery
    decision: Decision | None
    failure: GeocodeFailure | None


def registry_settings(loaded: LoadedRegistry, provider: str) -> tuple[float, str]:
    """``geocodage.score_minimum`` and ``geocodage.user_agent`` from registre.yaml."""
    geo = loaded.meta.get("geocodage") or {}
    if not isinstance(geo, dict):
        raise GeocodeConfigError(f"{loaded.meta_file} : « geocodage » doit être un bloc de réglages.")
    score = geo.get("score_minimum", DEFAULT_SCORE_MINIMUM)
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        raise GeocodeConfigError(
            f"{loaded.meta_file} : « geocodage.score_minimum » doit être un nombre entre 0 et 1."
        )
    agent = geo.get("user_agent")
    if provider == "nominatim" and not (isinstance(agent, str) and agent.strip()):
        raise GeocodeConfigError(
            f"{loaded.meta_file} : Nominatim exige un agent utilisateur identifiant, avec un contact : "
            "renseignez « geocodage.user_agent »."
        )
    if not isinstance(agent, str) or not agent.strip():
        agent = f"maillage/{__version__}"
    return float(score), agent.strip()


def geocode_registry(root: Path, provider_name: str = "ban", endpoint: str | None = None,
                     refresh: bool = False, dry_run: bool = False,
                     settings: NetworkSettings | None = None, gazetteer: Gazetteer | None = None,
                     progress: bool | None = None, checkpoint_every: int = CHECKPOINT_EVERY,
                     internal: Path | None = None) -> RunReport:
    """Geocode the registry at ``root`` and update its cache.

    With ``internal`` (the internal registry), geocode instead the records that exist only in
    the internal registry, into its own cache (``<internal>/geocodage.csv``): nothing internal
    is written into the public tree. Addresses already in the public cache are not asked again.

    Raises :class:`GeocodeConfigError` (bad settings or ``--endpoint``),
    :class:`~maillage.geocoding.cache.CacheError` (unreadable cache, left untouched)
    and :class:`~maillage.registry.RegistryNotFound`.
    """
    started = time.monotonic()
    loaded = load_registry(root)
    gazetteer = gazetteer or Gazetteer.load()
    score_minimum, user_agent = registry_settings(loaded, provider_name)
    try:
        provider = make_provider(provider_name, endpoint, user_agent, gazetteer, settings)
    except EndpointError as exc:
        raise GeocodeConfigError(str(exc)) from None
    if internal is None:
        cache_path = Path(root) / CACHE_FILE
        cache = GeoCache.load(cache_path)
        locations = collect_locations(loaded)
    else:
        from maillage.load.registry import load_internal

        inner = load_internal(internal, root)
        public_cache = GeoCache.load(Path(root) / CACHE_FILE)
        public_ids = {r.id for r in loaded.records}
        cache_path = Path(internal) / CACHE_FILE
        cache = GeoCache.load(cache_path)
        locations = [loc for loc in collect_locations(r for r in inner.records if r.id not in public_ids)
                     if loc.key not in public_cache]
    plan = plan_queries(locations, cache, provider.name, refresh)
    report = RunReport(provider_name, provider.endpoint, display_path(cache_path), plan, dry_run)
    if not dry_run:
        runner = _Runner(provider, cache, score_minimum, gazetteer, report, checkpoint_every)
        try:
            runner.run(plan.queries, _show_progress(progress, len(plan.queries)))
        except KeyboardInterrupt:
            report.cache_written = cache.save(cache_path) or runner.checkpointed
            report.elapsed = time.monotonic() - started
            raise GeocodeInterrupted(report) from None
        report.cache_written = cache.save(cache_path) or runner.checkpointed
        testhooks.reached("geocodage-enregistre")
    used = {loc.key for loc in plan.locations}
    report.unused_rows = sum(1 for row in cache if row.key not in used)
    report.fallback = len({loc.key for loc in plan.locations
                           if not loc.manual and cache.lookup(loc.key) is None})
    report.problems.sort(key=lambda p: (p.file, p.line, p.column, p.code))
    report.elapsed = time.monotonic() - started
    return report


def _show_progress(requested: bool | None, total: int) -> bool:
    if requested is not None:
        return requested
    return total >= PROGRESS_MIN_QUERIES and sys.stderr.isatty()


class _Runner:
    def __init__(self, provider: Provider, cache: GeoCache, score_minimum: float,
                 gazetteer: Gazetteer, report: RunReport, checkpoint_every: int) -> None:
        self.provider = provider
        self.cache = cache
        self.score_minimum = score_minimum
        self.gazetteer = gazetteer
        self.report = report
        self.checkpoint_every = max(1, checkpoint_every)
        self.checkpointed = False
        self.stop = threading.Event()
        settings = provider.settings
        limiter = RateLimiter(settings.rate_per_second) if settings else None
        self.retrier: Retrier[Any] | None = Retrier(settings, limiter, self.stop) if settings else None
        self.workers = settings.workers if settings else 1
        self.max_failures = settings.max_consecutive_failures if settings else 0
        self._consecutive_failures = 0
        self._lock = threading.Lock()
        self.today = clock.today().isoformat()

    def run(self, queries: list[PlannedQuery], show_progress: bool) -> None:
        if not queries:
            return
        bar = tqdm(total=len(queries), desc="Géocodage", unit="adresse", file=sys.stderr,
                   disable=not show_progress, leave=False)
        since_checkpoint, last_checkpoint = 0, time.monotonic()
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="geocode")
        try:
            futures: list[Future[_Outcome]] = [pool.submit(self.one, q) for q in queries]
            for future in as_completed(futures):
                recorded = self.record(future.result())
                testhooks.reached("geocodage-reponses")
                if recorded:
                    since_checkpoint += 1
                    if since_checkpoint >= self.checkpoint_every and (
                            since_checkpoint >= CHECKPOINT_GROWTH * len(self.cache)
                            or time.monotonic() - last_checkpoint >= CHECKPOINT_MAX_SECONDS):
                        self.checkpointed |= self.cache.save()
                        testhooks.reached("geocodage-enregistre")
                        since_checkpoint, last_checkpoint = 0, time.monotonic()
                bar.update(1)
        except BaseException:
            self.stop.set()  # Ctrl-C or a crash: let the workers give up at once
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            bar.close()
            pool.shutdown(wait=True)
            if self.retrier is not None:
                self.report.retries = self.retrier.retries

    def one(self, planned: PlannedQuery) -> _Outcome:
        """Runs in a worker thread: network only, no shared state but the counters."""
        if self.stop.is_set():
            return _Outcome(planned, None, GeocodeFailure(NOT_QUERIED))
        try:
            if self.retrier is None:
                candidates = self.provider.search(planned.query)
            else:
                candidates = self.retrier.call(lambda: self.provider.search(planned.query))
        except GeocodeFailure as failure:
            with self._lock:
                self._consecutive_failures += 1
                if self.max_failures and self._consecutive_failures >= self.max_failures:
                    self.report.stopped_early = True
                    self.stop.set()
            return _Outcome(planned, None, failure)
        with self._lock:
            self._consecutive_failures = 0
        decision = decide(planned.query, candidates, self.score_minimum, self.gazetteer)
        return _Outcome(planned, decision, None)

    def record(self, outcome: _Outcome) -> bool:
        """Merge an outcome into the cache and the report (main thread). True if merged."""
        report, query = self.report, outcome.planned.query
        previous = self.cache.lookup(query.key)
        if outcome.decision is not None and outcome.decision.accepted:
            cand = outcome.decision.candidate
            assert cand is not None and cand.precision is not None
            row = CacheRow(query.key, cand.latitude, cand.longitude, cand.precision, cand.score,
                           self.provider.name, cand.label, cand.citycode or query.code_insee,
                           self.today)
            report.merged[self.cache.merge(row)] += 1
            return True
        # What becomes of the place: a reason of the catalogue's « fallback » field.
        fallback: dict[str, object] = ({"fallback": "kept", "precision": previous.precision} if previous
                                       else {"fallback": "centroid"})
        if previous:
            report.kept_previous += 1
        failure = outcome.failure
        if failure is not None:
            report.failed[failure.reason] += 1
            self.warn(outcome.planned, "geocode-failed", reason=failure.failure.reason, **failure.failure.fields,
                      attempts=failure.attempts if failure.attempts > 1 else None, **fallback)
            return False
        decision = outcome.decision
        assert decision is not None
        report.rejected[decision.verdict.value] += 1
        cand = decision.candidate
        if decision.verdict is Verdict.NO_RESULT or cand is None:
            self.warn(outcome.planned, "geocode-no-result", **fallback)
        elif decision.verdict is Verdict.WRONG_COMMUNE:
            self.warn(outcome.planned, "geocode-wrong-commune", label=cand.label,
                      found=commune_label(cand.citycode, self.gazetteer), commune=query.commune,
                      code_insee=query.code_insee, **fallback)
        elif decision.verdict is Verdict.TOO_VAGUE:
            self.warn(outcome.planned, "geocode-too-vague", label=cand.label, **fallback)
        else:
            assert cand.score is not None  # a low score is a score
            self.warn(outcome.planned, "geocode-low-score", label=cand.label, score=cand.score,
                      threshold=self.score_minimum, **fallback)
        return False

    def warn(self, planned: PlannedQuery, code: str, **fields: object) -> None:
        for loc in planned.locations:
            line, column = loc.record.locate(("lieux", loc.index, "adresse"))
            self.report.problems.append(problem(
                code, loc.record.file, line, column, path=f"lieux[{loc.index}].adresse",
                address=address_label(loc.lieu), **fields))


