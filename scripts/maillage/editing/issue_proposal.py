"""An issue form becomes a proposed change: a new record file, or a change to one.

Run by the workflow « Formulaire → proposition » (``.github/workflows/formulaires.yml``) as
``python -m maillage.editing.issue_proposal --event "$GITHUB_EVENT_PATH" --out DIR``. It reads
the event's JSON itself, so the issue's text (untrusted) never passes through a shell or a
workflow expression. It writes in ``DIR``:

* ``reponse.md`` — the French answer posted in the issue (what was created, or what to fix);
* ``demande.md`` — the pull request's description (for a change to propose);
* ``resultat.json`` — ``{"action": "pull-request" | "reponse" | "tache", "branche", "titre"}``;

and, for ``pull-request``, the record file in the registry, written through Step 8's writer
(``maillage.editing.writer``) and checked by the registry's validation. The « Mes données »
form is never automated: it becomes a task for staff (``tache``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from maillage.core import clock
from maillage.core.french import date_fr
from maillage.core.gazetteer import Gazetteer
from maillage.core.kinds import BY_NAME, RecordKind
from maillage.core.labels import BY_FIELD, MODALITES, NOUVEAUX_PATIENTS
from maillage.core.links import read_record_reference
from maillage.core.problem_types import FieldPath
from maillage.core.problems import CATALOGUE, Problem
from maillage.editing import writer
from maillage.editing.forms import Submission, fields_of, form_of_labels, forms, parse_submission
from maillage.load.registry import VOCABULARIES
from maillage.load.safe_yaml import load_file
from maillage.validation import suggest_id
from maillage.validation.record_rules import valid_hours

PRIVACY_FORM = "donnees-personnelles.yml"
RECORD_FORMS = {"proposer-professionnel.yml": "professionnel", "proposer-structure.yml": "structure"}
CORRECTION_FORM = "correction.yml"
CONFIRMATION_FORM = "confirmation.yml"
SANTE_PROTEGEE_CHOICES = {"Oui, comme médecin référent": "medecin-referent"}
PMR = {"Oui": True, "Non": False}


@dataclass(slots=True)
class Proposal:
    """What an issue asks, ready to write: a new record, or changes to one, with notes for the reviewer."""

    form: str
    issue: int
    kind: RecordKind | None = None
    record_id: str | None = None
    record: dict[str, Any] | None = None  # a whole new record
    changes: dict[tuple[str | int, ...], Any] = field(default_factory=dict)  # value path -> new value
    # value path -> the label of the form's field it comes from (« Nouveau numéro de téléphone »)
    sources: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)  # changes refused by the validation, and why (French)
    notes: list[str] = field(default_factory=list)  # for the reviewer: what was not carried over
    problems: list[str] = field(default_factory=list)  # for the author: what to fix first

    @property
    def file(self) -> str | None:
        return self.kind.file(self.record_id) if self.kind and self.record_id else None

    @property
    def branch(self) -> str:
        return f"formulaire/ticket-{self.issue}"

    @property
    def title(self) -> str:
        if self.record is not None and self.kind:
            return f"Nouvelle fiche ({self.kind.label}) : {self.record_id} — ticket n° {self.issue}"
        if self.form == CONFIRMATION_FORM:
            return f"Fiche {self.record_id} confirmée sans changement — ticket n° {self.issue}"
        return f"Correction de la fiche {self.record_id} — ticket n° {self.issue}"


class _Vocabularies:
    def __init__(self, registry: Path) -> None:
        from maillage.core.schemas import load_schemas

        keys = load_schemas().text_keys
        self.by_label: dict[str, dict[str, str]] = {}
        for name in VOCABULARIES:
            path = registry / "vocabulaires" / f"{name}.yaml"
            data = load_file(path, f"vocabulaires/{name}.yaml", keys, limit=8 * 1024 * 1024).data if path.is_file() \
                else {}
            self.by_label[name] = {str(t["libelle"]): str(t["id"]) for t in data.get("termes") or []
                                   if isinstance(t, dict) and "id" in t and "libelle" in t}

    def ids(self, name: str, labels: list[str]) -> list[str]:
        return [self.by_label[name][label] for label in labels if label in self.by_label[name]]


def _reverse(choices: dict[str, str]) -> dict[str, str]:
    return {label: value for value, label in choices.items()}


def _ages(text: str | None, proposal: Proposal) -> dict[str, int] | None:
    if not text:
        return None
    numbers = [int(n) for n in re.findall(r"\d{1,2}", text)]
    if len(numbers) == 2 and 0 <= numbers[0] <= numbers[1] <= 25:
        return {"min": numbers[0], "max": numbers[1]}
    proposal.notes.append(f"Âges non repris (à saisir en années, minimum et maximum) : {_quote(text)}")
    return None


def _place(sub: Submission, proposal: Proposal, gazetteer: Gazetteer) -> dict[str, Any] | None:
    adresse, cp, commune = sub.text("adresse"), sub.text("code_postal"), sub.text("commune")
    if not (adresse and cp and commune):
        return None
    place: dict[str, Any] = {"adresse": adresse, "code_postal": cp, "commune": commune}
    matches = gazetteer.match(commune, cp) if re.fullmatch(r"[0-9]{5}", cp) else []
    if matches:
        place["commune"] = matches[0].nom
        place["code_insee"] = matches[0].code_insee
    else:
        proposal.problems.append(f"La commune {_quote(commune)} et le code postal {_quote(cp)} ne correspondent "
                                 "pas : vérifiez-les (le code postal de la commune, pas son code INSEE).")
    if sub.text("telephone"):
        place["telephone"] = sub.text("telephone")
    hours = sub.text("horaires")
    if hours and valid_hours(hours):
        place["horaires"] = hours
    elif hours:
        proposal.notes.append(f"Horaires à mettre au format des horaires d'ouverture : {_quote(hours)}")
    if sub.text("accessible_pmr") in PMR:
        place["accessible_pmr"] = PMR[sub.text("accessible_pmr") or ""]
    return place


def _new_id(registry: Path, kind: RecordKind, stem: str, proposal: Proposal) -> str:
    base = suggest_id(stem)[:70].strip("-") or kind.name
    candidate = base
    if (registry / kind.file(candidate)).exists():
        proposal.notes.append(f"Une fiche « {base} » existe déjà : vérifiez qu'il ne s'agit pas d'un doublon.")
        number = 2
        while (registry / kind.file(candidate)).exists():
            candidate = f"{base}-{number}"
            number += 1
    return candidate


def _common(sub: Submission, proposal: Proposal, today: date) -> dict[str, Any]:
    return {"statut": "actif", "verifie_le": today.isoformat(),
            "source": f"Formulaire de proposition (ticket n° {proposal.issue})"}


def propose(sub: Submission, issue: int, registry: Path, today: date) -> Proposal:
    """Turn a parsed submission into a proposal (nothing is written here)."""
    proposal = Proposal(sub.form, issue, problems=list(sub.problems))
    vocab = _Vocabularies(registry)
    gazetteer = Gazetteer.load()
    if sub.form == "proposer-professionnel.yml":
        kind = proposal.kind = BY_NAME["professionnel"]
        record: dict[str, Any] = {"nom": sub.text("nom"), "prenom": sub.text("prenom")}
        record["profession"] = next(iter(vocab.ids("professions", sub.choices("profession"))), None)
        if sub.choices("specialites"):
            record["specialites"] = vocab.ids("specialites", sub.choices("specialites"))
        if sub.text("rpps"):
            record["rpps"] = sub.text("rpps")
        place = _place(sub, proposal, gazetteer)
        record["lieux"] = [place] if place else None
        if ages := _ages(sub.text("ages"), proposal):
            record["ages"] = ages
        modes = _reverse(MODALITES.short)
        if sub.choices("modalites"):
            record["modalites"] = [modes[m] for m in sub.choices("modalites") if m in modes]
        if sub.choices("langues"):
            record["langues"] = vocab.ids("langues", sub.choices("langues"))
        accepts = _reverse(NOUVEAUX_PATIENTS.short).get(sub.text("nouveaux_patients") or "")
        if accepts:
            record["nouveaux_patients"] = {"accepte": accepts, "date_information": today.isoformat()}
        role = SANTE_PROTEGEE_CHOICES.get(sub.text("sante_protegee") or "")
        if role is None and (sub.text("sante_protegee") or "").startswith("Oui, soins au forfait"):
            role = "professionnel-forfait"
        if role:
            record["sante_protegee"] = {"role": role}
        elif sub.text("sante_protegee") == "Je souhaite en savoir plus":
            proposal.notes.append("La personne souhaite en savoir plus sur Santé protégée : prenez contact.")
        if sub.text("description"):
            record["description"] = sub.text("description")
        record.update(_common(sub, proposal, today))
        stem = f"{sub.text('nom') or ''} {sub.text('prenom') or ''}"
    elif sub.form == "proposer-structure.yml":
        kind = proposal.kind = BY_NAME["structure"]
        record = {"nom": sub.text("nom"),
                  "categorie": next(iter(vocab.ids("categories", sub.choices("categorie"))), None)}
        if sub.text("finess"):
            record["finess"] = sub.text("finess")
        if sub.text("gestionnaire"):
            record["gestionnaire"] = {"nom": sub.text("gestionnaire")}
        place = _place(sub, proposal, gazetteer)
        record["lieux"] = [place] if place else None
        if sub.text("secteur"):
            proposal.notes.append(f"Communes couvertes à reporter dans « secteur » : {_quote(sub.text('secteur'))}")
        if sub.text("admission"):
            record["admission"] = {"procedure": sub.text("admission")}
        record.update(_common(sub, proposal, today))
        stem = sub.text("nom") or ""
    elif sub.form == CORRECTION_FORM:
        return _correction(sub, proposal, registry, today)
    elif sub.form == CONFIRMATION_FORM:
        return _confirmation(sub, proposal, registry, today)
    else:
        proposal.problems.append("Ce formulaire n'est pas traité automatiquement.")
        return proposal
    proposal.record = {k: v for k, v in record.items() if v is not None}
    missing = [name for name in ("nom", "lieux") if name not in proposal.record]
    if missing and not proposal.problems:
        proposal.problems.append("Des rubriques obligatoires manquent : " + ", ".join(missing) + ".")
    proposal.record_id = _new_id(registry, kind, stem, proposal)
    return proposal


def _record_named(given: str, proposal: Proposal, unknown: str) -> tuple[RecordKind, str] | None:
    """The record a form names (its page's address, or « professionnel/identifiant », what the site's links
    fill in); None, with ``unknown`` as the problem, when the text names none."""
    found = read_record_reference(given)
    if found is None:
        proposal.problems.append(unknown)
        return None
    return BY_NAME[found[0]], found[1]


def _correction(sub: Submission, proposal: Proposal, registry: Path, today: date) -> Proposal:
    named = _record_named(sub.text("fiche") or "", proposal,
                          "L'adresse de la fiche n'est pas reconnue : copiez l'adresse de la page de la fiche "
                          "(elle se termine par /professionnels/identifiant/ ou /structures/identifiant/).")
    if named is None:
        return proposal
    kind, record_id = named
    proposal.kind, proposal.record_id = kind, record_id
    path = registry / kind.file(record_id)
    if not path.is_file():
        proposal.problems.append(f"Aucune fiche « {record_id} » dans le registre : vérifiez l'adresse.")
        return proposal
    from maillage.core.schemas import load_schemas

    data = load_file(path, kind.file(record_id), load_schemas().text_keys).data
    places = data.get("lieux") if isinstance(data.get("lieux"), list) else []
    labels = {f.id: f.label for f in fields_of(forms(registry)[CORRECTION_FORM])}
    for name in ("telephone", "courriel", "horaires"):
        value = sub.text(name)
        if not value:
            continue
        if name == "horaires" and not valid_hours(value):
            proposal.notes.append(f"« {labels[name]} » à mettre au format des horaires d'ouverture : {_quote(value)}")
        elif len(places) == 1:
            proposal.changes[("lieux", 0, name)] = value
            proposal.sources[("lieux", 0, name)] = labels[name]
        else:
            proposal.notes.append(f"La fiche a {len(places)} lieux : à reporter à la main (« {labels[name]} » : "
                                  f"{_quote(value)}).")
    accepts = _reverse(NOUVEAUX_PATIENTS.short).get(sub.text("nouveaux_patients") or "")
    if accepts and kind.name == "professionnel":
        proposal.changes[("nouveaux_patients", "accepte")] = accepts
        proposal.changes[("nouveaux_patients", "date_information")] = today.isoformat()
        proposal.sources[("nouveaux_patients", "accepte")] = labels["nouveaux_patients"]
        proposal.sources[("nouveaux_patients", "date_information")] = labels["nouveaux_patients"]
    _closure(sub, proposal, data, labels)
    if sub.text("correction"):
        proposal.notes.append(f"À lire, ce que la personne demande : {_quote(sub.text('correction'), 600)}")
    if not proposal.changes and not proposal.problems:
        proposal.problems.append("Aucun champ à reporter automatiquement : l'équipe traitera la demande à la main.")
    return proposal


_FRENCH_DATE = re.compile(r"\s*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})\s*")
DEFAULT_CLOSURE_MESSAGE = "Fermeture temporaire."


def _day(text: str | None) -> date | None:
    """« 22/12/2026 » (or 2026-12-22) as a date; None when it is not a date of the calendar."""
    if not text:
        return None
    french = _FRENCH_DATE.fullmatch(text)
    try:
        if french:
            return date(int(french.group(3)), int(french.group(2)), int(french.group(1)))
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _closure(sub: Submission, proposal: Proposal, data: dict[str, Any], labels: dict[str, str]) -> None:
    """The form's dated closure becomes a new item of « temporaire » (the validation checks its dates)."""
    start_text, end_text, message = sub.text("fermeture_du"), sub.text("fermeture_au"), sub.text("fermeture_message")
    if not (start_text or end_text or message):
        return
    start, end = _day(start_text), _day(end_text)
    if start is None or end is None:
        given = ", ".join(f"« {labels[k]} » : {_quote(sub.text(k))}" for k in ("fermeture_du", "fermeture_au"))
        proposal.left_out.append(f"Fermeture temporaire non reprise : il faut le premier et le dernier jour, au "
                                 f"format JJ/MM/AAAA ({given}).")
        return
    existing = data.get("temporaire") if isinstance(data.get("temporaire"), list) else []
    path = ("temporaire", len(existing))
    proposal.changes[path] = {"du": start.isoformat(), "au": end.isoformat(),
                              "message": message or DEFAULT_CLOSURE_MESSAGE}
    proposal.sources[path] = "Fermeture temporaire"


