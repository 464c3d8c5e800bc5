"""Fictional registries for demonstrations, tests and benchmarks (``maillage synth``).

:func:`write_registry` writes a complete registry root: ``registre.yaml`` (flagged
``fictif: true``), the vocabularies and N records split between professionals (≈ 70 %),
structures (≈ 20 %) and conventions (≈ 10 %). Everything is invented but shaped like
the real thing, so that the validator accepts it without a single warning:

* real communes of the chosen département (postal code, INSEE code and name taken
  together from the gazetteer), invented street addresses;
* phone numbers only from the ranges that ARCEP reserves for fiction
  (``02 61 91 xx xx`` in the north-west, ``01 99 00``, ``03 53 01``, ``04 65 71``,
  ``05 36 49`` elsewhere), e-mail addresses and web sites under ``example.org``;
* RPPS, FINESS and SIRET numbers with a valid check digit from the ``fictional_*``
  helpers of :mod:`maillage.identifiers` (prefixes that real numbers do not use);
* dates consistent with each convention's status relative to :func:`maillage.clock.today`.

The output is a pure function of (N, seed, département, today): the same arguments
give byte-identical files. Records are written in their canonical form
(:func:`maillage.editing.canonical.record_text`, a small emitter much faster than a
general-purpose dumper): ``maillage fmt --check`` accepts them as they are.
"""

from __future__ import annotations

import math
import random
import re
import shutil
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from maillage.core.gazetteer import Commune, Gazetteer, haversine_km
from maillage.core.kinds import KINDS
from maillage.editing.canonical import dump, record_text, scalar_text
from maillage.validation import identifiers

# ---------------------------------------------------------------------------
# YAML: records in their canonical form (one emitter: maillage.editing.canonical)
# ---------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    """Whitespace-separated words; "_" stands for a space inside a word ("Le_Goff")."""
    return tuple(word.replace("_", " ") for word in text.split())


def dump_yaml(data: dict[str, Any], header: str = "") -> str:
    """YAML text in the canonical style, keys in the given order (``registre.yaml``, tests).

    ``header`` (comment lines, each starting with ``#``) is written first.
    """
    return dump(data, header)


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def of_place(name: str) -> str:
    """French "de" before a commune name: "de Coutances", "d'Avranches", "du Mesnil", "des Pieux"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1] in "AEIOUYÉÈÊÂÎÔ":
        return "d'" + name
    return "de " + name


def slugify(text: str) -> str:
    """Kebab-case ASCII slug: "Lefèvre Claire" → "lefevre-claire"."""
    if not text.isascii():
        text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", text.lower()).strip("-")


_NON_SLUG = re.compile(r"[^a-z0-9]+")

# Fiction ranges reserved by ARCEP, by telephone zone of metropolitan France.
FICTION_RANGES = {
    "01": "01 99 00",
    "02": "02 61 91",
    "03": "03 53 01",
    "04": "04 65 71",
    "05": "05 36 49",
}
_ZONE_01 = {"75", "77", "78", "91", "92", "93", "94", "95"}
_ZONE_02 = {"14", "18", "22", "27", "28", "29", "35", "36", "37", "41", "44", "45", "49", "50",
            "53", "56", "61", "72", "76", "85", "974", "976"}
_ZONE_03 = {"02", "08", "10", "21", "25", "39", "51", "52", "54", "55", "57", "58", "59", "60",
            "62", "67", "68", "70", "71", "80", "88", "89", "90"}
_ZONE_04 = {"01", "03", "04", "05", "06", "07", "11", "13", "15", "26", "2A", "2B", "30", "34",
            "38", "42", "43", "48", "63", "66", "69", "73", "74", "83", "84"}


def phone_prefix(departement: str) -> str:
    """The ARCEP fiction range ("02 61 91") of the telephone zone of a département."""
    for zone, members in (("01", _ZONE_01), ("02", _ZONE_02), ("03", _ZONE_03), ("04", _ZONE_04)):
        if departement in members:
            return FICTION_RANGES[zone]
    return FICTION_RANGES["05"]


def fiction_phone(prefix: str, n: int) -> str:
    """``prefix`` ("02 61 91") followed by ``n`` (0 to 9999) in two groups of two digits."""
    n %= 10_000
    return f"{prefix} {n // 100:02d} {n % 100:02d}"


def is_fiction_phone(number: str) -> bool:
    """True when ``number`` lies in one of the ARCEP fiction ranges listed above."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("33"):
        digits = "0" + digits[2:]
    return len(digits) == 10 and any(digits.startswith(p.replace(" ", ""))
                                     for p in FICTION_RANGES.values())


DEPARTEMENTS = {
    "01": "Ain", "02": "Aisne", "03": "Allier", "04": "Alpes-de-Haute-Provence",
    "05": "Hautes-Alpes", "06": "Alpes-Maritimes", "07": "Ardèche", "08": "Ardennes",
    "09": "Ariège", "10": "Aube", "11": "Aude", "12": "Aveyron", "13": "Bouches-du-Rhône",
    "14": "Calvados", "15": "Cantal", "16": "Charente", "17": "Charente-Maritime", "18": "Cher",
    "19": "Corrèze", "2A": "Corse-du-Sud", "2B": "Haute-Corse", "21": "Côte-d'Or",
    "22": "Côtes-d'Armor", "23": "Creuse", "24": "Dordogne", "25": "Doubs", "26": "Drôme",
    "27": "Eure", "28": "Eure-et-Loir", "29": "Finistère", "30": "Gard", "31": "Haute-Garonne",
    "32": "Gers", "33": "Gironde", "34": "Hérault", "35": "Ille-et-Vilaine", "36": "Indre",
    "37": "Indre-et-Loire", "38": "Isère", "39": "Jura", "40": "Landes", "41": "Loir-et-Cher",
    "42": "Loire", "43": "Haute-Loire", "44": "Loire-Atlantique", "45": "Loiret", "46": "Lot",
    "47": "Lot-et-Garonne", "48": "Lozère", "49": "Maine-et-Loire", "50": "Manche", "51": "Marne",
    "52": "Haute-Marne", "53": "Mayenne", "54": "Meurthe-et-Moselle", "55": "Meuse",
    "56": "Morbihan", "57": "Moselle", "58": "Nièvre", "59": "Nord", "60": "Oise", "61": "Orne",
    "62": "Pas-de-Calais", "63": "Puy-de-Dôme", "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales", "67": "Bas-Rhin", "68": "Haut-Rhin",
    "69": "Rhône", "70": "Haute-Saône", "71": "Saône-et-Loire", "72": "Sarthe", "73": "Savoie",
    "74": "Haute-Savoie", "75": "Paris", "76": "Seine-Maritime", "77": "Seine-et-Marne",
    "78": "Yvelines", "79": "Deux-Sèvres", "80": "Somme", "81": "Tarn", "82": "Tarn-et-Garonne",
    "83": "Var", "84": "Vaucluse", "85": "Vendée", "86": "Vienne", "87": "Haute-Vienne",
    "88": "Vosges", "89": "Yonne", "90": "Territoire de Belfort", "91": "Essonne",
    "92": "Hauts-de-Seine", "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise",
    "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion",
    "976": "Mayotte",
}

# ---------------------------------------------------------------------------
# Curated lists (written for this project; every combination is fictional)
# ---------------------------------------------------------------------------

SURNAMES: tuple[str, ...] = _words("""
Martin Bernard Dubois Robert Richard Petit Durand Leroy Moreau Lefebvre Garcia Bertrand Roux
Fournier Morel Girard Lefèvre Mercier Dupont Lambert Bonnet Legrand Garnier Faure Rousseau
Blanc Guérin Muller Roussel Perrin Morin Gauthier Dumont Fontaine Chevalier Robin Masson
Boyer Lemaire Duval Joly Roche Roy Meyer Meunier Marchand Dufour Blanchard Barbier Brun Dumas
Brunet Schmitt Leroux Colin Renard Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud
Lemoine Picard Gaillard Lacroix Fabre Dupuis Guillot Rivière Moulin Berger Lecomte Ménard
Fleury Deschamps Carpentier Maillard Marchal Aubry Vasseur Renault Jacquet Collet Prévost
Poirier Charpentier Royer Huet Baron Dupuy Pons Lainé Carré Breton Perrot Guyot Barre Marty
Cousin Lecoq Lemonnier Leconte Hamel Lebas Lemarchand Quesnel Letellier Lesage Leprovost
Hébert Lebrun Leblond Osmont Tostain Lepetit Lemière Le_Goff Levallois Savary Lelièvre
Anquetil Hamon Lecarpentier Levesque Lefranc Letourneur Pinel Gosselin Lamy Gallet
Hamelin Duhamel Guérard Lebailly Lemesle Lerouge Mauger Néel Pignet Rihouey Tesnière Voisin
Delacour Fauvel Legoupil Lhermitte Lemaître Onfroy Poulain Régnier Sorel Vautier Yvon
Besnard Bouillon Cauvin Desvages Enault Feuillet Gancel Hue Jouan Lajoie Oger Pottier
""")

FEMALE_NAMES: tuple[str, ...] = _words("""
Claire Anne Isabelle Sophie Nathalie Céline Julie Émilie Aurélie Caroline Camille Laure Hélène
Marion Élodie Sandrine Stéphanie Virginie Mathilde Pauline Charlotte Lucie Audrey Valérie
Catherine Christine Agnès Florence Delphine Cécile Sarah Laura Manon Clémence Alice Juliette
Margaux Anaïs Estelle Solène Gaëlle Maud Morgane Sylvie Véronique Marine Élise Louise Léa Chloé
Amélie Justine Laëtitia Marie-Laure Anne-Sophie Bérénice Armelle Nolwenn Gwenaëlle Fanny Jeanne
Odile Agathe Perrine Ophélie Coralie Adeline Marianne Myriam Sabine Corinne Brigitte Noémie
""")

MALE_NAMES: tuple[str, ...] = _words("""
Nicolas Julien Thomas Pierre Guillaume François Olivier Sébastien Mathieu Antoine Vincent
Laurent Stéphane Philippe Christophe Frédéric David Éric Jérôme Benoît Maxime Romain Alexandre
Hugo Louis Paul Arnaud Damien Cédric Yann Erwan Gaël Loïc Baptiste Clément Thibault Adrien
Florian Quentin Hervé Didier Patrick Jean-Marc Jean-Baptiste Pierre-Yves Xavier
Samuel Rémi Bruno Emmanuel Fabrice Grégoire Jacques Marc Matthieu Simon Tristan Victor Yves
Gilles Ludovic Mickaël Anthony Jonathan Sylvain Cyril Lionel Pascal Denis
""")

