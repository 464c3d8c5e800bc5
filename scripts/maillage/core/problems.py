"""The one catalogue of every problem Maillage reports, with its French wording.

Each entry has a stable code (used in tests, CI annotations and the contributor
documentation), a severity, a message template with typed fields (each with an example
value, shown in the documentation), what it means and how to fix it. Messages are
written for a partner who is not a developer. Call sites give values (a field name, a
number, the key of a declared reason), never French sentences: see
:mod:`maillage.core.problem_types` for the field types and the template syntax.

``docs/contribuer/messages.md`` is generated from this file (``python -m maillage.dev.gen_docs``).
"""

from __future__ import annotations

from datetime import date

from maillage.core.kinds import KINDS
from maillage.core.problem_types import (
    AnyOf,
    Day,
    Entry,
    FieldPath,
    FieldType,
    Finding,
    Integer,
    Maybe,
    Number,
    OneOf,
    Problem,
    ProblemFieldError,
    ProblemList,
    Reason,
    Reasons,
    Severity,
    Text,
    Texts,
    YamlValue,
    sort_key,
)

__all__ = ["CATALOGUE", "Entry", "Finding", "Problem", "ProblemFieldError", "ProblemList", "Severity", "finding",
           "phrase", "problem", "sort_key"]

CATALOGUE: dict[str, Entry] = {}
# The parameters of :func:`problem`: no field may take their names.
RESERVED = frozenset({"code", "file", "line", "column", "path"})


def _entry(code: str, severity: Severity, category: str, template: str, meaning: str, fix: str,
           **fields: FieldType) -> None:
    if code in CATALOGUE:
        raise ValueError(f"duplicate problem code {code}")
    entry = Entry(code, severity, category, template, meaning, fix, fields)
    names = set(fields) | {n for reasons in entry.reasons().values() for r in reasons.choices.values()
                           for n in r.fields}
    if names & RESERVED:
        raise ValueError(f"{code}: field names {names & RESERVED} are reserved")
    CATALOGUE[code] = entry


def finding(code: str, **fields: object) -> Finding:
    """A catalogued message without a position. Unknown codes and wrong fields are programming errors."""
    entry = CATALOGUE[code]
    return Finding(code, entry.severity, entry.render(fields), fields)


def problem(code: str, file: str, line: int = 0, column: int = 0, path: str = "", **fields: object) -> Problem:
    """Build a problem from the catalogue. Unknown codes and wrong fields are programming errors."""
    return finding(code, **fields).at(file, line, column, path)


E, W = Severity.ERROR, Severity.WARNING
FILE, YAML, SCHEMA, ID, REF, DATE, GEO, VOCAB, CONTENT, PRIVACY, BORDER, REGISTRY, GEOCODING = (
    "Fichier",
    "Syntaxe YAML",
    "Structure de la fiche",
    "Identifiants",
    "Références entre fiches",
    "Dates et statuts",
    "Adresses et communes",
    "Vocabulaires",
    "Contenu",
    "Protection des enfants",
    "Registre public et registre interne",
    "Registre",
    "Géocodage",
)

# Fields shared by several entries.
FIELD = FieldPath(("lieux", 0, "code_postal"))
RECORD_KIND = OneOf({k.name: k.article for k in KINDS}, "professionnel")
OTHER = {"other_kind": RECORD_KIND, "other_id": Text("lefevre-claire"),
         "other_file": Text("registry/professionnels/lefevre-claire.yaml")}
SUGGESTION = Maybe(Text("orthophoniste"))
ADDRESS = Text("12 rue des Halles, 50200 Coutances")
STATUS = Text("active")
DATE_LABELS = {"signature": "de signature", "effet": "d'effet", "fin": "de fin"}
# What becomes of a place whose address was not geocoded this time.
FALLBACK = Reasons({
    "kept": Reason("la position déjà connue (précision « {precision} ») est conservée",
                   {"precision": Text("rue")}),
    "centroid": Reason("le lieu reste placé au centre de la commune"),
}, "centroid")

# --- Files -----------------------------------------------------------------
_entry("file-unreadable", E, FILE, "Impossible de lire le fichier : {reason}.",
       "Le fichier n'a pas pu être ouvert.", "Vérifiez que le fichier existe et qu'il n'est pas vide ou verrouillé.",
       reason=Reasons({
           "missing": Reason("il n'existe pas"),
           "denied": Reason("accès refusé"),
           "system": Reason("erreur du système ({error})", {"error": Text("Input/output error")}),
       }, "denied"))
_entry("file-too-large", E, FILE,
       "Le fichier pèse {size} octets, au-delà de la limite de {limit} octets pour une fiche.",
       "Une fiche décrit une seule ressource ; un fichier aussi gros est une erreur ou une tentative d'abus.",
       "Découpez le contenu en plusieurs fiches ou raccourcissez les textes.",
       size=Integer(300_000), limit=Integer(262_144))
_entry("file-encoding", E, FILE,
       "Le fichier n'est pas enregistré en UTF-8 (caractère illisible ici).",
       "Les accents ont été enregistrés dans un autre encodage (souvent Windows-1252).",
       "Dans votre éditeur, choisissez « Enregistrer sous » avec l'encodage UTF-8.")
_entry("file-extension", W, FILE,
       "Le fichier « {name} » est ignoré : les fiches doivent se terminer par « .yaml ».",
       "Seuls les fichiers `.yaml` des dossiers `professionnels/`, `structures/` et `conventions/` sont lus.",
       "Renommez le fichier avec l'extension `.yaml`.",
       name=Text("martin-paul.yml"))
_entry("file-misplaced", W, FILE,
       "Le dossier « {name} » est ignoré : les fiches se rangent directement dans {folder}/.",
       "Les sous-dossiers ne sont pas lus.", "Déplacez les fiches directement dans le dossier de leur type.",
       name=Text("anciennes"), folder=Text("professionnels"))
_entry("id-filename", E, ID,
       "Le nom du fichier « {name} » n'est pas un identifiant valide : utilisez des lettres minuscules "
       "sans accents, des chiffres et des tirets, par exemple « {suggestion}.yaml ».",
       "Le nom du fichier (sans `.yaml`) est l'identifiant de la fiche et l'adresse de sa page.",
       "Renommez le fichier : minuscules, sans accents ni espaces, mots séparés par des tirets.",
       name=Text("Claire_Lefèvre.yaml"), suggestion=Text("claire-lefevre"))

