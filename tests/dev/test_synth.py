"""``maillage synth``: fictional registries that are valid, realistic and reproducible."""

from __future__ import annotations

import re
from pathlib import Path

import phonenumbers
import pytest
import yaml

from maillage.cli.main import main
from maillage.core.gazetteer import Gazetteer, departement_of, normalise_name
from maillage.core.schemas import load_schemas
from maillage.dev.synth import (
    FEMALE_NAMES,
    MALE_NAMES,
    SURNAMES,
    dump_yaml,
    is_fiction_phone,
    phone_prefix,
    split_counts,
    write_registry,
)
from maillage.load.safe_yaml import parse_text
from maillage.validation import validate

TODAY = "2026-11-22"
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_TODAY", TODAY)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def records(root: Path, folder: str) -> dict[str, dict]:
    return {p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            for p in sorted((root / folder).glob("*.yaml"))}


def test_same_seed_same_bytes_and_other_seed_other_registry(tmp_path: Path) -> None:
    write_registry(tmp_path / "a", 200, seed=3)
    write_registry(tmp_path / "b", 200, seed=3)
    write_registry(tmp_path / "c", 200, seed=4)
    a, b, c = files(tmp_path / "a"), files(tmp_path / "b"), files(tmp_path / "c")
    assert a == b
    assert a != c
    records_a = {k: v for k, v in a.items() if not k.startswith("vocabulaires/")}
    records_c = {k: v for k, v in c.items() if not k.startswith("vocabulaires/")}
    assert len(set(records_a.items()) & set(records_c.items())) < len(records_a) / 10


@pytest.mark.parametrize("n", [0, 1, 2, 3, 10, 500])
def test_registry_validates_without_any_problem(tmp_path: Path, n: int) -> None:
    write_registry(tmp_path / "r", n, seed=n)
    result = validate(tmp_path / "r", internal=tmp_path / "r-interne")
    assert [f"{p.location()} {p.code} {p.message}" for p in result.problems] == []
    assert result.internal is not None
    assert len(result.registry.records) + len(result.internal.records) == n


@pytest.mark.parametrize(("n", "expected"), [
    (1, (1, 0, 0)), (2, (1, 1, 0)), (3, (1, 1, 1)), (4, (2, 1, 1)), (10, (7, 2, 1)),
    (1000, (700, 200, 100)), (50_000, (35_000, 10_000, 5_000)),
])
def test_proportions(n: int, expected: tuple[int, int, int]) -> None:
    counts = split_counts(n)
    assert (counts.professionnels, counts.structures, counts.conventions) == expected
    assert counts.total == n


def test_files_match_the_counts(tmp_path: Path) -> None:
    result = write_registry(tmp_path / "r", 1000, seed=1)
    assert result.internal == tmp_path / "r-interne"
    public = [len(list((tmp_path / "r" / f).glob("*.yaml"))) for f in ("professionnels", "structures", "conventions")]
    assert public[:2] == [700, 200]
    # Conventions not yet public are written whole in the internal registry, never in the public one.
    internal = [p for p in (tmp_path / "r-interne" / "conventions").glob("*.yaml")
                if set(yaml.safe_load(p.read_text(encoding="utf-8"))) != {"interne"}]
    assert internal and public[2] + len(internal) == 100
    assert not (tmp_path / "r" / "conventions" / internal[0].name).exists()


def test_registry_is_fictional_and_shaped_like_a_real_one(tmp_path: Path) -> None:
    write_registry(tmp_path, 400, seed=2)
    meta = yaml.safe_load((tmp_path / "registre.yaml").read_text(encoding="utf-8"))
    assert meta["fictif"] is True and meta["departement"] == {"code": "50", "nom": "Manche"}
    for name in ("professions", "categories", "specialites", "services", "territoires", "langues"):
        assert (tmp_path / "vocabulaires" / f"{name}.yaml").is_file()
    pros, structures = records(tmp_path, "professionnels"), records(tmp_path, "structures")
    conventions = records(tmp_path, "conventions")
    ids = [*pros, *structures, *conventions]
    assert len(ids) == len(set(ids)) and all(ID.fullmatch(i) for i in ids)
    text = "\n".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.yaml")
                     if p.parent.name != "vocabulaires")
    phones = re.findall(r"telephone: (.+)", text)
    assert phones and all(is_fiction_phone(p) for p in phones)
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p, "FR")) for p in phones)
    mails = re.findall(r"(?:courriel|delegue_protection_donnees): (.+)", text)
    assert mails and all(m.endswith("@example.org") for m in mails)
    urls = re.findall(r"https://[^\s\"]+", text)
    assert urls and all(u.startswith(("https://example.org/", "https://maillage.example.org/",
                                      "https://github.com/example/", "https://www.etalab.gouv.fr/"))
                        for u in urls)
    gaz = Gazetteer.load()
    for rec in [*pros.values(), *structures.values()]:
        for lieu in rec["lieux"]:
            commune = gaz.commune(lieu["code_insee"])
            assert commune is not None and commune.departement == "50"
            assert lieu["code_postal"] in commune.codes_postaux
            assert normalise_name(lieu["commune"]) == normalise_name(commune.nom)
    # Realistic variety: many professions, categories, statuses; every convention has a party
    # that exists.
    assert len({p["profession"] for p in pros.values()}) >= 15
    assert len({s["categorie"] for s in structures.values()}) >= 15
    assert {c["statut"] for c in conventions.values()} >= {"active", "expiree"}
    for conv in conventions.values():
        for party in conv["parties"]:
            assert party.get("professionnel", next(iter(pros))) in pros
            assert party.get("structure", next(iter(structures))) in structures
    assert any(len(p["lieux"]) > 1 for p in pros.values())
    assert any("sante_protegee" in p for p in pros.values())
    # Internal sections are written to the internal registry beside it, never in the public one.
    assert not any("interne" in p for p in [*pros.values(), *structures.values(), *conventions.values()])
    assert records(tmp_path.parent / f"{tmp_path.name}-interne", "professionnels")