STREETS: tuple[str, ...] = (
    "rue des Lilas", "rue de la Paix", "rue du Pont", "rue de la Marne", "rue Victor-Hugo",
    "rue des Écoles", "rue de la Gare", "rue du Général-Leclerc", "avenue de la République",
    "avenue de Paris", "boulevard de la Dollée", "rue des Tanneurs", "rue du Château",
    "place du Marché", "place de l'Église", "rue des Prés", "rue du Moulin", "rue des Jardins",
    "chemin des Vignes", "rue des Pommiers", "rue du Bocage", "rue des Hortensias",
    "rue Jeanne-d'Arc", "rue de la Libération", "rue des Fontaines", "rue du Calvaire",
    "impasse des Mésanges", "rue des Mouettes", "rue du Port", "quai des Pêcheurs",
    "rue de la Mairie", "allée des Tilleuls", "rue des Cerisiers", "route de la Mer",
    "rue des Vergers", "rue Saint-Michel", "rue de Bretagne", "rue de la Halle",
    "rue des Canadiens", "rue du Stade", "rue Pasteur", "rue Gambetta", "rue Émile-Zola",
    "rue Jean-Jaurès", "avenue du Maréchal-Foch", "rue des Capucins", "rue aux Fèvres",
    "rue de la Poterie", "rue des Sapins", "rue du Val", "rue des Forges", "rue du Docteur-Roux",
    "place de la Croix", "rue des Noisetiers", "rue des Hirondelles", "rue de la Croix-Verte",
    "rue des Genêts", "rue de la Source", "avenue des Acacias", "rue Saint-Nicolas",
)

PLACE_NAMES: tuple[str, ...] = (
    "Cabinet des Tilleuls", "Cabinet de la Gare", "Maison médicale du Val",
    "Pôle santé des Quatre-Vents", "Cabinet paramédical du Bocage", "Cabinet de la Halle",
    "Maison de santé des Prés", "Cabinet du Port", "Espace santé du Marché",
    "Cabinet des Pommiers", "Cabinet de la Source", "Pôle médical de la Croix-Verte",
    "Centre paramédical des Écoles", "Cabinet du Château", "Cabinet des Hortensias",
)

COMPLEMENTS: tuple[str, ...] = (
    "Bâtiment B, 1er étage", "Rez-de-chaussée", "2e étage, porte gauche", "Entrée par la cour",
    "Résidence Les Glycines", "Au-dessus de la pharmacie", "Bâtiment A",
)

SOURCES_PRO: tuple[str, ...] = (
    "Annuaire santé (RPPS)", "Déclaration du professionnel", "Échange téléphonique avec le cabinet",
    "Réunion du réseau Santé protégée",
)
SOURCES_STRUCTURE: tuple[str, ...] = (
    "Site de la structure", "Échange avec la direction", "Rapport d'activité",
    "Répertoire FINESS et échange avec le secrétariat",
)

INTERNAL_CONTACTS: tuple[str, ...] = (
    "Mme {nom}, secrétaire médicale", "M. {nom}, cadre de santé", "Mme {nom}, assistante sociale",
    "Secrétariat, le matin", "M. {nom}, directeur adjoint", "Mme {nom}, coordinatrice",
)
INTERNAL_NOTES: tuple[str, ...] = (
    "Préfère être contacté par courriel.",
    "Joignable en direct le mardi après-midi pour les situations urgentes.",
    "Rencontré lors de la réunion territoriale de septembre ; intéressé par une convention.",
    "Délais plus longs pendant les vacances scolaires.",
    "Envoyer les demandes d'orientation par messagerie sécurisée.",
    "Ne pas communiquer la ligne directe aux familles.",
    "Bonne coordination avec l'équipe de l'ASE du territoire.",
)

# ---------------------------------------------------------------------------
# Professions
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfessionProfile:
    weight: float
    female_share: float
    ages: tuple[int, int]
    descriptions: tuple[str, ...]
    home_visits: float = 0.0
    video: float = 0.0
    sante_protegee: float = 0.0
    convention: str = "secteur-1"


PROFESSIONS: dict[str, ProfessionProfile] = {
    "medecin-generaliste": ProfessionProfile(22, 0.55, (0, 18), (
        "Médecine générale pour toute la famille ; suivi des enfants de {amin} à {amax} ans, "
        "vaccinations et certificats.",
        "Consultations de médecine générale, suivi de la croissance et du développement, prévention.",
        "Médecin traitant des enfants et des adolescents ; consultations sans rendez-vous le samedi matin.",
        "Suivi de l'enfant et de l'adolescent, vaccinations, bilans de santé. Visites à domicile "
        "possibles pour les familles d'accueil du secteur.",
    ), home_visits=0.15, video=0.1, sante_protegee=0.3, convention="medecin"),
    "pediatre": ProfessionProfile(6, 0.7, (0, 18), (
        "Consultations de pédiatrie générale de la naissance à {amax} ans : croissance, vaccinations, "
        "avis sur le développement.",
        "Pédiatrie libérale : suivi du nourrisson et de l'enfant, repérage des troubles du "
        "neurodéveloppement, troubles du sommeil.",
        "Pédiatrie générale et suivi des enfants nés prématurément ; consultations d'avis pour les "
        "médecins traitants.",
    ), video=0.1, sante_protegee=0.45, convention="medecin"),
    "pedopsychiatre": ProfessionProfile(2, 0.6, (0, 18), (
        "Consultations de pédopsychiatrie : évaluation, diagnostic et accompagnement des enfants et des "
        "adolescents, en lien avec les équipes éducatives.",
        "Psychiatrie de l'enfant et de l'adolescent ; consultations sur rendez-vous, courrier du médecin "
        "traitant souhaité.",
    ), video=0.2, convention="medecin"),
    "psychiatre": ProfessionProfile(1, 0.5, (15, 25), (
        "Psychiatrie de l'adolescent et du jeune adulte, à partir de {amin} ans.",
    ), video=0.2, convention="medecin"),
    "neuropediatre": ProfessionProfile(0.5, 0.6, (0, 18), (
        "Consultations de neuropédiatrie : épilepsie, troubles du neurodéveloppement, avis diagnostiques.",
    ), convention="medecin"),
    "ophtalmologue": ProfessionProfile(2, 0.5, (0, 18), (
        "Ophtalmologie pédiatrique : dépistage, strabisme, prescription de lunettes.",
    ), convention="medecin"),
    "orl": ProfessionProfile(1, 0.4, (0, 18), (
        "ORL de l'enfant : otites à répétition, troubles de l'audition, ronflement.",
    ), convention="medecin"),
    "gynecologue": ProfessionProfile(1, 0.8, (12, 25), (
        "Consultations de gynécologie pour les adolescentes : contraception, suivi, prévention.",
    ), convention="medecin"),
    "medecin-mpr": ProfessionProfile(0.5, 0.5, (0, 18), (
        "Médecine physique et de réadaptation de l'enfant : handicap moteur, appareillage, suivi "
        "orthopédique.",
    ), convention="medecin"),
    "medecin-legiste": ProfessionProfile(0.3, 0.5, (0, 18), (
        "Examens médico-légaux sur réquisition, en lien avec l'unité d'accueil pédiatrique enfants "
        "en danger.",
    ), convention="sans-objet"),
    "dentiste": ProfessionProfile(5, 0.5, (2, 18), (
        "Soins dentaires des enfants et des adolescents, prévention et examens bucco-dentaires.",
        "Chirurgie dentaire ; accueil des jeunes enfants et des enfants anxieux sur des créneaux dédiés.",
    )),
    "sage-femme": ProfessionProfile(4, 0.97, (12, 25), (
        "Suivi gynécologique et contraception des adolescentes, suivi de grossesse et préparation à "
        "la naissance.",
        "Consultations de sages-femmes : contraception, prévention, accompagnement des jeunes parents.",
    ), home_visits=0.4),
    "pharmacien": ProfessionProfile(0.5, 0.6, (0, 18), (
        "Pharmacie : conseils aux familles et aux assistants familiaux, vaccinations.",
    ), convention="aucun"),
    "infirmier": ProfessionProfile(4, 0.85, (0, 18), (
        "Soins infirmiers au cabinet et à domicile, y compris pour les enfants.",
    ), home_visits=0.9),
    "infirmier-puericulteur": ProfessionProfile(2, 0.95, (0, 6), (
        "Puériculture libérale : accompagnement des parents et suivi du nourrisson à domicile.",
    ), home_visits=0.9, sante_protegee=0.15),
    "masseur-kinesitherapeute": ProfessionProfile(6, 0.5, (0, 18), (
        "Kinésithérapie pédiatrique : kinésithérapie respiratoire du nourrisson, rééducation "
        "orthopédique et neuromotrice.",
        "Rééducation de l'enfant et de l'adolescent ; kinésithérapie respiratoire en période d'épidémie.",
    ), home_visits=0.3),
    "pedicure-podologue": ProfessionProfile(1, 0.6, (3, 18), (
        "Bilans podologiques et semelles orthopédiques pour les enfants.",
    )),
    "orthophoniste": ProfessionProfile(14, 0.95, (2, 18), (
        "Bilans et rééducation du langage oral et écrit, de {amin} à {amax} ans.",
        "Rééducation orthophonique : retards de parole et de langage, troubles des apprentissages, "
        "bégaiement.",
        "Bilans orthophoniques et prise en charge des troubles de l'oralité chez le jeune enfant.",
        "Orthophonie pédiatrique : langage écrit, communication, guidance parentale.",
    ), home_visits=0.15, video=0.05),
    "orthoptiste": ProfessionProfile(3, 0.85, (0, 18), (
        "Bilans orthoptiques, rééducation de la vision binoculaire et dépistage visuel du jeune enfant.",
    )),
    "ergotherapeute": ProfessionProfile(4, 0.85, (3, 18), (
        "Ergothérapie pédiatrique : bilans, rééducation de l'écriture, outils numériques et "
        "aménagements scolaires.",
        "Bilans d'ergothérapie et accompagnement de l'autonomie au quotidien, à domicile et à l'école.",
    ), home_visits=0.5, sante_protegee=0.35, convention="sans-objet"),
    "dieteticien": ProfessionProfile(1.5, 0.85, (2, 18), (
        "Conseils nutritionnels pour les enfants et les adolescents : surpoids, troubles alimentaires, "
        "diversification.",
    ), video=0.3, convention="sans-objet"),
    "psychomotricien": ProfessionProfile(7, 0.9, (0, 16), (
        "Bilans et séances de psychomotricité pour les enfants de {amin} à {amax} ans.",
        "Psychomotricité : tonus, coordination, attention et régulation émotionnelle.",
        "Séances individuelles et en petit groupe ; travail en lien avec l'école et la famille.",
    ), home_visits=0.2, sante_protegee=0.35, convention="sans-objet"),
    "audioprothesiste": ProfessionProfile(0.5, 0.5, (0, 18), (
        "Appareillage auditif de l'enfant, en lien avec les ORL et les centres de dépistage.",
    )),
    "psychologue": ProfessionProfile(14, 0.85, (3, 18), (
        "Psychologie clinique : consultations pour enfants, adolescents et familles.",
        "Bilans psychologiques et psychométriques, accompagnement des enfants et des adolescents.",
        "Suivi psychologique des enfants et des adolescents, soutien à la parentalité.",
        "Psychothérapie de l'enfant et de l'adolescent ; prise en charge des psychotraumatismes.",
    ), video=0.3, sante_protegee=0.35, convention="sans-objet"),
    "psychotherapeute": ProfessionProfile(1, 0.7, (12, 25), (
        "Psychothérapie pour adolescents et jeunes adultes.",
    ), video=0.4, convention="sans-objet"),
    "osteopathe": ProfessionProfile(2, 0.5, (0, 18), (
        "Ostéopathie du nourrisson et de l'enfant.",
    ), convention="sans-objet"),
}

