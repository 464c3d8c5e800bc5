"""Schema abuse: wrong types, huge values, invisible characters, look-alikes, impossible numbers and dates.

Every case starts from a valid record of the fixture registry, abuses one field, and
validates the registry in memory with the validator ``maillage validate`` uses
(``validation_support``): the expected catalogued code must be reported at the field's
line, quickly (huge values are refused by their length, not slowly processed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from conftest import CONVENTION, PROFESSIONNEL, PROFESSIONNEL_INTERNE, STRUCTURE
from validation_support import problems_of, validate_files, validate_in_memory

# INT: the professional's internal part, in the internal registry (same schemas, same guards).
P, S, C, INT = "professionnel", "structure", "convention", "interne"
BASE = {P: PROFESSIONNEL, S: STRUCTURE, C: CONVENTION, INT: PROFESSIONNEL_INTERNE}
FOLDER = {P: "professionnels", S: "structures", C: "conventions", INT: "interne/professionnels"}
FIXTURE_ID = {P: "lefevre-claire", S: "cmp-coutances", C: "sante-protegee-cmp-coutances", INT: "lefevre-claire"}


@dataclass
class Case:
    name: str
    kind: str
    old: str
    new: str
    code: str
    needle: str  # the reported line is the first line of the new text containing this

    @property
    def text(self) -> str:
        base = BASE[self.kind]
        assert self.old in base, self.old
        return base.replace(self.old, self.new, 1)

    @property
    def line(self) -> int:
        return next(n for n, line in enumerate(self.text.splitlines(), 1) if self.needle in line)


def _c(name: str, kind: str, old: str, new: str, code: str, needle: str | None = None) -> Case:
    return Case(name, kind, old, new, code, needle or new.strip().split("\n")[-1][:12])


HUGE_TEXT = "é" * 50_000
HUGE_LIST = "[" + ", ".join(["fr"] * 40_000) + "]"
_PLACE_END = "    accessible_pmr: true"

_cases = [
    # --- Wrong types, one per kind of field --------------------------------------
    _c("text-as-list", P, "nom: Lefèvre", "nom: [Lefèvre, Martin]", "schema-type"),
    _c("text-as-block", P, "prenom: Claire", "prenom: {a: b}", "schema-type"),
    _c("text-empty", P, "prenom: Claire", "prenom:", "schema-type"),
    _c("free-text-as-list", P, "description: Bilans et rééducation du langage.", "description: [a, b]",
       "schema-type"),
    _c("term-as-number", P, "profession: orthophoniste", "profession: 12", "vocab-unknown"),
    _c("term-as-list", P, "profession: orthophoniste", "profession: [orthophoniste]", "schema-type"),
    _c("list-as-text", P, "langues: [fr]", "langues: fr", "schema-type"),
    _c("list-of-lists", P, "specialites: [langage-oral]", "specialites: [[langage-oral]]", "schema-type"),
    _c("block-as-text", P, "ages: {min: 2, max: 16}", "ages: de 2 à 16 ans", "schema-type"),
    _c("block-as-list", P, "ages: {min: 2, max: 16}", "ages: [2, 16]", "schema-type"),
    _c("integer-as-text", P, "delai_semaines: 4", "delai_semaines: quatre", "schema-type"),
    _c("integer-as-float", P, "ages: {min: 2, max: 16}", "ages: {min: 2.5, max: 16}", "schema-type", "ages:"),
    _c("integer-as-hex", P, "ages: {min: 2, max: 16}", "ages: {min: 0x10, max: 16}", "schema-type", "ages:"),
    _c("integer-as-boolean", P, "ages: {min: 2, max: 16}", "ages: {min: true, max: 16}", "schema-type", "ages:"),
    _c("boolean-as-text", P, "accessible_pmr: true", "accessible_pmr: \"true\"", "schema-type"),
    _c("boolean-as-word", P, "tiers_payant: true", "tiers_payant: oui", "schema-boolean-word"),
    _c("boolean-as-number", P, "tiers_payant: true", "tiers_payant: 1", "schema-type"),
    _c("enum-as-list", P, "statut: actif", "statut: [actif]", "schema-type"),
    _c("enum-unknown", P, "statut: actif", "statut: publie", "schema-enum"),
    _c("date-as-number", P, "verifie_le: 2026-10-01", "verifie_le: 20261001", "schema-format"),
    _c("date-as-list", P, "verifie_le: 2026-10-01", "verifie_le: [2026, 10, 1]", "schema-type"),
    _c("url-as-block", P, "statut: actif", "statut: actif\nsite_web: {href: https://example.org}", "schema-type",
       "site_web"),
    _c("phone-as-list", P, "telephone: 02 61 91 12 34", "telephone: [02 61 91 12 34]", "schema-type"),
    _c("email-as-list", P, "courriel: cabinet-halles@example.org", "courriel: [a@example.org]", "schema-type"),
    _c("postal-code-as-block", P, 'code_postal: "50200"', "code_postal: {cp: 50200}", "schema-type"),
    _c("finess-too-short", S, 'finess: "509900015"', "finess: 5099", "schema-format"),
    _c("parties-as-number", C, "parties:\n  - structure: cmp-coutances\n    role: prestataire\n"
       "  - organisme: CPAM de la Manche\n    role: financeur", "parties: 5", "schema-type"),
    _c("financing-as-number", C, "financements:\n  - financeur: cpam", "financements: 5\nfinancements_:\n"
       "  - financeur: cpam", "schema-type", "financements: 5"),
    _c("status-as-list", C, "statut: active", "statut: [active]", "schema-type"),
    _c("places-as-number", S, "lieux:\n  - adresse", "lieux: 5\nlieux_:\n  - adresse", "schema-type",
       "lieux: 5"),
    _c("party-as-text", C, "  - organisme: CPAM de la Manche\n    role: financeur", "  - CPAM de la Manche",
       "schema-type"),
    _c("amount-as-text", C, "montant: 240", "montant: 240 €", "schema-type"),
    _c("interne-as-list", INT, "interne:\n  telephone: 02 61 91 12 35\n  notes: Préfère les courriels.",
       "interne: [a, b]", "schema-type"),
    _c("places-empty-list", P, "lieux:\n  - nom: Cabinet des Halles", "lieux: []\nlieux_:\n  - nom: Cabinet",
       "schema-items", "lieux: []"),
    # --- Huge values: refused by maxLength / maxItems, with a French message ------------
    _c("huge-name", P, "nom: Lefèvre", "nom: " + "x" * 20_000, "schema-length", "nom:"),
    _c("huge-description", P, "description: Bilans et rééducation du langage.", "description: " + HUGE_TEXT,
       "schema-length", "description:"),
    _c("huge-notes", INT, "  notes: Préfère les courriels.", "  notes: " + HUGE_TEXT, "schema-length", "notes:"),
    _c("huge-object", C, "objet: Accès rapide aux soins psychologiques pour les enfants confiés.",
       "objet: " + HUGE_TEXT, "schema-length", "objet:"),
    _c("huge-url", P, "statut: actif", "statut: actif\nsite_web: https://example.org/" + "a" * 10_000,
       "schema-length", "site_web"),
    _c("huge-hours", P, "horaires: Mo-Fr 09:00-12:00,14:00-18:30", "horaires: " + "Mo 09:00-10:00; " * 3000,
       "schema-length", "horaires:"),
    _c("huge-language-list", P, "langues: [fr]", "langues: " + HUGE_LIST, "schema-items", "langues:"),
    _c("huge-modes-list", P, "modalites: [cabinet, domicile]",
       "modalites: [" + ", ".join(["cabinet"] * 20_000) + "]", "schema-items", "modalites:"),
    _c("huge-places-list", P, "lieux:\n  - nom: Cabinet des Halles",
       "lieux:\n" + "  - {adresse: a, code_postal: \"50200\", commune: Coutances, code_insee: \"50147\"}\n" * 1000
       + "  - nom: Cabinet des Halles", "schema-items", "  - {adresse"),
    _c("huge-communes-list", S, 'communes: ["50147"]', "communes: [" + ", ".join(['"50147"'] * 20_000) + "]",
       "schema-items", "communes:"),
    _c("huge-territories-list", C, "services: [soins-psychologiques]",
       "services: [soins-psychologiques]\nterritoires: [" + ", ".join(f"t{i}" for i in range(20_000)) + "]",
       "schema-items", "territoires:"),
    # --- Control, bidirectional and invisible characters ----------------------------
    _c("rlo-in-name", P, "nom: Lefèvre", 'nom: "Lef\\u202Eèvre"', "text-control", "nom:"),
    _c("rli-in-description", P, "description: Bilans et rééducation du langage.",
       'description: "Bilans \\u2067et\\u2069 rééducation"', "text-control", "description:"),
    _c("arabic-letter-mark", P, "prenom: Claire", 'prenom: "Cla\\u061Cire"', "text-control", "prenom:"),
    _c("lrm-in-address", P, "adresse: 12 rue des Halles", 'adresse: "12 rue\\u200E des Halles"', "text-control",
       "adresse:"),
    _c("zero-width-space", P, "prenom: Claire", 'prenom: "Cla\\u200Bire"', "text-control", "prenom:"),
    _c("zero-width-joiner", S, "nom: Centre médico-psychologique infanto-juvénile de Coutances",
       'nom: "Centre\\u200D médico"', "text-control", "nom:"),
    _c("word-joiner", C, "intitule: Soins psychologiques Santé protégée", 'intitule: "Soins\\u2060"',
       "text-control", "intitule:"),
    _c("bom-inside", P, "source: Déclaration du professionnel", 'source: "\\uFEFFDéclaration"', "text-control",
       "source:"),
    _c("soft-hyphen", P, "nom: Lefèvre", 'nom: "Le\\u00ADfèvre"', "text-control", "nom:"),
    _c("tag-characters", P, "description: Bilans et rééducation du langage.",
       'description: "Bilans\\U000E0049\\U000E0047"', "text-control", "description:"),
    _c("line-separator", INT, "notes: Préfère les courriels.", 'notes: "Préfère\\L les courriels."', "text-control",
       "notes:"),
    _c("escape-character", P, "prenom: Claire", 'prenom: "\\e[31mClaire"', "text-control", "prenom:"),
    _c("c1-control", P, "prenom: Claire", 'prenom: "Cl\\x85aire"', "text-control", "prenom:"),
    _c("hangul-filler", P, "prenom: Claire", 'prenom: "\\u3164"', "text-control", "prenom:"),
    _c("control-in-interne", INT, "  notes: Préfère les courriels.", '  notes: "Pr\\u202Eéfère"', "text-control",
       "notes:"),
    _c("control-in-party-name", C, "organisme: CPAM de la Manche", 'organisme: "CPAM\\u202E de la Manche"',
       "text-control", "organisme:"),
    _c("control-in-url", P, "statut: actif", 'statut: actif\nsite_web: "https://exa\\u200Bmple.org"',
       "text-control", "site_web"),
    # --- Look-alike Unicode in codes and identifiers ----------------------------------
    _c("fullwidth-postal-code", P, 'code_postal: "50200"', 'code_postal: "５０２００"', "schema-format"),
    # One mistake, one message: the commune and its postal code give the right code, which the message shows
    # (rather than the schema's « format attendu »).
    _c("fullwidth-insee", P, 'code_insee: "50147"', 'code_insee: "５0147"', "geo-insee-unknown"),
    _c("fullwidth-rpps", P, 'rpps: "10001234565"', 'rpps: "１0001234565"', "schema-format"),
    _c("arabic-indic-rpps", P, 'rpps: "10001234565"', 'rpps: "١0001234565"', "schema-format"),
    _c("fullwidth-finess", S, 'finess: "509900015"', 'finess: "５09900015"', "schema-format"),
    _c("fullwidth-phone", P, "telephone: 02 61 91 12 34", 'telephone: "０2 61 91 12 34"', "schema-format"),
    _c("fullwidth-date", P, "verifie_le: 2026-10-01", "verifie_le: ２０２６-10-01", "schema-format"),
    _c("trailing-newline-code", P, 'code_postal: "50200"', 'code_postal: "50200\\n"', "schema-format"),
    # One mistake, one message: the vocabulary's, which proposes the real term.
    _c("cyrillic-term", P, "profession: orthophoniste", "profession: оrthophoniste", "vocab-unknown"),
    _c("cyrillic-reference", C, "structure: cmp-coutances", "structure: cmp-coutаnces", "schema-format"),
    _c("fullwidth-scheme", P, "statut: actif", "statut: actif\nsite_web: ｈttps://example.org", "schema-link-scheme",
       "site_web"),
    _c("cyrillic-scheme", P, "statut: actif", "statut: actif\nsite_web: httрs://example.org", "schema-link-scheme",
       "site_web"),
    # --- Numbers -------------------------------------------------------------------
    _c("integer-1e309", P, "delai_semaines: 4", "delai_semaines: 1e309", "schema-type"),
    _c("latitude-1e309", P, _PLACE_END, _PLACE_END + "\n    coordonnees: {latitude: 1e309, longitude: -1.4}",
       "schema-type", "coordonnees"),
    _c("latitude-nan", P, _PLACE_END, _PLACE_END + "\n    coordonnees: {latitude: .nan, longitude: -1.4}",
       "schema-type", "coordonnees"),
    _c("latitude-NaN", P, _PLACE_END, _PLACE_END + "\n    coordonnees: {latitude: NaN, longitude: -1.4}",
       "schema-type", "coordonnees"),
    _c("longitude-inf", P, _PLACE_END, _PLACE_END + "\n    coordonnees: {latitude: 49.0, longitude: .inf}",
       "schema-type", "coordonnees"),
    _c("longitude-minus-inf", P, _PLACE_END, _PLACE_END + "\n    coordonnees: {latitude: 49.0, longitude: -.Inf}",
       "schema-type", "coordonnees"),
    _c("latitude-out-of-range", P, _PLACE_END, _PLACE_END + "\n    coordonnees: {latitude: 4900, longitude: -1.4}",
       "schema-range", "coordonnees"),
    _c("latitude-5000-digits", P, _PLACE_END,
       _PLACE_END + "\n    coordonnees: {latitude: " + "9" * 5000 + ", longitude: -1.4}", "schema-type",
       "coordonnees"),
    _c("age-5000-digits", P, "ages: {min: 2, max: 16}", "ages: {min: " + "9" * 5000 + ", max: 16}", "schema-type",
       "ages:"),
    _c("negative-age", P, "ages: {min: 2, max: 16}", "ages: {min: -3, max: 16}", "schema-range", "ages:"),
    _c("age-over-25", P, "ages: {min: 2, max: 16}", "ages: {min: 2, max: 99}", "schema-range", "ages:"),
    _c("negative-amount", C, "montant: 240", "montant: -240", "schema-range"),
    _c("amount-nan", C, "montant: 240", "montant: .nan", "schema-type"),
    _c("amount-1e309", C, "montant: 240", "montant: 1e309", "schema-type"),
    _c("negative-children", C, "statut: active", "statut: active\nenfants_prevus: -5", "schema-range",
       "enfants_prevus"),
    _c("negative-notice", C, "preavis_mois: 3", "preavis_mois: -1", "schema-range"),
    _c("negative-wait", P, "delai_semaines: 4", "delai_semaines: -4", "schema-range"),
    # --- Dates ---------------------------------------------------------------------
    _c("february-30", P, "verifie_le: 2026-10-01", "verifie_le: 2025-02-30", "date-invalid"),
    _c("year-zero", P, "verifie_le: 2026-10-01", "verifie_le: 0000-01-01", "date-invalid"),
    _c("year-zero-quoted", C, "signature: 2025-01-10", 'signature: "0000-01-01"', "date-invalid"),
    _c("april-31", C, "fin: 2027-12-31", "fin: 2027-04-31", "date-invalid"),
    _c("not-leap-year", P, "date_information: 2026-10-01", "date_information: 2026-02-29", "date-invalid"),
    _c("month-13", P, "verifie_le: 2026-10-01", "verifie_le: 2026-13-01", "schema-format"),
    _c("date-with-time", P, "verifie_le: 2026-10-01", "verifie_le: 2026-10-01T10:00:00", "schema-format"),
    _c("far-future", C, "signature: 2025-01-10", "signature: 9999-12-31", "date-future"),
]
CASES = {c.name: c for c in _cases}


def test_cases_are_distinct() -> None:
    assert len(CASES) == len(_cases) >= 90


@pytest.mark.parametrize("name", list(CASES))
def test_abused_field_is_refused_at_its_line(name: str) -> None:
    case = CASES[name]
    relative = f"{FOLDER[case.kind]}/{FIXTURE_ID[case.kind]}.yaml"
    code, problems = validate_in_memory({relative: case.text})
    assert code == 1
    mine = problems_of(problems, relative)
    assert case.code in [p["code"] for p in mine], mine
    hit = next(p for p in mine if p["code"] == case.code)
    assert hit["severity"] == "erreur"
    assert hit["line"] == case.line, hit
    assert len(str(hit["message"])) < 600, "messages quote a short excerpt, never the whole value"


@pytest.mark.parametrize(("name", "expected"), [
    ("lefevre-clаire", "cyrillic a"),
    ("le\u0301fevre-claire", "NFD accent"),
    ("léfevre-claire", "NFC accent"),
    ("lefevre-claire-１", "fullwidth digit"),
    ("Lefevre-Claire", "capitals"),
    ("lefevre--claire", "double dash"),
    ("lefevre_claire", "underscore"),
    ("lefevre claire", "space"),
    ("a" * 81, "too long"),
])
def test_lookalike_file_names_are_not_identifiers(name: str, expected: str) -> None:
    code, problems = validate_in_memory({f"professionnels/{name}.yaml":
                                         PROFESSIONNEL.replace('rpps: "10001234565"\n', "")
                                         .replace("Lefèvre", "Lemaître")})
    assert code == 1, expected
    hits = [p for p in problems if p["code"] == "id-filename"]
    assert len(hits) == 1 and hits[0]["line"] == 1, (expected, problems)


def test_duplicate_ids_differing_only_by_normalisation_are_refused() -> None:
    """Two files that look identical to a reader cannot both be published."""
    other = PROFESSIONNEL.replace('rpps: "10001234565"\n', "").replace("Lefèvre", "Lemaître")
    code, problems = validate_in_memory({"professionnels/lefevre-clаire.yaml": other})
    assert code == 1
    assert [p["code"] for p in problems] == ["id-filename"]


WRONG_VALUES = ["5", "-1", "1.5", "true", "~", '""', "[]", "{}", "[5]", "[[x]]", "[{}]", "{a: 1}", "[a, b]",
                "1e309", ".nan"]


@pytest.mark.parametrize("kind", [P, S, C])
def test_every_field_with_every_wrong_type_is_reported_never_a_crash(kind: str) -> None:
    """Each field of the fixture record, in turn, gets each wrong value: a problem, never an exception."""
    lines = BASE[kind].splitlines()
    relative = f"{FOLDER[kind]}/{FIXTURE_ID[kind]}.yaml"
    tried = 0
    for index, line in enumerate(lines):
        match = re.match(r"^(\s*(?:- )?)([a-z_]+):( .*)?$", line)
        if not match:
            continue
        indent = len(match.group(1))
        end = index + 1
        if not match.group(3):  # a block: its children go with it
            while end < len(lines) and len(lines[end]) - len(lines[end].lstrip()) > indent:
                end += 1
        for value in WRONG_VALUES:
            text = "\n".join([*lines[:index], f"{match.group(1)}{match.group(2)}: {value}", *lines[end:]]) + "\n"
            result = validate_files({relative: text})
            tried += 1
            for problem in result.problems:
                assert problem.line > 0 or problem.code in {"file-too-large", "file-encoding"}, problem
    assert tried > 100
