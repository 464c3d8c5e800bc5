"""What a partner who is not a developer reads for the mistakes a new-user walkthrough made.

One mistake gives one message (never the schema's « format attendu » beside a rule's better
explanation), and the message says what to write: the spaces copied from a word processor in a
phone, the fields of a block, the INSEE code of the commune, opening hours in the OpenStreetMap form.
"""

from __future__ import annotations

import pytest

from conftest import PROFESSIONNEL
from maillage.core.problems import CATALOGUE
from validation_support import validate_report

FILE = "professionnels/lefevre-claire.yaml"


def problems_for(text: str) -> list[dict[str, object]]:
    _code, problems = validate_report({FILE: text})
    return [p for p in problems if str(p["file"]).endswith(FILE)]


@pytest.mark.parametrize("space", ["\u00a0", "\u202f"], ids=["no-break", "narrow-no-break"])
def test_phone_copied_with_non_breaking_spaces_says_so_once(space: str) -> None:
    copied = space.join(["02", "61", "91", "75", "38"])
    problems = problems_for(PROFESSIONNEL.replace("telephone: 02 61 91 12 34", f"telephone: {copied}"))
    assert [p["code"] for p in problems] == ["phone-invalid"]
    message = str(problems[0]["message"])
    assert "espaces insécables" in message and "retapez les espaces" in message
    assert "n'a pas le format attendu" not in message
    assert problems[0]["line"] == PROFESSIONNEL.splitlines().index("    telephone: 02 61 91 12 34") + 1


def test_phone_not_in_the_numbering_plan_is_one_message() -> None:
    problems = problems_for(PROFESSIONNEL.replace("telephone: 02 61 91 12 34", "telephone: 06 39 98 12 34"))
    assert [p["code"] for p in problems] == ["phone-invalid"]
    assert "n'est pas un numéro de téléphone français valide" in str(problems[0]["message"])


def test_short_phone_is_one_message_with_the_example() -> None:
    problems = problems_for(PROFESSIONNEL.replace("telephone: 02 61 91 12 34", "telephone: 02 61 91 12"))
    assert [p["code"] for p in problems] == ["schema-format"]
    assert "02 61 91 12 34" in str(problems[0]["message"])


@pytest.mark.parametrize(("old", "new", "suggestion"), [
    ("profession: orthophoniste", "profession: Orthophoniste", "orthophoniste"),
    ("langues: [fr]", "langues: [FR]", None),
])
def test_term_not_in_its_list_is_one_message(old: str, new: str, suggestion: str | None) -> None:
    problems = problems_for(PROFESSIONNEL.replace(old, new))
    assert [p["code"] for p in problems] == ["vocab-unknown"]
    message = str(problems[0]["message"])
    assert "vocabulaire contrôlé" not in message
    if suggestion:
        assert f"Vouliez-vous dire « {suggestion} » ?" in message
    assert "une des valeurs de la liste" in message


def test_small_list_is_listed_in_full() -> None:
    entry = CATALOGUE["vocab-unknown"]
    message = entry.render({"value": "cotentin-sud", "vocab": "Territoires", "suggestion": None,
                            "allowed": ["centre-manche", "cotentin"]})
    assert "Valeurs possibles : centre-manche, cotentin." in message


def test_block_written_as_one_word_names_the_fields_to_write() -> None:
    text = PROFESSIONNEL.replace("nouveaux_patients:\n  accepte: oui\n  delai_semaines: 4\n"
                                 "  date_information: 2026-10-01\n", "nouveaux_patients: Oui\n")
    problems = problems_for(text)
    assert [p["code"] for p in problems] == ["schema-type"]
    message = str(problems[0]["message"])
    assert "« accepte: oui | liste-attente | non »" in message
    assert "« date_information: AAAA-MM-JJ »" in message


def test_missing_insee_code_is_given_from_commune_and_postal_code() -> None:
    problems = problems_for(PROFESSIONNEL.replace('    code_insee: "50147"\n', ""))
    assert [p["code"] for p in problems] == ["geo-insee-missing"]
    assert "code INSEE de Coutances (50200) : 50147" in str(problems[0]["message"])
    assert 'code_insee: "50147"' in str(problems[0]["message"])


def test_missing_insee_code_of_an_unknown_commune_is_the_schema_message() -> None:
    problems = problems_for(PROFESSIONNEL.replace('    code_insee: "50147"\n', "")
                            .replace("commune: Coutances", "commune: Nulle-Part"))
    assert [p["code"] for p in problems] == ["schema-required"]


@pytest.mark.parametrize("wrong", ["50999", "5014", "50 147"])
def test_wrong_insee_code_suggests_the_commune_code(wrong: str) -> None:
    text = PROFESSIONNEL.replace('code_postal: "50200"', 'code_postal: "50330"').replace(
        "commune: Coutances", "commune: Saint-Pierre-Église").replace('code_insee: "50147"', f'code_insee: "{wrong}"')
    problems = problems_for(text)
    assert [p["code"] for p in problems] == ["geo-insee-unknown"]
    assert "Code INSEE de Saint-Pierre-Église (50330) : 50539." in str(problems[0]["message"])


def test_hours_message_shows_french_to_code_table() -> None:
    problems = problems_for(PROFESSIONNEL.replace("horaires: Mo-Fr 09:00-12:00,14:00-18:30",
                                                  "horaires: du lundi au vendredi de 9h à 12h"))
    assert [p["code"] for p in problems] == ["hours-invalid"]
    message = str(problems[0]["message"])
    assert "« du lundi au vendredi de 9 h à 12 h » s'écrit « Mo-Fr 09:00-12:00 »" in message
    assert "Sa samedi" in message


def test_yaml_indentation_is_said_in_plain_french() -> None:
    for reason in ("indentation", "list-indentation"):
        text = CATALOGUE["yaml-syntax"].render({"reason": reason})
        assert "décalage des lignes (indentation)" in text