GENERIC_DESCRIPTION = "Consultations pour les enfants et les adolescents de {amin} à {amax} ans."

# ---------------------------------------------------------------------------
# Structure categories
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryProfile:
    weight: float
    name: str
    sigle: str
    descriptions: tuple[str, ...]
    conditions: str
    orientation: tuple[bool, tuple[str, ...], str]
    procedure: str
    documents: tuple[str, ...]
    frais: tuple[str, str]
    delai: tuple[int, int] | None
    managers: str
    hours: tuple[str, ...] = ("Mo-Fr 09:00-12:30,13:30-17:30",)
    coverage: str = ""  # "secteur" (communes or territory), "departement", or "" (none)


HOURS_OFFICE = ("Mo-Fr 09:00-12:30,13:30-17:30", "Mo-Fr 08:30-12:30,13:30-17:00; PH off",
                "Mo-Th 09:00-17:30; Fr 09:00-16:30")
HOURS_HOSPITAL = ("24/7",)
HOURS_CLINIC = ("Mo-Fr 08:30-18:30", "Mo-Fr 09:00-19:00; Sa 09:00-12:00")

_DOCS_CARE = ("Carnet de santé", "Carte Vitale ou attestation de droits",
              "Courrier du médecin traitant")
_DOCS_MDPH = ("Notification de la MDPH", "Carnet de santé", "Derniers bilans (orthophonie, "
              "psychomotricité, psychologie)", "Attestation de droits à l'Assurance maladie")

