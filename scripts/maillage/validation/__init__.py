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
from maillage.core.problems import Problem, problem, sort_key
from maillage.core.schemas import SchemaSet, load_schemas
from maillage.load.registry import LoadedRegistry, RawRecord, Vocabulary, load_registry
from maillage.load.safe_yaml import Document
from maillage.validation.record_rules import Context, check_record
from maillage.validation.registry_rules import check_registry
from maillage.validation.schema_check import schema_problems

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_ID_LENGTH = 80
# Dates that describe something that has already happened.
PAST_FIELDS = frozenset({"verifie_le", "date_information", "formation_le", "depuis", "signature"})


@dataclass(slots=True)
class ValidationResult:
    registry: LoadedRegistry
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def exit_code(self, strict: bool = False) -> int:
        if self.errors or (strict and self.warnings):
            return 1
        return 0


def date_fields(schemas: SchemaSet) -> frozenset[str]:
    pattern = schemas.raw["definitions"]["$defs"]["date"]["pattern"]
    names = set()
    for kind in ("professionnel", "structure", "convention"):
        for path, node, _base in schemas.walk(kind):
            if node.get("pattern") == pattern:
                names.add(path[-1])
    return frozenset(names)


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
        return schema_problems(self.schemas, "registre", document)

    def check_vocabulary(self, vocabulary: Vocabulary) -> list[Problem]:
        return schema_problems(self.schemas, "vocabulaire", vocabulary.source) if vocabulary.source else []

    def check(self, record: RawRecord, attachments: frozenset[str] = frozenset()) -> list[Problem]:
        """Problems of one record on its own: file name, schema, record rules (not its relations
        with other records). ``attachments``: the files beside the conventions."""
        problems: list[Problem] = []
        if not ID_PATTERN.fullmatch(record.id) or len(record.id) > MAX_ID_LENGTH:
            problems.append(problem("id-filename", record.file, 1, 1, name=record.id + ".yaml",
                                    suggestion=suggest_id(record.id)))
        problems += schema_problems(self.schemas, record.kind, record.document)
        problems += check_record(record, self.context, attachments)
        return problems

    def check_together(self, records: Iterable[RawRecord]) -> list[Problem]:
        """Problems between records: identifiers, references, probable duplicates."""
        return check_registry(list(records))

    def validate(self, loaded: LoadedRegistry) -> ValidationResult:
        """Every problem of a loaded registry (its loading problems included), sorted by place."""
        problems = list(loaded.problems)
        if loaded.meta_document is not None:
            problems += self.check_metadata(loaded.meta_document)
        for vocabulary in loaded.vocabularies.values():
            problems += self.check_vocabulary(vocabulary)
        for record in loaded.records:
            problems += self.check(record, loaded.attachments)
        problems += self.check_together(loaded.records)
        problems.sort(key=sort_key)
        return ValidationResult(loaded, problems)


def validate(root: Path, today: date | None = None) -> ValidationResult:
    """Load the registry folder ``root`` and validate it (``today``: the business date, else the clock)."""
    loaded = load_registry(root)
    return Validator.for_registry(loaded, today).validate(loaded)
