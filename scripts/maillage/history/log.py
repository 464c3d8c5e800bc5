"""The history of every record, read from Git in one pass over the log.

For each record file of the registry (``professionnels/``, ``structures/``,
``conventions/``), the commits that changed it, oldest first, give a list of entries:
the commit's date, whether the record was added or changed, and the French names of the
**public fields** that changed. Values are never kept, and only the fields the schemas
publish today are compared: an ``interne`` section, or anything else that was in a file
by mistake before a migration, never reaches an output.

* One ``git log`` for the whole registry and one ``git cat-file --batch`` for every
  version it names (not one command per file).
* Cached by commit (``.git/maillage-historique.json``, per checkout, never committed): a
  rebuild reads only the commits since the cached one.
* Without Git history (no repository, a shallow clone, an exported tree) there is no
  history: :func:`read_history` returns ``None`` and the pages simply leave it out.

A record renamed by ``git mv`` keeps its history; a deleted record loses it. Which
records are shown is decided by the model (a withdrawn record has no page and is
dropped from the feed by the caller).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from maillage.core.french import join_fr
from maillage.core.kinds import BY_FOLDER, KINDS
from maillage.core.labels import BY_FIELD
from maillage.core.schemas import SchemaSet, load_schemas
from maillage.history.recorddiff import flatten
from maillage.load.safe_yaml import LoadError, decode, parse_text

CACHE_VERSION = 3  # 3: fields with labelled values named by their new value
CACHE_NAME = "maillage-historique.json"
KEEP_PER_RECORD = 10  # entries kept per record (the page shows at most 10)
KEEP_IN_FEED = 200  # latest entries of the whole registry kept for the change feed
ITEM_NAMES = {"lieux": "lieu", "parties": "partie", "financements": "financement", "documents": "document"}


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    commit: str
    day: date
    change: str  # "ajout" | "modification"
    fields: tuple[str, ...] = ()  # French labels of the public fields changed (empty for "ajout")

    def summary(self) -> str:
        """Short French summary: « Fiche ajoutée », « Mise à jour : adresse (lieu 1) et horaires »."""
        if self.change == "ajout":
            return "Fiche ajoutée"
        if not self.fields:
            return "Fiche mise à jour"
        return f"Mise à jour : {join_fr(list(self.fields))}"


@dataclass(slots=True)
class RegistryHistory:
    head: str
    records: dict[str, list[HistoryEntry]] = field(default_factory=dict)  # "kind/id" → oldest first
    feed: list[tuple[str, HistoryEntry]] = field(default_factory=list)  # ("kind/id", entry), oldest first

    def of(self, kind: str, record_id: str) -> list[HistoryEntry]:
        """At most ten entries of one record, newest first."""
        return list(reversed(self.records.get(f"{kind}/{record_id}", [])))

    def latest(self, visible: set[str], limit: int = 50) -> list[tuple[str, str, HistoryEntry]]:
        """The newest changes of records in ``visible`` (``"kind/id"`` keys): (kind, id, entry)."""
        out = []
        for key, entry in reversed(self.feed):
            if key in visible:
                kind, _, rid = key.partition("/")
                out.append((kind, rid, entry))
                if len(out) >= limit:
                    break
        return out


class _State:
    """What the walk needs between commits: the last public fields seen for each record."""

    def __init__(self) -> None:
        self.last: dict[str, dict[str, int]] = {}  # "kind/id" → flattened public field → checksum of its value
        self.entries: dict[str, deque[HistoryEntry]] = {}
        self.feed: deque[tuple[str, HistoryEntry]] = deque(maxlen=KEEP_IN_FEED)

    def add(self, key: str, entry: HistoryEntry) -> None:
        self.entries.setdefault(key, deque(maxlen=KEEP_PER_RECORD)).append(entry)
        self.feed.append((key, entry))

    def forget(self, key: str) -> None:
        """A deleted record: its history is gone from every output, feed included."""
        self.last.pop(key, None)
        self.entries.pop(key, None)
        self._refeed(lambda k: None if k == key else k)

    def rename(self, old: str, new: str) -> None:
        if old in self.last:
            self.last[new] = self.last.pop(old)
        if old in self.entries:
            self.entries[new] = self.entries.pop(old)
        self._refeed(lambda k: new if k == old else k)

    def _refeed(self, rename: Callable[[str], str | None]) -> None:
        kept = [(rename(k), e) for k, e in self.feed]
        self.feed = deque(((k, e) for k, e in kept if k is not None), maxlen=KEEP_IN_FEED)

    def to_json(self, head: str, signature: str) -> dict[str, Any]:
        def entry(e: HistoryEntry) -> list[Any]:
            return [e.commit, e.day.isoformat(), e.change, list(e.fields)]
        return {
            "version": CACHE_VERSION, "signature": signature, "head": head, "last": self.last,
            "entries": {k: [entry(e) for e in v] for k, v in sorted(self.entries.items())},
            "feed": [[k, entry(e)] for k, e in self.feed],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _State:
        def entry(raw: list[Any]) -> HistoryEntry:
            return HistoryEntry(raw[0], date.fromisoformat(raw[1]), raw[2], tuple(raw[3]))
        state = cls()
        state.last = data["last"]
        for key, items in data["entries"].items():
            state.entries[key] = deque((entry(e) for e in items), maxlen=KEEP_PER_RECORD)
        state.feed.extend((k, entry(e)) for k, e in data["feed"])
        return state

    def result(self, head: str) -> RegistryHistory:
        return RegistryHistory(head, {k: list(v) for k, v in self.entries.items() if v},
                               list(self.feed))


class PublicFields:
    """Which fields of each kind are public today, and their French names."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self.top: dict[str, frozenset[str]] = {}
        for k in KINDS:
            props = schemas.subschema(k.name, ()) or {}
            self.top[k.name] = frozenset(p for p in props.get("properties", {}) if p != "interne")

    def signature(self) -> str:
        text = json.dumps({k: sorted(v) for k, v in self.top.items()}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def keep(self, kind: str, data: Any) -> dict[str, int]:
        """The public fields of one version, flattened, each value reduced to a short digest
        (enough to tell a change; small in memory and in the cache; no value kept)."""
        if not isinstance(data, dict):
            return {}
        allowed = self.top[kind]
        flat = flatten({k: v for k, v in data.items() if k in allowed})
        return {k: zlib.crc32(repr(v).encode()) for k, v in flat.items()}

    def label(self, kind: str, flat_key: str, value: Any = None) -> str:
        """``lieux[1].telephone`` → « numéro de téléphone (lieu 1) »; a field inside the items of another
        list (``temporaire[1].du``) is named by its list: « informations temporaires ». A field with
        labelled values is named by its new value (« nouveaux patients sur liste d'attente », not
        « accepte de nouveaux patients », which would read as the news)."""
        choices = BY_FIELD.get((kind, re.sub(r"\[\d+\]", "", flat_key)))
        if choices is not None and isinstance(value, str) and value in choices:
            return _lower_first(choices.label(value))
        parts: list[str | int] = []
        where = ""
        for chunk in flat_key.split("."):
            name, _, index = chunk.partition("[")
            parts.append(name)
            if index:
                number = int(index.rstrip("]"))
                parts.append(number - 1)
                if name in ITEM_NAMES:
                    where = f" ({ITEM_NAMES[name]} {number})"
                elif len(parts) == 2:  # an item of a top-level list named by the list itself
                    top = self.schemas.subschema(kind, (name,)) or {}
                    return _lower_first(str(top.get("title") or name))
        node = self.schemas.subschema(kind, tuple(parts))
        names = [p for p in parts if isinstance(p, str)]
        title = (node or {}).get("title") if node else None
        if not title:
            top = self.schemas.subschema(kind, (names[0],)) or {}
            title = top.get("title") or names[0]
        return f"{_lower_first(str(title))}{where}"


def _lower_first(title: str) -> str:
    """« Délai indicatif » → « délai indicatif » in a sentence; an acronym stays as it is (« OPTAM »)."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


# -- git


class HistoryUnavailable(Exception):
    """No usable Git history (no repository, shallow clone, git missing)."""


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=True)
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        raise HistoryUnavailable(str(exc)) from None
    return done.stdout


def _changes(repo: Path, registry: str, since: str | None) -> Iterator[tuple[str, date, list[tuple[str, str, str]]]]:
    """(commit, date, [(status, old path, new path)]) oldest first, for record files only."""
    folders = [f"{registry}/{k.folder}" if registry else k.folder for k in KINDS]
    revs = [f"{since}..HEAD"] if since else ["HEAD"]
    out = _git(repo, "-c", "core.quotepath=off", "log", "--reverse", "--no-merges", "-M", "--format=%x01%H %ct",
               "--name-status", "-z", *revs, "--", *folders)
    for block in out.split(b"\x01")[1:]:
        head, _, rest = block.partition(b"\n")
        commit, stamp = head.strip(b"\0").decode().split()
        day = datetime.fromtimestamp(int(stamp), tz=UTC).date()
        fields = [f.decode("utf-8", "replace") for f in rest.strip(b"\n\0").split(b"\0") if f != b""]
        items: list[tuple[str, str, str]] = []
        i = 0
        while i < len(fields):
            status = fields[i].strip()
            if status.startswith(("R", "C")):
                items.append((status[0], fields[i + 1], fields[i + 2]))
                i += 3
            else:
                items.append((status[:1], fields[i + 1], fields[i + 1]))
                i += 2
        yield commit, day, items


def _record_key(path: str, registry: str) -> tuple[str, str] | None:
    """(kind, id) of a record file path relative to the repository, or None for any other file."""
    prefix = f"{registry}/" if registry else ""
    if not path.startswith(prefix) or not path.endswith(".yaml"):
        return None
    folder, _, name = path[len(prefix):].partition("/")
    kind = BY_FOLDER.get(folder)
    if kind is None or not name or "/" in name:
        return None
    return kind.name, name[: -len(".yaml")]


def _read_blobs(repo: Path, specs: list[str]) -> Iterator[bytes | None]:
    """The contents of ``specs`` (``<commit>:<path>``), in order, streamed from one ``git cat-file --batch``."""
    if not specs:
        return
    try:
        process = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except FileNotFoundError as exc:
        raise HistoryUnavailable(str(exc)) from None
    assert process.stdin is not None and process.stdout is not None

    def feed() -> None:
        try:
            for spec in specs:
                process.stdin.write(f"{spec}\n".encode())  # type: ignore[union-attr]
            process.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for _spec in specs:
            header = process.stdout.readline().split()
            if len(header) < 3 or header[-1] == b"missing":
                yield None
                continue
            size = int(header[2])
            data = process.stdout.read(size)
            process.stdout.read(1)  # the newline after the contents
            yield data
    finally:
        process.stdout.close()
        process.kill()
        process.wait()
        writer.join()


def _walk(repo: Path, registry: str, state: _State, fields: PublicFields, since: str | None) -> None:
    commits = list(_changes(repo, registry, since))
    specs = [f"{commit}:{new}" for commit, _day, items in commits for status, _old, new in items
             if status != "D" and _record_key(new, registry)]
    blobs = _read_blobs(repo, specs)
    text_keys = fields.schemas.text_keys
    for commit, day, items in commits:
        for status, old, new in items:
            old_key = _record_key(old, registry)
            new_key = _record_key(new, registry)
            if status == "D":
                if old_key:
                    state.forget("/".join(old_key))
                continue
            if new_key is None:
                continue
            raw = next(blobs)  # in the order of ``specs``
            key = "/".join(new_key)
            if status == "R" and old_key and "/".join(old_key) != key:
                state.rename("/".join(old_key), key)
            if raw is None:
                continue
            try:
                data = parse_text(decode(raw, new), new, text_keys).data
            except LoadError:
                continue  # a version that did not parse was never published
            current = fields.keep(new_key[0], data)
            before = state.last.get(key)
            state.last[key] = current
            if before is None:
                state.add(key, HistoryEntry(commit, day, "ajout"))
                continue
            changed = sorted(k for k in set(before) | set(current) if before.get(k) != current.get(k))
            if changed:
                now = flatten(data) if isinstance(data, dict) else {}
                labels = tuple(dict.fromkeys(fields.label(new_key[0], k, now.get(k)) for k in changed))
                state.add(key, HistoryEntry(commit, day, "modification", labels))


def _repo_of(registry: Path) -> tuple[Path, str]:
    top = Path(_git(registry, "rev-parse", "--show-toplevel").decode().strip())
    if _git(top, "rev-parse", "--is-shallow-repository").decode().strip() == "true":
        raise HistoryUnavailable("clone superficiel")
    relative = registry.resolve().relative_to(top.resolve()).as_posix()
    return top, "" if relative == "." else relative


def read_history(registry: Path, schemas: SchemaSet | None = None, use_cache: bool = True) -> RegistryHistory | None:
    """The history of every record of ``registry``, or ``None`` without usable Git history."""
    try:
        repo, relative = _repo_of(registry)
        head = _git(repo, "rev-parse", "HEAD").decode().strip()
    except (HistoryUnavailable, ValueError):
        return None
    fields = PublicFields(schemas or load_schemas())
    signature = f"{relative}|{fields.signature()}"
    cache = Path(_git(repo, "rev-parse", "--git-path", CACHE_NAME).decode().strip())
    if not cache.is_absolute():
        cache = repo / cache
    state, since = _State(), None
    if use_cache:
        cached = _load_cache(cache, signature)
        if cached is not None and _is_ancestor(repo, cached[1]):
            state, since = cached
            if since == head:
                return state.result(head)
    try:
        _walk(repo, relative, state, fields, since)
    except HistoryUnavailable:
        return None
    if use_cache:
        _save_cache(cache, state.to_json(head, signature))
    return state.result(head)


def _is_ancestor(repo: Path, commit: str) -> bool:
    try:
        _git(repo, "merge-base", "--is-ancestor", commit, "HEAD")
    except HistoryUnavailable:
        return False
    return True


def _load_cache(path: Path, signature: str) -> tuple[_State, str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != CACHE_VERSION or data.get("signature") != signature:
            return None
        return _State.from_json(data), str(data["head"])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # no cache, or a damaged one: compute again


def _save_cache(path: Path, data: dict[str, Any]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)  # a read-only checkout: no cache, nothing lost


def visible_keys(records: Iterable[Any]) -> set[str]:
    """``"kind/id"`` keys of the records of a model (what may appear in a feed)."""
    return {f"{r.kind}/{r.id}" for r in records}
