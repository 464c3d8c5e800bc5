"""Where a coordinate comes from: precision levels, providers, their licences.

Pure constants and tiny helpers, shared by the cache, the run and the offline
resolution. Nothing here touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass

# From the least to the most precise. ``manuel`` (typed by a person) beats everything.
PRECISIONS: tuple[str, ...] = ("commune", "lieu-dit", "rue", "numero", "manuel")
_RANK = {name: rank for rank, name in enumerate(PRECISIONS)}

# Géoplateforme / BAN ``type`` → precision.
BAN_TYPES: dict[str, str] = {
    "housenumber": "numero",
    "street": "rue",
    "locality": "lieu-dit",
    "municipality": "commune",
}

BAN, NOMINATIM, GAZETTEER, MANUAL = "ban", "nominatim", "gazetteer", "manuel"
PROVIDERS: tuple[str, ...] = (BAN, NOMINATIM, GAZETTEER, MANUAL)
NETWORK_PROVIDERS: frozenset[str] = frozenset({BAN, NOMINATIM})


def precision_rank(precision: str) -> int:
    """Order of a precision level (higher is more precise); unknown levels rank lowest."""
    return _RANK.get(precision, -1)


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Licence and attribution every output must carry for coordinates of this origin."""

    licence: str
    attribution: str
    url: str


SOURCES: dict[str, SourceInfo] = {
    BAN: SourceInfo(
        licence="Licence Ouverte 2.0",
        attribution="Base Adresse Nationale, géocodage IGN Géoplateforme",
        url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    ),
    NOMINATIM: SourceInfo(
        licence="ODbL 1.0",
        attribution="© les contributeurs d'OpenStreetMap, géocodage Nominatim",
        url="https://www.openstreetmap.org/copyright",
    ),
    GAZETTEER: SourceInfo(
        licence="Licence Ouverte 2.0",
        attribution="Centre de la commune : INSEE (COG 2024) et La Poste (base des codes postaux 2024)",
        url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    ),
    MANUAL: SourceInfo(
        licence="licence du registre",
        attribution="Coordonnées saisies à la main",
        url="",
    ),
}


def source_info(provider: str) -> SourceInfo:
    """Licence and attribution of a provider name found in the cache."""
    return SOURCES.get(provider, SourceInfo("inconnue", provider, ""))
