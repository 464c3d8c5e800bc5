"""Rules that compare records with each other: identifiers, references, duplicates."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from maillage.core.gazetteer import normalise_name
from maillage.core.kinds import BY_NAME
from maillage.core.problems import Problem, problem
from maillage.load.registry import RawRecord


def _items(value: Any) -> list[Any]:
    """The items of a list; anything else (a wrong type, reported by the schema) has none."""
    return value if isinstance(value, list) else []


def _other(record: RawRecord) -> dict[str, str]:
    """The fields that name another record in a message: « le professionnel « x » (fichier) »."""
    return {"other_kind": record.kind, "other_id": record.id, "other_file": record.file}


def _at(record: RawRecord, code: str, path: tuple[str | int, ...], key: bool = False, **fields: Any) -> Problem:
    line, col = record.locate(path, key)
    return problem(code, record.file, line, col, ".".join(map(str, path)), **fields)


def check_registry(records: list[RawRecord], internal_only: Collection[str] = (),
                   unreadable: Collection[str] = ()) -> list[Problem]:
    """Problems between ``records``. ``internal_only``: ids of the internal registry's own records, which
    the records checked (the public ones) may not refer to (``ref-internal`` rather than ``ref-unknown``).
    ``unreadable``: ids of record files that did not load (their own error says why): a reference to one
    of them is not reported as a missing record as well."""
    problems: list[Problem] = []
    by_id: dict[str, RawRecord] = {}
    by_kind: dict[str, dict[str, RawRecord]] = defaultdict(dict)
    for record in records:
        first = by_id.get(record.id)
        if first is not None:
            problems.append(problem("id-duplicate", record.file, 1, 1, id=record.id, **_other(first)))
            continue
        by_id[record.id] = record
        by_kind[record.kind][record.id] = record

    identifiers: dict[tuple[str, str], RawRecord] = {}
    for record in records:
        for scheme, field in (("RPPS", "rpps"), ("ADELI", "adeli"), ("FINESS", "finess"), ("SIRET", "siret")):
            value = record.data.get(field)
            if not isinstance(value, str) or record.kind == "convention":
                continue
            first = identifiers.setdefault((scheme, value), record)
            if first is not record:
                # Both files get the message: the partner may be editing either one.
                problems.append(_at(record, "identifier-duplicate", (field,), scheme=scheme, value=value,
                                    **_other(first)))
                problems.append(_at(first, "identifier-duplicate", (field,), scheme=scheme, value=value,
                                    **_other(record)))

    problems.extend(_references(by_kind, internal_only, unreadable))
    problems.extend(_duplicates(by_kind))
    return problems


def _ref_problem(record: RawRecord, path: tuple[str | int, ...], ref: str, kind: str,
                 known: dict[str, RawRecord]) -> Problem:
    close = difflib.get_close_matches(ref, list(known), n=1, cutoff=0.6)
    return _at(record, "ref-unknown", path, ref=ref, folder=BY_NAME[kind].folder,
               suggestion=close[0] if close else None)


def _references(by_kind: dict[str, dict[str, RawRecord]], internal_only: Collection[str] = (),
                unreadable: Collection[str] = ()) -> list[Problem]:
    problems: list[Problem] = []

    def unknown(record: RawRecord, path: tuple[str | int, ...], ref: str, kind: str) -> list[Problem]:
        if ref in unreadable:
            return []
        if ref in internal_only:
            return [_at(record, "ref-internal", path, ref=ref)]
        return [_ref_problem(record, path, ref, kind, by_kind[kind])]

    structures = by_kind["structure"]
    for record in structures.values():
        parent = record.data.get("structure_parente")
        if not isinstance(parent, str):
            continue
        if parent not in structures:
            problems.extend(unknown(record, ("structure_parente",), parent, "structure"))
            continue
        chain = [record.id]
        current: str | None = parent
        while current is not None and current in structures:
            if current in chain:
                cycle = [*chain[chain.index(current):], current]
                problems.append(_at(record, "ref-cycle", ("structure_parente",), cycle=cycle))
                break
            chain.append(current)
            nxt = structures[current].data.get("structure_parente")
            current = nxt if isinstance(nxt, str) else None
    for record in by_kind["convention"].values():
        for index, party in enumerate(_items(record.data.get("parties"))):
            if not isinstance(party, dict):
                continue
            for kind in ("professionnel", "structure"):
                ref = party.get(kind)
                if not isinstance(ref, str) or not ref:
                    continue
                known = by_kind[kind]
                if ref not in known:
                    problems.extend(unknown(record, ("parties", index, kind), ref, kind))
                elif known[ref].data.get("statut") in ("retire", "cesse") and record.data.get("statut") in (
                    "active", "signee", "en-negociation", "projet", "suspendue"
                ):
                    problems.append(_at(record, "ref-withdrawn", ("parties", index, kind), ref=ref))
    return problems


def fold_person(name: str) -> str:
    """A person's name compared without accents, case or punctuation (articles are kept: Le Roux ≠ Roux)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


def _address_key(lieu: Any) -> tuple[str, str] | None:
    if not isinstance(lieu, dict) or not isinstance(lieu.get("adresse"), str):
        return None
    return (normalise_name(lieu["adresse"]), str(lieu.get("code_insee", "")))


def _duplicates(by_kind: dict[str, dict[str, RawRecord]]) -> list[Problem]:
    problems: list[Problem] = []
    people: dict[tuple[str, str, str], RawRecord] = {}
    for record in by_kind["professionnel"].values():
        d = record.data
        if not (isinstance(d.get("nom"), str) and isinstance(d.get("prenom"), str)):
            continue
        name = (fold_person(d["nom"]), fold_person(d["prenom"]))
        for key in [(*name, "profession:" + str(d.get("profession")))] + [
            (*name, "adresse:" + "|".join(a)) for a in map(_address_key, _items(d.get("lieux"))) if a
        ]:
            first = people.setdefault(key, record)
            if first is not record:
                reason = "same-person-profession" if key[2].startswith("profession:") else "same-person-address"
                problems.append(_at(record, "duplicate-probable", ("nom",), reason=reason, **_other(first)))
                problems.append(_at(first, "duplicate-probable", ("nom",), reason=reason, **_other(record)))
                break
    places: dict[tuple[str, ...], RawRecord] = {}
    for record in by_kind["structure"].values():
        d = record.data
        keys: list[tuple[str, ...]] = []
        if isinstance(d.get("nom"), str):
            communes = sorted({str(lieu.get("code_insee")) for lieu in _items(d.get("lieux"))
                               if isinstance(lieu, dict)})
            keys.append(("nom", normalise_name(d["nom"]), *communes))
        keys += [("adresse", str(d.get("categorie")), *a) for a in map(_address_key, _items(d.get("lieux"))) if a]
        for key in keys:
            first = places.setdefault(key, record)
            if first is not record:
                reason = "same-name-commune" if key[0] == "nom" else "same-category-address"
                problems.append(_at(record, "duplicate-probable", ("nom",), reason=reason, **_other(first)))
                problems.append(_at(first, "duplicate-probable", ("nom",), reason=reason, **_other(record)))
                break
    return problems