# --- YAML ------------------------------------------------------------------
_entry("yaml-syntax", E, YAML, "Erreur de syntaxe YAML : {reason}.",
       "Le fichier ne respecte pas la syntaxe YAML (indentation, deux-points, guillemets).",
       "Vérifiez l'indentation (espaces uniquement), la présence de `:` après chaque nom de champ, "
       "et fermez les guillemets ouverts.",
       reason=Reasons({
           "colon-in-value": Reason("un « : » est mal placé (une valeur contenant « : » doit être "
                                    "entre guillemets)"),
           "missing-colon": Reason("il manque « : » après le nom du champ"),
           "indentation": Reason("décalage des lignes (indentation) : ce champ doit commencer à la même "
                                 "colonne que les champs voisins, avec des espaces"),
           "list-indentation": Reason("décalage des lignes (indentation) dans la liste : les tirets « - » d'une "
                                      "même liste commencent à la même colonne, et les champs d'un élément "
                                      "s'alignent sous le premier, après le tiret"),
           "unexpected-end": Reason("fin de fichier inattendue (guillemet ou crochet non fermé ?)"),
           "unknown-escape": Reason("caractère d'échappement inconnu après « \\ » entre guillemets"),
           "unknown-tag-handle": Reason("étiquette YAML inconnue"),
           "misplaced-dash": Reason("un tiret de liste est mal placé"),
           "unexpected-character": Reason("caractère inattendu (« @ », « ` », « % » ou tabulation) : mettez "
                                          "la valeur entre guillemets"),
           "control-character": Reason("caractère de contrôle interdit"),
           "control-character-code": Reason("caractère de contrôle interdit ({char}) : retapez cette ligne "
                                            "sans copier-coller", {"char": Text("U+0007")}),
           "misplaced-colon": Reason("un « : » est mal placé"),
           "missing-value": Reason("valeur manquante ou mal placée"),
           "unclosed-list": Reason("liste entre crochets mal fermée"),
           "unclosed-block": Reason("bloc entre accolades mal fermé"),
           "too-deep": Reason("imbrication trop profonde (plus de {limit} niveaux de listes ou de blocs)",
                              {"limit": Integer(32)}),
           "unexpected-structure": Reason("structure incorrecte à cet endroit"),
       }, "missing-colon"))
_entry("yaml-tab", E, YAML,
       "Une tabulation est utilisée pour l'indentation : YAML n'accepte que des espaces.",
       "Les tabulations sont interdites dans l'indentation YAML.",
       "Remplacez les tabulations par des espaces (deux espaces par niveau).")
_entry("yaml-empty", E, YAML, "Le fichier est vide.",
       "Une fiche vide ne décrit rien.", "Copiez un modèle avec `maillage new` et remplissez-le.")
_entry("yaml-multiple-documents", E, YAML,
       "Le fichier contient plusieurs documents YAML (séparés par ---) : une seule fiche par fichier.",
       "Chaque fichier décrit une seule ressource.", "Créez un fichier par fiche.")
_entry("yaml-not-mapping", E, YAML,
       "Le fichier doit contenir des lignes « champ: valeur », pas {found}.",
       "Une fiche est une liste de champs nommés.", "Partez d'un modèle créé par `maillage new`.",
       found=OneOf({"list": "une liste", "scalar": "un texte seul", "alias": "un alias"}, "list"))
_entry("yaml-alias", E, YAML,
       "Les ancres et alias YAML (« &nom », « *nom ») ne sont pas acceptés.",
       "Les alias rendent les fiches difficiles à relire et permettent des fichiers piégés.",
       "Recopiez la valeur à chaque endroit où elle sert.")
_entry("yaml-tag", E, YAML,
       "L'étiquette YAML « {tag} » n'est pas acceptée.",
       "Les étiquettes (`!!str`, `!python/…`) changent la façon de lire une valeur.",
       "Supprimez l'étiquette ; mettez la valeur entre guillemets si c'est un texte.",
       tag=Text("!!python/object"))
_entry("yaml-merge-key", E, YAML,
       "La clé de fusion YAML « <<: » n'est pas acceptée.",
       "La fusion de blocs (`<<:`) recopie des champs de façon invisible à la relecture.",
       "Écrivez chaque champ dans la fiche elle-même.")
_entry("yaml-duplicate-key", E, YAML,
       "Le champ « {key} » est écrit deux fois (première fois ligne {first_line}).",
       "Un champ ne peut apparaître qu'une fois au même niveau ; sinon une des deux valeurs serait perdue.",
       "Gardez une seule ligne pour ce champ.",
       key=Text("statut"), first_line=Integer(12))
_entry("yaml-complex-key", E, YAML,
       "Un nom de champ doit être un simple mot, pas une liste ni un bloc.",
       "Les clés complexes YAML ne sont pas acceptées.", "Écrivez `nom_du_champ: valeur`.")

# --- Schema ----------------------------------------------------------------
_entry("schema-required", E, SCHEMA, "Le champ obligatoire « {field} » manque[ dans « {parent} »].",
       "Ce champ est nécessaire pour publier la fiche.", "Ajoutez le champ avec sa valeur.",
       field=Text("commune"), parent=Maybe(FieldPath(("lieux", 0))))
_entry("schema-unknown-field", E, SCHEMA,
       "Le champ « {field} » n'est pas prévu [dans « {parent} »|dans ce type de fiche].[ Vouliez-vous dire "
       "« {suggestion} » ?]",
       "Le nom du champ est mal orthographié ou n'existe pas dans ce type de fiche.",
       "Corrigez le nom du champ (voir la documentation des champs) ou supprimez-le.",
       field=Text("comune"), parent=Maybe(FieldPath(("lieux", 0))), suggestion=Maybe(Text("commune")))
