"""``couverture.csv``: the coverage of every commune of the département, in long format.

One row per commune × kind (profession or structure category with a threshold or at
least one active record; see :mod:`maillage.coverage`), sorted by INSEE code, type
(``profession`` before ``categorie``) and code. Distances are straight-line (haversine)
kilometres from the commune centroid to the nearest active place, empty when there is
none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from maillage.core.model import Model
from maillage.exports.columns import Column, Table, derived
from maillage.steering.coverage import CommuneCoverage, Kind, cached_coverage

Row = tuple[CommuneCoverage, Kind]


def _rows(model: Model) -> Iterator[Row]:
    coverage = cached_coverage(model)
    kinds = sorted(coverage.kinds, key=lambda k: (k.type != "profession", k.code))
    for commune in coverage.communes:
        for kind in kinds:
            yield commune, kind


def _beyond(row: Row) -> str | None:
    commune, kind = row
    if kind.threshold_km is None:
        return None
    distance = commune.nearest[kind.key].distance_km
    return "oui" if distance is None or distance > kind.threshold_km else "non"


def _accepting(row: Row, attr: str) -> Any:
    commune, kind = row
    if kind.type != "profession":
        return None
    nearest = commune.nearest_accepting.get(kind.code)
    return getattr(nearest, attr) if nearest else None


def _near(attr: str) -> Any:
    return lambda row: getattr(row[0].nearest[row[1].key], attr)


KM = "Distance à vol d'oiseau (haversine), en kilomètres, depuis le centre de la commune"
COLUMNS: tuple[Column, ...] = (
    derived("code_insee", lambda r: r[0].code_insee, "Code INSEE", "Code INSEE de la commune.", required=True),
    derived("commune", lambda r: r[0].nom, "Commune", "Nom officiel de la commune.", required=True),
    derived("population", lambda r: r[0].population, "Population", "Population municipale (INSEE, 2021).",
            "integer", required=True),
    derived("territoire", lambda r: r[0].territory, "Territoire", "Territoire de la commune (vocabulaire)."),
    derived("type", lambda r: r[1].type, "Type", "profession ou categorie (catégorie de structure).",
            required=True, enum=("profession", "categorie")),
    derived("code", lambda r: r[1].code, "Code", "Identifiant de la profession ou de la catégorie.",
            required=True),
    derived("libelle", lambda r: r[1].label, "Libellé", "Libellé de la profession ou de la catégorie."),
    derived("seuil_km", lambda r: r[1].threshold_km, "Seuil (km)",
            "Distance maximale souhaitée (registre.yaml), vide sans seuil.", "number", decimals=1),
    derived("distance_km", _near("distance_km"), "Distance (km)",
            f"{KM} au lieu actif le plus proche ; vide s'il n'y en a aucun.", "number", decimals=2),
    derived("au_dela_du_seuil", _beyond, "Au-delà du seuil", "oui, non, ou vide sans seuil.",
            enum=("oui", "non")),
    derived("plus_proche_id", _near("record_id"), "Fiche la plus proche", "Identifiant de la fiche."),
    derived("plus_proche_lieu", _near("lieu"), "Lieu", "Rang du lieu dans la fiche (1, 2…).", "integer"),
    derived("plus_proche_commune", _near("commune"), "Commune du lieu", "Commune du lieu le plus proche."),
    derived("distance_km_nouveaux_patients", lambda r: _accepting(r, "distance_km"),
            "Distance (km), nouveaux patients",
            f"{KM} au professionnel le plus proche qui accepte de nouveaux patients.", "number", decimals=2),
    derived("plus_proche_id_nouveaux_patients", lambda r: _accepting(r, "record_id"),
            "Fiche la plus proche, nouveaux patients", "Identifiant de la fiche."),
)

COUVERTURE = Table(
    "couverture", "Couverture du territoire",
    "Pour chaque commune du département et chaque profession ou catégorie de structure : la distance "
    "à vol d'oiseau au lieu actif le plus proche, et si elle dépasse le seuil fixé.",
    _rows, COLUMNS, ("code_insee", "type", "code"),
)
