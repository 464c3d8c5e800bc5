"""The canonical form of record files: one text per record, values never changed, comments kept."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.core.schemas import load_schemas
from maillage.dev.synth import write_registry
from maillage.editing.canonical import (
    CanonicalError,
    canonical_text,
    code_keys,
    is_canonical,
    kind_of_file,
    record_text,
    same_values,
)
from maillage.editing.templates import render
from maillage.load.safe_yaml import LoadError, parse_text

REPO = Path(__file__).resolve().parents[2]
SAMPLE = sorted(p for folder in ("professionnels", "structures", "conventions")
                for p in (REPO / "registry" / folder).glob("*.yaml"))
TEXT_KEYS = load_schemas().text_keys


def values(text: str) -> dict:
    return parse_text(text, "t.yaml", TEXT_KEYS).data


def test_every_sample_record_is_canonical() -> None:
    assert len(SAMPLE) > 200
    not_canonical = [p.name for p in SAMPLE if not is_canonical(p.read_text(encoding="utf-8"), kind_of_file(p) or "")]
    assert not_canonical == []


def _rewritten_by_another_tool(data: dict, seed: int) -> str:
    """What a generic YAML writer (a web editor) makes of a record: keys shuffled, flow or block
    lists, single quotes, comments dropped."""
    rng = random.Random(seed)

    def shuffle(value):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            items = [(k, shuffle(v)) for k, v in value.items()]
            rng.shuffle(items)
            return dict(items)
        if isinstance(value, list):
            return [shuffle(v) for v in value]
        return value

    return yaml.safe_dump(shuffle(data), allow_unicode=True, sort_keys=False, width=60,
                          default_flow_style=rng.choice([None, False]))


@pytest.mark.parametrize("path", SAMPLE[::7], ids=lambda p: p.stem)
def test_a_rewritten_record_comes_back_to_its_committed_form(path: Path) -> None:
    committed = path.read_text(encoding="utf-8")
    kind = kind_of_file(path)
    assert kind
    for seed in range(3):
        messy = _rewritten_by_another_tool(values(committed), seed)
        assert same_values(values(messy), values(committed))  # the other tool kept the values
        result = canonical_text(messy, kind)
        # the comment the other tool dropped is the only difference
        assert result == committed.replace("# Fiche fictive (exemple)\n", "")
        assert same_values(values(result), values(committed))


def test_synthetic_registry_is_canonical_and_fmt_keeps_its_values(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_TODAY", "2026-11-22")
    write_registry(tmp_path / "r", 120, seed=5)  # and its internal registry, r-interne
    files = sorted([*tmp_path.glob("r/*/*.yaml"), *tmp_path.glob("r-interne/*/*.yaml")])
    records = [p for p in files if kind_of_file(p)]
    assert len([p for p in records if "interne:" not in p.read_text(encoding="utf-8").split("\n")[1]]) == 120
    for path in records:
        text = path.read_text(encoding="utf-8")
        assert canonical_text(text, kind_of_file(path) or "") == text, path.name
        assert text.startswith("# yaml-language-server: $schema=../../schemas/")


def test_fields_follow_the_schema_and_comments_follow_their_field() -> None:
    text = """\
# Fiche de test
statut: actif   # publiée
# le nom d'exercice
nom: 'Dupont'
lieux:
- code_postal: 06000
  adresse: 12 rue X  # la rue
  # la commune
  commune: Nice
  code_insee: "06088"
  telephone: 02 61 91 12 34
  # en fin de lieu
prenom: Jean
modalites: [cabinet, visio]   # les modes
ages: {min: 0, max: 18}
description: >-   # résumé
  Un texte
  sur deux lignes.


verifie_le: "2026-10-01"
inconnu: oui
profession: orthophoniste
# fin du fichier
"""
    assert canonical_text(text, "professionnel") == """\
# yaml-language-server: $schema=../../schemas/professionnel.schema.json
# Fiche de test
# le nom d'exercice
nom: Dupont
prenom: Jean
profession: orthophoniste
lieux:
  - adresse: 12 rue X  # la rue
    code_postal: "06000"
    # la commune
    commune: Nice
    code_insee: "06088"
    telephone: "02 61 91 12 34"
    # en fin de lieu
ages:
  min: 0
  max: 18
modalites:  # les modes
  - cabinet
  - visio
