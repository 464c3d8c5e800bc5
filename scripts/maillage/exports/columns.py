"""Column and table definitions shared by the CSV, Table Schema, spreadsheet and docs outputs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from maillage.core.model import Model
from maillage.exports.fields import FieldInfo, schema_field

Cell = str | int | float | bool | date | tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, how to read it from a row, and where its meaning comes from.

    Columns that copy a record field name the schema path (``kind`` + ``path``) and take
    title, type and description from the JSON Schemas. Derived columns (coordinates,
    precision, territory, keys) carry their own ``info``.
    """

    name: str
    get: Callable[[Any], Cell]
    kind: str | None = None
    path: tuple[str, ...] = ()
    info_override: FieldInfo | None = None
    decimals: int | None = None
    interne: bool = False
    required: bool | None = None

    @property
    def info(self) -> FieldInfo:
        if self.info_override is not None:
            return self.info_override
        assert self.kind is not None
        base = schema_field(self.kind, self.path)
        if self.required is None:
            return base
        return FieldInfo(base.title, base.description, base.type, self.required, base.is_list, base.enum,
                         base.pattern, base.minimum, base.maximum, base.max_length)


@dataclass(frozen=True, slots=True)
class ForeignKey:
    column: str
    table: str
    target: str = "id"


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    title: str
    description: str
    rows: Callable[[Model], Iterable[Any]]
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def visible_columns(self, model: Model) -> tuple[Column, ...]:
        """Internal columns exist only in the internal export."""
        return tuple(c for c in self.columns if model.audience == "interne" or not c.interne)


def derived(name: str, get: Callable[[Any], Cell], title: str, description: str, type_: str = "string",
            *, required: bool = False, decimals: int | None = None, enum: tuple[str, ...] = (),
            is_list: bool = False) -> Column:
    info = FieldInfo(title, description, type_, required, is_list, enum)
    return Column(name, get, info_override=info, decimals=decimals)


def field(kind: str, *path: str, get: Callable[[Any], Cell], name: str | None = None,
          decimals: int | None = None, required: bool | None = None) -> Column:
    return Column(name or "_".join(path), get, kind, tuple(path), decimals=decimals, required=required)


def interne_columns(kind: str) -> tuple[Column, ...]:
    """The ``interne_*`` columns, read from the record's internal section."""
    def getter(attr: str) -> Callable[[Any], Cell]:
        return lambda r: getattr(r.interne, attr) if r.interne else None

    return tuple(
        Column(f"interne_{attr}", getter(attr), kind, ("interne", attr), interne=True)
        for attr in ("telephone", "courriel", "contact", "notes")
    )
