"""French commune gazetteer: INSEE codes, names, postal codes and centroids.

The data is the packaged ``data/communes.csv.gz`` (built by
``maillage.dev.build_gazetteer``; sources and licence in
``data/COMMUNES-SOURCES.md``). It covers all of France, overseas included.

Commune types:

* ``COM``: commune. Paris (75056), Lyon (69123) and Marseille (13055) are
  present as ``COM`` although the source only lists their arrondissements.
* ``ARM``: municipal arrondissement of Paris, Lyon or Marseille; ``parent`` is
  the city's code.
* ``COMD``: delegated commune (former commune merged into a commune nouvelle);
  ``parent`` is the commune nouvelle. In the source, delegated communes share
  their parent's code, population, area and centroid.

Missing centroids and areas are ``math.nan`` (see ``Commune.has_position``).
"""

from __future__ import annotations

import csv
import difflib
import functools
import gzip
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DATA_FILE = "communes.csv.gz"
EARTH_RADIUS_KM = 6371.0088
_TYPE_RANK = {"COM": 0, "ARM": 1, "COMD": 2}


@dataclass(frozen=True, slots=True)
class Commune:
    code_insee: str
    nom: str
    nom_article: str
    departement: str
    codes_postaux: tuple[str, ...]
    latitude: float
    longitude: float
    population: int
    superficie_km2: float
    parent: str | None
    type: str

    @property
    def has_position(self) -> bool:
        """True when the centroid is known."""
        return not (math.isnan(self.latitude) or math.isnan(self.longitude))

    def distance_km(self, latitude: float, longitude: float) -> float:
        """Great-circle distance from the centroid (``nan`` if it is unknown)."""
        return haversine_km(self.latitude, self.longitude, latitude, longitude)


# --- names -----------------------------------------------------------------

_FOLD = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ARTICLES = frozenset({"le", "la", "les", "l"})


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _FOLD:
        return _FOLD[char]
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text).lower()


def normalise_name(s: str) -> str:
    """Comparison key for a commune name.

    Folds accents and case, treats apostrophes, hyphens, dots and spaces alike,
    expands "St"/"Ste" to "saint"/"sainte" and drops a leading article
    ("Le ", "La ", "Les ", "L'"): "Saint-Lô", "saint lo" and "ST LO" all give
    "saint lo"; "La Haye" and "Haye" both give "haye".
    """
    words = _NON_ALNUM.sub(" ", _fold(s)).split()
    words = [_ABBREVIATIONS.get(w, w) for w in words]
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


# --- geography -------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points (``nan`` if one is)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    root = math.sqrt(a)
    if root > 1.0:  # rounding; a NaN (unknown position) passes through
        root = 1.0
    return 2 * EARTH_RADIUS_KM * math.asin(root)


_INSEE_CODE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")


def departement_of(code_insee: str) -> str:
    """Département of an INSEE commune code: "50123" -> "50", "2A004" -> "2A", "97411" -> "974".

    Raises ``ValueError`` when the code is not 5 characters (digits, or 2A/2B + 3 digits).
    """
    code = code_insee.strip().upper()
    if not _INSEE_CODE.match(code):
        raise ValueError(f"code INSEE invalide : {code_insee!r}")
    return code[:3] if code.startswith(("97", "98")) else code[:2]


# --- loading ---------------------------------------------------------------


def _float(value: str) -> float:
    return float(value) if value else math.nan


def _parse(rows: Iterable[list[str]]) -> Iterator[Commune]:
    for code, nom, nom_article, dep, cps, lat, lon, pop, area, parent, kind in rows:
        yield Commune(
            code_insee=code,
            nom=nom,
            nom_article=nom_article or nom,
            departement=dep,
            codes_postaux=tuple(cps.split()),
            latitude=_float(lat),
            longitude=_float(lon),
            population=int(pop) if pop else 0,
            superficie_km2=_float(area),
            parent=parent or None,
            type=kind,
        )


def _sort_key(c: Commune) -> tuple[int, str]:
    return (_TYPE_RANK.get(c.type, 9), c.code_insee)


def _read_gzip_csv(data: bytes) -> list[Commune]:
    text = gzip.decompress(data).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    next(reader)  # header
    return list(_parse(reader))


