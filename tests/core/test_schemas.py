"""The schemas themselves: well-formed, documented in French, and the fast check agrees with jsonschema."""

from __future__ import annotations

import random
from typing import Any

import phonenumbers
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import CONVENTION, PROFESSIONNEL, STRUCTURE
from maillage.core.kinds import KIND_NAMES as KINDS
from maillage.core.schemas import load_schemas
from maillage.validation.record_rules import valid_phone

SCHEMAS = load_schemas()
BASE = {"professionnel": PROFESSIONNEL, "structure": STRUCTURE, "convention": CONVENTION}


@pytest.mark.parametrize("name", [*KINDS, "registre", "vocabulaire", "definitions"])
def test_schema_is_valid_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(SCHEMAS.raw[name])


@pytest.mark.parametrize("kind", [*KINDS, "registre"])
def test_every_property_has_french_title_and_description(kind: str) -> None:
    for path, node, _base in SCHEMAS.walk(kind):
        assert node.get("title") and node.get("description"), path
    for path, node, _base in SCHEMAS.walk(kind):
        if node.get("type") == "object" and "propertyNames" not in node:  # maps keyed by vocabulary ids
            assert node.get("additionalProperties") is False, path


def _mutations(draw: Any, value: Any) -> Any:
    """Randomly break a record: drop keys, change types, add unknown keys."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            choice = draw(st.integers(0, 9))
            if choice == 0:
                continue
            out[key] = _mutations(draw, item)
        if draw(st.integers(0, 15)) == 0:
            out["champ_inconnu"] = 1
        return out
    if isinstance(value, list):
        return [_mutations(draw, v) for v in value]
    choice = draw(st.integers(0, 12))
    replacements: list[Any] = [None, 3, -1, 2.5, True, "x", "", [], {}, "999999", "2025-13-01", "https://ok"]
    return replacements[choice] if choice < len(replacements) else value


@st.composite
def broken_records(draw: Any) -> tuple[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    return kind, _mutations(draw, yaml.safe_load(BASE[kind]))


@settings(max_examples=300, deadline=None)
@given(broken_records())
def test_fast_check_agrees_with_jsonschema(case: tuple[str, Any]) -> None:
    kind, data = case
    data = yaml.safe_load(yaml.safe_dump(data, default_flow_style=False))  # dates become text below
    data = _dates_as_text(data)
    reference = not any(True for _ in SCHEMAS.validators[kind].iter_errors(data))
    assert SCHEMAS.is_valid(kind, data) == reference


def _dates_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def test_phone_check_matches_libphonenumber() -> None:
    rng = random.Random(20261122)
    for _ in range(5000):
        digits = "0" + str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(8))
        written = " ".join(digits[i:i + 2] for i in range(0, 10, 2)) if rng.random() < 0.5 else digits
        expected = phonenumbers.is_valid_number(phonenumbers.parse(digits, "FR"))
        assert valid_phone(written) == expected, written
    assert valid_phone("+33 2 61 91 12 34") and not valid_phone("06 39 98 12 34")
