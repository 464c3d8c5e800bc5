"""Politeness and robustness around a geocoder: rate limit, timeout, retries with backoff.

geopy's own ``RateLimiter`` swallows exceptions into ``None`` by default, which
would turn a network failure into "no result". This module never does that: a
request either returns the geocoder's answer or raises :class:`GeocodeFailure`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from geopy.adapters import AdapterHTTPError
from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderParseError,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)

from maillage.core.problems import phrase

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    """How hard a run may push a geocoder. Tests shrink the timeout and the backoff."""

    rate_per_second: float  # request starts per second, all threads together
    workers: int  # requests in flight at once
    timeout: float  # seconds per request
    attempts: int = 4  # 1 request + 3 retries on 429, 5xx, timeouts, lost connections
    backoff: float = 0.5  # first retry delay in seconds, doubled at each retry
    max_backoff: float = 30.0
    max_consecutive_failures: int = 20  # then the run stops querying (the service is down)


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a request got no answer: a reason of « geocode-failed » in the catalogue, with its fields."""

    reason: str
    fields: dict[str, object] = field(default_factory=dict)

    def text(self) -> str:
        """The reason in French (from the catalogue), e.g. « service injoignable »."""
        return phrase("geocode-failed", "reason", self.reason, **self.fields)


INTERRUPTED = Failure("interrupted")


class GeocodeFailure(Exception):
    """A request that did not get an answer: never cached, never read as "no result"."""

    def __init__(self, failure: Failure, attempts: int = 1) -> None:
        self.failure = failure
        self.attempts = attempts
        # Counted by reason in the run's summary: « service injoignable, 3 essais ».
        self.reason = failure.text() + (f", {attempts} essais" if attempts > 1 else "")
        super().__init__(self.reason)


class RateLimiter:
    """At most ``rate`` request starts per second, shared by every thread.

    Two successive starts are at least ``1 / rate`` seconds apart, measured on the
    time each caller is actually let through (not on a reserved slot, which a
    late thread could overshoot and so squeeze the next interval); :meth:`pause`
    pushes the next start back (when the server answers 429 with ``Retry-After``).
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next = -float("inf")
        self._lock = threading.Lock()

    def wait(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                if now >= self._next:
                    self._next = now + self.interval
                    return
                delay = self._next - now
            self._sleep(delay)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


def http_status(exc: BaseException) -> int | None:
    cause = exc.__cause__
    return cause.status_code if isinstance(cause, AdapterHTTPError) else None


def is_retryable(exc: BaseException) -> bool:
    """429, 5xx, timeouts and lost connections are worth another try; 4xx and garbage are not."""
    if isinstance(exc, GeocoderRateLimited | GeocoderTimedOut | GeocoderUnavailable):
        return True
    if isinstance(exc, OSError) and not isinstance(exc, GeopyError):
        return True  # a raw socket error from an adapter
    if type(exc) is GeocoderServiceError:
        status = http_status(exc)
        return status is None or status >= 500
    return False


def describe(exc: BaseException) -> Failure:
    """The reason of a failure (a reason of « geocode-failed »), short enough to be counted in the summary."""
    status = http_status(exc)
    if isinstance(exc, GeocoderRateLimited):
        return Failure("rate-limited")
    if isinstance(exc, GeocoderTimedOut):
        return Failure("unavailable", {"status": status}) if status else Failure("timeout")
    if isinstance(exc, GeocoderUnavailable):
        return Failure("unreachable")
    if isinstance(exc, GeocoderParseError):
        return Failure("unreadable")
    if isinstance(exc, GeocoderQueryError):
        return Failure("refused", {"status": status or 400})
    if isinstance(exc, GeocoderAuthenticationFailure | GeocoderInsufficientPrivileges
                  | GeocoderQuotaExceeded):
        return Failure("denied", {"status": status})
    if isinstance(exc, GeocoderServiceError):
        return Failure("service-error", {"status": status})
    return Failure("network", {"error": type(exc).__name__})


class Retrier(Generic[T]):
    """Runs one request under the rate limit, retrying with exponential backoff.

    ``stop`` (set on Ctrl-C or when the service looks down) cuts any wait short.
    """

    def __init__(self, settings: NetworkSettings, limiter: RateLimiter | None,
                 stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.limiter = limiter
        self.stop = stop or threading.Event()
        self.retries = 0
        self._lock = threading.Lock()

    def call(self, request: Callable[[], T]) -> T:
        attempt = 0
        while True:
            attempt += 1
            if self.stop.is_set():
                raise GeocodeFailure(INTERRUPTED, attempt - 1)
            if self.limiter is not None:
                self.limiter.wait()
            try:
                return request()
            except (GeopyError, OSError) as exc:
                if not is_retryable(exc) or attempt >= self.settings.attempts:
                    raise GeocodeFailure(describe(exc), attempt) from exc
                delay = min(self.settings.max_backoff, self.settings.backoff * 2 ** (attempt - 1))
                retry_after = getattr(exc, "retry_after", None)
                if isinstance(retry_after, int | float) and retry_after > 0:
                    delay = max(delay, min(float(retry_after), self.settings.max_backoff))
                    if self.limiter is not None:
                        self.limiter.pause(delay)
                with self._lock:
                    self.retries += 1
                if self.stop.wait(delay):
                    raise GeocodeFailure(INTERRUPTED, attempt) from exc