CATEGORIES: dict[str, CategoryProfile] = {
    "cmp": CategoryProfile(
        8, "Centre médico-psychologique infanto-juvénile", "CMP", (
            "Consultations et soins psychiques pour les enfants et les adolescents du secteur : "
            "pédopsychiatre, psychologues, psychomotriciens, orthophoniste, infirmiers.",
            "Premier lieu de soins psychiques de l'enfant sur le secteur : évaluation, suivis "
            "individuels, groupes thérapeutiques et travail avec les familles.",
        ),
        "Enfants et adolescents domiciliés dans les communes du secteur. Consultations gratuites.",
        (False, ("famille", "medecin", "ase", "education-nationale", "pmi"),
         "La famille ou le référent ASE appelle le secrétariat ; un courrier médical est souhaité."),
        "1. Appel au secrétariat.\n2. Premier entretien d'accueil avec un infirmier ou un "
        "psychologue.\n3. Synthèse d'équipe et proposition de soins.",
        _DOCS_CARE, ("gratuit", "Pris en charge par l'Assurance maladie, sans avance de frais"),
        (4, 26), "hopital", HOURS_OFFICE, "secteur"),
    "cmpp": CategoryProfile(
        4, "Centre médico-psycho-pédagogique", "CMPP", (
            "Diagnostic et soins ambulatoires des difficultés psychologiques, des troubles du langage "
            "et des apprentissages de l'enfant.",
            "Équipe pluridisciplinaire (médecin, psychologues, orthophonistes, psychomotriciens) pour "
            "les enfants en difficulté à l'école ou en famille.",
        ),
        "Enfants et jeunes de 0 à 20 ans du secteur ; accord préalable de la CPAM pour les soins.",
        (False, ("famille", "medecin", "education-nationale", "ase"),
         "Demande de la famille, souvent sur conseil de l'école ou du médecin."),
        "1. Demande de rendez-vous par la famille.\n2. Consultation avec le médecin directeur.\n"
        "3. Bilans complémentaires puis projet de soins.",
        _DOCS_CARE, ("pris-en-charge", "Soins remboursés à 100 % par l'Assurance maladie"),
        (8, 40), "association", HOURS_OFFICE, "secteur"),
    "cattp": CategoryProfile(
        3, "Centre d'accueil thérapeutique à temps partiel", "CATTP", (
            "Activités thérapeutiques en petit groupe, sur des demi-journées, pour des enfants suivis "
            "par le CMP.",
        ),
        "Enfants suivis par le CMP du secteur, sur indication du médecin.",
        (True, ("structure-soins",), "Indication posée par l'équipe du CMP."),
        "Admission après une synthèse de l'équipe du CMP et un entretien avec la famille.",
        ("Carnet de santé",), ("gratuit", ""), (4, 16), "hopital", HOURS_OFFICE, "secteur"),
    "hopital-de-jour": CategoryProfile(
        2, "Hôpital de jour de pédopsychiatrie", "HDJ", (
            "Soins intensifs à temps partiel pour des enfants présentant des troubles psychiques "
            "sévères, avec scolarité adaptée.",
        ),
        "Enfants de 3 à 12 ans, sur indication du pédopsychiatre.",
        (True, ("structure-soins", "medecin"), "Courrier du pédopsychiatre du CMP."),
        "Période d'observation de quelques semaines puis projet de soins individualisé.",
        ("Carnet de santé", "Courrier du pédopsychiatre"), ("pris-en-charge", ""), (8, 30), "hopital",
        ("Mo-Fr 09:00-16:30",), "secteur"),
    "service-pedopsychiatrie": CategoryProfile(
        1, "Service de psychiatrie de l'enfant et de l'adolescent", "", (
            "Hospitalisation complète et consultations de crise pour les adolescents ; avis "
            "pédopsychiatriques pour les services de l'hôpital.",
        ),
        "Adolescents de 12 à 18 ans, sur avis médical.",
        (True, ("medecin", "structure-soins"), "Contact médecin à médecin."),
        "Admission programmée après avis du pédopsychiatre, ou en urgence par les urgences "
        "pédiatriques.", ("Carnet de santé", "Carte Vitale ou attestation de droits"),
        ("pris-en-charge", ""), None, "hopital", HOURS_HOSPITAL, "secteur"),
    "pmi": CategoryProfile(
        12, "Centre de protection maternelle et infantile", "PMI", (
            "Consultations gratuites de prévention pour les enfants de moins de 6 ans : suivi de la "
            "croissance, vaccinations, conseils aux parents.",
            "Puéricultrices, médecin et sage-femme de PMI : consultations, visites à domicile, "
            "bilans en école maternelle.",
        ),
        "Familles du secteur, sans condition de ressources. Consultations gratuites.",
        (False, ("famille", "medecin", "ase"), "Accès direct, sur rendez-vous."),
        "Prendre rendez-vous auprès du secrétariat ou lors des permanences.",
        ("Carnet de santé",), ("gratuit", ""), (1, 6), "departement", HOURS_OFFICE, "secteur"),
    "camsp": CategoryProfile(
        3, "Centre d'action médico-sociale précoce", "CAMSP", (
            "Dépistage, diagnostic et rééducation des enfants de 0 à 6 ans présentant un retard de "
            "développement ou un handicap.",
        ),
        "Enfants de moins de 6 ans ; pas de notification MDPH nécessaire.",
        (False, ("medecin", "pmi", "famille"), "Courrier du médecin souhaité."),
        "1. Demande écrite du médecin ou de la famille.\n2. Consultation médicale d'accueil.\n"
        "3. Bilans puis projet d'accompagnement.", _DOCS_CARE, ("pris-en-charge", ""), (12, 52),
        "association", HOURS_OFFICE, "departement"),
    "pco-tnd": CategoryProfile(
        1, "Plateforme de coordination et d'orientation TND", "PCO TND", (
            "Coordination du parcours de diagnostic des troubles du neurodéveloppement et prise en "
            "charge du forfait d'intervention précoce.",
        ),
        "Enfants de 0 à 12 ans avec des signes d'alerte de trouble du neurodéveloppement.",
        (True, ("medecin",), "Formulaire d'adressage rempli par le médecin."),
        "Le médecin envoie le formulaire d'adressage ; la plateforme recontacte la famille sous "
        "quinze jours.", ("Formulaire d'adressage", "Carnet de santé"),
        ("gratuit", "Forfait précoce : bilans et séances sans reste à charge"), (4, 20), "association",
        HOURS_OFFICE, "departement"),
    "sessad": CategoryProfile(
        6, "Service d'éducation spéciale et de soins à domicile", "SESSAD", (
            "Accompagnement éducatif et thérapeutique de l'enfant sur ses lieux de vie : école, "
            "domicile, famille d'accueil.",
        ),
        "Enfants et jeunes avec une notification de la MDPH.",
        (True, ("mdph",), "Notification d'orientation de la CDAPH."),
        "Inscription sur liste d'attente dès réception de la notification, puis visite de "
        "pré-admission.", _DOCS_MDPH, ("pris-en-charge", ""), (26, 104), "association",
        HOURS_OFFICE, ""),
    "ime": CategoryProfile(
        5, "Institut médico-éducatif", "IME", (
            "Accueil en journée ou en internat d'enfants et d'adolescents avec une déficience "
            "intellectuelle : scolarité adaptée, soins, ateliers.",
        ),
        "Notification d'orientation de la MDPH.",
        (True, ("mdph",), "Notification d'orientation de la CDAPH."),
        "Visite de l'établissement, entretien avec la famille, puis admission selon les places.",
        _DOCS_MDPH, ("pris-en-charge", ""), (26, 104), "association", HOURS_OFFICE, ""),
    "itep": CategoryProfile(
        3, "Dispositif intégré thérapeutique, éducatif et pédagogique", "DITEP", (
            "Accompagnement d'enfants dont les difficultés psychologiques perturbent la scolarité et "
            "la socialisation : soins, éducatif, scolarité.",
        ),
        "Enfants de 6 à 20 ans avec une notification de la MDPH.",
        (True, ("mdph",), "Notification d'orientation de la CDAPH."),
        "Étude du dossier, rencontre avec la famille et l'enfant, période d'essai.",
        _DOCS_MDPH, ("pris-en-charge", ""), (12, 52), "association", HOURS_OFFICE, ""),
    "iem": CategoryProfile(
        1, "Institut d'éducation motrice", "IEM", (
            "Rééducation, soins et scolarité pour des enfants avec une déficience motrice.",
        ), "Notification de la MDPH.", (True, ("mdph",), "Notification d'orientation de la CDAPH."),
        "Visite puis admission selon les places.", _DOCS_MDPH, ("pris-en-charge", ""), (26, 78),
        "association", HOURS_OFFICE, ""),
    "eeap": CategoryProfile(
        1, "Établissement pour enfants polyhandicapés", "EEAP", (
            "Accueil, soins et accompagnement d'enfants polyhandicapés, en journée ou en internat.",
        ), "Notification de la MDPH.", (True, ("mdph",), "Notification d'orientation de la CDAPH."),
        "Visite puis admission selon les places.", _DOCS_MDPH, ("pris-en-charge", ""), (26, 104),
        "association", HOURS_OFFICE, ""),
    "institut-deficients-auditifs": CategoryProfile(
        0.5, "Institut pour jeunes sourds", "", (
            "Éducation, rééducation et scolarité adaptée pour les enfants sourds ou malentendants.",
        ), "Notification de la MDPH.", (True, ("mdph",), "Notification d'orientation de la CDAPH."),
        "Évaluation puis admission.", _DOCS_MDPH, ("pris-en-charge", ""), (12, 52), "association",
        HOURS_OFFICE, "departement"),
    "institut-deficients-visuels": CategoryProfile(
        0.5, "Institut pour jeunes déficients visuels", "", (
            "Accompagnement des enfants aveugles ou malvoyants, à l'école et à domicile.",
        ), "Notification de la MDPH.", (True, ("mdph",), "Notification d'orientation de la CDAPH."),
        "Évaluation puis admission.", _DOCS_MDPH, ("pris-en-charge", ""), (12, 52), "association",
        HOURS_OFFICE, "departement"),
    "mdph": CategoryProfile(
        0.3, "Maison départementale des personnes handicapées", "MDPH", (
            "Accueil, information et instruction des demandes de compensation du handicap de "
            "l'enfant : AEEH, orientation, aide humaine à l'école.",
        ), "Toute famille résidant dans le département.",
        (False, ("famille", "ase", "medecin"), "Dossier déposé par la famille ou le représentant légal."),
        "Déposer le formulaire de demande avec le certificat médical de moins d'un an.",
        ("Formulaire de demande", "Certificat médical de moins d'un an", "Justificatif d'identité",
         "Justificatif de domicile"), ("gratuit", ""), None, "departement", HOURS_OFFICE,
        "departement"),
    "centre-hospitalier": CategoryProfile(
        2, "Centre hospitalier", "CH", (
            "Établissement public de santé : urgences, pédiatrie, maternité et consultations "
            "spécialisées.",
        ), "Accès à tous.", (False, ("medecin", "famille"), "Urgences sans orientation."),
        "Consultations sur rendez-vous auprès du secrétariat de chaque service.",
        ("Carte Vitale ou attestation de droits",), ("pris-en-charge", ""), None, "hopital",
        HOURS_HOSPITAL, ""),
    "service-pediatrie": CategoryProfile(
        2, "Service de pédiatrie", "", (
            "Hospitalisation et consultations de pédiatrie générale et spécialisée.",
        ), "Enfants de 0 à 18 ans.", (False, ("medecin", "famille"), "Courrier du médecin traitant."),
        "Consultations sur rendez-vous ; hospitalisation par les urgences ou programmée.",
        _DOCS_CARE, ("pris-en-charge", ""), (2, 12), "hopital", HOURS_HOSPITAL, ""),
    "urgences-pediatriques": CategoryProfile(
        1, "Urgences pédiatriques", "", (
            "Accueil des urgences médicales et chirurgicales des enfants, jour et nuit.",
        ), "Enfants de 0 à 18 ans.", (False, ("famille", "medecin"), "Accès direct ou par le 15."),
        "Accès direct ; en cas de doute, appeler le 15.", ("Carnet de santé",),
        ("pris-en-charge", ""), None, "hopital", HOURS_HOSPITAL, ""),
    "unite-accueil-pediatrique-enfants-en-danger": CategoryProfile(
        1, "Unité d'accueil pédiatrique enfants en danger", "UAPED", (
            "Accueil des enfants victimes de violences : examen médical, recueil de la parole dans un "
            "lieu adapté, orientation vers les soins.",
        ), "Enfants victimes ou suspectés victimes de violences.",
        (True, ("ase", "medecin"), "Réquisition judiciaire ou avis médical."),
        "Sur réquisition ou après contact avec le pédiatre référent de l'unité.",
        ("Réquisition le cas échéant", "Carnet de santé"), ("gratuit", ""), None, "hopital",
        HOURS_OFFICE, "departement"),
    "maison-des-adolescents": CategoryProfile(
        2, "Maison des adolescents", "MDA", (
            "Accueil anonyme et gratuit des adolescents de 11 à 25 ans, de leurs parents et des "
            "professionnels : écoute, santé, scolarité, relations.",
        ), "Adolescents et jeunes adultes, parents, professionnels.",
        (False, ("famille",), "Accès libre, avec ou sans rendez-vous."),
        "Accueil sans rendez-vous aux heures d'ouverture, ou sur rendez-vous.", (),
        ("gratuit", ""), (0, 3), "association", ("Mo-Fr 13:30-18:30; We 10:00-18:30",), "departement"),
    "point-accueil-ecoute-jeunes": CategoryProfile(
        2, "Point accueil écoute jeunes", "PAEJ", (
            "Écoute et orientation des jeunes de 12 à 25 ans en difficulté, sans rendez-vous.",
        ), "Jeunes de 12 à 25 ans et leurs parents.", (False, ("famille",), "Accès libre."),
        "Accueil libre ou sur rendez-vous.", (), ("gratuit", ""), (0, 2), "association",
        ("Tu-Fr 14:00-18:00; We 10:00-12:00",), ""),
    "espace-sante-jeunes": CategoryProfile(
        1, "Espace santé jeunes", "", (
            "Consultations de santé, prévention et information pour les jeunes.",
        ), "Jeunes de 12 à 25 ans.", (False, ("famille",), "Accès libre."),
        "Accueil libre.", (), ("gratuit", ""), (0, 2), "collectivite", HOURS_OFFICE, ""),
    "csapa": CategoryProfile(
        2, "Consultation jeunes consommateurs", "CJC", (
            "Consultations gratuites et confidentielles pour les jeunes et leurs familles autour des "
            "consommations et des écrans.",
        ), "Jeunes et familles ; anonymat possible.", (False, ("famille", "medecin"), "Accès libre."),
        "Prendre rendez-vous par téléphone.", (), ("gratuit", ""), (1, 4), "association",
        HOURS_OFFICE, ""),
    "centre-planification": CategoryProfile(
        3, "Centre de santé sexuelle", "CSS", (
            "Contraception, dépistage, écoute et information sur la vie affective et sexuelle ; "
            "gratuit pour les mineurs.",
        ), "Accueil confidentiel et gratuit des mineurs.", (False, ("famille",), "Accès libre."),
        "Consultations sur rendez-vous ou lors des permanences.", (), ("gratuit", ""), (0, 3),
        "departement", HOURS_OFFICE, ""),
    "cegidd": CategoryProfile(
        1, "Centre gratuit d'information, de dépistage et de diagnostic", "CeGIDD", (
            "Dépistage et traitement des infections sexuellement transmissibles, vaccinations.",
        ), "Accès anonyme et gratuit.", (False, ("famille",), "Accès libre."),
        "Sans rendez-vous aux heures de permanence.", (), ("gratuit", ""), None, "hopital",
        HOURS_OFFICE, ""),
    "centre-vaccination": CategoryProfile(
        2, "Centre de vaccination", "", (
            "Vaccinations gratuites et rattrapage vaccinal des enfants et des adolescents.",
        ), "Accès à tous.", (False, ("famille", "ase", "pmi"), "Accès libre, sur rendez-vous."),
        "Prendre rendez-vous ; apporter le carnet de santé.", ("Carnet de santé",),
        ("gratuit", ""), (1, 4), "departement", HOURS_OFFICE, ""),
    "sante-scolaire": CategoryProfile(
        2, "Service de santé scolaire", "", (
            "Médecins et infirmiers de l'Éducation nationale : bilans de santé à l'école, projets "
            "d'accueil individualisés, repérage des difficultés.",
        ), "Élèves scolarisés dans les établissements du secteur.",
        (False, ("education-nationale", "famille"), "Par l'intermédiaire de l'établissement scolaire."),
        "Contacter l'infirmier ou le médecin scolaire de l'établissement.", (), ("gratuit", ""),
        None, "etat", HOURS_OFFICE, "secteur"),
    "maison-de-sante": CategoryProfile(
        10, "Maison de santé pluriprofessionnelle", "MSP", (
            "Médecins généralistes, infirmiers, kinésithérapeutes, orthophonistes et sage-femme "
            "réunis ; protocoles de soins partagés.",
            "Soins de premier recours et prévention ; consultations pédiatriques de suivi.",
        ), "Accès à tous, sur rendez-vous.", (False, ("famille",), "Accès direct."),
        "Prendre rendez-vous auprès de chaque professionnel.", ("Carte Vitale ou attestation de droits",),
        ("pris-en-charge", ""), (1, 8), "sisa", HOURS_CLINIC, ""),
    "centre-de-sante": CategoryProfile(
        4, "Centre de santé", "", (
            "Médecins salariés, tiers payant intégral, consultations de médecine générale et "
            "de pédiatrie.",
        ), "Accès à tous ; tiers payant.", (False, ("famille",), "Accès direct."),
        "Prendre rendez-vous par téléphone ou en ligne.", ("Carte Vitale ou attestation de droits",),
        ("pris-en-charge", "Tiers payant intégral"), (1, 8), "collectivite", HOURS_CLINIC, ""),
    "cpts": CategoryProfile(
        2, "Communauté professionnelle territoriale de santé", "CPTS", (
            "Coordination des professionnels de santé du territoire : accès à un médecin traitant, "
            "soins non programmés, prévention.",
        ), "Professionnels de santé du territoire.", (False, ("medecin",), "Contact par les professionnels."),
        "Contacter la coordinatrice.", (), ("gratuit", ""), None, "association", HOURS_OFFICE, "secteur"),
    "dac": CategoryProfile(
        1, "Dispositif d'appui à la coordination", "DAC", (
            "Appui aux professionnels pour les situations complexes : coordination, orientation, "
            "recherche de solutions.",
        ), "Professionnels confrontés à une situation complexe.",
        (True, ("medecin", "structure-soins", "ase"), "Demande d'un professionnel."),
        "Remplir la fiche de sollicitation.", ("Fiche de sollicitation",), ("gratuit", ""), (0, 2),
        "association", HOURS_OFFICE, "departement"),
    "centre-ressources-autisme": CategoryProfile(
        0.3, "Centre ressources autisme", "CRA", (
            "Diagnostics complexes de troubles du spectre de l'autisme, information et formation.",
        ), "Situations complexes, sur orientation.", (True, ("medecin",), "Demande du médecin."),
        "Dossier de demande rempli par le médecin.", ("Dossier de demande", "Bilans antérieurs"),
        ("pris-en-charge", ""), (26, 78), "hopital", HOURS_OFFICE, "departement"),
}

MANAGERS: dict[str, tuple[str, ...]] = {
    "hopital": ("Centre hospitalier du Bocage", "Centre hospitalier de la Baie",
                "Établissement public de santé mentale du Littoral", "Centre hospitalier des Trois Rivières"),
    "association": ("Association Les Pommiers", "Association Grain d'Orge", "Fondation Horizon Enfance",
                    "Association Entraide et Avenir", "Association La Boussole"),
    "departement": ("Département (direction de l'enfance et de la famille)",),
    "collectivite": ("Communauté de communes", "Centre communal d'action sociale"),
    "etat": ("Direction des services départementaux de l'Éducation nationale",),
    "sisa": ("SISA Maison de santé", "SISA Pôle santé"),
}

