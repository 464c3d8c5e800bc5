"""GitHub issue forms for partners, generated from the vocabularies (never written twice).

``python -m maillage.dev.gen_docs`` writes them into ``.github/ISSUE_TEMPLATE/``;
a test checks the committed files are up to date and valid against GitHub's schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from maillage.core.labels import MODALITES, NOUVEAUX_PATIENTS
from maillage.core.schemas import load_schemas
from maillage.load.safe_yaml import load_file

HEADER = ("# Fichier produit par « python -m maillage.dev.gen_docs » à partir des vocabulaires\n"
          "# (registry/vocabulaires/). Ne le modifiez pas à la main.\n")

PRIVACY_NOTE = ("**N'indiquez jamais de données sur un enfant** (nom, date de naissance, numéro de sécurité "
                "sociale, situation). Ce formulaire est public.")


def _labels(registry: Path, name: str) -> list[str]:
    data = load_file(registry / "vocabulaires" / f"{name}.yaml", name, load_schemas().text_keys,
                     limit=8 * 1024 * 1024).data
    return [str(t["libelle"]) for t in data.get("termes", [])]


def _markdown(text: str) -> dict[str, Any]:
    return {"type": "markdown", "attributes": {"value": text}}


def _input(id_: str, label: str, description: str = "", required: bool = False,
           placeholder: str = "") -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": label}
    if description:
        attributes["description"] = description
    if placeholder:
        attributes["placeholder"] = placeholder
    return {"type": "input", "id": id_, "attributes": attributes, "validations": {"required": required}}


def _textarea(id_: str, label: str, description: str = "", required: bool = False) -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": label}
    if description:
        attributes["description"] = description
    return {"type": "textarea", "id": id_, "attributes": attributes, "validations": {"required": required}}


def _dropdown(id_: str, label: str, options: list[str], required: bool = False, multiple: bool = False,
              description: str = "") -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": label, "options": options, "multiple": multiple}
    if description:
        attributes["description"] = description
    return {"type": "dropdown", "id": id_, "attributes": attributes, "validations": {"required": required}}


def _consent() -> dict[str, Any]:
    return {"type": "checkboxes", "id": "engagement", "attributes": {
        "label": "Engagements",
        "options": [
            {"label": "Je suis la personne concernée, ou j'ai son accord pour publier ces informations "
                      "professionnelles.", "required": True},
            {"label": "Ce formulaire ne contient aucune donnée sur un enfant.", "required": True},
        ]}}


def _address_fields() -> list[dict[str, Any]]:
    return [
        _input("adresse", "Adresse du lieu d'exercice", "Numéro et voie.", True, "12 rue des Halles"),
        _input("code_postal", "Code postal", "", True, "50200"),
        _input("commune", "Commune", "", True, "Coutances"),
        _input("telephone", "Téléphone professionnel", "Le numéro publié (pas une ligne privée).", False,
               "02 33 00 00 00"),
        _input("horaires", "Horaires", "Par exemple : du lundi au vendredi, 9 h – 12 h et 14 h – 18 h.", False),
        _dropdown("accessible_pmr", "Accessible en fauteuil roulant ?", ["Oui", "Non", "Je ne sais pas"]),
    ]


def forms(registry: Path) -> dict[str, dict[str, Any]]:
    professions = _labels(registry, "professions")
    categories = _labels(registry, "categories")
    specialites = _labels(registry, "specialites")
    langues = _labels(registry, "langues")
    return {
        "proposer-professionnel.yml": {
            "name": "Proposer un professionnel de santé",
            "description": "Ajouter au registre un professionnel qui reçoit des enfants.",
            "title": "[Professionnel] Nom Prénom — profession — commune",
            "labels": ["proposition", "professionnel"],
            "body": [
                _markdown("Merci ! Une personne de l'équipe créera la fiche à partir de ce formulaire. "
                          + PRIVACY_NOTE),
                _input("nom", "Nom", "", True),
                _input("prenom", "Prénom", "", True),
                _dropdown("profession", "Profession", professions, True),
                _dropdown("specialites", "Spécialités ou compétences", specialites, multiple=True),
                _input("rpps", "Numéro RPPS", "11 chiffres, visible dans l'Annuaire santé (annuaire.sante.fr).",
                       False, "10001234565"),
                *_address_fields(),
                _input("ages", "Âges des enfants reçus", "Par exemple : de 3 à 16 ans.", False),
                _dropdown("modalites", "Modalités", list(MODALITES.short.values()), multiple=True),
                _dropdown("langues", "Langues parlées", langues, multiple=True),
                _dropdown("nouveaux_patients", "Acceptez-vous de nouveaux patients ?",
                          list(NOUVEAUX_PATIENTS.short.values()), True),
                _dropdown("sante_protegee", "Participez-vous au dispositif Santé protégée ?",
                          ["Oui, comme médecin référent", "Oui, soins au forfait (psychologue, psychomotricien, "
                           "ergothérapeute)", "Non", "Je souhaite en savoir plus"]),
                _textarea("description", "Présentation", "Votre activité auprès des enfants, en quelques lignes."),
                _consent(),
            ],
        },
        "proposer-structure.yml": {
            "name": "Proposer une structure ou un service",
            "description": "Ajouter un établissement ou un service (CMP, CMPP, CAMSP, PMI…).",
            "title": "[Structure] Nom — commune",
            "labels": ["proposition", "structure"],
            "body": [
                _markdown("Merci ! " + PRIVACY_NOTE),
                _input("nom", "Nom de la structure", "", True),
                _dropdown("categorie", "Catégorie", categories, True),
                _input("finess", "Numéro FINESS", "9 caractères, si la structure en a un.", False),
                _input("gestionnaire", "Organisme gestionnaire", "Centre hospitalier, association…", False),
                *_address_fields(),
                _textarea("secteur", "Communes couvertes", "Pour une structure sectorisée : la liste des "
                          "communes ou le territoire desservi.", False),
                _textarea("admission", "Comment orienter un enfant ?", "Qui peut orienter, documents à "
                          "fournir, délai d'attente indicatif.", False),
                _consent(),
            ],
        },
        "correction.yml": {
            "name": "Signaler une correction",
            "description": "Une information du registre est fausse ou périmée.",
            "title": "[Correction] ",
            "labels": ["correction"],
            "body": [
                _markdown("Indiquez la fiche concernée et ce qui doit changer. " + PRIVACY_NOTE),
                _input("fiche", "Adresse de la fiche sur le site", "Copiez l'adresse de la page.", True,
                       "https://…/professionnels/lefevre-claire/"),
                _markdown("Les champs ci-dessous sont facultatifs : ceux que vous remplissez sont reportés "
                          "automatiquement dans une proposition de modification de la fiche, que l'équipe relit."),
                _input("telephone", "Nouveau numéro de téléphone", "Le numéro publié du lieu d'exercice.", False,
                       "02 33 00 00 00"),
                _input("courriel", "Nouvelle adresse électronique", "L'adresse professionnelle publiée.", False),
                _input("horaires", "Nouveaux horaires", "Au format des horaires d'ouverture, par exemple : "
                       "Mo-Fr 09:00-12:00,14:00-18:00 (sinon, décrivez-les plus bas).", False),
                _dropdown("nouveaux_patients", "Acceptez-vous de nouveaux patients ? (professionnels)",
                          list(NOUVEAUX_PATIENTS.short.values())),
                _markdown("**Fermeture temporaire datée** (congés, travaux, absence) : indiquez le premier et le "
                          "dernier jour. L'annonce s'affiche sur la fiche pendant cette période seulement, puis "
                          "disparaît d'elle-même ; le reste de la fiche ne change pas. Pour un arrêt sans date de "
                          "reprise connue, décrivez-le plutôt dans « Ce qui doit changer »."),
                _input("fermeture_du", "Fermeture : premier jour", "Date au format JJ/MM/AAAA.", False,
                       "22/12/2026"),
                _input("fermeture_au", "Fermeture : dernier jour (inclus)", "Date au format JJ/MM/AAAA, au plus un "
                       "an après le premier jour.", False, "02/01/2027"),
                _input("fermeture_message", "Message à afficher pendant la fermeture", "Par exemple : Cabinet "
                       "fermé pour les fêtes ; pour une urgence, appelez le 15.", False),
                _textarea("correction", "Ce qui doit changer", "L'information actuelle et la bonne information "
                          "(tout ce que les champs ci-dessus ne couvrent pas).", True),
                _input("source", "Source", "Comment le savez-vous ? (vous êtes la personne concernée, site "
                       "officiel…)", False),
            ],
        },
        "confirmation.yml": {
            "name": "Rien n'a changé sur ma fiche",
            "description": "Confirmer que les informations publiées sont toujours justes (campagne de vérification).",
            "title": "[Confirmation] ",
            "labels": ["confirmation"],
            "body": [
                _markdown("Merci de confirmer que votre fiche est toujours juste. Si vous avez reçu un message "
                          "de vérification, le lien « Rien n'a changé » a déjà rempli ce formulaire : il suffit "
                          "de l'envoyer. Si quelque chose a changé, utilisez plutôt « Signaler une correction ». "
                          + PRIVACY_NOTE),
                _input("identifiant", "Identifiant de la fiche", "Rempli par le lien du message (par exemple "
                       "professionnel/lefevre-claire), ou l'adresse de la page de la fiche.", True,
                       "professionnel/lefevre-claire"),
                {"type": "checkboxes", "id": "confirmation", "attributes": {
                    "label": "Confirmation", "options": [
                        {"label": "Les informations publiées sur cette fiche sont à jour.", "required": True}]}},
                _textarea("commentaire", "Un mot pour l'équipe (facultatif)", "", False),
            ],
        },
        "donnees-personnelles.yml": {
            "name": "Mes données : rectification, opposition, retrait",
            "description": "Professionnels et structures, ou leur secrétariat ou direction : exercer les droits "
                           "sur les informations publiées (RGPD).",
            "title": "[Données personnelles] ",
            "labels": ["rgpd"],
            "body": [
                _markdown("Ce formulaire est ouvert à la personne concernée par la fiche et à qui la représente "
                          "(secrétariat d'un cabinet, direction d'une structure). "
                          "Vous pouvez demander la rectification de vos données, vous opposer à leur "
                          "publication ou demander le retrait de votre fiche. Vous pouvez aussi écrire à "
                          "l'adresse indiquée sur la page « Données personnelles » du site si vous ne "
                          "souhaitez pas utiliser GitHub. Ne donnez ici aucune information privée : nous "
                          "vous recontacterons à l'adresse professionnelle publiée."),
                _input("fiche", "Adresse de votre fiche sur le site", "", True),
                _dropdown("demande", "Votre demande", ["Rectifier une information", "Retirer ma fiche",
                                                      "Limiter les informations publiées",
                                                      "Savoir d'où viennent les informations"], True),
                _textarea("details", "Précisions", "", False),
                {"type": "checkboxes", "id": "identite", "attributes": {
                    "label": "Identité", "options": [
                        {"label": "Je suis la personne concernée par cette fiche, ou je la représente : "
                                  "secrétariat, direction de la structure.", "required": True}]}},
            ],
        },
    }


def config(meta: dict[str, Any]) -> dict[str, Any]:
    site = ((meta.get("site") or {}).get("url") or (meta.get("editeur") or {}).get("site_web") or "").rstrip("/")
    links = []
    if site:
        links += [
            {"name": "Consulter l'annuaire", "url": f"{site}/annuaire/",
             "about": "Vérifiez d'abord si la fiche existe déjà."},
            {"name": "Nous écrire sans GitHub", "url": f"{site}/donnees-personnelles/",
             "about": "L'adresse du service et les démarches pour vos données personnelles."},
        ]
    return {"blank_issues_enabled": False, "contact_links": links}


def render(document: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def generated_files(repo: Path) -> dict[Path, str]:
    registry = repo / "registry"
    target = repo / ".github" / "ISSUE_TEMPLATE"
    files = {target / name: render(doc) for name, doc in forms(registry).items()}
    meta = load_file(registry / "registre.yaml", "registre.yaml", load_schemas().text_keys).data
    files[target / "config.yml"] = render(config(meta))
    return files


# -- reading a submitted form ---------------------------------------------------------------
#
# GitHub writes a submitted issue form as Markdown: for each field of the form, in order,
# « ### <label> », a blank line, then the value (« _No response_ » when left empty; the
# options of a multiple drop-down joined by « , »; check-boxes as « - [X] <label> »). The
# parser reads that text with the same declaration that generated the form (:func:`forms`),
# so the two cannot drift. The text is untrusted: it is only ever data here.

NO_RESPONSE = "_No response_"
MAX_BODY = 65536  # GitHub caps an issue body at 65,536 characters
MAX_INPUT, MAX_TEXTAREA = 200, 4000  # the schema's short text and free text


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a form, as declared."""

    id: str
    label: str
    type: str  # input, textarea, dropdown, checkboxes
    required: bool
    options: tuple[str, ...] = ()
    multiple: bool = False


