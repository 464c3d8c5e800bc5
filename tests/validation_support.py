"""Validate record files in memory, as ``maillage validate`` would on disk, without writing anything.

The fixture registry (the repository's metadata and vocabularies, plus the three records
of ``conftest``) is loaded once; one :class:`~maillage.validation.Validator` is built for
it; each call replaces or adds files *in memory* and validates the whole registry again
(registry-wide rules included). Files named ``interne/<folder>/<id>.yaml`` form the
internal registry, validated with it (the fixture's holds the professional's internal
part), as ``maillage validate --internal`` does. Problems come back as ``maillage validate
--format json`` prints them.
"""

from __future__ import annotations

import json
import time
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from conftest import CONVENTION, PROFESSIONNEL, PROFESSIONNEL_INTERNE, REPO, STRUCTURE, TODAY
from maillage.core.kinds import BY_FOLDER
from maillage.core.problem_formats import as_json
from maillage.core.problems import CATALOGUE, Problem
from maillage.core.schemas import load_schemas
from maillage.load.registry import (
    METADATA_FILE,
    VOCABULARIES,
    VOCABULARY_MAX_BYTES,
    InternalRegistry,
    LoadedRegistry,
    RawRecord,
    Vocabulary,
    is_internal_part,
    record_from_bytes,
    vocabulary,
)
from maillage.load.safe_yaml import MAX_FILE_BYTES, Document, LoadError, load_bytes
from maillage.validation import ValidationResult, Validator

ROOT = Path("registry")  # files are named as from the folder above the registry: registry/professionnels/…
INTERNAL = "interne"  # files of the internal registry: interne/professionnels/…
BASE_FILES: dict[str, str | bytes] = {
    "professionnels/lefevre-claire.yaml": PROFESSIONNEL,
    "structures/cmp-coutances.yaml": STRUCTURE,
    "conventions/sante-protegee-cmp-coutances.yaml": CONVENTION,
    f"{INTERNAL}/professionnels/lefevre-claire.yaml": PROFESSIONNEL_INTERNE,
}
ENGLISH = ("found", "expected", "could not", "while ", "unacceptable", "Traceback")


def _bytes(data: str | bytes) -> bytes:
    return data if isinstance(data, bytes) else data.encode("utf-8")


@lru_cache(maxsize=32)
def _record(kind: str, name: str, raw: bytes, file: str) -> RawRecord | Problem:
    """One record file, parsed once per content (the fixture's own records come back in every case)."""
    try:
        return record_from_bytes(kind, name, raw, file)
    except LoadError as exc:
        return exc.problem


@cache
def _load(relative: str, raw: bytes, limit: int) -> Document | Problem:
    """One metadata or vocabulary file, parsed once per content (they rarely change from test to test)."""
    try:
        return load_bytes(raw, f"{ROOT}/{relative}", load_schemas().text_keys, limit)
    except LoadError as exc:
        return exc.problem


def load_registry_files(files: dict[str, str | bytes]) -> LoadedRegistry:
    """A registry from files given in memory (paths relative to the registry folder).

    ``registre.yaml`` and ``vocabulaires/<name>.yaml`` default to the repository's own.
    """
    problems: list[Problem] = []
    loaded = _load(METADATA_FILE, _bytes(files.get(METADATA_FILE, (REPO / "registry" / METADATA_FILE).read_bytes())),
                   MAX_FILE_BYTES)
    meta = loaded if isinstance(loaded, Document) else None
    if isinstance(loaded, Problem):
        problems.append(loaded)
    vocabularies: dict[str, Vocabulary] = {}
    for name in VOCABULARIES:
        relative = f"vocabulaires/{name}.yaml"
        raw = _bytes(files.get(relative, (REPO / "registry" / relative).read_bytes()))
        loaded = _load(relative, raw, VOCABULARY_MAX_BYTES)
        if isinstance(loaded, Problem):
            problems.append(loaded)
            vocabularies[name] = Vocabulary(name, f"{ROOT}/{relative}", name, {})
        else:
            vocabularies[name] = vocabulary(name, loaded)
    records, seen = _records(files, problems, f"{ROOT}/")
    return LoadedRegistry(ROOT, meta, f"{ROOT}/{METADATA_FILE}", vocabularies, records, problems, seen)


def _records(files: dict[str, str | bytes], problems: list[Problem], shown: str) -> tuple[list[RawRecord], int]:
    records: list[RawRecord] = []
    seen = 0
    for relative, data in sorted(files.items()):
        folder, _, name = relative.partition("/")
        kind = BY_FOLDER.get(folder)
        if kind is None or "/" in name:
            continue
        seen += 1
        loaded_record = _record(kind.name, name, _bytes(data), f"{shown}{relative}")
        if isinstance(loaded_record, Problem):
            problems.append(loaded_record)
        else:
            records.append(loaded_record)
    return records, seen


def load_internal_files(files: dict[str, str | bytes]) -> InternalRegistry:
    """The internal registry from files given in memory (paths relative to its folder)."""
    problems: list[Problem] = []
    loaded, seen = _records(files, problems, f"{INTERNAL}/")
    parts = [r for r in loaded if is_internal_part(r.data)]
    records = [r for r in loaded if not is_internal_part(r.data)]
    return InternalRegistry(Path(INTERNAL), parts, records, problems, seen)


@cache
def fixture_validator() -> Validator:
    """Built once: the fixture registry's vocabularies, the repository's schemas and gazetteer, TODAY."""
    return Validator.for_registry(load_registry_files(BASE_FILES), date.fromisoformat(TODAY))


def validate_files(files: dict[str, str | bytes], base: bool = True) -> ValidationResult:
    """Validate the fixture registry (``base``) with ``files`` replacing or added to its files
    (``interne/…``: files of the internal registry)."""
    every = {**(BASE_FILES if base else {}), **files}
    prefix = f"{INTERNAL}/"
    loaded = load_registry_files({k: v for k, v in every.items() if not k.startswith(prefix)})
    internal = {k.removeprefix(prefix): v for k, v in every.items() if k.startswith(prefix)}
    return fixture_validator().validate(loaded, load_internal_files(internal) if internal else None)


def report_of(result: ValidationResult) -> tuple[int, list[dict[str, object]]]:
    """The exit code and the problems, as ``maillage validate --format json`` gives them, checked French."""
    report = json.loads(as_json(result.problems, len(result.registry.records)))
    code = result.exit_code()
    assert report["valid"] == (code == 0)
    for p in report["problems"]:
        assert p["code"] in CATALOGUE, p
        message = str(p["message"])
        assert message and (message[0].isupper() or message[0] == "«"), p
        for english in ENGLISH:  # French, not a leaked English parser message
            assert english not in message, p
    return code, report["problems"]


def validate_report(files: dict[str, str | bytes], base: bool = True) -> tuple[int, list[dict[str, object]]]:
    return report_of(validate_files(files, base))


def problems_of(problems: list[dict[str, object]], file: str) -> list[dict[str, object]]:
    return [p for p in problems if str(p["file"]).endswith(file)]


# A sanity bound, not a timing assertion: a hostile file must not make validation hang.
GENEROUS_SECONDS = 60


def validate_in_memory(files: dict[str, str | bytes]) -> tuple[int, list[dict[str, object]]]:
    """In memory, with a sanity bound (not a timing assertion): a hostile file must not hang validation."""
    start = time.monotonic()
    result = validate_report(files)
    elapsed = time.monotonic() - start
    assert elapsed < GENEROUS_SECONDS, f"validation took {elapsed:.0f} s"
    return result
