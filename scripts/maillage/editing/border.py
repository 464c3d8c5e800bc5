"""Moving data across the border between the public and the internal registry.

* :func:`extract` (``maillage internal extract --to DIR``) moves out of a public registry
  everything that may not stay there (see :mod:`maillage.validation.border`):

  - each ``interne`` section, into the internal part ``<folder>/<id>.yaml`` of the internal
    registry (:func:`maillage.editing.writer.move_section`: the public file loses exactly
    those lines);
  - each record that is not public as a whole — a convention in a draft status (``projet``,
    ``en-negociation``), a candidate — with the files of its documents
    (:func:`maillage.editing.writer.move_record`: same bytes);
  - each convention document not marked ``public: true``, into the ``interne.documents`` of
    the convention's internal part, with its file;
  - the geocoding cache rows of the addresses only moved records use, into the internal
    registry's own ``geocodage.csv``.

  The public files that stay keep every other byte (their diff shows only removed lines). A
  second run finds nothing to move and changes nothing.
* :func:`publish` (``maillage internal publish ID``) moves a convention that has become public
  from the internal registry to the public one; its internal section and its documents that
  are not public stay in the internal registry, as its internal part.

Nothing is written before every move has been checked (a file already at the target, a
section present on both sides): those are reported and block the whole run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maillage.core import statuses
from maillage.core.files import atomic_write
from maillage.core.kinds import BY_NAME
from maillage.editing.canonical import MODELINE, PART_SCHEMA_FILE, CanonicalError, record_text
from maillage.editing.writer import RecordFile, WriterError, move_record, move_section
from maillage.geocoding.cache import CACHE_FILE, GeoCache, normalise_address
from maillage.load.registry import PART_KEY, RawRecord, display_path, internal_root, load_registry
from maillage.load.safe_yaml import LoadError
from maillage.validation.border import not_public_documents

PART_MODELINE = f"{MODELINE}../../schemas/{PART_SCHEMA_FILE}"


class BorderError(Exception):
    """A move that cannot be made (French message); nothing was written."""


@dataclass(frozen=True, slots=True)
class Moved:
    """One thing moved across the border, as the command prints it."""

    what: str  # « section interne », « fiche entière », « document non public », « adresses géocodées »
    source: str
    target: str

    def line(self) -> str:
        return f"{self.source} → {self.target} ({self.what})"


@dataclass(slots=True)
class Moves:
    moved: list[Moved] = field(default_factory=list)

    def add(self, what: str, source: Path | str, target: Path | str) -> None:
        shown = [display_path(p) if isinstance(p, Path) else p for p in (source, target)]
        self.moved.append(Moved(what, shown[0], shown[1]))


def _whole_record_is_internal(record: RawRecord) -> bool:
    statut = record.data.get("statut")
    if not isinstance(statut, str):
        return False
    if record.kind == "convention":
        return statut in statuses.DRAFT
    return statut in statuses.CANDIDATE


def _document_files(documents: list[Any]) -> list[str]:
    return [d["fichier"] for d in documents if isinstance(d, dict) and isinstance(d.get("fichier"), str)]


def _addresses(record: RawRecord) -> set[str]:
    out = set()
    for lieu in record.data.get("lieux") or []:
        if isinstance(lieu, dict) and all(isinstance(lieu.get(k), str) for k in ("adresse", "code_postal", "commune")):
            out.add(normalise_address(lieu["adresse"], lieu["code_postal"], lieu["commune"]))
    return out


def split_record(kind: str, data: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """One record's data as the two registries hold it: (public record, internal file), either ``None``.

    The same split as :func:`extract`, on data in memory (generators write both registries with it):
    a record that is not public as a whole goes whole to the internal registry; otherwise its
    ``interne`` section and its documents not public become its internal part.
    """
    statut = data.get("statut")
    if isinstance(statut, str) and (statut in statuses.DRAFT if kind == "convention" else statut in statuses.CANDIDATE):
        return None, dict(data)
    public = {k: v for k, v in data.items() if k != PART_KEY}
    interne = dict(data[PART_KEY]) if isinstance(data.get(PART_KEY), dict) else {}
    hidden = not_public_documents(data) if kind == "convention" else []
    if hidden:
        documents = data["documents"]
        kept = [d for i, d in enumerate(documents) if i not in hidden]
        if kept:
            public["documents"] = kept
        else:
            del public["documents"]
        interne["documents"] = [*(interne.get("documents") or []),
                                *({k: v for k, v in documents[i].items() if k != "public"} for i in hidden)]
    return public, ({PART_KEY: interne} if interne else None)


def part_text(kind: str, interne: dict[str, Any]) -> str:
    """A new internal part: the part schema's modeline and the ``interne`` section, canonical."""
    return record_text(kind, {PART_KEY: interne}, schema_ref=f"../../schemas/{PART_SCHEMA_FILE}")


