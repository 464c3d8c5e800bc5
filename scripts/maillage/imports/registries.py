"""The two registries as the import sees them: records by identifier, refusals.

The public registry is read with :func:`maillage.load.registry.load_registry`. The internal
registry (``--internal DIR``) has the same folders; a file whose only top-level key is
``interne`` is the internal part of the public record with the same id (not a record of
its own); any other file is a whole internal-only record — among them the candidates
(``statut: candidat``) written by ``maillage import``. Refusals (``maillage candidates
reject``) are kept in the internal registry, ``imports/refus.csv``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maillage.core.kinds import BY_NAME, PLACE_KINDS
from maillage.imports.errors import ImportFileError
from maillage.imports.plan import RegistryName, Target
from maillage.load.registry import LoadedRegistry, display_path, load_internal, load_registry

SCHEMES: dict[str, tuple[str, ...]] = {"structure": ("finess",), "professionnel": ("rpps", "adeli")}
REFUSALS = "imports/refus.csv"
REFUSAL_HEADER = ("source", "identifiant", "id", "nom", "date")


@dataclass(slots=True)
class Known:
    """A record of either registry, as the import reads it."""

    registry: RegistryName
    kind: str
    id: str
    data: dict[str, Any]
    file: str

    @property
    def statut(self) -> str:
        return str(self.data.get("statut", ""))

    @property
    def target(self) -> Target:
        return Target(self.registry, BY_NAME[self.kind].folder, self.id)

    def identifiers(self) -> list[str]:
        return [v for s in SCHEMES.get(self.kind, ()) if isinstance(v := self.data.get(s), str) and v]

    @property
    def term(self) -> str | None:
        value = self.data.get(BY_NAME[self.kind].category_field)
        return value if isinstance(value, str) else None

    def title(self) -> str:
        d = self.data
        if self.kind == "professionnel":
            return f"{d.get('prenom', '')} {d.get('nom', '')}".strip() or self.id
        return str(d.get("nom") or self.id)


class RegistryErrors(Exception):
    """Record files that cannot be read: fix them before importing (exit status 1)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def public_records(loaded: LoadedRegistry) -> list[Known]:
    return [Known("public", r.kind, r.id, r.data, r.file) for r in loaded.records if r.kind in BY_NAME]


def load_public(root: Path) -> tuple[LoadedRegistry, list[Known]]:
    loaded = load_registry(root)
    broken = [p for p in loaded.problems if p.is_error and p.code.startswith(("yaml-", "file-"))]
    if broken:
        raise RegistryErrors([f"{p.location()} : {p.message}" for p in broken])
    return loaded, public_records(loaded)


def internal_records(root: Path) -> list[Known]:
    """Whole records (professionals and structures) of the internal registry, read by its loader
    (:func:`maillage.load.registry.load_internal`; its internal parts are left out)."""
    inner = load_internal(root)
    broken = [p for p in inner.problems if p.is_error and p.code.startswith(("yaml-", "file-"))]
    if broken:
        raise RegistryErrors([f"{p.location()} : {p.message}" for p in broken])
    place_kinds = {k.name for k in PLACE_KINDS}
    return [Known("interne", r.kind, r.id, r.data, r.file) for r in inner.records if r.kind in place_kinds]


@dataclass(frozen=True, slots=True)
class Refusal:
    source: str
    identifiant: str
    id: str
    nom: str
    date: str


def read_refusals(root: Path | None) -> list[Refusal]:
    if root is None:
        return []
    path = root / REFUSALS
    if not path.is_file():
        return []
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    if not rows or tuple(rows[0]) != REFUSAL_HEADER:
        raise ImportFileError(display_path(path), 1, f"en-tête attendu : « {','.join(REFUSAL_HEADER)} ».")
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(REFUSAL_HEADER):
            raise ImportFileError(display_path(path), number, f"{len(REFUSAL_HEADER)} colonnes attendues.")
        out.append(Refusal(*row))
    return out


def refusal_rows(refusals: list[Refusal]) -> tuple[tuple[str, ...], ...]:
    unique = {(r.source, r.identifiant): r for r in refusals}
    return tuple((r.source, r.identifiant, r.id, r.nom, r.date) for _k, r in sorted(unique.items()))
