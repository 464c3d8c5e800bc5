"""Rate limiting, retries and endpoints: the politeness rules, without any real network."""

from __future__ import annotations

import threading

import pytest
from geopy.exc import GeocoderParseError, GeocoderRateLimited, GeocoderServiceError, GeocoderUnavailable

from maillage.geocoding.network import GeocodeFailure, NetworkSettings, RateLimiter, Retrier
from maillage.geocoding.providers import (
    DEFAULT_SETTINGS,
    BanProvider,
    EndpointError,
    nominatim_precision,
    parse_endpoint,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_rate_limiter_spaces_request_starts() -> None:
    clock = FakeClock()
    limiter = RateLimiter(40, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(81):
        limiter.wait()
        starts.append(clock.now)
    assert starts[-1] - starts[0] == pytest.approx(2.0)  # 80 intervals of 1/40 s
    assert max(sum(1 for s in starts if t <= s < t + 1) for t in starts) == 40


def test_rate_limiter_pause_pushes_the_next_slot() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    limiter.wait()
    limiter.pause(5)
    limiter.wait()
    assert clock.now == pytest.approx(105.0)


def test_rate_limiter_is_shared_by_threads() -> None:
    limiter = RateLimiter(200)
    import time

    starts: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(10):
            limiter.wait()
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts.sort()
    assert starts[-1] - starts[0] >= 39 / 200 * 0.95


SETTINGS = NetworkSettings(rate_per_second=1000, workers=1, timeout=1, attempts=3, backoff=0.001)


def failing(*errors: Exception, result: object = "ok"):  # type: ignore[no-untyped-def]
    queue = list(errors)

    def request() -> object:
        if queue:
            raise queue.pop(0)
        return result

    return request


def test_retrier_retries_429_and_unavailable_then_returns() -> None:
    retrier: Retrier[object] = Retrier(SETTINGS, None)
    assert retrier.call(failing(GeocoderRateLimited("429"), GeocoderUnavailable("refused"))) == "ok"
    assert retrier.retries == 2


def test_retrier_never_swallows_errors_into_none() -> None:
    retrier: Retrier[object] = Retrier(SETTINGS, None)
    with pytest.raises(GeocodeFailure, match="service injoignable, 3 essais"):
        retrier.call(failing(*[GeocoderUnavailable("refused")] * 5))


def test_retrier_does_not_retry_garbage() -> None:
    retrier: Retrier[object] = Retrier(SETTINGS, None)
    with pytest.raises(GeocodeFailure, match="réponse illisible"):
        retrier.call(failing(GeocoderParseError("bad json"), result="never"))
    assert retrier.retries == 0


def test_retrier_retries_a_bare_service_error() -> None:
    retrier: Retrier[object] = Retrier(SETTINGS, None)
    assert retrier.call(failing(GeocoderServiceError("boom"))) == "ok"


def test_retrier_honours_retry_after_within_the_cap() -> None:
    settings = NetworkSettings(rate_per_second=1000, workers=1, timeout=1, attempts=2, backoff=0.001,
                               max_backoff=0.05)
    clock = FakeClock()
    limiter = RateLimiter(1000, clock=clock, sleep=clock.sleep)
    retrier: Retrier[object] = Retrier(settings, limiter)
    assert retrier.call(failing(GeocoderRateLimited("429", retry_after=3600))) == "ok"
    assert clock.now - 100.0 == pytest.approx(0.05, abs=0.01)  # the limiter waited the capped delay


def test_stop_event_cuts_retries_short() -> None:
    stop = threading.Event()
    stop.set()
    retrier: Retrier[object] = Retrier(SETTINGS, None, stop)
    with pytest.raises(GeocodeFailure, match="interrompue"):
        retrier.call(failing(result="never"))


def test_default_limits_respect_the_providers_rules() -> None:
    assert DEFAULT_SETTINGS["ban"].rate_per_second <= 40  # Géoplateforme allows 50/s per IP
    assert DEFAULT_SETTINGS["nominatim"].rate_per_second <= 1 and DEFAULT_SETTINGS["nominatim"].workers == 1


@pytest.mark.parametrize("url,expected", [
    ("https://data.geopf.fr/geocodage", ("https", "data.geopf.fr/geocodage")),
    ("https://data.geopf.fr/geocodage/", ("https", "data.geopf.fr/geocodage")),
    ("https://data.geopf.fr/geocodage/search", ("https", "data.geopf.fr/geocodage")),
    ("http://127.0.0.1:8123", ("http", "127.0.0.1:8123")),
])
def test_endpoint_is_split_for_geopy(url: str, expected: tuple[str, str]) -> None:
    assert parse_endpoint(url) == expected


@pytest.mark.parametrize("url", ["ftp://x", "data.geopf.fr", "http://", "https://h/?q=1", "http://h:99999",
                                 "https://user:pw@h"])
def test_bad_endpoint_is_refused(url: str) -> None:
    with pytest.raises(EndpointError):
        parse_endpoint(url)


def test_default_endpoint_is_the_geoplateforme() -> None:
    assert BanProvider(None, "test").search_url == "https://data.geopf.fr/geocodage/search"
    assert BanProvider("http://127.0.0.1:8123", "test").search_url == "http://127.0.0.1:8123/search"


@pytest.mark.parametrize("raw,precision", [
    ({"place_rank": 30, "address": {"house_number": "12"}}, "numero"),
    ({"place_rank": 26, "address": {}}, "rue"),
    ({"place_rank": 20, "address": {}}, "lieu-dit"),
    ({"place_rank": 16, "address": {}}, "commune"),
    ({"place_rank": 12, "address": {}}, None),
])
def test_nominatim_rank_to_precision(raw: dict[str, object], precision: str | None) -> None:
    assert nominatim_precision(raw) == precision
