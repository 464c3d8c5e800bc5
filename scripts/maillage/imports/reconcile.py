"""Reconcile a national extract with the registries: never overwrite what a person owns.

Rules (``docs/import.md`` explains them to the project officer):

1. **Identifier first, across the whole file.** An entry is matched with the record (public
   or candidate) carrying the same FINESS, RPPS or ADELI number, wherever the entry now
   practises. A matched record whose places all left the département is reported as
   *moved*, with its new address, and left unchanged.
2. **Cautious matching otherwise.** A new entry that has the same name as a record without
   identifier (and, for a person, the same profession or commune; for an establishment, the
   same category and commune) is reported for confirmation, never applied, and not proposed
   as a candidate.
3. **Who owns what.** The register owns identity (names, profession or category),
   identifiers, and the address and phone of matched places; people own everything else
   (ages, modalities, admission, waiting times, hours, Santé protégée, status, ``verifie_le``,
   description, ``source``, places they added).
4. **Three-way merge** with the snapshot of the last import as the base, field by field (an
   address is one block: street, complement, postal code, commune, INSEE code): a value a
   person did not touch follows the register; a value a person changed while the register
   did not is kept silently; when both changed differently, the person's value is kept and
   a *conflict* is reported. Without a base (first import of a hand-made record), an empty
   value is filled and a different one is a conflict.
5. **Places.** A register place is paired with a place of the record by its site in the
   snapshot (then by address). A new site is added; an imported place whose site left the
   register is removed (never the last place); a place added by hand is never removed; an
   imported place a person deleted is not added again.
6. **Closures, never deletions.** A record whose identifier left the register is proposed as
   ``cesse`` (once; its snapshot remembers the date), unless an entry with the same name
   suggests a changed identifier (ADELI → RPPS), which is reported instead. A withdrawn
   record (``retire``) is never modified nor recreated. If more than half the records in
   scope would be closed, the file is deemed incomplete and nothing is written.
7. **New entries are candidates** in the internal registry (``statut: candidat``), unless
   they were rejected before (``imports/refus.csv`` of the internal registry). Candidates
   are updated like records, and removed when they leave the register or the département.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from maillage.core import statuses
from maillage.core.french import date_fr
from maillage.core.kinds import BY_NAME
from maillage.core.schemas import load_schemas
from maillage.imports import normalise as norm
from maillage.imports.entities import PLACE_FIELDS, Entry, Extract, Place
from maillage.imports.errors import ImportFileError
from maillage.imports.finess import SOURCE_LABEL as FINESS_LABEL
from maillage.imports.mapping import KIND_OF_SOURCE
from maillage.imports.outcome import Conflict, Outcome
from maillage.imports.plan import Append, Create, Delete, Plan, Remove, SetValue, Table, Target
from maillage.imports.registries import SCHEMES, Known, Refusal
from maillage.imports.rpps import SOURCE_LABEL as RPPS_LABEL
from maillage.imports.snapshot import Snapshot, SnapshotRecord, record_of, write_rows

OWNED: dict[str, tuple[str, ...]] = {
    "professionnel": ("nom", "prenom", "profession", "rpps", "adeli"),
    "structure": ("nom", "categorie", "finess", "siret"),
}
REQUIRED = frozenset({"nom", "prenom", "profession", "categorie"})
ADDRESS_BLOCK = ("adresse", "complement_adresse", "code_postal", "commune", "code_insee")
LABELS = {
    "nom": "nom", "prenom": "prénom", "profession": "profession", "rpps": "RPPS", "adeli": "ADELI",
    "categorie": "catégorie", "finess": "FINESS", "siret": "SIRET", "adresse": "adresse",
    "telephone": "téléphone",
}
SOURCE_LABELS = {"finess": FINESS_LABEL, "rpps": RPPS_LABEL}
MASS_CLOSURE_MINIMUM = 10
KEEP, SET, CONFLICT = "keep", "set", "conflict"


def _key(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if name == "telephone":
        return norm.phone_key(str(value))
    if name == "adresse":
        return norm.address_key(str(value), "")[0]
    return norm.fold_key(str(value))


def merge(ours: Any, base: Any, theirs: Any, has_base: bool, key: Any = None) -> str:
    """Three-way merge of one value (``key`` compares two values; ``None`` means absent)."""
    k = key or (lambda v: norm.fold_key(v) if isinstance(v, str) else ("" if v is None else repr(v)))
    if k(ours) == k(theirs):
        return KEEP
    if theirs is None and (not has_base or base is None):
        return KEEP  # the register says nothing: nothing to follow
    if has_base:
        if k(ours) == k(base):
            return SET
        if k(theirs) == k(base):
            return KEEP
        return CONFLICT
    return SET if ours is None else CONFLICT


def _block(values: dict[str, Any] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(_key(n, values.get(n)) for n in ADDRESS_BLOCK)


def _show_block(values: dict[str, Any]) -> str:
    street = ", ".join(str(values[n]) for n in ("adresse", "complement_adresse") if values.get(n))
    return f"{street}, {values.get('code_postal', '')} {values.get('commune', '')}".strip(" ,")


def _place_dict(place: Place) -> dict[str, Any]:
    return {n: place.value(n) for n in PLACE_FIELDS}


def _address(place: Place) -> str:
    return f"{_show_block(_place_dict(place))} ({place.departement})"


def _lieu_key(lieu: Any) -> tuple[str, str]:
    if not isinstance(lieu, dict):
        return ("", "")
    return norm.address_key(lieu.get("adresse") if isinstance(lieu.get("adresse"), str) else "",
                            lieu.get("code_insee") if isinstance(lieu.get("code_insee"), str) else "")


def _values_key(values: dict[str, Any]) -> tuple[str, str]:
    return norm.address_key(values.get("adresse") or "", values.get("code_insee") or "")


@dataclass(slots=True)
class Inputs:
    source: str
    departement: str
    today: date
    terms: frozenset[str]
    extract: Extract
    public: list[Known]
    internal: list[Known] | None  # None: no --internal
    snapshot_public: Snapshot
    snapshot_internal: Snapshot | None
    refusals: list[Refusal]


@dataclass(slots=True)
class Reconciler:
    inputs: Inputs
    plan: Plan = field(default_factory=Plan)
    outcome: Outcome = field(init=False)
    kind: str = field(init=False)
    new_public: dict[str, SnapshotRecord] = field(init=False)
    new_internal: dict[str, SnapshotRecord] = field(init=False)
    used_ids: set[str] = field(init=False)

    def __post_init__(self) -> None:
        i = self.inputs
        self.kind = KIND_OF_SOURCE[i.source]
        self.outcome = Outcome(i.source, i.departement, i.extract.date, list(i.extract.files))
        self.outcome.counts.update(i.extract.counts)
        self.outcome.warnings.extend(i.extract.warnings)
        public_ids = {r.id for r in i.public if r.kind == self.kind and r.statut not in statuses.WITHDRAWN}
        self.new_public = {k: v for k, v in i.snapshot_public.records.items() if k in public_ids}
        candidate_ids = {r.id for r in i.internal or () if r.kind == self.kind and r.statut in statuses.CANDIDATE}
        self.new_internal = {k: v for k, v in (i.snapshot_internal.records.items() if i.snapshot_internal else ())
                             if k in candidate_ids}
        self.used_ids = {r.id for r in i.public} | {r.id for r in i.internal or ()}

    # -- entry point

    def run(self) -> tuple[Plan, Outcome]:
        i = self.inputs
        index: dict[str, Known] = {}
        for rec in [*i.public, *(i.internal or ())]:
            if rec.kind == self.kind:
                for ident in rec.identifiers():
                    index.setdefault(ident, rec)
        matched: set[tuple[str, str]] = set()
        refused = {r.identifiant for r in i.refusals if r.source == i.source}
        pool = [r for r in [*i.public, *(i.internal or ())] if r.kind == self.kind and not r.identifiers()
                and r.statut not in statuses.WITHDRAWN and r.statut not in statuses.CANDIDATE]
        for entry in i.extract.entries:
            rec = index.get(entry.identifier)
            if rec is not None:
                matched.add((rec.registry, rec.id))
                self._known(rec, entry)
            else:
                self._new(entry, refused, pool)
        self._absent(index, matched)
        self._tables()
        return self.plan, self.outcome

    # -- known records

    def _in_scope(self, rec: Known) -> bool:
        return rec.term in self.inputs.terms

    def _known(self, rec: Known, entry: Entry) -> None:
        i, out = self.inputs, self.outcome
        if rec.statut in statuses.WITHDRAWN:
            out.withdrawn += 1
            self.new_public.pop(rec.id, None)
            return
        candidate = rec.registry == "interne"
        if candidate and rec.statut not in statuses.CANDIDATE:
            out.counts["fiches internes connues, laissées telles quelles"] += 1
            return
        if not self._in_scope(rec):
            out.counts["fiches connues hors du périmètre demandé"] += 1
            return
        snapshots = self.new_internal if candidate else self.new_public
        base = snapshots.get(rec.id)
        if base is not None and entry.scheme in base.fields and base.fields[entry.scheme] not in ("", entry.identifier):
            base = None  # the record now carries another identifier: its old base says nothing
        regs = entry.places_in(i.departement)
        if not regs:
            if candidate:
                self._drop_candidate(rec, "exerce désormais hors du département : " + (
                    _address(entry.places[0]) if entry.places else "aucun lieu d'exercice lisible"))
            elif entry.places:
                if rec.statut in statuses.LISTED_PUBLICLY:
                    out.moved.append((rec.id, entry.label, _address(entry.places[0])))
            else:
                out.warnings.append(f"{rec.id} : aucun lieu d'exercice lisible dans le répertoire ; fiche inchangée.")
            return
        self._merge(rec, entry, base, regs, candidate)
        new = record_of(entry, rec.id, regs)
        snapshots[rec.id] = new
        if base is not None and base.absent_depuis and not candidate and rec.statut == "cesse":
            out.returned.append((rec.id, entry.label))

    def _merge(self, rec: Known, entry: Entry, base: SnapshotRecord | None, regs: tuple[Place, ...],
               candidate: bool) -> None:
        out, data, target = self.outcome, rec.data, rec.target
        has_base = base is not None
        for name in OWNED[self.kind]:
            theirs = entry.fields.get(name)
            if theirs is None and name in REQUIRED:
                continue
            raw = data.get(name)
            if raw is not None and not isinstance(raw, str):
                continue  # a wrong type: the validator tells the person
            ours = raw or None
            old = base.value(name) if base else None
            action = merge(ours, old, theirs, has_base, lambda v, n=name: _key(n, v))
            if action == SET:
                if theirs is None and name in REQUIRED:
                    continue
                self.plan.add(SetValue(target, (name,), theirs))
                out.note(rec.id, f"{LABELS[name]} « {ours or '—'} » → « {theirs or '—'} »", candidate)
            elif action == CONFLICT:
                out.conflicts.append(Conflict(rec.registry, rec.id, LABELS[name], ours or "", theirs or "", old or ""))
        self._places(rec, entry, base, regs, candidate)

    def _places(self, rec: Known, entry: Entry, base: SnapshotRecord | None, regs: tuple[Place, ...],
                candidate: bool) -> None:
        out, target = self.outcome, rec.target
        raw_lieux = rec.data.get("lieux")
        lieux: list[Any] = raw_lieux if isinstance(raw_lieux, list) else []
        keys = [_lieu_key(lieu) for lieu in lieux]
        reg_keys = {r.key for r in regs}
        base_places = base.places if base else {}
        gone = {_values_key(v) for k, v in base_places.items() if k not in reg_keys}
        used: set[int] = set()
        pairs: list[tuple[int, Place, dict[str, str] | None]] = []
        pending: list[tuple[Place, dict[str, str] | None]] = []
        for r in regs:
            bplace = base_places.get(r.key)
            if bplace is None:
                bplace = next((v for k, v in base_places.items() if k not in reg_keys
                               and _values_key(v) == norm.address_key(r.adresse, r.code_insee)), None)
            index = None
            for wanted in ([_values_key(bplace)] if bplace else []) + [norm.address_key(r.adresse, r.code_insee)]:
                index = next((n for n, k in enumerate(keys) if n not in used and k == wanted), None)
                if index is not None:
                    break
            if index is None:
                pending.append((r, bplace))
            else:
                used.add(index)
                pairs.append((index, r, bplace))
        free = [n for n in range(len(lieux)) if n not in used and isinstance(lieux[n], dict)]
        if len(pending) == 1 and len(free) == 1:
            r, bplace = pending[0]
            if (bplace is not None or base is None) and keys[free[0]] not in gone:
                pairs.append((free[0], r, bplace))
                used.add(free[0])
                pending, free = [], []
        for index, r, bplace in sorted(pairs, key=lambda p: p[0]):
            self._merge_place(rec, index, lieux[index], r, bplace, candidate)
        appended = 0
        for r, bplace in pending:
            if bplace is not None:
                out.counts["lieux supprimés à la main, non rajoutés"] += 1
                continue
            if len(lieux) + appended >= 20:
                break
            self.plan.add(Append(target, ("lieux",), r.as_lieu()))
            out.note(rec.id, f"lieu ajouté : {_show_block(_place_dict(r))}", candidate)
            appended += 1
        removable = [n for n in free if keys[n] in gone]
        if removable and len(lieux) - len(removable) + appended >= 1:
            for n in sorted(removable, reverse=True):
                self.plan.add(Remove(target, ("lieux",), n))
                lieu = lieux[n]
                out.note(rec.id, f"lieu n° {n + 1} retiré (n'est plus au répertoire) : {_show_block(lieu)}", candidate)

    def _merge_place(self, rec: Known, index: int, lieu: dict[str, Any], r: Place, bplace: dict[str, str] | None,
                     candidate: bool) -> None:
        out, target = self.outcome, rec.target
        has_base = bplace is not None
        theirs = _place_dict(r)
        ours_block = {n: lieu.get(n) if isinstance(lieu.get(n), str) else None for n in ADDRESS_BLOCK}
        base_block = {n: (bplace.get(n) or None) for n in ADDRESS_BLOCK} if bplace else None
        action = merge(_block(ours_block), _block(base_block), _block(theirs), has_base, lambda v: v)
        if action == SET:
            changed = []
            for n in ADDRESS_BLOCK:
                new = theirs.get(n)
                if (lieu.get(n) or None) != new:
                    if new is None and n != "complement_adresse":
                        continue
                    self.plan.add(SetValue(target, ("lieux", index, n), new))
                    changed.append(n)
            if changed:
                out.note(rec.id, f"lieu n° {index + 1} : adresse « {_show_block(ours_block)} » → "
                                 f"« {_show_block(theirs)} »", candidate)
        elif action == CONFLICT:
            out.conflicts.append(Conflict(rec.registry, rec.id, f"lieu n° {index + 1} › adresse",
                                          _show_block(ours_block), _show_block(theirs),
                                          _show_block(base_block) if base_block else ""))
        ours_phone = lieu.get("telephone") if isinstance(lieu.get("telephone"), str) else None
        base_phone = (bplace.get("telephone") or None) if bplace else None
        action = merge(ours_phone, base_phone, r.telephone, has_base, lambda v: _key("telephone", v))
        if action == SET:
            self.plan.add(SetValue(target, ("lieux", index, "telephone"), r.telephone))
            out.note(rec.id, f"lieu n° {index + 1} : téléphone « {ours_phone or '—'} » → « {r.telephone or '—'} »",
                     candidate)
        elif action == CONFLICT:
            out.conflicts.append(Conflict(rec.registry, rec.id, f"lieu n° {index + 1} › téléphone", ours_phone or "",
                                          r.telephone or "", base_phone or ""))

    # -- new entries

    def _new(self, entry: Entry, refused: set[str], pool: list[Known]) -> None:
        i, out = self.inputs, self.outcome
        if entry.term is None or entry.term not in i.terms:
            return
        regs = entry.places_in(i.departement)
        if not regs:
            return
        if entry.identifier in refused:
            out.refused += 1
            return
        probable = self._probable(entry, regs, pool)
        if probable is not None:
            field_name = entry.scheme
            out.probable.append((probable.id, entry.label,
                                 f"même nom dans la même commune ou la même profession : si c'est bien la même "
                                 f"fiche, ajoutez-y « {field_name}: \"{entry.identifier}\" »"))
            return
        if i.internal is None:
            out.unsaved_new += 1
            return
        record_id = self._new_id(entry, regs)
        data = self._candidate(entry, regs)
        if not load_schemas().is_valid(self.kind, data):
            out.warnings.append(f"{entry.label} : données du répertoire incomplètes ou hors format, candidat non créé.")
            self.used_ids.discard(record_id)
            return
        target = Target("interne", BY_NAME[self.kind].folder, record_id)
        self.plan.add(Create(target, data, self.kind))
        self.new_internal[record_id] = record_of(entry, record_id, regs)
        out.new_candidates.append((record_id, entry.label))

    def _probable(self, entry: Entry, regs: tuple[Place, ...], pool: list[Known]) -> Known | None:
        communes = {r.code_insee for r in regs}
        addresses = {norm.address_key(r.adresse, r.code_insee) for r in regs}
        for rec in pool:
            d = rec.data
            lieux = d.get("lieux") if isinstance(d.get("lieux"), list) else []
            rec_communes = {lieu.get("code_insee") for lieu in lieux if isinstance(lieu, dict)}
            rec_addresses = {_lieu_key(lieu) for lieu in lieux}
            if self.kind == "professionnel":
                same_name = (norm.fold_key(d.get("nom")) == norm.fold_key(entry.fields.get("nom"))
                             and norm.fold_key(d.get("prenom")) == norm.fold_key(entry.fields.get("prenom")))
                if same_name and (d.get("profession") == entry.term or communes & rec_communes):
                    return rec
            else:
                if d.get("categorie") != entry.term or not communes & rec_communes:
                    continue
                if addresses & rec_addresses or _similar(str(d.get("nom", "")), entry.fields.get("nom", "")) or (
                        entry.creation.get("sigle") and _similar(str(d.get("sigle", "")), entry.creation["sigle"])):
                    return rec
        return None

    def _new_id(self, entry: Entry, regs: tuple[Place, ...]) -> str:
        if self.kind == "professionnel":
            base = norm.slug(f"{entry.fields.get('nom', '')} {entry.fields.get('prenom', '')}", 50) or "professionnel"
            options = [base, f"{base}-{entry.term}"]
        else:
            base = norm.slug(entry.creation.get("sigle") or entry.fields.get("nom", ""), 50) or "structure"
            options = [base, f"{base}-{norm.slug(regs[0].commune, 25)}"]
        options.append(f"{base}-{entry.identifier.lower()}")
        for option in options:
            option = option[:80].strip("-")
            if option not in self.used_ids:
                self.used_ids.add(option)
                return option
        n = 2
        while f"{options[-1]}-{n}" in self.used_ids:
            n += 1
        self.used_ids.add(f"{options[-1]}-{n}")
        return f"{options[-1]}-{n}"

    def _candidate(self, entry: Entry, regs: tuple[Place, ...]) -> dict[str, Any]:
        i = self.inputs
        extraction = date.fromisoformat(i.extract.date) if i.extract.date else None
        checked = min(extraction, i.today) if extraction else i.today
        source = SOURCE_LABELS[i.source]
        text = f"{source}, extraction du {date_fr(extraction)}" if extraction else source
        text += f" (import du {date_fr(i.today)})"
        data: dict[str, Any] = {}
        if self.kind == "professionnel":
            data = {"nom": entry.fields["nom"], "prenom": entry.fields["prenom"], "profession": entry.term,
                    entry.scheme: entry.identifier}
        else:
            data = {"nom": entry.fields["nom"]}
            if entry.creation.get("sigle"):
                data["sigle"] = entry.creation["sigle"]
            data["categorie"] = entry.term
            data["finess"] = entry.identifier
            if entry.fields.get("siret"):
                data["siret"] = entry.fields["siret"]
        data["lieux"] = [r.as_lieu() for r in regs[:20]]
        data["statut"] = "candidat"
        data["verifie_le"] = checked.isoformat()
        data["source"] = text[:200]
        return data

    # -- records gone from the register

    def _absent(self, index: dict[str, Known], matched: set[tuple[str, str]]) -> None:
        i, out = self.inputs, self.outcome
        schemes = SCHEMES[self.kind]
        seen: set[tuple[str, str]] = set()
        listed = 0
        closures: list[Known] = []
        by_name = {(norm.fold_key(e.fields.get("nom")), norm.fold_key(e.fields.get("prenom"))): e
                   for e in i.extract.entries}
        for rec in index.values():
            if (rec.registry, rec.id) in seen:
                continue
            seen.add((rec.registry, rec.id))
            if rec.statut in statuses.WITHDRAWN or not any(isinstance(rec.data.get(s), str) for s in schemes):
                continue
            if not self._in_scope(rec):
                continue
            candidate = rec.registry == "interne"
            if candidate and rec.statut not in statuses.CANDIDATE:
                continue
            if not candidate and rec.statut in statuses.LISTED_PUBLICLY:
                listed += 1
            if (rec.registry, rec.id) in matched:
                continue
            if any(ident in i.extract.known_seen for ident in rec.identifiers()):
                out.warnings.append(f"{rec.id} : présent dans le fichier, mais ses lignes sont inexploitables "
                                    "(identifiant invalide ou commune inconnue) ; fiche inchangée.")
                continue
            if candidate:
                self._drop_candidate(rec, "n'est plus dans le répertoire national")
                continue
            if rec.statut not in statuses.LISTED_PUBLICLY:
                continue
            base = self.new_public.get(rec.id)
            if base is not None and base.absent_depuis:
                out.counts["fiches toujours absentes du répertoire (cessation déjà proposée)"] += 1
                continue
            twin = by_name.get((norm.fold_key(rec.data.get("nom")), norm.fold_key(rec.data.get("prenom"))))
            if twin is not None and self.kind == "professionnel":
                out.probable.append((rec.id, twin.label, "absent sous son identifiant, mais une personne du même nom "
                                                         "figure au répertoire : l'identifiant a-t-il changé (ADELI → "
                                                         "RPPS) ? Corrigez-le dans la fiche"))
                continue
            closures.append(rec)
        if listed >= MASS_CLOSURE_MINIMUM and len(closures) * 2 > listed:
            raise ImportFileError(", ".join(i.extract.files), 0,
                                  f"{len(closures)} des {listed} fiches concernées seraient absentes du répertoire : "
                                  "le fichier semble incomplet (téléchargement interrompu, extraction partielle). Rien "
                                  "n'a été écrit ; vérifiez le fichier.")
        for rec in closures:
            self.plan.add(SetValue(rec.target, ("statut",), "cesse"))
            out.closures.append((rec.id, rec.title()))
            base = self.new_public.get(rec.id)
            if base is None:
                values = {c: str(rec.data.get(c) or "") for c in OWNED[self.kind] if isinstance(rec.data.get(c), str)}
                base = SnapshotRecord(rec.id, values)
            base.absent_depuis = i.today.isoformat()
            self.new_public[rec.id] = base

    def _drop_candidate(self, rec: Known, why: str) -> None:
        self.plan.add(Delete(rec.target))
        self.new_internal.pop(rec.id, None)
        self.outcome.removed_candidates.append((rec.id, f"{rec.title()} : {why}"))

    # -- snapshot tables

    def _tables(self) -> None:
        i = self.inputs
        path = f"imports/{i.source}.csv"
        public = Snapshot(i.source, dict(sorted(self.new_public.items())))
        if public.records or i.snapshot_public.records:
            self.plan.add(Table("public", path, _header(i.source), public.rows()))
        if i.internal is not None and i.snapshot_internal is not None:
            internal = Snapshot(i.source, dict(sorted(self.new_internal.items())))
            if internal.records or i.snapshot_internal.records:
                self.plan.add(Table("interne", path, _header(i.source), internal.rows()))


def _header(source: str) -> tuple[str, ...]:
    from maillage.imports.snapshot import header

    return header(source)


_STOP = frozenset({"de", "des", "du", "la", "le", "les", "l", "d", "et", "centre", "service"})


def _similar(a: str, b: str) -> bool:
    """Two establishment names that share most of their significant words."""
    wa = {w for w in norm.fold_key(a).split() if w not in _STOP}
    wb = {w for w in norm.fold_key(b).split() if w not in _STOP}
    if not wa or not wb:
        return False
    return len(wa & wb) / len(wa | wb) >= 0.5


def reconcile(inputs: Inputs) -> tuple[Plan, Outcome]:
    return Reconciler(inputs).run()


__all__ = ["Inputs", "reconcile", "write_rows"]
