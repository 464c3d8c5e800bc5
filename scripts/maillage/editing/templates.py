"""Commented French templates for new records (``maillage new``).

A template is a YAML file that a partner fills in with a text editor:

* the first line is the yaml-language-server modeline, so that editors such as VS Code
  complete and check the fields against the JSON Schema;
* every field is preceded by a comment whose text comes from the schema (title and
  description): the template never drifts from what the validator expects;
* required values the partner must supply are written ``""`` and marked « À REMPLIR »:
  until they are filled, ``maillage validate`` reports an error on each of those lines;
* optional fields are commented out (``# champ: exemple``): removing the leading ``# ``
  of a block gives valid YAML whose examples pass the validator.

Template sources below use one convention: a line ``@path``, possibly after the ``# `` of
a commented-out block, is replaced by the schema's documentation of that field (title,
"obligatoire" or "facultatif" as the schema says, description), wrapped and indented like
the line itself.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from maillage.core.files import atomic_write
from maillage.core.french import wrap_french
from maillage.core.kinds import BY_NAME
from maillage.core.kinds import KIND_NAMES as KINDS
from maillage.core.schemas import load_schemas, schemas_dir
from maillage.load.registry import METADATA_FILE

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ID_MAX_LENGTH = 80
PLACEHOLDER = '""'
PLACEHOLDER_MARK = "À REMPLIR"
WIDTH = 92

_DOC_LINE = re.compile(r"^(?P<lead> *(?:# )? *)@(?P<path>[a-z_.*]+)$")

_HEADER = """\
# Nouvelle fiche « {id} » ({label}).
#
# Mode d'emploi :
# 1. Remplacez chaque valeur "" marquée « À REMPLIR » (gardez les guillemets autour des
#    codes et des numéros : "50200", "02 61 91 12 34").
# 2. Champs facultatifs : pour en utiliser un, retirez le « # » et l'espace qui le suivent
#    au début de chacune de ses lignes, sans changer l'alignement ; supprimez les autres.
# 3. Vérifiez : maillage validate (chaque problème est signalé avec sa ligne).
# Jamais de données sur un enfant (nom, date de naissance, numéro de sécurité sociale).
"""

_LIEUX = """\
@lieux
lieux:
  # Premier lieu ; pour en ajouter un, recopiez le bloc qui commence par « - adresse: ».
  @lieux.*.adresse
  - adresse: ""  # À REMPLIR
    @lieux.*.code_postal
    code_postal: ""  # À REMPLIR
    @lieux.*.commune
    commune: ""  # À REMPLIR
    @lieux.*.code_insee
    code_insee: ""  # À REMPLIR
    @lieux.*.nom
    # nom: {lieu_nom}
    @lieux.*.complement_adresse
    # complement_adresse: Bâtiment B, 2e étage
    @lieux.*.telephone
    # telephone: ""
    @lieux.*.courriel
    # courriel: secretariat@example.org
    @lieux.*.rendez_vous
    # rendez_vous: https://example.org/prendre-rendez-vous
    @lieux.*.horaires
    # horaires: {lieu_horaires}
    @lieux.*.accessible_pmr
    # accessible_pmr: true
    @lieux.*.coordonnees
    # coordonnees:
    #   @lieux.*.coordonnees.latitude
    #   latitude: 49.1157
    #   @lieux.*.coordonnees.longitude
    #   longitude: -1.0906
"""


def _lieux(nom: str, horaires: str) -> str:
    """The places block, shared by the templates of professionals and structures."""
    return _LIEUX.replace("{lieu_nom}", nom).replace("{lieu_horaires}", horaires)


_PROFESSIONNEL = (
    """\
@nom
nom: ""  # À REMPLIR
@prenom
prenom: ""  # À REMPLIR
@profession
profession: ""  # À REMPLIR : un identifiant du fichier vocabulaires/professions.yaml
@specialites
# specialites:
#   - troubles-neurodeveloppementaux
#   - suivi-croissance
@rpps
# rpps: ""
@adeli
# adeli: ""
"""
    + _lieux("Cabinet des Halles", "Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00")
    + """\
@ages
# ages:
#   @ages.min
#   min: 0
#   @ages.max
#   max: 18
@modalites
# modalites:
#   - cabinet
#   - domicile
#   - visio
@langues
# langues:
#   - fr
#   - en
@conventionnement
# conventionnement:
#   @conventionnement.secteur
#   secteur: secteur-1
#   @conventionnement.optam
#   optam: false
#   @conventionnement.tiers_payant
#   tiers_payant: true
@sante_protegee
# sante_protegee:
#   @sante_protegee.role
#   role: medecin-referent
#   @sante_protegee.depuis
#   depuis: {today}
#   @sante_protegee.formation_le
#   formation_le: {today}
@nouveaux_patients
# nouveaux_patients:
#   @nouveaux_patients.accepte
#   accepte: oui
#   @nouveaux_patients.delai_semaines
#   delai_semaines: 4
#   @nouveaux_patients.date_information
#   date_information: {today}
@temporaire
# temporaire:
#   @temporaire.*.du
#   - du: {today}
#     @temporaire.*.au
#     au: {today}
#     @temporaire.*.message
#     message: Cabinet fermé pour congés ; en cas d'urgence, appeler le 15.
#     @temporaire.*.horaires
#     horaires: Mo-Fr 09:00-12:00
@description
# description: Consultations pour les enfants et les adolescents, de la naissance à 18 ans.
@site_web
# site_web: https://example.org/
@statut
statut: actif
@verifie_le
verifie_le: {today}
@source
source: ""  # À REMPLIR (par exemple « Déclaration du professionnel »)
# Ligne directe, contact ou notes réservés au Département : jamais dans ce registre, qui est
# public (dépôt, historique, demandes de fusion). Ils se rangent dans le registre interne
# (dépôt privé du Département), dans un fichier du même nom qui ne contient que « interne: ».
"""
)

_STRUCTURE = (
    """\