def _confirmation(sub: Submission, proposal: Proposal, registry: Path, today: date) -> Proposal:
    """« Rien n'a changé »: only the verification date of the record changes."""
    named = _record_named(sub.text("identifiant") or "", proposal,
                          "L'identifiant de la fiche n'est pas reconnu : utilisez le lien du message de "
                          "vérification, ou copiez l'adresse de la page de la fiche.")
    if named is None:
        return proposal
    kind, record_id = named
    if not kind.verified:
        proposal.problems.append("Seules les fiches de professionnels et de structures se confirment ainsi.")
        return proposal
    proposal.kind, proposal.record_id = kind, record_id
    if not (registry / kind.file(record_id)).is_file():
        proposal.problems.append(f"Aucune fiche « {record_id} » dans le registre : vérifiez le lien.")
        return proposal
    proposal.changes[("verifie_le",)] = today.isoformat()
    if sub.text("commentaire"):
        proposal.notes.append(f"Message de la personne : {_quote(sub.text('commentaire'), 600)}")
    return proposal


def _quote(text: str | None, limit: int = 200) -> str:
    """A value typed by someone, shown in Markdown as inert text (no link, mention, HTML or code fence)."""
    value = " ".join((text or "").split())
    if len(value) > limit:
        value = value[:limit] + "…"
    value = value.replace("`", "'")
    return f"`{value}`" if value else "« »"


