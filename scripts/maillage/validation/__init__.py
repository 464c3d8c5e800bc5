"""Validation of loaded documents: schemas, per-record and registry-wide rules.

A :class:`Validator` is built once from everything validation depends on — the
schemas, the registry's vocabularies, the gazetteer and the business date — and is
then called on documents already in memory: :meth:`Validator.check` for one record,
:meth:`Validator.validate` for a whole loaded registry. It never reads a file: the
position of every problem comes from the loaded document. :func:`validate` is the
convenience the commands use (load a folder, then validate it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from maillage.core import clock
from maillage.core.gazetteer import Gazetteer
from maillage.core.problems import Problem, ProblemList, problem, sort_key
from maillage.core.schemas import SchemaSet, load_schemas, part_schema
from maillage.load.registry import InternalRegistry, LoadedRegistry, RawRecord, Vocabulary, load_registry
from maillage.load.safe_yaml import Document
from maillage.validation import border
from maillage.validation.record_rules import Context, check_part, check_record
from maillage.validation.registry_rules import check_registry
from maillage.validation.schema_check import schema_problems

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_ID_LENGTH = 80
# Dates that describe something that has already happened.
PAST_FIELDS = frozenset({"verifie_le", "date_information", "formation_le", "depuis", "signature"})


@dataclass(slots=True)
class ValidationResult(ProblemList):
    registry: LoadedRegistry
    problems: list[Problem]
    internal: InternalRegistry | None = None  # the internal registry validated with it, if any


def date_fields(schemas: SchemaSet) -> frozenset[str]:
    pattern = schemas.raw["definitions"]["$defs"]["date"]["pattern"]
    names = set()
    for kind in ("professionnel", "structure", "convention"):
        for path, node, _base in schemas.walk(kind):
            if node.get("pattern") == pattern:
                names.add(path[-1])
    return frozenset(names)


# One mistake, one message: a record rule that explains a value better than the schema does (a phone
# copied with non-breaking spaces, a term not in its list with the close one, an INSEE code found from the
# commune) replaces the schema's message about the same value.
EXPLAINS: dict[str, frozenset[str]] = {
    "phone-invalid": frozenset({"schema-format"}),
    "vocab-unknown": frozenset({"schema-format"}),
    "geo-insee-unknown": frozenset({"schema-format"}),
    "geo-insee-missing": frozenset({"schema-required"}),
}


def _value_path(p: Problem) -> str:
    """The value a problem is about: its path, or for a missing field the field's path."""
    if p.code == "schema-required":
        return ".".join(x for x in (p.path, str(p.fields.get("field", ""))) if x)
    return p.path


def one_message_per_mistake(schema: list[Problem], rules: list[Problem]) -> list[Problem]:
    """The schema's problems without those a record rule explains better (:data:`EXPLAINS`), then the rules'."""
    explained = {(p.file, _value_path(p) if p.code != "geo-insee-missing" else f"{p.path}.code_insee", code)
                 for p in rules for code in EXPLAINS.get(p.code, ())}
    return [p for p in schema if (p.file, _value_path(p), p.code) not in explained] + rules


def suggest_id(stem: str) -> str:
    from maillage.core.gazetteer import normalise_name

    slug = re.sub(r"[^a-z0-9]+", "-", normalise_name(stem).replace(" ", "-")).strip("-")
    return slug or "mon-identifiant"