ORGANISMS = ("CPAM", "ARS Normandie", "Caisse d'allocations familiales", "Éducation nationale")

# ---------------------------------------------------------------------------
# Conventions
# ---------------------------------------------------------------------------

CONVENTION_TYPES = (("sante-protegee", 40), ("prestation", 20), ("partenariat", 15),
                    ("subvention", 15), ("cadre", 10))
CONVENTION_STATUSES = (("active", 45), ("expiree", 15), ("en-negociation", 10), ("resiliee", 8),
                       ("signee", 8), ("projet", 8), ("suspendue", 6))
SERVICES_BY_PROFESSION: dict[str, tuple[str, ...]] = {
    "medecin-generaliste": ("bilan-sante-entree", "bilan-annuel", "consultation-medecin-referent"),
    "pediatre": ("bilan-sante-entree", "bilan-annuel", "consultation-medecin-referent",
                 "consultation-pediatrique"),
    "psychologue": ("evaluation-psychologique", "soins-psychologiques"),
    "psychomotricien": ("bilan-psychomoteur", "soins-psychomoteurs"),
    "ergotherapeute": ("bilan-ergotherapie", "soins-ergotherapie"),
    "orthophoniste": ("bilan-orthophonique", "reeducation-orthophonique"),
    "pedopsychiatre": ("consultation-pedopsychiatrique", "avis-specialise"),
    "orthoptiste": ("bilan-orthoptique",),
    "dentiste": ("bilan-bucco-dentaire",),
    "sage-femme": ("consultation-sante-sexuelle", "suivi-grossesse"),
    "infirmier-puericulteur": ("coordination-parcours",),
}
SERVICES_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "cmp": ("consultation-pedopsychiatrique", "soins-psychologiques", "accueil-urgence"),
    "cmpp": ("evaluation-psychologique", "soins-psychologiques", "bilan-orthophonique"),
    "camsp": ("diagnostic-tnd", "bilan-psychomoteur", "soins-psychomoteurs"),
    "pco-tnd": ("diagnostic-tnd", "coordination-parcours"),
    "pmi": ("vaccination", "consultation-pediatrique", "bilan-sante-entree"),
    "maison-des-adolescents": ("soins-psychologiques", "consultation-sante-sexuelle",
                               "formation-professionnels"),
    "unite-accueil-pediatrique-enfants-en-danger": ("examen-medico-legal", "accueil-urgence"),
    "service-pediatrie": ("bilan-sante-entree", "avis-specialise", "teleconsultation"),
    "maison-de-sante": ("bilan-sante-entree", "bilan-annuel", "consultation-medecin-referent"),
    "centre-de-sante": ("bilan-sante-entree", "bilan-annuel", "vaccination"),
    "centre-planification": ("consultation-sante-sexuelle",),
    "centre-vaccination": ("vaccination",),
}
PUBLICS: tuple[tuple[tuple[int, int], str], ...] = (
    ((0, 18), "Enfants confiés à l'aide sociale à l'enfance"),
    ((0, 18), "Enfants accueillis en famille d'accueil"),
    ((0, 6), "Jeunes enfants confiés à l'aide sociale à l'enfance"),
    ((3, 12), "Enfants suivis en protection de l'enfance sur le territoire"),
    ((11, 18), "Adolescents accueillis en établissement ou en famille d'accueil"),
    ((14, 18), "Mineurs non accompagnés pris en charge par le Département"),
    ((0, 21), "Enfants et jeunes majeurs accompagnés par l'aide sociale à l'enfance"),
)
DEFAULT_SERVICES = ("coordination-parcours", "reunion-concertation", "formation-professionnels")

# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------


@dataclass
class Vocabularies:
    """What the generator needs from the vocabularies (read once)."""

    professions: dict[str, dict[str, Any]]
    categories: dict[str, dict[str, Any]]
    specialties: dict[str, dict[str, Any]]
    services: frozenset[str]
    languages: tuple[str, ...]
    territories: dict[str, dict[str, Any]]

    @classmethod
    def read(cls, folder: Path) -> Vocabularies:
        def terms(name: str) -> dict[str, dict[str, Any]]:
            path = folder / f"{name}.yaml"
            if not path.is_file():
                return {}
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
            return {str(t["id"]): t for t in data.get("termes") or [] if isinstance(t, dict) and "id" in t}

        return cls(terms("professions"), terms("categories"), terms("specialites"),
                   frozenset(terms("services")), tuple(terms("langues")), terms("territoires"))


def repository_vocabularies() -> Path:
    """The repository's ``registry/vocabulaires`` folder."""
    return Path(__file__).resolve().parents[3] / "registry" / "vocabulaires"


class SynthError(ValueError):
    """Wrong arguments for the generator (French message)."""


@dataclass
class Counts:
    professionnels: int
    structures: int
    conventions: int

    @property
    def total(self) -> int:
        return self.professionnels + self.structures + self.conventions


def split_counts(n: int) -> Counts:
    """≈ 70 % professionals, 20 % structures, 10 % conventions; each kind present when n ≥ 3."""
    if n < 0:
        raise SynthError("Le nombre de fiches doit être positif.")
    if n < 3:
        return Counts(min(n, 1), max(0, n - 1), 0)
    structures = max(1, round(n * 0.2))
    conventions = max(1, round(n * 0.1))
    return Counts(n - structures - conventions, structures, conventions)


def _days(rng: random.Random, lo: int, hi: int) -> timedelta:
    return timedelta(days=rng.randint(lo, hi))


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


@dataclass
class _Place:
    commune: Commune
    code_postal: str