_JSON_TYPES = {
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "true ou false",
    "array": "une liste (lignes commençant par « - »)",
    "object": "un bloc de champs (« champ: valeur » en retrait)",
    "null": "vide",
}
_entry("schema-type", E, SCHEMA, "« {field} » doit être {expected} ; la valeur lue est {found}.[ Champs "
       "attendus, un par ligne, décalés de deux espaces sous la ligne « {field}: » : « {shape} ».]",
       "La valeur n'a pas le bon type (texte, nombre, oui/non, liste…). Pour un bloc de champs, le message "
       "donne les champs attendus et leurs valeurs possibles.",
       "Écrivez la valeur sous la forme attendue ; mettez entre guillemets les codes et numéros. Un bloc "
       "s'écrit sur plusieurs lignes : le nom du bloc suivi de « : », puis un champ par ligne, décalé de "
       "deux espaces.",
       field=FieldPath(("langues",)), expected=AnyOf(_JSON_TYPES, ("array",)), found=YamlValue("fr"),
       shape=Maybe(Texts(("accepte: oui | liste-attente | non", "date_information: AAAA-MM-JJ"),
                         separator=" », « ")))
_entry("schema-boolean-word", E, SCHEMA,
       "« {field} » attend true (oui) ou false (non), sans guillemets ; « {value} » n'est pas compris.",
       "Les champs oui/non s'écrivent `true` ou `false` en YAML.", "Remplacez par `true` ou `false`.",
       field=FieldPath(("lieux", 0, "accessible_pmr")), value=Text("oui"))
_entry("schema-enum", E, SCHEMA,
       "« {value} » n'est pas une valeur permise pour « {field} ». Valeurs possibles : {allowed}.[ Vouliez-vous "
       "dire « {suggestion} » ?]",
       "Ce champ n'accepte qu'une liste fermée de valeurs.", "Choisissez une des valeurs proposées.",
       value=Text("actf"), field=FieldPath(("statut",)), allowed=Texts(("actif", "retire", "cesse")),
       suggestion=Maybe(Text("actif")))
_entry("schema-format", E, SCHEMA,
       "« {value} » n'a pas le format attendu pour « {field} » : [{hint}|voir la documentation des champs.]",
       "La valeur ne respecte pas le format du champ (code postal, téléphone, date, adresse web…).",
       "Corrigez la valeur selon l'exemple donné dans le message.",
       value=Text("5020"), field=FIELD, hint=Maybe(Text("Code postal : 5 chiffres, entre guillemets.")))
_entry("schema-link-scheme", E, SCHEMA,
       "« {field} » doit être une adresse web sûre commençant par https:// ; « {value} » est refusé.",
       "Seules les adresses `https://` sont publiées (les liens `javascript:`, `data:`, `http:` sont refusés).",
       "Indiquez l'adresse complète en `https://`.",
       field=FieldPath(("site_web",)), value=Text("http://example.org"))
_entry("schema-length", E, SCHEMA, "« {field} » : {reason}.",
       "La valeur est vide, trop courte ou trop longue.", "Remplissez, raccourcissez ou complétez la valeur.",
       field=FieldPath(("description",)), reason=Reasons({
           "empty": Reason("la valeur est vide : remplissez-la (ou supprimez la ligne si le champ est "
                           "facultatif)"),
           "too-short": Reason("le texte doit faire au moins {limit} caractères", {"limit": Integer(2)}),
           "too-long": Reason("le texte doit faire au plus {limit} caractères (il en fait {length})",
                              {"limit": Integer(2000), "length": Integer(2417)}),
       }, "too-long"))
_entry("schema-range", E, SCHEMA, "« {field} » : {reason}.",
       "Le nombre est hors de l'intervalle permis.", "Corrigez le nombre.",
       field=FieldPath(("lieux", 0, "coordonnees", "latitude")), reason=Reasons({
           "minimum": Reason("la valeur {value} est trop petite (minimum {limit})",
                             {"value": Number(-3), "limit": Number(0)}),
           "maximum": Reason("la valeur {value} est trop grande (maximum {limit})",
                             {"value": Number(4900), "limit": Number(90)}),
           "exclusive-minimum": Reason("la valeur {value} doit être supérieure à {limit}",
                                       {"value": Number(0), "limit": Number(0)}),
           "exclusive-maximum": Reason("la valeur {value} doit être inférieure à {limit}",
                                       {"value": Number(100), "limit": Number(100)}),
       }, "maximum"))
_entry("schema-items", E, SCHEMA, "« {field} » : {reason}.",
       "La liste a trop ou pas assez d'éléments, ou contient des doublons.",
       "Ajoutez, retirez ou dédoublonnez des éléments de la liste.",
       field=FieldPath(("langues",)), reason=Reasons({
           "too-few": Reason("la liste doit contenir au moins {limit} élément(s)", {"limit": Integer(1)}),
           "too-many": Reason("la liste doit contenir au plus {limit} éléments (elle en a {count})",
                              {"limit": Integer(20), "count": Integer(24)}),
           "duplicates": Reason("la liste contient deux fois le même élément"),
       }, "too-many"))
_entry("schema-party", E, SCHEMA,
       "Chaque partie doit indiquer exactement un de « professionnel », « structure » ou « organisme », "
       "avec son « role ».",
       "Une partie de convention désigne une fiche du registre ou un organisme extérieur.",
       "Écrivez par exemple `- structure: cmp-coutances` puis `role: prestataire`.")
_entry("schema-other", E, SCHEMA, "« {field} » : {reason}.",
       "La valeur ne respecte pas une règle de la structure des fiches.",
       "Corrigez la valeur selon la documentation des champs.",
       field=FieldPath(("documents", 0)), reason=Reasons({
           "document": Reason("indiquez le titre et soit un « fichier », soit une « url »"),
           "empty-block": Reason("le bloc est vide : remplissez au moins un champ"),
           "names": Reason("les noms doivent être des identifiants (minuscules, chiffres, tirets)"),
           "other": Reason("valeur non conforme à la documentation des champs"),
       }, "document"))

# --- Identifiers -----------------------------------------------------------
_entry("id-duplicate", E, ID,
       "L'identifiant « {id} » est déjà utilisé par {other_kind} « {other_id} » ({other_file}).",
       "Deux fiches ne peuvent pas avoir le même identifiant (nom de fichier).",
       "Renommez l'un des deux fichiers.",
       id=Text("lefevre-claire"), **OTHER)
