"""Review of the candidates: list them, accept them into the public registry, or reject them.

* ``accept`` moves the candidate's file from the internal registry into the public one
  (its text kept), sets ``statut: actif``, ``verifie_le`` (the review date) and ``source``,
  and moves its snapshot rows with it, so that the next import three-way merges it like
  any public record.
* ``reject`` deletes the candidate and remembers the refusal (``imports/refus.csv`` of the
  internal registry: source, identifier, id, name, date): the next imports do not propose
  it again.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from maillage.core import statuses
from maillage.core.french import date_fr
from maillage.core.kinds import BY_NAME
from maillage.imports.plan import Delete, Move, Plan, RegistryName, SetValue, Table, Target
from maillage.imports.registries import (
    REFUSALS,
    Known,
    Refusal,
    internal_records,
    load_public,
    read_refusals,
    refusal_rows,
)
from maillage.imports.snapshot import Snapshot, read_snapshot

SOURCE_OF_KIND = {"structure": "finess", "professionnel": "rpps"}
_IMPORT_NOTE = re.compile(r"\s*\(import du [^)]*\)\s*$")


class CandidateError(Exception):
    """Unknown ids, id already public…: a usage problem (exit status 2)."""


@dataclass(slots=True)
class Review:
    plan: Plan
    done: list[tuple[str, str]] = field(default_factory=list)  # (id, what)


def candidates(internal: Path, category: str | None = None) -> list[Known]:
    """The candidates of the internal registry (optionally of one profession or category), by id."""
    found = [r for r in internal_records(internal) if r.statut in statuses.CANDIDATE]
    if category:
        found = [r for r in found if r.term == category]
    return sorted(found, key=lambda r: (r.kind, r.term or "", r.id))


def select(internal: Path, ids: list[str], category: str | None, public: frozenset[str] = frozenset()) -> list[Known]:
    """The candidates named by ``ids`` and ``category`` (a vocabulary term id, see :class:`TermNames`).

    An id that is no longer a candidate says why: already published (``public``: ids of the
    public registry) or already refused (``imports/refus.csv``); else the nearest candidate id.
    """
    if not ids and not category:
        raise CandidateError("indiquez les identifiants des candidats, ou --all-of CATÉGORIE.")
    every = candidates(internal)
    by_id = {r.id: r for r in every}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        refused = {r.id: r for r in read_refusals(internal)}
        hints = []
        for rid in unknown:
            if rid in public:
                hints.append(f"« {rid} » est déjà publiée (elle est dans le registre public)")
            elif rid in refused:
                when = date_fr(_day(refused[rid].date)) or refused[rid].date
                hints.append(f"« {rid} » est déjà refusée (le {when}, "
                             f"imports/refus.csv du registre interne)")
            else:
                close = difflib.get_close_matches(rid, list(by_id), n=1)
                hints.append(f"« {rid} » est introuvable parmi les candidats"
                             + (f" (vouliez-vous dire « {close[0]} » ?)" if close else ""))
        raise CandidateError(f"{' ; '.join(hints)}. Rien n'a été écrit.")
    chosen = [by_id[i] for i in dict.fromkeys(ids)]
    if category:
        extra = [r for r in every if r.term == category and r.id not in ids]
        if not extra and not chosen:
            raise CandidateError(f"aucun candidat de la catégorie ou profession « {category} ».")
        chosen += extra
    return chosen


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _move_rows(plan: Plan, moving: dict[str, list[Known]], internal: Path, registry: Path | None,
               ) -> None:
    """Take the snapshot rows of ``moving`` candidates out of the internal snapshot (into the public one)."""
    for source, records in moving.items():
        if not records:
            continue
        ids = {r.id for r in records}
        inner = read_snapshot(internal, source)
        kept = Snapshot(source, {k: v for k, v in inner.records.items() if k not in ids})
        if inner.records:
            from maillage.imports.snapshot import header

            plan.add(Table("interne", f"imports/{source}.csv", header(source), kept.rows()))
        if registry is not None:
            public = read_snapshot(registry, source)
            for rid in sorted(ids):
                if rid in inner.records:
                    public.records[rid] = inner.records[rid]
            public.records = dict(sorted(public.records.items()))
            from maillage.imports.snapshot import header

            plan.add(Table("public", f"imports/{source}.csv", header(source), public.rows()))


def accept(registry: Path, internal: Path, ids: list[str], category: str | None, today: date,
           source: str | None = None) -> Review:
    _loaded, public = load_public(registry)
    chosen = select(internal, ids, category, frozenset(r.id for r in public))
    taken = {r.id for r in public}
    clash = [r.id for r in chosen if r.id in taken]
    if clash:
        raise CandidateError(f"une fiche publique porte déjà l'identifiant {', '.join('« ' + c + ' »' for c in clash)} "
                             ": renommez le fichier du candidat dans le registre interne, puis recommencez.")
    published = {ident: r.id for r in public for ident in r.identifiers()}
    twins = [f"« {rec.id} » ({ident} déjà dans « {published[ident]} »)" for rec in chosen
             for ident in rec.identifiers() if ident in published]
    if twins:
        raise CandidateError(f"identifiant déjà publié : {', '.join(twins)} ; complétez la fiche publique et "
                             "refusez le candidat.")
    review = Review(Plan())
    moving: dict[str, list[Known]] = {"finess": [], "rpps": []}
    for rec in chosen:
        target = Target("public", BY_NAME[rec.kind].folder, rec.id)
        review.plan.add(Move(rec.target, target, rec.kind))
        review.plan.add(SetValue(target, ("statut",), "actif"))
        review.plan.add(SetValue(target, ("verifie_le",), today.isoformat()))
        text = source or _IMPORT_NOTE.sub("", str(rec.data.get("source") or "")) + f" ; vérifiée le {date_fr(today)}"
        review.plan.add(SetValue(target, ("source",), text.strip(" ;")[:200]))
        moving[SOURCE_OF_KIND[rec.kind]].append(rec)
        review.done.append((rec.id, f"{rec.title()} : publiée ({BY_NAME[rec.kind].folder}/{rec.id}.yaml)"))
    _move_rows(review.plan, moving, internal, registry)
    return review


def reject(internal: Path, ids: list[str], category: str | None, today: date,
           public: frozenset[str] = frozenset()) -> Review:
    chosen = select(internal, ids, category, public)
    review = Review(Plan())
    refusals = read_refusals(internal)
    moving: dict[str, list[Known]] = {"finess": [], "rpps": []}
    for rec in chosen:
        review.plan.add(Delete(rec.target))
        src = SOURCE_OF_KIND[rec.kind]
        for ident in rec.identifiers():
            refusals.append(Refusal(src, ident, rec.id, rec.title(), today.isoformat()))
        moving[src].append(rec)
        review.done.append((rec.id, f"{rec.title()} : refusée, ne sera plus proposée"))
    _move_rows(review.plan, moving, internal, None)
    from maillage.imports.registries import REFUSAL_HEADER

    review.plan.add(Table("interne", REFUSALS, REFUSAL_HEADER, refusal_rows(refusals)))
    return review


def listing(internal: Path, category: str | None, labels: dict[str, dict[str, str]]) -> list[str]:
    """One line per candidate: id, profession or category, name, commune, source."""
    rows = []
    for rec in candidates(internal, category):
        lieux = rec.data.get("lieux") if isinstance(rec.data.get("lieux"), list) else []
        communes = ", ".join(dict.fromkeys(str(lieu.get("commune")) for lieu in lieux if isinstance(lieu, dict)))
        vocabulary = BY_NAME[rec.kind].vocabulary or ""
        term = labels.get(vocabulary, {}).get(rec.term or "", rec.term or "")
        rows.append(f"{rec.id} — {term} — {rec.title()} — {communes} — {rec.data.get('source', '')}")
    return rows


def roots(registry: Path, internal: Path) -> dict[RegistryName, Path]:
    return {"public": registry, "interne": internal}
