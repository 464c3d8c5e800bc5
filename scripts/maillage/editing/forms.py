"""GitHub issue forms for partners, generated from the vocabularies (never written twice).

``python -m maillage.dev.gen_docs`` writes them into ``.github/ISSUE_TEMPLATE/``;
a test checks the committed files are up to date and valid against GitHub's schema.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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
                _dropdown("modalites", "Modalités", ["Au cabinet", "À domicile ou en famille d'accueil",
                                                     "En téléconsultation"], multiple=True),
                _dropdown("langues", "Langues parlées", langues, multiple=True),
                _dropdown("nouveaux_patients", "Acceptez-vous de nouveaux patients ?",
                          ["Oui", "Sur liste d'attente", "Non"], True),
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
                _textarea("correction", "Ce qui doit changer", "L'information actuelle et la bonne information.",
                          True),
                _input("source", "Source", "Comment le savez-vous ? (vous êtes la personne concernée, site "
                       "officiel…)", False),
            ],
        },
        "donnees-personnelles.yml": {
            "name": "Mes données : rectification, opposition, retrait",
            "description": "Professionnels : exercer vos droits sur les informations publiées (RGPD).",
            "title": "[Données personnelles] ",
            "labels": ["rgpd"],
            "body": [
                _markdown("Vous pouvez demander la rectification de vos données, vous opposer à leur "
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
                        {"label": "Je suis la personne concernée par cette fiche.", "required": True}]}},
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