@dataclass(slots=True)
class Validator:
    """Checks documents in memory against the schemas, the vocabularies, the gazetteer and a date."""

    schemas: SchemaSet
    vocabularies: Mapping[str, Vocabulary]
    gazetteer: Gazetteer
    today: date
    context: Context = field(init=False)

    def __post_init__(self) -> None:
        self.context = Context(self.gazetteer, dict(self.vocabularies), self.today, date_fields(self.schemas),
                               PAST_FIELDS)

    @classmethod
    def for_registry(cls, loaded: LoadedRegistry, today: date | None = None) -> Validator:
        """A validator for the vocabularies of ``loaded`` (schemas and gazetteer are loaded once per process)."""
        return cls(load_schemas(), loaded.vocabularies, Gazetteer.load(), today or clock.today())

    def check_metadata(self, document: Document) -> list[Problem]:
        """Problems of ``registre.yaml``."""
        problems = schema_problems(self.schemas, "registre", document)
        if problems:
            return problems
        return self._former_communes(document)

    def _former_communes(self, document: Document) -> list[Problem]:
        """Each former commune names a commune of the département today (and one of its postal codes)."""
        dep = document.data["departement"]
        problems: list[Problem] = []
        for index, former in enumerate(dep.get("anciennes_communes") or ()):
            base = ("departement", "anciennes_communes", index)
            commune = self.gazetteer.commune(former["code_insee"])
            if commune is None:
                line, column = document.position((*base, "code_insee"))
                problems.append(problem("geo-insee-unknown", document.file, line, column,
                                        ".".join(map(str, (*base, "code_insee"))), value=former["code_insee"]))
            elif commune.departement != dep["code"] or commune.type != "COM":
                line, column = document.position((*base, "code_insee"))
                problems.append(problem("geo-former-commune-outside", document.file, line, column,
                                        ".".join(map(str, (*base, "code_insee"))), nom=former["nom"],
                                        code_insee=former["code_insee"], departement=dep["code"]))
            elif "code_postal" in former and former["code_postal"] not in commune.codes_postaux:
                line, column = document.position((*base, "code_postal"))
                problems.append(problem("geo-postal-mismatch", document.file, line, column,
                                        ".".join(map(str, (*base, "code_postal"))), code_postal=former["code_postal"],
                                        commune_officielle=commune.nom, code_insee=commune.code_insee,
                                        attendus=list(commune.codes_postaux)))
        return problems

    def check_vocabulary(self, vocabulary: Vocabulary) -> list[Problem]:
        return schema_problems(self.schemas, "vocabulaire", vocabulary.source) if vocabulary.source else []

    def check(self, record: RawRecord, attachments: frozenset[str] = frozenset(), *, public: bool = True
              ) -> list[Problem]:
        """Problems of one record on its own: file name, schema, record rules (not its relations
        with other records). ``attachments``: the files beside the conventions. A record of the
        public registry (``public``) may hold nothing internal (:mod:`maillage.validation.border`)."""
        problems: list[Problem] = []
        if not ID_PATTERN.fullmatch(record.id) or len(record.id) > MAX_ID_LENGTH:
            problems.append(problem("id-filename", record.file, 1, 1, name=record.id + ".yaml",
                                    suggestion=suggest_id(record.id)))
        problems += one_message_per_mistake(schema_problems(self.schemas, record.kind, record.document),
                                            check_record(record, self.context, attachments))
        if public:
            problems += border.public_problems(record)
        return problems

    def check_part(self, part: RawRecord, attachments: frozenset[str] = frozenset()) -> list[Problem]:
        """Problems of an internal part on its own (a file of the internal registry holding only « interne »)."""
        problems: list[Problem] = []
        if not ID_PATTERN.fullmatch(part.id) or len(part.id) > MAX_ID_LENGTH:
            problems.append(problem("id-filename", part.file, 1, 1, name=part.id + ".yaml",
                                    suggestion=suggest_id(part.id)))
        problems += one_message_per_mistake(schema_problems(self.schemas, part_schema(part.kind), part.document),
                                            check_part(part, self.context, attachments))
        return problems

    def check_together(self, records: Iterable[RawRecord], internal_only: frozenset[str] = frozenset(),
                       unreadable: frozenset[str] = frozenset()) -> list[Problem]:
        """Problems between records: identifiers, references, probable duplicates. ``internal_only``: ids
        of internal-only records, which these records may not refer to; ``unreadable``: ids of record files
        that did not load (a reference to one is not also reported as missing)."""
        return check_registry(list(records), internal_only, unreadable)

    def validate(self, loaded: LoadedRegistry, internal: InternalRegistry | None = None) -> ValidationResult:
        """Every problem of a loaded registry (its loading problems included), sorted by place.

        With ``internal`` (the internal registry), its files are checked too, with the same schemas
        and rules, and the rules of the border between the two (:mod:`maillage.validation.border`).
        """
        problems = list(loaded.problems)
        if loaded.meta_document is not None:
            problems += self.check_metadata(loaded.meta_document)
        for vocabulary in loaded.vocabularies.values():
            problems += self.check_vocabulary(vocabulary)
        for record in loaded.records:
            problems += self.check(record, loaded.attachments)
        public_ids = {r.id: r for r in loaded.records}
        own = [r for r in internal.records if r.id not in public_ids] if internal is not None else []
        unreadable = loaded.unreadable | (internal.unreadable if internal is not None else frozenset())
        problems += self.check_together(loaded.records, frozenset(r.id for r in own), unreadable)
        if internal is not None:
            problems += self._validate_internal(loaded, internal, public_ids, own)
        problems.sort(key=sort_key)
        return ValidationResult(loaded, problems, internal)

    def _validate_internal(self, loaded: LoadedRegistry, internal: InternalRegistry,
                           public_ids: dict[str, RawRecord], own: list[RawRecord]) -> list[Problem]:
        problems = list(internal.problems)
        for part in internal.parts:
            problems += self.check_part(part, internal.attachments)
        problems += border.orphan_parts(internal.parts, {(r.kind, r.id): r for r in loaded.records})
        both = internal.attachments | loaded.attachments
        for record in internal.records:
            problems += self.check(record, both, public=False)
        problems += border.taken_ids(internal.records, public_ids)
        # Relations of the internal-only records with each other and with the public ones (reported in
        # the internal files only: the public records' own relations were checked above).
        files = {r.file for r in own}
        unreadable = loaded.unreadable | internal.unreadable
        problems += [p for p in self.check_together([*loaded.records, *own], unreadable=unreadable)
                     if p.file in files]
        return problems


def validate(root: Path, today: date | None = None, internal: Path | None = None) -> ValidationResult:
    """Load the registry folder ``root`` (and the internal registry ``internal``, if any) and validate it
    (``today``: the business date, else the clock)."""
    from maillage.load.registry import load_internal

    loaded = load_registry(root)
    inner = load_internal(internal, root) if internal is not None else None
    return Validator.for_registry(loaded, today).validate(loaded, inner)
