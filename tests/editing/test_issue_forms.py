"""Issue forms read back: real GitHub issue-form bodies, hostile ones, and the proposals they make."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO
from maillage.editing import forms as F
from maillage.editing import issue_proposal as P

REGISTRY = REPO / "registry"
TODAY = date(2026, 11, 22)
DECLARED = F.forms(REGISTRY)

# A body exactly as GitHub writes it for « Proposer un professionnel de santé ».
PROFESSIONNEL_BODY = """\
### Nom

Durand

### Prénom

Élodie

### Profession

Orthophoniste

### Spécialités ou compétences

_No response_

### Numéro RPPS

_No response_

### Adresse du lieu d'exercice

3 rue du Château

### Code postal

50200

### Commune

Coutances

### Téléphone professionnel

02 61 91 44 55

### Horaires

du lundi au vendredi, 9 h – 12 h

### Accessible en fauteuil roulant ?

Oui

### Âges des enfants reçus

de 3 à 16 ans

### Modalités

Au cabinet, À domicile ou en famille d'accueil

### Langues parlées

Français, Anglais

### Acceptez-vous de nouveaux patients ?

Sur liste d'attente

### Participez-vous au dispositif Santé protégée ?

Oui, soins au forfait (psychologue, psychomotricien, ergothérapeute)

### Présentation

Bilans et rééducation du langage oral et écrit.

### Engagements

- [X] Je suis la personne concernée, ou j'ai son accord pour publier ces informations professionnelles.
- [X] Ce formulaire ne contient aucune donnée sur un enfant.
"""

CORRECTION_BODY = """\
### Adresse de la fiche sur le site

https://maillage.example.org/professionnels/anquetil-alice/

### Nouveau numéro de téléphone

02 61 91 99 99

### Nouvelle adresse électronique

_No response_

### Nouveaux horaires

_No response_

### Acceptez-vous de nouveaux patients ? (professionnels)

_No response_

### Ce qui doit changer

Le numéro du cabinet a changé.

### Source