_entry("identifier-duplicate", E, ID,
       "Le numéro {scheme} « {value} » figure aussi dans {other_kind} « {other_id} » ({other_file}).",
       "Un numéro RPPS, FINESS ou SIRET identifie une seule personne ou un seul établissement.",
       "Vérifiez le numéro ; s'il s'agit de la même personne ou structure, fusionnez les deux fiches.",
       scheme=OneOf({"RPPS": "RPPS", "FINESS": "FINESS", "SIRET": "SIRET"}, "RPPS"), value=Text("10001234565"),
       **OTHER)
_entry("rpps-key", E, ID,
       "Le numéro RPPS « {value} » est invalide : la clé de contrôle (dernier chiffre) ne correspond pas.",
       "Le dernier chiffre du RPPS est une clé calculée sur les autres : une faute de frappe est probable.",
       "Recopiez le numéro depuis l'Annuaire santé (annuaire.sante.fr).",
       value=Text("10001234567"))
_entry("finess-key", E, ID,
       "Le numéro FINESS « {value} » est invalide : la clé de contrôle (dernier caractère) ne correspond pas.",
       "Le dernier chiffre du FINESS est une clé calculée sur les autres : une faute de frappe est probable.",
       "Recopiez le numéro depuis le répertoire FINESS.",
       value=Text("509900016"))
_entry("siret-key", E, ID,
       "Le numéro SIRET « {value} » est invalide : la clé de contrôle ne correspond pas.",
       "Le SIRET contient une clé de contrôle : une faute de frappe est probable.",
       "Recopiez le numéro depuis l'annuaire des entreprises.",
       value=Text("99000001000018"))

# --- References ------------------------------------------------------------
_entry("ref-unknown", E, REF, "La fiche « {ref} » n'existe pas dans {folder}/.[ Vouliez-vous dire « {suggestion} » ?]",
       "La référence désigne une fiche absente du registre.",
       "Corrigez l'identifiant ou ajoutez la fiche manquante.",
       ref=Text("cmp-coutance"), folder=Text("structures"), suggestion=Maybe(Text("cmp-coutances")))
_entry("ref-cycle", E, REF, "La structure de rattachement forme une boucle : {cycle}.",
       "Une structure ne peut pas dépendre, même indirectement, d'elle-même.",
       "Corrigez `structure_parente`.",
       cycle=Texts(("cmp-coutances", "ch-coutances", "cmp-coutances"), separator=" → "))
_entry("ref-withdrawn", W, REF,
       "La convention désigne « {ref} », dont la fiche est retirée ou cessée.",
       "Une partie de la convention n'est plus publiée.",
       "Mettez à jour la convention (statut, parties) ou la fiche.",
       ref=Text("lefevre-claire"))
_entry("document-missing", E, REF,
       "Le document « {name} » est introuvable à côté de la fiche (dossier conventions/).",
       "Le fichier cité dans `documents` n'existe pas.", "Ajoutez le fichier ou corrigez son nom.",
       name=Text("convention-cpam-2025.pdf"))

# --- Dates and statuses ----------------------------------------------------
_entry("date-invalid", E, DATE, "La date « {value} » n'existe pas dans le calendrier.",
       "Le jour ou le mois est impossible (par exemple `2025-02-30`).", "Corrigez la date (AAAA-MM-JJ).",
       value=Text("2025-02-30"))
_entry("date-order", E, DATE,
       "La date {first_field} ({first}) doit précéder la date {second_field} ({second}).",
       "Les dates de la convention sont dans le désordre.",
       "Vérifiez les dates : signature ≤ effet < fin.",
       first_field=OneOf(DATE_LABELS, "effet"), first=Day(date(2028, 2, 1)),
       second_field=OneOf(DATE_LABELS, "fin"), second=Day(date(2027, 12, 31)))
_entry("date-retroactive", W, DATE,
       "La convention prend effet le {effet}, avant sa signature le {signature} (effet rétroactif).",
       "Un effet rétroactif est possible (subvention votée en cours d'année) mais souvent une erreur de saisie.",
       "Vérifiez les dates de signature et d'effet ; laissez-les si l'effet rétroactif est voulu.",
       effet=Day(date(2025, 2, 1)), signature=Day(date(2025, 3, 10)))
_entry("date-future", E, DATE, "La date « {field} » ({value}) est dans le futur.",
       "Une vérification ou une information ne peut pas être datée du futur.", "Corrigez la date.",
       field=FieldPath(("verifie_le",)), value=Text("2031-01-01"))
_entry("status-signed-without-date", E, DATE,
       "La convention est « {status} » mais sa date de signature manque : ajoutez « signature » dans « dates ».",
       "Une convention signée (ou active, suspendue, échue, résiliée) a forcément une date de signature.",
       "Ajoutez `signature: AAAA-MM-JJ` dans le bloc `dates`, ou corrigez le statut.",
       status=STATUS)
_entry("status-expired-without-end", E, DATE,
       "La convention est « expiree » mais n'a pas de date de fin : ajoutez « fin » dans « dates ».",
       "Une convention échue a forcément une date de fin.",
       "Ajoutez `fin: AAAA-MM-JJ` dans le bloc `dates`, ou corrigez le statut.")
_entry("status-unsigned-with-date", W, DATE,
       "La convention est « {status} » mais porte une date de signature : passez-la en « signee » ou « active ».",
       "Le statut de la convention semble en retard sur ses dates.",
       "Mettez à jour le statut, ou retirez la date de signature si elle est prévue mais pas encore acquise.",
       status=Text("en-negociation"))
_entry("status-draft-ended", W, DATE,
       "La convention est encore « {status} » alors que sa date de fin ({fin}) est passée.",
       "Un projet dont la date de fin est passée n'a sans doute jamais abouti, ou ses dates sont à revoir.",
       "Mettez à jour le statut (par exemple `resiliee`) ou les dates.",
       status=Text("projet"), fin=Day(date(2025, 12, 31)))
_entry("status-active-ended", W, DATE,
       "La convention est « active » mais sa date de fin ({fin}) est passée sans reconduction tacite : "
       "passez-la en « expiree » ou indiquez la nouvelle date de fin.",
       "Le statut de la convention semble en retard sur ses dates.",
       "Passez le statut à `expiree`, ou indiquez la nouvelle date de `fin` si la convention a été renouvelée.",
       fin=Day(date(2026, 6, 30)))
_entry("status-signed-in-effect", W, DATE,
       "La convention est « signee » et a pris effet le {effet} : son statut devrait être « active ».",
       "Le statut de la convention semble en retard sur ses dates.",
       "Passez le statut à `active`.",
       effet=Day(date(2025, 2, 1)))
