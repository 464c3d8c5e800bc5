"""The registry in the data·inclusion v1 format (``structures.json`` and ``services.json``).

Mapping (documented in ``docs/donnees.md``):

- every structure and every professional's practice is a data·inclusion *structure*;
- every place of a record is one *service* (data·inclusion services have one address);
- categories and professions map onto *thématiques*, *publics* and *réseaux porteurs*
  through the tables below; what has no equivalent is left out (``type`` of service,
  Santé protégée role, RPPS/FINESS numbers, sector communes beyond ``zone_eligibilite``).
"""

from __future__ import annotations

import re
from typing import Any

from maillage.core.model import Lieu, Model, Professionnel, Structure
from maillage.exports.geojson import record_url
from maillage.exports.json_export import COORDINATE_DECIMALS, dumps

MENTAL_HEALTH = "sante--sante-mentale"
CARE = "sante--acces-aux-soins"
THEMATIQUES_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    **{c: (MENTAL_HEALTH,) for c in (
        "cmp", "cmpp", "cattp", "hopital-de-jour", "service-pedopsychiatrie", "centre-ressources-autisme",
        "maison-des-adolescents", "point-accueil-ecoute-jeunes", "espace-sante-jeunes")},
    "pmi": (CARE, "famille--soutien-a-la-parentalite-et-a-leducation"),
    "mdph": ("sante--constituer-un-dossier-mdph-invalidite",),
    "csapa": ("sante--addictions",),
    "centre-planification": ("sante--sante-sexuelle",),
    "cegidd": ("sante--sante-sexuelle",),
}
PSY_PROFESSIONS = frozenset({"pedopsychiatre", "psychiatre", "psychologue", "psychotherapeute"})
DISABILITY_CATEGORIES = frozenset({
    "camsp", "pco-tnd", "sessad", "ime", "itep", "iem", "eeap", "institut-deficients-auditifs",
    "institut-deficients-visuels", "mdph", "centre-ressources-autisme"})
RESEAUX_BY_CATEGORY = {"cmp": "cmp", "mdph": "mdph", "pmi": "departements", "csapa": "csapa"}
FRAIS = {"gratuit": "gratuit", "pris-en-charge": "gratuit", "payant": "payant"}
FRAIS_PRECISIONS = {"pris-en-charge": "Pris en charge par l'Assurance maladie, sans avance de frais."}
MODES_ACCUEIL = {"cabinet": "en-presentiel", "domicile": "en-presentiel", "visio": "a-distance"}
ADOLESCENT_AGE = 12


def source_id(model: Model) -> str:
    return f"maillage-{model.meta.departement_code.lower()}"


def e164(phone: str | None) -> str | None:
    """``02 61 91 12 34`` → ``+33261911234`` (the format data·inclusion prefers)."""
    if not phone:
        return None
    digits = re.sub(r"[ .]", "", phone)
    return "+33" + digits[1:] if digits.startswith("0") else digits


def _name(model: Model, record: Professionnel | Structure) -> str:
    if isinstance(record, Professionnel):
        name = f"{record.nom_complet}, {model.label('professions', record.profession).lower()}"
    else:
        name = record.nom
    return name[:150].rstrip(" .") if len(name) >= 3 else f"{name} ({record.id})"


def _description(model: Model, record: Professionnel | Structure) -> str:
    if record.description and len(record.description) >= 5:
        return record.description
    label = model.label("professions", record.profession) if isinstance(record, Professionnel) \
        else model.label("categories", record.categorie)
    return f"{label} recevant des enfants ({model.meta.departement_nom})."


def _address(place: Lieu) -> dict[str, Any]:
    return {
        "adresse": place.adresse, "complement_adresse": place.complement_adresse,
        "code_postal": place.code_postal, "commune": place.commune, "code_insee": place.code_insee,
        "latitude": round(place.position.latitude, COORDINATE_DECIMALS),
        "longitude": round(place.position.longitude, COORDINATE_DECIMALS),
    }


def structure(model: Model, record: Professionnel | Structure) -> dict[str, Any]:
    first = record.lieux[0]
    reseaux = RESEAUX_BY_CATEGORY.get(record.categorie) if isinstance(record, Structure) else None
    out = {
        "source": source_id(model), "id": record.id, "nom": _name(model, record),
        "date_maj": record.verifie_le.isoformat(), "description": _description(model, record),
        "siret": record.siret if isinstance(record, Structure) else None,
        **_address(first), "telephone": e164(first.telephone), "courriel": first.courriel,
        "site_web": record.site_web, "lien_source": record_url(model, record),
        "horaires_accueil": first.horaires, "reseaux_porteurs": [reseaux] if reseaux else None,
    }
    return {k: v for k, v in out.items() if v is not None}