Je suis la personne concernée.
"""


def _parse(body: str, form: str = "proposer-professionnel.yml") -> F.Submission:
    return F.parse_submission(body, form, DECLARED[form])


def test_a_real_professional_form_is_read() -> None:
    sub = _parse(PROFESSIONNEL_BODY)
    assert sub.problems == []
    assert sub.values["nom"] == "Durand" and sub.values["prenom"] == "Élodie"
    assert sub.values["rpps"] is None and sub.values["specialites"] is None
    assert sub.values["modalites"] == ["Au cabinet", "À domicile ou en famille d'accueil"]
    assert sub.values["langues"] == ["Français", "Anglais"]
    # an option that itself contains « , » stays whole
    assert sub.values["sante_protegee"] == "Oui, soins au forfait (psychologue, psychomotricien, ergothérapeute)"
    assert sub.values["engagement"] == list(F.fields_of(DECLARED["proposer-professionnel.yml"])[-1].options)


def test_the_parser_knows_every_field_of_every_form() -> None:
    for name, form in DECLARED.items():
        ids = [f.id for f in F.fields_of(form)]
        assert len(ids) == len(set(ids)), name
        body = "\n\n".join(f"### {f.label}\n\n{F.NO_RESPONSE}" for f in F.fields_of(form))
        assert set(F.parse_submission(body, name, form).values) == set(ids)


def test_form_is_recognised_by_its_labels() -> None:
    assert F.form_of_labels(DECLARED, ["proposition", "professionnel"]) == "proposer-professionnel.yml"
    assert F.form_of_labels(DECLARED, ["proposition", "structure", "autre"]) == "proposer-structure.yml"
    assert F.form_of_labels(DECLARED, ["rgpd"]) == "donnees-personnelles.yml"
    assert F.form_of_labels(DECLARED, ["question"]) is None


def test_a_heading_typed_in_a_field_does_not_move_the_fields() -> None:
    body = PROFESSIONNEL_BODY.replace("Bilans et rééducation du langage oral et écrit.",
                                      "Texte\n\n### Nom\n\nPirate\n\n### Engagements\n\n- [X] faux")
    body = body.replace("3 rue du Château", "3 rue du Château\n\n### Prénom\n\nPirate")
    sub = _parse(body)
    assert sub.values["nom"] == "Durand" and sub.values["prenom"] == "Élodie"
    assert "### Nom" in str(sub.values["description"])


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "$(rm -rf /); `id` && echo $HOME | cat",
    "${{ secrets.GITHUB_TOKEN }}", "${{ github.event.issue.title }}", "'; DROP TABLE fiches; --",
    "[lien](javascript:alert(1))", "@organisation/equipe", "```\nbloc\n```",
])
def test_hostile_text_is_data_and_stays_inert_in_the_answers(hostile: str, tmp_path: Path) -> None:
    body = PROFESSIONNEL_BODY.replace("Bilans et rééducation du langage oral et écrit.", hostile)
    body = body.replace("du lundi au vendredi, 9 h – 12 h", hostile.splitlines()[0])
    sub = _parse(body)
    assert sub.values["description"] == hostile  # kept as it was typed: the validation judges it
    proposal = P.propose(sub, 7, REGISTRY, TODAY)
    answer = P.reply(proposal) + P.pr_body(proposal)
    # what the person typed only ever appears inside an inline code span, on one line
    for line in answer.splitlines():
        if hostile.splitlines()[0][:10] in line:
            assert line.count("`") >= 2
    assert "```" not in answer


def test_control_characters_and_long_values_are_refused_in_french() -> None:
    body = PROFESSIONNEL_BODY.replace("Durand", "Dur\u202eand\x07")
    body = body.replace("Bilans et rééducation du langage oral et écrit.", "x" * 5000)
    sub = _parse(body)
    assert sub.values["nom"] == "Durand"
    assert any("caractères invisibles" in p for p in sub.problems)
    assert any("« Présentation » est trop long (5000 caractères, 4000 au plus)" in p for p in sub.problems)
    assert sub.values["description"] is None
    huge = _parse(PROFESSIONNEL_BODY + "a" * 70000)
    assert any("trop long" in p for p in huge.problems)


def test_missing_sections_and_unknown_options() -> None:
    body = PROFESSIONNEL_BODY.split("### Profession")[0]
    sub = _parse(body)
    assert "La rubrique « Profession » manque dans le ticket." in sub.problems
    sub = _parse(PROFESSIONNEL_BODY.replace("\nOrthophoniste\n", "\nSorcier\n"))
    assert "« Profession » : la valeur ne fait pas partie de la liste proposée." in sub.problems
    sub = _parse(PROFESSIONNEL_BODY.replace("- [X] Ce formulaire", "- [ ] Ce formulaire"))
    assert "La case « Ce formulaire ne contient aucune donnée sur un enfant. » n'est pas cochée." in sub.problems
    assert _parse("").problems  # an empty body
    assert _parse("\r\n".join(PROFESSIONNEL_BODY.splitlines())).problems == []  # Windows line ends


def test_a_professional_proposal_is_a_complete_record() -> None:
    proposal = P.propose(_parse(PROFESSIONNEL_BODY), 12, REGISTRY, TODAY)
    assert proposal.problems == []
    assert proposal.file == "professionnels/durand-elodie.yaml" and proposal.branch == "formulaire/ticket-12"
    record = proposal.record
    assert record is not None
    assert record["profession"] == "orthophoniste" and record["langues"] == ["fr", "en"]
    assert record["modalites"] == ["cabinet", "domicile"]
    assert record["lieux"] == [{"adresse": "3 rue du Château", "code_postal": "50200", "commune": "Coutances",
                                "code_insee": "50147", "telephone": "02 61 91 44 55", "accessible_pmr": True}]
    assert record["ages"] == {"min": 3, "max": 16}
    assert record["nouveaux_patients"] == {"accepte": "liste-attente", "date_information": "2026-11-22"}
    assert record["sante_protegee"] == {"role": "professionnel-forfait"}
    assert record["statut"] == "actif" and record["source"] == "Formulaire de proposition (ticket n° 12)"
    assert any("Horaires à mettre au format" in n for n in proposal.notes)  # free text hours: for the reviewer
    from maillage.core.schemas import load_schemas

    assert load_schemas().is_valid("professionnel", record)


def test_a_wrong_postal_code_is_explained() -> None:
    proposal = P.propose(_parse(PROFESSIONNEL_BODY.replace("\n50200\n", "\n50100\n")), 3, REGISTRY, TODAY)
    assert any("ne correspondent pas" in p for p in proposal.problems)
    assert "n'a pas pu être transformée automatiquement" in P.reply(proposal)


def test_a_correction_becomes_changes_to_the_record() -> None:
    proposal = P.propose(_parse(CORRECTION_BODY, "correction.yml"), 5, REGISTRY, TODAY)
    assert proposal.problems == []
    assert proposal.file == "professionnels/anquetil-alice.yaml"
    assert proposal.changes == {("lieux", 0, "telephone"): "02 61 91 99 99"}
    # the field as the online editor names it, not its place in the file (« lieux › 1 › telephone »)
    assert "Numéro de téléphone : `02 61 91 99 99`" in P.reply(proposal)
    assert "lieux" not in P.reply(proposal)
    bad = P.propose(_parse(CORRECTION_BODY.replace("anquetil-alice", "personne-inconnue"), "correction.yml"),
                    5, REGISTRY, TODAY)
    assert bad.problems == ["Aucune fiche « personne-inconnue » dans le registre : vérifiez l'adresse."]
    traversal = P.propose(_parse(CORRECTION_BODY.replace("professionnels/anquetil-alice/", "../../etc/passwd"),
                                 "correction.yml"), 5, REGISTRY, TODAY)
    assert traversal.problems and traversal.file is None


def _event(body: str, labels: list[str], number: int = 9) -> dict[str, object]:
    return {"action": "opened", "issue": {"number": number, "body": body, "labels": [{"name": n} for n in labels]}}


def test_the_privacy_form_becomes_a_task_for_staff(tmp_path: Path) -> None:
    result = P.run(_event("### Adresse de votre fiche sur le site\n\nx", ["rgpd"]), REGISTRY, tmp_path, TODAY)
    assert result["action"] == "tache"
    assert "jamais automatiquement" in (tmp_path / "reponse.md").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "resultat.json").read_text(encoding="utf-8"))["action"] == "tache"


def test_an_issue_without_a_form_is_left_alone(tmp_path: Path) -> None:
    assert P.run(_event("bonjour", ["question"]), REGISTRY, tmp_path, TODAY)["action"] == "rien"
    assert not (tmp_path / "reponse.md").exists()


def test_a_form_with_problems_gets_an_answer_and_no_change(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY, registry)
    before = sorted(p.name for p in (registry / "professionnels").iterdir())
    body = PROFESSIONNEL_BODY.replace("\n50200\n", "\n99999\n")
    result = P.run(_event(body, ["proposition", "professionnel"]), registry, tmp_path / "out", TODAY)
    assert result["action"] == "reponse"
    assert sorted(p.name for p in (registry / "professionnels").iterdir()) == before
    assert "ne correspondent pas" in (tmp_path / "out" / "reponse.md").read_text(encoding="utf-8")


def test_a_good_form_becomes_a_validated_file(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY, registry)
    result = P.run(_event(PROFESSIONNEL_BODY, ["proposition", "professionnel"]), registry, tmp_path / "out", TODAY)
    assert result["action"] == "pull-request" and result["branche"] == "formulaire/ticket-9"
    assert (registry / "professionnels" / "durand-elodie.yaml").is_file()
    assert "Ferme #9" in (tmp_path / "out" / "demande.md").read_text(encoding="utf-8")


def _correction_event(telephone: str, courriel: str = "_No response_", patients: str = "_No response_",
                      fiche: str = "https://maillage.example.org/professionnels/anquetil-alice/") -> dict[str, object]:
    body = (CORRECTION_BODY.replace("02 61 91 99 99", telephone)
            .replace("### Nouvelle adresse électronique\n\n_No response_",
                     f"### Nouvelle adresse électronique\n\n{courriel}")
            .replace("### Acceptez-vous de nouveaux patients ? (professionnels)\n\n_No response_",
                     f"### Acceptez-vous de nouveaux patients ? (professionnels)\n\n{patients}")
            .replace("https://maillage.example.org/professionnels/anquetil-alice/", fiche))
    return _event(body, ["correction"])


def test_a_correction_with_one_bad_field_keeps_the_good_ones(tmp_path: Path) -> None:
    """The partner's other changes are not lost: the bad phone is left out, said once, in French."""
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY, registry)
    event = _correction_event("02 61 91 99", courriel="secretariat-anquetil@example.org",
                              patients="Sur liste d'attente")
    result = P.run(event, registry, tmp_path / "out", TODAY)
    assert result["action"] == "pull-request"
    record = (registry / "professionnels" / "anquetil-alice.yaml").read_text(encoding="utf-8")
    assert "secretariat-anquetil@example.org" in record and "accepte: liste-attente" in record
    assert "02 61 91 99\n" not in record
    answer = (tmp_path / "out" / "reponse.md").read_text(encoding="utf-8")
    body = (tmp_path / "out" / "demande.md").read_text(encoding="utf-8")
    for text in (answer, body):
        assert text.count("« 02 61 91 99 »") == 1  # reported once
        assert "« Nouveau numéro de téléphone »" in text
        assert "lieux" not in text and "telephone" not in text  # no place in the file, no YAML name
        assert "Sur liste d'attente" in text and "liste-attente" not in text
        assert "22 novembre 2026" in text and "2026-11-22" not in text
    assert "Laissé de côté" in body and "Non repris" in answer


