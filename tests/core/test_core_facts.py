"""The facts declared once in ``maillage.core`` agree with the schemas and with each other."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from maillage.core import french, kinds, labels, statuses
from maillage.core.schemas import load_schemas


def _enums(node: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], list[str]]:
    """Every ``enum`` of a bundled schema, by property path (list items add nothing to the path)."""
    out: dict[tuple[str, ...], list[str]] = {}
    if isinstance(node, dict):
        if "enum" in node:
            out[path] = list(node["enum"])
        for key, value in node.get("properties", {}).items():
            out.update(_enums(value, (*path, key)))
        if isinstance(node.get("items"), dict):
            out.update(_enums(node["items"], path))
        for key in ("oneOf", "anyOf", "allOf"):
            for option in node.get(key, []):
                out.update(_enums(option, path))
    return out


@pytest.mark.parametrize("kind", kinds.KIND_NAMES)
def test_every_schema_enum_has_french_labels_for_each_value(kind: str) -> None:
    schema = load_schemas().bundled(kind)
    for path, values in _enums(schema).items():
        if path[-1:] == ("interne",):
            continue
        choices = labels.BY_FIELD.get((kind, ".".join(path)))
        assert choices is not None, f"{kind}.{'.'.join(path)} n'a pas de libellés dans core/labels.py"
        assert list(choices) == values, f"{kind}.{'.'.join(path)} : libellés et schéma diffèrent"
        assert all(choices.label(v) and choices.short_label(v) for v in values)


def test_statuses_are_the_schema_statuses() -> None:
    schemas = load_schemas()
    record = schemas.raw["definitions"]["$defs"]["statut_fiche"]["enum"]
    convention = schemas.raw["convention"]["properties"]["statut"]["enum"]
    assert [s.id for s in statuses.RECORD_STATUSES] == record
    assert [s.id for s in statuses.CONVENTION_STATUSES] == convention


def test_status_meanings() -> None:
    assert {"active"} == statuses.IN_FORCE
    assert {"signee", "active", "suspendue"} == statuses.RUNNING
    assert {"signee", "active"} == statuses.COMMITTED
    assert {"projet", "en-negociation"} == statuses.DRAFT
    assert statuses.in_force("active") and not statuses.in_force("signee")
    assert statuses.is_listed("inactif", "public") and not statuses.is_listed("cesse", "public")
    assert statuses.is_listed("cesse", "interne") and not statuses.is_listed("retire", "interne")


def test_kinds_table_matches_schemas_and_model() -> None:
    schemas = load_schemas()
    for k in kinds.KINDS:
        assert k.schema in schemas.raw
        assert k.model.__dataclass_fields__["kind"].default == k.name  # type: ignore[attr-defined]
        assert k.url("x") == f"{k.folder}/x/"
    assert kinds.BY_FOLDER["structures"].name == "structure"


@pytest.mark.parametrize(("value", "expected"), [
    (99.99, "99,99\u00a0€"), (100.0, "100\u00a0€"), (1234.5, "1\u202f234,50\u00a0€"), (145000, "145\u202f000\u00a0€"),
])
def test_one_way_to_write_money(value: float, expected: str) -> None:
    assert french.euros(value) == expected


def test_french_counts_dates_lists_and_durations() -> None:
    assert french.plural(0, "fiche") == "0\u00a0fiche"
    assert french.plural(1, "fiche") == "1\u00a0fiche"
    assert french.plural(1234, "fiche") == "1\u202f234\u00a0fiches"
    assert french.date_fr(date(2026, 3, 1)) == "1er mars 2026"
    assert french.join_fr(["a", "b", "c"]) == "a, b et c"
    assert french.join_fr(["a", "b"], "ou") == "a ou b"
    assert french.weeks(0) == "moins d'une semaine"
    assert french.weeks(1) == "1 semaine"
    assert french.weeks(4) == "4 semaines"
    assert french.days_from(date(2026, 12, 10), date(2026, 11, 29)) == "dans 11\u00a0jours"
    assert french.days_from(date(2026, 11, 30), date(2026, 11, 29)) == "demain"
    assert french.km_fr(12.0) == "12" and french.km_fr(12.34) == "12,3"
    assert french.percent(0.005) == "moins de 1\u00a0%"