@dataclass
class Generator:
    """Builds fictional records for one département. ``rng`` drives every choice."""

    rng: random.Random
    departement: str
    today: date
    vocab: Vocabularies
    gazetteer: Gazetteer
    communes: list[Commune] = field(default_factory=list)
    _weights: list[float] = field(default_factory=list)
    _neighbours: dict[str, list[Commune]] = field(default_factory=dict)
    _territory_of: dict[str, str] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    _structure_addresses: set[tuple[str, str]] = field(default_factory=set)
    _structure_names: set[tuple[str, str]] = field(default_factory=set)
    phone_prefix: str = ""
    _phone_counter: int = 0
    rpps_counter: int = 0
    finess_counter: int = 0
    siret_counter: int = 0
    _sp_cache: tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, dict[str, Any]]]] | None = None
    _structure_weights: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.communes = self.gazetteer.in_departement(self.departement, arrondissements=False)
        if not self.communes:
            raise SynthError(f"Aucune commune connue pour le département « {self.departement} ».")
        # Practitioners settle where people live: weight by population, villages included.
        self._weights = []
        total = 0.0
        for c in self.communes:
            total += max(c.population, 50) ** 0.9
            self._weights.append(total)
        # Services concentrate in towns even more than practitioners do.
        total = 0.0
        for c in self.communes:
            total += max(c.population, 50) ** 1.3
            self._structure_weights.append(total)
        self.phone_prefix = phone_prefix(self.departement)
        for tid, term in self.vocab.territories.items():
            for code in term.get("communes") or []:
                self._territory_of.setdefault(str(code), tid)
        self._phone_counter = self.rng.randrange(10_000)

    # -- basic pieces -----------------------------------------------------------

    def pick_commune(self, *, town: bool = False) -> Commune:
        weights = self._structure_weights if town else self._weights
        return self.rng.choices(self.communes, cum_weights=weights)[0]

    def neighbours(self, commune: Commune) -> list[Commune]:
        """Communes of the département, nearest first (the commune itself first)."""
        found = self._neighbours.get(commune.code_insee)
        if found is None:
            if commune.has_position:
                found = sorted(
                    (c for c in self.communes if c.has_position),
                    key=lambda c: (haversine_km(commune.latitude, commune.longitude,
                                                c.latitude, c.longitude), c.code_insee))
            else:
                found = [commune]
            self._neighbours[commune.code_insee] = found
        return found

    def place(self, commune: Commune) -> _Place:
        return _Place(commune, self.rng.choice(commune.codes_postaux) if commune.codes_postaux else "")

    def phone(self) -> str:
        self._phone_counter = (self._phone_counter + self.rng.randint(1, 97)) % 10_000
        return fiction_phone(self.phone_prefix, self._phone_counter)

    def address(self) -> str:
        number = self.rng.randint(1, 120)
        suffix = " bis" if self.rng.random() < 0.04 else ""
        return f"{number}{suffix} {self.rng.choice(STREETS)}"

    def unique_id(self, base: str) -> str:
        base = base[:72].strip("-") or "fiche"
        candidate, n = base, 2
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def past(self, max_days: int, min_days: int = 0) -> str:
        return (self.today - _days(self.rng, min_days, max_days)).isoformat()

    def hours_for_practice(self) -> str:
        return self.rng.choice((
            "Mo-Fr 09:00-12:00,14:00-19:00",
            "Mo,Tu,Th,Fr 08:30-12:30,13:30-19:00; Sa 09:00-12:00",
            "Mo-Fr 08:30-12:00,14:00-18:30; Sa 09:00-12:00",
            "Mo-We,Fr 09:00-19:00",
            "Tu-Sa 09:00-12:30,14:00-18:00",
            "Mo 14:00-19:00; Tu-Fr 09:00-12:00,14:00-19:00",
            "Mo-Fr 08:00-20:00; Sa 08:00-12:00",
        ))

    def lieu(self, place: _Place, *, name: str | None, email_local: str,
             hours: str | None, booking: str | None) -> dict[str, Any]:
        lieu: dict[str, Any] = {}
        if name:
            lieu["nom"] = name
        lieu["adresse"] = self.address()
        if self.rng.random() < 0.12:
            lieu["complement_adresse"] = self.rng.choice(COMPLEMENTS)
        lieu["code_postal"] = place.code_postal
        lieu["commune"] = place.commune.nom_article
        lieu["code_insee"] = place.commune.code_insee
        lieu["telephone"] = self.phone()
        if email_local:
            lieu["courriel"] = f"{email_local}@example.org"
        if booking:
            lieu["rendez_vous"] = booking
        if hours:
            lieu["horaires"] = hours
        lieu["accessible_pmr"] = self.rng.random() < 0.75
        return lieu

    def interne(self, surname_pool: Sequence[str]) -> dict[str, Any]:
        interne: dict[str, Any] = {}
        if self.rng.random() < 0.7:
            interne["telephone"] = self.phone()
        if self.rng.random() < 0.5:
            interne["contact"] = self.rng.choice(INTERNAL_CONTACTS).format(nom=self.rng.choice(surname_pool))
        interne["notes"] = self.rng.choice(INTERNAL_NOTES)
        return interne

    # -- professionals -----------------------------------------------------------

    def profession_table(self) -> tuple[list[str], list[float]]:
        names, cum, total = [], [], 0.0
        for pid in self.vocab.professions:
            profile = PROFESSIONS.get(pid)
            total += profile.weight if profile else 0.2
            names.append(pid)
            cum.append(total)
        return names, cum

    def names(self, count: int) -> list[tuple[str, str, bool]]:
        """``count`` distinct (surname, first name, is_female) triples, in a random order.

        Uniqueness of the (surname, first name) pair rules out "probable duplicate"
        warnings; compound surnames extend the space when single ones run out.
        """
        first = [(n, True) for n in FEMALE_NAMES] + [(n, False) for n in MALE_NAMES]
        per_surname = len(first)
        singles = len(SURNAMES)
        needed = max(singles, math.ceil(count / per_surname))
        if needed > singles + singles * (singles - 1):
            raise SynthError("Trop de professionnels demandés pour la liste de noms.")
        space = needed * per_surname
        step = self.rng.randrange(1, space)
        while math.gcd(step, space) != 1:
            step += 1
        offset = self.rng.randrange(space)
        out = []
        for i in range(count):
            k = (offset + i * step) % space
            surname_index, first_index = divmod(k, per_surname)
            if surname_index < singles:
                surname = SURNAMES[surname_index]
            else:
                a, b = divmod(surname_index - singles, singles - 1)
                b = b + 1 if b >= a else b
                surname = f"{SURNAMES[a]}-{SURNAMES[b]}"
            prenom, female = first[first_index]
            out.append((surname, prenom, female))
        return out

    def professional(self, nom: str, prenom: str, female: bool, profession: str,
                     commune: Commune | None = None) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        profile = PROFESSIONS.get(profession)
        term = self.vocab.professions.get(profession, {})
        pid = self.unique_id(slugify(f"{nom} {prenom}"))
        record: dict[str, Any] = {"nom": nom, "prenom": prenom, "profession": profession}
        fitting = [sid for sid, s in self.vocab.specialties.items() if profession in (s.get("professions") or [])]
        if fitting and rng.random() < 0.6:
            record["specialites"] = sorted(rng.sample(fitting, rng.randint(1, min(3, len(fitting)))),
                                           key=fitting.index)
        if term.get("code_rpps") and rng.random() < 0.9:
            self.rpps_counter += 1
            record["rpps"] = identifiers.fictional_rpps(self.rpps_counter)
        home = commune or self.pick_commune()
        sites = 1 if rng.random() < 0.82 else (2 if rng.random() < 0.8 else 3)
        places = [self.place(home)]
        if sites > 1:
            near = self.neighbours(home)[1:12]
            for extra in rng.sample(near, min(sites - 1, len(near))):
                places.append(self.place(extra))
        email = slugify(f"{prenom} {nom}").replace("-", ".")
        lieux = []
        for index, place in enumerate(places):
            name = rng.choice(PLACE_NAMES) if rng.random() < 0.45 else None
            booking = (f"https://example.org/rendez-vous/{pid}" if index == 0 and rng.random() < 0.25
                       else None)
            hours = self.hours_for_practice() if rng.random() < 0.85 else None
            lieux.append(self.lieu(place, name=name, email_local=email if index == 0 and rng.random() < 0.6
                                   else "", hours=hours, booking=booking))
        record["lieux"] = lieux
        amin, amax = profile.ages if profile else (0, 18)
        if amin > 0 and rng.random() < 0.3:
            amin += 1
        if amax < 25 and amax - amin > 6 and rng.random() < 0.2:
            amax -= 2
        record["ages"] = {"min": amin, "max": amax}
        modes = ["cabinet"]
        if profile and rng.random() < profile.home_visits:
            modes.append("domicile")
        if profile and rng.random() < profile.video:
            modes.append("visio")
        record["modalites"] = modes
        languages = ["fr"] if "fr" in self.vocab.languages or not self.vocab.languages else []
        if "en" in self.vocab.languages and rng.random() < 0.25:
            languages.append("en")
        others = [code for code in self.vocab.languages if code not in ("fr", "en")]
        if others and rng.random() < 0.06:
            languages.append(rng.choice(others))
        if languages:
            record["langues"] = languages
        convention = self.conventionnement(profile.convention if profile else "sans-objet")
        if convention:
            record["conventionnement"] = convention
        roles = list(term.get("sante_protegee") or [])
        if profile and roles and rng.random() < profile.sante_protegee:
            since = self.today - _days(rng, 30, 900)
            record["sante_protegee"] = {
                "role": roles[0],
                "depuis": since.isoformat(),
                "formation_le": (since - _days(rng, 0, 120)).isoformat(),
            }
        elif profile and profile.sante_protegee and rng.random() < 0.03:
            record["sante_protegee"] = {"role": "coordination", "depuis": self.past(700, 30)}
        accepte = rng.choices(("oui", "liste-attente", "non"), weights=(45, 35, 20))[0]
        patients: dict[str, Any] = {"accepte": accepte}
        if accepte == "oui":
            patients["delai_semaines"] = rng.randint(0, 6)
        elif accepte == "liste-attente":
            patients["delai_semaines"] = rng.randint(6, 40)
        patients["date_information"] = self.past(180)
        record["nouveaux_patients"] = patients
        texts = profile.descriptions if profile else (GENERIC_DESCRIPTION,)
        record["description"] = self.describe(rng.choice(texts).format(amin=amin, amax=amax), record)
        if rng.random() < 0.08:
            record["site_web"] = f"https://example.org/{pid}"
        record["statut"] = rng.choices(("actif", "inactif", "cesse", "retire"), weights=(95, 3, 1.5, 0.5))[0]
        if record["statut"] in ("inactif", "cesse") and patients["accepte"] == "oui":
            patients["accepte"] = "non"  # someone who receives nobody for now takes nobody new
            patients.pop("delai_semaines", None)
        record["verifie_le"] = self.past(330)
        record["source"] = rng.choice(SOURCES_PRO)
        if rng.random() < 0.12:
            record["interne"] = self.interne(SURNAMES)
        return pid, record

    def describe(self, base: str, record: dict[str, Any]) -> str:
        """``base`` followed by a sentence or two drawn from the record (varied, short)."""
        rng = self.rng
        extras: list[str] = []
        specialties = record.get("specialites") or []
        if specialties and rng.random() < 0.6:
            labels = [str(self.vocab.specialties[s].get("libelle", s)) for s in specialties[:2]]
            labels = [label[0].lower() + label[1:] if label[1:2].islower() else label for label in labels]
            extras.append(rng.choice(("Compétences particulières : ", "Formation spécifique : ",
                                      "Intérêt particulier pour : ")) + " ; ".join(labels) + ".")
        modes = record.get("modalites") or []
        if "domicile" in modes and rng.random() < 0.7:
            extras.append(rng.choice(("Visites à domicile possibles, y compris en famille d'accueil.",
                                      "Se déplace à domicile et en famille d'accueil sur le secteur.")))
        if "visio" in modes and rng.random() < 0.7:
            extras.append("Téléconsultation possible pour le suivi.")
        if "en" in (record.get("langues") or []) and rng.random() < 0.5:
            extras.append("Consultations possibles en anglais.")
        if len(record.get("lieux") or []) > 1 and rng.random() < 0.7:
            extras.append(rng.choice(("Consulte sur plusieurs sites, voir les horaires de chaque lieu.",
                                      "Permanences dans un second cabinet une partie de la semaine.")))
        return " ".join([base, *extras])

    def conventionnement(self, kind: str) -> dict[str, Any] | None:
        rng = self.rng
        if kind == "aucun":
            return None
        if kind == "medecin":
            sector = rng.choices(("secteur-1", "secteur-2"), weights=(80, 20))[0]
            block: dict[str, Any] = {"secteur": sector}
            if sector == "secteur-2":
                block["optam"] = rng.random() < 0.6
            block["tiers_payant"] = rng.random() < 0.5
            return block
        if kind == "sans-objet":
            return {"secteur": "sans-objet"}
        return {"secteur": "secteur-1", "tiers_payant": rng.random() < 0.7}

    # -- structures ----------------------------------------------------------------

    def category_table(self) -> tuple[list[str], list[float]]:
        names, cum, total = [], [], 0.0
        for cid in self.vocab.categories:
            profile = CATEGORIES.get(cid)
            total += profile.weight if profile else 0.3
            names.append(cid)
            cum.append(total)
        return names, cum

    def structure_name(self, base: str, commune: Commune) -> str:
        """"<base> de <commune>", made unique within the commune with a site qualifier."""
        name = f"{base} {of_place(commune.nom_article)}"
        qualifiers = ("site principal", "antenne Nord", "antenne Sud", "site des Prés",
                      "site du Centre", "antenne Est", "antenne Ouest")
        candidate, n = name, 0
        while (slugify(candidate), commune.code_insee) in self._structure_names:
            candidate = f"{name} — {qualifiers[n]}" if n < len(qualifiers) else f"{name} — site {n + 1}"
            n += 1
        self._structure_names.add((slugify(candidate), commune.code_insee))
        return candidate

    def structure(self, category: str, commune: Commune | None = None,
                  parent: str | None = None) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        term = self.vocab.categories.get(category, {})
        profile = CATEGORIES.get(category)
        label = profile.name if profile else str(term.get("libelle", category))
        commune = commune or self.pick_commune(town=True)
        name = self.structure_name(label, commune)
        sigle = profile.sigle if profile else ""
        sid = self.unique_id(slugify(f"{sigle or label} {commune.nom_article}"))
        record: dict[str, Any] = {"nom": name}
        if sigle:
            record["sigle"] = f"{sigle} {commune.nom_article}"[:40]
        record["categorie"] = category
        if term.get("code_finess") and self.finess_counter < 9_999 and rng.random() < 0.85:
            self.finess_counter += 1
            dep2 = self.departement[:2] if len(self.departement) == 2 else "97"
            record["finess"] = identifiers.fictional_finess(dep2, self.finess_counter)
        if rng.random() < 0.5:
            self.siret_counter += 1
            record["siret"] = identifiers.fictional_siret(self.siret_counter % 1_000_000)
        manager_kind = profile.managers if profile else "association"
        managers = MANAGERS.get(manager_kind, MANAGERS["association"])
        record["gestionnaire"] = {"nom": rng.choice(managers)}
        if parent:
            record["structure_parente"] = parent
        texts = profile.descriptions if profile else (f"{label} : accueil des enfants et des familles.",)
        record["description"] = rng.choice(texts)
        if rng.random() < 0.3:
            record["site_web"] = f"https://example.org/{sid}"
        place = self.place(commune)
        local = slugify(sigle or "accueil").replace("-", ".") + "." + slugify(commune.nom)
        lieu = self.lieu(place, name=None, email_local=local, booking=None,
                         hours=rng.choice(profile.hours if profile else HOURS_OFFICE))
        key = (lieu["adresse"].lower(), commune.code_insee)
        while key in self._structure_addresses:
            lieu["adresse"] = self.address()
            key = (lieu["adresse"].lower(), commune.code_insee)
        self._structure_addresses.add(key)
        record["lieux"] = [lieu]
        coverage = profile.coverage if profile else ("secteur" if term.get("sectorisee") else "")
        if coverage == "secteur" or (coverage == "" and term.get("sectorisee")):
            record["secteur"] = self.sector(commune)
        elif coverage == "departement":
            record["secteur"] = {"departement_entier": True}
        ages = term.get("ages_typiques")
        if isinstance(ages, dict) and "min" in ages and "max" in ages:
            record["ages"] = {"min": int(ages["min"]), "max": int(ages["max"])}
        if profile:
            record["conditions_acces"] = profile.conditions
            required, by, precision = profile.orientation
            orientation: dict[str, Any] = {"requise": required, "par": list(by)}
            if precision:
                orientation["precisions"] = precision
            record["orientation"] = orientation
            admission: dict[str, Any] = {"procedure": profile.procedure}
            if profile.documents:
                admission["documents"] = list(profile.documents)
            record["admission"] = admission
            if profile.delai:
                record["delai_attente"] = {"semaines": rng.randint(*profile.delai),
                                           "date_information": self.past(120)}
            frais: dict[str, Any] = {"type": profile.frais[0]}
            if profile.frais[1]:
                frais["precisions"] = profile.frais[1]
            record["frais"] = frais
        record["statut"] = rng.choices(("actif", "inactif", "cesse"), weights=(96, 3, 1))[0]
        record["verifie_le"] = self.past(330)
        record["source"] = rng.choice(SOURCES_STRUCTURE)
        if rng.random() < 0.15:
            record["interne"] = self.interne(SURNAMES)
        return sid, record

    def sector(self, commune: Commune) -> dict[str, Any]:
        territory = self._territory_of.get(commune.code_insee)
        if territory and self.rng.random() < 0.5:
            return {"territoires": [territory]}
        size = self.rng.randint(4, 25)
        codes = sorted(c.code_insee for c in self.neighbours(commune)[:size])
        return {"communes": codes}

    # -- conventions ----------------------------------------------------------------

    def convention_dates(self, status: str) -> tuple[dict[str, str], dict[str, Any]]:
        rng, today = self.rng, self.today
        years = rng.choice((1, 2, 3, 3, 5))
        renewal: dict[str, Any] = {"type": rng.choices(("tacite", "expresse", "aucune"),
                                                       weights=(50, 35, 15))[0]}
        if renewal["type"] != "aucune":
            renewal["preavis_mois"] = rng.choice((1, 2, 3, 3, 6))
        if status in ("projet", "en-negociation"):
            if rng.random() < 0.5:
                return {}, renewal
            effet = today + _days(rng, 30, 240)
            return {"effet": effet.isoformat(),
                    "fin": _add_months(effet, 12 * years).isoformat()}, renewal
        if status == "signee":
            signature = today - _days(rng, 1, 60)
            effet = today + _days(rng, 1, 120)
        elif status == "expiree":
            fin = today - _days(rng, 1, 700)
            effet = _add_months(fin, -12 * years)
            signature = effet - _days(rng, 0, 60)
            return ({"signature": signature.isoformat(), "effet": effet.isoformat(),
                     "fin": fin.isoformat()}, renewal)
        else:  # active, suspendue, resiliee
            effet = today - _days(rng, 1, 365 * years - 1)
            signature = effet - _days(rng, 0, 60)
        fin = _add_months(effet, 12 * years)
        if fin <= today:
            fin = today + _days(rng, 1, 365)
        return ({"signature": signature.isoformat(), "effet": effet.isoformat(),
                 "fin": fin.isoformat()}, renewal)

    def convention(self, index: int, professionals: list[tuple[str, dict[str, Any]]],
                   structures: list[tuple[str, dict[str, Any]]], dep_name: str
                   ) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        ctype = rng.choices([t for t, _ in CONVENTION_TYPES], weights=[w for _, w in CONVENTION_TYPES])[0]
        status = rng.choices([s for s, _ in CONVENTION_STATUSES],
                             weights=[w for _, w in CONVENTION_STATUSES])[0]
        parties: list[dict[str, Any]] = []
        services: list[str] = []
        subject = ""
        if ctype == "sante-protegee":
            pool = self._sp_pool(professionals)
            chosen = rng.sample(pool, min(len(pool), rng.choice((1, 1, 1, 2, 3))))
            for pid, rec in chosen:
                parties.append({"professionnel": pid, "role": "prestataire"})
                services += SERVICES_BY_PROFESSION.get(rec["profession"], ())
            subject = (f"{chosen[0][1]['prenom']} {chosen[0][1]['nom']}" if len(chosen) == 1
                       else f"{len(chosen)} professionnels de {chosen[0][1]['lieux'][0]['commune']}"
                       ) if chosen else dep_name
            if rng.random() < 0.5:
                parties.append({"organisme": f"CPAM {self.dep_de(dep_name)}", "role": "financeur"})
        elif ctype in ("prestation", "subvention", "partenariat"):
            use_structure = structures and (ctype != "prestation" or rng.random() < 0.5 or not professionals)
            if use_structure:
                sid, rec = rng.choice(structures)
                parties.append({"structure": sid, "role": "partenaire" if ctype == "partenariat"
                                else "prestataire"})
                services += SERVICES_BY_CATEGORY.get(rec["categorie"], DEFAULT_SERVICES)
                subject = rec.get("sigle") or rec["nom"]
            elif professionals:
                pid, rec = rng.choice(professionals)
                parties.append({"professionnel": pid, "role": "prestataire"})
                services += SERVICES_BY_PROFESSION.get(rec["profession"], DEFAULT_SERVICES)
                subject = f"{rec['prenom']} {rec['nom']}"
            else:
                parties.append({"organisme": "Association partenaire", "role": "partenaire"})
                services += DEFAULT_SERVICES
                subject = "association partenaire"
        else:  # cadre
            organism = rng.choice((f"CPAM {self.dep_de(dep_name)}", "ARS"))
            parties.append({"organisme": organism, "role": "partenaire"})
            if structures and rng.random() < 0.5:
                sid, _ = rng.choice(structures)
                parties.append({"structure": sid, "role": "coordinateur"})
            services += ("coordination-parcours", "bilan-sante-entree", "soins-psychologiques")
            subject = "Santé protégée"
        services = [s for s in dict.fromkeys(services) if not self.vocab.services or s in self.vocab.services]
        titles = {
            "sante-protegee": f"Santé protégée — {subject}",
            "prestation": f"Consultations et bilans — {subject}",
            "partenariat": f"Partenariat pour le parcours des enfants protégés — {subject}",
            "subvention": f"Subvention de fonctionnement — {subject}",
            "cadre": f"Convention-cadre {subject} — {dep_name}",
        }
        objects = {
            "sante-protegee": "Participation au dispositif Santé protégée : bilans de santé à l'entrée et "
                              "bilans annuels, soins pris en charge au forfait, transmission des comptes "
                              "rendus au médecin référent.",
            "prestation": "Réalisation de consultations et de bilans pour des enfants confiés à l'aide "
                          "sociale à l'enfance, dans des délais convenus.",
            "partenariat": "Coopération entre les équipes : orientation des enfants, réunions de "
                           "concertation, information réciproque et formation des professionnels.",
            "subvention": "Soutien financier du Département au fonctionnement de la structure pour "
                          "l'accueil des enfants protégés et de leurs familles.",
            "cadre": "Cadre pluriannuel de coopération : organisation du parcours de soins coordonné des "
                     "enfants protégés, financements de droit commun, suivi annuel.",
        }
        record: dict[str, Any] = {
            "intitule": titles[ctype][:200],
            "objet": objects[ctype],
            "type": ctype,
            "parties": parties,
        }
        if services:
            record["services"] = services
        if self.vocab.territories and rng.random() < 0.3:
            record["territoires"] = sorted(rng.sample(sorted(self.vocab.territories),
                                                      min(len(self.vocab.territories), rng.randint(1, 2))))
        (amin, amax), public = rng.choice(PUBLICS)
        record["public"] = {"ages": {"min": amin, "max": amax}, "description": public}
        record["enfants_prevus"] = rng.choice((10, 15, 20, 30, 40, 60, 80, 120, 200))
        record["financements"] = self.financing(ctype, cadre_by_cpam=any(
            str(p.get("organisme", "")).startswith("CPAM") for p in parties))
        dates, renewal = self.convention_dates(status)
        if dates:
            record["dates"] = dates
        record["reconduction"] = renewal
        record["statut"] = status
        if status not in ("projet", "en-negociation") and rng.random() < 0.3:
            record["documents"] = [{"titre": "Convention signée",
                                    "url": f"https://example.org/conventions/convention-{index:05d}.pdf",
                                    "public": rng.random() < 0.5}]
        if rng.random() < 0.2:
            record["interne"] = {"notes": rng.choice((
                "Bilan annuel prévu avec les partenaires au premier trimestre.",
                "Avenant en préparation pour étendre le territoire couvert.",
                "Relancer le partenaire pour le rapport d'activité.",
                "Transmettre les factures au service financier chaque trimestre."))}
        cid = self.unique_id(slugify(f"convention {ctype} {index:05d}"))
        return cid, record

    def _sp_pool(self, professionals: list[tuple[str, dict[str, Any]]]
                 ) -> list[tuple[str, dict[str, Any]]]:
        """Professionals taking part in Santé protégée (computed once per list)."""
        if self._sp_cache is None or self._sp_cache[0] is not professionals:
            pool = [p for p in professionals if "sante_protegee" in p[1]] or professionals
            self._sp_cache = (professionals, pool)
        return self._sp_cache[1]

    @staticmethod
    def dep_de(dep_name: str) -> str:
        """"de la Manche", "du Nord", "de l'Ain", "des Yvelines"… (approximate, fictional use)."""
        plural = {"Yvelines", "Ardennes", "Landes", "Vosges", "Bouches-du-Rhône",
                  "Alpes-Maritimes", "Hautes-Alpes", "Alpes-de-Haute-Provence", "Hautes-Pyrénées",
                  "Pyrénées-Atlantiques", "Pyrénées-Orientales", "Deux-Sèvres", "Côtes-d'Armor",
                  "Hauts-de-Seine"}
        masculine = {"Nord", "Calvados", "Finistère", "Gard", "Gers", "Jura", "Lot", "Loiret",
                     "Morbihan", "Doubs", "Cher", "Cantal", "Var", "Vaucluse", "Tarn", "Rhône",
                     "Pas-de-Calais", "Puy-de-Dôme", "Haut-Rhin", "Bas-Rhin", "Val-de-Marne",
                     "Val-d'Oise", "Territoire de Belfort", "Lot-et-Garonne", "Tarn-et-Garonne",
                     "Loir-et-Cher"}
        if dep_name in plural:
            return f"des {dep_name}"
        if dep_name in masculine:
            return f"du {dep_name}"
        if dep_name[:1] in "AEIOUÉÈ":
            return f"de l'{dep_name}"
        if dep_name in ("Paris", "Mayotte") or dep_name.startswith("La "):
            return f"de {dep_name}"
        return f"de la {dep_name}"

    def financing(self, ctype: str, cadre_by_cpam: bool = True) -> list[dict[str, Any]]:
        rng = self.rng
        if ctype == "sante-protegee":
            lines = [{"financeur": "cpam", "mode": "forfait", "montant": rng.choice((240, 300, 420)),
                      "unite": "par-enfant"}]
            if rng.random() < 0.4:
                lines.append({"financeur": "departement", "mode": "acte", "montant": rng.choice((30, 46, 60)),
                              "unite": "par-acte"})
            return lines
        if ctype == "prestation":
            return [{"financeur": "departement", "mode": "acte", "montant": rng.choice((40, 55, 60, 80, 120)),
                     "unite": "par-acte"}]
        if ctype == "subvention":
            return [{"financeur": rng.choice(("departement", "departement", "ars")), "mode": "subvention",
                     "montant": rng.choice((5000, 12000, 18500, 25000, 40000)), "unite": "par-an"}]
        if ctype == "partenariat":
            if rng.random() < 0.6:
                return []
            return [{"financeur": "autre", "financeur_precision": "Caisse d'allocations familiales",
                     "mode": "subvention", "montant": rng.choice((3000, 8000)), "unite": "par-an"}]
        return [{"financeur": "cpam" if cadre_by_cpam else "ars", "mode": "forfait",
                 "montant": rng.choice((50000, 120000, 250000)), "unite": "total"}]