def test_a_correction_with_only_a_bad_field_proposes_nothing_and_says_it_once(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY, registry)
    before = (registry / "professionnels" / "anquetil-alice.yaml").read_bytes()
    result = P.run(_correction_event("02 61 91 12"), registry, tmp_path / "out", TODAY)
    assert result["action"] == "reponse"
    answer = (tmp_path / "out" / "reponse.md").read_text(encoding="utf-8")
    assert answer.count("« 02 61 91 12 »") == 1
    assert "« 02 61 91 12 » n'a pas le format attendu pour « Nouveau numéro de téléphone »" in answer
    assert "lieux" not in answer
    assert (registry / "professionnels" / "anquetil-alice.yaml").read_bytes() == before


def test_a_phone_pasted_with_non_breaking_spaces_in_the_form_is_read_with_plain_spaces() -> None:
    body = CORRECTION_BODY.replace("02 61 91 99 99", "02\u00a061\u202f91\u00a099\u00a099")
    proposal = P.propose(_parse(body, "correction.yml"), 5, REGISTRY, TODAY)
    assert proposal.changes == {("lieux", 0, "telephone"): "02 61 91 99 99"}


def test_the_site_link_of_a_record_fills_a_field_the_robot_reads() -> None:
    """« Modifier ma fiche » fills « Adresse de la fiche sur le site » (the page, or professionnel/id)."""
    for fiche in ("https://maillage.example.org/professionnels/anquetil-alice/", "professionnel/anquetil-alice"):
        body = CORRECTION_BODY.replace("https://maillage.example.org/professionnels/anquetil-alice/", fiche)
        proposal = P.propose(_parse(body, "correction.yml"), 5, REGISTRY, TODAY)
        assert proposal.problems == [] and proposal.file == "professionnels/anquetil-alice.yaml"