@nom
nom: ""  # À REMPLIR
@sigle
# sigle: CMP Coutances
@categorie
categorie: ""  # À REMPLIR : un identifiant du fichier vocabulaires/categories.yaml
@finess
# finess: ""
@siret
# siret: ""
@gestionnaire
# gestionnaire:
#   @gestionnaire.nom
#   nom: Centre hospitalier
#   @gestionnaire.finess
#   finess: ""
#   @gestionnaire.siret
#   siret: ""
@structure_parente
# structure_parente: ""
@description
# description: Consultations et soins pour les enfants et les adolescents du secteur.
@site_web
# site_web: https://example.org/
"""
    + _lieux("Antenne de consultation", "Mo-Fr 09:00-12:30,13:30-17:30; PH off")
    + """\
@secteur
# secteur:
#   @secteur.communes
#   communes:
#     - "50147"
#     - "50502"
#   @secteur.territoires
#   territoires:
#     - coutancais
#   @secteur.departement_entier
#   departement_entier: false
@ages
# ages:
#   @ages.min
#   min: 0
#   @ages.max
#   max: 18
@conditions_acces
# conditions_acces: Enfants et adolescents domiciliés dans les communes du secteur.
@orientation
# orientation:
#   @orientation.requise
#   requise: false
#   @orientation.par
#   par:
#     - famille
#     - medecin
#     - ase
#   @orientation.precisions
#   precisions: Un courrier du médecin traitant est souhaité.
@admission
# admission:
#   @admission.procedure
#   procedure: Appel au secrétariat, puis premier entretien d'accueil.
#   @admission.documents
#   documents:
#     - Carnet de santé
#     - Carte Vitale ou attestation de droits
@delai_attente
# delai_attente:
#   @delai_attente.semaines
#   semaines: 8
#   @delai_attente.date_information
#   date_information: {today}
@frais
# frais:
#   @frais.type
#   type: gratuit
#   @frais.precisions
#   precisions: Consultations prises en charge par l'Assurance maladie.
@temporaire
# temporaire:
#   @temporaire.*.du
#   - du: {today}
#     @temporaire.*.au
#     au: {today}
#     @temporaire.*.message
#     message: Cabinet fermé pour congés ; en cas d'urgence, appeler le 15.
#     @temporaire.*.horaires
#     horaires: Mo-Fr 09:00-12:00
@statut
statut: actif
@verifie_le
verifie_le: {today}
@source
source: ""  # À REMPLIR (par exemple « Site de la structure »)
# Ligne directe, contact ou notes réservés au Département : jamais dans ce registre, qui est
# public (dépôt, historique, demandes de fusion). Ils se rangent dans le registre interne
# (dépôt privé du Département), dans un fichier du même nom qui ne contient que « interne: ».
"""
)

_CONVENTION = """\
@intitule
intitule: ""  # À REMPLIR
@objet
objet: ""  # À REMPLIR
@type
type: ""  # À REMPLIR : sante-protegee, partenariat, prestation, subvention ou cadre
@parties
parties:
  @parties.*.professionnel
  - professionnel: ""  # À REMPLIR, ou remplacez « professionnel » par « structure »
    @parties.*.role
    role: prestataire
  @parties.*.structure
  # - structure: ""
  #   role: partenaire
  @parties.*.organisme
  # - organisme: Caisse primaire d'assurance maladie
  #   role: financeur
@services
# services:
#   - bilan-sante-entree
#   - bilan-annuel
@territoires
# territoires:
#   - coutancais
@public
# public:
#   @public.ages
#   ages:
#     @public.ages.min
#     min: 0
#     @public.ages.max
#     max: 18
#   @public.description
#   description: Enfants confiés à l'aide sociale à l'enfance
@enfants_prevus
# enfants_prevus: 40
@financements
# financements:
#   @financements.*.financeur
#   - financeur: departement
#     @financements.*.financeur_precision
#     # financeur_precision: Caisse d'allocations familiales
#     @financements.*.mode
#     mode: forfait
#     @financements.*.montant
#     montant: 240
#     @financements.*.unite
#     unite: par-enfant
@dates
dates:
  @dates.signature
  signature: ""  # À REMPLIR (AAAA-MM-JJ)
  @dates.effet
  effet: {next_year}-01-01
  @dates.fin
  fin: {end_year}-12-31
