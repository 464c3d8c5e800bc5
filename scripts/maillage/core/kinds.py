"""The record kinds of the registry, declared once: every stage iterates :data:`KINDS`.

Adding a fourth kind means a schema (``schemas/<name>.schema.json``), two templates
(``site/templates/<name>.html.j2`` and the index ``<folder>.html.j2``), its model class
in :mod:`maillage.core.model`, its construction in :mod:`maillage.assemble.build` and one
entry here (see ``docs/architecture.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from maillage.core.model import Convention, Professionnel, Record, Structure


@dataclass(frozen=True, slots=True)
class RecordKind:
    """One kind of record and everything the pipeline needs to know about it."""

    name: str  # the kind as written in code and JSON: "professionnel"
    folder: str  # its folder in a registry, and the first part of its pages' URL: "professionnels"
    schema: str  # the stem of its JSON Schema: schemas/<schema>.schema.json
    label: str  # French, singular: "professionnel"
    plural: str  # French, plural: "professionnels"
    article: str  # French, with its definite article: "le professionnel"
    title: str  # French heading of its index page and of its counts: "Professionnels"
    vocabulary: str | None  # the vocabulary of its main category ("professions"), if any
    category_field: str  # the field holding that category: "profession", "categorie", "type"
    has_places: bool  # it has « lieux » (addresses geocoded, shown on maps and in the directory)
    verified: bool  # it carries « verifie_le » (freshness campaigns apply)
    model: type[Record]  # its class in the typed model
    template: str  # the Jinja template of its record page
    index_template: str  # the Jinja template of its index page
    feminine: bool = False  # for French agreement: « une structure retirée »

    def url(self, record_id: str) -> str:
        """Site-relative URL of a record page: ``professionnels/<id>/``."""
        return f"{self.folder}/{record_id}/"

    def file(self, record_id: str) -> str:
        """Path of a record file inside a registry: ``professionnels/<id>.yaml``."""
        return f"{self.folder}/{record_id}.yaml"


PROFESSIONNEL = RecordKind(
    name="professionnel", folder="professionnels", schema="professionnel",
    label="professionnel", plural="professionnels", article="le professionnel", title="Professionnels",
    vocabulary="professions", category_field="profession", has_places=True, verified=True,
    model=Professionnel, template="professionnel.html.j2", index_template="professionnels.html.j2",
)
STRUCTURE = RecordKind(
    name="structure", folder="structures", schema="structure",
    label="structure", plural="structures", article="la structure", title="Structures",
    vocabulary="categories", category_field="categorie", has_places=True, verified=True,
    model=Structure, template="structure.html.j2", index_template="structures.html.j2", feminine=True,
)
CONVENTION = RecordKind(
    name="convention", folder="conventions", schema="convention",
    label="convention", plural="conventions", article="la convention", title="Conventions",
    vocabulary=None, category_field="type", has_places=False, verified=False,
    model=Convention, template="convention.html.j2", index_template="conventions.html.j2", feminine=True,
)

KINDS: tuple[RecordKind, ...] = (PROFESSIONNEL, STRUCTURE, CONVENTION)
KIND_NAMES: tuple[str, ...] = tuple(k.name for k in KINDS)
BY_NAME: dict[str, RecordKind] = {k.name: k for k in KINDS}
BY_FOLDER: dict[str, RecordKind] = {k.folder: k for k in KINDS}
PLACE_KINDS: tuple[RecordKind, ...] = tuple(k for k in KINDS if k.has_places)


def kind(name: str) -> RecordKind:
    """The kind named ``name`` (a programming error if there is none)."""
    return BY_NAME[name]


def kind_of(record: Record) -> RecordKind:
    return BY_NAME[record.kind]


def record_url(record: Record) -> str:
    """Site-relative URL of a record page (``professionnels/<id>/``)."""
    return BY_NAME[record.kind].url(record.id)
