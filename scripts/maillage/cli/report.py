"""``maillage report``: the steering figures (coverage, conventions, freshness) as Markdown or JSON.

Markdown suits a CI job summary (``>> $GITHUB_STEP_SUMMARY``); JSON suits tools. Both
carry the same figures as the ``/territoires/`` and ``/pilotage/`` pages.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from maillage import pipeline
from maillage.cli.options import add_registry_option
from maillage.core import clock
from maillage.core.model import AUDIENCES, Model
from maillage.core.problem_formats import as_text
from maillage.site.charts import km_fr, number_fr
from maillage.site.steering import (
    DEADLINE_LABELS,
    DISTANCE_NOTE,
    KIND_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    date_fr,
    euros,
    percent,
    weeks,
)
from maillage.steering.coverage import Coverage, compute_coverage
from maillage.steering.followup import FollowUp, compute_followup
from maillage.steering.freshness import BUCKETS, Freshness, compute_freshness

MARKDOWN_LIST_LIMIT = 50


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "report", help="chiffres de pilotage : couverture, conventions, fraîcheur des fiches",
        description="Affiche les chiffres de pilotage du réseau : distances des communes aux ressources "
                    "(à vol d'oiseau), habitants au-delà des seuils, offre par territoire, échéances et "
                    "montants des conventions, fraîcheur des fiches.")
    add_registry_option(parser)
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown",
                        help="markdown (par défaut, pour un résumé de tâche CI) ou json")
    parser.add_argument("--audience", choices=AUDIENCES, default="public",
                        help="public (par défaut) ou interne (compte aussi les conventions en projet)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = pipeline.run(args.registry, args.audience, clock.today())
    if result.model is None:
        print(as_text(result.problems, result.records_read))
        return 1
    model = result.model
    cov, fol, fre = compute_coverage(model), compute_followup(model), compute_freshness(model)
    if args.format == "json":
        print(json.dumps(report_data(model, cov, fol, fre), ensure_ascii=False, indent=2))
    else:
        print(report_markdown(model, cov, fol, fre))
    return 0


# --- JSON ----------------------------------------------------------------------------


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def report_data(model: Model, cov: Coverage, fol: FollowUp, fre: Freshness) -> dict[str, Any]:
    """Every figure as plain JSON-able data (French keys, like the open-data exports)."""
    return {
        "registre": {
            "departement": {"code": cov.departement_code, "nom": cov.departement_nom},
            "date": model.today.isoformat(), "audience": model.audience,
            "communes": len(cov.communes), "population": cov.population,
        },
        "couverture": {
            "note": DISTANCE_NOTE,
            "ecarts": [{
                "type": g.kind.type, "code": g.kind.code, "libelle": g.kind.label, "seuil_km": g.kind.threshold_km,
                "fiches_actives": g.records, "communes_au_dela": len(g.communes_beyond),
                "habitants_au_dela": g.population_beyond, "part_habitants_au_dela": _r(g.share_beyond, 4),
                "fiches_acceptant_nouveaux_patients": g.records_accepting,
                "communes_au_dela_nouveaux_patients": None if g.communes_beyond_accepting is None
                else len(g.communes_beyond_accepting),
                "habitants_au_dela_nouveaux_patients": g.population_beyond_accepting,
                "communes": [{"code_insee": c.code_insee, "nom": c.nom, "population": c.population,
                              "distance_km": _r(c.distance(g.kind)),
                              "plus_proche_id": c.nearest[g.kind.key].record_id} for c in g.communes_beyond],
            } for g in cov.gaps],
            "sans_seuil": [{"type": k.type, "code": k.code, "libelle": k.label, "fiches_actives": cov.records[k.key]}
                           for k in cov.kinds if k.threshold_km is None],
            "territoires": [{
                "id": t.id, "libelle": t.label, "communes": t.communes, "population": t.population,
                "professionnels": t.professionals, "structures": t.structures, "sante_protegee": t.sante_protegee,
                "acceptent_nouveaux_patients": t.accepting_new,
                "delais_semaines": {
                    "professionnels": {"nombre": t.waiting_professionals.count,
                                       "mediane": _r(t.waiting_professionals.median),
                                       "moyenne": _r(t.waiting_professionals.mean)},
                    "structures": {"nombre": t.waiting_structures.count, "mediane": _r(t.waiting_structures.median),
                                   "moyenne": _r(t.waiting_structures.mean)},
                },
            } for t in cov.territories],
        },
        "conventions": {
            "total": fol.total, "par_statut": fol.by_status, "par_type": fol.by_type,
            "echeances": {str(w): [{"id": d.convention_id, "intitule": d.intitule, "statut": d.statut,
                                    "echeance": d.what, "date": d.day.isoformat(), "jours_restants": d.days_left}
                                   for d in items] for w, items in fol.deadlines.items()},
            "montants_annuels": {
                "financeurs": [{"financeur": f.financeur, "libelle": f.label, "montant_annuel": _r(f.annual),
                                "lignes": f.lines, "lignes_non_chiffrees": f.not_estimated} for f in fol.financers],
                "part_cpam": _r(fol.cpam_share, 4),
                "lignes": [{"convention": a.convention_id, "financeur": a.financeur, "mode": a.mode,
                            "montant": a.montant, "unite": a.unite, "montant_annuel": _r(a.annual), "regle": a.rule}
                           for a in fol.amounts],
            },
            "services_par_territoire": fol.services,
        },
        "fraicheur": {
            "verification_mois": fre.period_months, "tranches": fre.bucket_labels,
            "par_type": fre.by_kind,
            "par_territoire": {t or "hors-territoires": c for t, c in fre.by_territory.items()},
            "non_verifiees": {
                "mois": fre.stale_months,
                "fiches": [{"id": s.id, "type": s.kind, "titre": s.titre, "verifie_le": s.verifie_le.isoformat(),
                            "mois": s.months, "territoires": list(s.territories)} for s in fre.stale],
            },
        },
    }


# --- Markdown ------------------------------------------------------------------------


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(headers: list[str], rows: list[list[object]], right: tuple[int, ...] | None = None) -> list[str]:
    """A Markdown table; columns ``right`` (default: all but the first) are right-aligned (numbers)."""
    if not rows:
        return ["_Aucune ligne._", ""]
    numbers = set(range(1, len(headers)) if right is None else right)
    align = ["---:" if i in numbers else "---" for i in range(len(headers))]
    out = ["| " + " | ".join(_cell(h) for h in headers) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*out, ""]


def _limited(rows: list[list[object]], total: int) -> list[str]:
    if total > len(rows):
        return [f"… et {number_fr(total - len(rows))} autres lignes (voir `--format json`).", ""]
    return []


def report_markdown(model: Model, cov: Coverage, fol: FollowUp, fre: Freshness) -> str:
    out = [f"# Pilotage du réseau — {cov.departement_nom}", "",
           f"Situation au {date_fr(model.today)} ({'données publiques' if model.audience == 'public' else 'interne'}"
           f") : {number_fr(len(cov.communes))} communes, {number_fr(cov.population)} habitants.", "",
           f"> {DISTANCE_NOTE}", "", "## Couverture du territoire", ""]
    for g in cov.gaps:
        if g.population_beyond:
            line = (f"- **{number_fr(g.population_beyond)} habitants** ({percent(g.share_beyond)}) vivent à plus de "
                    f"{km_fr(g.kind.threshold_km or 0)} km de la ressource « {g.kind.label} » active la plus proche")
            if g.population_beyond_accepting is not None:
                line += (f" ; {number_fr(g.population_beyond_accepting)} d'un professionnel qui accepte de "
                         "nouveaux patients")
            out.append(line + ".")
    if not cov.gaps:
        out.append("Aucun seuil de distance n'est fixé dans `registre.yaml` (`seuils.distances_km`).")
    out.append("")
    out += _md_table(["Profession ou catégorie", "Seuil", "Fiches actives", "Communes au-delà", "Habitants au-delà",
                      "Part", "Habitants au-delà (nouveaux patients)"],
                     [[g.kind.label, f"{km_fr(g.kind.threshold_km or 0)} km", g.records, len(g.communes_beyond),
                       number_fr(g.population_beyond), percent(g.share_beyond),
                       "—" if g.population_beyond_accepting is None else number_fr(g.population_beyond_accepting)]
                      for g in cov.gaps])
    out += ["## Offre par territoire", ""]
    out += _md_table(["Territoire", "Habitants", "Professionnels", "Structures", "Santé protégée",
                      "Nouveaux patients", "Délai médian (prof.)", "Délai médian (struct.)"],
                     [[t.label, number_fr(t.population), t.professionals_total, t.structures_total,
                       sum(t.sante_protegee.values()), t.accepting_new, weeks(t.waiting_professionals.median),
                       weeks(t.waiting_structures.median)] for t in cov.territories])
    out += ["## Conventions", "", "### Par statut", ""]
    out += _md_table(["Statut", "Conventions"], [[STATUS_LABELS.get(s, s), n] for s, n in fol.by_status.items()])
    out += ["### Par type", ""]
    out += _md_table(["Type", "Conventions"], [[TYPE_LABELS.get(t, t), n] for t, n in fol.by_type.items()])
    out += ["### Échéances", "",
            " · ".join(f"sous {w} jours : **{len(fol.conventions_within(w))}**" for w in fol.deadlines), ""]
    longest = max(fol.deadlines)
    rows: list[list[object]] = [[d.day.isoformat(), DEADLINE_LABELS[d.what], d.days_left, d.intitule, d.convention_id]
                                for d in fol.deadlines[longest]]
    out += _md_table(["Date", "Échéance", "Jours", "Convention", "Identifiant"], rows[:MARKDOWN_LIST_LIMIT], (2,))
    out += _limited(rows[:MARKDOWN_LIST_LIMIT], len(rows))
    out += ["### Montants annuels par financeur", ""]
    out += _md_table(["Financeur", "Montant annuel estimé", "Lignes", "Non chiffrées"],
                     [[f.label, euros(f.annual), f.lines, f.not_estimated] for f in fol.financers])
    out += [f"Part de la CPAM (droit commun) dans les montants CPAM + Département : **{percent(fol.cpam_share)}**.",
            ""]
    out += ["## Fraîcheur des fiches", ""]
    labels = fre.bucket_labels
    out += _md_table(["Type de fiche", *(labels[b] for b in BUCKETS)],
                     [[KIND_LABELS[k], *(c[b] for b in BUCKETS)] for k, c in fre.by_kind.items()])
    out += _md_table(["Territoire", *(labels[b] for b in BUCKETS)],
                     [[model.label("territoires", t) if t else "Hors territoires", *(c[b] for b in BUCKETS)]
                      for t, c in fre.by_territory.items()])
    out += [f"### Fiches non vérifiées depuis plus de {fre.stale_months} mois ({number_fr(len(fre.stale))})", ""]
    stale: list[list[object]] = [[s.id, KIND_LABELS[s.kind], s.titre, s.verifie_le.isoformat(), s.months]
                                 for s in fre.stale]
    out += _md_table(["Identifiant", "Type", "Fiche", "Vérifiée le", "Mois"], stale[:MARKDOWN_LIST_LIMIT], (4,))
    out += _limited(stale[:MARKDOWN_LIST_LIMIT], len(stale))
    return "\n".join(out).rstrip() + "\n"