_entry("status-active-not-in-effect", W, DATE,
       "La convention est « active » mais ne prend effet que le {effet} : son statut devrait être « signee ».",
       "Le statut de la convention est en avance sur ses dates.",
       "Passez le statut à `signee` jusqu'à la date d'effet, ou corrigez la date d'effet.",
       effet=Day(date(2027, 1, 1)))
_entry("status-expired-not-ended", W, DATE,
       "La convention est « expiree » mais sa date de fin ({fin}) n'est pas passée.",
       "Le statut de la convention contredit sa date de fin.",
       "Corrigez la date de `fin` (fin anticipée) ou le statut (`resiliee` si la convention a été rompue).",
       fin=Day(date(2027, 12, 31)))
_entry("status-new-patients", W, DATE,
       "La fiche est « {status} » mais indique qu'elle accepte de nouveaux patients : l'annuaire ne le montre pas "
       "tant qu'elle n'est pas « actif ».",
       "Un professionnel qui ne reçoit personne pour le moment ne peut pas prendre de nouveaux patients ; "
       "les deux informations se contredisent.",
       "Mettez `nouveaux_patients: accepte:` à `non` (ou `liste-attente`), ou repassez la fiche en `actif`.",
       status=OneOf({"inactif": "inactif", "cesse": "cesse"}, "inactif"))
_entry("temporary-order", E, DATE,
       "L'information temporaire commence le {du} mais finit le {au} : « du » doit précéder « au ».",
       "Les deux dates d'une information temporaire sont inversées.",
       "Échangez les dates `du` et `au` (le premier jour, puis le dernier jour inclus).",
       du=Day(date(2027, 1, 2)), au=Day(date(2026, 12, 22)))
_entry("temporary-too-long", E, DATE,
       "L'information temporaire court du {du} au {au}, soit plus d'un an : une information durable va dans "
       "la fiche elle-même.",
       "Une information temporaire annonce une fermeture ou un changement pour une période courte.",
       "Raccourcissez la période (un an au plus), ou modifiez directement les champs de la fiche "
       "(horaires, statut `inactif`…).",
       du=Day(date(2026, 1, 1)), au=Day(date(2027, 6, 30)))
_entry("age-order", E, CONTENT, "L'âge minimum ({min}) dépasse l'âge maximum ({max}).",
       "La tranche d'âge est inversée.", "Échangez les deux âges.",
       min=Integer(12), max=Integer(3))

# --- Geography -------------------------------------------------------------
_entry("geo-insee-unknown", E, GEO, "Le code INSEE « {value} » ne correspond à aucune commune.[ Code INSEE de "
       "{commune} ({code_postal}) : {suggested_insee}.]",
       "Le code INSEE (5 caractères) identifie la commune ; il est différent du code postal. Quand la commune "
       "et le code postal du lieu désignent une seule commune, le message donne son code.",
       "Recopiez le code proposé, ou cherchez le code officiel de la commune (par exemple sur le site de "
       "l'INSEE).",
       value=Text("50999"), commune=Maybe(Text("Saint-Pierre-Église")), code_postal=Maybe(Text("50330")),
       suggested_insee=Maybe(Text("50539")))
_entry("geo-insee-missing", E, GEO,
       "Le code INSEE de la commune manque[ dans « {parent} »] : code INSEE de {commune} ({code_postal}) : "
       "{suggested_insee}. Ajoutez la ligne « code_insee: \"{suggested_insee}\" ».",
       "Le code INSEE (5 caractères) identifie la commune ; il est différent du code postal. La commune et le "
       "code postal du lieu désignent une seule commune, dont le message donne le code.",
       "Ajoutez `code_insee:` avec le code proposé, entre guillemets, sous `code_postal`.",
       parent=Maybe(FieldPath(("lieux", 0))), commune=Text("Saint-Pierre-Église"), code_postal=Text("50330"),
       suggested_insee=Text("50539"))
_entry("geo-postal-mismatch", E, GEO,
       "Le code postal « {code_postal} » ne dessert pas la commune {commune_officielle} ({code_insee}). "
       "Codes postaux de cette commune : {attendus}.",
       "Le code postal, la commune et le code INSEE doivent désigner le même endroit.",
       "Corrigez le code postal ou le code INSEE.",
       code_postal=Text("50000"), commune_officielle=Text("Coutances"), code_insee=Text("50147"),
       attendus=Texts(("50200",)))
_entry("geo-commune-mismatch", E, GEO,
       "La commune « {commune} » ne correspond pas au code INSEE {code_insee} ({commune_officielle}).[ "
       "« {suggested_commune} » a pour code INSEE {suggested_insee}.]",
       "Le nom de la commune et son code INSEE désignent deux communes différentes.",
       "Écrivez le nom officiel de la commune ou corrigez le code INSEE.",
       commune=Text("Saint-Lô"), code_insee=Text("50147"), commune_officielle=Text("Coutances"),
       suggested_commune=Maybe(Text("Saint-Lô")), suggested_insee=Maybe(Text("50502")))
_entry("geo-manual-far", W, GEO,
       "Les coordonnées saisies sont à {distance} km du centre de {commune} : latitude et longitude "
       "sont-elles inversées ?",
       "Les coordonnées manuelles semblent loin de la commune du lieu.",
       "Vérifiez les coordonnées (latitude ≈ 49 et longitude ≈ -1 dans la Manche).",
       distance=Integer(5412), commune=Text("Coutances"))
_entry("geo-fallback", W, GEO,
       "L'adresse « {address} » n'est pas géocodée : le lieu est placé au centre de la commune.",
       "L'adresse est absente du cache de géocodage ; sa position est approximative. Signalé par "
       "`maillage build` et `mkdocs build`, pas par `maillage validate`.",
       "Lancez `maillage geocode` ou saisissez des coordonnées à la main.",
       address=ADDRESS)
_entry("geo-former-commune-outside", E, GEO,
       "« {nom} » est rattaché au code INSEE {code_insee}, qui n'est pas une commune du département {departement}.",
       "Une ancienne commune (`departement.anciennes_communes` de `registre.yaml`) désigne une commune "
       "actuelle du département.",
       "Indiquez le code INSEE de la commune actuelle (la commune nouvelle), pas celui de l'ancienne commune.",
       nom=Text("Tourlaville"), code_insee=Text("14701"), departement=Text("50"))

