"""``couverture.csv``: the coverage of every commune, in long format, for the open-data folder.

One row per commune × kind (profession or structure category) among the kinds that have
a distance threshold or at least one active record (see :mod:`maillage.coverage`).
Rows are sorted by INSEE code, then type (``profession`` before ``categorie``), then
code. Columns:

``code_insee, commune, population, territoire, type, code, libelle, seuil_km,
distance_km, au_dela_du_seuil, plus_proche_id, plus_proche_lieu, plus_proche_commune,
distance_km_nouveaux_patients, plus_proche_id_nouveaux_patients``

``distance_km`` is the straight-line (haversine) distance from the commune centroid,
with 2 decimals (point as decimal separator), empty when there is no active record of
that kind. ``au_dela_du_seuil`` is ``oui``/``non``, empty without threshold. The
``*_nouveaux_patients`` columns are filled for professions only. UTF-8 without BOM,
comma-separated, ``\\n`` line endings: the same registry gives the same bytes.
"""

from __future__ import annotations

import csv
import io

from .coverage import Coverage, compute_coverage
from .model import Model

COLUMNS = ("code_insee", "commune", "population", "territoire", "type", "code", "libelle", "seuil_km",
           "distance_km", "au_dela_du_seuil", "plus_proche_id", "plus_proche_lieu", "plus_proche_commune",
           "distance_km_nouveaux_patients", "plus_proche_id_nouveaux_patients")
FILE_NAME = "couverture.csv"


def _km(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _threshold(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def coverage_csv(model: Model, coverage: Coverage | None = None) -> bytes:
    cov = coverage or compute_coverage(model)
    kinds = sorted(cov.kinds, key=lambda k: (k.type != "profession", k.code))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in cov.communes:
        for k in kinds:
            near = c.nearest[k.key]
            beyond = "" if k.threshold_km is None else \
                ("oui" if near.distance_km is None or near.distance_km > k.threshold_km else "non")
            accepting = c.nearest_accepting.get(k.code) if k.type == "profession" else None
            writer.writerow([
                c.code_insee, c.nom, c.population, c.territory or "", k.type, k.code, k.label,
                _threshold(k.threshold_km), _km(near.distance_km), beyond, near.record_id or "",
                near.lieu or "", near.commune or "",
                _km(accepting.distance_km) if accepting else "", (accepting.record_id or "") if accepting else "",
            ])
    return buffer.getvalue().encode("utf-8")
