"""Spreadsheet-friendly copies for staff, in the French Excel CSV dialect.

``tableur/<table>.csv``: UTF-8 with a byte-order mark (so Excel detects the encoding),
``;`` separator, CRLF line ends, decimal comma, ``oui``/``non``, dates ``JJ/MM/AAAA``,
French column titles from the schemas, labels instead of codes (vocabulary terms, and the
values fixed by the schemas through :data:`maillage.core.labels.BY_FIELD`).
Chosen over ``.xlsx`` because a CSV is byte-identical for the same registry without any
effort (an .xlsx is a zip whose entries carry timestamps) and opens in every tool.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from maillage.core.labels import BY_FIELD, Choices
from maillage.core.model import Model
from maillage.exports.columns import Cell, Column, Table
from maillage.exports.tables import CONVENTIONS, LIEUX, PROFESSIONNELS, STRUCTURES

FOLDER = "tableur"
SHEETS: tuple[Table, ...] = (PROFESSIONNELS, STRUCTURES, LIEUX, CONVENTIONS)
LABELLED = {"profession": "professions", "categorie": "categories", "specialites": "specialites",
            "langues": "langues", "services": "services", "territoires": "territoires",
            "secteur_territoires": "territoires", "territoire": "territoires"}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading ``=``, ``+``, ``-``, ``@``, tab or carriage
    return would start a formula (``=cmd|' /C calc'!A0``), so such cells get a leading
    apostrophe, which Excel and LibreOffice hide (the directory's CSV does the same)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _choices(column: Column) -> Choices | None:
    """The French labels of a column copying a schema enum (statut, modalités, financeur…)."""
    if column.kind is None:
        return None
    return BY_FIELD.get((column.kind, ".".join(column.path)))


def format_cell(value: Cell, column: Column, model: Model) -> str:
    if value is None:
        return ""
    vocabulary = LABELLED.get(column.name)
    choices = _choices(column)
    if choices is not None and isinstance(value, str):
        return as_text_cell(choices.label(value))
    if choices is not None and isinstance(value, tuple):
        return as_text_cell(", ".join(choices.label(v) for v in value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, tuple):
        return as_text_cell(", ".join(model.label(vocabulary, v) if vocabulary else v for v in value))
    if isinstance(value, float) or column.decimals is not None:
        places = column.decimals if column.decimals is not None else 6
        return f"{float(value):.{places}f}".replace(".", ",")
    if vocabulary and isinstance(value, str):
        return as_text_cell(model.label(vocabulary, value))
    if isinstance(value, int):
        return str(value)
    return as_text_cell(str(value))


def render_sheet(table: Table, model: Model) -> bytes:
    columns = [c for c in table.visible_columns(model) if not c.name.endswith("_libelle")]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.info.title for c in columns])
    for row in table.rows(model):
        writer.writerow([format_cell(c.get(row), c, model) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def render(model: Model) -> dict[str, bytes]:
    return {f"{FOLDER}/{table.filename}": render_sheet(table, model) for table in SHEETS}