# --- Vocabularies ----------------------------------------------------------
_entry("vocab-unknown", E, VOCAB,
       "« {value} » ne figure pas dans la liste « {vocab} ».[ Vouliez-vous dire « {suggestion} » ?][ Valeurs "
       "possibles : {allowed}.| Écrivez une des valeurs de la liste « {vocab} » (voir la documentation des "
       "champs).]",
       "Ce champ n'accepte qu'une des valeurs d'une liste fixée (en minuscules, sans accents, mots séparés par "
       "des tirets) ; les listes sont dans le dossier `vocabulaires/` et dans la documentation des champs.",
       "Choisissez une valeur de la liste, ou proposez d'ajouter la valeur à la liste.",
       value=Text("orthofoniste"), vocab=Text("Professions"), suggestion=SUGGESTION,
       allowed=Maybe(Texts(("fr", "en", "ar", "es"))))
_entry("vocab-mismatch", W, VOCAB, "{reason}",
       "Le terme existe mais ne s'applique pas d'habitude à cette profession.",
       "Vérifiez le terme choisi.",
       reason=Reasons({
           "role": Reason("Le rôle Santé protégée « {role} » n'est pas prévu pour la profession "
                          "« {profession} » (rôles possibles : {allowed}).",
                          {"role": Text("medecin-referent"), "profession": Text("Orthophoniste"),
                           "allowed": Texts(("professionnel-forfait",))}),
           "specialty": Reason("La spécialité « {specialty} » ne concerne pas d'habitude la profession "
                               "« {profession} ».",
                               {"specialty": Text("Psychotraumatisme"), "profession": Text("orthophoniste")}),
       }, "specialty"))

# --- Content ---------------------------------------------------------------
_entry("phone-invalid", E, CONTENT, "Le numéro « {value} » {reason}.",
       "Le numéro n'existe pas dans le plan de numérotation français, ou il contient des espaces insécables "
       "(invisibles, mais différents des espaces ordinaires) copiés depuis un traitement de texte ou un site web.",
       "Écrivez les 10 chiffres, par exemple `02 61 91 12 34` ; s'il a été copié-collé, retapez les espaces "
       "au clavier (`maillage fmt` les remplace aussi).",
       value=Text("06 39 98 12 34"), reason=Reasons({
           "not-in-plan": Reason("n'est pas un numéro de téléphone français valide"),
           "non-breaking-space": Reason("contient des espaces insécables, copiés d'un traitement de texte : "
                                        "retapez les espaces"),
       }, "not-in-plan"))
_entry("hours-invalid", E, CONTENT,
       "Les horaires « {value} » ne sont pas au format OpenStreetMap. « du lundi au vendredi de 9 h à 12 h » s'écrit "
       "« Mo-Fr 09:00-12:00 » ; « et de 14 h à 17 h 30 » : « Mo-Fr 09:00-12:00,14:00-17:30 » ; « et le samedi "
       "matin » : ajoutez « ; Sa 09:00-12:00 ». Jours : Mo lundi, Tu mardi, We mercredi, Th jeudi, Fr vendredi, "
       "Sa samedi, Su dimanche.",
       "Les horaires s'écrivent au format `opening_hours` d'OpenStreetMap : les jours en abrégé anglais, les "
       "heures sur 24 h avec deux chiffres (`09:00`). Le tableau de correspondance est dans "
       "la page Contribuer, rubrique « Écrire les horaires ».",
       "Réécrivez les horaires à l'aide du tableau : plages d'un même jour séparées par « , », groupes de jours "
       "séparés par « ; ».",
       value=Text("Lu-Ve 9h-12h"))
_entry("text-html", E, CONTENT,
       "« {field} » contient du code HTML ou un lien interdit (« {excerpt} »). Écrivez du texte simple ; "
       "les liens doivent commencer par https://, mailto: ou tel:.",
       "Le registre ne publie pas de HTML venant des fiches, pour la sécurité des lecteurs.",
       "Retirez les balises ; pour un lien, écrivez `[texte](https://…)`.",
       field=FieldPath(("description",)), excerpt=Text("Bilans <img src=x onerror=alert(1)>"))
_entry("text-control", E, CONTENT,
       "« {field} » contient un caractère invisible ou de contrôle ({char}).",
       "Certains caractères invisibles (contrôle, inversion du sens d'écriture) servent à tromper le lecteur.",
       "Retapez le texte sans copier-coller depuis un document mis en forme.",
       field=FieldPath(("nom",)), char=Text("U+202E"))
_entry("duplicate-probable", W, CONTENT,
       "Doublon probable avec {other_kind} « {other_id} » ({other_file}) : {reason}.",
       "Deux fiches semblent décrire la même personne ou la même structure.",
       "Vérifiez et fusionnez les fiches si c'est le cas.",
       reason=Reasons({
           "same-person-profession": Reason("même nom, même prénom et même profession"),
           "same-person-address": Reason("même nom et même prénom à la même adresse"),
           "same-name-commune": Reason("même nom dans la même commune"),
           "same-category-address": Reason("même catégorie à la même adresse"),
       }, "same-person-profession"), **OTHER)
_entry("finance-precision", E, CONTENT,
       "Le financeur « autre » doit être précisé dans « financeur_precision ».",
       "Un financement sans financeur identifié ne peut pas être suivi.",
       "Ajoutez `financeur_precision:` avec le nom de l'organisme.")

# --- Privacy ---------------------------------------------------------------
_entry("child-data", E, PRIVACY,
       "« {field} » semble contenir des données sur un enfant ({kind} : « {excerpt} »). Le registre décrit "
       "des ressources, jamais des enfants : supprimez ce passage.",
       "Aucune donnée sur un enfant (nom, date de naissance, numéro de sécurité sociale) ne doit figurer "
       "dans le registre, même dans la section interne.",
       "Supprimez le passage ; décrivez le public de façon générale (« enfants de 3 à 6 ans »).",
       field=FieldPath(("interne", "notes")), excerpt=Text("1 ■■ ■■ ■■ ■■■ ■■■ ■■"),
       kind=OneOf({"nir": "numéro de sécurité sociale", "naissance": "prénom et date de naissance",
                   "enfant_nomme": "enfant désigné par son prénom"}, "nir"))

