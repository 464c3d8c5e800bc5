"""What an import found and did, for people: the report printed and put in the pull request."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from maillage.core.french import date_fr, number_fr

SOURCE_TITLES = {"finess": "Répertoire FINESS", "rpps": "Annuaire santé (RPPS)"}


@dataclass(frozen=True, slots=True)
class Conflict:
    registry: str
    record: str
    field: str  # French label of the field: "lieu n° 1 › téléphone"
    ours: str  # the value kept (written by a person)
    theirs: str  # the register's new value
    base: str  # the value last imported ("" when unknown)


@dataclass(slots=True)
class Outcome:
    source: str
    departement: str
    extraction: str | None
    files: list[str]
    dry_run: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)  # public record id → what changed
    conflicts: list[Conflict] = field(default_factory=list)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # (id, who, new address)
    closures: list[tuple[str, str]] = field(default_factory=list)  # (id, who)
    returned: list[tuple[str, str]] = field(default_factory=list)  # (id, who): back in the register
    probable: list[tuple[str, str, str]] = field(default_factory=list)  # (record id, entry label, advice)
    new_candidates: list[tuple[str, str]] = field(default_factory=list)  # (id, who)
    updated_candidates: dict[str, list[str]] = field(default_factory=dict)
    removed_candidates: list[tuple[str, str]] = field(default_factory=list)  # (id, why)
    unsaved_new: int = 0  # new entries not written (no --internal)
    refused: int = 0
    withdrawn: int = 0

    @property
    def title(self) -> str:
        return SOURCE_TITLES[self.source]

    def note(self, record: str, text: str, candidate: bool = False) -> None:
        (self.updated_candidates if candidate else self.updated).setdefault(record, []).append(text)

    @property
    def changes_public(self) -> bool:
        return bool(self.updated or self.closures)

    def lines(self, markdown: bool = False) -> list[str]:
        """The report in French (plain text, or Markdown for a pull request)."""
        h2 = "### " if markdown else ""
        bullet = "- "
        code = (lambda s: f"`{s}`") if markdown else (lambda s: s)
        out = [f"{'## ' if markdown else ''}Import {self.title} — département {self.departement}"
               + (" (simulation : rien n'est écrit)" if self.dry_run else ""), ""]
        if self.extraction:
            out.append(f"Extraction du {date_fr(_date(self.extraction))}.")
        out.append("Fichiers lus : " + ", ".join(code(f) for f in self.files) + ".")
        out.append("")
        figures = [
            ("fiches publiques mises à jour", len(self.updated)),
            ("conflits (valeur gardée, à vérifier)", len(self.conflicts)),
            ("cessations proposées", len(self.closures)),
            ("déménagements hors du département", len(self.moved)),
            ("rapprochements probables à confirmer", len(self.probable)),
            ("nouveaux candidats", len(self.new_candidates)),
            ("candidats mis à jour", len(self.updated_candidates)),
            ("candidats retirés", len(self.removed_candidates)),
        ]
        out.append(f"{h2}Résumé")
        if markdown:
            out.append("")
        out += [f"{bullet}{label} : {number_fr(n)}" for label, n in figures]
        if self.unsaved_new:
            out.append(f"{bullet}nouveaux établissements ou professionnels non enregistrés : "
                       f"{number_fr(self.unsaved_new)} (indiquez le registre interne avec --internal DOSSIER)")
        if self.refused:
            out.append(f"{bullet}refusés auparavant, non proposés : {number_fr(self.refused)}")
        if self.withdrawn:
            out.append(f"{bullet}fiches retirées, laissées telles quelles : {number_fr(self.withdrawn)}")
        out.append("")
        sections: list[tuple[str, list[str]]] = [
            ("Conflits : une personne a modifié ces valeurs, le répertoire aussi (la valeur de la fiche est gardée)",
             [f"{code(c.record)} — {c.field} : fiche « {c.ours} », répertoire « {c.theirs} »"
              + (f" (dernier import « {c.base} »)" if c.base else "") for c in self.conflicts]),
            ("Cessations proposées (absents du répertoire national)",
             [f"{code(i)} — {who} : statut passé à « cesse », à confirmer" for i, who in self.closures]),
            ("Déménagements hors du département (fiche inchangée, à vérifier)",
             [f"{code(i)} — {who} : exerce désormais {addr}" for i, who, addr in self.moved]),
            ("De retour dans le répertoire (vérifiez leur statut)",
             [f"{code(i)} — {who}" for i, who in self.returned]),
            ("Rapprochements probables, jamais appliqués seuls",
             [f"{code(i)} ↔ {who} : {advice}" for i, who, advice in self.probable]),
            ("Fiches publiques mises à jour",
             [f"{code(i)} : {'; '.join(items)}" for i, items in sorted(self.updated.items())]),
            ("Nouveaux candidats (registre interne, à examiner avec « maillage candidates »)",
             [f"{code(i)} — {who}" for i, who in self.new_candidates]),
            ("Candidats mis à jour",
             [f"{code(i)} : {'; '.join(items)}" for i, items in sorted(self.updated_candidates.items())]),
            ("Candidats retirés", [f"{code(i)} — {why}" for i, why in self.removed_candidates]),
            ("Avertissements", list(self.warnings)),
        ]
        for title, items in sections:
            if not items:
                continue
            out.append(f"{h2}{title}" + ("" if markdown else " :"))
            if markdown:
                out.append("")
            out += [bullet + item for item in items]
            out.append("")
        if self.counts:
            out.append(f"{h2}Lecture du fichier" + ("" if markdown else " :"))
            if markdown:
                out.append("")
            out += [f"{bullet}{label} : {number_fr(n)}" for label, n in sorted(self.counts.items())]
            out.append("")
        return out

    def text(self, markdown: bool = False) -> str:
        return "\n".join(self.lines(markdown)).rstrip() + "\n"


def _date(text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
