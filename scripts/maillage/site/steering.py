"""Bodies of the steering pages: ``/territoires/`` (coverage) and ``/pilotage/`` (dashboard).

Both functions return one HTML fragment to insert into a Markdown page processed with
``md_in_html``: no blank line and no leading indentation (Markdown would otherwise end
the HTML block or take it for code), every value escaped with :func:`html.escape`.
Links to record pages are relative to a page one level deep (``territoires/``,
``pilotage/``). Styles: ``docs/assets/maillage/pilotage.css`` (print-friendly, large key
figures for a projector). No script: the maps are switched with ``<details>`` elements,
and each gap map is an SVG file beside the page (:func:`territory_map_files`, written with
the site's data files), shown as an image: a closed ``<details>`` does not download it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from maillage.core import statuses
from maillage.core.french import date_fr, decimal_fr, euros, km_fr, number_fr, percent, plural
from maillage.core.kinds import BY_NAME as KIND
from maillage.core.labels import ECHEANCES, SANTE_PROTEGEE_PLURIEL, STATUTS_CONVENTION, TYPES_CONVENTION
from maillage.core.model import Model
from maillage.site import charts
from maillage.site.charts import MapPoint
from maillage.steering.coverage import DISTANCE_NOTE, Coverage, Gap, Kind, compute_coverage
from maillage.steering.followup import FollowUp, compute_followup
from maillage.steering.freshness import BUCKETS, Freshness, compute_freshness

ROLE_LABELS = SANTE_PROTEGEE_PLURIEL
MAP_FOLDER = "cartes/"  # the gap maps, beside the /territoires/ page (territory_map_files)
DEADLINE_LABELS = ECHEANCES.short
STALE_LIST_LIMIT = 100


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _weeks(value: float | None) -> str:
    """A waiting time in a table whose header says « en semaines »."""
    return "—" if value is None else decimal_fr(value)


def _table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], numeric_from: int = 1) -> list[str]:
    """A table whose cells are already-escaped HTML; columns from ``numeric_from`` are right-aligned."""
    out = ['<div class="pilotage-tableau">', "<table>", f"<caption>{_e(caption)}</caption>", "<thead><tr>"
           + "".join(f'<th scope="col">{_e(h)}</th>' for h in headers) + "</tr></thead>", "<tbody>"]
    count = 0
    for row in rows:
        count += 1
        cells = []
        for i, cell in enumerate(row):
            if i == 0:
                cells.append(f'<th scope="row">{cell}</th>')
            else:
                cells.append(f'<td class="pilotage-nombre">{cell}</td>' if i >= numeric_from else f"<td>{cell}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    if not count:
        out.append(f'<tr><td colspan="{len(headers)}">Aucune ligne.</td></tr>')
    out.append("</tbody></table></div>")
    return out


def _record_link(kind: str, record_id: str | None, text: str, base: str) -> str:
    if not record_id:
        return _e(text)
    return f'<a href="{_e(base + KIND[kind].url(record_id))}">{_e(text)}</a>'


def _kind_vocabulary(kind: Kind) -> str:
    return "professions" if kind.type == "profession" else "categories"


def _gap_sentence(gap: Gap) -> str:
    k = gap.kind
    text = (f"{number_fr(gap.population_beyond)} habitants ({percent(gap.share_beyond)}) vivent à plus de "
            f"{km_fr(k.threshold_km or 0)} km de la ressource « {k.label} » active la plus proche")
    if gap.population_beyond_accepting is not None:
        text += (f" ; {number_fr(gap.population_beyond_accepting)} à plus de {km_fr(k.threshold_km or 0)} km "
                 "d'un professionnel qui accepte de nouveaux patients")
    return text + "."


def _gap_rows(cov: Coverage) -> list[list[str]]:
    rows = []
    for g in cov.gaps:
        accepting = "—" if g.population_beyond_accepting is None else number_fr(g.population_beyond_accepting)
        rows.append([_e(g.kind.label), _e(f"{km_fr(g.kind.threshold_km or 0)} km"), _e(number_fr(g.records)),
                     _e(number_fr(len(g.communes_beyond))), _e(number_fr(g.population_beyond)),
                     _e(percent(g.share_beyond)), _e(accepting)])
    return rows


GAP_HEADERS = ("Profession ou catégorie", "Seuil", "Fiches actives", "Communes au-delà", "Habitants au-delà",
               "Part des habitants", "Habitants au-delà (nouveaux patients acceptés)")


def _note(model: Model, cov: Coverage) -> str:
    return (f'<p class="pilotage-note">Situation au {_e(date_fr(model.today))} — {_e(cov.departement_nom)} '
            f"({_e(number_fr(len(cov.communes)))} communes, {_e(number_fr(cov.population))} habitants). "
            f"{_e(DISTANCE_NOTE)}</p>")


# --- /territoires/ -------------------------------------------------------------------


def territories_page(model: Model, base: str = "../", coverage: Coverage | None = None) -> str:
    """The ``/territoires/`` body: gaps, one gap map per kind with a threshold, territory table."""
    cov = coverage or compute_coverage(model)
    titles = {r.id: r.titre for r in (*model.professionnels, *model.structures)}
    out = ['<div class="pilotage pilotage-territoires">', _note(model, cov)]
    out.append('<h2 id="ecarts">Écarts de couverture</h2>')
    if cov.gaps:
        out.append("<ul>" + "".join(f"<li>{_e(_gap_sentence(g))}</li>" for g in cov.gaps
                                    if g.population_beyond) + "</ul>")
    out += _table("Habitants au-delà du seuil de distance, par profession et catégorie de structure",
                  GAP_HEADERS, _gap_rows(cov))
    out.append('<h2 id="cartes">Cartes des distances</h2>')
    out.append("<p>Ouvrez une profession ou une catégorie pour voir sa carte et la liste des communes "
               "au-delà du seuil. Chaque commune est un repère placé en son centre : plus il est grand, plus "
               "la ressource la plus proche est loin ; une croix signale une commune sans aucune ressource de ce "
               "type dans le registre.</p>")
    for i, gap in enumerate(cov.gaps):
        out += _map_section(cov, gap, base, titles, opened=i == 0)
    out.append('<h2 id="par-territoire">Par territoire</h2>')
    out += _territory_table(model, cov)
    if model.audience == "interne":
        out += _prospection(model, cov)
    others = [k for k in cov.kinds if k.threshold_km is None]
    if others:
        out.append('<h2 id="autres-distances">Autres professions et catégories</h2>')
        out.append("<p>Pas de seuil de distance fixé dans <code>registre.yaml</code> pour ces ressources : "
                   "voici seulement les distances observées.</p>")
        out += _table("Distance de chaque commune à la ressource active la plus proche (sans seuil)",
                      ("Profession ou catégorie", "Fiches actives", "Distance médiane", "Distance maximale",
                       "Communes sans ressource"), (_distance_row(cov, k) for k in others))
    out.append("</div>")
    return "\n".join(out)


def _prospection(model: Model, cov: Coverage) -> list[str]:
    """Internal only: whom to approach where care is missing (the candidates of the internal registry)."""
    from maillage.steering.prospection import compute_prospection, prospects_from_model
    from maillage.steering.report import PROSPECTION_NOTE, PROSPECTION_TITLE

    plans = compute_prospection(cov, prospects_from_model(model))
    out = ['<div class="admonition danger maillage-interne">',
           '<p class="admonition-title">Réservé au Département</p>',
           f'<h2 id="prospection">{_e(PROSPECTION_TITLE)}</h2>', f"<p>{_e(PROSPECTION_NOTE)}</p>"]
    if not plans:
        out.append("<p>Aucune commune au-delà des seuils : rien à prospecter.</p>")
    for plan in plans:
        kind = plan.gap.kind
        out.append(f"<h3>{_e(kind.label)} (seuil {_e(km_fr(kind.threshold_km or 0))} km)</h3>")
        if not plan.suggestions:
            out.append(f"<p>{_e(number_fr(plan.prospects))} candidat importé de cette profession ou catégorie : "
                       "importez le répertoire national ou élargissez la recherche.</p>")
            continue
        rows = [[_e(number_fr(n)), _e(s.prospect.title), f"<code>{_e(s.prospect.id)}</code>", _e(s.commune),
                 _e(f"{km_fr(s.distance_km)} km"), _e(number_fr(s.population))]
                for n, s in enumerate(plan.suggestions, start=1)]
        caption = ("Aucun candidat à moins du seuil : les plus proches" if plan.nearest_only
                   else f"Candidats à solliciter, dans l'ordre ({number_fr(plan.population_left)} habitants "
                        "resteraient au-delà du seuil)")
        out += _table(caption, ("Ordre", "Candidat", "Identifiant", "Commune", "Distance de la zone",
                                "Habitants rapprochés"), rows, numeric_from=4)
    out.append("</div>")
    return out


def _distance_row(cov: Coverage, kind: Kind) -> list[str]:
    distances = sorted(d for c in cov.communes if (d := c.distance(kind)) is not None)
    missing = len(cov.communes) - len(distances)
    if distances:
        middle = len(distances) // 2
        median = distances[middle] if len(distances) % 2 else (distances[middle - 1] + distances[middle]) / 2
        med, top = f"{km_fr(median)} km", f"{km_fr(distances[-1])} km"
    else:
        med = top = "—"
    return [_e(kind.label), _e(number_fr(cov.records[kind.key])), _e(med), _e(top), _e(number_fr(missing))]


def _map_title(gap: Gap) -> str:
    return f"Distance à la ressource « {gap.kind.label} » la plus proche"


def _map_svg(cov: Coverage, gap: Gap) -> tuple[str, str]:
    """(slug, SVG) of the gap map of one kind: the page shows it as an image, ``territory_map_files`` writes it."""
    k = gap.kind
    slug = f"carte-{k.type}-{k.code}"
    points = [MapPoint(c.nom, c.latitude, c.longitude, c.population, c.distance(k)) for c in cov.communes]
    return slug, charts.gap_map(points, chart_id=slug, title=_map_title(gap), desc=_gap_sentence(gap),
                                threshold_km=k.threshold_km or 0)


_SVG_SIZE = re.compile(r'<svg[^>]* width="([0-9.]+)" height="([0-9.]+)"')


def territory_map_files(model: Model, coverage: Coverage | None = None) -> dict[str, bytes]:
    """``territoires/cartes/<slug>.svg``: the gap maps of ``/territoires/``, one file per kind.

    Inline, the 17 maps of the sample registry made the page 760 KB and 14,000 elements;
    as images, a closed ``<details>`` does not even download its map.
    """
    cov = coverage or compute_coverage(model)
    files = {}
    for gap in cov.gaps:
        slug, svg = _map_svg(cov, gap)
        files[f"territoires/{MAP_FOLDER}{slug}.svg"] = svg.encode("utf-8")
    return files


def _map_section(cov: Coverage, gap: Gap, base: str, titles: dict[str, str], opened: bool) -> list[str]:
    k = gap.kind
    threshold = k.threshold_km or 0
    slug, svg = _map_svg(cov, gap)
    size = _SVG_SIZE.search(svg)
    width, height = (size.group(1), size.group(2)) if size else ("560", "560")
    summary = (f"{k.label} — seuil {km_fr(threshold)} km — {number_fr(gap.population_beyond)} habitants au-delà "
               f"({plural(len(gap.communes_beyond), 'commune')})")
    is_open = ' open=""' if opened else ""
    lazy = "" if opened else ' loading="lazy"'
    image = (f'<img class="pilotage-svg" src="{_e(MAP_FOLDER + slug)}.svg" width="{width}" height="{height}"'
             f' alt="{_e(_map_title(gap))}"{lazy} />')
    out = [f'<details class="pilotage-carte" id="{_e(slug)}"{is_open}>',
           f"<summary>{_e(summary)}</summary>", f'<figure class="pilotage-figure">{image}',
           f"<figcaption>{_e(_gap_sentence(gap))}</figcaption></figure>"]
    kind = "professionnel" if k.type == "profession" else "structure"
    rows = []
    for c in gap.communes_beyond:
        nearest = c.nearest.get(k.key)
        if nearest is None or nearest.distance_km is None:
            rows.append([_e(c.nom), _e(number_fr(c.population)), "aucune", "—"])
            continue
        where = f"{titles.get(nearest.record_id or '', nearest.record_id)} ({nearest.commune})"
        rows.append([_e(c.nom), _e(number_fr(c.population)), _e(f"{km_fr(nearest.distance_km)} km"),
                     _record_link(kind, nearest.record_id, where, base)])
    out += _table(f"Communes à plus de {km_fr(threshold)} km de la ressource « {k.label} » la plus proche",
                  ("Commune", "Population", "Distance", "Ressource la plus proche"), rows, numeric_from=1)
    out.append("</details>")
    return out


def _territory_table(model: Model, cov: Coverage) -> list[str]:
    roles = sorted({r for t in cov.territories for r in t.sante_protegee})
    headers = ("Territoire", "Communes", "Habitants", "Professionnels actifs", "Structures actives",
               *(f"Santé protégée : {ROLE_LABELS.get(r, r)}" for r in roles),
               "Acceptent de nouveaux patients", "Délai médian (professionnels)", "Délai moyen (professionnels)",
               "Délai médian (structures)")
    rows = []
    for t in cov.territories:
        rows.append([_e(t.label), _e(number_fr(t.communes)), _e(number_fr(t.population)),
                     _e(number_fr(t.professionals_total)), _e(number_fr(t.structures_total)),
                     *(_e(number_fr(t.sante_protegee.get(r, 0))) for r in roles), _e(number_fr(t.accepting_new)),
                     _e(_weeks(t.waiting_professionals.median)), _e(_weeks(t.waiting_professionals.mean)),
                     _e(_weeks(t.waiting_structures.median))])
    out = _table("Offre par territoire (une fiche qui a des lieux dans plusieurs territoires compte dans chacun ; "
                 "délais indicatifs déclarés, en semaines)", headers, rows)
    kinds = [k for k in cov.kinds if any(_count(t, k) for t in cov.territories)]
    if kinds:
        out += _table("Fiches actives par territoire, par profession et catégorie",
                      ("Profession ou catégorie", *(t.label for t in cov.territories)),
                      ([_e(k.label), *(_e(number_fr(_count(t, k))) for t in cov.territories)] for k in kinds))
    return out


def _count(territory, kind: Kind) -> int:  # type: ignore[no-untyped-def]
    source = territory.professionals if kind.type == "profession" else territory.structures
    return int(source.get(kind.code, 0))


# --- /pilotage/ ----------------------------------------------------------------------


def steering_page(model: Model, base: str = "../", coverage: Coverage | None = None,
                  followup: FollowUp | None = None, freshness: Freshness | None = None) -> str:
    """The ``/pilotage/`` dashboard: key figures, gaps, conventions, amounts, freshness."""
    cov = coverage or compute_coverage(model)
    fol = followup or compute_followup(model)
    fre = freshness or compute_freshness(model)
    out = ['<div class="pilotage pilotage-tableau-de-bord">', _note(model, cov)]
    out += _key_figures(cov, fol, fre)
    out.append('<h2 id="couverture">Couverture du territoire</h2>')
    ranked = sorted(cov.gaps, key=lambda g: (-g.population_beyond, g.kind.label))
    out.append('<figure class="pilotage-figure">' + charts.bar_chart(
        [(g.kind.label, g.population_beyond) for g in ranked], chart_id="pilotage-ecarts",
        title="Habitants au-delà du seuil de distance",
        desc=" ".join(_gap_sentence(g) for g in ranked) or "Aucun seuil de distance fixé.",
        value_text=lambda v: f"{number_fr(v)} hab."))
    out.append("<figcaption>Habitants vivant au-delà du seuil de distance de chaque ressource (à vol d'oiseau)."
               "</figcaption></figure>")
    out += _table("Écarts de couverture", GAP_HEADERS, _gap_rows(cov))
    out.append('<p><a href="' + _e(base) + 'territoires/">Cartes et communes concernées : page Territoires</a></p>')
    out += _conventions_section(model, fol, base)
    out += _freshness_section(model, fre, base)
    out.append("</div>")
    return "\n".join(out)


def _figure(value: str, label: str) -> str:
    return (f'<div class="pilotage-chiffre"><span class="pilotage-chiffre-valeur">{_e(value)}</span> '
            f'<span class="pilotage-chiffre-libelle">{_e(label)}</span></div>')


def _key_figures(cov: Coverage, fol: FollowUp, fre: Freshness) -> list[str]:
    worst = max(cov.gaps, key=lambda g: (g.population_beyond, g.kind.label), default=None)
    running = sum(n for s, n in fol.by_status.items() if statuses.in_force(s))
    figures = [_figure(number_fr(cov.population), "habitants dans le département")]
    if worst is not None:
        figures.append(_figure(number_fr(worst.population_beyond),
                               f"habitants à plus de {km_fr(worst.kind.threshold_km or 0)} km : "
                               f"« {worst.kind.label} » (écart le plus important)"))
    figures += [
        _figure(number_fr(sum(1 for g in cov.gaps if g.population_beyond)),
                f"ressources avec des habitants au-delà du seuil (sur {len(cov.gaps)})"),
        _figure(number_fr(running), "conventions en vigueur"),
        _figure(number_fr(len(fol.conventions_within(90))), "conventions à renouveler ou à dénoncer sous 90 jours"),
        _figure(percent(fol.cpam_share), "part CPAM (droit commun) des montants annuels CPAM + Département"),
        _figure(number_fr(fre.total["perime"]),
                ("fiche non vérifiée" if fre.total["perime"] < 2 else "fiches non vérifiées")
                + f" depuis plus de {fre.period_months} mois"),
    ]
    return ['<div class="pilotage-chiffres">', *figures, "</div>"]


def _conventions_section(model: Model, fol: FollowUp, base: str) -> list[str]:
    out = ['<h2 id="conventions">Conventions</h2>']
    out += _table(f"Conventions par statut ({number_fr(fol.total)} au total)", ("Statut", "Conventions"),
                  ([_e(STATUTS_CONVENTION.label(s)), _e(number_fr(n))] for s, n in fol.by_status.items()))
    out += _table("Conventions par type", ("Type", "Conventions"),
                  ([_e(TYPES_CONVENTION.label(t)), _e(number_fr(n))] for t, n in fol.by_type.items()))
    out.append('<h3 id="echeances">À renouveler ou à dénoncer</h3>')
    out.append('<div class="pilotage-chiffres">' + "".join(
        _figure(number_fr(len(fol.conventions_within(w))), f"sous {w} jours") for w in fol.deadlines) + "</div>")
    longest = max(fol.deadlines)
    rows = [[_e(date_fr(d.day)), _e(DEADLINE_LABELS[d.what]), _e(number_fr(d.days_left)),
             _record_link("convention", d.convention_id, d.intitule, base), _e(STATUTS_CONVENTION.label(d.statut))]
            for d in fol.deadlines[longest]]
    out += _table(f"Échéances des {longest} prochains jours (conventions signées, en vigueur ou suspendues)",
                  ("Date", "Échéance", "Jours restants", "Convention", "Statut"), rows, numeric_from=2)
    out.append('<h3 id="montants">Montants annuels par financeur</h3>')
    segments = [(f.label, f.annual) for f in fol.financers if f.annual > 0]
    out.append('<figure class="pilotage-figure">' + charts.stacked_bar(
        segments, chart_id="pilotage-financeurs", title="Montants annuels engagés par financeur",
        desc="; ".join(f"{label} : {euros(v)} par an" for label, v in segments) or "Aucun montant chiffré.",
        value_text=euros) + f"<figcaption>Part de la CPAM (droit commun) dans les montants CPAM + Département : "
        f"{_e(percent(fol.cpam_share))}.</figcaption></figure>")
    out += _table("Montants annuels estimés des conventions signées ou en vigueur",
                  ("Financeur", "Montant annuel estimé", "Lignes de financement", "Dont non chiffrées"),
                  ([_e(f.label), _e(euros(f.annual)), _e(number_fr(f.lines)), _e(number_fr(f.not_estimated))]
                   for f in fol.financers))
    out.append("<p>Montants annualisés : « par an » tel quel ; « total » divisé par la durée de la convention ; "
               "« par enfant » ou « par acte » multiplié par le nombre d'enfants prévus par an. Une ligne qui ne "
               "peut pas être calculée est comptée comme « non chiffrée », jamais estimée.</p>")
    if fol.services:
        out.append('<h3 id="services">Services couverts par territoire</h3>')
        out += _table("Conventions signées, en vigueur ou suspendues qui couvrent chaque service, par territoire "
                      "(une convention sans territoire couvre tout le département)",
                      ("Service", *(model.label("territoires", t) for t in fol.territories)),
                      ([_e(model.label("services", s)), *(_e(number_fr(per[t])) for t in fol.territories)]
                       for s, per in fol.services.items()))
    return out


def _freshness_section(model: Model, fre: Freshness, base: str) -> list[str]:
    labels = fre.bucket_labels
    out = ['<h2 id="fraicheur">Fraîcheur des fiches</h2>']
    out.append('<figure class="pilotage-figure">' + charts.stacked_bar(
        [(f"vérifiées il y a {labels[b]}", fre.total[b]) for b in BUCKETS], chart_id="pilotage-fraicheur",
        title="Date de la dernière vérification des fiches",
        desc="; ".join(f"{plural(fre.total[b], 'fiche vérifiée', 'fiches vérifiées')} il y a {labels[b]}"
                       for b in BUCKETS),
        value_text=lambda v: plural(int(v), "fiche")) + "</figure>")
    out += _table("Fiches par date de dernière vérification", ("Type de fiche", *(labels[b] for b in BUCKETS)),
                  ([_e(KIND[k].title), *(_e(number_fr(c[b])) for b in BUCKETS)] for k, c in fre.by_kind.items()))
    out += _table("Par territoire (une fiche compte dans chaque territoire où elle a un lieu)",
                  ("Territoire", *(labels[b] for b in BUCKETS)),
                  ([_e(model.label("territoires", t) if t else "Hors territoires"),
                    *(_e(number_fr(c[b])) for b in BUCKETS)] for t, c in fre.by_territory.items()))
    shown = fre.stale[:STALE_LIST_LIMIT]
    rows = [[_record_link(s.kind, s.id, s.titre, base), _e(KIND[s.kind].title), _e(date_fr(s.verifie_le)),
             _e(number_fr(s.months))] for s in shown]
    out += _table(f"Fiches non vérifiées depuis plus de {fre.stale_months} mois ({number_fr(len(fre.stale))})",
                  ("Fiche", "Type", "Vérifiée le", "Mois écoulés"), rows, numeric_from=3)
    if len(fre.stale) > len(shown):
        out.append(f"<p>… et {_e(number_fr(len(fre.stale) - len(shown)))} autres : la liste complète est dans les "
                   f'tableaux des <a href="{_e(base)}donnees/">données</a> (fichiers « tableur », colonne « Dernière '
                   "vérification »), et la campagne de vérification les reprend toutes.</p>")
    return out