# --- The border between the public and the internal registry ---------------
# The public registry is published as it is (repository, history, pull requests): what is
# not public lives in the internal registry, a private repository with the same folders.
INTERNAL_FILE = Text("professionnels/lefevre-claire.yaml")
EXTRACT = "`maillage internal extract --to DOSSIER_DU_REGISTRE_INTERNE`"
_entry("border-internal-section", E, BORDER,
       "La section « interne » n'a pas sa place dans le registre public, qui est publié tel quel (dépôt, "
       "historique, demandes de fusion) : déplacez-la dans le registre interne, fichier {target}.",
       "Le registre public ne contient que ce qui peut être publié. Lignes directes, contacts et notes de "
       "suivi se rangent dans le registre interne (dépôt privé du Département), dans un fichier du même nom "
       "qui ne contient que la section `interne`.",
       f"Partenaire : retirez la section de votre proposition et transmettez ces informations au Département. "
       f"Département : lancez {EXTRACT}, qui déplace la section sans rien changer d'autre.",
       target=INTERNAL_FILE)
_entry("border-draft-convention", E, BORDER,
       "Une convention au statut « {status} » n'est pas publique : sa fiche se range dans le registre interne, "
       "fichier {target}. Une fois signée, « maillage internal publish {id} » la ramènera ici.",
       "Les conventions en projet ou en négociation (montants, parties pressenties) sont des documents de "
       "travail internes : elles ne figurent pas dans le registre public.",
       f"Déplacez le fichier dans le dossier `conventions/` du registre interne ({EXTRACT} le fait), puis "
       "publiez-la avec `maillage internal publish IDENTIFIANT` quand elle est signée.",
       status=OneOf({"projet": "projet", "en-negociation": "en-negociation"}, "en-negociation"),
       target=Text("conventions/partenariat-pco-tnd.yaml"), id=Text("partenariat-pco-tnd"))
_entry("border-document-not-public", E, BORDER,
       "Le document « {title} » n'est pas marqué public (« public: true ») : dans le registre public, il serait "
       "publié quand même. Déplacez-le dans la section « interne » du fichier {target} du registre interne"
       "[, avec son fichier « {file_name} »], ou marquez-le « public: true » s'il peut être publié.",
       "Un document de convention est non public par défaut. Le registre public ne garde que les documents "
       "publiables ; les autres (annexe financière, projet d'avenant) se rangent dans le registre interne, "
       "sous `interne: documents:`, et leurs fichiers dans son dossier `conventions/`.",
       f"Ajoutez `public: true` si le document est publiable ; sinon lancez {EXTRACT}.",
       title=Text("Annexe financière"), target=Text("conventions/sp-pediatre-coutances.yaml"),
       file_name=Maybe(Text("sp-pediatre-coutances-annexe.pdf")))
_entry("border-candidate", E, BORDER,
       "Une fiche au statut « candidat » (trouvée par l'import, pas encore examinée) se range dans le registre "
       "interne, fichier {target} : elle sera publiée par « maillage candidates accept {id} ».",
       "Les candidats de l'import FINESS ou RPPS ne sont pas publiés tant qu'une personne ne les a pas vérifiés.",
       f"Déplacez le fichier dans le registre interne ({EXTRACT} le fait), ou mettez le statut `actif` si la "
       "fiche a été vérifiée.",
       target=INTERNAL_FILE, id=Text("lefevre-claire"))
_entry("internal-orphan", E, BORDER,
       "Cette partie interne complète la fiche publique « {id} », introuvable dans {folder}/ du registre public"
       "[ (vouliez-vous dire « {suggestion} » ?)].",
       "Dans le registre interne, un fichier qui ne contient que la section `interne` complète la fiche publique "
       "de même identifiant et de même type. Sans fiche publique, il ne complète rien.",
       "Renommez le fichier comme la fiche publique, ou, pour une fiche qui n'existe qu'en interne, écrivez la "
       "fiche entière dans ce fichier.",
       id=Text("lefevre-clair"), folder=Text("professionnels"), suggestion=SUGGESTION)
_entry("internal-id-duplicate", E, BORDER,
       "L'identifiant « {id} » est déjà celui d'une fiche du registre public ({other_file}) : une fiche du "
       "registre interne doit en avoir un autre.",
       "Une fiche qui n'existe qu'en interne ne peut pas porter l'identifiant d'une fiche publique (les liens "
       "et les pages du site interne les confondraient). Pour compléter la fiche publique, le fichier ne doit "
       "contenir que la section `interne`.",
       "Renommez le fichier (l'identifiant est le nom du fichier), ou ne gardez que la section `interne`.",
       id=Text("lefevre-claire"), other_file=Text("registry/professionnels/lefevre-claire.yaml"))
_entry("ref-internal", E, REF,
       "« {ref} » est une fiche du registre interne : une fiche publique ne peut pas y renvoyer.",
       "Le registre public est publié tel quel : une référence à une fiche qui n'existe qu'en interne (candidat, "
       "fiche réservée au Département) serait un lien vers une page qui n'existe pas sur le site public.",
       "Publiez d'abord la fiche référencée (`maillage candidates accept`, ou déplacez-la dans le registre "
       "public), ou rangez la fiche qui la référence dans le registre interne.",
       ref=Text("martin-paul"))

# --- Registry --------------------------------------------------------------
_entry("registry-missing", E, REGISTRY, "Le vocabulaire « {name} » est introuvable (fichier vocabulaires/{name}.yaml).",
       "Un des fichiers obligatoires du registre est absent.",
       "Vérifiez l'option `--registry` ou créez le fichier manquant.",
       name=Text("langues"))

# --- Geocoding -------------------------------------------------------------
# Reported by « maillage geocode » and by the model build, never by « maillage validate ».
_entry("geocode-low-score", W, GEOCODING,
       "Adresse « {address} » : le meilleur résultat du géocodeur, « {label} », n'a qu'un score de "
       "{score} (seuil : {threshold}) ; {fallback}.",
       "Le géocodeur n'est pas sûr de lui : l'adresse est peut-être mal orthographiée, incomplète, "
       "ou absente de la Base Adresse Nationale (lieu-dit, adresse récente).",
       "Vérifiez le numéro, le type et le nom de la voie ; si l'adresse est juste, placez le lieu à la "
       "main avec le champ `coordonnees`.",
       address=ADDRESS, label=Text("Rue des Halles 50200 Coutances"), score=Number(0.42, 2),
       threshold=Number(0.5, 2), fallback=FALLBACK)
