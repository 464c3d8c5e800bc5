"""Validation of a whole registry: YAML safety, schemas, per-record and registry-wide rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from maillage.core import clock
from maillage.core.gazetteer import Gazetteer
from maillage.core.problems import Problem, problem, sort_key
from maillage.core.schemas import SchemaSet, load_schemas
from maillage.load.registry import LoadedRegistry, RawRecord, load_registry
from maillage.validation.record_rules import Context, check_record
from maillage.validation.registry_rules import check_registry
from maillage.validation.schema_check import schema_problems

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
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


def _record_locator(record: RawRecord):  # type: ignore[no-untyped-def]
    return lambda path, key: record.locate(path, key)


def validate(root: Path, today: date | None = None) -> ValidationResult:
    schemas = load_schemas()
    loaded = load_registry(root)
    problems = list(loaded.problems)
    if loaded.meta:
        problems += schema_problems(
            schemas, "registre", loaded.meta, loaded.meta_file,
            lambda path, key: _locate_plain(loaded.root / "registre.yaml", loaded.meta_file, path, key),
        )
    for vocab in loaded.vocabularies.values():
        if vocab.document:
            vpath = loaded.root / "vocabulaires" / f"{vocab.name}.yaml"
            problems += schema_problems(
                schemas, "vocabulaire", vocab.document, vocab.file,
                lambda path, key, vpath=vpath, vfile=vocab.file: _locate_plain(vpath, vfile, path, key),
            )
    ctx = Context(Gazetteer.load(), loaded.vocabularies, today or clock.today(), date_fields(schemas),
                  PAST_FIELDS)
    for record in loaded.records:
        if not ID_PATTERN.fullmatch(record.id) or len(record.id) > 80:
            problems.append(problem("id-filename", record.file, 1, 1, name=record.id + ".yaml",
                                    suggestion=suggest_id(record.id)))
        problems += schema_problems(schemas, record.kind, record.data, record.file, _record_locator(record))
        problems += check_record(record, ctx)
    problems += check_registry(loaded.records)
    problems.sort(key=sort_key)
    return ValidationResult(loaded, problems)


def _locate_plain(path: Path, file: str, value_path: tuple[str | int, ...], key: bool) -> tuple[int, int]:
    from maillage.load.safe_yaml import locate

    return locate(path, file, value_path, load_schemas().text_keys, key=key)
