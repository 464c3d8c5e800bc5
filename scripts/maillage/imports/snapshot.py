"""What was last imported: ``imports/<source>.csv`` (public registry) and its internal twin.

One row per record and register place (site), sorted by record id then site, UTF-8, LF:
a weekly import that changes one phone number changes one line. The snapshot is the
*base* of the three-way merge: a register-owned value that a person changed since the
last import is recognised because it differs from the snapshot.

Columns: the record id, the record-level register values (identity, identifiers, and a few
official codes kept for reference), the place values, and ``absent_depuis``: the date the
record was first found missing from the register (its closure was proposed then, and is
not proposed again). FINESS rows also keep the establishment's coordinates converted to
WGS84, as a cross-check of the geocoding (never used as the map position).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from maillage.imports.entities import PLACE_FIELDS, Entry, Place
from maillage.imports.errors import ImportFileError
from maillage.load.registry import display_path

RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    "finess": ("finess", "siret", "nom", "categorie", "categorie_finess", "finess_juridique"),
    "rpps": ("rpps", "adeli", "nom", "prenom", "profession", "code_profession", "savoir_faire"),
}
PLACE_COLUMNS: dict[str, tuple[str, ...]] = {
    "finess": ("site", *PLACE_FIELDS, "longitude", "latitude", "source_coordonnees"),
    "rpps": ("site", "nom_site", *PLACE_FIELDS),
}
ABSENT = "absent_depuis"


def header(source: str) -> tuple[str, ...]:
    return ("id", *RECORD_COLUMNS[source], *PLACE_COLUMNS[source], ABSENT)


def snapshot_path(root: Path, source: str) -> Path:
    return root / "imports" / f"{source}.csv"


@dataclass(slots=True)
class SnapshotRecord:
    id: str
    fields: dict[str, str]  # record-level values ("" = absent)
    places: dict[str, dict[str, str]] = field(default_factory=dict)  # site → place values
    absent_depuis: str = ""

    def value(self, name: str) -> str | None:
        return self.fields.get(name) or None


@dataclass(slots=True)
class Snapshot:
    source: str
    records: dict[str, SnapshotRecord] = field(default_factory=dict)

    def rows(self) -> tuple[tuple[str, ...], ...]:
        out = []
        record_cols, place_cols = RECORD_COLUMNS[self.source], PLACE_COLUMNS[self.source]
        for rid, rec in self.records.items():
            base = [rid, *(rec.fields.get(c, "") for c in record_cols)]
            places = rec.places or {"": {}}
            for site, values in places.items():
                row = [*base, site, *(values.get(c, "") for c in place_cols[1:]), rec.absent_depuis]
                out.append(tuple(row))
        out.sort(key=lambda r: (r[0], r[1 + len(record_cols)]))
        return tuple(out)


def read_snapshot(root: Path, source: str) -> Snapshot:
    """The snapshot of a registry (empty when the file does not exist yet)."""
    path = snapshot_path(root, source)
    snap = Snapshot(source)
    if not path.is_file():
        return snap
    shown = display_path(path)
    expected = header(source)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(shown, 0, f"instantané du dernier import illisible ({exc}).") from None
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows or tuple(rows[0]) != expected:
        raise ImportFileError(shown, 1, "en-tête de l'instantané inattendu : ce fichier est écrit par « maillage "
                                        f"import » ; attendu « {','.join(expected)} ».")
    record_cols, place_cols = RECORD_COLUMNS[source], PLACE_COLUMNS[source]
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(expected):
            raise ImportFileError(shown, number, f"{len(row)} colonnes au lieu de {len(expected)} (conflit de fusion "
                                                 "mal résolu ?).")
        values = dict(zip(expected, row, strict=True))
        rid = values["id"]
        rec = snap.records.get(rid)
        if rec is None:
            rec = snap.records[rid] = SnapshotRecord(rid, {c: values[c] for c in record_cols},
                                                     absent_depuis=values[ABSENT])
        if values["site"]:
            rec.places[values["site"]] = {c: values[c] for c in place_cols[1:]}
    return snap


def write_rows(source: str, rows: tuple[tuple[str, ...], ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header(source))
    writer.writerows(rows)
    return out.getvalue()


def place_values(place: Place, source: str) -> dict[str, str]:
    values = {name: place.value(name) or "" for name in PLACE_FIELDS}
    if source == "finess":
        values["longitude"] = "" if place.longitude is None else f"{place.longitude:.6f}"
        values["latitude"] = "" if place.latitude is None else f"{place.latitude:.6f}"
        values["source_coordonnees"] = place.precision or ""
    else:
        values["nom_site"] = place.nom or ""
    return values


def record_of(entry: Entry, record_id: str, places: tuple[Place, ...]) -> SnapshotRecord:
    """The snapshot of an entry as imported now (its places in the département)."""
    values = {c: entry.fields.get(c) or entry.facts.get(c) or "" for c in RECORD_COLUMNS[entry.source]}
    return SnapshotRecord(record_id, values, {p.key: place_values(p, entry.source) for p in places})
