"""The import's building blocks: normalisation, mapping, encoding detection, merging, writing, download."""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from import_support import ROOT, empty_registry
from maillage.core.schemas import load_schemas
from maillage.editing.canonical import record_text
from maillage.imports import normalise as norm
from maillage.imports.download import download, resolve
from maillage.imports.mapping import ProfessionMap
from maillage.imports.reconcile import CONFLICT, KEEP, SET, merge
from maillage.imports.rpps import header_key
from maillage.imports.textfile import LATIN1, UTF8, Lines, Member
from maillage.load.registry import load_registry
from maillage.load.safe_yaml import parse_text


@pytest.mark.parametrize(("dep", "commune", "insee"), [
    ("50", "394", "50394"), ("2A", "004", "2A004"), ("2B", "033", "2B033"), ("9A", "101", "97101"),
    ("9D", "411", "97411"), ("9F", "611", "97611"), ("1", "53", "01053"), ("50", "", None),
])
def test_insee_code_from_finess(dep: str, commune: str, insee: str | None) -> None:
    assert norm.insee_from_finess(dep, commune) == insee


def test_street_lines_and_cases() -> None:
    assert norm.street_line("12", "B", "R", "", "DES ÉCOLES") == "12 bis rue des Écoles"
    assert norm.street_line("849", "", "RTE", "", "DE SAINT-PAIR") == "849 route de Saint-Pair"
    assert norm.street_line("3", "", "AV", "Avenue", "DU GÉNÉRAL DE GAULLE") == "3 avenue du Général de Gaulle"
    assert norm.street_line("", "", "", "", "LE BOURG") == "Le Bourg"
    assert norm.french_case("CMP IJ DE L'HÔPITAL") == "CMP IJ de l'Hôpital"
    assert norm.french_case("Déjà écrit") == "Déjà écrit"
    assert norm.person_case("LE ROUX-DUPONT") == "Le Roux-Dupont"
    assert norm.is_postal_only("BP 45") and norm.is_postal_only("CS 30001") and not norm.is_postal_only("LE BOURG")


@pytest.mark.parametrize(("raw", "phone"), [
    ("0261910001", "02 61 91 00 01"), ("+33 2 61 91 00 01", "02 61 91 00 01"), ("02.61.91.00.01", "02 61 91 00 01"),
    ("", None), ("12345", None), ("0061910001", None),
])
def test_phones(raw: str, phone: str | None) -> None:
    assert norm.phone(raw) == phone


def test_address_keys_ignore_abbreviations_accents_and_case() -> None:
    assert norm.address_key("12 R des Écoles", "50394") == norm.address_key("12, rue des ecoles", "50394")
    assert norm.address_key("12 rue des Écoles", "50394") != norm.address_key("12 rue des Écoles", "50147")


def test_header_names_are_folded() -> None:
    assert header_key("Code commune (coord. structure)") == header_key("CODE COMMUNE (Coord. Structure)")
    assert header_key("Type d'identifiant PP") == "typeidentifiantpp"


@pytest.fixture(scope="module")
def professions() -> ProfessionMap:
    return ProfessionMap.from_vocabulary(load_registry(ROOT / "registry").vocabularies["professions"].terms)


def test_profession_mapping_by_code_and_savoir_faire(professions: ProfessionMap) -> None:
    assert professions.term("91") == "orthophoniste"
    assert professions.term("93") == "psychologue"  # TRE_R95 « usager de titre »
    assert professions.term("10") is None  # a physician without savoir-faire
    assert professions.term("10", ["SM54"]) == "medecin-generaliste"
    assert professions.term("10", ["SM40", "SM88"]) == "neuropediatre"  # same rank: the more specific one
    assert professions.term("10", ["SM42", "DSM231"]) == "psychiatre"  # the ordinal specialty first
    assert professions.term("10", ["SM04"]) is None  # cardiologist: not in the vocabulary
    assert professions.term("60") == "infirmier" and professions.term("60", ["SI08"]) == "infirmier-puericulteur"
    assert professions.term("99") is None


def test_every_savoir_faire_code_names_one_profession() -> None:
    terms = load_registry(ROOT / "registry").vocabularies["professions"].terms
    seen: dict[str, str] = {}
    for term_id, term in terms.items():
        for code in term.get("codes_savoir_faire", []):
            assert code not in seen, (code, seen.get(code), term_id)
            seen[code] = term_id
            assert term.get("code_rpps"), term_id  # savoir-faire only refine a profession code