def _add_documents(part_path: Path, kind: str, documents: list[dict[str, Any]]) -> None:
    """Append ``documents`` (without their ``public`` flag) to the ``interne.documents`` of an internal part."""
    plain = [{k: v for k, v in d.items() if k != "public"} for d in documents]
    if part_path.is_file():
        part = RecordFile.open(part_path, kind)
        for document in plain:
            part.append((PART_KEY, "documents"), document)
        part.save()
    else:
        part_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(part_path, part_text(kind, {"documents": plain}).encode("utf-8"), exclusive=True)


def extract(registry: Path, internal: Path) -> Moves:
    """Move everything internal out of the public registry ``registry`` into ``internal`` (created if needed)."""
    loaded = load_registry(registry)
    unreadable = [p for p in loaded.problems if p.is_error and p.code.startswith(("yaml-", "file-"))]
    if unreadable:
        raise BorderError("des fiches sont illisibles ; corrigez-les d'abord (rien n'a été déplacé) :\n"
                          + "\n".join(f"  {p.location()} : {p.message}" for p in unreadable))
    internal = Path(internal)
    if internal.exists():
        internal_root(internal, registry)
    elif Path(internal).resolve() == Path(registry).resolve():  # pragma: no cover - exists then
        raise BorderError("--to désigne le registre public lui-même.")
    whole = [r for r in loaded.records if _whole_record_is_internal(r)]
    sections = [r for r in loaded.records if PART_KEY in r.data and r not in whole]
    documents = {r.id: not_public_documents(r.data) for r in loaded.records
                 if r.kind == "convention" and r not in whole and not_public_documents(r.data)}
    _check_targets(registry, internal, whole, sections)

    moves = Moves()
    conventions = Path(registry) / BY_NAME["convention"].folder
    inner_conventions = internal / BY_NAME["convention"].folder
    for record in whole:
        assert record.path is not None
        target = internal / BY_NAME[record.kind].file(record.id)
        files = _document_files(record.data.get("documents") or []) if record.kind == "convention" else []
        move_record(record.path, target)
        moves.add("fiche entière", record.path, target)
        for name in files:
            if (conventions / name).is_file() and not (inner_conventions / name).exists():
                move_record(conventions / name, inner_conventions / name)
                moves.add("document de la fiche", conventions / name, inner_conventions / name)
    for record in sections:
        assert record.path is not None
        target = internal / BY_NAME[record.kind].file(record.id)
        move_section(record.path, PART_KEY, target, record.kind, modeline=PART_MODELINE)
        moves.add("section interne", record.path, target)
    for record in loaded.records:
        if record.id not in documents:
            continue
        assert record.path is not None
        public_file = RecordFile.open(record.path, record.kind)
        items = public_file.get(("documents",))
        hidden = [items[i] for i in documents[record.id]]
        if len(hidden) == len(items):
            public_file.delete(("documents",))
        else:
            for index in sorted(documents[record.id], reverse=True):
                public_file.delete(("documents", index))
        target = internal / BY_NAME[record.kind].file(record.id)
        _add_documents(target, record.kind, hidden)  # the internal side first: nothing is ever lost
        public_file.save()
        for document in hidden:
            moves.add(f"document non public « {document.get('titre')} »", record.path, target)
        for name in _document_files(hidden):
            if (conventions / name).is_file() and not (inner_conventions / name).exists():
                move_record(conventions / name, inner_conventions / name)
                moves.add("fichier du document", conventions / name, inner_conventions / name)
    _move_cache_rows(registry, internal, loaded.records, whole, moves)
    return moves