def test_numbers_as_text_are_quoted(tmp_path: Path) -> None:
    write_registry(tmp_path, 100, seed=5)
    text = "\n".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.yaml")
                     if p.parent.name != "vocabulaires")
    for key in ("code_postal", "code_insee", "rpps", "finess", "siret"):
        values = re.findall(rf"\b{key}: (.+)", text)
        assert values and all(v.startswith('"') and v.endswith('"') for v in values), key
    assert not re.search(r"^\s+- [0-9]", text, re.MULTILINE)  # sector communes quoted too


@pytest.mark.parametrize("dep", ["2A", "75", "59", "974"])
def test_other_departements(tmp_path: Path, dep: str) -> None:
    write_registry(tmp_path, 60, seed=1, departement=dep)
    result = validate(tmp_path)
    assert [f"{p.location()} {p.message}" for p in result.problems] == []
    meta = yaml.safe_load((tmp_path / "registre.yaml").read_text(encoding="utf-8"))
    assert meta["departement"]["code"] == dep
    territories = yaml.safe_load((tmp_path / "vocabulaires" / "territoires.yaml").read_text(encoding="utf-8"))
    codes = [c for t in territories["termes"] for c in t["communes"]]
    assert codes and all(departement_of(c) == dep for c in codes)
    assert len(codes) == len(set(codes))
    text = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "professionnels").glob("*.yaml"))
    assert all(p.startswith(phone_prefix(dep)) for p in re.findall(r'telephone: "?([^"\n]+)', text))


def test_fiction_ranges() -> None:
    assert phone_prefix("50") == "02 61 91"
    assert phone_prefix("75") == "01 99 00"
    assert phone_prefix("59") == "03 53 01"
    assert phone_prefix("13") == "04 65 71"
    assert phone_prefix("33") == "05 36 49"
    for prefix in ("01 99 00", "02 61 91", "03 53 01", "04 65 71", "05 36 49"):
        for last in ("00 00", "12 34", "99 99"):
            number = phonenumbers.parse(f"{prefix} {last}", "FR")
            assert phonenumbers.is_valid_number(number)
    assert is_fiction_phone("+33 2 61 91 12 34")
    assert not is_fiction_phone("02 33 12 34 56")


def test_name_lists_never_produce_ambiguous_people() -> None:
    assert len({normalise_name(s) for s in SURNAMES}) == len(SURNAMES)
    assert not set(SURNAMES) & (set(FEMALE_NAMES) | set(MALE_NAMES))
    assert len(set(FEMALE_NAMES) | set(MALE_NAMES)) == len(FEMALE_NAMES) + len(MALE_NAMES)


TRICKY = ["06000", "2A004", "yes", "Non", "on", "null", "~", "true", "1e3", "0x1F", "09:30", "-5",
          "- tiret", "a: b", "dièse # après", "#début", "« guillemets »", "l'apostrophe", "'quote",
          '"double"', "[crochet", "{accolade", "@arobase", "`accent", "%pour", "!bang", "&ancre",
          "*alias", "|barre", ">chevron", "?question", "texte:", " espace", "espace ", "",
          "ligne 1\nligne 2", "ligne\n\nparagraphe", "fin\n", "tab\tulation", "x" * 300,
          "Texte long " * 30, "2026-11-22", "Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00"]


@pytest.mark.parametrize("value", TRICKY)
def test_emitter_round_trips(value: str) -> None:
    data = {"description": value, "specialites": ["langage-oral", "on"], "code_postal": "06000",
            "ages": {"min": 0, "max": 18}, "lieux": [{"adresse": value, "accessible_pmr": True}],
            "montant": 1250.5}
    text = dump_yaml(data, "# en-tête\n")
    assert parse_text(text, "t.yaml", load_schemas().text_keys).data == data
    if value != "2026-11-22":  # PyYAML's YAML 1.1 reads unquoted dates as dates
        assert yaml.safe_load(text) == data


def test_cli_prints_one_french_line_and_protects_existing_folders(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r"
    assert main(["synth", "--records", "30", "--out", str(out), "--seed", "2"]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert len(lines) == 1
    assert "30 fiches" in lines[0] and "21 professionnels" in lines[0] and "conventions" in lines[0]
    before = files(out)
    assert main(["synth", "--records", "30", "--out", str(out), "--seed", "3"]) == 2
    assert "n'est pas vide" in capsys.readouterr().err
    assert files(out) == before
    assert main(["synth", "--records", "5", "--out", str(out), "--force"]) == 0
    assert len(list((out / "professionnels").glob("*.yaml"))) == 3
    assert main(["synth", "--records", "5", "--out", str(tmp_path / "x"), "--departement", "20"]) == 2
    assert "Département inconnu" in capsys.readouterr().err
    assert main(["synth", "--records", "-1", "--out", str(tmp_path / "y")]) == 2
