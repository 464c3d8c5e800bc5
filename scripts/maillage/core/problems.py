"""The one catalogue of every problem Maillage reports, with its French wording.

Each entry has a stable code (used in tests, CI annotations and the contributor
documentation), a severity, a message template, what it means and how to fix it.
Messages are written for a partner who is not a developer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    severity: Severity
    template: str
    meaning: str
    fix: str
    category: str


CATALOGUE: dict[str, Entry] = {}


def _entry(code: str, severity: Severity, category: str, template: str, meaning: str, fix: str) -> None:
    if code in CATALOGUE:
        raise ValueError(f"duplicate problem code {code}")
    CATALOGUE[code] = Entry(code, severity, template, meaning, fix, category)


E, W = Severity.ERROR, Severity.WARNING
FILE, YAML, SCHEMA, ID, REF, DATE, GEO, VOCAB, CONTENT, PRIVACY, REGISTRY = (
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
    "Registre",
)

# --- Files -----------------------------------------------------------------
_entry("file-unreadable", E, FILE, "Impossible de lire le fichier : {reason}.",
       "Le fichier n'a pas pu être ouvert.", "Vérifiez que le fichier existe et qu'il n'est pas vide ou verrouillé.")
_entry("file-too-large", E, FILE,
       "Le fichier pèse {size} octets, au-delà de la limite de {limit} octets pour une fiche.",
       "Une fiche décrit une seule ressource ; un fichier aussi gros est une erreur ou une tentative d'abus.",
       "Découpez le contenu en plusieurs fiches ou raccourcissez les textes.")
_entry("file-encoding", E, FILE,
       "Le fichier n'est pas enregistré en UTF-8 (caractère illisible ici).",
       "Les accents ont été enregistrés dans un autre encodage (souvent Windows-1252).",
       "Dans votre éditeur, choisissez « Enregistrer sous » avec l'encodage UTF-8.")
_entry("file-extension", W, FILE,
       "Le fichier « {name} » est ignoré : les fiches doivent se terminer par « .yaml ».",
       "Seuls les fichiers .yaml des dossiers professionnels/, structures/ et conventions/ sont lus.",
       "Renommez le fichier avec l'extension .yaml.")
_entry("file-misplaced", W, FILE,
       "Le dossier « {name} » est ignoré : les fiches se rangent directement dans {folder}/.",
       "Les sous-dossiers ne sont pas lus.", "Déplacez les fiches directement dans le dossier de leur type.")
_entry("id-filename", E, ID,
       "Le nom du fichier « {name} » n'est pas un identifiant valide : utilisez des lettres minuscules "
       "sans accents, des chiffres et des tirets, par exemple « {suggestion}.yaml ».",
       "Le nom du fichier (sans .yaml) est l'identifiant de la fiche et l'adresse de sa page.",
       "Renommez le fichier : minuscules, sans accents ni espaces, mots séparés par des tirets.")

# --- YAML ------------------------------------------------------------------
_entry("yaml-syntax", E, YAML, "Erreur de syntaxe YAML : {detail}.",
       "Le fichier ne respecte pas la syntaxe YAML (indentation, deux-points, guillemets).",
       "Vérifiez l'indentation (espaces uniquement), la présence de « : » après chaque nom de champ, "
       "et fermez les guillemets ouverts.")
_entry("yaml-tab", E, YAML,
       "Une tabulation est utilisée pour l'indentation : YAML n'accepte que des espaces.",
       "Les tabulations sont interdites dans l'indentation YAML.",
       "Remplacez les tabulations par des espaces (deux espaces par niveau).")
_entry("yaml-empty", E, YAML, "Le fichier est vide.",
       "Une fiche vide ne décrit rien.", "Copiez un modèle avec « maillage new » et remplissez-le.")
_entry("yaml-multiple-documents", E, YAML,
       "Le fichier contient plusieurs documents YAML (séparés par ---) : une seule fiche par fichier.",
       "Chaque fichier décrit une seule ressource.", "Créez un fichier par fiche.")
_entry("yaml-not-mapping", E, YAML,
       "Le fichier doit contenir des lignes « champ: valeur », pas {found}.",
       "Une fiche est une liste de champs nommés.", "Partez d'un modèle créé par « maillage new ».")
_entry("yaml-alias", E, YAML,
       "Les ancres et alias YAML (« &nom », « *nom ») ne sont pas acceptés.",
       "Les alias rendent les fiches difficiles à relire et permettent des fichiers piégés.",
       "Recopiez la valeur à chaque endroit où elle sert.")
_entry("yaml-tag", E, YAML,
       "L'étiquette YAML « {tag} » n'est pas acceptée.",
       "Les étiquettes (« !!str », « !python/… ») changent la façon de lire une valeur.",
       "Supprimez l'étiquette ; mettez la valeur entre guillemets si c'est un texte.")
_entry("yaml-merge-key", E, YAML,
       "La clé de fusion YAML « <<: » n'est pas acceptée.",
       "La fusion de blocs (« <<: ») recopie des champs de façon invisible à la relecture.",
       "Écrivez chaque champ dans la fiche elle-même.")
_entry("yaml-duplicate-key", E, YAML,
       "Le champ « {key} » est écrit deux fois (première fois ligne {first_line}).",
       "Un champ ne peut apparaître qu'une fois au même niveau ; sinon une des deux valeurs serait perdue.",
       "Gardez une seule ligne pour ce champ.")
_entry("yaml-complex-key", E, YAML,
       "Un nom de champ doit être un simple mot, pas une liste ni un bloc.",
       "Les clés complexes YAML ne sont pas acceptées.", "Écrivez « nom_du_champ: valeur ».")

# --- Schema ----------------------------------------------------------------
_entry("schema-required", E, SCHEMA, "Le champ obligatoire « {field} » manque{where}.",
       "Ce champ est nécessaire pour publier la fiche.", "Ajoutez le champ avec sa valeur.")
_entry("schema-unknown-field", E, SCHEMA, "Le champ « {field} » n'est pas prévu {where}.{suggestion}",
       "Le nom du champ est mal orthographié ou n'existe pas dans ce type de fiche.",
       "Corrigez le nom du champ (voir la documentation des champs) ou supprimez-le.")
_entry("schema-type", E, SCHEMA, "« {field} » doit être {expected} ; la valeur lue est {found}.",
       "La valeur n'a pas le bon type (texte, nombre, oui/non, liste…).",
       "Écrivez la valeur sous la forme attendue ; mettez entre guillemets les codes et numéros.")
_entry("schema-boolean-word", E, SCHEMA,
       "« {field} » attend true (oui) ou false (non), sans guillemets ; « {value} » n'est pas compris.",
       "Les champs oui/non s'écrivent true ou false en YAML.", "Remplacez par true ou false.")
_entry("schema-enum", E, SCHEMA,
       "« {value} » n'est pas une valeur permise pour « {field} ». Valeurs possibles : {allowed}.{suggestion}",
       "Ce champ n'accepte qu'une liste fermée de valeurs.", "Choisissez une des valeurs proposées.")
_entry("schema-format", E, SCHEMA, "« {value} » n'a pas le format attendu pour « {field} » : {hint}",
       "La valeur ne respecte pas le format du champ (code postal, téléphone, date, adresse web…).",
       "Corrigez la valeur selon l'exemple donné dans le message.")
_entry("schema-link-scheme", E, SCHEMA,
       "« {field} » doit être une adresse web sûre commençant par https:// ; « {value} » est refusé.",
       "Seules les adresses https:// sont publiées (les liens javascript:, data:, http: sont refusés).",
       "Indiquez l'adresse complète en https://.")
_entry("schema-length", E, SCHEMA, "« {field} » : {detail}.",
       "La valeur est trop courte ou trop longue.", "Raccourcissez ou complétez la valeur.")
_entry("schema-range", E, SCHEMA, "« {field} » : {detail}.",
       "Le nombre est hors de l'intervalle permis.", "Corrigez le nombre.")
_entry("schema-items", E, SCHEMA, "« {field} » : {detail}.",
       "La liste a trop ou pas assez d'éléments, ou contient des doublons.",
       "Ajoutez, retirez ou dédoublonnez des éléments de la liste.")
_entry("schema-party", E, SCHEMA,
       "Chaque partie doit indiquer exactement un de « professionnel », « structure » ou « organisme », "
       "avec son « role ».",
       "Une partie de convention désigne une fiche du registre ou un organisme extérieur.",
       "Écrivez par exemple « - structure: cmp-coutances » puis « role: prestataire ».")
_entry("schema-other", E, SCHEMA, "« {field} » : {detail}.",
       "La valeur ne respecte pas une règle de la structure des fiches.",
       "Corrigez la valeur selon la documentation des champs.")

# --- Identifiers -----------------------------------------------------------
_entry("id-duplicate", E, ID, "L'identifiant « {id} » est déjà utilisé par {other}.",
       "Deux fiches ne peuvent pas avoir le même identifiant (nom de fichier).",
       "Renommez l'un des deux fichiers.")
_entry("identifier-duplicate", E, ID, "Le numéro {scheme} « {value} » figure aussi dans {other}.",
       "Un numéro RPPS, FINESS ou SIRET identifie une seule personne ou un seul établissement.",
       "Vérifiez le numéro ; s'il s'agit de la même personne ou structure, fusionnez les deux fiches.")
_entry("rpps-key", E, ID,
       "Le numéro RPPS « {value} » est invalide : la clé de contrôle (dernier chiffre) ne correspond pas.",
       "Le dernier chiffre du RPPS est une clé calculée sur les autres : une faute de frappe est probable.",
       "Recopiez le numéro depuis l'Annuaire santé (annuaire.sante.fr).")
_entry("finess-key", E, ID,
       "Le numéro FINESS « {value} » est invalide : la clé de contrôle (dernier caractère) ne correspond pas.",
       "Le dernier chiffre du FINESS est une clé calculée sur les autres : une faute de frappe est probable.",
       "Recopiez le numéro depuis le répertoire FINESS.")
_entry("siret-key", E, ID,
       "Le numéro SIRET « {value} » est invalide : la clé de contrôle ne correspond pas.",
       "Le SIRET contient une clé de contrôle : une faute de frappe est probable.",
       "Recopiez le numéro depuis l'annuaire des entreprises.")

# --- References ------------------------------------------------------------
_entry("ref-unknown", E, REF, "La fiche « {ref} » n'existe pas dans {folder}/.{suggestion}",
       "La référence désigne une fiche absente du registre.",
       "Corrigez l'identifiant ou ajoutez la fiche manquante.")
_entry("ref-cycle", E, REF, "La structure de rattachement forme une boucle : {cycle}.",
       "Une structure ne peut pas dépendre, même indirectement, d'elle-même.",
       "Corrigez « structure_parente ».")
_entry("ref-withdrawn", W, REF,
       "La convention désigne « {ref} », dont la fiche est retirée ou cessée.",
       "Une partie de la convention n'est plus publiée.",
       "Mettez à jour la convention (statut, parties) ou la fiche.")
_entry("document-missing", E, REF,
       "Le document « {name} » est introuvable à côté de la fiche (dossier conventions/).",
       "Le fichier cité dans « documents » n'existe pas.", "Ajoutez le fichier ou corrigez son nom.")

# --- Dates and statuses ----------------------------------------------------
_entry("date-invalid", E, DATE, "La date « {value} » n'existe pas dans le calendrier.",
       "Le jour ou le mois est impossible (par exemple 2025-02-30).", "Corrigez la date (AAAA-MM-JJ).")
_entry("date-order", E, DATE,
       "La date {first_label} ({first}) doit précéder la date {second_label} ({second}).",
       "Les dates de la convention sont dans le désordre.",
       "Vérifiez les dates : signature ≤ effet < fin.")
_entry("date-retroactive", W, DATE,
       "La convention prend effet le {effet}, avant sa signature le {signature} (effet rétroactif).",
       "Un effet rétroactif est possible (subvention votée en cours d'année) mais souvent une erreur de saisie.",
       "Vérifiez les dates de signature et d'effet ; laissez-les si l'effet rétroactif est voulu.")
_entry("date-future", E, DATE, "La date « {field} » ({value}) est dans le futur.",
       "Une vérification ou une information ne peut pas être datée du futur.", "Corrigez la date.")
_entry("status-dates", E, DATE, "{detail}",
       "Le statut de la convention contredit ses dates.",
       "Mettez à jour le statut (par exemple « expiree ») ou les dates.")
_entry("status-dates-warning", W, DATE, "{detail}",
       "Le statut de la convention semble en retard sur ses dates.",
       "Vérifiez le statut et les dates.")
_entry("age-order", E, CONTENT, "L'âge minimum ({min}) dépasse l'âge maximum ({max}).",
       "La tranche d'âge est inversée.", "Échangez les deux âges.")
# --- Geography -------------------------------------------------------------
_entry("geo-insee-unknown", E, GEO, "Le code INSEE « {value} » ne correspond à aucune commune.",
       "Le code INSEE (5 caractères) identifie la commune ; il est différent du code postal.",
       "Cherchez le code officiel de la commune (par exemple sur le site de l'INSEE).")
_entry("geo-postal-mismatch", E, GEO,
       "Le code postal « {code_postal} » ne dessert pas la commune {commune_officielle} ({code_insee}). "
       "Codes postaux de cette commune : {attendus}.",
       "Le code postal, la commune et le code INSEE doivent désigner le même endroit.",
       "Corrigez le code postal ou le code INSEE.")
_entry("geo-commune-mismatch", E, GEO,
       "La commune « {commune} » ne correspond pas au code INSEE {code_insee} ({commune_officielle}).{suggestion}",
       "Le nom de la commune et son code INSEE désignent deux communes différentes.",
       "Écrivez le nom officiel de la commune ou corrigez le code INSEE.")
_entry("geo-manual-far", W, GEO,
       "Les coordonnées saisies sont à {distance} km du centre de {commune} : latitude et longitude "
       "sont-elles inversées ?",
       "Les coordonnées manuelles semblent loin de la commune du lieu.",
       "Vérifiez les coordonnées (latitude ≈ 49 et longitude ≈ -1 dans la Manche).")
_entry("geo-fallback", W, GEO,
       "L'adresse « {address} » n'est pas géocodée : le lieu est placé au centre de la commune.",
       "L'adresse est absente du cache de géocodage ; sa position est approximative.",
       "Lancez « maillage geocode » ou saisissez des coordonnées à la main.")

# --- Vocabularies ----------------------------------------------------------
_entry("vocab-unknown", E, VOCAB, "« {value} » ne figure pas dans le vocabulaire {vocab}.{suggestion}",
       "Ce champ doit utiliser un terme du vocabulaire contrôlé (dossier vocabulaires/).",
       "Choisissez un terme existant, ou proposez d'ajouter le terme au vocabulaire.")
_entry("vocab-mismatch", W, VOCAB, "{detail}",
       "Le terme existe mais ne s'applique pas d'habitude à cette profession.",
       "Vérifiez le terme choisi.")

# --- Content ---------------------------------------------------------------
_entry("phone-invalid", E, CONTENT, "Le numéro « {value} » n'est pas un numéro de téléphone français valide.",
       "Le numéro n'existe pas dans le plan de numérotation français.",
       "Écrivez les 10 chiffres, par exemple « 02 61 91 12 34 ».")
_entry("hours-invalid", E, CONTENT,
       "Les horaires « {value} » ne sont pas au format OpenStreetMap. Exemple : "
       "« Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00 ».",
       "Les horaires s'écrivent au format opening_hours (jours en anglais abrégés : Mo Tu We Th Fr Sa Su).",
       "Réécrivez les horaires en suivant l'exemple.")
_entry("text-html", E, CONTENT,
       "« {field} » contient du code HTML ou un lien interdit (« {excerpt} »). Écrivez du texte simple ; "
       "les liens doivent commencer par https://, mailto: ou tel:.",
       "Le registre ne publie pas de HTML venant des fiches, pour la sécurité des lecteurs.",
       "Retirez les balises ; pour un lien, écrivez [texte](https://…).")
_entry("text-control", E, CONTENT,
       "« {field} » contient un caractère invisible ou de contrôle ({char}).",
       "Certains caractères invisibles (contrôle, inversion du sens d'écriture) servent à tromper le lecteur.",
       "Retapez le texte sans copier-coller depuis un document mis en forme.")
_entry("duplicate-probable", W, CONTENT, "Doublon probable avec {other} : {detail}.",
       "Deux fiches semblent décrire la même personne ou la même structure.",
       "Vérifiez et fusionnez les fiches si c'est le cas.")
_entry("finance-precision", E, CONTENT,
       "Le financeur « autre » doit être précisé dans « financeur_precision ».",
       "Un financement sans financeur identifié ne peut pas être suivi.",
       "Ajoutez « financeur_precision: » avec le nom de l'organisme.")

# --- Privacy ---------------------------------------------------------------
_entry("child-data", E, PRIVACY,
       "« {field} » semble contenir des données sur un enfant ({kind} : « {excerpt} »). Le registre décrit "
       "des ressources, jamais des enfants : supprimez ce passage.",
       "Aucune donnée sur un enfant (nom, date de naissance, numéro de sécurité sociale) ne doit figurer "
       "dans le registre, même dans la section interne.",
       "Supprimez le passage ; décrivez le public de façon générale (« enfants de 3 à 6 ans »).")

# --- Registry --------------------------------------------------------------
_entry("registry-missing", E, REGISTRY, "{detail}",
       "Le dossier du registre ou un de ses fichiers obligatoires est absent.",
       "Vérifiez l'option --registry ou créez le fichier manquant.")

# --- Geocoding -------------------------------------------------------------
# Reported by « maillage geocode » and by the model build, never by « maillage validate ».
GEOCODING = "Géocodage"
_entry("geocode-low-score", W, GEOCODING,
       "Adresse « {address} » : le meilleur résultat du géocodeur, « {label} », n'a qu'un score de "
       "{score} (seuil : {threshold}) ; {fallback}.",
       "Le géocodeur n'est pas sûr de lui : l'adresse est peut-être mal orthographiée, incomplète, "
       "ou absente de la Base Adresse Nationale (lieu-dit, adresse récente).",
       "Vérifiez le numéro, le type et le nom de la voie ; si l'adresse est juste, placez le lieu à la "
       "main avec le champ « coordonnees ».")
_entry("geocode-wrong-commune", W, GEOCODING,
       "Adresse « {address} » : le géocodeur propose « {label} », dans une autre commune "
       "({found}) que {commune} ({code_insee}) ; {fallback}.",
       "La voie n'a pas été trouvée dans la commune indiquée ; le résultat est ailleurs et n'est donc "
       "pas retenu.",
       "Vérifiez la commune, le code postal et le nom de la voie ; sinon placez le lieu à la main "
       "avec le champ « coordonnees ».")
_entry("geocode-no-result", W, GEOCODING,
       "Adresse « {address} » : le géocodeur n'a rien trouvé ; {fallback}.",
       "Le géocodeur ne connaît pas cette adresse.",
       "Vérifiez l'orthographe de l'adresse ; sinon placez le lieu à la main avec le champ "
       "« coordonnees ».")
_entry("geocode-too-vague", W, GEOCODING,
       "Adresse « {address} » : le résultat « {label} » est plus vague qu'une commune ; {fallback}.",
       "Le géocodeur n'a reconnu qu'un département ou une région.",
       "Vérifiez l'adresse ; sinon placez le lieu à la main avec le champ « coordonnees ».")
_entry("geocode-failed", E, GEOCODING,
       "Adresse « {address} » : la requête au géocodeur a échoué ({reason}) ; {fallback}.",
       "Le service de géocodage n'a pas répondu correctement (réseau coupé, service saturé ou en "
       "panne). Rien n'est perdu : le cache garde ce qu'il savait.",
       "Relancez « maillage geocode » plus tard ; si l'échec persiste, vérifiez --endpoint et l'accès "
       "au réseau.")
_entry("geocode-cache-invalid", E, GEOCODING,
       "Le cache de géocodage est illisible : {detail}.",
       "Le fichier geocodage.csv a été modifié à la main ou mal fusionné ; Maillage refuse de "
       "l'écraser pour ne perdre aucune coordonnée.",
       "Corrigez la ligne indiquée (ou résolvez le conflit de fusion), puis relancez.")
_entry("geocode-no-centroid", W, GEOCODING,
       "Adresse « {address} » : la commune {commune} ({code_insee}) n'a pas de centre connu ; le lieu "
       "est placé {where}.",
       "Le référentiel des communes ne donne pas de position pour cette commune.",
       "Placez le lieu à la main avec le champ « coordonnees ».")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing a partner must see: where, what, how bad."""

    code: str
    severity: Severity
    message: str
    file: str
    line: int = 0
    column: int = 0
    path: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


def problem(code: str, file: str, line: int = 0, column: int = 0, path: str = "", **fields: object) -> Problem:
    """Build a problem from the catalogue; unknown codes are a programming error."""
    entry = CATALOGUE[code]
    message = entry.template.format(**fields)
    return Problem(code, entry.severity, message, file, line, column, path)


def sort_key(p: Problem) -> tuple[str, int, int, str]:
    return (p.file, p.line, p.column, p.code)