def _member(tmp_path: Path, content: bytes) -> Lines:
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    return Lines(Member("f.txt", "f.txt", lambda: path.open("rb"), len(content)))


def test_encoding_detection(tmp_path: Path) -> None:
    latin = _member(tmp_path, "a|b|\nPÉRIERS|x|\n".encode("cp1252"))
    rows = list(latin)
    assert latin.encoding == LATIN1 and latin.text(rows[1]) == "PÉRIERS|x|"
    utf = _member(tmp_path, b"\xef\xbb\xbfa|b|\n" + "Zoé|x|\r\n".encode())
    rows = list(utf)
    assert utf.encoding == UTF8 and rows[0] == b"a|b|" and utf.text(rows[1]) == "Zoé|x|"


def test_a_garbled_line_in_an_utf8_file_names_its_line(tmp_path: Path) -> None:
    lines = _member(tmp_path, "é|\n".encode() + b"ok|\n\xe9|\n")
    rows = list(lines)
    with pytest.raises(Exception, match="caractères illisibles"):
        lines.text(rows[2])


@pytest.mark.parametrize(("ours", "base", "theirs", "has_base", "expected"), [
    ("a", "a", "b", True, SET),  # untouched: follows the register
    ("x", "a", "a", True, KEEP),  # a person's edit, register unchanged: kept silently
    ("x", "a", "b", True, CONFLICT),  # both changed: kept, reported
    ("b", "a", "b", True, KEEP),  # both agree
    (None, None, "b", False, SET),  # first time: an empty field is filled
    ("x", None, "b", False, CONFLICT),  # first time: a different value is a conflict
    ("x", None, None, False, KEEP),  # the register says nothing
    ("a", "a", None, True, SET),  # the register dropped it (removal)
])
def test_three_way_merge(ours, base, theirs, has_base, expected) -> None:
    assert merge(ours, base, theirs, has_base) == expected


def test_new_record_text_reads_back_identically() -> None:
    record = {"nom": "Le Roux", "prenom": "Zoé", "profession": "pedopsychiatre", "rpps": "19900000035",
              "lieux": [{"nom": "Yes", "adresse": "15 avenue de Briovère", "code_postal": "50000",
                         "commune": "Saint-Lô", "code_insee": "50502", "telephone": "02 61 91 01 04"}],
              "statut": "candidat", "verifie_le": "2026-11-20", "source": "Annuaire santé (RPPS) : test # 1"}
    text = record_text("professionnel", record)
    assert parse_text(text, "x.yaml", load_schemas().text_keys).data == record
    assert 'rpps: "19900000035"' in text and 'telephone: "02 61 91 01 04"' in text and "verifie_le: 2026-11-20" in text
    assert "nom: Yes" in text or 'nom: "Yes"' in text


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_download_resolves_the_latest_finess_file_of_a_dataset(tmp_path: Path) -> None:
    served = tmp_path / "www"
    (served / "api/1/datasets/finess").mkdir(parents=True)
    (served / "etalab-cs1100507-stock-20261120-0343.csv").write_text("finess;etalab;98;2026-11-20\n")
    (served / "etalab-cs1100507-stock-20261127-0343.csv").write_text("finess;etalab;98;2026-11-27\n")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        (served / "api/1/datasets/finess/index.html").write_text(json.dumps({"resources": [
            {"url": f"{base}/etalab-cs1100507-stock-20261120-0343.csv"},
            {"url": f"{base}/etalab-cs1100507-stock-20261127-0343.csv"},
            {"url": f"{base}/etalab-cs1100502-stock-20261204-0343.csv"},
        ]}))
        url = resolve(f"{base}/api/1/datasets/finess/", "finess")
        assert url.endswith("20261127-0343.csv")
        out = tmp_path / "finess.csv"
        assert download(url, out) > 0
        assert out.read_text().startswith("finess;etalab;98;2026-11-27")
    finally:
        server.shutdown()
        server.server_close()


def test_registry_metadata_with_imports_validates(tmp_path: Path) -> None:
    registry, _internal = empty_registry(tmp_path)
    meta = load_registry(registry).meta
    assert meta["imports"]["rpps"]["url"].startswith("https://")