# ---------------------------------------------------------------------------
# Territories for a département other than the repository's
# ---------------------------------------------------------------------------


def make_territories(communes: list[Commune], dep_name: str) -> str:
    """``territoires.yaml`` text: communes grouped around their nearest main town (fictional)."""
    located = [c for c in communes if c.has_position]
    k = max(1, min(8, round(len(communes) / 60)))
    chosen: list[Commune] = []
    for min_km in (20.0, 10.0, 0.0):
        for c in sorted(located, key=lambda c: (-c.population, c.code_insee)):
            if len(chosen) >= k:
                break
            if c not in chosen and all(
                haversine_km(c.latitude, c.longitude, o.latitude, o.longitude) >= min_km for o in chosen
            ):
                chosen.append(c)
    if not chosen:
        chosen = sorted(communes, key=lambda c: (-c.population, c.code_insee))[:1]
    members: dict[str, list[Commune]] = {c.code_insee: [] for c in chosen}
    for c in communes:
        if c.has_position and chosen[0].has_position:
            best = min(chosen, key=lambda o: (haversine_km(c.latitude, c.longitude, o.latitude,
                                                           o.longitude), chosen.index(o)))
        else:
            best = chosen[0]
        members[best.code_insee].append(c)
    lines = [
        f"# Territoires FICTIFS du département {dep_name}, générés par « maillage synth » :",
        "# chaque commune est rattachée au chef-lieu le plus proche (à vol d'oiseau).",
        "titre: Territoires",
        "description: >-",
        "  Territoires d'exemple qui regroupent les communes autour des villes principales.",
        "  Découpage fictif, pour la démonstration.",
        "termes:",
    ]
    used: set[str] = set()
    for chef in chosen:
        tid = slugify(chef.nom_article) or "territoire"
        while tid in used:
            tid += "-bis"
        used.add(tid)
        lines += [f"  - id: {tid}", f"    libelle: {scalar_text('Territoire ' + of_place(chef.nom_article), 6, 80)}",
                  f'    chef_lieu: "{chef.code_insee}"', "    communes:"]
        lines += [f'      - "{c.code_insee}"  # {c.nom_article}'
                  for c in sorted(members[chef.code_insee], key=lambda c: c.code_insee)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Writing a registry
# ---------------------------------------------------------------------------

RECORD_FOLDERS = tuple(k.folder for k in KINDS)
VOCABULARY_FILES = ("professions", "categories", "specialites", "services", "territoires", "langues")


@dataclass
class SynthResult:
    out: Path
    counts: Counts
    departement: str
    seed: int
    internal: Path | None = None  # the internal registry written beside it


def _registre(dep: str, dep_name: str, n: int, seed: int, prefix: str) -> dict[str, Any]:
    return {
        "titre": f"Maillage — {dep_name} (registre fictif)",
        "description": f"Registre **fictif** de {n} fiches généré par « maillage synth » (graine {seed}) "
                       "pour les démonstrations, les tests et les mesures de performance. Aucune fiche "
                       "ne décrit une personne ou une structure réelle.",
        "fictif": True,
        "departement": {"code": dep, "nom": dep_name},
        "editeur": {"nom": f"Département {Generator.dep_de(dep_name)} (exemple fictif)",
                    "site_web": "https://maillage.example.org/", "courriel": "sante-protegee@example.org"},
        "licence": {"id": "etalab-2.0", "titre": "Licence Ouverte 2.0",
                    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"},
        "contact": {"courriel": "sante-protegee@example.org", "telephone": fiction_phone(prefix, 50),
                    "delegue_protection_donnees": "dpo@example.org"},
        "depot": {"url": "https://github.com/example/maillage", "branche": "main"},
        "seuils": {"verification_mois": 12, "echeance_jours": 90},
    }


def _territories_match(path: Path, dep: str) -> bool:
    if not path.is_file():
        return False
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    chefs = [str(t.get("chef_lieu", "")) for t in data.get("termes") or [] if isinstance(t, dict)]
    from maillage.core.gazetteer import departement_of

    try:
        return bool(chefs) and all(departement_of(code) == dep for code in chefs)
    except ValueError:
        return False


def prepare_out(out: Path, force: bool) -> None:
    """Refuse to mix a new registry with existing files, unless ``force`` (then clear them)."""
    if out.exists() and not out.is_dir():
        raise SynthError(f"« {out} » existe et n'est pas un dossier.")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise SynthError(f"Le dossier « {out} » n'est pas vide : choisissez un dossier neuf "
                             "ou ajoutez --force pour remplacer le registre qu'il contient.")
        for name in (*RECORD_FOLDERS, "vocabulaires"):
            if (out / name).is_dir():
                shutil.rmtree(out / name)
        (out / "registre.yaml").unlink(missing_ok=True)


def internal_folder(out: Path) -> Path:
    """Where ``write_registry`` writes the internal registry by default: beside ``out``, ``<out>-interne``."""
    return out.parent / f"{out.name}-interne"


def write_registry(out: Path, records: int, seed: int = 0, departement: str = "50",
                   today: date | None = None, force: bool = False,
                   vocabularies: Path | None = None, internal: Path | None = None) -> SynthResult:
    """Write a fictional registry of ``records`` records into ``out``, split like a real one: what is not
    public (internal sections, conventions not yet public, documents not public) goes to the internal
    registry ``internal`` (by default :func:`internal_folder`), see :func:`maillage.editing.border.split_record`."""
    from maillage.core import clock
    from maillage.editing.border import part_text, split_record

    dep = departement.strip().upper()
    if dep not in DEPARTEMENTS:
        raise SynthError(f"Département inconnu : « {departement} » (exemples : 50, 2A, 974).")
    if records < 0:
        raise SynthError("Le nombre de fiches doit être positif ou nul.")
    today = today or clock.today()
    source_vocab = vocabularies or repository_vocabularies()
    if not (source_vocab / "professions.yaml").is_file():
        raise SynthError(f"Vocabulaires introuvables dans « {source_vocab} ».")
    prepare_out(out, force)
    dep_name = DEPARTEMENTS[dep]
    gazetteer = Gazetteer.load()

    vocab_out = out / "vocabulaires"
    vocab_out.mkdir(parents=True, exist_ok=True)
    for name in VOCABULARY_FILES:
        src = source_vocab / f"{name}.yaml"
        if name == "territoires" and not _territories_match(src, dep):
            text = make_territories(gazetteer.in_departement(dep, arrondissements=False), dep_name)
            (vocab_out / "territoires.yaml").write_text(text, encoding="utf-8")
        elif src.is_file():
            shutil.copyfile(src, vocab_out / f"{name}.yaml")
    vocab = Vocabularies.read(vocab_out)

    rng = random.Random(f"maillage-synth:{seed}:{dep}:{records}")
    gen = Generator(rng, dep, today, vocab, gazetteer)
    counts = split_counts(records)

    professions, prof_cum = gen.profession_table()
    professionals: list[tuple[str, dict[str, Any]]] = []
    for nom, prenom, female in gen.names(counts.professionnels):
        profession = rng.choices(professions, cum_weights=prof_cum)[0]
        professionals.append(gen.professional(nom, prenom, female, profession))
    if professionals:  # the first professional is always publishable and referenceable
        professionals[0][1]["statut"] = "actif"

    categories, cat_cum = gen.category_table()
    structures: list[tuple[str, dict[str, Any]]] = []
    for _ in range(counts.structures):
        category = rng.choices(categories, cum_weights=cat_cum)[0]
        parent = None
        if structures and rng.random() < 0.15:
            parent = rng.choice(structures)[0]
        structures.append(gen.structure(category, parent=parent))
    if structures:
        structures[0][1]["statut"] = "actif"

    linkable_pros = [p for p in professionals if p[1]["statut"] in ("actif", "inactif")]
    linkable_structures = [s for s in structures if s[1]["statut"] in ("actif", "inactif")]
    conventions = [gen.convention(i + 1, linkable_pros, linkable_structures, dep_name)
                   for i in range(counts.conventions)]

    header = f"# Fiche fictive (générée par « maillage synth », graine {seed})\n"
    (out / "registre.yaml").write_text(
        dump_yaml(_registre(dep, dep_name, records, seed, gen.phone_prefix),
                  "# Registre FICTIF généré par « maillage synth ».\n"),
        encoding="utf-8")
    inner = internal if internal is not None else internal_folder(out)
    if inner.is_dir() and force:
        for name in RECORD_FOLDERS:
            shutil.rmtree(inner / name, ignore_errors=True)
    inner.mkdir(parents=True, exist_ok=True)
    for folder, kind, items in zip(RECORD_FOLDERS, ("professionnel", "structure", "convention"),
                                   (professionals, structures, conventions), strict=True):
        target = out / folder
        target.mkdir(exist_ok=True)
        for rid, record in sorted(items, key=lambda item: item[0]):
            public, internal_data = split_record(kind, record)
            if public is not None:
                (target / f"{rid}.yaml").write_text(record_text(kind, public, header), encoding="utf-8")
            if internal_data is not None:
                (inner / folder).mkdir(parents=True, exist_ok=True)
                text = (record_text(kind, internal_data, header) if public is None
                        else part_text(kind, internal_data["interne"]))
                (inner / folder / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return SynthResult(out, counts, dep, seed, inner)


def iter_record_files(root: Path) -> Iterable[Path]:
    """Every record file of a registry, in a stable order."""
    for folder in RECORD_FOLDERS:
        yield from sorted((root / folder).glob("*.yaml"))
