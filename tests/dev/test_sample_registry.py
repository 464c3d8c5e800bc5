"""The repository's sample registries (Manche, fictional): valid, varied and useful.

The public one (``registry/``) holds only what may be published; the example internal one
(``examples/internal-registry/``) holds the internal sections, the conventions not yet public
and the documents that are not public.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import phonenumbers
import pytest
import yaml

from maillage.core.gazetteer import Gazetteer
from maillage.dev import make_sample
from maillage.dev.synth import is_fiction_phone
from maillage.validation import validate

ROOT = Path(__file__).resolve().parents[2] / "registry"
INTERNAL = Path(__file__).resolve().parents[2] / "examples" / "internal-registry"
REFERENCE = date(2026, 11, 22)
FOLDERS = ("professionnels", "structures", "conventions")


def load(folder: str, root: Path = ROOT) -> dict[str, dict]:
    return {p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            for p in sorted((root / folder).glob("*.yaml"))}


def parts(folder: str) -> dict[str, dict]:
    """The internal parts (only « interne ») of the example internal registry."""
    return {k: v for k, v in load(folder, INTERNAL).items() if set(v) == {"interne"}}


def internal_only(folder: str) -> dict[str, dict]:
    return {k: v for k, v in load(folder, INTERNAL).items() if set(v) != {"interne"}}


@pytest.fixture(scope="module")
def pros() -> dict[str, dict]:
    return load("professionnels")


@pytest.fixture(scope="module")
def structures() -> dict[str, dict]:
    return load("structures")


@pytest.fixture(scope="module")
def conventions() -> dict[str, dict]:
    return load("conventions")


def all_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for root in (ROOT, INTERNAL) for f in FOLDERS
                     for p in sorted((root / f).glob("*.yaml")))


def test_validates_without_errors_or_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_TODAY", "2026-11-22")
    result = validate(ROOT)
    assert [f"{p.location()} {p.code} {p.message}" for p in result.problems] == []
    assert len(result.registry.records) >= 180
    both = validate(ROOT, internal=INTERNAL)
    assert [f"{p.location()} {p.code} {p.message}" for p in both.problems] == []
    assert both.internal is not None and len(both.internal.parts) >= 30 and len(both.internal.records) == 4


def test_public_registry_holds_nothing_internal() -> None:
    for folder in FOLDERS:
        for rid, record in load(folder).items():
            assert "interne" not in record, rid
            assert record.get("statut") not in ("projet", "en-negociation", "candidat"), rid
            assert all(d.get("public") is True for d in record.get("documents", [])), rid
    every = {p.name for f in FOLDERS for p in (ROOT / f).iterdir()}
    assert every.isdisjoint({p.name for p in (INTERNAL / "conventions").iterdir() if p.suffix == ".pdf"})


def test_example_internal_registry_says_it_is_fictional() -> None:
    readme = (INTERNAL / "README.md").read_text(encoding="utf-8")
    assert "fictif" in readme and "dépôt Git privé" in readme
    assert not (INTERNAL / "registre.yaml").exists()


def test_registry_says_it_is_fictional() -> None:
    meta = yaml.safe_load((ROOT / "registre.yaml").read_text(encoding="utf-8"))
    assert meta["fictif"] is True and meta["departement"]["code"] == "50"
    for folder, kind in zip(FOLDERS, ("professionnel", "structure", "convention"), strict=True):
        for path in (ROOT / folder).glob("*.yaml"):
            lines = path.read_text(encoding="utf-8").split("\n")
            assert lines[0] == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json", path
            assert lines[1] == "# Fiche fictive (exemple)", path


def test_professionals_variety(pros: dict[str, dict]) -> None:
    assert len(pros) >= 120
    assert len({p["profession"] for p in pros.values()}) >= 10
    communes = {lieu["code_insee"] for p in pros.values() for lieu in p["lieux"]}
    assert len(communes) >= 40
    assert sum(len(p["lieux"]) >= 2 for p in pros.values()) >= 5
    assert any(len(p["lieux"]) == 3 for p in pros.values())
    assert sum(p.get("nouveaux_patients", {}).get("accepte") == "liste-attente" for p in pros.values()) >= 10
    assert len(parts("professionnels")) >= 5 and set(parts("professionnels")) <= set(pros)
    roles = {(p["profession"], p["sante_protegee"]["role"]) for p in pros.values() if "sante_protegee" in p}
    assert {("medecin-generaliste", "medecin-referent"), ("pediatre", "medecin-referent"),
            ("psychologue", "professionnel-forfait"), ("psychomotricien", "professionnel-forfait"),
            ("ergotherapeute", "professionnel-forfait")} <= roles
    assert {p["statut"] for p in pros.values()} == {"actif", "inactif", "cesse", "retire"}


def test_structures_variety(structures: dict[str, dict]) -> None:
    assert len(structures) >= 35
    assert len({s["categorie"] for s in structures.values()}) >= 10
    assert sum("structure_parente" in s for s in structures.values()) >= 10
    for parent in (s.get("structure_parente") for s in structures.values()):
        assert parent is None or parent in structures
    assert sum(bool(s.get("admission", {}).get("documents")) for s in structures.values()) >= 20
    assert all("orientation" in s and "frais" in s for s in structures.values())
    assert sum("delai_attente" in s for s in structures.values()) >= 20
    assert len(parts("structures")) >= 3 and set(parts("structures")) <= set(structures)
    assert sum(len(s["lieux"]) > 1 for s in structures.values()) >= 5
    for category in ("cmp", "cmpp", "pmi"):
        assert all("secteur" in s for s in structures.values() if s["categorie"] == category)


def test_cmp_sectors_cover_every_commune(structures: dict[str, dict]) -> None:
    territories = yaml.safe_load((ROOT / "vocabulaires" / "territoires.yaml").read_text(encoding="utf-8"))
    members = {t["id"]: set(t["communes"]) for t in territories["termes"]}
    covered: set[str] = set()
    cmps = [s for s in structures.values() if s["categorie"] == "cmp"]
    assert len(cmps) >= 6
    for cmp in cmps:
        secteur = cmp["secteur"]
        covered |= set(secteur.get("communes", []))
        for territory in secteur.get("territoires", []):
            covered |= members[territory]
    manche = {c.code_insee for c in Gazetteer.load().in_departement("50", arrondissements=False)}
    assert manche - covered == set()
    assert any("communes" in c["secteur"] for c in cmps) and any("territoires" in c["secteur"] for c in cmps)


def test_conventions_cover_every_status_type_mode_and_financer(conventions: dict[str, dict]) -> None:
    drafts = internal_only("conventions")
    assert {c["statut"] for c in drafts.values()} == {"projet", "en-negociation"}
    conventions = {**conventions, **drafts}
    assert len(conventions) >= 25
    assert {c["statut"] for c in conventions.values()} == {
        "projet", "en-negociation", "signee", "active", "suspendue", "expiree", "resiliee"}
    assert {c["type"] for c in conventions.values()} == {
        "sante-protegee", "partenariat", "prestation", "subvention", "cadre"}
    lines = [f for c in conventions.values() for f in c.get("financements", [])]
    assert {f["mode"] for f in lines} == {"acte", "forfait", "subvention"}
    assert {f["financeur"] for f in lines} == {"departement", "cpam", "ars", "autre"}


def test_parties_exist_and_are_published(conventions: dict[str, dict], pros: dict[str, dict],
                                         structures: dict[str, dict]) -> None:
    for conv in [*conventions.values(), *internal_only("conventions").values()]:
        for party in conv["parties"]:
            if "professionnel" in party:
                assert pros[party["professionnel"]]["statut"] == "actif"
            if "structure" in party:
                assert structures[party["structure"]]["statut"] == "actif"


def test_some_conventions_reach_their_end_or_notice_within_90_days(conventions: dict[str, dict]) -> None:
    horizon = REFERENCE + timedelta(days=90)
    soon = []
    for cid, conv in conventions.items():
        if conv["statut"] not in ("active", "signee", "suspendue") or "fin" not in conv.get("dates", {}):
            continue
        fin = date.fromisoformat(str(conv["dates"]["fin"]))
        months = conv.get("reconduction", {}).get("preavis_mois", 0)
        month0 = fin.month - 1 - months
        notice = date(fin.year + month0 // 12, month0 % 12 + 1, min(fin.day, 28))
        if REFERENCE <= fin <= horizon or REFERENCE <= notice <= horizon:
            soon.append(cid)
    assert len(soon) >= 3


def test_documents_exist(conventions: dict[str, dict]) -> None:
    documents = [(ROOT, d) for c in conventions.values() for d in c.get("documents", [])]
    hidden = [(INTERNAL, d) for c in parts("conventions").values() for d in c["interne"].get("documents", [])]
    assert documents and hidden and any("fichier" in d for _root, d in hidden)
    for root, doc in [*documents, *hidden]:
        if "fichier" in doc:
            data = (root / "conventions" / doc["fichier"]).read_bytes()
            assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        else:
            assert doc["url"].startswith("https://example.org/")


def test_phones_are_in_fiction_ranges_and_mails_in_example_org() -> None:
    text = all_text() + (ROOT / "registre.yaml").read_text(encoding="utf-8")
    phones = re.findall(r"telephone: (.+)", text)
    assert len(phones) > 150
    for phone in phones:
        assert is_fiction_phone(phone.strip('"')), phone
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone, "FR"))
    mails = re.findall(r"(?:courriel|delegue_protection_donnees): (.+)", text)
    assert len(mails) > 100 and all(m.endswith("example.org") for m in mails)
    assert all(u.startswith(("https://example.org/", "https://maillage.example.org/",
                             "https://github.com/example/", "https://www.etalab.gouv.fr/",
                             "https://data.geopf.fr/",
                             # the national registers' download addresses (registre.yaml, imports)
                             "https://www.data.gouv.fr/api/1/datasets/finess-",
                             "https://service.annuaire.sante.fr/annuaire-sante-webservices/"))
               for u in re.findall(r"https://[^\s\"]+", text))


def test_generator_reproduces_the_committed_sample(tmp_path: Path) -> None:
    copy, inner = tmp_path / "registry", tmp_path / "interne"
    shutil.copytree(ROOT / "vocabulaires", copy / "vocabulaires")
    shutil.copy(ROOT / "registre.yaml", copy / "registre.yaml")
    make_sample.write(make_sample.build(copy), copy, clean=False, internal=inner)
    for generated_root, committed_root in ((copy, ROOT), (inner, INTERNAL)):
        for folder in FOLDERS:
            generated = {p.name: p.read_bytes() for p in (generated_root / folder).iterdir()}
            committed = {p.name: p.read_bytes() for p in (committed_root / folder).iterdir()}
            assert generated == committed, (committed_root, folder)
