"""Record-level changes between two git revisions of a registry.

Files are read with ``git`` (``ls-tree`` and ``cat-file --batch``), parsed with the
safe loader, and compared record by record: added, removed, renamed (a removed and an
added record of the same kind whose content is identical or nearly so) and modified,
with the before/after value of every changed field.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from maillage.core.kinds import BY_FOLDER
from maillage.core.schemas import load_schemas
from maillage.load.safe_yaml import LoadError, decode, parse_text

Flat = dict[str, Any]


class GitError(Exception):
    pass


@dataclass(slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(slots=True)
class RecordChange:
    change: str  # ajout | suppression | modification | renommage
    kind: str
    id: str
    file: str
    previous_id: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    unreadable: bool = False


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=True)
    except FileNotFoundError:
        raise GitError("git est introuvable.") from None
    except subprocess.CalledProcessError as exc:
        raise GitError(exc.stderr.decode("utf-8", "replace").strip() or "commande git en échec") from None
    return done.stdout


def _records_at(repo: Path, rev: str, registry: str) -> dict[tuple[str, str], tuple[str, Any]]:
    """(kind, id) → (path, data or None if unreadable) for every record file at ``rev``."""
    _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    listing = _git(repo, "ls-tree", "-r", "-z", "--name-only", rev, "--", registry).decode("utf-8")
    paths = []
    for name in filter(None, listing.split("\0")):
        pure = PurePosixPath(name)
        if pure.suffix == ".yaml" and pure.parent.name in BY_FOLDER and \
                pure.parent.parent == PurePosixPath(registry):
            paths.append(name)
    if not paths:
        return {}
    batch = _git(repo, "cat-file", "--batch", data="".join(f"{rev}:{p}\n" for p in paths).encode())
    out: dict[tuple[str, str], tuple[str, Any]] = {}
    text_keys = load_schemas().text_keys
    offset = 0
    for path in paths:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        content = batch[header_end + 1: header_end + 1 + size]
        offset = header_end + 1 + size + 1
        pure = PurePosixPath(path)
        try:
            data: Any = parse_text(decode(content, path), path, text_keys).data
        except LoadError:
            data = None
        out[(BY_FOLDER[pure.parent.name].name, pure.stem)] = (path, data)
    return out


def flatten(value: Any, prefix: str = "") -> Flat:
    if isinstance(value, dict):
        flat: Flat = {}
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        flat = {}
        for index, item in enumerate(value):
            flat.update(flatten(item, f"{prefix}[{index + 1}]"))
        return flat
    return {prefix: value}


def field_changes(before: Any, after: Any) -> list[FieldChange]:
    a, b = flatten(before or {}), flatten(after or {})
    return [FieldChange(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


def _similarity(a: Any, b: Any) -> float:
    fa, fb = flatten(a or {}), flatten(b or {})
    keys = set(fa) | set(fb)
    if not keys:
        return 1.0
    return sum(fa.get(k) == fb.get(k) for k in keys) / len(keys)


def diff_revisions(repo: Path, base: str, head: str = "HEAD", registry: str = "registry") -> list[RecordChange]:
    old = _records_at(repo, base, registry)
    new = _records_at(repo, head, registry)
    removed = {k: v for k, v in old.items() if k not in new}
    added = {k: v for k, v in new.items() if k not in old}
    changes: list[RecordChange] = []
    # Renames: pair removed and added records of the same kind, most similar pairs first.
    pairs = sorted(
        ((_similarity(removed[r][1], added[a][1]), r, a) for r in removed for a in added if r[0] == a[0]),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    for score, old_key, new_key in pairs:
        if score < 0.8 or old_key not in removed or new_key not in added:
            continue
        before = removed.pop(old_key)[1]
        path, data = added.pop(new_key)
        changes.append(RecordChange("renommage", new_key[0], new_key[1], path, previous_id=old_key[1],
                                    fields=field_changes(before, data)))
    for (kind, rid), (path, _data) in sorted(removed.items()):
        changes.append(RecordChange("suppression", kind, rid, path))
    for (kind, rid), (path, data) in sorted(added.items()):
        changes.append(RecordChange("ajout", kind, rid, path, fields=field_changes({}, data),
                                    unreadable=data is None))
    for key in sorted(set(old) & set(new)):
        (_, before), (path, after) = old[key], new[key]
        if before != after:
            changes.append(RecordChange("modification", key[0], key[1], path,
                                        fields=field_changes(before, after),
                                        unreadable=after is None or before is None))
    order = {"ajout": 0, "modification": 1, "renommage": 2, "suppression": 3}
    changes.sort(key=lambda c: (order[c.change], c.kind, c.id))
    return changes


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = text.replace("|", "\\|").replace("\n", " ").replace("`", "'")
    return f"`{text[:120]}`"


def as_markdown(changes: list[RecordChange], base: str, head: str) -> str:
    if not changes:
        return f"Aucune fiche modifiée entre `{base}` et `{head}`.\n"
    counts = {c: sum(1 for x in changes if x.change == c)
              for c in ("ajout", "modification", "renommage", "suppression")}
    labels = {"ajout": "ajoutée", "modification": "modifiée", "renommage": "renommée", "suppression": "supprimée"}
    summary = ", ".join(f"{n} {labels[c]}{'s' if n > 1 else ''}" for c, n in counts.items() if n)
    lines = [f"## Fiches modifiées ({summary})", ""]
    for c in changes:
        title = f"### {labels[c.change].capitalize()} : {c.kind} `{c.id}`"
        if c.previous_id:
            title += f" (anciennement `{c.previous_id}`)"
        lines += [title, "", f"Fichier : `{c.file}`", ""]
        if c.unreadable:
            lines += ["Le fichier n'est pas lisible (erreur YAML) : voir la vérification.", ""]
        if c.fields and c.change != "suppression":
            if c.change == "ajout":
                lines += ["| champ | valeur |", "| --- | --- |"]
                lines += [f"| `{f.field}` | {_cell(f.after)} |" for f in c.fields]
            else:
                lines += ["| champ | avant | après |", "| --- | --- | --- |"]
                lines += [f"| `{f.field}` | {_cell(f.before)} | {_cell(f.after)} |" for f in c.fields]
            lines.append("")
    return "\n".join(lines)


def as_json(changes: list[RecordChange], base: str, head: str) -> str:
    return json.dumps({"base": base, "head": head, "changes": [asdict(c) for c in changes]},
                      ensure_ascii=False, indent=2)