class Gazetteer:
    """Lookups over all communes. Build it with :meth:`load` (packaged data)."""

    def __init__(self, communes: Iterable[Commune]) -> None:
        self._all: list[Commune] = sorted(communes, key=lambda c: (c.code_insee, _sort_key(c)))
        self._by_code: dict[str, list[Commune]] = {}
        self._by_postal: dict[str, list[Commune]] = {}
        for c in self._all:
            self._by_code.setdefault(c.code_insee, []).append(c)
            for cp in c.codes_postaux:
                self._by_postal.setdefault(cp, []).append(c)
        for bucket in self._by_postal.values():
            bucket.sort(key=_sort_key)
        for bucket in self._by_code.values():
            bucket.sort(key=_sort_key)
        self._split = frozenset(c.parent for c in self._all if c.type == "ARM" and c.parent)
        self._by_name_index: dict[str, list[Commune]] | None = None

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer of the packaged data file, loaded once per process."""
        return _load_packaged()

    @classmethod
    def from_file(cls, path: Path) -> Gazetteer:
        """A gazetteer read from a file produced by ``maillage.dev.build_gazetteer``."""
        return cls(_read_gzip_csv(path.read_bytes()))

    def __len__(self) -> int:
        return len(self._all)

    def __iter__(self) -> Iterator[Commune]:
        return iter(self._all)

    # -- by code and postal code

    def commune(self, code_insee: str) -> Commune | None:
        """The commune with this INSEE code (the COM row when a COMD shares it)."""
        found = self._by_code.get(code_insee.strip().upper())
        return found[0] if found else None

    def variants(self, code_insee: str) -> list[Commune]:
        """Every row with this code: COM first, then ARM, then COMD."""
        return list(self._by_code.get(code_insee.strip().upper(), ()))

    def by_postal_code(self, code_postal: str) -> list[Commune]:
        """All communes (COM, ARM, COMD) that carry this postal code."""
        return list(self._by_postal.get(code_postal.strip(), ()))

    def is_postal_code(self, code_postal: str) -> bool:
        """True when at least one commune carries this postal code."""
        return code_postal.strip() in self._by_postal

    # -- by name

    @property
    def _by_name(self) -> dict[str, list[Commune]]:
        if self._by_name_index is None:
            index: dict[str, list[Commune]] = {}
            for c in self._all:
                keys = {normalise_name(c.nom), normalise_name(c.nom_article)}
                for key in keys:
                    index.setdefault(key, []).append(c)
            for bucket in index.values():
                bucket.sort(key=_sort_key)
            self._by_name_index = index
        return self._by_name_index

    def by_name(self, nom: str) -> list[Commune]:
        """Communes whose name (with or without article) matches ``nom``."""
        return list(self._by_name.get(normalise_name(nom), ()))

    def match(self, nom: str, code_postal: str) -> list[Commune]:
        """Communes named ``nom`` that carry ``code_postal``.

        Delegated communes match under their own name (follow ``.parent`` to get
        the commune nouvelle). COM rows come first, then ARM, then COMD.
        """
        key = normalise_name(nom)
        cp = code_postal.strip()
        return [
            c
            for c in self._by_postal.get(cp, ())
            if key in (normalise_name(c.nom), normalise_name(c.nom_article))
        ]

    def suggest(self, nom: str, code_postal: str | None = None, limit: int = 3) -> list[Commune]:
        """Communes with a name close to ``nom`` (for "did you mean" messages).

        With ``code_postal``, only communes carrying that postal code are considered.
        Results are ordered from the closest name; COM rows before ARM/COMD.
        """
        key = normalise_name(nom)
        if code_postal is not None:
            pool: dict[str, list[Commune]] = {}
            for c in self._by_postal.get(code_postal.strip(), ()):
                for name_key in {normalise_name(c.nom), normalise_name(c.nom_article)}:
                    pool.setdefault(name_key, []).append(c)
        else:
            pool = self._by_name
        names = difflib.get_close_matches(key, list(pool), n=max(limit, 1) * 3, cutoff=0.6)
        result: list[Commune] = []
        seen: set[tuple[str, str]] = set()
        for name in names:
            for c in sorted(pool[name], key=_sort_key):
                if (c.code_insee, c.type) not in seen:
                    seen.add((c.code_insee, c.type))
                    result.append(c)
        return result[:limit]

    # -- by area

    def in_departement(self, code: str, *, arrondissements: bool = True) -> list[Commune]:
        """Communes of a département, sorted by INSEE code.

        By default the result partitions the territory: Paris, Lyon and Marseille
        are replaced by their arrondissements (ARM). With ``arrondissements=False``
        only COM rows are returned (the three cities included, no ARM).
        Delegated communes (COMD) are never included.
        """
        dep = code.strip().upper()
        out = []
        for c in self._all:
            if c.departement != dep:
                continue
            if c.type == "ARM":
                keep = arrondissements
            else:
                keep = c.type == "COM" and not (arrondissements and c.code_insee in self._split)
            if keep:
                out.append(c)
        return out

    def near(
        self, latitude: float, longitude: float, radius_km: float
    ) -> list[tuple[float, Commune]]:
        """(distance, commune) for COM and ARM rows within ``radius_km``, nearest first."""
        found = []
        for c in self._all:
            if c.type not in ("COM", "ARM") or not c.has_position:
                continue
            d = haversine_km(latitude, longitude, c.latitude, c.longitude)
            if d <= radius_km:
                found.append((d, c))
        found.sort(key=lambda pair: (pair[0], pair[1].code_insee))
        return found


@functools.cache
def _load_packaged() -> Gazetteer:
    data = resources.files("maillage").joinpath("data", DATA_FILE).read_bytes()
    return Gazetteer(_read_gzip_csv(data))
