"""The record writer: edits keep every other byte, new values load back exactly, saves are atomic."""

from __future__ import annotations

import difflib
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROFESSIONNEL
from maillage.core.schemas import load_schemas
from maillage.editing.canonical import canonical_text, is_canonical, record_text, same_values
from maillage.editing.writer import (
    RecordFile,
    WriterError,
    move_record,
    move_section,
    record_path,
    write_new_record,
)
from maillage.load.safe_yaml import MAX_FILE_BYTES, LoadError, parse_text

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "registry"
# The sample's record as it was before the two registries: its public file and its internal part, together.
LEFEVRE_PART = (SAMPLE.parent / "examples" / "internal-registry" / "professionnels" / "lefevre-claire.yaml").read_text(
    encoding="utf-8").split("\n", 1)[1]  # without its modeline
LEFEVRE = (SAMPLE / "professionnels" / "lefevre-claire.yaml").read_text(encoding="utf-8") + LEFEVRE_PART
TEXT_KEYS = load_schemas().text_keys


def loaded(text: str) -> dict:
    return parse_text(text, "t.yaml", TEXT_KEYS).data


def changes(before: str, after: str) -> list[tuple[str, list[str], list[str]]]:
    """The changed hunks: (tag, removed lines, added lines)."""
    a, b = before.split("\n"), after.split("\n")
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [(tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


# -- minimal diffs -------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((SAMPLE / "professionnels").glob("*.yaml"))[::9] +
                         sorted((SAMPLE / "structures").glob("*.yaml"))[::9], ids=lambda p: p.stem)
def test_confirming_a_record_changes_exactly_one_line(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    record = RecordFile.from_text(text, "professionnel" if path.parent.name == "professionnels" else "structure")
    record.set("verifie_le", date(2026, 12, 1))
    assert changes(text, record.text) == [("replace", [f"verifie_le: {loaded(text)['verifie_le']}"],
                                           ["verifie_le: 2026-12-01"])]
    assert record.get("verifie_le") == "2026-12-01"
    assert is_canonical(record.text, record.kind)


def test_removing_the_internal_section_only_removes_lines() -> None:
    text = LEFEVRE.replace("interne:\n", "# Réservé au Département\ninterne:\n")
    record = RecordFile.from_text(text, "professionnel")
    removed = record.delete("interne")
    assert removed == loaded(LEFEVRE)["interne"]
    hunks = changes(text, record.text)
    assert [tag for tag, _a, _b in hunks] == ["delete"]
    assert hunks[0][1][:2] == ["# Réservé au Département", "interne:"]  # its comment goes with it
    assert "interne" not in loaded(record.text)
    assert record.text.endswith("source: Déclaration du professionnel\n")


def test_updating_one_place_keeps_the_others_lines_and_inserts_at_schema_position() -> None:
    record = RecordFile.from_text(LEFEVRE, "professionnel")
    record.set(("lieux", 0, "telephone"), "02 61 91 99 99")
    record.set(("lieux", 0, "complement_adresse"), "Bâtiment B")
    hunks = changes(LEFEVRE, record.text)
    assert hunks == [("insert", [], ["    complement_adresse: Bâtiment B"]),
                     ("replace", ['    telephone: "02 61 91 12 34"'], ['    telephone: "02 61 91 99 99"'])]
    lines = record.text.split("\n")
    assert lines.index("    complement_adresse: Bâtiment B") == lines.index("    adresse: 12 rue des Halles") + 1


def test_status_change_and_new_fields_of_an_import() -> None:
    record = RecordFile.from_text(LEFEVRE, "professionnel")
    record.set("statut", "cesse")
    record.set("site_web", "https://example.org/lefevre")
    assert changes(LEFEVRE, record.text) == [
        ("replace", ["statut: actif"], ["site_web: https://example.org/lefevre", "statut: cesse"])]


def test_setting_an_equal_value_changes_nothing() -> None:
    record = RecordFile.from_text(LEFEVRE, "professionnel")
    record.set("lieux", loaded(LEFEVRE)["lieux"])
    record.set(("ages", "min"), 2)
    assert record.text == LEFEVRE and not record.changed


def test_a_list_update_touches_only_the_changed_items() -> None:
    record = RecordFile.from_text(LEFEVRE, "professionnel")
    places = record.get("lieux")
    places.append({"adresse": "3 place du Marché", "code_postal": "50000", "commune": "Saint-Lô",
                   "code_insee": "50502"})
    record.set("lieux", places)
    hunks = changes(LEFEVRE, record.text)
    assert hunks == [("insert", [], ["  - adresse: 3 place du Marché", '    code_postal: "50000"',
                                     "    commune: Saint-Lô", '    code_insee: "50502"'])]
    record.delete(("lieux", 1))
    assert record.text == LEFEVRE


# -- comments ------------------------------------------------------------------------------


def test_comments_and_hand_formatting_survive_edits_elsewhere() -> None:
    text = ("# yaml-language-server: $schema=../../schemas/professionnel.schema.json\n"
            "# Fiche tenue à la main\n"
            "nom:   'Dupont'   # nom d'usage\n"
            "prenom: Jean\n"
            "# la profession\n"
            "profession: orthophoniste\n"
            "modalites: [cabinet,  domicile]\n"
            "lieux:\n"
            "- adresse: 1 rue A   # au fond de la cour\n"
            "  code_postal: 50200\n"
            "  commune: Coutances\n"
            "  code_insee: '50147'\n"
            "  # à compléter : téléphone\n"
            "statut: actif\n"
            "verifie_le: 2025-01-01\n")
    record = RecordFile.from_text(text, "professionnel")
    record.set("verifie_le", "2026-11-22")
    record.set(("lieux", 0, "commune"), "Coutances-Centre")
    assert changes(text, record.text) == [
        ("replace", ["  commune: Coutances"], ["  commune: Coutances-Centre"]),
        ("replace", ["verifie_le: 2025-01-01"], ["verifie_le: 2026-11-22"])]
    assert record.get(("lieux", 0, "code_postal")) == "50200"  # the hand-written 50200 is still text


def test_a_deleted_field_takes_its_comment_and_leaves_the_next_fields_comment() -> None:
    text = "nom: A\nconventionnement:\n  secteur: secteur-1\n  # fin du bloc\n# la description\ndescription: D\n"
    record = RecordFile.from_text(text, "professionnel")
    record.delete("conventionnement")
    assert record.text == "nom: A\n# la description\ndescription: D\n"
    record = RecordFile.from_text(text, "professionnel")
    record.delete("description")
    assert record.text == "nom: A\nconventionnement:\n  secteur: secteur-1\n  # fin du bloc\n"


def test_filling_a_template_keeps_every_comment(tmp_path: Path) -> None:
    from maillage.editing.templates import render

    text = render("professionnel", "martin-paul", SAMPLE / "professionnels" / "x.yaml", date(2026, 11, 22))
    record = RecordFile.from_text(text, "professionnel")
    for path, value in (("nom", "Martin"), ("prenom", "Paul"), ("profession", "pediatre"), ("source", "Appel"),
                        (("lieux", 0, "adresse"), "1 rue A"), (("lieux", 0, "code_postal"), "50200"),
                        (("lieux", 0, "commune"), "Coutances"), (("lieux", 0, "code_insee"), "50147"),
                        ("rpps", "19900000019"), ("specialites", ["suivi-croissance"])):
        record.set(path, value)
    comments = [line.strip() for line in text.split("\n") if line.strip().startswith("#")]
    assert [line.strip() for line in record.text.split("\n") if line.strip().startswith("#")] == comments
    assert 'code_postal: "50200"  # À REMPLIR' in record.text
    assert record.get("specialites") == ["suivi-croissance"]


# -- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "line"), [
    ("06000", 'nom: "06000"'), ("oui", "nom: oui"), ("true", 'nom: "true"'), ("2026-10-01", "nom: 2026-10-01"),
    ("08:30", 'nom: "08:30"'), ("a: b", 'nom: "a: b"'), ("", 'nom: ""'), (None, "nom: null"),
    ("ligne\u2028séparée", 'nom: "ligne\\u2028séparée"'),
])
def test_values_are_written_in_canonical_form_and_read_back_exactly(value: object, line: str) -> None:
    record = RecordFile.from_text(LEFEVRE, "professionnel")
    record.set("nom", value)
    assert line in record.text.split("\n")
    assert loaded(record.text)["nom"] == value


