"""French wording of the fixed values of the schemas, and French dates and amounts."""

from __future__ import annotations

from datetime import date

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")

MODALITES = {"cabinet": "au cabinet", "domicile": "à domicile ou en famille d'accueil",
             "visio": "en téléconsultation"}
NOUVEAUX_PATIENTS = {"oui": "Accepte de nouveaux patients",
                     "liste-attente": "Nouveaux patients sur liste d'attente",
                     "non": "N'accepte pas de nouveaux patients pour le moment"}
SANTE_PROTEGEE = {
    "medecin-referent": "Médecin référent Santé protégée (bilans de santé et suivi)",
    "professionnel-forfait": "Soins au forfait Santé protégée (sans frais pour la famille)",
    "coordination": "Coordination du parcours Santé protégée",
}
SECTEURS = {"secteur-1": "Conventionné secteur 1 (tarifs de la Sécurité sociale)",
            "secteur-2": "Conventionné secteur 2 (dépassements d'honoraires possibles)",
            "non-conventionne": "Non conventionné (pas de remboursement sur la base des tarifs conventionnels)",
            "sans-objet": "Sans objet (profession sans convention avec l'Assurance maladie)"}
STATUTS_FICHE = {"actif": "Active", "inactif": "Temporairement indisponible", "cesse": "Activité arrêtée",
                 "retire": "Retirée"}
ORIENTATION_PAR = {"medecin": "un médecin", "pmi": "la PMI", "ase": "l'ASE",
                   "education-nationale": "l'Éducation nationale", "mdph": "la MDPH",
                   "famille": "la famille elle-même", "structure-soins": "une structure de soins"}
FRAIS = {"gratuit": "Gratuit pour la famille",
         "pris-en-charge": "Pris en charge par l'Assurance maladie, sans avance de frais",
         "payant": "Payant"}
TYPES_CONVENTION = {"sante-protegee": "Santé protégée", "partenariat": "Partenariat",
                    "prestation": "Prestation", "subvention": "Subvention", "cadre": "Convention-cadre"}
STATUTS_CONVENTION = {"projet": "Projet", "en-negociation": "En négociation", "signee": "Signée",
                      "active": "En vigueur", "suspendue": "Suspendue", "expiree": "Expirée",
                      "resiliee": "Résiliée"}
ROLES_PARTIE = {"prestataire": "prestataire", "partenaire": "partenaire", "financeur": "financeur",
                "coordinateur": "coordinateur"}
FINANCEURS = {"departement": "Département", "cpam": "CPAM (Assurance maladie)", "ars": "ARS",
              "autre": "Autre financeur"}
MODES_FINANCEMENT = {"acte": "à l'acte", "forfait": "au forfait", "subvention": "subvention"}
UNITES = {"par-acte": "par acte", "par-enfant": "par enfant", "par-an": "par an", "total": "au total"}
RECONDUCTION = {"tacite": "tacite (reconduite sauf dénonciation)",
                "expresse": "expresse (avenant ou nouvelle signature nécessaire)",
                "aucune": "aucune (la convention prend fin à la date prévue)"}
# Conventions that still bind someone: their deadlines matter.
CONVENTION_EN_COURS = frozenset({"signee", "active", "suspendue"})


def date_fr(day: date | None) -> str:
    if day is None:
        return ""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def euros(amount: float) -> str:
    whole = round(amount, 2)
    text = f"{whole:,.2f}".replace(",", "\u202f").replace(".", ",")
    if text.endswith(",00"):
        text = text[:-3]
    return f"{text}\u00a0€"


def ages_fr(minimum: int, maximum: int) -> str:
    """``de 2 à 16 ans``, ``de la naissance à 6 ans``."""
    unit = f"\u00a0an{'s' if maximum > 1 else ''}"
    if minimum == 0:
        return f"de la naissance à {maximum}{unit}"
    return f"de {minimum} à {maximum}{unit}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    return f"{n}\u00a0{singular if n <= 1 else (plural_form or singular + 's')}"
