"""The steering report: every figure of ``/territoires/`` and ``/pilotage/`` as JSON-able data or Markdown.

``maillage report`` prints it; Markdown suits a CI job summary (``>> $GITHUB_STEP_SUMMARY``),
JSON suits tools. Both carry the same figures as the pages: they come from the same
computations (:mod:`~maillage.steering.coverage`, :mod:`~maillage.steering.followup`,
:mod:`~maillage.steering.freshness`) and the same formatters (:mod:`maillage.core.french`).
"""

from __future__ import annotations

from typing import Any

from maillage.core.french import date_fr, decimal_fr, euros, join_fr, km_fr, number_fr, percent, plural
from maillage.core.kinds import BY_NAME as KIND
from maillage.core.labels import ECHEANCES, STATUTS_CONVENTION, TYPES_CONVENTION
from maillage.core.model import Model
from maillage.steering.coverage import DISTANCE_NOTE, Coverage, compute_coverage
from maillage.steering.followup import FollowUp, compute_followup
from maillage.steering.freshness import BUCKETS, Freshness, compute_freshness
from maillage.steering.prospection import GapPlan

MARKDOWN_LIST_LIMIT = 50


def figures(model: Model) -> tuple[Coverage, FollowUp, Freshness]:
    return compute_coverage(model), compute_followup(model), compute_freshness(model)


def _weeks(value: float | None) -> str:
    return "—" if value is None else decimal_fr(value)


# --- JSON ----------------------------------------------------------------------------


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def prospection_data(plans: tuple[GapPlan, ...]) -> list[dict[str, Any]]:
    """The recruitment plan of each gap (internal audience only)."""
    return [{
        "type": p.gap.kind.type, "code": p.gap.kind.code, "libelle": p.gap.kind.label,
        "seuil_km": p.gap.kind.threshold_km, "communes_au_dela": len(p.gap.communes_beyond),
        "habitants_au_dela": p.gap.population_beyond, "candidats": p.prospects,
        "plus_proches_seulement": p.nearest_only, "habitants_restant_au_dela": p.population_left,
        "a_solliciter": [{"id": s.prospect.id, "nom": s.prospect.title, "commune": s.commune,
                          "distance_km": _r(s.distance_km), "communes_couvertes": list(s.communes),
                          "habitants_couverts": s.population} for s in p.suggestions],
    } for p in plans]


def report_data(model: Model, cov: Coverage, fol: FollowUp, fre: Freshness,
                prospection: tuple[GapPlan, ...] | None = None) -> dict[str, Any]:
    """Every figure as plain JSON-able data (French keys, like the open-data exports)."""
    data = _report_data(model, cov, fol, fre)
    if prospection is not None and model.audience != "public":
        data["prospection"] = prospection_data(prospection)
    return data


def _report_data(model: Model, cov: Coverage, fol: FollowUp, fre: Freshness) -> dict[str, Any]:
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


DEADLINES_NOTE = ("« Préavis » : dernier jour pour prévenir l'autre partie avant la fin (renouveler ou arrêter) ; "
                  "« Dénonciation » : dernier jour pour s'opposer à la reconduction tacite, sans quoi la convention "
                  "se renouvelle d'elle-même ; « Fin » : dernier jour de la convention.")

PROSPECTION_TITLE = "Prospection : qui solliciter pour couvrir les zones sans offre"
PROSPECTION_NOTE = ("Candidats trouvés dans les répertoires nationaux (FINESS, RPPS) par « maillage import », pas "
                    "encore examinés : pour chaque profession ou catégorie dont des communes sont au-delà du seuil, "
                    "ceux qui rapprocheraient le plus d'habitants, dans l'ordre où les solliciter. Interne : ne "
                    "pas publier.")


