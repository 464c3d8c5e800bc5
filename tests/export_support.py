"""A small fixture registry for the export tests, with internal sentinels and hidden records.

Two registries, as in production: the public one (``make_registry``) holds only what may be
published; its internal registry (:func:`internal_of`, beside it) holds the internal sections
of three records (every field a sentinel), a convention under negotiation and a document that
is not public. :func:`full_model` merges both (the internal model), as ``--internal`` does.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

from maillage.assemble.build import model_from
from maillage.core.gazetteer import Gazetteer
from maillage.core.model import Model, Position
from maillage.validation import validate

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)

# Every field of every ``interne`` section holds one of these: none may reach a public file.
SENTINEL_PHONE = "02 61 91 99 88"
SENTINEL_PHONE_FORMS = (SENTINEL_PHONE, "0261919988", "+33261919988", "+33 2 61 91 99 88")
SENTINEL_MAIL = "sentinelle-interne@example.org"
SENTINEL_CONTACT = "Contact Sentinelle Interne"
SENTINEL_NOTES = "NOTES-SENTINELLE-INTERNE"
SENTINELS = (*SENTINEL_PHONE_FORMS, SENTINEL_MAIL, SENTINEL_CONTACT, SENTINEL_NOTES)
# Records that are not public: ceased professional, convention under negotiation, document not public.
NOT_PUBLIC = ("Cessé-Sentinelle", "convention-en-negociation", "Négociation sentinelle",
              "Annexe financière confidentielle")
# A withdrawn record appears nowhere.
WITHDRAWN = ("Retiré-Sentinelle", "retire-sentinelle")

INTERNE = f"""interne:
  telephone: {SENTINEL_PHONE}
  courriel: {SENTINEL_MAIL}
  contact: {SENTINEL_CONTACT}
  notes: {SENTINEL_NOTES}
"""

REGISTRE = """titre: Maillage — Manche (exemple fictif)
description: Registre fictif pour les tests des exports.
fictif: true
departement:
  code: "50"
  nom: Manche
editeur:
  nom: Département de la Manche (exemple fictif)
  site_web: https://maillage.example.org/
licence:
  id: etalab-2.0
  titre: Licence Ouverte 2.0
  url: https://www.etalab.gouv.fr/licence-ouverte-open-licence/
contact:
  courriel: sante-protegee@example.org
depot:
  url: https://github.com/example/maillage
site:
  url: https://maillage.example.org/
"""

RECORDS: dict[str, str] = {
    "professionnels/lefevre-claire.yaml": """nom: Lefèvre
prenom: Claire
profession: orthophoniste
specialites: [langage-oral, troubles-des-apprentissages]
rpps: "10001234565"
lieux:
  - nom: Cabinet des Halles
    adresse: 12 rue des Halles
    code_postal: "50200"
    commune: Coutances
    code_insee: "50147"
    telephone: 02 61 91 12 34
    courriel: cabinet-halles@example.org
    horaires: Mo-Fr 09:00-12:00,14:00-18:30
    accessible_pmr: true
  - adresse: 3 place de la Mairie
    code_postal: "50000"
    commune: Saint-Lô
    code_insee: "50502"
ages: {min: 2, max: 16}
modalites: [cabinet, domicile, visio]
langues: [fr, en]
conventionnement:
  secteur: secteur-1
  tiers_payant: true
nouveaux_patients:
  accepte: liste-attente
  delai_semaines: 8
  date_information: 2026-10-01
description: "Bilans et rééducation du langage oral et écrit, de 2 à 16 ans ; « guillemets », virgule, point."
statut: actif
verifie_le: 2026-10-01
source: Déclaration du professionnel
""",
    "professionnels/martin-cesse.yaml": """nom: Cessé-Sentinelle
prenom: Paul
profession: psychologue
lieux:
  - adresse: 1 rue du Port
    code_postal: "50300"
    commune: Avranches
    code_insee: "50025"
statut: cesse
verifie_le: 2026-09-01
source: Annuaire santé (RPPS)
""",
    "professionnels/retire-sentinelle.yaml": """nom: Retiré-Sentinelle
prenom: Anne
profession: psychologue
lieux:
  - adresse: 2 rue du Port
    code_postal: "50300"
    commune: Avranches
    code_insee: "50025"
statut: retire
verifie_le: 2026-09-01
source: Annuaire santé (RPPS)
""",
    "structures/cmp-coutances.yaml": """nom: Centre médico-psychologique infanto-juvénile de Coutances
