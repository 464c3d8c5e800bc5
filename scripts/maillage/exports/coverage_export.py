"""``couverture.csv`` as bytes: the open-data table :data:`maillage.exports.coverage_table.COUVERTURE`."""

from __future__ import annotations

from maillage.core.model import Model
from maillage.exports.coverage_table import COUVERTURE
from maillage.exports.csv_tables import render_table
from maillage.steering.coverage import Coverage

COLUMNS = tuple(c.name for c in COUVERTURE.columns)
FILE_NAME = COUVERTURE.filename


def coverage_csv(model: Model, coverage: Coverage | None = None) -> bytes:
    """The coverage table (``coverage`` is accepted for compatibility; the model's cache is used)."""
    del coverage
    return render_table(COUVERTURE, model)