_entry("geocode-wrong-commune", W, GEOCODING,
       "Adresse « {address} » : le géocodeur propose « {label} », dans une autre commune "
       "([{found}|commune inconnue]) que {commune} ({code_insee}) ; {fallback}.",
       "La voie n'a pas été trouvée dans la commune indiquée ; le résultat est ailleurs et n'est donc "
       "pas retenu.",
       "Vérifiez la commune, le code postal et le nom de la voie ; sinon placez le lieu à la main "
       "avec le champ `coordonnees`.",
       address=ADDRESS, label=Text("Rue des Halles 50000 Saint-Lô"), found=Maybe(Text("Saint-Lô (50502)")),
       commune=Text("Coutances"), code_insee=Text("50147"), fallback=FALLBACK)
_entry("geocode-no-result", W, GEOCODING,
       "Adresse « {address} » : le géocodeur n'a rien trouvé ; {fallback}.",
       "Le géocodeur ne connaît pas cette adresse.",
       "Vérifiez l'orthographe de l'adresse ; sinon placez le lieu à la main avec le champ `coordonnees`.",
       address=ADDRESS, fallback=FALLBACK)
_entry("geocode-too-vague", W, GEOCODING,
       "Adresse « {address} » : le résultat « {label} » est plus vague qu'une commune ; {fallback}.",
       "Le géocodeur n'a reconnu qu'un département ou une région.",
       "Vérifiez l'adresse ; sinon placez le lieu à la main avec le champ `coordonnees`.",
       address=ADDRESS, label=Text("Manche"), fallback=FALLBACK)
_STATUS = Integer(503)
_entry("geocode-failed", E, GEOCODING,
       "Adresse « {address} » : la requête au géocodeur a échoué ({reason}[, {attempts} essais]) ; {fallback}.",
       "Le service de géocodage n'a pas répondu correctement (réseau coupé, service saturé ou en "
       "panne). Rien n'est perdu : le cache garde ce qu'il savait.",
       "Relancez `maillage geocode` plus tard ; si l'échec persiste, vérifiez `--endpoint` et l'accès "
       "au réseau.",
       address=ADDRESS, attempts=Maybe(Integer(4)), fallback=FALLBACK, reason=Reasons({
           "rate-limited": Reason("trop de requêtes (HTTP 429)"),
           "unavailable": Reason("service indisponible (HTTP {status})", {"status": _STATUS}),
           "timeout": Reason("délai de réponse dépassé"),
           "unreachable": Reason("service injoignable"),
           "unreadable": Reason("réponse illisible"),
           "refused": Reason("requête refusée (HTTP {status})", {"status": Integer(400)}),
           "denied": Reason("accès refusé[ (HTTP {status})]", {"status": Maybe(Integer(403))}),
           "service-error": Reason("erreur du service[ (HTTP {status})]", {"status": Maybe(_STATUS)}),
           "network": Reason("erreur réseau ({error})", {"error": Text("ConnectionResetError")}),
           "interrupted": Reason("exécution interrompue"),
           "not-queried": Reason("non interrogée : le service ne répondait plus"),
       }, "timeout"))
_entry("geocode-cache-invalid", E, GEOCODING,
       "Le cache de géocodage est illisible : {reason}.",
       "Le fichier `geocodage.csv` a été modifié à la main ou mal fusionné ; Maillage refuse de "
       "l'écraser pour ne perdre aucune coordonnée.",
       "Corrigez la ligne indiquée (ou résolvez le conflit de fusion), puis relancez.",
       reason=Reasons({
           "unreadable": Reason("fichier illisible ({error})", {"error": Text("Permission denied")}),
           "encoding": Reason("le fichier n'est pas enregistré en UTF-8"),
           "header": Reason("la première ligne doit être « {header} »",
                            {"header": Text("adresse_normalisee,latitude,longitude,…")}),
           "merge-conflict": Reason("conflit de fusion Git non résolu (lignes <<<<<<<, =======, >>>>>>>)"),
           "columns": Reason("{expected} colonnes attendues, {count} trouvées",
                             {"expected": Integer(9), "count": Integer(7)}),
           "not-a-number": Reason("{cell} « {value} » n'est pas un nombre",
                                  {"cell": Text("latitude"), "value": Text("49,05")}),
           "out-of-range": Reason("{cell} {value} hors de l'intervalle de {low} à {high}",
                                  {"cell": Text("latitude"), "value": Text("490.5"), "low": Number(-90),
                                   "high": Number(90)}),
           "unknown-precision": Reason("précision « {value} » inconnue (valeurs : {allowed})",
                                       {"value": Text("maison"), "allowed": Texts(("numero", "rue"))}),
           "unknown-provider": Reason("fournisseur « {value} » inconnu (valeurs : {allowed})",
                                      {"value": Text("google"), "allowed": Texts(("ban", "nominatim"))}),
           "invalid-insee": Reason("code INSEE « {value} » invalide", {"value": Text("5014")}),
           "invalid-date": Reason("date « {value} » invalide (AAAA-MM-JJ attendu)", {"value": Text("22/11/2026")}),
           "duplicate": Reason("adresse déjà présente ligne {first_line}", {"first_line": Integer(12)}),
           "malformed": Reason("CSV mal formé ({error})", {"error": Text("line contains NUL")}),
       }, "merge-conflict"))
_entry("geocode-no-centroid", W, GEOCODING,
       "Adresse « {address} » : la commune {commune} ({code_insee}) n'a pas de centre connu ; le lieu "
       "est placé au centre des communes du code postal {code_postal}.",
       "Le référentiel des communes ne donne pas de position pour cette commune.",
       "Placez le lieu à la main avec le champ `coordonnees`.",
       address=ADDRESS, commune=Text("Coutances"), code_insee=Text("50147"), code_postal=Text("50200"))


def phrase(code: str, field: str, key: str, **fields: object) -> str:
    """The French text of one declared reason of an entry alone (summaries count failures by it)."""
    return CATALOGUE[code].render_reason(field, key, fields)
