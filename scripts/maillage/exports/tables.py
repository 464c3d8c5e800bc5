"""The relational tables of the open-data export (one CSV each).

Lists of vocabulary terms (specialties, languages, modes…) are ``;``-joined in one
column: their values are slugs that never contain ``;``. Lists of free text or of
sub-objects (places, sector communes, admission documents, parties, financing lines,
documents) get their own table keyed by the record id and a rank.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from maillage.core.model import Convention, Lieu, Model, Professionnel, Structure
from maillage.exports.columns import Column, ForeignKey, Table, derived, field, interne_columns
from maillage.exports.coverage_table import COUVERTURE

P, S, C = "professionnel", "structure", "convention"
ID_DESCRIPTION = "Identifiant stable de la fiche (nom du fichier YAML sans « .yaml »)."
RANK_DESCRIPTION = "Rang de la ligne dans la fiche (1, 2, 3…)."


def _id(kind_label: str) -> Column:
    return derived("id", lambda r: r.id, "Identifiant", f"{ID_DESCRIPTION} Clé de la table des {kind_label}.",
                   required=True)


def _label(vocabulary: str, attr: str, name: str, title: str) -> Column:
    return derived(name, lambda row: row[1].label(vocabulary, getattr(row[0], attr)), title,
                   f"Libellé français du terme, tiré du vocabulaire « {vocabulary} ».")


def _temporary() -> Column:
    """The temporary information current on the day of the export (closures, absences): gone by itself."""
    def current(row: tuple[Any, Model]) -> str | None:
        record, model = row
        items = [f"du {t.du.isoformat()} au {t.au.isoformat()} : {t.message}" for t in record.temporaire
                 if t.current(model.today)]
        return " | ".join(items) or None

    return derived("information_temporaire", current, "Information temporaire en cours",
                   "Information temporaire (fermeture, absence, horaires changés) en cours le jour de l'export : "
                   "« du AAAA-MM-JJ au AAAA-MM-JJ : message », plusieurs séparées par « | » ; vide sinon. "
                   "Elle disparaît d'elle-même à la fin de sa période.")


def _with_model(model: Model, records: tuple[Any, ...]) -> Iterator[tuple[Any, Model]]:
    return ((r, model) for r in records)


def _wrap(column: Column) -> Column:
    """Adapt a column reading a record to rows shaped ``(record, model)``."""
    getter = column.get
    return replace(column, get=lambda row: getter(row[0]))


def _ages(kind: str, attr: str, *path: str) -> tuple[Column, Column]:
    def bound(name: str) -> Any:
        return lambda r: getattr(getattr(r, attr), name) if getattr(r, attr) else None

    return (field(kind, *path, "min", name=f"{attr}_min", get=bound("min")),
            field(kind, *path, "max", name=f"{attr}_max", get=bound("max")))


def _sub(obj: str, attr: str) -> Any:
    return lambda r: getattr(getattr(r, obj), attr) if getattr(r, obj) else None


PROFESSIONNELS = Table(
    "professionnels", "Professionnels", "Un professionnel de santé par ligne.",
    lambda m: _with_model(m, m.professionnels),
    (
        _wrap(_id("professionnels")),
        _wrap(field(P, "nom", get=lambda r: r.nom)),
        _wrap(field(P, "prenom", get=lambda r: r.prenom)),
        _wrap(field(P, "profession", get=lambda r: r.profession)),
        _label("professions", "profession", "profession_libelle", "Libellé de la profession"),
        _wrap(field(P, "specialites", get=lambda r: r.specialites)),
        _wrap(field(P, "rpps", get=lambda r: r.rpps)),
        _wrap(field(P, "adeli", get=lambda r: r.adeli)),
        *map(_wrap, _ages(P, "ages", "ages")),
        _wrap(field(P, "modalites", get=lambda r: r.modalites)),
        _wrap(field(P, "langues", get=lambda r: r.langues)),
        _wrap(field(P, "conventionnement", "secteur", get=_sub("conventionnement", "secteur"))),
        _wrap(field(P, "conventionnement", "optam", get=_sub("conventionnement", "optam"))),
        _wrap(field(P, "conventionnement", "tiers_payant", get=_sub("conventionnement", "tiers_payant"))),
        _wrap(field(P, "sante_protegee", "role", get=_sub("sante_protegee", "role"))),
        _wrap(field(P, "sante_protegee", "depuis", get=_sub("sante_protegee", "depuis"))),
        _wrap(field(P, "sante_protegee", "formation_le", get=_sub("sante_protegee", "formation_le"))),
        _wrap(field(P, "nouveaux_patients", "accepte", get=_sub("nouveaux_patients", "accepte"))),
        _wrap(field(P, "nouveaux_patients", "delai_semaines", get=_sub("nouveaux_patients", "delai_semaines"))),
        _wrap(field(P, "nouveaux_patients", "date_information",
                    get=_sub("nouveaux_patients", "date_information"))),
        _wrap(field(P, "description", get=lambda r: r.description)),
        _wrap(field(P, "site_web", get=lambda r: r.site_web)),
        _wrap(field(P, "statut", get=lambda r: r.statut)),
        _temporary(),
        _wrap(field(P, "verifie_le", get=lambda r: r.verifie_le)),
        _wrap(field(P, "source", get=lambda r: r.source)),
        *map(_wrap, interne_columns(P)),
    ),
    ("id",),
)

STRUCTURES = Table(
    "structures", "Structures", "Un établissement ou service par ligne.",
    lambda m: _with_model(m, m.structures),
    (
        _wrap(_id("structures")),
        _wrap(field(S, "nom", get=lambda r: r.nom)),
        _wrap(field(S, "sigle", get=lambda r: r.sigle)),
        _wrap(field(S, "categorie", get=lambda r: r.categorie)),
        _label("categories", "categorie", "categorie_libelle", "Libellé de la catégorie"),
        _wrap(field(S, "finess", get=lambda r: r.finess)),
        _wrap(field(S, "siret", get=lambda r: r.siret)),
        _wrap(field(S, "gestionnaire", "nom", get=_sub("gestionnaire", "nom"))),
        _wrap(field(S, "gestionnaire", "finess", get=_sub("gestionnaire", "finess"))),
        _wrap(field(S, "gestionnaire", "siret", get=_sub("gestionnaire", "siret"))),
        _wrap(field(S, "structure_parente", get=lambda r: r.structure_parente)),
        _wrap(field(S, "description", get=lambda r: r.description)),
        _wrap(field(S, "site_web", get=lambda r: r.site_web)),
        _wrap(field(S, "secteur", "territoires", get=lambda r: r.secteur.territoires if r.secteur else ())),
        _wrap(field(S, "secteur", "departement_entier", get=_sub("secteur", "departement_entier"))),
        *map(_wrap, _ages(S, "ages", "ages")),
        _wrap(field(S, "conditions_acces", get=lambda r: r.conditions_acces)),
        _wrap(field(S, "orientation", "requise", get=lambda r: r.orientation_requise)),
        _wrap(field(S, "orientation", "par", get=lambda r: r.orientation_par)),
        _wrap(field(S, "orientation", "precisions", get=lambda r: r.orientation_precisions)),
        _wrap(field(S, "admission", "procedure", get=lambda r: r.admission_procedure)),
        _wrap(field(S, "delai_attente", "semaines", get=lambda r: r.delai_attente_semaines)),
        _wrap(field(S, "delai_attente", "date_information", get=lambda r: r.delai_attente_date)),
        _wrap(field(S, "frais", "type", get=lambda r: r.frais)),
        _wrap(field(S, "frais", "precisions", get=lambda r: r.frais_precisions)),
        _wrap(field(S, "statut", get=lambda r: r.statut)),
        _temporary(),
        _wrap(field(S, "verifie_le", get=lambda r: r.verifie_le)),
        _wrap(field(S, "source", get=lambda r: r.source)),
        *map(_wrap, interne_columns(S)),
    ),
    ("id",),
    (ForeignKey("structure_parente", "structures"),),
)


def _lieux(model: Model) -> Iterator[tuple[Professionnel | Structure, Lieu]]:
    for record in (*model.professionnels, *model.structures):
        for lieu in record.lieux:
            yield record, lieu


def _l(attr: str) -> Any:
    return lambda row: getattr(row[1], attr)


def _pos(attr: str) -> Any:
    return lambda row: getattr(row[1].position, attr)


LIEUX = Table(
    "lieux", "Lieux", "Un lieu d'exercice ou d'accueil par ligne, avec ses coordonnées géographiques.",
    _lieux,
    (
        derived("id", lambda row: row[1].id(row[0].id), "Identifiant du lieu",
                "Identifiant de la fiche suivi du rang du lieu (par exemple « lefevre-claire-1 »).", required=True),
        derived("professionnel_id", lambda row: row[0].id if row[0].kind == "professionnel" else None,
                "Professionnel", "Identifiant du professionnel qui exerce dans ce lieu (vide pour une structure)."),
        derived("structure_id", lambda row: row[0].id if row[0].kind == "structure" else None,
                "Structure", "Identifiant de la structure qui accueille dans ce lieu (vide pour un professionnel)."),
        derived("numero", _l("numero"), "Rang", RANK_DESCRIPTION, "integer", required=True),
        field(P, "lieux", "*", "nom", name="nom", get=_l("nom")),
        field(P, "lieux", "*", "adresse", name="adresse", get=_l("adresse")),
        field(P, "lieux", "*", "complement_adresse", name="complement_adresse", get=_l("complement_adresse")),
        field(P, "lieux", "*", "code_postal", name="code_postal", get=_l("code_postal")),
        field(P, "lieux", "*", "commune", name="commune", get=_l("commune")),
        field(P, "lieux", "*", "code_insee", name="code_insee", get=_l("code_insee")),
        derived("territoire", _l("territoire"), "Territoire",
                "Territoire du vocabulaire des territoires auquel appartient la commune (déduit du code INSEE)."),
        derived("latitude", _pos("latitude"), "Latitude", "Latitude WGS 84 en degrés décimaux (6 décimales).",
                "number", required=True, decimals=6),
        derived("longitude", _pos("longitude"), "Longitude", "Longitude WGS 84 en degrés décimaux (6 décimales).",
                "number", required=True, decimals=6),
        derived("precision", _pos("precision"), "Précision de la position",
                "numero (adresse exacte), rue, lieu-dit, commune (centre de la commune, adresse non trouvée) "
                "ou manuel (coordonnées saisies dans la fiche).", required=True,
                enum=("numero", "rue", "lieu-dit", "commune", "manuel")),
        derived("geocodeur", _pos("provider"), "Origine de la position",
                "ban (Base adresse nationale), nominatim (OpenStreetMap), gazetteer (centre de la commune) "
                "ou manuel.", required=True),
        field(P, "lieux", "*", "telephone", name="telephone", get=_l("telephone")),
        field(P, "lieux", "*", "courriel", name="courriel", get=_l("courriel")),
        field(P, "lieux", "*", "rendez_vous", name="rendez_vous", get=_l("rendez_vous")),
        field(P, "lieux", "*", "horaires", name="horaires", get=_l("horaires")),
        field(P, "lieux", "*", "accessible_pmr", name="accessible_pmr", get=_l("accessible_pmr")),
    ),
    ("id",),
    (ForeignKey("professionnel_id", "professionnels"), ForeignKey("structure_id", "structures")),
)


def _secteurs(model: Model) -> Iterator[tuple[str, str]]:
    for s in model.structures:
        for insee in s.secteur.communes if s.secteur else ():
            yield s.id, insee


STRUCTURE_SECTEURS = Table(
    "structure_secteurs", "Secteurs des structures",
    "Une commune couverte par une structure sectorisée par ligne (territoires et département entier dépliés).",
    _secteurs,
    (
        derived("structure_id", lambda row: row[0], "Structure", "Identifiant de la structure.", required=True),
        field(S, "secteur", "communes", name="code_insee", get=lambda row: row[1], required=True),
    ),
    ("structure_id", "code_insee"),
    (ForeignKey("structure_id", "structures"),),
)


def _admission_documents(model: Model) -> Iterator[tuple[str, int, str]]:
    for s in model.structures:
        for rank, text in enumerate(s.admission_documents, start=1):
            yield s.id, rank, text


ADMISSION_DOCUMENTS = Table(
    "admission_documents", "Documents d'admission", "Un document demandé à l'admission dans une structure par ligne.",
    _admission_documents,
    (
        derived("structure_id", lambda row: row[0], "Structure", "Identifiant de la structure.", required=True),
        derived("rang", lambda row: row[1], "Rang", RANK_DESCRIPTION, "integer", required=True),
        field(S, "admission", "documents", name="document", get=lambda row: row[2], required=True),
    ),
    ("structure_id", "rang"),
    (ForeignKey("structure_id", "structures"),),
)

CONVENTIONS = Table(
    "conventions", "Conventions", "Une convention par ligne.",
    lambda m: _with_model(m, m.conventions),
    tuple(_wrap(c) for c in (
        _id("conventions"),
        field(C, "intitule", get=lambda r: r.intitule),
        field(C, "objet", get=lambda r: r.objet),
        field(C, "type", get=lambda r: r.type),
        field(C, "statut", get=lambda r: r.statut),
        field(C, "services", get=lambda r: r.services),
        field(C, "territoires", get=lambda r: r.territoires),
        *_ages(C, "public_ages", "public", "ages"),
        field(C, "public", "description", get=lambda r: r.public_description),
        field(C, "enfants_prevus", get=lambda r: r.enfants_prevus),
        field(C, "dates", "signature", name="signature", get=lambda r: r.signature),
        field(C, "dates", "effet", name="effet", get=lambda r: r.effet),
        field(C, "dates", "fin", name="fin", get=lambda r: r.fin),
        field(C, "reconduction", "type", get=lambda r: r.reconduction),
        field(C, "reconduction", "preavis_mois", get=lambda r: r.preavis_mois),
        derived("date_preavis", lambda r: r.date_preavis, "Date limite de préavis",
                "Dernier jour pour dénoncer la convention avant sa date de fin (date de fin moins le préavis).",
                "date"),
        *interne_columns(C),
    )),
    ("id",),
)

def _ranked(attr: str) -> Any:
    def rows(model: Model) -> Iterator[tuple[Convention, int, Any]]:
        for c in model.conventions:
            for rank, item in enumerate(getattr(c, attr), start=1):
                yield c, rank, item
    return rows


def _item(attr: str) -> Any:
    return lambda row: getattr(row[2], attr)


def _conv_key() -> tuple[Column, Column]:
    return (
        derived("convention_id", lambda row: row[0].id, "Convention", "Identifiant de la convention.", required=True),
        derived("rang", lambda row: row[1], "Rang", RANK_DESCRIPTION, "integer", required=True),
    )


CONVENTION_PARTIES = Table(
    "convention_parties", "Parties des conventions", "Un signataire d'une convention par ligne.",
    _ranked("parties"),
    (
        *_conv_key(),
        field(C, "parties", "*", "role", name="role", get=_item("role")),
        field(C, "parties", "*", "professionnel", name="professionnel_id", get=_item("professionnel")),
        field(C, "parties", "*", "structure", name="structure_id", get=_item("structure")),
        field(C, "parties", "*", "organisme", name="organisme", get=_item("organisme")),
    ),
    ("convention_id", "rang"),
    (ForeignKey("convention_id", "conventions"), ForeignKey("professionnel_id", "professionnels"),
     ForeignKey("structure_id", "structures")),
)

FINANCEMENTS = Table(
    "financements", "Financements des conventions", "Une ligne de financement d'une convention par ligne.",
    _ranked("financements"),
    (
        *_conv_key(),
        field(C, "financements", "*", "financeur", name="financeur", get=_item("financeur")),
        field(C, "financements", "*", "financeur_precision", name="financeur_precision",
              get=_item("financeur_precision")),
        field(C, "financements", "*", "mode", name="mode", get=_item("mode")),
        field(C, "financements", "*", "montant", name="montant", get=_item("montant"), decimals=2),
        field(C, "financements", "*", "unite", name="unite", get=_item("unite")),
    ),
    ("convention_id", "rang"),
    (ForeignKey("convention_id", "conventions"),),
)

CONVENTION_DOCUMENTS = Table(
    "convention_documents", "Documents des conventions",
    "Un document d'une convention par ligne (dans l'export public : seulement les documents publics).",
    _ranked("documents"),
    (
        *_conv_key(),
        field(C, "documents", "*", "titre", name="titre", get=_item("titre")),
        field(C, "documents", "*", "fichier", name="fichier", get=_item("fichier")),
        field(C, "documents", "*", "url", name="url", get=_item("url")),
        field(C, "documents", "*", "public", name="public", get=_item("public")),
    ),
    ("convention_id", "rang"),
    (ForeignKey("convention_id", "conventions"),),
)

TABLES: tuple[Table, ...] = (
    PROFESSIONNELS, STRUCTURES, LIEUX, STRUCTURE_SECTEURS, ADMISSION_DOCUMENTS,
    CONVENTIONS, CONVENTION_PARTIES, FINANCEMENTS, CONVENTION_DOCUMENTS, COUVERTURE,
)
