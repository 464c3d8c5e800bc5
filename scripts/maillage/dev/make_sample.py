"""Write the fictional sample registries of the repository (Manche, département 50).

Usage::

    python -m maillage.dev.make_sample [--registry registry] [--internal examples/internal-registry] [--clean]

Two registries: the public one (``registry/``) and the example internal one
(``examples/internal-registry/``). The sample is generated whole, then split exactly as
``maillage internal extract`` splits a registry (:func:`maillage.editing.border.extract`):
internal sections, conventions not yet public and documents not public go to the internal
registry.

The sample is what a département's registry looks like after a year of use: about 130
professionals across some twenty professions and fifty communes, the services of the
territory (hospitals and their paediatric services, sectorised CMPs whose sectors
together cover every commune, CMPPs, PMI centres under the departmental PMI service,
CAMSP, PCO TND, medico-social services, adolescents' services, health centres) and the
conventions that bind them, in every status, type and financing mode.

Everything is invented: names come from curated lists, street addresses are made up
(the communes are real, with their postal and INSEE codes), phone numbers lie in the
ARCEP fiction range ``02 61 91 xx xx``, e-mail and web addresses use ``example.org``,
RPPS/FINESS/SIRET numbers use the fictional prefixes of :mod:`maillage.identifiers`.

The output is a pure function of this file: dates are absolute, chosen against the
reference day 2026-11-22 (no status/date warning on that day, several conventions
reaching their end or notice date within 90 days of it). Records reuse the synthetic
generator (:mod:`maillage.synth`) for professionals, and curated tables below for
structures and conventions. Only the three record folders are written; ``registre.yaml``
and the vocabularies are left alone (and the internal registry's README and workflow).
``--clean`` removes record files that the generator did not write.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from maillage.core.gazetteer import Commune, Gazetteer, haversine_km
from maillage.core.kinds import KINDS
from maillage.dev.synth import CATEGORIES, Generator, Vocabularies
from maillage.editing.canonical import record_text
from maillage.validation import identifiers

REFERENCE_DAY = date(2026, 11, 22)
DEPARTEMENT = "50"
SEED = "maillage-sample-manche"
HEADER = "# Fiche fictive (exemple)"  # after the modeline (canonical form)
FOLDERS = {k.name: k.folder for k in KINDS}
CPAM = "CPAM de la Manche"
ARS = "ARS Normandie"

# Communes where the sample's professionals practise: the towns of the Manche and a
# selection of market towns (INSEE codes), biggest first.
TOWNS = (
    "50129", "50502", "50218", "50041", "50025", "50099", "50147", "50615", "50082", "50484",
    "50487", "50601", "50410", "50002", "50532", "50139", "50236", "50639", "50076", "50550",
    "50546", "50215", "50402", "50400", "50419", "50256", "50165", "50582", "50523", "50359",
    "50003", "50565", "50168", "50292", "50391", "50393", "50412", "50492", "50444", "50066",
    "50394", "50267", "50592", "50031", "50074", "50539", "50353", "50562", "50360", "50115",
)
BIG_TOWNS = ("50129", "50502", "50218", "50025", "50147", "50615")
SPECIALISTS = frozenset({"pedopsychiatre", "psychiatre", "neuropediatre", "ophtalmologue", "orl",
                         "medecin-mpr", "medecin-legiste", "gynecologue"})

# How many professionals of each profession (130 in all).
PROFESSION_PLAN = (
    ("medecin-generaliste", 24), ("orthophoniste", 20), ("psychologue", 20),
    ("psychomotricien", 10), ("pediatre", 8), ("ergotherapeute", 6),
    ("masseur-kinesitherapeute", 6), ("dentiste", 6), ("sage-femme", 5), ("pedopsychiatre", 4),
    ("orthoptiste", 4), ("infirmier-puericulteur", 3), ("infirmier", 2), ("ophtalmologue", 2),
    ("dieteticien", 2), ("osteopathe", 2), ("psychiatre", 1), ("neuropediatre", 1), ("orl", 1),
    ("medecin-mpr", 1), ("gynecologue", 1), ("medecin-legiste", 1),
)

# The record the documentation uses as its example (docs, issue forms): kept as is.
LEFEVRE_CLAIRE: dict[str, Any] = {
    "nom": "Lefèvre",
    "prenom": "Claire",
    "profession": "orthophoniste",
    "specialites": ["langage-oral", "troubles-des-apprentissages"],
    "rpps": identifiers.fictional_rpps(1),
    "lieux": [{
        "nom": "Cabinet des Halles",
        "adresse": "12 rue des Halles",
        "code_postal": "50200",
        "commune": "Coutances",
        "code_insee": "50147",
        "telephone": "02 61 91 12 34",
        "courriel": "cabinet-halles@example.org",
        "horaires": "Mo-Fr 09:00-12:00,14:00-18:30",
        "accessible_pmr": True,
    }],
    "ages": {"min": 2, "max": 16},
    "modalites": ["cabinet", "domicile"],
    "langues": ["fr", "en"],
    "conventionnement": {"secteur": "secteur-1", "tiers_payant": True},
    "nouveaux_patients": {"accepte": "liste-attente", "delai_semaines": 8, "date_information": "2026-10-01"},
    "temporaire": [{"du": "2026-12-22", "au": "2027-01-02",
                    "message": "Cabinet fermé pour les fêtes ; pour une urgence, appelez le 15."}],
    "description": "Bilans et rééducation du langage oral et écrit, de 2 à 16 ans.",
    "statut": "actif",
    "verifie_le": "2026-10-01",
    "source": "Déclaration du professionnel",
    "interne": {"telephone": "02 61 91 12 39", "notes": "Préfère les messages par la messagerie sécurisée."},
}

Record = dict[str, Any]


@dataclass
class Sample:
    """The records being built, by kind and id."""

    gen: Generator
    gazetteer: Gazetteer
    territories: dict[str, list[str]]
    professionals: dict[str, Record] = field(default_factory=dict)
    structures: dict[str, Record] = field(default_factory=dict)
    conventions: dict[str, Record] = field(default_factory=dict)
    finess_counter: int = 0
    siret_counter: int = 0
    note_counters: dict[str, int] = field(default_factory=dict)

    def commune(self, insee: str) -> Commune:
        found = self.gazetteer.commune(insee)
        if found is None or found.departement != DEPARTEMENT:
            raise SystemExit(f"commune inconnue dans la Manche : {insee}")
        return found

    # -- professionals -----------------------------------------------------------------

    def nearest(self, profession: str, near: str, count: int, *, exclude: set[str] | None = None,
                role: str | None = None) -> list[str]:
        """Ids of active professionals of ``profession``, nearest to commune ``near`` first."""
        centre = self.commune(near)
        candidates = []
        for pid, rec in self.professionals.items():
            if rec["profession"] != profession or rec["statut"] != "actif" or pid in (exclude or set()):
                continue
            if role and (rec.get("sante_protegee") or {}).get("role") != role:
                continue
            c = self.commune(rec["lieux"][0]["code_insee"])
            candidates.append((haversine_km(centre.latitude, centre.longitude, c.latitude, c.longitude),
                               pid))
        candidates.sort()
        if len(candidates) < count:
            raise SystemExit(f"pas assez de {profession} près de {near}")
        return [pid for _, pid in candidates[:count]]

    def enrol(self, pid: str, since: str, trained: str) -> None:
        """Make a professional take part in Santé protégée with the role of their profession."""
        rec = self.professionals[pid]
        roles = self.gen.vocab.professions[rec["profession"]].get("sante_protegee") or ["coordination"]
        block = {"role": roles[0], "depuis": since, "formation_le": trained}
        ordered: Record = {}
        for key, value in rec.items():
            if key == "nouveaux_patients" and "sante_protegee" not in rec:
                ordered["sante_protegee"] = block
            ordered[key] = value
        ordered["sante_protegee"] = block
        rec.clear()
        rec.update(_in_schema_order(ordered, PROFESSIONNEL_ORDER))

    # -- structures ------------------------------------------------------------------

    def note_index(self, category: str) -> int:
        """Next sentence of ``TEAM_NOTES[category]`` (round robin), for varied descriptions."""
        index = self.note_counters.get(category, 0)
        self.note_counters[category] = index + 1
        return index % len(TEAM_NOTES[category])

    def finess(self) -> str:
        self.finess_counter += 1
        return identifiers.fictional_finess(DEPARTEMENT, self.finess_counter)

    def siret(self) -> str:
        self.siret_counter += 1
        return identifiers.fictional_siret(self.siret_counter)


PROFESSIONNEL_ORDER = ("nom", "prenom", "profession", "specialites", "rpps", "lieux", "ages", "modalites",
                       "langues", "conventionnement", "sante_protegee", "nouveaux_patients", "temporaire",
                       "description", "site_web", "statut", "verifie_le", "source", "interne")
STRUCTURE_ORDER = ("nom", "sigle", "categorie", "finess", "siret", "gestionnaire", "structure_parente",
                   "description", "site_web", "lieux", "secteur", "ages", "conditions_acces", "orientation",
                   "admission", "delai_attente", "frais", "temporaire", "statut", "verifie_le", "source",
                   "interne")


def _in_schema_order(record: Record, order: tuple[str, ...]) -> Record:
    return {key: record[key] for key in order if key in record}


# ---------------------------------------------------------------------------
# Professionals
# ---------------------------------------------------------------------------


def build_professionals(sample: Sample) -> None:
    gen = sample.gen
    gen.rpps_counter = 100  # 1 to 100 are kept for hand-written records (lefevre-claire: 1)
    gen.ids.add("lefevre-claire")
    sample.professionals["lefevre-claire"] = dict(LEFEVRE_CLAIRE)
    total = sum(n for _, n in PROFESSION_PLAN)
    names = [n for n in gen.names(total + 5) if (n[0], n[1]) != ("Lefèvre", "Claire")]
    rng = gen.rng
    # Every town once, the biggest ones several times (Cherbourg has a quarter of the people).
    cycle = [*TOWNS, *["50129"] * 6, *["50502"] * 3, *BIG_TOWNS[2:]]
    rng.shuffle(cycle)
    position = 0
    big = 0
    planned = [p for p, n in PROFESSION_PLAN for _ in range(n)]
    planned.remove("orthophoniste")  # lefevre-claire is one of them
    for index, profession in enumerate(planned):
        nom, prenom, female = names[index]
        if profession in SPECIALISTS:
            insee = BIG_TOWNS[big % len(BIG_TOWNS)]
            big += 1
        else:
            insee = cycle[position % len(cycle)]
            position += 1
        pid, rec = gen.professional(nom, prenom, female, profession, sample.commune(insee))
        rec["statut"] = "actif"
        if rng.random() < 0.5:  # fewer personal web sites than the synthetic default
            rec.pop("site_web", None)
        sample.professionals[pid] = rec
    # A few records in the other statuses, as a real registry has them.
    by_profession: dict[str, list[str]] = {}
    for pid, rec in sorted(sample.professionals.items()):
        by_profession.setdefault(rec["profession"], []).append(pid)
    for status, profession, rank in (("inactif", "masseur-kinesitherapeute", 1),
                                     ("inactif", "medecin-generaliste", 5),
                                     ("cesse", "medecin-generaliste", 9),
                                     ("retire", "osteopathe", 1)):
        rec = sample.professionals[by_profession[profession][rank]]
        rec["statut"] = status
        rec.pop("sante_protegee", None)
        if "nouveaux_patients" in rec:  # someone who receives nobody for now takes nobody new
            rec["nouveaux_patients"] = {**rec["nouveaux_patients"], "accepte": "non"}
            rec["nouveaux_patients"].pop("delai_semaines", None)
    # Enough Santé protégée participants for the network to be useful.
    for profession, near, count in (("medecin-generaliste", "50502", 3), ("medecin-generaliste", "50129", 3),
                                    ("medecin-generaliste", "50025", 2), ("pediatre", "50218", 2),
                                    ("psychologue", "50147", 3), ("psychologue", "50129", 2),
                                    ("psychomotricien", "50502", 2), ("ergotherapeute", "50025", 2)):
        for pid in sample.nearest(profession, near, count):
            if "sante_protegee" not in sample.professionals[pid]:
                sample.enrol(pid, "2025-09-01", "2025-06-12")


# ---------------------------------------------------------------------------
# Structures
# ---------------------------------------------------------------------------

HOSPITAL_BOCAGE = "Centre hospitalier du Bocage"
HOSPITAL_CAPS = "Centre hospitalier des Caps"
HOSPITAL_BAIE = "Centre hospitalier de la Baie"
EPSM = "Établissement public de santé mentale du Littoral"
POMMIERS = "Association Les Pommiers"
GRAIN_DORGE = "Association Grain d'Orge"
BOUSSOLE = "Association La Boussole"
DEPARTEMENT_MANAGER = "Département de la Manche, direction de l'enfance et de la famille"


# Second sentences that tell services of the same category apart.
TEAM_NOTES: dict[str, tuple[str, ...]] = {
    "cmp": (
        "Consultations le samedi matin, une semaine sur deux, pour les familles qui travaillent.",
        "Groupes thérapeutiques le mercredi pour les 6-10 ans ; consultations familiales.",
        "Accueil des adolescents le mardi en fin de journée, sans présence des parents si besoin.",
        "Consultations de périnatalité et de guidance parentale pour les moins de 3 ans.",
        "Équipe réduite cette année : les premiers rendez-vous sont donnés par ordre de priorité.",
        "Partenariat étroit avec les écoles du secteur et les centres de PMI.",
        "Atelier conte et groupe d'habiletés sociales pour les enfants suivis.",
        "Une psychologue assure une permanence hebdomadaire au foyer de l'enfance.",
    ),
    "pmi": (
        "Consultations de nourrissons le lundi et le jeudi, permanence de puéricultrice sans "
        "rendez-vous le mardi matin.",
        "Bilans de santé des enfants de 3-4 ans dans les écoles maternelles du secteur.",
        "Consultations de sage-femme et entretiens prénataux précoces.",
        "Visites à domicile après la naissance et soutien à l'allaitement.",
        "Accueil des assistants maternels et familiaux du secteur pour les questions de santé.",
        "Consultations avancées dans les mairies des communes rurales, un mercredi sur deux.",
        "Ateliers collectifs « premiers pas » et massage bébé.",
    ),
    "cmpp": (
        "Prise en charge des troubles des apprentissages en lien avec les enseignants.",
        "Groupes de langage pour les enfants de maternelle.",
        "Consultations familiales et thérapies de groupe pour les adolescents.",
    ),
    "maison-de-sante": (
        "Deux médecins sont médecins référents Santé protégée ; consultations pédiatriques "
        "avancées un jeudi par mois.",
        "Infirmière de coordination joignable pour organiser les bilans des enfants confiés.",
        "Sage-femme et orthophoniste sur place ; créneaux réservés aux soins non programmés.",
        "Permanence de la PMI dans les locaux le premier vendredi du mois.",
    ),
}


@dataclass
class StructureSpec:
    sid: str
    category: str
    insee: str
    nom: str
    sigle: str = ""
    parent: str = ""
    gestionnaire: str = ""
    description: str = ""
    secteur: Record | None = None
    conditions: str = ""
    procedure: str = ""
    documents: tuple[str, ...] | None = None
    orientation: Record | None = None
    frais: Record | None = None
    delai: int | None = None
    ages: tuple[int, int] | None = None
    hours: str = ""
    extra_places: tuple[tuple[str, str, str], ...] = ()  # (name, insee, hours)
    place_name: str = ""
    finess: bool = True
    siret: bool = False
    site: bool = True
    interne: Record | None = None
    verified: str = "2026-09-15"
    source: str = "Site de la structure"


def _sector_split(sample: Sample, territory: str, centres: tuple[str, ...]) -> dict[str, list[str]]:
    """Communes of ``territory`` given to the nearest of ``centres`` (INSEE codes)."""
    out: dict[str, list[str]] = {c: [] for c in centres}
    points = [sample.commune(c) for c in centres]
    for code in sample.territories[territory]:
        c = sample.commune(code)
        best = min(range(len(points)), key=lambda i: (haversine_km(c.latitude, c.longitude,
                                                                   points[i].latitude, points[i].longitude), i))
        out[centres[best]].append(code)
    return {k: sorted(v) for k, v in out.items()}


def structure_specs(sample: Sample) -> list[StructureSpec]:
    split = _sector_split(sample, "saint-lois", ("50502", "50099"))
    cmp_docs = ("Carnet de santé", "Carte Vitale ou attestation de droits",
                "Courrier du médecin traitant (souhaité)")
    return [
        # --- Hospitals and their paediatric services -------------------------------------
        StructureSpec("ch-bocage-saint-lo", "centre-hospitalier", "50502", HOSPITAL_BOCAGE, "CH du Bocage",
                      gestionnaire=HOSPITAL_BOCAGE, siret=True,
                      description="Établissement de référence du centre Manche : urgences, maternité de "
                                  "niveau 2, pédiatrie, consultations spécialisées et unité d'accueil "
                                  "pédiatrique enfants en danger.",
                      source="Répertoire FINESS et site de l'établissement"),
        StructureSpec("pediatrie-saint-lo", "service-pediatrie", "50502", "Service de pédiatrie du Centre "
                      "hospitalier du Bocage", parent="ch-bocage-saint-lo", gestionnaire=HOSPITAL_BOCAGE,
                      finess=False, delai=6,
                      description="Hospitalisation pédiatrique, hôpital de jour et consultations "
                                  "spécialisées (endocrinologie, asthme, troubles des apprentissages). "
                                  "Téléexpertise pour les médecins référents Santé protégée.",
                      interne={"telephone": "02 61 91 20 11", "contact": "Mme Hamel, cadre de santé",
                               "notes": "Ligne directe de l'interne de garde de pédiatrie pour les avis "
                                        "urgents des médecins de PMI."}),
        StructureSpec("urgences-pediatriques-saint-lo", "urgences-pediatriques", "50502",
                      "Urgences pédiatriques du Centre hospitalier du Bocage", parent="ch-bocage-saint-lo",
                      gestionnaire=HOSPITAL_BOCAGE, finess=False, hours="24/7"),
        StructureSpec("uaped-saint-lo", "unite-accueil-pediatrique-enfants-en-danger", "50502",
                      "Unité d'accueil pédiatrique enfants en danger du centre Manche", "UAPED",
                      parent="pediatrie-saint-lo", gestionnaire=HOSPITAL_BOCAGE, finess=False,
                      place_name="Salle d'audition adaptée, service de pédiatrie",
                      description="Accueil des enfants victimes de violences dans un lieu adapté : examen "
                                  "médical, audition filmée sur réquisition, premiers soins psychologiques "
                                  "et orientation.",
                      interne={"telephone": "02 61 91 20 17",
                               "notes": "Prévenir le pédiatre référent avant toute audition programmée."}),
        StructureSpec("ch-caps-cherbourg", "centre-hospitalier", "50129", HOSPITAL_CAPS, "CH des Caps",
                      gestionnaire=HOSPITAL_CAPS, siret=True,
                      description="Hôpital du nord Cotentin : urgences, maternité, pédiatrie et "
                                  "néonatalogie, consultations avancées à Valognes.",
                      source="Répertoire FINESS et site de l'établissement"),
        StructureSpec("pediatrie-cherbourg", "service-pediatrie", "50129", "Service de pédiatrie et "
                      "néonatalogie du Centre hospitalier des Caps", parent="ch-caps-cherbourg",
                      gestionnaire=HOSPITAL_CAPS, finess=False, delai=8,
                      extra_places=(("Consultations avancées de Valognes", "50615", "We 09:00-12:30"),)),
        StructureSpec("urgences-pediatriques-cherbourg", "urgences-pediatriques", "50129",
                      "Urgences pédiatriques du Centre hospitalier des Caps", parent="ch-caps-cherbourg",
                      gestionnaire=HOSPITAL_CAPS, finess=False, hours="24/7"),
        StructureSpec("ch-baie-avranches", "centre-hospitalier", "50025", HOSPITAL_BAIE, "CH de la Baie",
                      gestionnaire=HOSPITAL_BAIE, siret=True,
                      description="Hôpital du sud Manche sur deux sites, Avranches et Granville : urgences, "
                                  "pédiatrie, maternité.",
                      extra_places=(("Site de Granville", "50218", "24/7"),),
                      source="Répertoire FINESS et site de l'établissement"),
        StructureSpec("pediatrie-avranches", "service-pediatrie", "50025", "Service de pédiatrie du Centre "
                      "hospitalier de la Baie", parent="ch-baie-avranches", gestionnaire=HOSPITAL_BAIE,
                      finess=False, delai=5),
        # --- Child psychiatry: one pole, eight sectorised CMPs --------------------------------
        StructureSpec("epsm-littoral", "centre-hospitalier", "50502", EPSM, "EPSM du Littoral",
                      gestionnaire=EPSM, siret=True,
                      description="Établissement public de santé mentale : psychiatrie adulte et "
                                  "psychiatrie de l'enfant et de l'adolescent pour tout le département.",
                      source="Répertoire FINESS et site de l'établissement"),
        StructureSpec("pole-pedopsychiatrie", "service-pedopsychiatrie", "50502",
                      "Pôle de psychiatrie de l'enfant et de l'adolescent", "Pôle PEA", parent="epsm-littoral",
                      gestionnaire=EPSM, finess=False, secteur={"departement_entier": True},
                      description="Unité d'hospitalisation pour adolescents (12 lits), équipe mobile de "
                                  "crise et coordination des CMP infanto-juvéniles du département.",
                      interne={"telephone": "02 61 91 30 02", "contact": "Secrétariat du chef de pôle",
                               "notes": "Réunion trimestrielle avec l'ASE sur les situations complexes."}),
        StructureSpec("cmp-cherbourg", "cmp", "50129", "Centre médico-psychologique infanto-juvénile de "
                      "Cherbourg", "CMP-IJ Cherbourg", parent="pole-pedopsychiatrie", gestionnaire=EPSM,
                      secteur={"territoires": ["cotentin-nord"]}, delai=20, documents=cmp_docs,
                      interne={"telephone": "02 61 91 31 10", "contact": "Mme Lemonnier, infirmière d'accueil"}),
        StructureSpec("cmp-valognes", "cmp", "50615", "Centre médico-psychologique infanto-juvénile de "
                      "Valognes", "CMP-IJ Valognes", parent="pole-pedopsychiatrie", gestionnaire=EPSM,
                      secteur={"territoires": ["cotentin-centre"]}, delai=12, documents=cmp_docs,
                      extra_places=(("Permanence de Sainte-Mère-Église", "50523", "Tu 09:00-17:00"),)),
        StructureSpec("cmp-saint-lo", "cmp", "50502", "Centre médico-psychologique infanto-juvénile de "
                      "Saint-Lô", "CMP-IJ Saint-Lô", parent="pole-pedopsychiatrie", gestionnaire=EPSM,
                      secteur={"communes": split["50502"]}, delai=26, documents=cmp_docs,
                      interne={"notes": "Délais plus courts pour les enfants confiés : appeler l'infirmière "
                                        "coordinatrice."}),
        StructureSpec("cmp-carentan", "cmp", "50099", "Centre médico-psychologique infanto-juvénile de "
                      "Carentan-les-Marais", "CMP-IJ Carentan", parent="pole-pedopsychiatrie",
                      gestionnaire=EPSM, secteur={"communes": split["50099"]}, delai=10, documents=cmp_docs),
        StructureSpec("cmp-coutances", "cmp", "50147", "Centre médico-psychologique infanto-juvénile de "
                      "Coutances", "CMP-IJ Coutances", parent="pole-pedopsychiatrie", gestionnaire=EPSM,
                      secteur={"territoires": ["coutancais"]}, delai=16, documents=cmp_docs),
        StructureSpec("cmp-granville", "cmp", "50218", "Centre médico-psychologique infanto-juvénile de "
                      "Granville", "CMP-IJ Granville", parent="pole-pedopsychiatrie", gestionnaire=EPSM,
                      secteur={"territoires": ["granvillais"]}, delai=18, documents=cmp_docs),
        StructureSpec("cmp-avranches", "cmp", "50025", "Centre médico-psychologique infanto-juvénile "
                      "d'Avranches", "CMP-IJ Avranches", parent="pole-pedopsychiatrie", gestionnaire=EPSM,
                      secteur={"territoires": ["avranchin"]}, delai=22, documents=cmp_docs,
                      extra_places=(("Antenne de Villedieu-les-Poêles", "50639", "Th 09:00-17:00"),)),
        StructureSpec("cmp-saint-hilaire", "cmp", "50484", "Centre médico-psychologique infanto-juvénile "
                      "de Saint-Hilaire-du-Harcouët", "CMP-IJ Saint-Hilaire", parent="pole-pedopsychiatrie",
                      gestionnaire=EPSM, secteur={"territoires": ["sud-manche"]}, delai=14, documents=cmp_docs,
                      extra_places=(("Antenne de Mortain", "50359", "Mo,Th 09:00-17:00"),)),
        StructureSpec("cattp-saint-lo", "cattp", "50502", "CATTP Les Hirondelles", "CATTP Saint-Lô",
                      parent="cmp-saint-lo", gestionnaire=EPSM,
                      secteur={"territoires": ["saint-lois", "coutancais"]}, delai=8),
        StructureSpec("hdj-cherbourg", "hopital-de-jour", "50129", "Hôpital de jour pour enfants Le Phare",
                      "HDJ Le Phare", parent="pole-pedopsychiatrie", gestionnaire=EPSM,
                      secteur={"territoires": ["cotentin-nord", "cotentin-centre"]}, delai=24,
                      ages=(3, 12)),
        # --- CMPP ----------------------------------------------------------------------------
        StructureSpec("cmpp-cherbourg", "cmpp", "50129", "Centre médico-psycho-pédagogique du Cotentin",
                      "CMPP du Cotentin", gestionnaire=POMMIERS, siret=True, delai=30,
                      secteur={"territoires": ["cotentin-nord", "cotentin-centre"]}),
        StructureSpec("cmpp-saint-lo", "cmpp", "50502", "Centre médico-psycho-pédagogique du centre Manche",
                      "CMPP Centre-Manche", gestionnaire=POMMIERS, siret=True, delai=36,
                      secteur={"territoires": ["saint-lois", "coutancais"]},
                      extra_places=(("Antenne de Coutances", "50147", "Mo,We 09:00-18:00"),)),
        StructureSpec("cmpp-avranches", "cmpp", "50025", "Centre médico-psycho-pédagogique du sud Manche",
                      "CMPP Sud-Manche", gestionnaire=POMMIERS, siret=True, delai=40,
                      secteur={"territoires": ["avranchin", "granvillais", "sud-manche"]},
                      interne={"notes": "Liste d'attente gérée par ordre d'arrivée ; signaler les enfants "
                                        "confiés, qui sont vus en priorité."}),
        # --- PMI: the departmental service and its centres --------------------------------
        StructureSpec("pmi-departement", "pmi", "50502", "Service départemental de protection maternelle "
                      "et infantile", "PMI Manche", gestionnaire=DEPARTEMENT_MANAGER,
                      secteur={"departement_entier": True}, finess=False,
                      description="Direction du service de PMI : médecins et puéricultrices de "
                                  "territoire, agrément des assistants maternels, bilans de santé en école "
                                  "maternelle, centres de santé sexuelle.",
                      conditions="Pour les professionnels : orientation vers le centre de PMI du secteur.",
                      interne={"telephone": "02 61 91 40 00", "courriel": "pmi-direction@example.org",
                               "contact": "Dr Vautier, médecin départemental de PMI"}),
        *[StructureSpec(f"pmi-{slug}", "pmi", insee, f"Centre de protection maternelle et infantile {of}",
                        f"PMI {short}", parent="pmi-departement", gestionnaire=DEPARTEMENT_MANAGER,
                        secteur={"territoires": [territory]}, delai=delay, finess=False, site=False)
          for slug, insee, of, short, territory, delay in (
              ("cherbourg", "50129", "de Cherbourg", "Cherbourg", "cotentin-nord", 3),
              ("valognes", "50615", "de Valognes", "Valognes", "cotentin-centre", 2),
              ("saint-lo", "50502", "de Saint-Lô", "Saint-Lô", "saint-lois", 2),
              ("coutances", "50147", "de Coutances", "Coutances", "coutancais", 2),
              ("granville", "50218", "de Granville", "Granville", "granvillais", 1),
              ("avranches", "50025", "d'Avranches", "Avranches", "avranchin", 2),
              ("saint-hilaire", "50484", "de Saint-Hilaire-du-Harcouët", "Saint-Hilaire", "sud-manche", 3),
          )],
        # --- Early intervention and neurodevelopment ---------------------------------------
        StructureSpec("camsp-saint-lo", "camsp", "50502", "Centre d'action médico-sociale précoce du "
                      "centre et du sud Manche", "CAMSP Saint-Lô", gestionnaire=POMMIERS, siret=True, delai=26,
                      extra_places=(("Antenne d'Avranches", "50025", "Tu,Th 09:00-17:00"),)),
        StructureSpec("camsp-cherbourg", "camsp", "50129", "Centre d'action médico-sociale précoce du "
                      "Cotentin", "CAMSP Cotentin", gestionnaire=POMMIERS, siret=True, delai=30),
        StructureSpec("pco-tnd-manche", "pco-tnd", "50502", "Plateforme de coordination et d'orientation "
                      "TND de la Manche", "PCO TND 50", parent="camsp-saint-lo", gestionnaire=POMMIERS,
                      finess=False, delai=6,
                      description="Coordonne le parcours diagnostique des enfants de 0 à 12 ans présentant "
                                  "des signes d'alerte de trouble du neurodéveloppement et finance les "
                                  "bilans et séances du forfait précoce chez des libéraux conventionnés.",
                      interne={"courriel": "pco-coordination@example.org",
                               "contact": "Mme Pinel, coordinatrice"}),
        # --- Medico-social services (MDPH orientation) -------------------------------------
        StructureSpec("sessad-coutances", "sessad", "50147", "SESSAD Les Mouettes", "SESSAD Coutances",
                      gestionnaire=GRAIN_DORGE, siret=True, delai=52, ages=(3, 20)),
        StructureSpec("sessad-cherbourg", "sessad", "50129", "SESSAD du Cotentin", "SESSAD Cotentin",
                      gestionnaire=GRAIN_DORGE, delai=60, ages=(0, 20)),
        StructureSpec("ime-granville", "ime", "50218", "Institut médico-éducatif Le Roc", "IME Le Roc",
                      gestionnaire=GRAIN_DORGE, siret=True, delai=78, ages=(6, 20)),
        StructureSpec("ditep-saint-lo", "itep", "50502", "Dispositif intégré thérapeutique, éducatif et "
                      "pédagogique du Bocage", "DITEP du Bocage", gestionnaire=GRAIN_DORGE, delai=40),
        StructureSpec("mdph-manche", "mdph", "50502", "Maison départementale des personnes handicapées de "
                      "la Manche", "MDPH", gestionnaire=DEPARTEMENT_MANAGER, site=True,
                      description="Information des familles, instruction des demandes (AEEH, orientation "
                                  "en SESSAD ou IME, aide humaine à l'école) et suivi des décisions de la "
                                  "CDAPH.", hours="Mo-Fr 09:00-12:30,13:30-17:00; PH off"),
        # --- Adolescents ----------------------------------------------------------------------
        StructureSpec("mda-saint-lo", "maison-des-adolescents", "50502", "Maison des adolescents de la "
                      "Manche", "MDA 50", gestionnaire=BOUSSOLE, siret=True, delai=2,
                      interne={"telephone": "02 61 91 50 05",
                               "notes": "Accueil possible des jeunes confiés sans rendez-vous le mercredi."}),
        StructureSpec("mda-cherbourg", "maison-des-adolescents", "50129", "Maison des adolescents, antenne "
                      "du Cotentin", "MDA Cotentin", parent="mda-saint-lo", gestionnaire=BOUSSOLE,
                      finess=False, delai=3),
        StructureSpec("paej-granville", "point-accueil-ecoute-jeunes", "50218", "Point accueil écoute "
                      "jeunes de Granville", "PAEJ Granville", gestionnaire=BOUSSOLE, finess=False, delai=1),
        StructureSpec("cjc-cherbourg", "csapa", "50129", "Consultation jeunes consommateurs du Cotentin",
                      "CJC Cotentin", gestionnaire="Association Entraide et Avenir", delai=2),
        StructureSpec("css-saint-lo", "centre-planification", "50502", "Centre de santé sexuelle de "
                      "Saint-Lô", "CSS Saint-Lô", parent="pmi-departement", gestionnaire=DEPARTEMENT_MANAGER,
                      delai=1, ages=(12, 25)),
        StructureSpec("css-avranches", "centre-planification", "50025", "Centre de santé sexuelle "
                      "d'Avranches", "CSS Avranches", parent="pmi-departement",
                      gestionnaire=DEPARTEMENT_MANAGER, delai=2, ages=(12, 25)),
        StructureSpec("vaccination-saint-lo", "centre-vaccination", "50502", "Centre de vaccination "
                      "départemental", "", gestionnaire=DEPARTEMENT_MANAGER, delai=2,
                      extra_places=(("Permanence de Cherbourg", "50129", "We 13:30-17:00"),)),
        StructureSpec("sante-scolaire-manche", "sante-scolaire", "50502", "Service de santé scolaire de la "
                      "Manche", "", gestionnaire="Direction des services départementaux de l'Éducation "
                      "nationale de la Manche", secteur={"departement_entier": True}, finess=False),
        # --- First-line care and coordination ----------------------------------------------
        StructureSpec("msp-percy", "maison-de-sante", "50393", "Maison de santé pluriprofessionnelle de "
                      "Percy-en-Normandie", "MSP Percy", gestionnaire="SISA Pôle santé de Percy", delai=3),
        StructureSpec("msp-les-pieux", "maison-de-sante", "50402", "Maison de santé pluriprofessionnelle "
                      "des Pieux", "MSP Les Pieux", gestionnaire="SISA Santé de la Côte", delai=2),
        StructureSpec("msp-sourdeval", "maison-de-sante", "50582", "Maison de santé pluriprofessionnelle "
                      "de Sourdeval", "MSP Sourdeval", gestionnaire="SISA Mortainais Santé", delai=4),
        StructureSpec("msp-lessay", "maison-de-sante", "50267", "Maison de santé pluriprofessionnelle de "
                      "Lessay", "MSP Lessay", gestionnaire="SISA Lessay Santé", delai=2),
        StructureSpec("cds-carentan", "centre-de-sante", "50099", "Centre de santé intercommunal de "
                      "Carentan-les-Marais", "CDS Carentan", gestionnaire="Communauté de communes de la "
                      "Baie du Cotentin", siret=True, delai=3),
        StructureSpec("cpts-centre-manche", "cpts", "50502", "Communauté professionnelle territoriale de "
                      "santé du centre Manche", "CPTS Centre-Manche", gestionnaire="Association CPTS "
                      "Centre-Manche", secteur={"territoires": ["saint-lois"]}, finess=False),
        StructureSpec("dac-manche", "dac", "50502", "Dispositif d'appui à la coordination de la Manche",
                      "DAC 50", gestionnaire="Association Appui Santé Manche", siret=True, delai=1),
    ]


def build_structure(sample: Sample, spec: StructureSpec) -> Record:
    gen = sample.gen
    rng = gen.rng
    profile = CATEGORIES[spec.category]
    term = gen.vocab.categories[spec.category]
    record: Record = {"nom": spec.nom}
    if spec.sigle:
        record["sigle"] = spec.sigle
    record["categorie"] = spec.category
    if spec.finess and term.get("code_finess"):
        record["finess"] = sample.finess()
    if spec.siret:
        record["siret"] = sample.siret()
    manager: Record = {"nom": spec.gestionnaire or profile.managers}
    if spec.category == "centre-hospitalier" or spec.siret:
        manager["siret"] = sample.siret()
    record["gestionnaire"] = manager
    if spec.parent:
        record["structure_parente"] = spec.parent
    record["description"] = spec.description or " ".join(
        (rng.choice(profile.descriptions), *([TEAM_NOTES[spec.category][sample.note_index(spec.category)]]
                                             if spec.category in TEAM_NOTES else ())))
    if spec.site:
        record["site_web"] = f"https://example.org/{spec.sid}"
    places = [(spec.place_name, spec.insee, spec.hours or rng.choice(profile.hours))]
    places += list(spec.extra_places)
    lieux = []
    for index, (name, insee, hours) in enumerate(places):
        commune = sample.commune(insee)
        lieu: Record = {}
        if name:
            lieu["nom"] = name
        lieu["adresse"] = gen.address()
        lieu["code_postal"] = commune.codes_postaux[0]
        lieu["commune"] = commune.nom_article
        lieu["code_insee"] = commune.code_insee
        lieu["telephone"] = gen.phone()
        if index == 0:
            lieu["courriel"] = f"{spec.sid}@example.org"
        lieu["horaires"] = hours
        lieu["accessible_pmr"] = index == 0 or rng.random() < 0.6
        lieux.append(lieu)
    record["lieux"] = lieux
    if spec.secteur is not None:
        record["secteur"] = spec.secteur
    if spec.ages:
        record["ages"] = {"min": spec.ages[0], "max": spec.ages[1]}
    elif isinstance(term.get("ages_typiques"), dict):
        record["ages"] = {"min": int(term["ages_typiques"]["min"]), "max": int(term["ages_typiques"]["max"])}
    record["conditions_acces"] = spec.conditions or profile.conditions
    required, by, precision = profile.orientation
    record["orientation"] = spec.orientation or {"requise": required, "par": list(by), "precisions": precision}
    admission: Record = {"procedure": spec.procedure or profile.procedure}
    documents = profile.documents if spec.documents is None else spec.documents
    if documents:
        admission["documents"] = list(documents)
    record["admission"] = admission
    if spec.delai is not None:
        record["delai_attente"] = {"semaines": spec.delai, "date_information": "2026-10-05"}
    frais: Record = {"type": profile.frais[0]}
    if profile.frais[1]:
        frais["precisions"] = profile.frais[1]
    record["frais"] = spec.frais or frais
    record["statut"] = "actif"
    record["verifie_le"] = spec.verified
    record["source"] = spec.source
    if spec.interne:
        record["interne"] = spec.interne
    return _in_schema_order(record, STRUCTURE_ORDER)


# ---------------------------------------------------------------------------
# Conventions
# ---------------------------------------------------------------------------

PDF_NAME = "cadre-cpam-sante-protegee-2025.pdf"
# A document that is not public: it lives in the internal registry, beside its internal part.
INTERNAL_PDF_NAME = "cadre-cpam-sante-protegee-annexe-financiere.pdf"


def placeholder_pdf(title: str) -> bytes:
    """A minimal valid one-page PDF saying that the document is fictional."""
    text = f"BT /F1 14 Tf 72 770 Td ({title}) Tj 0 -24 Td (Document fictif - exemple Maillage) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode("latin-1") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _sp_public() -> Record:
    return {"ages": {"min": 0, "max": 18},
            "description": "Enfants confiés à l'aide sociale à l'enfance"}


def convention_table(sample: Sample) -> dict[str, Record]:
    """The conventions of the sample, by id (statuses valid on 2026-11-22)."""
    near = sample.nearest
    gp_percy = near("medecin-generaliste", "50393", 3)
    ped_cherbourg = near("pediatre", "50129", 2)
    psy_saint_lo = near("psychologue", "50502", 3)
    pmot_avranchin = near("psychomotricien", "50025", 2)
    ergo_granville = near("ergotherapeute", "50218", 2)
    gp_sud = near("medecin-generaliste", "50484", 2)
    ped_coutances = near("pediatre", "50147", 1, exclude=set(ped_cherbourg))
    ortho_coutances = near("orthophoniste", "50147", 2, exclude={"lefevre-claire"})
    pedopsy = near("pedopsychiatre", "50502", 1)
    psy_mna = near("psychologue", "50129", 1)
    dentist = near("dentiste", "50218", 1)
    psy_cherbourg = near("psychologue", "50129", 2, exclude=set(psy_mna))
    gp_pieux = near("medecin-generaliste", "50402", 2)

    def pros(ids: list[str], role: str = "prestataire") -> list[Record]:
        return [{"professionnel": pid, "role": role} for pid in ids]

    def names(ids: list[str]) -> str:
        recs = [sample.professionals[i] for i in ids]
        return ", ".join(f"{r['prenom']} {r['nom']}" for r in recs)

    table: dict[str, Record] = {
        "cadre-cpam-sante-protegee": {
            "intitule": "Convention-cadre Santé protégée avec la CPAM de la Manche",
            "objet": "Organise le parcours de soins coordonné des enfants protégés : désignation d'un "
                     "médecin référent, bilans de santé pris en charge à 100 %, forfaits de soins "
                     "psychologiques, psychomoteurs et d'ergothérapie réglés par l'Assurance maladie, "
                     "échanges d'information et comité de suivi semestriel.",
            "type": "cadre",
            "parties": [{"organisme": CPAM, "role": "financeur"},
                        {"structure": "pmi-departement", "role": "coordinateur"}],
            "services": ["bilan-sante-entree", "bilan-annuel", "consultation-medecin-referent",
                         "soins-psychologiques", "soins-psychomoteurs", "soins-ergotherapie",
                         "coordination-parcours"],
            "public": _sp_public(),
            "enfants_prevus": 1400,
            "financements": [{"financeur": "cpam", "mode": "forfait", "montant": 420, "unite": "par-enfant"}],
            "dates": {"signature": "2025-03-10", "effet": "2025-04-01", "fin": "2028-03-31"},
            "reconduction": {"type": "tacite", "preavis_mois": 6},
            "statut": "active",
            "documents": [{"titre": "Convention-cadre signée", "fichier": PDF_NAME, "public": True},
                          {"titre": "Guide national Santé protégée",
                           "url": "https://example.org/documents/guide-sante-protegee.pdf", "public": True},
                          {"titre": "Annexe financière 2025 (répartition par territoire)",
                           "fichier": INTERNAL_PDF_NAME}],
            "interne": {"contact": "Mme Osmont, chargée de mission Santé protégée",
                        "notes": "Comité de suivi : prochain point en mars ; préparer les chiffres de "
                                 "bilans réalisés par territoire."},
        },
        "cadre-ars-parcours-tnd": {
            "intitule": "Convention-cadre ARS — parcours des enfants avec un trouble du neurodéveloppement",
            "objet": "Financement par l'ARS de la plateforme de coordination et d'orientation TND et "
                     "priorité d'accès aux bilans pour les enfants confiés.",
            "type": "cadre",
            "parties": [{"organisme": ARS, "role": "financeur"},
                        {"structure": "pco-tnd-manche", "role": "coordinateur"}],
            "services": ["diagnostic-tnd", "bilan-psychomoteur", "bilan-ergotherapie", "bilan-neuropsychologique",
                         "coordination-parcours"],
            "public": {"ages": {"min": 0, "max": 12},
                       "description": "Enfants protégés présentant des signes d'alerte de TND"},
            "enfants_prevus": 120,
            "financements": [{"financeur": "ars", "mode": "subvention", "montant": 85000, "unite": "par-an"}],
            "dates": {"signature": "2024-01-15", "effet": "2024-02-01", "fin": "2027-01-31"},
            "reconduction": {"type": "expresse", "preavis_mois": 3},
            "statut": "active",
            "interne": {"notes": "Échéance proche : le renouvellement doit être signé avant la fin "
                                 "janvier ; projet d'avenant envoyé à l'ARS."},
        },
        "cadre-epsm-pedopsychiatrie": {
            "intitule": "Convention de coopération avec l'EPSM du Littoral (2021-2025)",
            "objet": "Accès des enfants confiés aux consultations de pédopsychiatrie, hospitalisations "
                     "programmées et réunions de concertation mensuelles.",
            "type": "cadre",
            "parties": [{"structure": "epsm-littoral", "role": "partenaire"}],
            "services": ["consultation-pedopsychiatrique", "reunion-concertation", "accueil-urgence"],
            "public": _sp_public(),
            "dates": {"signature": "2021-06-28", "effet": "2021-07-01", "fin": "2025-06-30"},
            "reconduction": {"type": "expresse", "preavis_mois": 3},
            "statut": "expiree",
            "interne": {"notes": "Remplacée par une nouvelle convention en cours de négociation."},
        },
        "sp-medecins-referents-percy": {
            "intitule": "Santé protégée — médecins référents de la MSP de Percy-en-Normandie",
            "objet": "Les médecins de la maison de santé acceptent d'être médecins référents d'enfants "
                     "confiés : bilan à l'entrée, bilan annuel, transmission des comptes rendus au "
                     "médecin de PMI.",
            "type": "sante-protegee",
            "parties": [*pros(gp_percy), {"structure": "msp-percy", "role": "coordinateur"}],
            "services": ["bilan-sante-entree", "bilan-annuel", "consultation-medecin-referent"],
            "territoires": ["saint-lois"],
            "public": _sp_public(),
            "enfants_prevus": 45,
            "financements": [{"financeur": "cpam", "mode": "acte", "montant": 60, "unite": "par-acte"},
                             {"financeur": "departement", "mode": "forfait", "montant": 50,
                              "unite": "par-enfant"}],
            "dates": {"signature": "2025-09-05", "effet": "2025-10-01", "fin": "2028-09-30"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "active",
        },
        "sp-pediatres-cherbourg": {
            "intitule": f"Santé protégée — pédiatres référents du Cotentin ({names(ped_cherbourg)})",
            "objet": "Bilans de santé des enfants confiés accueillis dans le nord Cotentin et avis "
                     "pédiatriques pour les médecins référents généralistes.",
            "type": "sante-protegee",
            "parties": pros(ped_cherbourg),
            "services": ["bilan-sante-entree", "bilan-annuel", "consultation-pediatrique", "avis-specialise"],
            "territoires": ["cotentin-nord", "cotentin-centre"],
            "public": {"ages": {"min": 0, "max": 18}, "description": "Enfants accueillis en famille d'accueil"},
            "enfants_prevus": 80,
            "financements": [{"financeur": "cpam", "mode": "acte", "montant": 60, "unite": "par-acte"}],
            "dates": {"signature": "2025-11-18", "effet": "2026-01-01", "fin": "2028-12-31"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "active",
        },
        "sp-psychologues-saint-lo": {
            "intitule": "Santé protégée — soins psychologiques au forfait, Saint-Lô et Coutances",
            "objet": "Évaluation et soins psychologiques des enfants confiés, pris en charge au forfait "
                     "par l'Assurance maladie, sans avance de frais ni reste à charge.",
            "type": "sante-protegee",
            "parties": pros(psy_saint_lo),
            "services": ["evaluation-psychologique", "soins-psychologiques"],
            "territoires": ["saint-lois", "coutancais"],
            "public": {"ages": {"min": 3, "max": 18},
                       "description": "Enfants et adolescents confiés à l'aide sociale à l'enfance"},
            "enfants_prevus": 60,
            "financements": [{"financeur": "cpam", "mode": "forfait", "montant": 420, "unite": "par-enfant"}],
            "dates": {"signature": "2025-06-20", "effet": "2025-07-01", "fin": "2027-06-30"},
            "reconduction": {"type": "tacite", "preavis_mois": 2},
            "statut": "active",
        },
        "sp-psychologues-cherbourg": {
            "intitule": "Santé protégée — soins psychologiques au forfait, Cherbourg",
            "objet": "Évaluation et séances de suivi psychologique au forfait pour les enfants confiés "
                     "du nord Cotentin.",
            "type": "sante-protegee",
            "parties": pros(psy_cherbourg),
            "services": ["evaluation-psychologique", "soins-psychologiques"],
            "territoires": ["cotentin-nord"],
            "public": _sp_public(),
            "enfants_prevus": 35,
            "financements": [{"financeur": "cpam", "mode": "forfait", "montant": 420, "unite": "par-enfant"}],
            "dates": {"signature": "2024-01-29", "effet": "2024-02-11", "fin": "2027-02-10"},
            "reconduction": {"type": "expresse", "preavis_mois": 2},
            "statut": "active",
            "interne": {"notes": "Fin de convention en février : les deux psychologues souhaitent "
                                 "continuer, préparer la nouvelle convention."},
        },
        "sp-psychomotriciens-avranchin": {
            "intitule": "Santé protégée — bilans et soins psychomoteurs dans l'Avranchin",
            "objet": "Bilans psychomoteurs et séances au forfait pour les enfants confiés de "
                     "l'Avranchin et du Mortainais.",
            "type": "sante-protegee",
            "parties": pros(pmot_avranchin),
            "services": ["bilan-psychomoteur", "soins-psychomoteurs"],
            "territoires": ["avranchin", "sud-manche"],
            "public": {"ages": {"min": 0, "max": 12}, "description": "Jeunes enfants confiés"},
            "enfants_prevus": 25,
            "financements": [{"financeur": "cpam", "mode": "forfait", "montant": 420, "unite": "par-enfant"}],
            "dates": {"signature": "2026-11-02", "effet": "2027-01-01", "fin": "2029-12-31"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "signee",
        },
        "sp-ergotherapeutes-granvillais": {
            "intitule": "Santé protégée — ergothérapie, Granvillais",
            "objet": "Bilans d'ergothérapie et séances au forfait, préconisations d'aménagements "
                     "scolaires pour les enfants confiés.",
            "type": "sante-protegee",
            "parties": pros(ergo_granville),
            "services": ["bilan-ergotherapie", "soins-ergotherapie"],
            "territoires": ["granvillais"],
            "public": {"ages": {"min": 3, "max": 18}, "description": "Enfants confiés scolarisés"},
            "enfants_prevus": 15,
            "financements": [{"financeur": "cpam", "mode": "forfait", "montant": 420, "unite": "par-enfant"}],
            "dates": {"effet": "2027-03-01", "fin": "2030-02-28"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "en-negociation",
        },
        "sp-generalistes-sud-manche": {
            "intitule": "Santé protégée — médecins référents du Mortainais",
            "objet": "Projet d'engagement de médecins généralistes du sud Manche comme médecins "
                     "référents, avec téléexpertise pédiatrique du Centre hospitalier de la Baie.",
            "type": "sante-protegee",
            "parties": [*pros(gp_sud), {"structure": "pediatrie-avranches", "role": "partenaire"}],
            "services": ["bilan-sante-entree", "bilan-annuel", "teleconsultation"],
            "territoires": ["sud-manche"],
            "public": _sp_public(),
            "financements": [{"financeur": "cpam", "mode": "acte", "montant": 60, "unite": "par-acte"}],
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "projet",
        },
        "sp-pediatre-coutances": {
            "intitule": f"Santé protégée — pédiatre référent du Coutançais ({names(ped_coutances)})",
            "objet": "Bilans de santé à l'entrée et bilans annuels des enfants accueillis au foyer de "
                     "l'enfance et en familles d'accueil du Coutançais.",
            "type": "sante-protegee",
            "parties": pros(ped_coutances),
            "services": ["bilan-sante-entree", "bilan-annuel", "consultation-pediatrique"],
            "territoires": ["coutancais"],
            "public": _sp_public(),
            "enfants_prevus": 30,
            "financements": [{"financeur": "cpam", "mode": "acte", "montant": 60, "unite": "par-acte"},
                             {"financeur": "departement", "mode": "forfait", "montant": 50,
                              "unite": "par-enfant"}],
            "dates": {"signature": "2024-01-08", "effet": "2024-01-16", "fin": "2027-01-15"},
            "reconduction": {"type": "expresse", "preavis_mois": 2},
            "statut": "active",
            "documents": [{"titre": "Compte rendu du comité de suivi (juin 2026)",
                           "url": "https://example.org/documents/interne/sp-pediatre-coutances-comite-2026.pdf"}],
        },
        "sp-coordination-msp-les-pieux": {
            "intitule": "Santé protégée — coordination des soins par la MSP des Pieux",
            "objet": "Coordination du parcours de soins des enfants confiés de la côte ouest du "
                     "Cotentin par l'infirmière de coordination de la maison de santé.",
            "type": "sante-protegee",
            "parties": [{"structure": "msp-les-pieux", "role": "coordinateur"}, *pros(gp_pieux)],
            "services": ["coordination-parcours", "bilan-sante-entree", "bilan-annuel"],
            "territoires": ["cotentin-nord"],
            "public": _sp_public(),
            "enfants_prevus": 20,
            "financements": [{"financeur": "departement", "mode": "forfait", "montant": 150,
                              "unite": "par-enfant"}],
            "dates": {"signature": "2025-02-14", "effet": "2025-03-01", "fin": "2028-02-29"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "suspendue",
            "interne": {"notes": "Suspendue pendant le congé de l'infirmière de coordination ; reprise "
                                 "prévue au printemps."},
        },
        # --- Purchases of services (prestation) ---------------------------------------------
        "prestation-orthophonie-coutances": {
            "intitule": "Bilans orthophoniques rapides pour les enfants confiés du Coutançais",
            "objet": "Deux orthophonistes s'engagent à réaliser un bilan dans les quatre semaines "
                     "suivant la demande du médecin référent ; le Département règle les bilans non "
                     "pris en charge.",
            "type": "prestation",
            "parties": pros(ortho_coutances),
            "services": ["bilan-orthophonique"],
            "territoires": ["coutancais"],
            "public": {"ages": {"min": 3, "max": 16}, "description": "Enfants confiés scolarisés"},
            "enfants_prevus": 20,
            "financements": [{"financeur": "departement", "mode": "acte", "montant": 50, "unite": "par-acte"}],
            "dates": {"signature": "2026-02-10", "effet": "2026-03-01", "fin": "2027-02-28"},
            "reconduction": {"type": "expresse", "preavis_mois": 1},
            "statut": "active",
        },
        "prestation-pedopsychiatrie-avis": {
            "intitule": "Avis pédopsychiatriques pour les équipes de l'ASE",
            "objet": "Consultations d'évaluation à la demande des référents ASE et participation à "
                     "une réunion de concertation par mois.",
            "type": "prestation",
            "parties": pros(pedopsy),
            "services": ["consultation-pedopsychiatrique", "reunion-concertation", "astreinte-avis"],
            "public": {"ages": {"min": 0, "max": 18},
                       "description": "Enfants confiés en situation complexe"},
            "enfants_prevus": 40,
            "financements": [{"financeur": "departement", "mode": "acte", "montant": 80, "unite": "par-acte"}],
            "dates": {"signature": "2026-01-12", "effet": "2026-01-15", "fin": "2028-01-14"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "active",
        },
        "prestation-uaped-examens": {
            "intitule": "Examens médico-légaux des enfants victimes à l'UAPED du centre Manche",
            "objet": "Examens sur réquisition et audition filmée dans un lieu adapté ; le Département "
                     "finance le temps de coordination, les actes relevant des frais de justice.",
            "type": "prestation",
            "parties": [{"structure": "uaped-saint-lo", "role": "prestataire"}],
            "services": ["examen-medico-legal", "accueil-urgence"],
            "public": {"ages": {"min": 0, "max": 18}, "description": "Enfants victimes de violences"},
            "financements": [{"financeur": "autre", "financeur_precision": "Ministère de la Justice (frais "
                              "de justice)", "mode": "acte", "montant": 180, "unite": "par-acte"},
                             {"financeur": "departement", "mode": "subvention", "montant": 15000,
                              "unite": "par-an"}],
            "dates": {"signature": "2025-04-22", "effet": "2025-05-01", "fin": "2028-04-30"},
            "reconduction": {"type": "expresse", "preavis_mois": 6},
            "statut": "active",
        },
        "prestation-bilans-psychologiques-mna": {
            "intitule": f"Bilans psychologiques des mineurs non accompagnés ({names(psy_mna)})",
            "objet": "Évaluation psychologique à l'arrivée des mineurs non accompagnés, avec interprète "
                     "si besoin.",
            "type": "prestation",
            "parties": pros(psy_mna),
            "services": ["evaluation-psychologique"],
            "public": {"ages": {"min": 14, "max": 18},
                       "description": "Mineurs non accompagnés pris en charge par le Département"},
            "enfants_prevus": 50,
            "financements": [{"financeur": "departement", "mode": "acte", "montant": 120, "unite": "par-acte"}],
            "dates": {"signature": "2024-06-24", "effet": "2024-07-01", "fin": "2026-06-30"},
            "reconduction": {"type": "aucune"},
            "statut": "expiree",
        },
        "prestation-soins-dentaires-granville": {
            "intitule": "Soins dentaires des enfants confiés, Granville",
            "objet": "Rendez-vous de prévention et de soins sous quinze jours pour les enfants confiés.",
            "type": "prestation",
            "parties": pros(dentist),
            "services": ["bilan-bucco-dentaire"],
            "territoires": ["granvillais"],
            "public": _sp_public(),
            "financements": [{"financeur": "cpam", "mode": "acte", "montant": 30, "unite": "par-acte"}],
            "dates": {"signature": "2024-09-02", "effet": "2024-09-15", "fin": "2027-09-14"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "resiliee",
            "interne": {"notes": "Résiliée à la demande du cabinet (départ en retraite d'un associé)."},
        },
        "prestation-teleexpertise-pediatrie": {
            "intitule": "Téléexpertise pédiatrique pour les médecins référents",
            "objet": "Réponse sous 72 heures du service de pédiatrie aux demandes de téléexpertise des "
                     "médecins référents Santé protégée.",
            "type": "prestation",
            "parties": [{"structure": "pediatrie-saint-lo", "role": "prestataire"}],
            "services": ["teleconsultation", "avis-specialise"],
            "public": _sp_public(),
            "financements": [{"financeur": "cpam", "mode": "acte", "montant": 20, "unite": "par-acte"}],
            "dates": {"signature": "2025-10-01", "effet": "2025-10-01", "fin": "2027-09-30"},
            "reconduction": {"type": "tacite", "preavis_mois": 1},
            "statut": "active",
        },
        # --- Partnerships ----------------------------------------------------------------------
        "partenariat-cmp-coutances-ase": {
            "intitule": "Partenariat CMP de Coutances — service de l'aide sociale à l'enfance",
            "objet": "Premier rendez-vous sous trois semaines pour les enfants confiés, synthèses "
                     "communes chaque trimestre, interlocuteur identifié de chaque côté.",
            "type": "partenariat",
            "parties": [{"structure": "cmp-coutances", "role": "partenaire"}],
            "services": ["consultation-pedopsychiatrique", "soins-psychologiques", "reunion-concertation"],
            "territoires": ["coutancais"],
            "public": _sp_public(),
            "dates": {"signature": "2023-05-12", "effet": "2023-06-01", "fin": "2027-05-31"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "active",
        },
        "partenariat-mda-formation": {
            "intitule": "Partenariat Maison des adolescents — formation des assistants familiaux",
            "objet": "Sessions de sensibilisation à l'adolescence pour les assistants familiaux et "
                     "accueil sans délai des jeunes confiés orientés par l'ASE.",
            "type": "partenariat",
            "parties": [{"structure": "mda-saint-lo", "role": "partenaire"},
                        {"organisme": "Caisse d'allocations familiales de la Manche", "role": "financeur"}],
            "services": ["formation-professionnels", "soins-psychologiques"],
            "public": {"ages": {"min": 11, "max": 21},
                       "description": "Adolescents accueillis en famille d'accueil"},
            "financements": [{"financeur": "autre", "financeur_precision": "Caisse d'allocations familiales",
                              "mode": "subvention", "montant": 8000, "unite": "par-an"}],
            "dates": {"signature": "2025-01-20", "effet": "2025-02-01", "fin": "2027-12-31"},
            "reconduction": {"type": "expresse", "preavis_mois": 2},
            "statut": "active",
        },
        "partenariat-pmi-camsp": {
            "intitule": "Partenariat PMI — CAMSP du Cotentin pour le repérage précoce",
            "objet": "Orientation directe par les puéricultrices de PMI vers le CAMSP et consultation "
                     "commune mensuelle au centre de PMI de Cherbourg.",
            "type": "partenariat",
            "parties": [{"structure": "camsp-cherbourg", "role": "partenaire"},
                        {"structure": "pmi-cherbourg", "role": "partenaire"}],
            "services": ["diagnostic-tnd", "bilan-psychomoteur"],
            "territoires": ["cotentin-nord"],
            "public": {"ages": {"min": 0, "max": 6}, "description": "Jeunes enfants suivis par la PMI"},
            "dates": {"signature": "2024-03-18", "effet": "2024-04-01", "fin": "2027-03-31"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "suspendue",
            "interne": {"notes": "Suspendue faute de médecin au CAMSP depuis septembre."},
        },
        "partenariat-sante-scolaire": {
            "intitule": "Partenariat Santé scolaire — bilans des enfants confiés",
            "objet": "Transmission des bilans infirmiers et médicaux scolaires au médecin référent, "
                     "avec l'accord des titulaires de l'autorité parentale.",
            "type": "partenariat",
            "parties": [{"organisme": "Direction des services départementaux de l'Éducation nationale",
                         "role": "partenaire"},
                        {"structure": "sante-scolaire-manche", "role": "partenaire"}],
            "services": ["bilan-annuel", "coordination-parcours"],
            "public": {"ages": {"min": 3, "max": 18}, "description": "Élèves confiés à l'ASE"},
            "dates": {"effet": "2027-01-01", "fin": "2029-12-31"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "en-negociation",
        },
        "partenariat-pco-tnd": {
            "intitule": "Partenariat PCO TND — accès prioritaire des enfants confiés",
            "objet": "Projet : circuit d'adressage simplifié entre les médecins de PMI et la plateforme.",
            "type": "partenariat",
            "parties": [{"structure": "pco-tnd-manche", "role": "partenaire"}],
            "services": ["diagnostic-tnd", "coordination-parcours"],
            "statut": "projet",
        },
        # --- Grants (subvention) -------------------------------------------------------------
        "subvention-mda": {
            "intitule": "Subvention de fonctionnement de la Maison des adolescents",
            "objet": "Participation du Département au fonctionnement de la Maison des adolescents et "
                     "de son antenne du Cotentin.",
            "type": "subvention",
            "parties": [{"structure": "mda-saint-lo", "role": "prestataire"}],
            "services": ["soins-psychologiques", "consultation-sante-sexuelle"],
            "financements": [{"financeur": "departement", "mode": "subvention", "montant": 45000,
                              "unite": "par-an"},
                             {"financeur": "ars", "mode": "subvention", "montant": 60000, "unite": "par-an"}],
            "dates": {"signature": "2024-04-15", "effet": "2024-05-01", "fin": "2027-04-30"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "active",
            "documents": [{"titre": "Rapport d'activité 2025",
                           "url": "https://example.org/documents/mda-rapport-2025.pdf", "public": True}],
        },
        "subvention-paej-granville": {
            "intitule": "Subvention du point accueil écoute jeunes de Granville",
            "objet": "Soutien aux permanences d'écoute des jeunes de 12 à 25 ans.",
            "type": "subvention",
            "parties": [{"structure": "paej-granville", "role": "prestataire"}],
            "financements": [{"financeur": "departement", "mode": "subvention", "montant": 12000,
                              "unite": "par-an"}],
            "dates": {"signature": "2025-12-15", "effet": "2026-01-01", "fin": "2026-12-31"},
            "reconduction": {"type": "expresse", "preavis_mois": 1},
            "statut": "active",
        },
        "subvention-cjc-cherbourg": {
            "intitule": "Subvention de la consultation jeunes consommateurs du Cotentin (2025)",
            "objet": "Consultations avancées dans les foyers de l'enfance du Cotentin.",
            "type": "subvention",
            "parties": [{"structure": "cjc-cherbourg", "role": "prestataire"}],
            "financements": [{"financeur": "ars", "mode": "subvention", "montant": 18500, "unite": "total"}],
            "dates": {"signature": "2024-12-16", "effet": "2025-01-01", "fin": "2025-12-31"},
            "reconduction": {"type": "aucune"},
            "statut": "expiree",
        },
        "subvention-sessad-places": {
            "intitule": "Subvention pour deux places de SESSAD réservées aux enfants confiés",
            "objet": "Financement complémentaire de deux places d'accompagnement pour des enfants "
                     "confiés en attente d'une admission.",
            "type": "subvention",
            "parties": [{"structure": "sessad-coutances", "role": "prestataire"}],
            "financements": [{"financeur": "departement", "mode": "subvention", "montant": 40000,
                              "unite": "par-an"}],
            "dates": {"signature": "2026-10-20", "effet": "2027-01-01", "fin": "2027-12-31"},
            "reconduction": {"type": "expresse", "preavis_mois": 2},
            "statut": "signee",
        },
        "subvention-dac-coordination": {
            "intitule": "Subvention d'appui à la coordination des situations complexes",
            "objet": "Temps de coordinatrice dédié aux situations complexes d'enfants confiés.",
            "type": "subvention",
            "parties": [{"structure": "dac-manche", "role": "prestataire"}],
            "financements": [{"financeur": "departement", "mode": "subvention", "montant": 25000,
                              "unite": "par-an"}],
            "dates": {"signature": "2023-11-30", "effet": "2024-01-01", "fin": "2026-12-31"},
            "reconduction": {"type": "tacite", "preavis_mois": 3},
            "statut": "resiliee",
            "interne": {"notes": "Résiliée d'un commun accord : mission reprise par la PCO et la PMI."},
        },
    }
    # Professionals bound by an active or suspended Santé protégée convention take part in it.
    for record in table.values():
        if record["type"] != "sante-protegee" or record["statut"] not in ("active", "suspendue"):
            continue
        effet = record["dates"]["effet"]
        for party in record["parties"]:
            pid = party.get("professionnel")
            if pid and "sante_protegee" not in sample.professionals[pid]:
                sample.enrol(pid, effet, min(effet, "2025-06-12"))
    return table


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def build(registry: Path) -> Sample:
    vocab_dir = registry / "vocabulaires"
    vocab = Vocabularies.read(vocab_dir)
    gazetteer = Gazetteer.load()
    gen = Generator(random.Random(SEED), DEPARTEMENT, REFERENCE_DAY, vocab, gazetteer)
    raw = yaml.load((vocab_dir / "territoires.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    territories = {str(t["id"]): [str(c) for c in t["communes"]] for t in raw["termes"]}
    sample = Sample(gen, gazetteer, territories)
    build_professionals(sample)
    for spec in structure_specs(sample):
        gen.ids.add(spec.sid)
        sample.structures[spec.sid] = build_structure(sample, spec)
    sample.conventions = convention_table(sample)
    return sample


def write_whole(sample: Sample, registry: Path) -> None:
    """Every record and document of the sample in one folder, internal data included (as a registry
    that mixed both looked before the two registries): :func:`write` splits it."""
    for kind, records in (("professionnel", sample.professionals), ("structure", sample.structures),
                          ("convention", sample.conventions)):
        folder = registry / FOLDERS[kind]
        folder.mkdir(parents=True, exist_ok=True)
        for rid in sorted(records):
            (folder / f"{rid}.yaml").write_text(record_text(kind, records[rid], HEADER), encoding="utf-8")
    conventions = registry / "conventions"
    (conventions / PDF_NAME).write_bytes(placeholder_pdf("Convention-cadre Sante protegee - CPAM de la Manche"))
    (conventions / INTERNAL_PDF_NAME).write_bytes(
        placeholder_pdf("Annexe financiere 2025 - document interne du Departement"))


def write(sample: Sample, registry: Path, clean: bool, internal: Path | None = None) -> list[Path]:
    """Write every record, split between the public registry and the internal one (``internal``,
    by default ``examples/internal-registry`` beside the registry's parent); returns the record
    files present that the sample does not contain."""
    import shutil
    import tempfile

    from maillage.editing.border import extract

    internal = internal if internal is not None else registry.parent / "examples" / "internal-registry"
    with tempfile.TemporaryDirectory(prefix="maillage-exemple-") as tmp:
        whole, inner = Path(tmp) / "registry", Path(tmp) / "interne"
        shutil.copytree(registry / "vocabulaires", whole / "vocabulaires")
        shutil.copy(registry / "registre.yaml", whole / "registre.yaml")
        write_whole(sample, whole)
        extract(whole, inner)
        written: set[Path] = set()
        for source, target in ((whole, registry), (inner, internal)):
            for folder in FOLDERS.values():
                (target / folder).mkdir(parents=True, exist_ok=True)
                if not (source / folder).is_dir():
                    continue
                for path in sorted((source / folder).iterdir()):
                    (target / folder / path.name).write_bytes(path.read_bytes())
                    written.add(target / folder / path.name)
    stale = sorted(p for root in (registry, internal) for kind in FOLDERS.values()
                   for p in (root / kind).glob("*") if p not in written and p.is_file())
    if clean:
        for path in stale:
            path.unlink()
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit les registres d'exemple (fictifs) de la Manche : public et "
                                                 "interne.")
    parser.add_argument("--registry", type=Path, default=Path("registry"), help="dossier du registre public")
    parser.add_argument("--internal", type=Path, default=Path("examples/internal-registry"),
                        help="dossier du registre interne d'exemple")
    parser.add_argument("--clean", action="store_true",
                        help="supprimer les fiches que le générateur n'a pas écrites")
    args = parser.parse_args(argv)
    if not (args.registry / "vocabulaires" / "territoires.yaml").is_file():
        print(f"{args.registry} : vocabulaires introuvables", file=sys.stderr)
        return 2
    sample = build(args.registry)
    stale = write(sample, args.registry, args.clean, args.internal)
    print(f"{args.registry} et {args.internal} : {len(sample.professionals)} professionnels, "
          f"{len(sample.structures)} structures, {len(sample.conventions)} conventions (exemple fictif)")
    for path in stale:
        print(f"{'supprimé' if args.clean else 'fiche non générée (laissée en place)'} : {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

