"""Find and load every file of a registry folder (no validation beyond YAML safety)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maillage.core.problems import Problem, problem
from maillage.core.schemas import FOLDERS, KINDS, load_schemas
from maillage.load.safe_yaml import LoadError, load_file, locate

VOCABULARIES = ("professions", "categories", "specialites", "services", "territoires", "langues")
METADATA_FILE = "registre.yaml"


def display_path(path: Path, cwd: Path | None = None) -> str:
    """A path as a partner sees it: relative to the current folder when possible."""
    try:
        return path.resolve().relative_to(cwd or Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(slots=True)
class RawRecord:
    kind: str
    id: str
    path: Path
    file: str
    data: dict[str, Any]

    def locate(self, value_path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        return locate(self.path, self.file, value_path, load_schemas().text_keys, key=key)


@dataclass(slots=True)
class Vocabulary:
    name: str
    file: str
    title: str
    terms: dict[str, dict[str, Any]]
    document: dict[str, Any] = field(default_factory=dict)

    def label(self, term: str) -> str:
        entry = self.terms.get(term)
        return str(entry["libelle"]) if entry else term


@dataclass(slots=True)
class LoadedRegistry:
    root: Path
    meta: dict[str, Any]
    meta_file: str
    vocabularies: dict[str, Vocabulary]
    records: list[RawRecord]
    problems: list[Problem] = field(default_factory=list)
    files_seen: int = 0


class RegistryNotFound(Exception):
    """The folder given with --registry is not a registry (usage error, exit 2)."""


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
    meta: dict[str, Any] = {}
    try:
        meta = load_file(meta_path, meta_file, text_keys).data
    except LoadError as exc:
        problems.append(exc.problem)

    vocabularies: dict[str, Vocabulary] = {}
    for name in VOCABULARIES:
        vpath = root / "vocabulaires" / f"{name}.yaml"
        vfile = display_path(vpath)
        if not vpath.is_file():
            problems.append(problem("registry-missing", vfile,
                                    detail=f"Le vocabulaire « {name} » est introuvable ({vfile})."))
            vocabularies[name] = Vocabulary(name, vfile, name, {})
            continue
        try:
            data = load_file(vpath, vfile, text_keys, limit=8 * 1024 * 1024).data
        except LoadError as exc:
            problems.append(exc.problem)
            vocabularies[name] = Vocabulary(name, vfile, name, {})
            continue
        terms: dict[str, dict[str, Any]] = {}
        for term in data.get("termes") or []:
            if isinstance(term, dict) and isinstance(term.get("id"), str):
                terms.setdefault(term["id"], term)
        vocabularies[name] = Vocabulary(name, vfile, str(data.get("titre", name)), terms, data)

    records: list[RawRecord] = []
    seen = 0
    for kind in KINDS:
        folder = root / FOLDERS[kind]
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
                                            folder=FOLDERS[kind]))
                continue
            if name.startswith("."):
                continue
            if not name.endswith(".yaml"):
                if name.endswith((".yml", ".YAML", ".json")):
                    problems.append(problem("file-extension", display_path(path), name=name))
                continue  # documents (PDF…) may sit beside conventions
            seen += 1
            file = f"{folder_display}/{name}"
            try:
                doc = load_file(path, file, text_keys)
            except LoadError as exc:
                problems.append(exc.problem)
                continue
            records.append(RawRecord(kind, name[: -len(".yaml")], path, file, doc.data))
    return LoadedRegistry(root, meta, meta_file, vocabularies, records, problems, seen)

