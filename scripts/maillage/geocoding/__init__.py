"""Geocoding: from a location's address to coordinates, with the committed cache as the truth.

* :mod:`.cache`: ``registry/geocodage.csv`` (load, lookup, merge that never degrades,
  atomic save) and :func:`~.cache.normalise_address`;
* :mod:`.resolve`: offline resolution used when the model is built
  (manual coordinates → cache → commune centroid);
* :mod:`.providers`, :mod:`.network`, :mod:`.acceptance`, :mod:`.run`, :mod:`.report`:
  the ``maillage geocode`` run, the only part of Maillage that uses the network.
"""

from __future__ import annotations

from maillage.geocoding.cache import CacheError, CacheRow, GeoCache, normalise_address
from maillage.geocoding.resolve import ResolvedPoint, UnresolvableLocation, resolve_location

__all__ = [
    "CacheError",
    "CacheRow",
    "GeoCache",
    "ResolvedPoint",
    "UnresolvableLocation",
    "normalise_address",
    "resolve_location",
]
