"""The geocoders a run can ask: BAN (IGN Géoplateforme), Nominatim, or the gazetteer only.

Each adapter turns one address into a list of :class:`Candidate` (best first) and
raises geopy's exceptions on any network or protocol problem; rate limiting and
retries are added around it by :mod:`maillage.geocoding.network`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from geopy.adapters import BaseAdapter, RequestsAdapter, URLLibAdapter
from geopy.exc import GeocoderParseError
from geopy.geocoders import BANFrance, Nominatim
from geopy.location import Location

from maillage.core.gazetteer import Gazetteer, departement_of
from maillage.geocoding.network import NetworkSettings
from maillage.geocoding.sources import BAN, BAN_TYPES, GAZETTEER, NOMINATIM

PROVIDER_CHOICES = ("ban", "nominatim", "offline")
DEFAULT_ENDPOINTS = {
    BAN: "https://data.geopf.fr/geocodage",
    NOMINATIM: "https://nominatim.openstreetmap.org",
}
# BAN on the Géoplateforme allows 50 requests/s per IP; Nominatim 1 request/s, one thread.
DEFAULT_SETTINGS = {
    BAN: NetworkSettings(rate_per_second=40, workers=8, timeout=10),
    NOMINATIM: NetworkSettings(rate_per_second=1, workers=1, timeout=10),
}
RESULTS_PER_QUERY = 5


@dataclass(frozen=True, slots=True)
class AddressQuery:
    """One distinct address to geocode (several locations may share it)."""

    key: str
    adresse: str
    code_postal: str
    commune: str
    code_insee: str

    @property
    def text(self) -> str:
        """The free-text query: the address with its postal code and commune."""
        return f"{self.adresse}, {self.code_postal} {self.commune}"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One answer of a geocoder, reduced to what acceptance needs."""

    latitude: float
    longitude: float
    precision: str | None  # None: vaguer than a commune
    score: float | None  # None: the provider gives no score (Nominatim, gazetteer)
    citycode: str | None  # INSEE code of the commune the answer lies in
    label: str


class Provider(Protocol):
    name: str  # the provider recorded in the cache: ban | nominatim | gazetteer
    endpoint: str  # shown in the summary
    settings: NetworkSettings | None  # None: no network, no rate limit

    def search(self, query: AddressQuery) -> list[Candidate]: ...


class EndpointError(ValueError):
    """``--endpoint`` is not a usable base URL (usage error)."""


def parse_endpoint(url: str) -> tuple[str, str]:
    """Split a base URL into geopy's ``scheme`` and ``domain`` (host, port and path).

    ``https://data.geopf.fr/geocodage`` → ``("https", "data.geopf.fr/geocodage")``;
    geopy then appends ``/search``. A trailing ``/search`` is tolerated.
    """
    example = "exemple : https://data.geopf.fr/geocodage ou http://127.0.0.1:8123"
    try:
        parts = urlsplit(url.strip())
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        raise EndpointError(f"--endpoint « {url} » n'est pas une adresse valide ({example}).") from None
    if (parts.scheme not in ("http", "https") or not parts.hostname or not port_ok
            or parts.query or parts.fragment or parts.username or parts.password):
        raise EndpointError(
            f"--endpoint « {url} » n'est pas une adresse http(s) de base utilisable ({example})."
        )
    path = parts.path.rstrip("/")
    path = path.removesuffix("/search")
    return parts.scheme, parts.netloc + path


# --- BAN / Géoplateforme --------------------------------------------------------

class _Geoplateforme(BANFrance):  # type: ignore[misc]
    """geopy's BANFrance with strict parsing.

    geopy reads a body without ``features`` as "no result" and lets a feature
    without geometry crash with an IndexError; here both are a parse error.
    """

    def _parse_json(self, response: Any, exactly_one: bool) -> list[Location]:
        features = response.get("features") if isinstance(response, Mapping) else None
        if not isinstance(features, list):
            raise GeocoderParseError("la réponse n'est pas une FeatureCollection")
        return [self._parse_feature(feature) for feature in features]

    def _parse_feature(self, feature: Any) -> Location:
        try:
            lon, lat = feature["geometry"]["coordinates"][:2]
            props = feature["properties"]
            if not isinstance(props, Mapping):
                raise TypeError("properties")
            return Location(str(props.get("label") or ""), (float(lat), float(lon)), feature)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise GeocoderParseError(f"élément de réponse mal formé ({exc})") from None


def ban_candidate(raw: Mapping[str, Any], latitude: float, longitude: float) -> Candidate:
    props = raw.get("properties") or {}
    score = props.get("score")
    citycode = props.get("citycode")
    return Candidate(
        latitude, longitude,
        precision=BAN_TYPES.get(str(props.get("type"))),
        score=float(score) if isinstance(score, int | float) and not isinstance(score, bool) else 0.0,
        citycode=str(citycode) if citycode else None,
        label=str(props.get("label") or ""),
    )


def adapter_factory(proxies: Any, ssl_context: Any) -> BaseAdapter:
    """geopy's HTTP adapter with its hidden retries turned off: every retry is ours, rate-limited.

    (By default requests/urllib3 silently retry a 429 or 503 that carries Retry-After.)
    """
    if RequestsAdapter.is_available:
        return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)
    return URLLibAdapter(proxies=proxies, ssl_context=ssl_context)  # pragma: no cover