def prospection_markdown(plans: tuple[GapPlan, ...]) -> list[str]:
    out = [f"## {PROSPECTION_TITLE}", "", f"> {PROSPECTION_NOTE}", ""]
    if not plans:
        return [*out, "Aucune commune au-delà des seuils : rien à prospecter.", ""]
    # Gaps without any imported candidate: one line naming them all, not one identical block each.
    empty = [p for p in plans if not p.suggestions and not p.prospects]
    for p in plans:
        if p in empty:
            continue
        g = p.gap
        out += [f"### {g.kind.label} (seuil {km_fr(g.kind.threshold_km or 0)} km)", "",
                f"{number_fr(len(g.communes_beyond))} communes et {number_fr(g.population_beyond)} habitants "
                f"au-delà du seuil ; {number_fr(p.prospects)} candidat(s) importé(s) de cette "
                f"{'profession' if g.kind.type == 'profession' else 'catégorie'}.", ""]
        if not p.suggestions:
            out += ["_Aucun candidat importé ne rapproche ces communes : élargissez la recherche._", ""]
            continue
        if p.nearest_only:
            out += ["Aucun candidat à moins du seuil de ces communes ; les plus proches :", ""]
            out += _md_table(["Candidat", "Identifiant", "Commune", "Distance de la zone"],
                             [[s.prospect.title, s.prospect.id, s.commune, f"{km_fr(s.distance_km)} km"]
                              for s in p.suggestions], (3,))
            continue
        out += _md_table(["Ordre", "Candidat", "Identifiant", "Commune", "Habitants rapprochés", "Communes"],
                         [[n, s.prospect.title, s.prospect.id, s.commune, number_fr(s.population),
                           ", ".join(s.communes[:8]) + (f" (+{len(s.communes) - 8})" if len(s.communes) > 8 else "")]
                          for n, s in enumerate(p.suggestions, start=1)], (0, 4))
        out += [f"Après ces sollicitations, {number_fr(p.population_left)} habitants resteraient au-delà du seuil.",
                ""]
    if empty:
        names = join_fr([f"{p.gap.kind.label} ({number_fr(p.gap.population_beyond)})" for p in empty])
        kinds = plural(len(empty), "profession ou catégorie", "professions ou catégories")
        out += [f"Aucun candidat importé pour {kinds} dont des "
                f"habitants sont au-delà du seuil (nombre d'habitants entre parenthèses) : {names}. Importez le "
                "répertoire national (`maillage import`) pour en trouver.", ""]
    return out


def report_markdown(model: Model, cov: Coverage, fol: FollowUp, fre: Freshness,
                    prospection: tuple[GapPlan, ...] | None = None) -> str:
    text = _report_markdown(model, cov, fol, fre)
    if prospection is None or model.audience == "public":
        return text
    return text + "\n" + "\n".join(prospection_markdown(prospection)).rstrip() + "\n"


def _report_markdown(model: Model, cov: Coverage, fol: FollowUp, fre: Freshness) -> str:
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
                       sum(t.sante_protegee.values()), t.accepting_new, _weeks(t.waiting_professionals.median),
                       _weeks(t.waiting_structures.median)] for t in cov.territories])
    out += ["## Conventions", "", "### Par statut", ""]
    out += _md_table(["Statut", "Conventions"], [[STATUTS_CONVENTION.label(s), n] for s, n in fol.by_status.items()])
    out += ["### Par type", ""]
    out += _md_table(["Type", "Conventions"], [[TYPES_CONVENTION.label(t), n] for t, n in fol.by_type.items()])
    out += ["### Échéances", "",
            " · ".join(f"sous {w} jours : **{len(fol.conventions_within(w))}**" for w in fol.deadlines), ""]
    longest = max(fol.deadlines)
    rows: list[list[object]] = [[date_fr(d.day), ECHEANCES.short_label(d.what), d.days_left, d.intitule,
                                 d.convention_id] for d in fol.deadlines[longest]]
    if rows:
        out += [DEADLINES_NOTE, ""]
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
                     [[KIND[k].title, *(c[b] for b in BUCKETS)] for k, c in fre.by_kind.items()])
    out += _md_table(["Territoire", *(labels[b] for b in BUCKETS)],
                     [[model.label("territoires", t) if t else "Hors territoires", *(c[b] for b in BUCKETS)]
                      for t, c in fre.by_territory.items()])
    out += [f"### Fiches non vérifiées depuis plus de {fre.stale_months} mois ({number_fr(len(fre.stale))})", ""]
    stale: list[list[object]] = [[s.id, KIND[s.kind].title, s.titre, date_fr(s.verifie_le), s.months]
                                 for s in fre.stale]
    out += _md_table(["Identifiant", "Type", "Fiche", "Vérifiée le", "Mois"], stale[:MARKDOWN_LIST_LIMIT], (4,))
    out += _limited(stale[:MARKDOWN_LIST_LIMIT], len(stale))
    return "\n".join(out).rstrip() + "\n"