def _check_targets(registry: Path, internal: Path, whole: list[RawRecord], sections: list[RawRecord]) -> None:
    clashes = []
    for record in whole:
        target = internal / BY_NAME[record.kind].file(record.id)
        if target.exists():
            clashes.append(f"{display_path(target)} existe déjà : la fiche {display_path(record.path or target)} "
                           "n'y est pas déplacée (comparez les deux fichiers et gardez-en un).")
    for record in sections:
        target = internal / BY_NAME[record.kind].file(record.id)
        if target.is_file():
            try:
                has_section = PART_KEY in RecordFile.open(target, record.kind).data
            except (OSError, LoadError, WriterError):  # an unreadable target blocks the move
                has_section = True
            if has_section:
                clashes.append(f"{display_path(target)} a déjà une section « interne » : réunissez-la à la main "
                               f"avec celle de {display_path(record.path or target)}.")
    if clashes:
        raise BorderError("rien n'a été déplacé :\n" + "\n".join(f"  {c}" for c in clashes))


def _move_cache_rows(registry: Path, internal: Path, records: list[RawRecord], moved: list[RawRecord],
                     moves: Moves) -> None:
    """Geocoding rows of addresses only the moved records use: into the internal registry's cache."""
    if not moved:
        return
    kept_keys = set().union(*(_addresses(r) for r in records if r not in moved))
    moved_keys = set().union(*(_addresses(r) for r in moved)) - kept_keys
    public_path = Path(registry) / CACHE_FILE
    if not moved_keys or not public_path.is_file():
        return
    public = GeoCache.load(public_path)
    leaving = [row for row in public if row.key in moved_keys]
    if not leaving:
        return
    inner_path = internal / CACHE_FILE
    inner = GeoCache.load(inner_path) if inner_path.is_file() else GeoCache(path=inner_path)
    for row in leaving:
        inner.merge(row)
    internal.mkdir(parents=True, exist_ok=True)
    inner.save(inner_path)
    GeoCache([row for row in public if row.key not in moved_keys], public_path).save(public_path)
    moves.add(f"{len(leaving)} adresse(s) géocodée(s)", public_path, inner_path)


def publish(registry: Path, internal: Path, record_id: str) -> Moves:
    """Move the convention ``record_id`` from the internal registry to the public one (see the module)."""
    internal = internal_root(internal, registry)
    kind = BY_NAME["convention"]
    source = internal / kind.file(record_id)
    target = Path(registry) / kind.file(record_id)
    if not source.is_file():
        raise BorderError(f"aucune convention « {record_id} » dans {display_path(internal / kind.folder)}.")
    record = RecordFile.open(source, kind.name)
    data = record.data
    if set(data) == {PART_KEY}:
        raise BorderError(f"{display_path(source)} est la partie interne d'une convention déjà publique : "
                          "il n'y a rien à publier.")
    statut = data.get("statut")
    if not isinstance(statut, str) or statut in statuses.DRAFT:
        raise BorderError(f"la convention « {record_id} » est au statut « {statut} » : une convention en projet "
                          "ou en négociation ne se publie pas. Mettez d'abord à jour son statut et ses dates "
                          "(signature), dans le registre interne.")
    if target.exists():
        raise BorderError(f"{display_path(target)} existe déjà dans le registre public.")
    interne = data.get(PART_KEY) if isinstance(data.get(PART_KEY), dict) else {}
    hidden_indexes = not_public_documents(data)
    items = data.get("documents") if isinstance(data.get("documents"), list) else []
    hidden = [items[i] for i in hidden_indexes]
    public_docs = [d for i, d in enumerate(items) if i not in hidden_indexes]
    if PART_KEY in data:
        record.delete((PART_KEY,))
    if hidden and len(hidden) == len(items):
        record.delete(("documents",))
    else:
        for index in sorted(hidden_indexes, reverse=True):
            record.delete(("documents", index))
    part: dict[str, Any] = dict(interne)
    if hidden:
        part["documents"] = [*(part.get("documents") or []),
                             *({k: v for k, v in d.items() if k != "public"} for d in hidden)]
    try:
        part_content = part_text(kind.name, part) if part else None
    except CanonicalError as exc:  # a value the writer refuses: nothing written
        raise WriterError(str(exc)) from None
    moves = Moves()
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, record.text.encode("utf-8"), exclusive=True)
    moves.add("fiche publiée", source, target)
    if part_content is not None:
        atomic_write(source, part_content.encode("utf-8"))
        moves.add("section interne gardée", source, source)
    else:
        source.unlink()
    conventions_in, conventions_out = internal / kind.folder, Path(registry) / kind.folder
    for name in _document_files(public_docs):
        if (conventions_in / name).is_file() and not (conventions_out / name).exists():
            move_record(conventions_in / name, conventions_out / name)
            moves.add("document public", conventions_in / name, conventions_out / name)
    return moves
