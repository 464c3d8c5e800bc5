"""Build the packaged commune gazetteer from the full reference table.

Usage::

    python -m maillage.dev.build_gazetteer SRC.csv OUT.csv.gz

``SRC.csv`` is ``communes-france-2024.csv`` (one row per commune x postal code, see
``maillage/data/COMMUNES-SOURCES.md``). The output has one row per distinct
(``code_insee``, ``type``) with the postal codes joined, sorted by code then type.
It is gzip-compressed with ``mtime=0`` and no file name in the header, so the same
input always gives the same bytes.

Source quirks handled here:

* ``COMD`` rows (delegated communes) have an empty département: it is derived
  from the INSEE code. In this source they always share the code of their parent
  commune nouvelle, and their population, area and centroid repeat the parent's.
* ``ARM`` rows (municipal arrondissements of Paris, Lyon and Marseille) point to
  a parent (75056, 69123, 13055) that has no row of its own. A ``COM`` row is
  synthesised for each such parent: name taken from the arrondissement names,
  postal codes united, population and area summed, centroid = area-weighted mean.
* A few communes have no centroid or no area: the cells are left empty.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS: tuple[str, ...] = (
    "code_insee",
    "nom",
    "nom_article",
    "departement",
    "codes_postaux",
    "latitude",
    "longitude",
    "population",
    "superficie_km2",
    "parent",
    "type",
)

_TYPE_ORDER = {"COM": 0, "ARM": 1, "COMD": 2}
_ARM_NAME = re.compile(r"^(?P<city>.+?) \d+(?:er|e) [Aa]rrondissement$")


@dataclass
class _Entry:
    code: str
    nom: str
    nom_article: str
    departement: str
    latitude: str
    longitude: str
    population: int
    superficie: str
    parent: str
    type: str
    postal_codes: set[str] = field(default_factory=set)

    def row(self) -> list[str]:
        return [
            self.code,
            self.nom,
            self.nom_article,
            self.departement,
            " ".join(sorted(self.postal_codes)),
            self.latitude,
            self.longitude,
            str(self.population),
            self.superficie,
            self.parent,
            self.type,
        ]


def departement_of(code_insee: str) -> str:
    """Département code of an INSEE commune code (3 characters overseas)."""
    return code_insee[:3] if code_insee.startswith(("97", "98")) else code_insee[:2]


def _int(value: str) -> int:
    value = value.strip()
    return int(float(value)) if value else 0


def _entries(rows: Iterable[dict[str, str]]) -> dict[tuple[str, str], _Entry]:
    entries: dict[tuple[str, str], _Entry] = {}
    for r in rows:
        code, kind = r["insee_com"].strip(), r["commune_type"].strip()
        entry = entries.get((code, kind))
        if entry is None:
            parent = r["insee_parente"].strip()
            entry = _Entry(
                code=code,
                nom=r["commune"].strip(),
                nom_article=r["commune_article"].strip() or r["commune"].strip(),
                departement=r["insee_dep"].strip() or departement_of(code),
                latitude=r["lat"].strip(),
                longitude=r["lng"].strip(),
                population=_int(r["population_2021"]),
                superficie=r["superficie_km2"].strip(),
                parent=parent if parent and kind != "COM" else "",
                type=kind,
            )
            entries[(code, kind)] = entry
        if r["code_postal"].strip():
            entry.postal_codes.add(r["code_postal"].strip())
    return entries


def _synthesise_parents(entries: dict[tuple[str, str], _Entry]) -> None:
    """Add a COM row for every arrondissement parent missing from the source."""
    children: dict[str, list[_Entry]] = {}
    for entry in entries.values():
        if entry.type == "ARM" and entry.parent:
            children.setdefault(entry.parent, []).append(entry)
    for parent, arms in children.items():
        if (parent, "COM") in entries:
            continue
        match = _ARM_NAME.match(arms[0].nom)
        name = match.group("city") if match else arms[0].nom.split(" ")[0]
        located = [a for a in arms if a.latitude and a.longitude and a.superficie]
        weights = [float(a.superficie) for a in located]
        total = sum(weights)
        lat = sum(float(a.latitude) * w for a, w in zip(located, weights, strict=True))
        lon = sum(float(a.longitude) * w for a, w in zip(located, weights, strict=True))
        area = sum(float(a.superficie) for a in arms if a.superficie)
        entries[(parent, "COM")] = _Entry(
            code=parent,
            nom=name,
            nom_article=name,
            departement=departement_of(parent),
            latitude=f"{lat / total:.5f}" if total else "",
            longitude=f"{lon / total:.5f}" if total else "",
            population=sum(a.population for a in arms),
            superficie=f"{area:.2f}",
            parent="",
            type="COM",
            postal_codes=set().union(*(a.postal_codes for a in arms)),
        )


def build_rows(rows: Iterable[dict[str, str]]) -> list[list[str]]:
    """Compact table rows (without header), sorted by code then type."""
    entries = _entries(rows)
    _synthesise_parents(entries)
    ordered = sorted(entries.values(), key=lambda e: (e.code, _TYPE_ORDER.get(e.type, 9), e.type))
    return [e.row() for e in ordered]


def render(rows: Sequence[Sequence[str]]) -> bytes:
    """CSV text (UTF-8, LF) gzip-compressed deterministically."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return out.getvalue()


def build(src: Path, dest: Path) -> int:
    """Read ``src``, write ``dest``; return the number of rows written."""
    with src.open(encoding="utf-8", newline="") as handle:
        rows = build_rows(csv.DictReader(handle))
    dest.write_bytes(render(rows))
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m maillage.dev.build_gazetteer",
        description="Construit le référentiel compact des communes (communes.csv.gz).",
    )
    parser.add_argument("source", type=Path, help="communes-france-2024.csv")
    parser.add_argument("destination", type=Path, help="fichier .csv.gz à écrire")
    args = parser.parse_args(argv)
    count = build(args.source, args.destination)
    print(f"{count} communes écrites dans {args.destination}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