@reconduction
# reconduction:
#   @reconduction.type
#   type: expresse
#   @reconduction.preavis_mois
#   preavis_mois: 3
# Une convention en projet ou en négociation n'est pas publique : elle se rédige dans le
# registre interne, et n'arrive ici qu'une fois signée (« maillage internal publish ID »).
@statut
statut: signee
@documents
# documents:
#   @documents.*.titre
#   - titre: Convention signée
#     @documents.*.url
#     url: https://example.org/convention-signee.pdf
#     @documents.*.fichier
#     # fichier: convention-signee.pdf
#     @documents.*.public
#     public: true
# Ligne directe, contact ou notes réservés au Département : jamais dans ce registre, qui est
# public (dépôt, historique, demandes de fusion). Ils se rangent dans le registre interne
# (dépôt privé du Département), dans un fichier du même nom qui ne contient que « interne: ».
"""

TEMPLATES = {"professionnel": _PROFESSIONNEL, "structure": _STRUCTURE, "convention": _CONVENTION}
LABELS = {"professionnel": "professionnel de santé", "structure": "structure ou service",
          "convention": "convention"}


class NewRecordError(ValueError):
    """The record cannot be created (French message for the partner)."""


def _path_of(dotted: str) -> tuple[str | int, ...]:
    return tuple(0 if part == "*" else part for part in dotted.split("."))


def _wrap(text: str, width: int) -> list[str]:
    return wrap_french(text, width, None)


def field_doc(kind: str, dotted: str) -> str:
    """« Title (obligatoire) : description » of a field, from the schema."""
    schemas = load_schemas()
    path = _path_of(dotted)
    node = schemas.subschema(kind, path)
    parent = schemas.subschema(kind, path[:-1])
    if node is None or parent is None:
        raise KeyError(f"champ inconnu du schéma {kind} : {dotted}")
    title = str(node.get("title") or dotted.rsplit(".", 1)[-1])
    description = str(node.get("description") or "")
    status = "obligatoire" if path[-1] in (parent.get("required") or ()) else "facultatif"
    return f"{title} ({status}) : {description}" if description else f"{title} ({status})."


def render(kind: str, record_id: str, target: Path, today: date) -> str:
    """The template text for a new record of ``kind`` written at ``target``."""
    if kind not in TEMPLATES:
        raise NewRecordError(f"Type de fiche inconnu : « {kind} » (professionnel, structure ou convention).")
    schema_file = schemas_dir() / f"{kind}.schema.json"
    try:
        relative = os.path.relpath(schema_file, target.parent.resolve()).replace(os.sep, "/")
    except ValueError:  # another drive (Windows)
        relative = schema_file.as_posix()
    body = TEMPLATES[kind].format(today=today.isoformat(), next_year=today.year + 1,
                                  end_year=today.year + 3)
    out = [f"# yaml-language-server: $schema={relative}",
           *_HEADER.format(id=record_id, label=LABELS[kind]).rstrip("\n").split("\n")]
    for line in body.rstrip("\n").split("\n"):
        match = _DOC_LINE.match(line)
        if match is None:
            out.append(line)
            continue
        lead = match["lead"] + "# "
        doc = field_doc(kind, match["path"])
        out.extend(lead + part for part in _wrap(doc, max(40, WIDTH - len(lead))))
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Created:
    path: Path
    kind: str
    record_id: str


def check_id(record_id: str) -> None:
    if len(record_id) > ID_MAX_LENGTH or not ID_PATTERN.fullmatch(record_id):
        from maillage.validation import suggest_id

        raise NewRecordError(
            f"« {record_id} » n'est pas un identifiant valide : utilisez des lettres minuscules sans "
            f"accents, des chiffres et des tirets (80 caractères au plus), par exemple "
            f"« {suggest_id(record_id)[:ID_MAX_LENGTH]} ».")


def create(registry: Path, kind: str, record_id: str, today: date) -> Created:
    """Write ``registry/<folder>/<record_id>.yaml`` from the template; never overwrite."""
    if kind not in KINDS:
        raise NewRecordError(f"Type de fiche inconnu : « {kind} » (professionnel, structure ou convention).")
    check_id(record_id)
    if not (registry / METADATA_FILE).is_file():
        raise NewRecordError(f"« {registry} » n'est pas un registre : le fichier {METADATA_FILE} est "
                             "introuvable (indiquez le dossier avec --registry).")
    for other in KINDS:
        existing = registry / BY_NAME[other].folder / f"{record_id}.yaml"
        if existing.exists():
            where = "" if other == kind else f" (une fiche de type {other})"
            raise NewRecordError(
                f"La fiche « {existing} » existe déjà{where} : elle n'est jamais écrasée. Modifiez-la "
                "directement, ou choisissez un autre identifiant.")
    folder = registry / BY_NAME[kind].folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yaml"
    text = render(kind, record_id, path, today)
    try:
        atomic_write(path, text.encode("utf-8"), exclusive=True)  # fails if the file appeared meanwhile
    except FileExistsError:
        raise NewRecordError(f"La fiche « {path} » existe déjà : elle n'est jamais écrasée.") from None
    return Created(path, kind, record_id)