def _thematiques(record: Professionnel | Structure) -> list[str]:
    if isinstance(record, Structure):
        return list(THEMATIQUES_BY_CATEGORY.get(record.categorie, (CARE,)))
    return [MENTAL_HEALTH] if record.profession in PSY_PROFESSIONS else [CARE]


def _publics(record: Professionnel | Structure) -> list[str]:
    publics = ["familles"]
    if record.ages is None or record.ages.max >= ADOLESCENT_AGE:
        publics.append("jeunes")
    if isinstance(record, Structure) and record.categorie in DISABILITY_CATEGORIES:
        publics.append("personnes-en-situation-de-handicap")
    return publics


def _publics_precisions(record: Professionnel | Structure) -> str:
    ages = f"Enfants de {record.ages.min} à {record.ages.max} ans." if record.ages else "Enfants et adolescents."
    conditions = getattr(record, "conditions_acces", None)
    return f"{ages} {conditions}" if conditions else ages


def _fees(record: Professionnel | Structure) -> tuple[str | None, str | None]:
    if isinstance(record, Structure):
        return (FRAIS.get(record.frais) if record.frais else None,
                record.frais_precisions or FRAIS_PRECISIONS.get(record.frais or ""))
    if record.sante_protegee and record.sante_protegee.role == "professionnel-forfait":
        return "gratuit", "Pris en charge au forfait dans le cadre du dispositif Santé protégée."
    conv = record.conventionnement
    if conv is None:
        return None, None
    details = {"secteur-1": "Conventionné secteur 1", "secteur-2": "Conventionné secteur 2",
               "non-conventionne": "Non conventionné"}.get(conv.secteur)
    if details and conv.tiers_payant:
        details += ", tiers payant"
    return "payant", f"{details}." if details else None


def _mobilisation(record: Professionnel | Structure, place: Lieu) -> dict[str, Any]:
    modes = [mode for mode, present in (("envoyer-un-courriel", place.courriel), ("telephoner", place.telephone),
                                        ("utiliser-lien-mobilisation", place.rendez_vous)) if present]
    out: dict[str, Any] = {"modes_mobilisation": modes or None, "lien_mobilisation": place.rendez_vous}
    if isinstance(record, Structure):
        out["mobilisable_par"] = ["professionnels"] if record.orientation_requise else ["usagers", "professionnels"]
        precisions = [t for t in (record.orientation_precisions, record.admission_procedure) if t]
        out["mobilisation_precisions"] = " ".join(precisions) or None
    else:
        out["mobilisable_par"] = ["usagers", "professionnels"]
    return out


def _zone(model: Model, record: Professionnel | Structure) -> list[str] | None:
    if not isinstance(record, Structure) or record.secteur is None:
        return None
    if record.secteur.departement_entier:
        return [model.meta.departement_code]
    return list(record.secteur.communes) or None


def service(model: Model, record: Professionnel | Structure, place: Lieu) -> dict[str, Any]:
    label = model.label("professions", record.profession) if isinstance(record, Professionnel) \
        else model.label("categories", record.categorie)
    frais, frais_precisions = _fees(record)
    modes = sorted({MODES_ACCUEIL[m] for m in record.modalites}) if isinstance(record, Professionnel) \
        and record.modalites else ["en-presentiel"]
    nom = f"{label} — {place.nom or place.commune}"
    out = {
        "source": source_id(model), "id": place.id(record.id), "structure_id": record.id,
        "nom": nom[:150].rstrip(" ."), "description": _description(model, record),
        "date_maj": record.verifie_le.isoformat(), "thematiques": _thematiques(record),
        "publics": _publics(record), "publics_precisions": _publics_precisions(record),
        "frais": frais, "frais_precisions": frais_precisions, "modes_accueil": modes,
        "conditions_acces": getattr(record, "conditions_acces", None),
        **_address(place), "telephone": e164(place.telephone), "courriel": place.courriel,
        "horaires_accueil": place.horaires, "lien_source": record_url(model, record),
        **_mobilisation(record, place), "zone_eligibilite": _zone(model, record),
    }
    return {k: v for k, v in out.items() if v is not None}


def render(model: Model) -> dict[str, bytes]:
    records = (*model.structures, *model.professionnels)
    return {
        # generators: ``dumps`` writes them item by item (same bytes as a list, a fraction of the memory)
        "data-inclusion/structures.json": dumps(structure(model, r) for r in records),
        "data-inclusion/services.json": dumps(service(model, r, p) for r in records for p in r.lieux),
    }
