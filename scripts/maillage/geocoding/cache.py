"""The committed geocoding cache, ``registry/geocodage.csv``.

One row per normalised address (accents, case, punctuation and spacing folded;
postal code and commune included). The file is UTF-8 CSV with LF line endings,
sorted by address, coordinates with 6 decimals, so that a change shows up in a
diff as the one line that changed.

Two invariants hold whatever happens during a run:

* :meth:`GeoCache.merge` never replaces a coordinate with a less precise one, and
  never touches a coordinate pinned by hand (precision ``manuel``);
* :meth:`GeoCache.save` is atomic (temporary file, fsync, rename): a crash or
  Ctrl-C leaves either the previous file or the new one, never half of one.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from maillage.core import testhooks
from maillage.core.leftovers import remove_dead_leftovers
from maillage.core.problems import Problem, problem
from maillage.geocoding.sources import GAZETTEER, MANUAL, PRECISIONS, PROVIDERS, precision_rank
from maillage.load.registry import display_path

CACHE_FILE = "geocodage.csv"
HEADER: tuple[str, ...] = (
    "adresse_normalisee", "latitude", "longitude", "precision", "score",
    "fournisseur", "libelle", "code_insee", "date",
)
_SEPARATOR = " | "
_SPECIAL = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_INSEE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_CONFLICT = ("<<<<<<<", "=======", ">>>>>>>")


# --- normalisation -----------------------------------------------------------

def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(_SPECIAL.get(c, c) for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_NON_ALNUM.sub(" ", ascii_text).split())


def normalise_address(adresse: str, code_postal: str, commune: str) -> str:
    """The cache key of an address.

    Accents, case, punctuation and spacing are folded, so that
    ``"12, Rue de l'Église"`` and ``"12 rue de l eglise"`` share one row::

        >>> normalise_address("12, Rue de l'Église", "50200", "Coutances")
        '12 rue de l eglise | 50200 | coutances'
    """
    return _SEPARATOR.join((_fold(adresse), "".join(code_postal.split()), _fold(commune)))


def normalise_key(key: str) -> str:
    """Normalise a key read from the file (hand edits may change case or accents).

    Raises ``ValueError`` when the key does not have its three parts.
    """
    parts = key.split("|")
    if len(parts) != 3 or not all(p.strip() for p in parts):
        raise ValueError("la clé doit avoir la forme « adresse | code postal | commune »")
    return normalise_address(*parts)


# --- rows --------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CacheRow:
    """One known coordinate. Latitude and longitude are rounded to 6 decimals (≈ 10 cm)."""

    key: str
    latitude: float
    longitude: float
    precision: str
    score: float | None
    provider: str
    label: str
    code_insee: str
    date: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "latitude", round(float(self.latitude), 6))
        object.__setattr__(self, "longitude", round(float(self.longitude), 6))
        if self.score is not None:
            object.__setattr__(self, "score", round(float(self.score), 2))

    def same_result(self, other: CacheRow) -> bool:
        """True when ``other`` says the same thing (the date and score aside)."""
        return (self.latitude, self.longitude, self.precision, self.provider, self.label,
                self.code_insee) == (other.latitude, other.longitude, other.precision,
                                     other.provider, other.label, other.code_insee)

    def as_csv(self) -> list[str]:
        score = "" if self.score is None else f"{self.score:.2f}"
        return [self.key, f"{self.latitude:.6f}", f"{self.longitude:.6f}", self.precision, score,
                self.provider, self.label, self.code_insee, self.date]


def may_replace(old: CacheRow, new: CacheRow) -> bool:
    """Whether ``new`` may take the place of ``old``: never a less precise coordinate.

    A coordinate pinned by hand is never replaced; at equal precision a commune
    centroid from the gazetteer never replaces a geocoder's answer.
    """
    if old.precision == MANUAL:
        return False
    old_rank, new_rank = precision_rank(old.precision), precision_rank(new.precision)
    if new_rank != old_rank:
        return new_rank > old_rank
    return not (new.provider == GAZETTEER and old.provider != GAZETTEER)


class MergeOutcome(StrEnum):
    ADDED = "ajoutée"
    UPDATED = "mise à jour"
    UNCHANGED = "inchangée"
    KEPT = "conservée"  # the new result was less precise: the known coordinate stays


class CacheError(Exception):
    """The cache file cannot be read safely; it must be fixed by hand before any run."""

    def __init__(self, issue: Problem) -> None:
        super().__init__(f"{issue.location()}: {issue.message}")
        self.problem = issue


# --- the cache ---------------------------------------------------------------

class GeoCache:
    """Known coordinates by normalised address."""

    def __init__(self, rows: Iterable[CacheRow] = (), path: Path | None = None) -> None:
        self.path = path
        self._rows: dict[str, CacheRow] = {}
        for row in rows:
            self._rows[row.key] = row

    @classmethod
    def load(cls, path: Path) -> GeoCache:
        """Read ``path``; a missing file is an empty cache. Raises :class:`CacheError`."""
        path = Path(path)
        if not path.exists():
            return cls((), path)
        file = display_path(path)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CacheError(problem("geocode-cache-invalid", file, line=1, column=1, reason="encoding")) from None
        except OSError as exc:
            raise CacheError(problem("geocode-cache-invalid", file, line=1, column=1, reason="unreadable",
                                     error=exc.strerror or type(exc).__name__)) from None
        return cls(_parse(text, file), path)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[CacheRow]:
        return iter(sorted(self._rows.values(), key=lambda r: r.key))

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def lookup(self, key: str) -> CacheRow | None:
        """The row of a normalised key (see :func:`normalise_address`)."""
        return self._rows.get(key)

    def lookup_address(self, adresse: str, code_postal: str, commune: str) -> CacheRow | None:
        return self._rows.get(normalise_address(adresse, code_postal, commune))

    def merge(self, row: CacheRow) -> MergeOutcome:
        """Record a result, unless it would degrade what is known (see :func:`may_replace`)."""
        old = self._rows.get(row.key)
        if old is None:
            self._rows[row.key] = row
            return MergeOutcome.ADDED
        if old.same_result(row):
            return MergeOutcome.UNCHANGED  # the old date stays: no churn in the diff
        if not may_replace(old, row):
            return MergeOutcome.KEPT
        self._rows[row.key] = row
        return MergeOutcome.UPDATED

    def to_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADER)
        for row in self:
            writer.writerow(row.as_csv())
        return buffer.getvalue()

    def save(self, path: Path | None = None) -> bool:
        """Write the cache atomically; returns False when the file already had these bytes."""
        target = Path(path or self.path or CACHE_FILE)
        data = self.to_text().encode("utf-8")
        try:
            if target.read_bytes() == data:
                return False
        except OSError:
            pass
        atomic_write(target, data)
        return True


def atomic_write(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` so that readers see the old or the new file, never a mix.

    The temporary file is hidden beside the target (``.<name>.<pid>-….tmp``); those left by
    a process that was killed are deleted by the next successful write.
    """
    directory = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data[: len(data) // 2])
            handle.flush()
            testhooks.reached("geocodage-ecriture")
            handle.write(data[len(data) // 2:])
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(directory)
    remove_stale_temporary_files(target)


def remove_stale_temporary_files(target: Path) -> list[Path]:
    """Delete the temporary files of :func:`atomic_write` left beside ``target`` by dead processes."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)-[^/]*\.tmp$")
    return remove_dead_leftovers(target, pattern, folders=False)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


# --- parsing -----------------------------------------------------------------

class _BadCell(ValueError):
    """A cell that cannot be read: the reason of « geocode-cache-invalid » and its fields."""

    def __init__(self, reason: str, **fields: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fields = fields


def _parse(text: str, file: str) -> list[CacheRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[CacheRow] = []
    first_line: dict[str, int] = {}

    def fail(line: int, reason: str, **fields: object) -> CacheError:
        return CacheError(problem("geocode-cache-invalid", file, line=line, column=1, reason=reason, **fields))

    try:
        header = next(reader, None)
        if header is None:
            return rows
        if tuple(header) != HEADER:
            raise fail(1, "header", header=",".join(HEADER))
        for cells in reader:
            line = reader.line_num
            if not cells:
                continue
            if cells[0].startswith(_CONFLICT):
                raise fail(line, "merge-conflict")
            if len(cells) != len(HEADER):
                raise fail(line, "columns", expected=len(HEADER), count=len(cells))
            try:
                row = _row(cells)
            except _BadCell as exc:
                raise fail(line, exc.reason, **exc.fields) from None
            if row.key in first_line:
                raise fail(line, "duplicate", first_line=first_line[row.key])
            first_line[row.key] = line
            rows.append(row)
    except csv.Error as exc:
        raise fail(reader.line_num, "malformed", error=str(exc)) from None
    return rows


def _row(cells: list[str]) -> CacheRow:
    key, lat, lon, precision, score, provider, label, code_insee, day = (c.strip() for c in cells)
    latitude, longitude = _number(lat, "latitude", -90, 90), _number(lon, "longitude", -180, 180)
    if precision not in PRECISIONS:
        raise _BadCell("unknown-precision", value=precision, allowed=list(PRECISIONS))
    if provider not in PROVIDERS:
        raise _BadCell("unknown-provider", value=provider, allowed=list(PROVIDERS))
    if code_insee and not _INSEE.match(code_insee):
        raise _BadCell("invalid-insee", value=code_insee)
    try:
        date.fromisoformat(day)
    except ValueError:
        raise _BadCell("invalid-date", value=day) from None
    return CacheRow(normalise_key(key), latitude, longitude, precision,
                    _number(score, "score", 0, 1) if score else None, provider, label, code_insee, day)


def _number(text: str, name: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _BadCell("not-a-number", cell=name, value=text) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise _BadCell("out-of-range", cell=name, value=text, low=low, high=high)
    return value