def test_values_the_loader_would_read_otherwise_are_refused() -> None:
    record = RecordFile.from_text(LEFEVRE, "professionnel")
    for value in (True, 5, float("nan"), object(), "\ud800"):
        with pytest.raises(WriterError):
            record.set("nom", value)
    with pytest.raises(WriterError):
        record.set(("ages", "max"), float("inf"))
    assert record.text == LEFEVRE


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
_FIELDS = {
    ("nom",): _TEXT, ("description",): _TEXT, ("statut",): st.sampled_from(["actif", "cesse"]),
    ("verifie_le",): st.dates().map(date.isoformat), ("ages", "min"): st.integers(0, 25),
    ("lieux", 0, "telephone"): _TEXT, ("lieux", 0, "nom"): _TEXT, ("lieux", 0, "complement_adresse"): _TEXT,
    ("lieux", 0, "coordonnees"): st.fixed_dictionaries({"latitude": st.floats(-90, 90), "longitude":
                                                        st.floats(-180, 180)}),
    ("modalites",): st.lists(st.sampled_from(["cabinet", "domicile", "visio"]), min_size=1, max_size=3),
    ("site_web",): _TEXT, ("interne",): st.fixed_dictionaries({"notes": _TEXT}),
    ("sante_protegee",): st.fixed_dictionaries({"role": st.just("medecin-referent"),
                                                "depuis": st.dates().map(date.isoformat)}),
    ("nouveaux_patients", "accepte"): st.sampled_from(["oui", "non", "liste-attente"]),
}
_EDIT = st.sampled_from(sorted(_FIELDS, key=str)).flatmap(
    lambda path: st.tuples(st.just(path), st.one_of(_FIELDS[path], st.just("__delete__"))))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(_EDIT, min_size=1, max_size=6))
