"""FINESS coordinates → WGS84 (longitude, latitude), with ``pyproj``.

The ``sourcecoordet`` field names the projection in its last part: ``LAMBERT_93``
(EPSG:2154, mainland France and Corsica) or a UTM zone overseas (``UTM_N20`` Antilles,
``UTM_N21`` Saint-Pierre-et-Miquelon, ``UTM_N22`` Guyane, ``UTM_S38`` Mayotte,
``UTM_S40`` La Réunion). Without a recognised name, the département decides. The
coordinates are only a cross-check kept in the import snapshot: BAN geocoding stays the
source of the coordinates shown on the maps.
"""

from __future__ import annotations

import functools
import math

from pyproj import Transformer

LAMBERT_93 = 2154
BY_NAME = {
    "LAMBERT_93": LAMBERT_93, "LAMBERT93": LAMBERT_93, "L93": LAMBERT_93,
    "UTM_N20": 5490, "UTM_N21": 4467, "UTM_N22": 2972, "UTM_S38": 4471, "UTM_S40": 2975,
}
BY_DEPARTEMENT = {"971": 5490, "972": 5490, "973": 2972, "974": 2975, "975": 4467, "976": 4471}


def epsg_of(source: str, departement: str) -> int:
    name = source.rsplit(",", 1)[-1].strip().upper().replace(" ", "_")
    return BY_NAME.get(name) or BY_DEPARTEMENT.get(departement, LAMBERT_93)


@functools.cache
def _transformer(epsg: int) -> Transformer:
    return Transformer.from_crs(epsg, 4326, always_xy=True)


def to_wgs84(x: str, y: str, source: str, departement: str) -> tuple[float, float] | None:
    """(longitude, latitude) rounded to 6 decimals, or ``None`` when the values are not numbers."""
    try:
        fx, fy = float(x.replace(",", ".")), float(y.replace(",", "."))
    except ValueError:
        return None
    if not (math.isfinite(fx) and math.isfinite(fy)) or (fx == 0 and fy == 0):
        return None
    lon, lat = _transformer(epsg_of(source, departement)).transform(fx, fy)
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return round(lon, 6), round(lat, 6)
