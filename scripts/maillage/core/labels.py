"""French wording of the values fixed by the schemas (``enum``), declared once.

Each table maps a value to its **label** (the wording of record pages, spreadsheets and
iCalendar) and has a **short** form for filters, table cells and badges. Both come from
the same declaration, so the directory, the record pages and the exports can never word
the same value differently. Labels of vocabulary terms (professions, categories…) live in
the vocabularies themselves; labels of statuses in :mod:`maillage.core.statuses`.
"""

from __future__ import annotations

from maillage.core.statuses import CONVENTION_LABELS, RECORD_LABELS


class Choices(dict[str, str]):
    """value → label, with ``short`` (value → compact label) beside it.

    ``synonyms`` (value → words) are what staff type in the directory's search box to mean
    the value (« tiers payant », « visio ») ; ``any_synonyms`` mean "any of the values"
    (« Santé protégée »: every role). The directory's index ships them.
    """

    def __init__(self, entries: dict[str, str | tuple[str, str]], *,
                 synonyms: dict[str, tuple[str, ...]] | None = None, any_synonyms: tuple[str, ...] = ()) -> None:
        super().__init__({k: v if isinstance(v, str) else v[0] for k, v in entries.items()})
        self.short: dict[str, str] = {k: v if isinstance(v, str) else v[1] for k, v in entries.items()}
        self.synonyms: dict[str, tuple[str, ...]] = dict(synonyms or {})
        self.any_synonyms = any_synonyms

    def label(self, value: str | None) -> str:
        return "" if value is None else self.get(value, value)

    def short_label(self, value: str | None) -> str:
        return "" if value is None else self.short.get(value, value)


# -- professionals
MODALITES = Choices({
    "cabinet": ("au cabinet", "Au cabinet"),
    "domicile": ("à domicile ou en famille d'accueil", "À domicile ou en famille d'accueil"),
    "visio": ("en téléconsultation (visio)", "En téléconsultation (visio)"),
}, synonyms={
    "cabinet": ("au cabinet", "en cabinet"),
    "domicile": ("domicile", "à domicile", "visite à domicile", "visites à domicile", "VAD", "se déplace",
                 "famille d'accueil", "en famille d'accueil"),
    "visio": ("visio", "en visio", "visioconférence", "téléconsultation", "téléconsultations", "à distance",
              "en ligne", "vidéo"),
})
NOUVEAUX_PATIENTS = Choices({
    "oui": ("Accepte de nouveaux patients", "Oui"),
    "liste-attente": ("Nouveaux patients sur liste d'attente", "Sur liste d'attente"),
    "non": ("N'accepte pas de nouveaux patients pour le moment", "Non"),
}, synonyms={
    "oui": ("nouveaux patients", "nouveau patient", "nouvelles patientes", "accepte de nouveaux patients",
            "prend de nouveaux patients", "accepte des patients", "prend des patients", "disponible", "disponibles",
            "place disponible", "places disponibles"),
    "liste-attente": ("liste d'attente", "sur liste d'attente"),
})
SANTE_PROTEGEE = Choices({
    "medecin-referent": ("Médecin référent Santé protégée (bilans de santé et suivi)", "Médecin référent"),
    "professionnel-forfait": ("Soins au forfait Santé protégée (sans frais pour la famille)", "Soins au forfait"),
    "coordination": ("Coordination du parcours Santé protégée", "Coordination"),
}, synonyms={
    "medecin-referent": ("médecin référent", "médecins référents", "référent", "référents", "bilan de santé",
                         "bilans de santé"),
    "professionnel-forfait": ("forfait", "au forfait", "soins au forfait", "forfait santé protégée", "sans frais",
                              "sans frais pour la famille", "aucun frais", "gratuit", "gratuit pour la famille"),
    "coordination": ("coordination santé protégée", "coordination du parcours"),
}, any_synonyms=("santé protégée", "dispositif santé protégée", "parcours santé protégée"))
# Headings of counts per role (« 12 médecins référents »).
SANTE_PROTEGEE_PLURIEL = {"medecin-referent": "Médecins référents", "professionnel-forfait": "Soins au forfait",
                          "coordination": "Coordination"}