def test_any_sequence_of_edits_loads_back_as_intended_and_stays_canonical(edits: list) -> None:
    record = RecordFile.from_text(LEFEVRE, "professionnel")
    model = loaded(LEFEVRE)
    for path, value in edits:
        if value == "__delete__":
            parent = model
            for part in path[:-1]:
                parent = parent.get(part) if isinstance(parent, dict) else parent[part]
                if parent is None:
                    break
            if parent is not None and path[-1] in parent:
                del parent[path[-1]]
                record.delete(path)
            else:
                with pytest.raises(KeyError):
                    record.delete(path)
            continue
        parent = model
        for part in path[:-1]:
            parent = parent.setdefault(part, {}) if isinstance(part, str) else parent[part]
        parent[path[-1]] = value
        record.set(path, value)
    assert same_values(loaded(record.text), model)
    assert same_values(record.data, model)
    assert canonical_text(record.text, "professionnel") == record.text


# -- whole files ---------------------------------------------------------------------------


def test_open_edit_save_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "professionnels" / "lefevre-claire.yaml"
    path.parent.mkdir()
    path.write_text(LEFEVRE, encoding="utf-8")
    os.chmod(path, 0o640)
    record = RecordFile.open(path)
    assert record.kind == "professionnel"
    assert record.save() is False  # nothing to write
    record.set("verifie_le", "2026-12-01")
    assert path.read_text(encoding="utf-8") == LEFEVRE  # nothing written before save()
    assert record.save() is True
    assert path.read_text(encoding="utf-8") == record.text
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["lefevre-claire.yaml"]  # no temporary file left


def test_save_refuses_to_overwrite_a_file_changed_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "professionnels" / "x.yaml"
    path.parent.mkdir()
    path.write_text(LEFEVRE, encoding="utf-8")
    record = RecordFile.open(path)
    record.set("statut", "cesse")
    path.write_text(LEFEVRE.replace("Claire", "Clara"), encoding="utf-8")
    with pytest.raises(WriterError, match="modifié par ailleurs"):
        record.save()
    assert "Clara" in path.read_text(encoding="utf-8")


def test_windows_line_endings_are_kept() -> None:
    crlf = LEFEVRE.replace("\n", "\r\n")
    record = RecordFile.from_text(crlf, "professionnel")
    record.set("statut", "inactif")
    assert record.text == crlf.replace("statut: actif", "statut: inactif")


