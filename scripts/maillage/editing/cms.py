"""The web editor's configuration (Decap CMS ``config.yml``), generated from the schemas.

Nothing here is written twice: every field of the editor comes from the JSON Schema of
its record kind (French title, help text, required flag, pattern, bounds), the options of
its drop-down lists from the vocabularies (with their synonyms, so that typing
« logopède » finds « Orthophoniste ») or from the French labels of :mod:`maillage.core.labels`,
and the collections from :data:`maillage.core.kinds.KINDS`.

What the public editor must never show is left out here, by rule and by test:

* the ``interne`` section of every record (it belongs to the internal registry);
* the record status ``candidat`` (imported, not yet reviewed: internal registry only);
* the draft convention statuses (``projet``, ``en-negociation``: never public).

``maillage cms-config`` prints the configuration; the site build writes it to
``/admin/config.yml`` beside the editor's page (``docs/admin/index.html``).
See ``docs/contribuer/editeur.md`` (users) and ``docs/contribuer/editeur-installation.md``
(maintainers: sign-in, the choice of Decap CMS).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from maillage.core import statuses
from maillage.core.kinds import KINDS, RecordKind
from maillage.core.labels import BY_FIELD, Choices
from maillage.core.schemas import SchemaSet, load_schemas
from maillage.load.registry import METADATA_FILE, VOCABULARIES
from maillage.load.safe_yaml import load_file

HEADER = ("# Configuration de l'éditeur en ligne (Decap CMS), produite par « maillage cms-config »\n"
          "# à partir des schémas (schemas/) et des vocabulaires (registry/vocabulaires/).\n"
          "# Ne la modifiez pas à la main : elle est refaite à chaque construction du site.\n")

# Sections that never reach the public editor (see the module docstring).
PRIVATE_SECTIONS = frozenset({"interne"})
# Statuses that never reach the public editor.
HIDDEN_STATUSES: dict[str, frozenset[str]] = {
    "professionnel": frozenset(statuses.CANDIDATE),
    "structure": frozenset(statuses.CANDIDATE),
    "convention": frozenset(statuses.DRAFT),
}

# Fields whose value is a term of a vocabulary: (kind, dotted path) -> vocabulary.
# The schema says « terme » (a slug); which vocabulary is the validator's rule
# (validation/record_rules.py); tests check that every such field is listed here.
VOCABULARY_FIELDS: dict[tuple[str, str], str] = {
    ("professionnel", "profession"): "professions",
    ("professionnel", "specialites"): "specialites",
    ("professionnel", "langues"): "langues",
    ("structure", "categorie"): "categories",
    ("structure", "secteur.territoires"): "territoires",
    ("convention", "services"): "services",
    ("convention", "territoires"): "territoires",
}
# Fields whose value is the id of another record: (kind, dotted path) -> kind referred to.
RELATION_FIELDS: dict[tuple[str, str], str] = {
    ("structure", "structure_parente"): "structure",
    ("convention", "parties.professionnel"): "professionnel",
    ("convention", "parties.structure"): "structure",
}
# Lists of INSEE codes chosen among the département's communes.
COMMUNE_FIELDS = frozenset({("structure", "secteur.communes")})

# How a new record's file is named, and how entries are listed.
SLUGS = {"professionnel": "{{nom}}-{{prenom}}", "structure": "{{nom}}", "convention": "{{intitule}}"}
IDENTIFIERS = {"professionnel": "nom", "structure": "nom", "convention": "intitule"}
SUMMARIES = {"professionnel": "{{nom}} {{prenom}}", "structure": "{{nom}}", "convention": "{{intitule}}"}
SEARCH_FIELDS = {"professionnel": ["nom", "prenom"], "structure": ["nom", "sigle"], "convention": ["intitule"]}
DISPLAY_FIELDS = {"professionnel": ["nom", "prenom"], "structure": ["nom"], "convention": ["intitule"]}
LIST_SUMMARIES = {"lieux": "{{fields.adresse}}, {{fields.commune}}",
                  "parties": "{{fields.professionnel}}{{fields.structure}}{{fields.organisme}} ({{fields.role}})",
                  "financements": "{{fields.financeur}} — {{fields.mode}}",
                  "documents": "{{fields.titre}}"}
MEDIA_FOLDER = "televersements-editeur"
LONG_TEXT = 1000  # strings allowed to be longer than this (free text) get a multi-line box

COMMIT_MESSAGES = {
    "create": "Nouvelle fiche ({{collection}}) : {{slug}}",
    "update": "Fiche modifiée ({{collection}}) : {{slug}}",
    "delete": "Fiche supprimée ({{collection}}) : {{slug}}",
    "uploadMedia": "Document ajouté : {{path}}",
    "deleteMedia": "Document supprimé : {{path}}",
    "openAuthoring": "{{message}}",
}


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str

    def as_config(self) -> dict[str, str]:
        return {"label": self.label, "value": self.value}


@dataclass(frozen=True, slots=True)
class Repository:
    """Where the editor reads and writes: the public repository, its branch, the registry folder in it."""

    repo: str  # "owner/name" on GitHub
    branch: str
    registry_folder: str  # the registry's folder, relative to the repository root: "registry"
    site_url: str | None = None
    oauth_relay: str | None = None  # base URL of the sign-in relay (« relais de connexion »)


class ConfigError(Exception):
    """The registry metadata cannot give a repository to edit (usage error)."""


# -- inputs ------------------------------------------------------------------------------


def vocabulary_options(registry: Path) -> dict[str, list[Option]]:
    """The options of every vocabulary: id → label, synonyms appended so the search finds them."""
    text_keys = load_schemas().text_keys
    options: dict[str, list[Option]] = {}
    for name in VOCABULARIES:
        path = registry / "vocabulaires" / f"{name}.yaml"
        if not path.is_file():
            options[name] = []
            continue
        data = load_file(path, f"vocabulaires/{name}.yaml", text_keys, limit=8 * 1024 * 1024).data
        terms = []
        for term in data.get("termes") or []:
            if not isinstance(term, dict) or not isinstance(term.get("id"), str):
                continue
            label = str(term.get("libelle") or term["id"])
            synonyms = [str(s) for s in term.get("synonymes") or [] if isinstance(s, str | int) and str(s).strip()]
            if synonyms:
                label = f"{label} (aussi : {', '.join(synonyms)})"
            terms.append(Option(term["id"], label))
        options[name] = terms
    return options


def commune_options(departement: str) -> list[Option]:
    """The communes of a département, by name: « Coutances (50147) »."""
    from maillage.core.gazetteer import Gazetteer

    communes = Gazetteer.load().in_departement(departement, arrondissements=False)
    ordered = sorted(communes, key=lambda c: (c.nom, c.code_insee))
    return [Option(c.code_insee, f"{c.nom} ({c.code_insee})") for c in ordered]


def _repo_root(registry: Path) -> Path:
    try:
        out = subprocess.run(["git", "-C", str(registry), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        out = None
    if out is not None and out.returncode == 0 and out.stdout.strip():
        return Path(out.stdout.strip()).resolve()
    return registry.resolve().parent


def repository(registry: Path, repo_root: Path | None = None) -> Repository:
    """The repository to edit, from ``registre.yaml`` (``depot``, ``site``)."""
    meta = load_file(registry / METADATA_FILE, METADATA_FILE, load_schemas().text_keys).data
    depot = meta.get("depot") or {}
    url = str(depot.get("url") or "").rstrip("/")
    prefix = "https://github.com/"
    parts = url[len(prefix):].split("/") if url.startswith(prefix) else []
    if len(parts) != 2 or not all(parts):
        raise ConfigError(f"L'éditeur en ligne a besoin d'un dépôt GitHub : « depot.url » de {METADATA_FILE} "
                          f"vaut « {url or '(vide)'} », attendu https://github.com/organisation/depot.")
    root = (repo_root or _repo_root(registry)).resolve()
    try:
        folder = registry.resolve().relative_to(root).as_posix()
    except ValueError:
        folder = registry.name
    site = (meta.get("site") or {}).get("url")
    return Repository(repo="/".join(parts), branch=str(depot.get("branche") or "main"),
                      registry_folder=folder, site_url=str(site).rstrip("/") if site else None,
                      oauth_relay=str(depot["relais_connexion"]).rstrip("/") if depot.get("relais_connexion")
                      else None)


def departement_code(registry: Path) -> str:
    meta = load_file(registry / METADATA_FILE, METADATA_FILE, load_schemas().text_keys).data
    return str((meta.get("departement") or {}).get("code") or "")


# -- fields ------------------------------------------------------------------------------


class _Fields:
    """Turns one kind's JSON Schema into the editor's fields."""

    def __init__(self, schemas: SchemaSet, kind: RecordKind, vocabularies: dict[str, list[Option]],
                 communes: list[Option]) -> None:
        self.schemas = schemas
        self.kind = kind
        self.vocabularies = vocabularies
        self.communes = communes
        defs = schemas.raw["definitions"]["$defs"]
        self.date_pattern = defs["date"]["pattern"]

    def of_object(self, node: dict[str, Any], base: str, path: tuple[str, ...], required: bool) -> list[dict[str, Any]]:
        fields = []
        needed = set(node.get("required", []))
        for name, prop in node.get("properties", {}).items():
            if not path and name in PRIVATE_SECTIONS:
                continue
            resolved, rbase = self.schemas.resolve(prop, base)
            # A field required inside an optional object is only checked by the verification:
            # the editor would otherwise refuse to save a record that simply lacks the object.
            fields.append(self.field(name, resolved, rbase, (*path, name), required and name in needed))
        return fields

    def field(self, name: str, node: dict[str, Any], base: str, path: tuple[str, ...],
              required: bool) -> dict[str, Any]:
        dotted = ".".join(path)
        key = (self.kind.name, dotted)
        out: dict[str, Any] = {"name": name, "label": str(node.get("title") or name)}
        hidden = HIDDEN_STATUSES.get(self.kind.name, frozenset()) if dotted == "statut" else frozenset()
        hint = form_hint(str(node.get("description") or ""), hidden)
        if hint:
            out["hint"] = hint
        out["required"] = required
        kind = node.get("type")
        items: dict[str, Any] = {}
        ibase = base
        if kind == "array" and isinstance(node.get("items"), dict):
            items, ibase = self.schemas.resolve(node["items"], base)
        if key in VOCABULARY_FIELDS:
            options = self.vocabularies.get(VOCABULARY_FIELDS[key], [])
            out.update(widget="select", options=[o.as_config() for o in options])
            if kind == "array":
                out["multiple"] = True
                self._bounds(out, node)
        elif key in RELATION_FIELDS:
            target = next(k for k in KINDS if k.name == RELATION_FIELDS[key])
            out.update(widget="relation", collection=target.folder, value_field="{{slug}}",
                       search_fields=SEARCH_FIELDS[target.name], display_fields=DISPLAY_FIELDS[target.name])
        elif key in COMMUNE_FIELDS:
            out.update(widget="select", multiple=True, options=[o.as_config() for o in self.communes])
            self._bounds(out, node)
        elif kind == "string" and "enum" in node:
            out.update(widget="select", options=[o.as_config() for o in self._enum(dotted, node["enum"])])
        elif kind == "array" and items.get("type") == "string" and "enum" in items:
            out.update(widget="select", multiple=True,
                       options=[o.as_config() for o in self._enum(dotted, items["enum"])])
            self._bounds(out, node)
        elif kind == "array" and items.get("type") == "object":
            out.update(widget="list", fields=self.of_object(items, ibase, path, True))
            if name in LIST_SUMMARIES:
                out["summary"] = LIST_SUMMARIES[name]
            out["collapsed"] = False
            self._bounds(out, node)
        elif kind == "array":
            inner = self.field(name, items, ibase, path, True)
            inner.pop("hint", None)
            out.update(widget="list", field=inner)
            self._bounds(out, node)
        elif kind == "object":
            out.update(widget="object", fields=self.of_object(node, base, path, required), collapsed=False)
        elif kind == "boolean":
            out["widget"] = "boolean"
        elif kind in ("integer", "number"):
            out.update(widget="number", value_type="int" if kind == "integer" else "float")
            if "minimum" in node:
                out["min"] = node["minimum"]
            if "maximum" in node:
                out["max"] = node["maximum"]
            if kind == "number":
                out["step"] = 0.01 if path and path[-1] == "montant" else 0.000001
        elif kind == "string" and node.get("pattern") == self.date_pattern:
            out.update(widget="datetime", format="YYYY-MM-DD", date_format="DD/MM/YYYY", time_format=False,
                       picker_utc=True)
        elif kind == "string":
            long = int(node.get("maxLength", 0)) > LONG_TEXT
            out["widget"] = "text" if long else "string"
            if "pattern" in node:
                out["pattern"] = [node["pattern"], _pattern_message(node)]
        else:  # pragma: no cover - every schema type is handled above; a new one must be added
            raise ValueError(f"{self.kind.name}.{dotted} : type de champ non pris en charge ({kind!r})")
        return out

    def _enum(self, dotted: str, values: list[Any]) -> list[Option]:
        choices: Choices | None = BY_FIELD.get((self.kind.name, dotted))
        hidden = HIDDEN_STATUSES.get(self.kind.name, frozenset()) if dotted == "statut" else frozenset()
        out = []
        for value in values:
            if value in hidden:
                continue
            label = choices.label(value) if choices else str(value)
            out.append(Option(str(value), label[:1].upper() + label[1:]))
        return out

    @staticmethod
    def _bounds(out: dict[str, Any], node: dict[str, Any]) -> None:
        if "minItems" in node:
            out["min"] = node["minItems"]
        if "maxItems" in node:
            out["max"] = node["maxItems"]


def form_hint(description: str, hidden: frozenset[str] = frozenset()) -> str:
    """A schema description as help under a form field: no YAML advice, no hidden status.

    The schemas speak to people editing YAML (« entre guillemets », « true si … »); in a
    form, quotes and dates are the widget's business and a yes/no is a switch.
    """
    text = description.strip()
    if hidden:
        for separator in (" ; ", ", "):
            parts = text.rstrip(".").split(separator)
            kept = [p for p in parts if re.split(r"[\s:(]", p.strip(), maxsplit=1)[0] not in hidden]
            if len(kept) != len(parts):
                text = separator.join(kept) + "."
    for pattern, replacement in _HINT_REWRITES:
        text = pattern.sub(replacement, text)
    return text.strip()


_HINT_REWRITES = [
    (re.compile(r",? entre guillemets"), ""),
    (re.compile(r"Écrire true \(oui\) ou false \(non\), sans guillemets\."), "Oui ou non."),
    (re.compile(r" ?\(AAAA-MM-JJ\)"), ""),
    (re.compile(r"^true si "), "Activé si "),
    (re.compile(r", false sinon"), ""),
    (re.compile(r"\(false par défaut\)"), "(non par défaut)"),
    (re.compile(r'"'), ""),
]


def _pattern_message(node: dict[str, Any]) -> str:
    described = form_hint(str(node.get("description") or ""))
    return f"Format attendu. {described}" if described else "Format attendu non respecté."


# -- the configuration -----------------------------------------------------------------


def collections(schemas: SchemaSet, vocabularies: dict[str, list[Option]], communes: list[Option],
                registry_folder: str) -> list[dict[str, Any]]:
    out = []
    for kind in KINDS:
        root, base = schemas.resolve(schemas.raw[kind.schema], kind.schema)
        fields = _Fields(schemas, kind, vocabularies, communes).of_object(root, base, (), True)
        description = str(schemas.raw[kind.schema].get("description") or "")
        out.append({
            "name": kind.folder,
            "label": kind.title,
            "label_singular": kind.label[:1].upper() + kind.label[1:],
            "description": description,
            "folder": f"{registry_folder}/{kind.folder}" if registry_folder not in ("", ".") else kind.folder,
            "extension": "yaml",
            "format": "yaml",
            "create": True,
            "delete": False,  # a record is withdrawn through its status, never deleted from the editor
            "slug": SLUGS[kind.name],
            "identifier_field": IDENTIFIERS[kind.name],
            "summary": SUMMARIES[kind.name],
            "sortable_fields": [IDENTIFIERS[kind.name]],
            "editor": {"preview": False},
            "fields": fields,
        })
    return out


def editor_config(repo: Repository, vocabularies: dict[str, list[Option]], communes: list[Option],
                  schemas: SchemaSet | None = None) -> dict[str, Any]:
    """The whole ``config.yml`` of the editor, as data."""
    schemas = schemas or load_schemas()
    backend: dict[str, Any] = {
        "name": "github",
        "repo": repo.repo,
        "branch": repo.branch,
        # Partners without write access: their own fork and their own pull request.
        "open_authoring": True,
        # The token reaches public repositories only, never a private internal registry.
        "auth_scope": "public_repo",
        "squash_merges": True,
        "commit_messages": dict(COMMIT_MESSAGES),
    }
    if repo.oauth_relay:
        backend["base_url"] = repo.oauth_relay
        backend["auth_endpoint"] = "auth"
    config: dict[str, Any] = {
        "backend": backend,
        "publish_mode": "editorial_workflow",
        "locale": "fr",
        "show_preview_links": False,
        # No field of the editor uploads a file; Decap still needs a media folder. This one is
        # read by nothing (neither the registry nor the site): an upload there is ignored.
        "media_folder": MEDIA_FOLDER,
        "public_folder": f"/{MEDIA_FOLDER}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(schemas, vocabularies, communes, repo.registry_folder),
    }
    if repo.site_url:
        config["site_url"] = repo.site_url
        config["display_url"] = repo.site_url
    return config


def render(config: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)


def build_config(registry: Path, repo_root: Path | None = None) -> dict[str, Any]:
    """The configuration for a registry folder (its metadata, vocabularies and communes)."""
    repo = repository(registry, repo_root)
    return editor_config(repo, vocabulary_options(registry), commune_options(departement_code(registry)))


def site_files(registry: Path, repo_root: Path | None = None) -> dict[str, bytes]:
    """Files the site build adds beside the editor's page: ``admin/config.yml``.

    Nothing when the registry names no GitHub repository (the page then says so).
    """
    try:
        config = build_config(registry, repo_root)
    except ConfigError:
        return {}
    return {"admin/config.yml": render(config).encode("utf-8")}
