"""Acceptance corpus: broken records, and the exact code, file and line a partner sees.

Each case starts from a valid record of the small fixture registry, breaks one
thing, validates the registry in memory with the validator ``maillage validate``
uses (``validation_support``), and checks the message's code, its file and its line.
The command itself is run end to end on the clean fixture.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import CONVENTION, PROFESSIONNEL, PROFESSIONNEL_INTERNE, STRUCTURE
from maillage.cli.main import main
from validation_support import validate_files, validate_report

# "interne": an internal part, "interne-structure": a whole record, both in the internal registry.
BASE = {"professionnel": PROFESSIONNEL, "structure": STRUCTURE, "convention": CONVENTION,
        "interne": PROFESSIONNEL_INTERNE, "interne-structure": STRUCTURE}
FOLDER = {"professionnel": "professionnels", "structure": "structures", "convention": "conventions",
          "interne": "interne/professionnels", "interne-structure": "interne/structures"}


@dataclass
class Case:
    name: str
    kind: str
    text: str  # the whole broken file
    code: str
    needle: str | None  # the line that must be reported is the first line containing this text
    file_id: str = "cas"


def sub(kind: str, old: str, new: str) -> str:
    base = BASE[kind]
    assert old in base, old
    return base.replace(old, new, 1)


P, S, C, INT, IS = "professionnel", "structure", "convention", "interne", "interne-structure"
CASES = [
    # --- YAML hazards -------------------------------------------------------
    Case("alias", P, sub(P, "prenom: Claire", "prenom: &p Claire\nsource2: *p"), "yaml-alias", "&p"),
    Case("alias-bomb", P, "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "yaml-alias", "&a"),
    Case("duplicate-key", P, sub(P, "statut: actif", "statut: actif\nstatut: cesse"), "yaml-duplicate-key",
         "statut: cesse"),
    Case("explicit-tag", P, sub(P, "nom: Lefèvre", "nom: !!str Lefèvre"), "yaml-tag", "!!str"),
    Case("python-tag", P, sub(P, "nom: Lefèvre", "nom: !!python/object/apply:os.system [ls]"), "yaml-tag",
         "!!python"),
    Case("tab-indent", P, sub(P, "  - nom: Cabinet des Halles", "\t- nom: Cabinet des Halles"), "yaml-tab",
         "\t- nom"),
    Case("unquoted-colon", P, sub(P, "source: Déclaration du professionnel", "source: Note: déclaration"),
         "yaml-syntax", "source: Note"),
    Case("bad-indent", P, sub(P, "    commune: Coutances", "   commune: Coutances"), "yaml-syntax",
         "   commune: Coutances"),
    Case("unclosed-quote", P, sub(P, 'rpps: "10001234565"', 'rpps: "10001234565'), "yaml-syntax", None),
    Case("top-level-list", P, "- nom: Lefèvre\n- prenom: Claire\n", "yaml-not-mapping", "- nom"),
    Case("empty-file", P, "", "yaml-empty", None),
    Case("two-documents", P, PROFESSIONNEL + "---\nnom: Autre\n", "yaml-multiple-documents", "---"),
    Case("not-utf8", P, "", "file-encoding", None),  # bytes written separately
    Case("too-large", P, "", "file-too-large", None),  # bytes written separately
    # --- Types, coercion, schema ---------------------------------------------
    Case("yes-word", P, sub(P, "accessible_pmr: true", "accessible_pmr: oui"), "schema-boolean-word",
         "accessible_pmr"),
    Case("missing-required", P, sub(P, "profession: orthophoniste\n", ""), "schema-required", "nom: Lefèvre"),
    Case("unknown-field", P, sub(P, "statut: actif", "statut: actif\ncodepostal: \"50200\""),
         "schema-unknown-field", "codepostal"),
    Case("typo-field-in-place", P, sub(P, "    commune: Coutances", "    comune: Coutances"),
         "schema-unknown-field", "comune"),
    Case("enum", P, sub(P, "modalites: [cabinet, domicile]", "modalites: [cabinet, teleconsultation]"),
         "schema-enum", "modalites"),
    Case("wrong-type-list", P, sub(P, "langues: [fr]", "langues: fr"), "schema-type", "langues"),
    Case("wrong-type-number", P, sub(P, "delai_semaines: 4", "delai_semaines: quatre"), "schema-type",
         "delai_semaines"),
    Case("leading-zero-int", P, sub(P, "delai_semaines: 4", "delai_semaines: 04"), "schema-type",
         "delai_semaines"),
    Case("postal-code-format", P, sub(P, 'code_postal: "50200"', 'code_postal: "5020"'), "schema-format",
         "code_postal"),
    Case("phone-format", P, sub(P, "telephone: 02 61 91 12 34", "telephone: 02-61-91"), "schema-format",
         "telephone: 02-61-91"),
    Case("javascript-url", P, sub(P, "statut: actif", "statut: actif\nsite_web: JavaScript:alert(1)"),
         "schema-link-scheme", "site_web"),
    Case("http-url", P, sub(P, "statut: actif", "statut: actif\nsite_web: http://example.org"),
         "schema-link-scheme", "site_web"),
    Case("empty-text", P, sub(P, "source: Déclaration du professionnel", 'source: ""'), "schema-length",
         "source:"),
    Case("age-range", P, sub(P, "ages: {min: 2, max: 16}", "ages: {min: 2, max: 40}"), "schema-range", "ages"),
    Case("party-two-refs", C, sub(C, "  - structure: cmp-coutances\n    role: prestataire",
                                  "  - structure: cmp-coutances\n    professionnel: lefevre-claire\n"
                                  "    role: prestataire"), "schema-party", "- structure: cmp-coutances"),
    Case("date-format", P, sub(P, "verifie_le: 2026-10-01", "verifie_le: 01/10/2026"), "schema-format",
         "verifie_le"),
    # --- Registry-wide and record rules --------------------------------------
    Case("bad-filename", P, PROFESSIONNEL, "id-filename", None, file_id="Claire_Lefèvre"),
    Case("duplicate-rpps", P, sub(P, "nom: Lefèvre", "nom: Autre"), "identifier-duplicate", "rpps"),
    Case("rpps-key", P, sub(P, '"10001234565"', '"10001234567"'), "rpps-key", "rpps"),
    Case("finess-key", S, sub(S, '"509900015"', '"509900016"'), "finess-key", "finess"),
    Case("siret-key", S, sub(S, '"99000001000019"', '"99000001000018"'), "siret-key", "siret:"),
    Case("unknown-party", C, sub(C, "structure: cmp-coutances", "structure: cmp-coutance"), "ref-unknown",
         "cmp-coutance"),
    Case("unknown-parent", S, sub(S, "categorie: cmp", "categorie: cmp\nstructure_parente: ch-inexistant"),
         "ref-unknown", "structure_parente"),
    Case("date-order", C, sub(C, "effet: 2025-02-01", "effet: 2028-02-01"), "date-order", "fin: 2027"),
    Case("signature-after-effect", C, sub(C, "signature: 2025-01-10", "signature: 2025-03-10"),
         "date-retroactive", "effet:"),
    Case("signed-and-in-effect", C, sub(C, "statut: active", "statut: signee"), "status-signed-in-effect",
         "statut: signee"),
    Case("future-signature", C, sub(C, "signature: 2025-01-10", "signature: 2027-01-10"), "date-future",
         "signature:"),
    Case("empty-code", P, sub(P, 'code_insee: "50147"', 'code_insee: ""'), "schema-length", "code_insee"),
    Case("impossible-date", P, sub(P, "verifie_le: 2026-10-01", "verifie_le: 2026-02-30"), "date-invalid",
         "verifie_le"),
    Case("future-verification", P, sub(P, "verifie_le: 2026-10-01", "verifie_le: 2027-01-01"), "date-future",
         "verifie_le"),
    Case("active-but-ended", C, sub(C, "fin: 2027-12-31", "fin: 2026-06-30"), "status-active-ended",
         "statut: active"),
    Case("signed-without-date", C, sub(C, "  signature: 2025-01-10\n", ""), "status-signed-without-date",
         "statut: active"),
    Case("expired-without-end", C, sub(C, "  fin: 2027-12-31\n", "").replace("statut: active", "statut: expiree"),
         "status-expired-without-end", "statut: expiree"),
    Case("draft-with-signature", C, sub(C, "statut: active", "statut: projet"), "status-unsigned-with-date",
         "signature: 2025"),
    Case("draft-ended", C, sub(C, "fin: 2027-12-31", "fin: 2026-06-30").replace("statut: active",
                                                                               "statut: en-negociation"),
         "status-draft-ended", "statut: en-negociation"),
    Case("active-before-effect", C, sub(C, "effet: 2025-02-01", "effet: 2027-01-01"), "status-active-not-in-effect",
         "statut: active"),
    Case("expired-too-early", C, sub(C, "statut: active", "statut: expiree"), "status-expired-not-ended",
         "statut: expiree"),
    Case("age-order", P, sub(P, "ages: {min: 2, max: 16}", "ages: {min: 12, max: 3}"), "age-order", "ages"),
    Case("postal-insee-mismatch", P, sub(P, 'code_postal: "50200"', 'code_postal: "50000"'),
         "geo-postal-mismatch", "code_postal"),
    Case("insee-unknown", P, sub(P, 'code_insee: "50147"', 'code_insee: "50999"'), "geo-insee-unknown",
         "code_insee"),
    Case("commune-mismatch", P, sub(P, "commune: Coutances", "commune: Saint-Lô"), "geo-commune-mismatch",
         "commune: Saint"),
    Case("swapped-coordinates", P, sub(P, "    accessible_pmr: true",
                                       "    accessible_pmr: true\n    coordonnees: {latitude: -1.44, "
                                       "longitude: 49.05}"), "geo-manual-far", "coordonnees"),
    Case("vocab-typo", P, sub(P, "profession: orthophoniste", "profession: orthofoniste"), "vocab-unknown",
         "profession"),
    Case("vocab-specialty", P, sub(P, "specialites: [langage-oral]", "specialites: [langage-orale]"),
         "vocab-unknown", "specialites"),
    Case("category-unknown", S, sub(S, "categorie: cmp", "categorie: centre-medico-psy"), "vocab-unknown",
         "categorie"),
    Case("invalid-phone", P, sub(P, "telephone: 02 61 91 12 34", "telephone: 06 39 98 12 34"),
         "phone-invalid", "06 39 98"),
    Case("hours", P, sub(P, "horaires: Mo-Fr 09:00-12:00,14:00-18:30", "horaires: Lu-Ve 9h-12h"),
         "hours-invalid", "horaires"),
    Case("html", P, sub(P, "description: Bilans et rééducation du langage.",
                        "description: Bilans <img src=x onerror=alert(1)>"), "text-html", "description"),
    Case("markdown-js-link", P, sub(P, "description: Bilans et rééducation du langage.",
                                    "description: \"[site](javascript:alert(1))\""), "text-html", "description"),
    Case("bidi-override", P, sub(P, "nom: Lefèvre", "nom: \"Lef\\u202Eèvre\""), "text-control", "nom:"),
    Case("nir-in-notes", INT, sub(INT, "  notes: Préfère les courriels.",
                                "  notes: Voir dossier 1 15 03 50 147 023 76"), "child-data", "notes",
         "lefevre-claire"),
    Case("bad-internal-phone", INT, sub(INT, "  telephone: 02 61 91 12 35", "  telephone: 02 61 91 12"),
         "schema-format", "telephone", "lefevre-claire"),
    # --- The border between the public and the internal registry ---------------
    Case("interne-in-public", P, PROFESSIONNEL + PROFESSIONNEL_INTERNE, "border-internal-section", "interne:"),
    Case("draft-in-public", C, sub(C, "statut: active", "statut: en-negociation").replace(
        "  signature: 2025-01-10\n", ""), "border-draft-convention", "statut:"),
    Case("document-not-public", C, sub(C, "statut: active", "statut: active\ndocuments:\n  - titre: Annexe\n"
                                       "    url: https://example.org/annexe.pdf"), "border-document-not-public",
         "- titre: Annexe"),
    Case("candidate-in-public", P, sub(P, "statut: actif", "statut: candidat"), "border-candidate", "statut:"),
    Case("internal-part-orphan", INT, sub(INT, "  notes: Préfère les courriels.", "  notes: Sans fiche publique."),
         "internal-orphan", "interne:", "lefevre-clair"),
    Case("internal-id-taken", IS, sub(IS, 'finess: "509900015"\n', "").replace('siret: "99000001000019"\n', ""),
         "internal-id-duplicate", None, "lefevre-claire"),
    Case("named-child", P, sub(P, "description: Bilans et rééducation du langage.",
                               "description: Suivi de l'enfant Lucas depuis mars."), "child-data", "description"),
    Case("birth-date", C, sub(C, "objet: Accès rapide", "objet: Pour Emma née le 12/03/2016, accès rapide"),
         "child-data", "objet"),
    Case("duplicate-person", P, sub(P, '  - nom: Cabinet des Halles', '  - nom: Cabinet des Halles')
         .replace('rpps: "10001234565"\n', ''), "duplicate-probable", "nom: Lefèvre"),
    Case("finance-other", C, sub(C, "  - financeur: cpam", "  - financeur: autre"), "finance-precision",
         "financeur: autre"),
    Case("missing-document", C, sub(C, "statut: active", "statut: active\ndocuments:\n  - titre: Convention\n"
                                    "    fichier: absente.pdf"), "document-missing", "absente.pdf"),
]


def _shown(relative: str) -> str:
    """A file as reported: the public registry's under registry/, the internal registry's under interne/."""
    return relative if relative.startswith("interne/") else f"registry/{relative}"


def _case_file(case: Case) -> tuple[str, str | bytes]:
    """The broken file: its path in the registry and its content."""
    relative = f"{FOLDER[case.kind]}/{case.file_id}.yaml"
    if case.name == "not-utf8":
        return relative, PROFESSIONNEL.replace("Lefèvre", "Lef\xe8vre").encode("latin-1")
    if case.name == "too-large":
        return relative, PROFESSIONNEL + "# " + "x" * 300_000 + "\n"
    return relative, case.text


def _expected_line(case: Case) -> int | None:
    if case.needle is None:
        return None
    for number, line in enumerate(case.text.splitlines(), start=1):
        if case.needle in line:
            return number
    raise AssertionError(f"needle {case.needle!r} not in case text")


def test_corpus_is_large_and_distinct() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert len({c.text for c in CASES if c.text}) == len([c for c in CASES if c.text])


WARNINGS = {"duplicate-probable", "geo-manual-far", "date-retroactive", "status-signed-in-effect",
            "status-active-ended", "status-unsigned-with-date", "status-draft-ended", "status-active-not-in-effect",
            "status-expired-not-ended"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_partner_sees_code_file_and_line(case: Case) -> None:
    relative, content = _case_file(case)
    code, problems = validate_report({relative: content})
    mine = [p for p in problems if p["file"] == _shown(relative)]
    assert [p["code"] for p in mine].count(case.code) >= 1, mine or problems
    hit = next(p for p in mine if p["code"] == case.code)
    expected = _expected_line(case)
    if expected is not None:
        assert hit["line"] == expected, hit
    assert (hit["message"] and hit["message"][0].isupper()) or hit["message"][0] in "«"
    severity_is_error = hit["severity"] == "erreur"
    assert code == (1 if any(p["severity"] == "erreur" for p in problems) else 0)
    if case.code in WARNINGS:
        assert not severity_is_error
    else:
        assert severity_is_error


def test_empty_value_is_reported_once() -> None:
    _code, problems = validate_report({"professionnels/cas.yaml": PROFESSIONNEL.replace(
        'code_insee: "50147"', 'code_insee: ""').replace("profession: orthophoniste", 'profession: ""')}, base=False)
    assert sorted(p["code"] for p in problems) == ["schema-length", "schema-length"]
    assert all("la valeur est vide" in str(p["message"]) for p in problems)


def test_surname_with_article_is_another_person() -> None:
    other = PROFESSIONNEL.replace("Lefèvre", "Le Fèvre").replace('rpps: "10001234565"\n', "").replace(
        "12 rue des Halles", "3 rue Tancrède")
    result = validate_files({"professionnels/lefevre-claire.yaml": PROFESSIONNEL,
                             "professionnels/le-fevre.yaml": other}, base=False)
    assert [p.code for p in result.problems] == []


def test_clean_fixture_has_no_problem(small_registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--registry", str(small_registry)]) == 0
    assert "aucun problème" in capsys.readouterr().out