# -- writing -----------------------------------------------------------------------------


def write(proposal: Proposal, registry: Path) -> Path:
    """Write the proposal through the registry's writer (canonical new file, or edits that keep the rest)."""
    assert proposal.kind and proposal.record_id
    path = registry / proposal.kind.file(proposal.record_id)
    if proposal.record is not None:
        writer.write_new_record(path, proposal.kind.name, proposal.record)
    else:
        record = writer.RecordFile.open(path, proposal.kind.name)
        for value_path, value in proposal.changes.items():
            record.set(value_path, value)
        record.save()
    return path


# -- answers -----------------------------------------------------------------------------


def field_title(kind: str, path: tuple[str | int, ...]) -> str:
    """The French title of a field, as the online editor shows it (the schema's ``title``; for a list item,
    its list's), else its name."""
    from maillage.core.schemas import load_schemas

    for end in range(len(path), 0, -1):
        node = load_schemas().subschema(kind, path[:end])
        if node and node.get("title"):
            return str(node["title"])
    return str(path[-1])


def value_fr(kind: str, path: tuple[str | int, ...], value: Any) -> str:
    """A value as a partner reads it: the label of a listed value, a date in words (« 3 mars 2026 »)."""
    if isinstance(value, dict) and {"du", "au"} <= value.keys():  # a dated temporary information
        return (f"du {value_fr(kind, path, value['du'])} au {value_fr(kind, path, value['au'])} : "
                f"{value.get('message', '')}")
    choices = BY_FIELD.get((kind, ".".join(p for p in path if isinstance(p, str))))
    if choices is not None and isinstance(value, str):
        return choices.short_label(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date_fr(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _changes_text(proposal: Proposal) -> list[str]:
    kind = proposal.kind.name if proposal.kind else ""
    return [f"- {field_title(kind, path)} : {_quote(value_fr(kind, path, value))}"
            for path, value in proposal.changes.items()]


def reply(proposal: Proposal, problems: list[str] | None = None) -> str:
    problems = [*proposal.problems, *(problems or [])]
    if problems:
        problems += [n for n in proposal.left_out if n not in problems]
        return "\n".join([
            "Merci pour votre proposition. Elle n'a pas pu être transformée automatiquement en modification "
            "du registre :", "", *[f"- {p}" for p in problems], "",
            "Vous pouvez modifier le ticket (menu « … » → « Edit ») : il sera relu automatiquement. "
            "L'équipe peut aussi le traiter à la main.", ""])
    what = (f"la fiche `{proposal.file}`" if proposal.record is not None
            else f"une modification de la fiche `{proposal.file}`")
    lines = [f"Merci ! Une proposition de modification a été ouverte : {what}.",
             "Une personne de l'équipe la relit avant publication ; vous serez prévenu(e) ici."]
    if proposal.changes:
        lines += ["", "Changements repris :", *_changes_text(proposal)]
    if proposal.left_out:
        lines += ["", "Non repris (le reste de votre demande l'est) :", *[f"- {n}" for n in proposal.left_out],
                  "Vous pouvez corriger la valeur en modifiant le ticket (menu « … » → « Edit »), ou l'équipe "
                  "la corrigera."]
    if proposal.notes:
        lines += ["", "À compléter par l'équipe :", *[f"- {n}" for n in proposal.notes]]
    return "\n".join(lines) + "\n"


def pr_body(proposal: Proposal) -> str:
    lines = [f"Proposition créée automatiquement à partir du ticket #{proposal.issue} (formulaire "
             f"« {proposal.form} »). Le texte du ticket n'a pas été vérifié par une personne : relisez chaque valeur.",
             "", f"Fichier : `{proposal.file}`"]
    if proposal.changes:
        lines += ["", "Changements :", *_changes_text(proposal)]
    if proposal.left_out:
        lines += ["", "Laissé de côté (refusé par la vérification ; le reste de la demande est repris) :",
                  *[f"- {n}" for n in proposal.left_out]]
    if proposal.notes:
        lines += ["", "À compléter à la main :", *[f"- {n}" for n in proposal.notes]]
    lines += ["", f"Ferme #{proposal.issue} une fois fusionnée."]
    return "\n".join(lines) + "\n"


STAFF_TASK = """\
Merci. Cette demande concerne vos droits sur vos données : elle est traitée par une personne \
de l'équipe, jamais automatiquement. Nous vous répondrons à l'adresse professionnelle publiée, \
au plus tard dans un mois (RGPD, article 12).

Pour l'équipe :
- [ ] vérifier l'identité de la personne (adresse professionnelle publiée, RPPS) ;
- [ ] traiter la demande (rectification, retrait : statut `retire`, limitation) ;
- [ ] répondre dans le mois et fermer ce ticket ;
- [ ] masquer ce ticket s'il contient des informations privées.
"""


# -- the workflow's entry point ------------------------------------------------------------


def run(event: dict[str, Any], registry: Path, out: Path, today: date) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    issue = event.get("issue") or {}
    number = int(issue.get("number") or 0)
    labels = [str(label.get("name")) for label in issue.get("labels") or [] if isinstance(label, dict)]
    declared = forms(registry)
    form = form_of_labels(declared, labels)
    result = {"action": "rien", "branche": "", "titre": ""}
    if form is None:
        return _finish(out, result)
    if form == PRIVACY_FORM:
        (out / "reponse.md").write_text(STAFF_TASK, encoding="utf-8")
        return _finish(out, {**result, "action": "tache"})
    if form not in (*RECORD_FORMS, CORRECTION_FORM, CONFIRMATION_FORM):
        return _finish(out, result)
    submission = parse_submission(str(issue.get("body") or ""), form, declared[form])
    proposal = propose(submission, number, registry, today)
    if proposal.problems:
        (out / "reponse.md").write_text(reply(proposal), encoding="utf-8")
        return _finish(out, {**result, "action": "reponse"})
    problems = _write_valid(proposal, registry)
    if problems:
        # Leave nothing behind: the checkout is thrown away, and no branch is pushed.
        (out / "reponse.md").write_text(reply(proposal, problems), encoding="utf-8")
        return _finish(out, {**result, "action": "reponse"})
    (out / "reponse.md").write_text(reply(proposal), encoding="utf-8")
    (out / "demande.md").write_text(pr_body(proposal), encoding="utf-8")
    return _finish(out, {"action": "pull-request", "branche": proposal.branch, "titre": proposal.title,
                         "fichier": f"{registry.as_posix().rstrip('/')}/{proposal.file}"})


def _write_valid(proposal: Proposal, registry: Path) -> list[str]:
    """Write the proposal and validate the registry. A correction whose changes are refused only in part
    keeps the valid ones: each refused change is taken out (with the reason, in ``left_out``), the file is
    written again from its original text and validated again. Returns what still blocks (French)."""
    target = registry / proposal.file if proposal.file else None
    original = target.read_bytes() if proposal.record is None and target and target.is_file() else None
    while True:
        write(proposal, registry)
        errors, total = _validate(registry, proposal)
        refused = {path: p for p in errors for path in proposal.changes
                   if p.path == (joined := ".".join(map(str, path))) or p.path.startswith(joined + ".")}
        if original is None or not refused or len(refused) == len(proposal.changes):
            if errors:
                if original is not None and target is not None:
                    target.write_bytes(original)  # nothing to propose: the record file is left as it was
                return [_message(p, proposal) for p in errors]
            return [f"{total} erreur(s) dans le registre après la modification."] if total else []
        for path, p in refused.items():
            label = proposal.sources.get(path) or field_title(proposal.kind.name if proposal.kind else "", path)
            message = _message(p, proposal)
            proposal.left_out.append(message if f"« {label} »" in message else f"« {label} » : {message}")
            same_source = [other for other, source in proposal.sources.items() if source == proposal.sources.get(path)]
            for other in {path, *same_source}:
                proposal.changes.pop(other, None)
        assert target is not None
        target.write_bytes(original)


def _message(problem: Problem, proposal: Proposal) -> str:
    """The validation's message, naming the form's field (« Nouveau numéro de téléphone ») rather than the
    place in the file (« lieux n° 1 › telephone »)."""
    path = tuple(int(p) if p.isdigit() else p for p in problem.path.split(".")) if problem.path else ()
    label = proposal.sources.get(path)
    entry = CATALOGUE.get(problem.code)
    if label and entry is not None and isinstance(entry.fields.get("field"), FieldPath):
        return entry.render({**problem.fields, "field": (label,)})
    return problem.message


def _validate(registry: Path, proposal: Proposal) -> tuple[list[Problem], int]:
    """The errors of the proposal's file, and the number of errors in the whole registry."""
    from maillage.validation import validate

    result = validate(registry)
    target = proposal.file or ""
    return [p for p in result.errors if p.file.endswith(target)], len(result.errors)


def _finish(out: Path, result: dict[str, str]) -> dict[str, str]:
    (out / "resultat.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maillage.editing.issue_proposal",
                                     description="Transforme un ticket de formulaire en proposition de modification.")
    parser.add_argument("--event", type=Path, required=True, help="le JSON de l'évènement GitHub (GITHUB_EVENT_PATH)")
    parser.add_argument("--registry", type=Path, default=Path("registry"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    event = json.loads(args.event.read_text(encoding="utf-8"))
    result = run(event, args.registry, args.out, clock.today())
    print(json.dumps(result, ensure_ascii=False))
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as handle:
            for key in ("action", "branche", "titre"):
                handle.write(f"{key}={result.get(key, '')}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
