"""The border between the two registries: what may not stand in the public one, and the rules of the internal one.

The public registry is published as it is — its repository, history, pull requests and
workflow logs are public outputs — so it may hold nothing internal:

* an ``interne`` section (:data:`~maillage.load.registry.PART_KEY`): it belongs in the
  internal registry, file ``<folder>/<id>.yaml`` holding only that section;
* a convention whose status is not yet public (``projet``, ``en-negociation``);
* a record found by an import and not yet reviewed (``candidat``);
* a convention document not marked ``public: true`` (documents are not public by default).

Each is an error at its line, saying where the data goes (``maillage internal extract``
moves all of it). The internal registry is checked with the same schemas and rules; on
top of that, an internal part must complete an existing public record, an internal-only
record may not take the id of a public one, and a public record may not refer to an
internal-only one (see :meth:`maillage.validation.Validator.validate`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from maillage.core import statuses
from maillage.core.kinds import BY_NAME
from maillage.core.problems import Problem, problem
from maillage.load.registry import PART_KEY, RawRecord


def _at(record: RawRecord, code: str, path: tuple[str | int, ...], key: bool = False, **fields: Any) -> Problem:
    line, column = record.locate(path, key)
    return problem(code, record.file, line, column, ".".join(map(str, path)), **fields)


def not_public_documents(data: dict[str, Any]) -> list[int]:
    """Indexes of the convention documents not marked ``public: true`` (the default is not public)."""
    documents = data.get("documents")
    if not isinstance(documents, list):
        return []
    return [i for i, d in enumerate(documents) if isinstance(d, dict) and d.get("public") is not True]


def public_problems(record: RawRecord) -> list[Problem]:
    """What ``record`` holds that may not stand in the public registry."""
    data = record.data
    kind = BY_NAME[record.kind]
    target = kind.file(record.id)
    problems: list[Problem] = []
    if PART_KEY in data:
        problems.append(_at(record, "border-internal-section", (PART_KEY,), key=True, target=target))
    statut = data.get("statut")
    if isinstance(statut, str):
        if record.kind == "convention" and statut in statuses.DRAFT:
            problems.append(_at(record, "border-draft-convention", ("statut",), status=statut, target=target,
                                id=record.id))
        elif record.kind != "convention" and statut in statuses.CANDIDATE:
            problems.append(_at(record, "border-candidate", ("statut",), target=target, id=record.id))
    if record.kind == "convention":
        documents = data.get("documents")
        for index in not_public_documents(data):
            assert isinstance(documents, list)
            document = documents[index]
            title = document.get("titre") if isinstance(document.get("titre"), str) else f"n° {index + 1}"
            name = document.get("fichier") if isinstance(document.get("fichier"), str) else None
            problems.append(_at(record, "border-document-not-public", ("documents", index), title=title,
                                target=target, file_name=name))
    return problems


def orphan_parts(parts: Iterable[RawRecord], public: Mapping[tuple[str, str], RawRecord]) -> list[Problem]:
    """Internal parts that complete no public record of their kind and id."""
    problems: list[Problem] = []
    for part in parts:
        if (part.kind, part.id) in public:
            continue
        same_kind = [rid for kind, rid in public if kind == part.kind]
        close = difflib.get_close_matches(part.id, same_kind, n=1, cutoff=0.8)
        problems.append(_at(part, "internal-orphan", (PART_KEY,), key=True, id=part.id,
                            folder=BY_NAME[part.kind].folder, suggestion=close[0] if close else None))
    return problems


def taken_ids(records: Iterable[RawRecord], public: Mapping[str, RawRecord]) -> list[Problem]:
    """Internal-only records whose id is already the id of a public record (of any kind)."""
    return [problem("internal-id-duplicate", record.file, 1, 1, id=record.id, other_file=public[record.id].file)
            for record in records if record.id in public]
