"""Where a location goes on the map when the model is built: pure and offline.

Order of resolution, first match wins:

1. coordinates typed in the record (``coordonnees``): precision ``manuel``;
2. the committed cache ``geocodage.csv`` (see :mod:`maillage.geocoding.cache`);
3. the commune centroid from the gazetteer: precision ``commune``, with the
   ``geo-fallback`` warning, since the address has never been geocoded.

No network, no file access: the caller loads the cache and the gazetteer once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from maillage.core.gazetteer import Commune, Gazetteer
from maillage.core.problems import Finding, finding
from maillage.geocoding.cache import CacheRow, GeoCache, normalise_address
from maillage.geocoding.sources import GAZETTEER, MANUAL, source_info


@dataclass(frozen=True, slots=True)
class ResolvedPoint:
    """A location's position as every output shows it, with its origin and licence."""

    latitude: float
    longitude: float
    precision: str  # numero | rue | lieu-dit | commune | manuel
    provider: str  # ban | nominatim | gazetteer | manuel
    licence: str  # e.g. "Licence Ouverte 2.0", "ODbL 1.0"
    attribution: str  # the mention to print next to the data
    warning: Finding | None = None  # for the person who maintains the registry (catalogued, not yet placed)

    @property
    def warning_code(self) -> str | None:
        return self.warning.code if self.warning is not None else None


class UnresolvableLocation(LookupError):
    """Neither coordinates, cache nor gazetteer can place the location (invalid registry)."""


def address_label(lieu: Mapping[str, Any]) -> str:
    """The address as a partner wrote it, for messages: "12 rue des Halles, 50200 Coutances"."""
    return f"{lieu.get('adresse', '')}, {lieu.get('code_postal', '')} {lieu.get('commune', '')}".strip()


def manual_point(lieu: Mapping[str, Any]) -> ResolvedPoint | None:
    """The coordinates typed in the record, if any."""
    coords = lieu.get("coordonnees")
    if not isinstance(coords, Mapping):
        return None
    lat, lon = coords.get("latitude"), coords.get("longitude")
    if not _is_number(lat) or not _is_number(lon):
        return None
    info = source_info(MANUAL)
    return ResolvedPoint(float(lat), float(lon), MANUAL, MANUAL, info.licence, info.attribution)


def cached_point(row: CacheRow) -> ResolvedPoint:
    info = source_info(row.provider)
    return ResolvedPoint(row.latitude, row.longitude, row.precision, row.provider, info.licence,
                         info.attribution)


def resolve_location(lieu: Mapping[str, Any], cache: GeoCache, gazetteer: Gazetteer) -> ResolvedPoint:
    """Manual coordinates → cache → commune centroid. Raises :class:`UnresolvableLocation`."""
    point = manual_point(lieu)
    if point is not None:
        return point
    adresse, code_postal, commune = (lieu.get(k) for k in ("adresse", "code_postal", "commune"))
    if isinstance(adresse, str) and isinstance(code_postal, str) and isinstance(commune, str):
        row = cache.lookup(normalise_address(adresse, code_postal, commune))
        if row is not None:
            return cached_point(row)
    return centroid_point(lieu, gazetteer)


def centroid_point(lieu: Mapping[str, Any], gazetteer: Gazetteer) -> ResolvedPoint:
    """The commune centroid, with the warning that says the address is not geocoded."""
    info = source_info(GAZETTEER)
    address = address_label(lieu)
    code_insee = str(lieu.get("code_insee", ""))
    commune = _positioned(gazetteer, code_insee)
    if commune is not None:
        return ResolvedPoint(commune.latitude, commune.longitude, "commune", GAZETTEER, info.licence,
                             info.attribution, finding("geo-fallback", address=address))
    # A handful of communes have no centroid in the source: use the communes sharing the postal code.
    code_postal = str(lieu.get("code_postal", ""))
    neighbours = [c for c in gazetteer.by_postal_code(code_postal) if c.has_position]
    if not neighbours:
        raise UnresolvableLocation(
            f"Impossible de placer « {address} » : commune {code_insee} inconnue et code postal "
            f"{code_postal} sans commune localisée."
        )
    lat = sum(c.latitude for c in neighbours) / len(neighbours)
    lon = sum(c.longitude for c in neighbours) / len(neighbours)
    warning = finding("geocode-no-centroid", address=address, commune=str(lieu.get("commune", "")),
                      code_insee=code_insee, code_postal=code_postal)
    return ResolvedPoint(lat, lon, "commune", GAZETTEER, info.licence, info.attribution, warning)


def _positioned(gazetteer: Gazetteer, code_insee: str) -> Commune | None:
    commune = gazetteer.commune(code_insee) if code_insee else None
    if commune is not None and not commune.has_position and commune.parent:
        commune = gazetteer.commune(commune.parent)
    return commune if commune is not None and commune.has_position else None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
