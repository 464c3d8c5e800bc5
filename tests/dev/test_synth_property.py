"""Property tests: any size, any seed, the synthetic registry validates without a problem."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.core.schemas import load_schemas
from maillage.dev.synth import dump_yaml, write_registry
from maillage.load.safe_yaml import parse_text
from maillage.validation import validate


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_TODAY", "2026-11-22")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(min_value=1, max_value=60), seed=st.integers(min_value=0, max_value=2**31))
def test_any_synthetic_registry_is_clean(n: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "registre"
        written = write_registry(root, n, seed=seed)  # and its internal registry, beside it
        result = validate(root, internal=written.internal)
        assert [f"{p.location()} {p.code} {p.message}" for p in result.problems] == []
        assert result.internal is not None
        assert len(result.registry.records) + len(result.internal.records) == n


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(min_value=3, max_value=30), seed=st.integers(min_value=0, max_value=1000),
       day=st.dates(min_value=__import__("datetime").date(2020, 1, 1),
                    max_value=__import__("datetime").date(2035, 12, 31)))
def test_clean_whatever_the_day(n: int, seed: int, day, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MAILLAGE_TODAY", day.isoformat())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "registre"
        written = write_registry(root, n, seed=seed)
        assert validate(root).problems == []
        assert validate(root, internal=written.internal).problems == []


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x85\u2028\u2029"),
                max_size=200)


@settings(max_examples=200, deadline=None)
@given(value=_TEXT, items=st.lists(_TEXT, max_size=3))
def test_emitter_round_trips_any_text(value: str, items: list[str]) -> None:
    data = {"description": value, "lieux": [{"adresse": value, "nom": "x"}], "documents": items}
    text = dump_yaml(data)
    assert parse_text(text, "t.yaml", load_schemas().text_keys).data == data
    assert yaml.load(text, Loader=yaml.CSafeLoader) == data or _looks_like_yaml11_value(value, items)


def _looks_like_yaml11_value(*values: object) -> bool:
    """PyYAML (YAML 1.1) reads unquoted dates and times differently; the emitter writes dates plain."""
    import re

    flat = [values[0], *values[1]]  # type: ignore[misc]
    return any(isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d?-\d\d?([Tt ].*)?", v) for v in flat)
