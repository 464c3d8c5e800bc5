"""The open-data CSV tables: UTF-8, comma-separated, CRLF (RFC 4180), header row of column names.

Empty cell = no value. Booleans are ``true``/``false``, dates ``AAAA-MM-JJ``, decimals use a
dot and a fixed number of places, lists of terms are joined with ``;``.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from maillage.core.model import Model
from maillage.exports.columns import Cell, Column, Table
from maillage.exports.tables import TABLES

LIST_SEPARATOR = ";"
DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}


def format_cell(value: Cell, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, float) or column.decimals is not None:
        return f"{float(value):.{column.decimals if column.decimals is not None else 6}f}"
    return str(value)


def render_table(table: Table, model: Model) -> bytes:
    columns = table.visible_columns(model)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in columns])
    for row in table.rows(model):
        writer.writerow([format_cell(c.get(row), c) for c in columns])
    return buffer.getvalue().encode("utf-8")


def render(model: Model) -> dict[str, bytes]:
    return {table.filename: render_table(table, model) for table in TABLES}
