"""``maillage import``: read a national file, reconcile, write (or only report with ``dry_run``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from maillage.core.gazetteer import Gazetteer
from maillage.imports.apply import Written, apply_plan
from maillage.imports.entities import Extract, Selection
from maillage.imports.errors import ImportFileError, ImportUsageError
from maillage.imports.finess import FinessReader
from maillage.imports.mapping import KIND_OF_SOURCE, CategoryMap, ProfessionMap, TermNames, resolve_scope
from maillage.imports.outcome import Outcome
from maillage.imports.plan import Plan, RegistryName
from maillage.imports.reconcile import Inputs, reconcile
from maillage.imports.registries import Known, internal_records, load_public, read_refusals
from maillage.imports.rpps import RppsReader
from maillage.imports.snapshot import Snapshot, read_snapshot
from maillage.load.registry import display_path

SOURCES = ("finess", "rpps")


@dataclass(slots=True)
class ImportResult:
    outcome: Outcome
    plan: Plan
    written: Written | None


def departement_code(meta: dict) -> str:  # type: ignore[type-arg]
    dep = meta.get("departement") if isinstance(meta, dict) else None
    code = dep.get("code") if isinstance(dep, dict) else None
    if not isinstance(code, str) or not code:
        raise ImportUsageError("registre.yaml n'indique pas le département (departement.code) : l'import ne sait pas "
                               "quelles lignes retenir.")
    return code.upper()


def check_internal(internal: Path | None) -> None:
    if internal is not None and not internal.is_dir():
        raise ImportUsageError(f"« {internal} » n'est pas un dossier : indiquez le registre interne existant avec "
                               "--internal (créez le dossier s'il est neuf).")


def run_import(source: str, files: Sequence[Path], registry: Path, internal: Path | None, scope: str | None,
               today: date, dry_run: bool = False) -> ImportResult:
    """Import ``files`` of ``source`` into ``registry`` (and ``internal``); see :mod:`maillage.imports.reconcile`."""
    if source not in SOURCES:
        raise ImportUsageError(f"source inconnue « {source} » : finess ou rpps.")
    check_internal(internal)
    for path in files:
        if not path.is_file():
            raise ImportUsageError(f"fichier introuvable : {display_path(path)}")
    loaded, public = load_public(registry)
    departement = departement_code(loaded.meta)
    kind = KIND_OF_SOURCE[source]
    gazetteer = Gazetteer.load()
    option = "--categories" if source == "finess" else "--professions"
    vocabulary = loaded.vocabularies["categories" if source == "finess" else "professions"].terms
    categories = CategoryMap.from_vocabulary(vocabulary) if source == "finess" else None
    professions = ProfessionMap.from_vocabulary(vocabulary) if source == "rpps" else None
    mapping = categories or professions
    assert mapping is not None
    try:
        terms = resolve_scope(scope, mapping.mappable, TermNames.from_vocabularies(vocabulary), option)
    except ValueError as exc:
        raise ImportUsageError(str(exc)) from None
    internal_known: list[Known] | None = internal_records(internal) if internal is not None else None
    known = frozenset(ident for rec in [*public, *(internal_known or ())] if rec.kind == kind
                      for ident in rec.identifiers())
    selection = Selection(departement, known, terms)
    extract: Extract
    if source == "finess":
        if len(files) != 1:
            raise ImportUsageError("maillage import finess lit un seul fichier (--file une fois).")
        assert categories is not None
        extract = FinessReader(files[0], categories, gazetteer).read(selection)
    else:
        assert professions is not None
        extract = RppsReader(list(files), professions, gazetteer).read(selection)
    if not extract.entries and not extract.known_seen:
        raise ImportFileError(", ".join(extract.files), 0,
                              f"aucune ligne du fichier ne concerne le département {departement} : est-ce le bon "
                              "fichier, ou le bon registre ? Rien n'a été écrit.")
    inputs = Inputs(
        source=source, departement=departement, today=today, terms=terms, extract=extract, public=public,
        internal=internal_known, snapshot_public=read_snapshot(registry, source),
        snapshot_internal=read_snapshot(internal, source) if internal is not None else None,
        refusals=read_refusals(internal),
    )
    plan, outcome = reconcile(inputs)
    outcome.dry_run = dry_run
    written = None
    if not dry_run:
        roots: dict[RegistryName, Path] = {"public": registry}
        if internal is not None:
            roots["interne"] = internal
        written = apply_plan(plan, roots)
    return ImportResult(outcome, plan, written)


__all__ = ["SOURCES", "ImportResult", "Snapshot", "run_import"]