sigle: CMP-IJ Coutances
categorie: cmp
gestionnaire:
  nom: Centre hospitalier de l'exemple
description: Consultations, soins psychiques et groupes thérapeutiques pour les enfants et adolescents.
lieux:
  - adresse: 5 avenue de la Gare
    code_postal: "50200"
    commune: Coutances
    code_insee: "50147"
    telephone: 02 61 91 20 00
    courriel: cmp-coutances@example.org
    horaires: Mo-Fr 09:00-17:00; PH off
secteur:
  territoires: [coutancais]
ages: {min: 0, max: 17}
orientation:
  requise: true
  par: [medecin, pmi, ase]
  precisions: courrier du médecin traitant
admission:
  procedure: Appel du secrétariat, puis premier entretien d'accueil.
  documents: ["Carnet de santé", "Courrier du médecin; s'il existe"]
delai_attente: {semaines: 12, date_information: 2026-10-15}
frais:
  type: pris-en-charge
statut: actif
verifie_le: 2026-10-15
source: Site de la structure
""",
    "structures/pmi-saint-lo.yaml": """nom: Centre de PMI de Saint-Lô
categorie: pmi
lieux:
  - adresse: 10 rue de la Poterne
    code_postal: "50000"
    commune: Saint-Lô
    code_insee: "50502"
    rendez_vous: https://rdv.example.org/pmi-saint-lo
secteur:
  departement_entier: true
frais:
  type: gratuit
statut: actif
verifie_le: 2026-08-01
source: Département
""",
    "conventions/sante-protegee-lefevre.yaml": """intitule: Santé protégée — Claire Lefèvre
objet: Bilans orthophoniques des enfants confiés.
type: sante-protegee
parties:
  - professionnel: lefevre-claire
    role: prestataire
  - structure: cmp-coutances
    role: partenaire
  - professionnel: martin-cesse
    role: partenaire
  - organisme: CPAM de la Manche
    role: financeur
services: [bilan-orthophonique]
territoires: [coutancais]
public:
  ages: {min: 3, max: 12}
  description: Enfants confiés à l'ASE
enfants_prevus: 20
financements:
  - financeur: cpam
    mode: forfait
    montant: 240.5
    unite: par-enfant
dates:
  signature: 2025-12-15
  effet: 2026-01-01
  fin: 2027-01-31
reconduction:
  type: tacite
  preavis_mois: 3
statut: active
documents:
  - titre: Convention signée
    url: https://docs.example.org/convention.pdf
    public: true
""",
}

# The internal registry: internal parts (only « interne ») and records that exist only there.
INTERNAL_RECORDS: dict[str, str] = {
    "professionnels/lefevre-claire.yaml": INTERNE,
    "structures/cmp-coutances.yaml": INTERNE,
    "conventions/sante-protegee-lefevre.yaml": INTERNE + """  documents:
    - titre: Annexe financière confidentielle
      url: https://docs.example.org/annexe.pdf
""",
    "conventions/convention-en-negociation.yaml": """intitule: Négociation sentinelle
objet: Convention en cours de discussion.
type: partenariat
parties:
  - structure: pmi-saint-lo
    role: partenaire
dates:
  fin: 2027-06-30
statut: en-negociation
""",
}


def internal_of(root: Path) -> Path:
    """The internal registry written beside the public one by :func:`make_registry`."""
    return root.with_name(root.name + "-interne")


def make_registry(root: Path, extra: dict[str, str] | None = None,
                  internal_extra: dict[str, str] | None = None) -> Path:
    """A registry folder (fixed metadata, the sample vocabularies and the fixture records) and its
    internal registry beside it (:func:`internal_of`)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "registre.yaml").write_text(REGISTRE, encoding="utf-8")
    shutil.copytree(REPO / "registry" / "vocabulaires", root / "vocabulaires")
    for base, files in ((root, {**RECORDS, **(extra or {})}),
                        (internal_of(root), {**INTERNAL_RECORDS, **(internal_extra or {})})):
        for relative, text in files.items():
            path = base / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return root


def centroid_resolver(lieu: dict[str, Any]) -> tuple[Position, str | None]:
    commune = Gazetteer.load().commune(lieu["code_insee"])
    assert commune is not None
    return Position(commune.latitude, commune.longitude, "commune", "gazetteer"), None


def full_model(root: Path) -> Model:
    """The model of both registries (not yet viewed for an audience)."""
    result = validate(root, TODAY, internal=internal_of(root))
    assert not result.errors, [p.message for p in result.errors]
    return model_from(result, TODAY, resolver=centroid_resolver)