class _ThreadLocalGeocoder:
    """One geopy client (and HTTP session) per worker thread."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._local = threading.local()

    def get(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._factory()
        return client


class BanProvider:
    name = BAN

    def __init__(self, endpoint: str | None, user_agent: str,
                 settings: NetworkSettings | None = None) -> None:
        self.endpoint = (endpoint or DEFAULT_ENDPOINTS[BAN]).strip()
        self.settings = settings or DEFAULT_SETTINGS[BAN]
        scheme, domain = parse_endpoint(self.endpoint)
        timeout = self.settings.timeout
        self._clients = _ThreadLocalGeocoder(
            lambda: _Geoplateforme(domain=domain, scheme=scheme, timeout=timeout, user_agent=user_agent,
                                   adapter_factory=adapter_factory)
        )

    @property
    def search_url(self) -> str:
        return str(self._clients.get().geocode_api)

    def search(self, query: AddressQuery) -> list[Candidate]:
        found = self._clients.get().geocode(query.text, exactly_one=False, limit=RESULTS_PER_QUERY)
        return [ban_candidate(loc.raw, loc.latitude, loc.longitude) for loc in found or ()]


# --- Nominatim ------------------------------------------------------------------

_NOMINATIM_CITY_KEYS = ("municipality", "city", "town", "village")


def nominatim_precision(raw: Mapping[str, Any]) -> str | None:
    """Nominatim's ``place_rank`` → precision (30 house, 26 street, 16 municipality…)."""
    address = raw.get("address") or {}
    try:
        rank = int(raw.get("place_rank") or 0)
    except (TypeError, ValueError):
        rank = 0
    if rank >= 28 and "house_number" in address:
        return "numero"
    if rank >= 26:
        return "rue"
    if rank >= 17:
        return "lieu-dit"
    if rank >= 13:
        return "commune"
    return None


def nominatim_citycode(raw: Mapping[str, Any], query: AddressQuery, gazetteer: Gazetteer) -> str | None:
    """The INSEE code of the commune named in Nominatim's address (OSM carries no INSEE code there)."""
    address = raw.get("address") or {}
    postcode = str(address.get("postcode") or "")
    try:
        departement = departement_of(query.code_insee)
    except ValueError:
        departement = ""
    for key in _NOMINATIM_CITY_KEYS:
        name = address.get(key)
        if not isinstance(name, str):
            continue
        matches = gazetteer.match(name, postcode) if postcode else []
        if not matches:
            matches = [c for c in gazetteer.by_name(name) if c.departement == departement]
        if matches:
            return matches[0].code_insee
    return None


class NominatimProvider:
    name = NOMINATIM

    def __init__(self, endpoint: str | None, user_agent: str, gazetteer: Gazetteer,
                 settings: NetworkSettings | None = None) -> None:
        self.endpoint = (endpoint or DEFAULT_ENDPOINTS[NOMINATIM]).strip()
        self.settings = settings or DEFAULT_SETTINGS[NOMINATIM]
        self.gazetteer = gazetteer
        scheme, domain = parse_endpoint(self.endpoint)
        timeout = self.settings.timeout
        self._clients = _ThreadLocalGeocoder(
            lambda: Nominatim(domain=domain, scheme=scheme, timeout=timeout, user_agent=user_agent,
                              adapter_factory=adapter_factory)
        )

    def search(self, query: AddressQuery) -> list[Candidate]:
        structured = {"street": query.adresse, "postalcode": query.code_postal, "city": query.commune,
                      "country": "France"}
        found = self._clients.get().geocode(structured, exactly_one=False, limit=RESULTS_PER_QUERY,
                                            addressdetails=True, country_codes="fr")
        out = []
        for loc in found or ():
            raw = loc.raw
            if not isinstance(raw, Mapping) or loc.latitude is None or loc.longitude is None:
                raise GeocoderParseError("élément de réponse Nominatim mal formé")
            out.append(Candidate(loc.latitude, loc.longitude, nominatim_precision(raw), None,
                                 nominatim_citycode(raw, query, self.gazetteer),
                                 str(raw.get("display_name") or "")))
        return out


# --- offline --------------------------------------------------------------------

class OfflineProvider:
    """The gazetteer only: the commune centroid, honestly marked ``commune``."""

    name = GAZETTEER
    endpoint = "référentiel des communes (hors ligne)"
    settings: NetworkSettings | None = None

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def search(self, query: AddressQuery) -> list[Candidate]:
        commune = self.gazetteer.commune(query.code_insee)
        if commune is not None and not commune.has_position and commune.parent:
            commune = self.gazetteer.commune(commune.parent)
        if commune is None or not commune.has_position:
            return []
        return [Candidate(commune.latitude, commune.longitude, "commune", None, commune.code_insee,
                          f"{commune.nom_article} (centre de la commune)")]


def make_provider(name: str, endpoint: str | None, user_agent: str, gazetteer: Gazetteer,
                  settings: NetworkSettings | None = None) -> Provider:
    """The adapter for ``--provider``. Raises :class:`EndpointError` on a bad ``--endpoint``."""
    if name == "ban":
        return BanProvider(endpoint, user_agent, settings)
    if name == "nominatim":
        return NominatimProvider(endpoint, user_agent, gazetteer, settings)
    if name == "offline":
        return OfflineProvider(gazetteer)
    raise ValueError(f"unknown provider {name!r}")