description: Un texte sur deux lignes.  # résumé
statut: actif  # publiée
verifie_le: 2026-10-01
inconnu: oui
# fin du fichier
"""


def test_codes_and_numbers_as_text_are_quoted_dates_and_words_are_not() -> None:
    data = {"nom": "06000", "prenom": "true", "profession": "oui", "rpps": "19900000019",
            "description": "1e3", "source": "09:30", "verifie_le": "2026-10-01",
            "lieux": [{"adresse": "- tiret", "code_postal": "50200", "commune": "Saint-Lô", "code_insee": "2A004",
                       "telephone": "02 61 91 12 34", "accessible_pmr": True,
                       "coordonnees": {"latitude": 49.1157, "longitude": -1.0906}}],
            "ages": {"min": 0, "max": 18}}
    text = record_text("professionnel", data)
    for line in ('nom: "06000"', 'prenom: "true"', "profession: oui", 'rpps: "19900000019"',
                 'description: "1e3"', 'source: "09:30"', "verifie_le: 2026-10-01", '  - adresse: "- tiret"',
                 '    code_postal: "50200"', "    commune: Saint-Lô", '    code_insee: "2A004"',
                 '    telephone: "02 61 91 12 34"', "    accessible_pmr: true", "      latitude: 49.1157",
                 "  min: 0"):
        assert f"\n{line}\n" in text, line
    assert same_values(values(text), data)
    assert {"code_postal", "code_insee", "telephone", "rpps", "finess", "siret", "communes"} <= code_keys()
    assert "verifie_le" not in code_keys() and "nom" not in code_keys()


def test_long_text_is_folded_and_multiline_text_is_a_literal_block() -> None:
    long = "Bilans et rééducation du langage oral et écrit, " * 5
    data = {"nom": "X", "description": long.strip(), "source": "ligne 1\nligne 2"}
    text = record_text("professionnel", data)
    assert "description: >-\n  Bilans" in text
    assert all(len(line) <= 88 for line in text.split("\n"))
    assert "source: |-\n  ligne 1\n  ligne 2\n" in text
    assert same_values(values(text), data)


def test_modeline_is_added_kept_or_corrected() -> None:
    assert canonical_text("nom: X\n", "structure").startswith(
        "# yaml-language-server: $schema=../../schemas/structure.schema.json\nnom: X\n")
    own = "# yaml-language-server: $schema=../../../schemas/structure.schema.json\nnom: X\n"
    assert canonical_text(own, "structure") == own  # another relative path to the right schema: kept
    moved = "# Commentaire\n# yaml-language-server: $schema=https://example.org/s/structure.schema.json\nnom: X\n"
    assert canonical_text(moved, "structure") == (
        "# yaml-language-server: $schema=https://example.org/s/structure.schema.json\n# Commentaire\nnom: X\n")
    wrong = "# yaml-language-server: $schema=../../schemas/convention.schema.json\nnom: X\n"
    assert canonical_text(wrong, "structure").split("\n")[0].endswith("/structure.schema.json")


def test_blank_lines_trailing_spaces_and_line_endings_are_tidied() -> None:
    text = "\n\nnom: X   \n\n\n\n# note   \nprenom: Jean\n\n\n"
    assert canonical_text(text, "professionnel") == (
        "# yaml-language-server: $schema=../../schemas/professionnel.schema.json\nnom: X\n\n# note\nprenom: Jean\n")
    crlf = "nom: X\r\nprenom: Jean\r\n"
    assert canonical_text(crlf, "professionnel").endswith("nom: X\nprenom: Jean\n")


def test_literal_text_keeps_its_blank_lines_and_spaces() -> None:
    data = {"nom": "X", "description": "a  \n\n\nb\n  c"}
    text = record_text("professionnel", data)
    assert same_values(values(canonical_text(text, "professionnel")), data)
    assert canonical_text(text, "professionnel") == text


def test_templates_of_maillage_new_are_canonical(tmp_path: Path) -> None:
    from datetime import date

    for kind in ("professionnel", "structure", "convention"):
        target = REPO / "registry" / f"{kind}s" / "x.yaml"
        text = render(kind, "x", target, date(2026, 11, 22))
        assert is_canonical(text, kind), kind


def test_text_that_does_not_load_raises_the_loaders_error() -> None:
    with pytest.raises(LoadError) as error:
        canonical_text("nom: X\nnom: Y\n", "professionnel", "fiche.yaml")
    assert error.value.problem.code == "yaml-duplicate-key"
    with pytest.raises(LoadError):
        canonical_text("nom: [X\n", "professionnel")


# -- properties ------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)
_SCALAR = st.one_of(_TEXT, st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(["06000", "oui", "non", "yes", "on", "~", "null", "2026-10-01", "2026-02-30",
                                     "09:30", "1e3", ".inf", "0x1F", "- a", "a: b", "#x", "x #y", "'q", '"q"',
                                     "« guillemets »", "ligne\nligne", " espace", "", "true", "1_000"]))
_KEYS = st.sampled_from(["nom", "prenom", "profession", "specialites", "rpps", "lieux", "ages", "description",
                         "statut", "verifie_le", "source", "interne", "inconnu", "code_postal", "telephone", "1",
                         "a b", "x: y", "#c"])
_VALUE = st.recursive(_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=12)
_RECORD = st.dictionaries(_KEYS, _VALUE, min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(data=_RECORD, kind=st.sampled_from(["professionnel", "structure", "convention"]))
def test_any_values_are_written_so_that_they_load_back_unchanged(data: dict, kind: str) -> None:
    try:
        text = record_text(kind, data)
    except CanonicalError:
        # refused only when a yes/no or a number sits in a text field, where it would be read as text
        assert _non_text_in_text_field(data)
        return
    assert same_values(values(text), data)
    assert canonical_text(text, kind) == text


def _non_text_in_text_field(value: object, key: str | None = None) -> bool:
    if isinstance(value, dict):
        return any(_non_text_in_text_field(v, k) for k, v in value.items())
    if isinstance(value, list):
        return any(_non_text_in_text_field(v, key) for v in value)
    return key in TEXT_KEYS and value is not None and not isinstance(value, str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_RECORD, seed=st.integers(0, 10_000), comments=st.lists(st.integers(0, 60), max_size=6))
def test_canonical_form_is_idempotent_and_keeps_values_and_comments(data: dict, seed: int,
                                                                   comments: list[int]) -> None:
    messy = _rewritten_by_another_tool(data, seed)  # PyYAML's YAML 1.1: some values are read otherwise
    without_comments = values(messy)
    lines = messy.split("\n")
    for position in sorted(comments, reverse=True):  # comment lines anywhere between lines
        position = position % len(lines)
        indent = len(lines[position]) - len(lines[position].lstrip(" "))
        lines.insert(position, " " * indent + f"# note {position}")
    messy = "\n".join(lines)
    try:
        before = values(messy)
    except LoadError:
        return  # a comment landed inside a text and broke it: not a record file
    if not same_values(before, without_comments):
        return  # a comment line landed inside a multi-line text: it is text, not a comment
    once = canonical_text(messy, "professionnel")
    assert same_values(values(once), before)
    assert canonical_text(once, "professionnel") == once
    kept = sorted(line.strip() for line in messy.split("\n") if line.strip().startswith("# note"))
    assert sorted(line.strip() for line in once.split("\n") if line.strip().startswith("# note")) == kept


def test_synth_output_keeps_its_values_through_fmt_whatever_the_seed() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_registry(root, 30, seed=11)
        for path in sorted(root.glob("*/*.yaml")):
            kind = kind_of_file(path)
            if kind:
                text = path.read_text(encoding="utf-8")
                messy = _rewritten_by_another_tool(values(text), 1)
                assert canonical_text(messy, kind) == text.replace(text.split("\n")[1] + "\n", "", 1)


def test_canonical_records_read_the_same_in_another_yaml_reader() -> None:
    """Another YAML 1.2 reader (ruamel.yaml, as a web editor's would) reads the same values; it only
    turns unquoted dates into dates, which the registry reads as their text."""
    from datetime import date as date_type

    from ruamel.yaml import YAML

    reader = YAML(typ="safe", pure=True)

    def as_text(value):  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            return {k: as_text(v) for k, v in value.items()}
        if isinstance(value, list):
            return [as_text(v) for v in value]
        return value.isoformat() if isinstance(value, date_type) else value

    for path in SAMPLE:
        text = path.read_text(encoding="utf-8")
        assert same_values(as_text(reader.load(text)), values(text)), path.name


@pytest.mark.parametrize(("text", "body"), [
    ("{nom: X, prenom: Jean}\n", "nom: X\nprenom: Jean\n"),
    ("{}\n", "{}\n"),
    ("---\nnom: X\n...\n", "nom: X\n"),
    ("? nom\n: X\n", "nom: X\n"),
    ("nom: X\t# tabulation avant le commentaire\n", "nom: X  # tabulation avant le commentaire\n"),
    ('nom: "sur\n  deux lignes"  # commentaire\nprenom: Jean\n', "nom: sur deux lignes  # commentaire\nprenom: Jean\n"),
    ("lieux:\n  -\n    nom: X\n  - # deuxième\n    nom: Z\n", "lieux:\n  - nom: X\n  # deuxième\n  - nom: Z\n"),
    ('nom: "a\x85b"\nprenom: Jean\u2028# après un séparateur\n', "nom: a b\nprenom: Jean\n# après un séparateur\n"),
    ("\ufeffnom: X\r\n", "nom: X\n"),
])
def test_unusual_but_valid_yaml_gets_its_canonical_form(text: str, body: str) -> None:
    result = canonical_text(text, "professionnel")
    assert result == "# yaml-language-server: $schema=../../schemas/professionnel.schema.json\n" + body
    assert same_values(values(result), values(text.lstrip("\ufeff")))
    assert canonical_text(result, "professionnel") == result
