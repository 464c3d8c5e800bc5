"""A plan of changes: pure data, built in full before anything is written.

``maillage import`` and ``maillage candidates`` first compute every change (create record X
with data D in registry R; set field path P of record Y to V; remove place n; move a
candidate into the public registry; replace a snapshot table), then hand the plan to
:func:`maillage.imports.apply.apply_plan`, which prepares every file and only then writes
them. Switching the writing to the project's YAML writer is one function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

RegistryName = Literal["public", "interne"]
ValuePath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Target:
    """A record file: its registry (public or internal), its kind's folder and its id."""

    registry: RegistryName
    folder: str
    id: str

    @property
    def relative(self) -> str:
        return f"{self.folder}/{self.id}.yaml"


@dataclass(frozen=True, slots=True)
class Create:
    target: Target
    data: dict[str, Any]  # keys in schema order
    schema: str  # "professionnel" or "structure": the header comment of public files


@dataclass(frozen=True, slots=True)
class SetValue:
    target: Target
    path: ValuePath
    value: Any  # None removes the key


@dataclass(frozen=True, slots=True)
class Append:
    target: Target
    path: ValuePath  # a list
    value: Any


@dataclass(frozen=True, slots=True)
class Remove:
    target: Target
    path: ValuePath  # a list
    index: int


@dataclass(frozen=True, slots=True)
class Delete:
    target: Target


@dataclass(frozen=True, slots=True)
class Move:
    """Move a record file to another registry, keeping its text (then edited by later changes)."""

    source: Target
    target: Target
    schema: str


@dataclass(frozen=True, slots=True)
class Table:
    """Replace a CSV table of a registry (snapshot, refusals) by these rows."""

    registry: RegistryName
    path: str  # relative to the registry root: "imports/finess.csv"
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Change = Create | SetValue | Append | Remove | Delete | Move | Table


@dataclass(slots=True)
class Plan:
    changes: list[Change] = field(default_factory=list)

    def add(self, change: Change) -> None:
        self.changes.append(change)

    def record_changes(self) -> list[Change]:
        return [c for c in self.changes if not isinstance(c, Table)]

    def __bool__(self) -> bool:
        return bool(self.changes)