@dataclass(slots=True)
class Submission:
    """What a submitted form says: values by field id, and what could not be read (in French)."""

    form: str
    values: dict[str, str | list[str] | None]
    problems: list[str]

    def text(self, field_id: str) -> str | None:
        value = self.values.get(field_id)
        return value if isinstance(value, str) else None

    def choices(self, field_id: str) -> list[str]:
        value = self.values.get(field_id)
        if isinstance(value, list):
            return value
        return [value] if isinstance(value, str) else []


def fields_of(form: dict[str, Any]) -> list[Field]:
    out = []
    for element in form["body"]:
        if element["type"] == "markdown":
            continue
        attributes = element["attributes"]
        options = attributes.get("options", ())
        labels = tuple(o["label"] if isinstance(o, dict) else str(o) for o in options)
        required = bool(element.get("validations", {}).get("required")) or any(
            isinstance(o, dict) and o.get("required") for o in options)
        out.append(Field(element["id"], attributes["label"], element["type"], required, labels,
                         bool(attributes.get("multiple"))))
    return out


def form_of_labels(declared: dict[str, dict[str, Any]], labels: list[str]) -> str | None:
    """The form an issue came from, by the labels the form put on it (the most specific match)."""
    given = set(labels)
    matches = [(len(form.get("labels", [])), name) for name, form in declared.items()
               if form.get("labels") and set(form["labels"]) <= given]
    return max(matches)[1] if matches else None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def parse_submission(body: str, form_name: str, form: dict[str, Any]) -> Submission:
    """Read a submitted issue form. Never raises on bad input: problems are listed in French."""
    problems: list[str] = []
    if len(body) > MAX_BODY:
        problems.append("Le texte du ticket est trop long pour être lu automatiquement.")
        body = body[:MAX_BODY]
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    fields = fields_of(form)
    # Each heading is looked for from the end, before the next one found: text typed in a field
    # that looks like a heading (« ### Nom ») can never move a field's boundaries.
    starts: dict[str, tuple[int, int]] = {}
    limit = len(text)
    for field in reversed(fields):
        heading = re.compile(rf"^### {re.escape(field.label)}[ \t]*$", re.MULTILINE)
        found = [m for m in heading.finditer(text, 0, limit)]
        if not found:
            continue
        match = found[-1]
        starts[field.id] = (match.start(), match.end())
        limit = match.start()
    values: dict[str, str | list[str] | None] = {}
    ordered = sorted(starts.items(), key=lambda item: item[1][0])
    for index, (field_id, (_start, end)) in enumerate(ordered):
        stop = ordered[index + 1][1][0] if index + 1 < len(ordered) else len(text)
        field = next(f for f in fields if f.id == field_id)
        values[field_id] = _value(field, text[end:stop].strip(), problems)
    for field in fields:
        if field.id not in starts:
            values[field.id] = None
            if field.required:
                problems.append(f"La rubrique « {field.label} » manque dans le ticket.")
        elif field.required and field.type != "checkboxes" and not values.get(field.id):
            problems.append(f"La rubrique « {field.label} » est obligatoire et n'est pas remplie.")
    return Submission(form_name, values, problems)


