"""Find and load every file of a registry folder (no validation beyond YAML safety).

Everything validation needs is read here, once: each document keeps the position of
every value (:class:`~maillage.load.safe_yaml.Document`), and the names of the files
beside the conventions are listed, so that validation never touches the disk.

Two registries: the public one (:func:`load_registry`: ``registre.yaml``, vocabularies,
records) and the internal one (:func:`load_internal`, a private repository with the same
record folders and no metadata of its own). In the internal registry, a file whose only
top-level key is ``interne`` is an **internal part**: the internal section of the public
record with the same kind and id; any other file is a whole **internal-only record**.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maillage.core.kinds import BY_NAME
from maillage.core.kinds import KIND_NAMES as KINDS
from maillage.core.problems import Problem, problem
from maillage.core.schemas import load_schemas
from maillage.load.safe_yaml import Document, LoadError, load_bytes, load_file

VOCABULARIES = ("professions", "categories", "specialites", "services", "territoires", "langues")
METADATA_FILE = "registre.yaml"
VOCABULARY_MAX_BYTES = 8 * 1024 * 1024


def display_path(path: Path, cwd: Path | None = None) -> str:
    """A path as a partner sees it: relative to the current folder when possible."""
    try:
        return path.resolve().relative_to(cwd or Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(slots=True)
class RawRecord:
    """One record file as loaded: its kind, its id (the file name) and its document."""

    kind: str
    id: str
    document: Document
    path: Path | None = None  # where it was read from; None for a document built in memory

    @property
    def file(self) -> str:
        return self.document.file

    @property
    def data(self) -> dict[str, Any]:
        return self.document.data

    def locate(self, value_path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        return self.document.position(value_path, key)


@dataclass(slots=True)
class Vocabulary:
    name: str
    file: str
    title: str
    terms: dict[str, dict[str, Any]]
    source: Document | None = None  # the vocabulary file as loaded (None when missing or unreadable)

    @property
    def document(self) -> dict[str, Any]:
        return self.source.data if self.source is not None else {}

    def label(self, term: str) -> str:
        entry = self.terms.get(term)
        return str(entry["libelle"]) if entry else term


@dataclass(slots=True)
class LoadedRegistry:
    root: Path
    meta_document: Document | None
    meta_file: str
    vocabularies: dict[str, Vocabulary]
    records: list[RawRecord]
    problems: list[Problem] = field(default_factory=list)
    files_seen: int = 0
    attachments: frozenset[str] = frozenset()  # names of the files beside the conventions (documents)
    unreadable: frozenset[str] = frozenset()  # ids of record files that did not load (YAML errors)

    @property
    def meta(self) -> dict[str, Any]:
        return self.meta_document.data if self.meta_document is not None else {}


class RegistryNotFound(Exception):
    """The folder given with --registry (or --internal) is not a registry (usage error, exit 2)."""


def _scan(root: Path, problems: list[Problem], text_keys: frozenset[str],
          unreadable: set[str] | None = None) -> tuple[list[RawRecord], frozenset[str], int]:
    """The record files of the kind folders of ``root`` (loaded), the files beside the conventions,
    and how many record files were seen; the ids of those that did not load go to ``unreadable``."""
    records: list[RawRecord] = []
    attachments: set[str] = set()
    seen = 0
    for kind in KINDS:
        folder = root / BY_NAME[kind].folder
        if not folder.is_dir():
            continue
        folder_display = display_path(folder)
        with os.scandir(folder) as entries:
            names = sorted((e.name, e.is_dir()) for e in entries)
        for name, is_dir in names:
            path = folder / name
            if is_dir:
                if not name.startswith("."):
                    problems.append(problem("file-misplaced", display_path(path), name=name,
                                            folder=BY_NAME[kind].folder))
                continue
            if name.startswith("."):
                continue
            if not name.endswith(".yaml"):
                if name.endswith((".yml", ".YAML", ".json")):
                    problems.append(problem("file-extension", display_path(path), name=name))
                elif kind == "convention":
                    attachments.add(name)  # documents (PDF…) sit beside conventions
                continue
            seen += 1
            file = f"{folder_display}/{name}"
            try:
                doc = load_file(path, file, text_keys)
            except LoadError as exc:
                problems.append(exc.problem)
                if unreadable is not None:
                    unreadable.add(name[: -len(".yaml")])
                continue
            records.append(RawRecord(kind, name[: -len(".yaml")], doc, path))
    return records, frozenset(attachments), seen


def load_registry(root: Path) -> LoadedRegistry:
    """Load metadata, vocabularies and records; YAML problems are collected, never raised."""
    root = Path(root)
    if not (root / METADATA_FILE).is_file():
        raise RegistryNotFound(
            f"« {root} » n'est pas un registre : le fichier {METADATA_FILE} est introuvable "
            "(indiquez le dossier avec --registry)."
        )
    schemas = load_schemas()
    text_keys = schemas.text_keys
    problems: list[Problem] = []
    meta_path = root / METADATA_FILE
    meta_file = display_path(meta_path)
    meta: Document | None = None
    try:
        meta = load_file(meta_path, meta_file, text_keys)
    except LoadError as exc:
        problems.append(exc.problem)

    vocabularies: dict[str, Vocabulary] = {}
    for name in VOCABULARIES:
        vpath = root / "vocabulaires" / f"{name}.yaml"
        vfile = display_path(vpath)
        if not vpath.is_file():
            problems.append(problem("registry-missing", vfile, name=name))
            vocabularies[name] = Vocabulary(name, vfile, name, {})
            continue
        try:
            document = load_file(vpath, vfile, text_keys, limit=VOCABULARY_MAX_BYTES)
        except LoadError as exc:
            problems.append(exc.problem)
            vocabularies[name] = Vocabulary(name, vfile, name, {})
            continue
        vocabularies[name] = vocabulary(name, document)

    unreadable: set[str] = set()
    records, attachments, seen = _scan(root, problems, text_keys, unreadable)
    return LoadedRegistry(root, meta, meta_file, vocabularies, records, problems, seen, attachments,
                          frozenset(unreadable))


PART_KEY = "interne"  # the only top-level key of an internal part


def is_internal_part(data: dict[str, Any]) -> bool:
    """Whether a file of the internal registry is an internal part (only ``interne``) rather than a record."""
    return set(data) == {PART_KEY}


@dataclass(slots=True)
class InternalRegistry:
    """The internal registry as loaded: internal parts, internal-only records, documents beside them."""

    root: Path
    parts: list[RawRecord]  # files holding only « interne »: the internal section of a public record
    records: list[RawRecord]  # whole records that exist only in the internal registry
    problems: list[Problem] = field(default_factory=list)
    files_seen: int = 0
    attachments: frozenset[str] = frozenset()  # files beside its conventions (documents not public)
    unreadable: frozenset[str] = frozenset()  # ids of record files that did not load

    def part(self, kind: str, record_id: str) -> RawRecord | None:
        return self._parts().get((kind, record_id))

    def _parts(self) -> dict[tuple[str, str], RawRecord]:
        return {(p.kind, p.id): p for p in self.parts}


def internal_root(root: Path, public: Path | None = None) -> Path:
    """Check that ``root`` can be an internal registry; raises :class:`RegistryNotFound` (French) if not."""
    root = Path(root)
    if not root.is_dir():
        raise RegistryNotFound(f"« {root} » n'est pas un dossier : indiquez le registre interne avec --internal.")
    if (root / METADATA_FILE).is_file():
        raise RegistryNotFound(
            f"« {root} » contient {METADATA_FILE} : c'est un registre public, pas le registre interne "
            "(dépôt privé sans registre.yaml, avec les dossiers professionnels/, structures/, conventions/).")
    if public is not None and root.resolve() == Path(public).resolve():
        raise RegistryNotFound("--internal désigne le registre public lui-même : indiquez le registre interne.")
    return root


def load_internal(root: Path, public: Path | None = None) -> InternalRegistry:
    """Load the internal registry ``root`` (see the module documentation); YAML problems are collected."""
    root = internal_root(root, public)
    problems: list[Problem] = []
    unreadable: set[str] = set()
    files, attachments, seen = _scan(root, problems, load_schemas().text_keys, unreadable)
    parts = [r for r in files if is_internal_part(r.data)]
    records = [r for r in files if not is_internal_part(r.data)]
    return InternalRegistry(root, parts, records, problems, seen, attachments, frozenset(unreadable))


def vocabulary(name: str, document: Document) -> Vocabulary:
    """A vocabulary from its loaded file: its terms by id (the first of two equal ids wins)."""
    data = document.data
    terms: dict[str, dict[str, Any]] = {}
    for term in data.get("termes") or []:
        if isinstance(term, dict) and isinstance(term.get("id"), str):
            terms.setdefault(term["id"], term)
    return Vocabulary(name, document.file, str(data.get("titre", name)), terms, document)


def record_from_bytes(kind: str, name: str, raw: bytes, file: str) -> RawRecord:
    """One record from the bytes of its file (``name`` is the file name, ``file`` as displayed).

    Raises :class:`~maillage.load.safe_yaml.LoadError`; used for files given in memory
    (tests, editors) exactly as :func:`load_registry` reads them from disk.
    """
    document = load_bytes(raw, file, load_schemas().text_keys)
    return RawRecord(kind, name.removesuffix(".yaml"), document)