def test_new_records_are_canonical_and_never_overwrite(tmp_path: Path) -> None:
    data = {"source": "Import FINESS", "statut": "actif", "nom": "CMP de Test", "categorie": "cmp",
            "finess": "509900015", "lieux": [{"commune": "Coutances", "adresse": "1 rue A", "code_postal": "50200",
                                             "code_insee": "50147", "telephone": "02 61 91 00 00"}],
            "verifie_le": date(2026, 11, 22)}
    path = record_path(tmp_path, "structure", "cmp-test")
    assert write_new_record(path, "structure", data, header="# Importée du répertoire FINESS") == path
    text = path.read_text(encoding="utf-8")
    assert text.split("\n")[:4] == ["# yaml-language-server: $schema=../../schemas/structure.schema.json",
                                    "# Importée du répertoire FINESS", "nom: CMP de Test", "categorie: cmp"]
    assert is_canonical(text, "structure")
    assert loaded(text) == {**data, "verifie_le": "2026-11-22"}
    with pytest.raises(FileExistsError):
        write_new_record(path, "structure", {"nom": "Autre"})
    assert path.read_text(encoding="utf-8") == text
    with pytest.raises(WriterError):
        write_new_record(tmp_path / "structures" / "y.yaml", "structure", {"nom": 5})
    assert not (tmp_path / "structures" / "y.yaml").exists()


def test_moving_the_internal_section_to_the_internal_registry(tmp_path: Path) -> None:
    public = tmp_path / "public" / "professionnels" / "lefevre-claire.yaml"
    public.parent.mkdir(parents=True)
    text = LEFEVRE.replace("interne:\n", "# Réservé au Département\ninterne:\n")
    public.write_text(text, encoding="utf-8")
    internal = tmp_path / "interne" / "professionnels" / "lefevre-claire.yaml"
    move_section(public, "interne", internal)
    assert [tag for tag, _a, _b in changes(text, public.read_text(encoding="utf-8"))] == ["delete"]
    moved = internal.read_text(encoding="utf-8")
    assert moved == ("# yaml-language-server: $schema=../../schemas/professionnel.schema.json\n"
                     "# Réservé au Département\n" + LEFEVRE_PART)
    assert LEFEVRE_PART.startswith("interne:\n  telephone: ")
    with pytest.raises(WriterError):  # nothing left to move
        move_section(public, "interne", internal)


def test_moving_a_whole_record_keeps_its_bytes_and_never_overwrites(tmp_path: Path) -> None:
    source = tmp_path / "a" / "professionnels" / "x.yaml"
    source.parent.mkdir(parents=True)
    source.write_text(LEFEVRE, encoding="utf-8")
    target = tmp_path / "b" / "professionnels" / "x.yaml"
    assert move_record(source, target) == target
    assert target.read_text(encoding="utf-8") == LEFEVRE and not source.exists()
    source.write_text("nom: Autre\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        move_record(source, target)
    assert source.exists() and target.read_text(encoding="utf-8") == LEFEVRE


# -- hostile input -------------------------------------------------------------------------


def test_malformed_duplicate_and_huge_files_are_refused_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "professionnels"
    folder.mkdir()
    cases = {"malformed.yaml": "nom: [Dupont\n", "duplicate.yaml": "nom: A\nnom: B\n",
             "alias.yaml": "nom: &a A\nprenom: *a\n",
             "huge.yaml": "nom: A\ndescription: " + "x" * (MAX_FILE_BYTES + 10) + "\n"}
    codes = {}
    for name, text in cases.items():
        (folder / name).write_text(text, encoding="utf-8")
        with pytest.raises(LoadError) as error:
            RecordFile.open(folder / name)
        codes[name] = error.value.problem.code
        assert (folder / name).read_text(encoding="utf-8") == text
    assert codes == {"malformed.yaml": "yaml-syntax", "duplicate.yaml": "yaml-duplicate-key",
                     "alias.yaml": "yaml-alias", "huge.yaml": "file-too-large"}


def test_an_edit_that_would_exceed_the_size_limit_is_refused() -> None:
    record = RecordFile.from_text(PROFESSIONNEL, "professionnel")
    with pytest.raises(WriterError, match="octets"):
        record.set("description", "mot " * (MAX_FILE_BYTES // 4))
    assert record.text == PROFESSIONNEL


def test_a_record_text_is_canonical_even_from_a_shuffled_dict() -> None:
    shuffled = dict(reversed(list(loaded(LEFEVRE).items())))
    assert record_text("professionnel", shuffled, "# Fiche fictive (exemple)") == LEFEVRE
