"""What the safe loader makes of a partner's YAML: intended values, or a precise refusal."""

from __future__ import annotations

import pytest

from maillage.core.schemas import load_schemas
from maillage.load.safe_yaml import LoadError, parse_text

TEXT_KEYS = load_schemas().text_keys


def load(text: str) -> dict:
    return parse_text(text, "f.yaml", TEXT_KEYS).data


@pytest.mark.parametrize(("yaml_text", "key", "expected"), [
    ("code_postal: 06000", "code_postal", "06000"),       # not octal 3072, not 6000
    ("code_postal: 50000", "code_postal", "50000"),       # a code stays text
    ("rpps: 10001234565", "rpps", "10001234565"),
    ("siret: 99000001000019", "siret", "99000001000019"),
    ("code_insee: 2A004", "code_insee", "2A004"),
    ("verifie_le: 2025-03-01", "verifie_le", "2025-03-01"),  # not a datetime.date
    ("horaires: 08:30-12:00", "horaires", "08:30-12:00"),  # not sexagesimal
    ("accessible_pmr: oui", "accessible_pmr", "oui"),     # not True: the validator explains
    ("accessible_pmr: no", "accessible_pmr", "no"),       # not False (YAML 1.1 trap)
    ("accessible_pmr: true", "accessible_pmr", True),
    ("delai_semaines: 12", "delai_semaines", 12),
    ("montant: 1250.50", "montant", 1250.5),
    ("montant: .inf", "montant", ".inf"),                 # never an infinite amount
    ("nom: 'Null'", "nom", "Null"),
    ("nom: null", "nom", None),
    ("telephone: 0261911234", "telephone", "0261911234"),
])
def test_plain_scalars_keep_the_intended_value(yaml_text: str, key: str, expected: object) -> None:
    assert load(yaml_text)[key] == expected


@pytest.mark.parametrize(("yaml_text", "code", "line"), [
    ("a: 1\nb: &x 2\nc: *x\n", "yaml-alias", 2),
    ("a: !!binary aGVsbG8=\n", "yaml-tag", 1),
    ("a: 1\na: 2\n", "yaml-duplicate-key", 2),
    ("- a\n", "yaml-not-mapping", 1),
    ("a: 1\n---\na: 2\n", "yaml-multiple-documents", 2),
    ("a:\n\tb: 1\n", "yaml-tab", 2),
    ("? [a, b]\n: 1\n", "yaml-complex-key", 1),
])
def test_hazards_are_refused_with_position(yaml_text: str, code: str, line: int) -> None:
    with pytest.raises(LoadError) as caught:
        load(yaml_text)
    assert caught.value.problem.code == code
    assert caught.value.problem.line == line


def test_positions_are_recorded_while_loading() -> None:
    doc = parse_text("nom: A\nlieux:\n  - adresse: 1 rue\n    code_postal: '50000'\n", "f.yaml", TEXT_KEYS)
    assert doc.position(("lieux", 0, "code_postal")) == (4, 18)
    assert doc.position(("lieux", 0, "code_postal"), key=True) == (4, 5)
    assert doc.position(("lieux", 0)) == (3, 5)
    # A missing value: the nearest enclosing one (where the field should be added).
    assert doc.position(("lieux", 0, "commune")) == (3, 5)
    assert doc.position(("telephone",), key=True) == (1, 1)


def test_positions_follow_the_document_through_flow_lists_and_empty_values() -> None:
    text = "a: [x, {b: 1, c: [2, 3]}]\nd:\ne: {}\nf: []\ng: 'h'\n"
    doc = parse_text(text, "f.yaml", TEXT_KEYS)
    assert doc.position(("a", 1, "c", 1)) == (1, 22)
    assert doc.position(("a", 1, "c"), key=True) == (1, 15)
    assert doc.position(("d",)) == (3, 1) or doc.position(("d",)) == (2, 3)
    assert doc.position(("e",)) == (3, 4)
    assert doc.position(("g",)) == (5, 4)


def test_deep_nesting_is_refused_not_crashing() -> None:
    with pytest.raises(LoadError) as caught:
        load("a: " + "[" * 5000 + "]" * 5000)
    assert caught.value.problem.code == "yaml-syntax"


def _paths(value: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [path]
    if isinstance(value, dict):
        for name, item in value.items():
            found += _paths(item, (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def test_walking_to_a_position_agrees_with_the_index() -> None:
    """A few lookups walk the data; many build an index: both give the same line and column."""
    from conftest import CONVENTION, PROFESSIONNEL, STRUCTURE

    for text in (PROFESSIONNEL, STRUCTURE, CONVENTION, "a: [x, {b: 1, c: [2, [3, {d: e}]]}]\nf: {}\n"):
        walked, indexed = parse_text(text, "f.yaml", TEXT_KEYS), parse_text(text, "f.yaml", TEXT_KEYS)
        indexed._index()
        probes = [p for path in _paths(walked.data) for p in (path, (*path, "absent"), (*path, 7))]
        assert len(probes) > 30
        for path in probes:
            for key in (False, True):
                walked._lookups = 0  # stay on the walking path
                assert walked.position(path, key) == indexed.position(path, key), (path, key)