SECTEURS = Choices({
    "secteur-1": ("Conventionné secteur 1 (tarifs de la Sécurité sociale)", "Secteur 1"),
    "secteur-2": ("Conventionné secteur 2 (dépassements d'honoraires possibles)", "Secteur 2"),
    "non-conventionne": ("Non conventionné (pas de remboursement sur la base des tarifs conventionnels)",
                         "Non conventionné"),
    "sans-objet": ("Sans objet (profession sans convention avec l'Assurance maladie)", "Secteur : sans objet"),
}, synonyms={
    "secteur-1": ("secteur 1", "S1", "sans dépassement", "sans dépassements", "tarif sécu", "tarifs sécu"),
    "secteur-2": ("secteur 2", "S2", "dépassement d'honoraires", "dépassements d'honoraires"),
    "non-conventionne": ("non conventionné", "déconventionné"),
})
TIERS_PAYANT = Choices({
    "oui": ("Pratique le tiers payant", "Oui"),
    "non": ("Ne pratique pas le tiers payant", "Non"),
}, synonyms={"oui": ("tiers payant", "tiers-payant", "sans avance de frais", "pas d'avance de frais")})
ACCESSIBILITE = Choices({
    "oui": "Accessible en fauteuil roulant",
}, synonyms={"oui": ("PMR", "fauteuil", "fauteuil roulant", "accessible", "accessibilité", "accès handicapé",
                     "mobilité réduite", "personne à mobilité réduite", "personnes à mobilité réduite")})
# What staff type for each kind of directory record (« structures », « libéral »).
KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "professionnel": ("professionnel", "professionnels", "professionnelle", "libéral", "libéraux", "libérale",
                      "praticien", "praticiens"),
    "structure": ("structure", "structures", "établissement", "établissements", "service", "services"),
}

# -- structures
ORIENTATION_PAR = Choices({
    "medecin": "un médecin", "pmi": "la PMI", "ase": "l'ASE", "education-nationale": "l'Éducation nationale",
    "mdph": "la MDPH", "famille": "la famille elle-même", "structure-soins": "une structure de soins",
})
FRAIS = Choices({
    "gratuit": ("Gratuit pour la famille", "Gratuit"),
    "pris-en-charge": ("Pris en charge par l'Assurance maladie, sans avance de frais",
                       "Pris en charge par l'Assurance maladie"),
    "payant": "Payant",
})

# -- both
STATUTS_FICHE = Choices(dict(RECORD_LABELS))

# -- conventions
TYPES_CONVENTION = Choices({"sante-protegee": "Santé protégée", "partenariat": "Partenariat",
                            "prestation": "Prestation", "subvention": "Subvention", "cadre": "Convention-cadre"})
STATUTS_CONVENTION = Choices(dict(CONVENTION_LABELS))
ROLES_PARTIE = Choices({"prestataire": "prestataire", "partenaire": "partenaire", "financeur": "financeur",
                        "coordinateur": "coordinateur"})
FINANCEURS = Choices({
    "departement": "Département",
    "cpam": ("CPAM (Assurance maladie)", "CPAM (droit commun)"),
    "ars": "ARS",
    "autre": ("Autre financeur", "Autres"),
})
MODES_FINANCEMENT = Choices({"acte": "à l'acte", "forfait": "au forfait", "subvention": "subvention"})
UNITES = Choices({"par-acte": "par acte", "par-enfant": "par enfant", "par-an": "par an", "total": "au total"})
RECONDUCTION = Choices({
    "tacite": ("tacite (reconduite sauf dénonciation)", "Tacite"),
    "expresse": ("expresse (avenant ou nouvelle signature nécessaire)", "Expresse"),
    "aucune": ("aucune (la convention prend fin à la date prévue)", "Aucune"),
})
# A deadline of a running convention: which of its dates is near, worded for its renewal mode.
ECHEANCES = Choices({
    "fin": ("fin de la convention", "Fin"),
    "preavis": ("date limite pour donner le préavis", "Préavis"),
    "denonciation": ("date limite pour dénoncer la reconduction tacite", "Dénonciation"),
})

# The table of each enum field, for generic consumers (spreadsheet exports, the web editor).
BY_FIELD: dict[tuple[str, str], Choices] = {
    ("professionnel", "modalites"): MODALITES,
    ("professionnel", "nouveaux_patients.accepte"): NOUVEAUX_PATIENTS,
    ("professionnel", "sante_protegee.role"): SANTE_PROTEGEE,
    ("professionnel", "conventionnement.secteur"): SECTEURS,
    ("professionnel", "statut"): STATUTS_FICHE,
    ("structure", "orientation.par"): ORIENTATION_PAR,
    ("structure", "frais.type"): FRAIS,
    ("structure", "statut"): STATUTS_FICHE,
    ("convention", "type"): TYPES_CONVENTION,
    ("convention", "statut"): STATUTS_CONVENTION,
    ("convention", "parties.role"): ROLES_PARTIE,
    ("convention", "financements.financeur"): FINANCEURS,
    ("convention", "financements.mode"): MODES_FINANCEMENT,
    ("convention", "financements.unite"): UNITES,
    ("convention", "reconduction.type"): RECONDUCTION,
}