def _with_closure(body: str, start: str, end: str, message: str = "_No response_") -> str:
    return (body.replace("### Ce qui doit changer", f"### Fermeture : premier jour\n\n{start}\n\n"
                         f"### Fermeture : dernier jour (inclus)\n\n{end}\n\n"
                         f"### Message à afficher pendant la fermeture\n\n{message}\n\n### Ce qui doit changer"))


def test_a_dated_closure_in_the_correction_form_becomes_temporary_information(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY, registry)
    body = _with_closure(CORRECTION_BODY.replace("02 61 91 99 99", "_No response_"), "22/12/2026", "02/01/2027",
                         "Cabinet fermé pour les fêtes.")
    result = P.run(_event(body, ["correction"]), registry, tmp_path / "out", TODAY)
    assert result["action"] == "pull-request"
    record = P.writer.RecordFile.open(registry / "professionnels" / "anquetil-alice.yaml").data
    assert record["temporaire"][-1] == {"du": "2026-12-22", "au": "2027-01-02",
                                        "message": "Cabinet fermé pour les fêtes."}
    assert record["statut"] == "actif"  # a dated closure is not the open-ended « inactif »
    answer = (tmp_path / "out" / "reponse.md").read_text(encoding="utf-8")
    assert ("Informations temporaires : `du 22 décembre 2026 au 2 janvier 2027 : Cabinet fermé pour les fêtes.`"
            in answer)


def test_a_closure_with_dates_in_the_wrong_order_is_left_out_and_said(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY, registry)
    body = _with_closure(CORRECTION_BODY, "02/01/2027", "22/12/2026")
    result = P.run(_event(body, ["correction"]), registry, tmp_path / "out", TODAY)
    assert result["action"] == "pull-request"  # the phone is still proposed
    demande = (tmp_path / "out" / "demande.md").read_text(encoding="utf-8")
    assert "« du » doit précéder « au »" in demande and "02 61 91 99 99" in demande
    record = P.writer.RecordFile.open(registry / "professionnels" / "anquetil-alice.yaml").data
    assert not any(t.get("du") == "2027-01-02" for t in record.get("temporaire", []))