def _value(field: Field, raw: str, problems: list[str]) -> str | list[str] | None:
    if raw in ("", NO_RESPONSE):
        return None
    if _CONTROL.search(raw):
        problems.append(f"« {field.label} » contient des caractères invisibles ou de contrôle : retapez la valeur.")
        raw = _CONTROL.sub("", raw)
    if field.type == "checkboxes":
        checked = [line[6:].strip() for line in raw.splitlines() if line.strip().lower().startswith("- [x] ")]
        for option in field.options:
            if option not in checked:
                problems.append(f"La case « {option} » n'est pas cochée.")
        return [o for o in field.options if o in checked]
    if field.type == "dropdown":
        chosen = _split_options(raw, field.options) if field.multiple else ([raw] if raw in field.options else None)
        if chosen is None:
            problems.append(f"« {field.label} » : la valeur ne fait pas partie de la liste proposée.")
            return None
        return chosen if field.multiple else chosen[0]
    limit = MAX_TEXTAREA if field.type == "textarea" else MAX_INPUT
    if len(raw) > limit:
        problems.append(f"« {field.label} » est trop long ({len(raw)} caractères, {limit} au plus).")
        return None
    if field.type == "input":
        raw = " ".join(raw.split())  # one line
    return raw


def _split_options(raw: str, options: tuple[str, ...]) -> list[str] | None:
    """« A, B, C » back into options, some of which may contain « , » themselves."""
    by_length = sorted(options, key=len, reverse=True)
    chosen: list[str] = []
    rest = raw
    while rest:
        option = next((o for o in by_length if rest == o or rest.startswith(o + ", ")), None)
        if option is None:
            return None
        chosen.append(option)
        rest = rest[len(option) + 2:] if len(rest) > len(option) else ""
    return chosen
