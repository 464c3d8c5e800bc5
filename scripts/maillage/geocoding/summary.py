"""The French text a ``maillage geocode`` run prints: warnings, dry-run list, summary."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from maillage.core.problem_formats import as_line
from maillage.core.problems import Problem
from maillage.geocoding.cache import MergeOutcome
from maillage.geocoding.run import RunReport


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count <= 1 else (plural or singular + 's')}"


def _reasons(counter: Counter[str]) -> str:
    return ", ".join(f"{reason} : {count}" for reason, count in sorted(counter.items()))


def format_problems(problems: list[Problem]) -> str:
    lines: list[str] = []
    for file, group in groupby(problems, key=lambda p: p.file):
        lines.append(file)
        lines.extend(f"  {as_line(p)}" for p in group)
        lines.append("")
    return "\n".join(lines)


def format_dry_run(report: RunReport) -> str:
    plan = report.plan
    lines = [f"Simulation (--dry-run) : rien n'est envoyé à {report.endpoint}, le cache n'est pas modifié.",
             ""]
    if not plan.queries:
        lines.append("Aucune adresse à interroger : toutes sont déjà dans le cache.")
    else:
        lines.append(f"{_n(len(plan.queries), 'adresse serait interrogée', 'adresses seraient interrogées')} :")
        for planned in plan.queries:
            files = ", ".join(sorted({loc.record.file for loc in planned.locations}))
            lines.append(f"  - {planned.query.text} ({planned.reason}) — {files}")
    lines += ["", _counts_line(report)]
    return "\n".join(lines)


def _counts_line(report: RunReport) -> str:
    plan = report.plan
    places = _n(len(plan.locations), "lieu", "lieux")
    addresses = _n(plan.addresses, "adresse distincte", "adresses distinctes")
    return (f"{places} ({addresses}), {_n(plan.manual, 'placé', 'placés')} à la main dans la fiche ; "
            f"{_n(plan.from_cache, 'adresse')} déjà dans le cache.")


def format_summary(report: RunReport) -> str:
    merged = report.merged
    lines = [
        f"Géocodage avec « {report.provider} » ({report.endpoint}) en {report.elapsed:.1f} s",
        f"  {_counts_line(report)}",
        f"  Interrogées : {report.queried}"
        + (f" ({_n(report.retries, 'nouvel essai', 'nouveaux essais')})" if report.retries else ""),
        f"    acceptées : {report.accepted} ({_n(merged[MergeOutcome.ADDED], 'nouvelle')}, "
        f"{_n(merged[MergeOutcome.UPDATED], 'mise', 'mises')} à jour, "
        f"{_n(merged[MergeOutcome.UNCHANGED], 'inchangée')}, "
        f"{_n(merged[MergeOutcome.KEPT], 'moins précise', 'moins précises')} que le cache, donc ignorée"
        f"{'s' if merged[MergeOutcome.KEPT] > 1 else ''})",
        f"    rejetées : {sum(report.rejected.values())}"
        + (f" ({_reasons(report.rejected)})" if report.rejected else ""),
        f"    échecs : {sum(report.failed.values())}"
        + (f" ({_reasons(report.failed)})" if report.failed else ""),
    ]
    if report.kept_previous:
        lines.append(f"  Positions déjà connues conservées malgré un rejet ou un échec : {report.kept_previous}")
    lines.append(f"  Sans coordonnées, placées au centre de leur commune : {report.fallback}")
    if report.unused_rows:
        lines.append(f"  Lignes du cache qui ne servent plus à aucune fiche (gardées) : {report.unused_rows}")
    if report.stopped_early:
        lines.append("  Arrêt anticipé : trop d'échecs d'affilée, le service semble indisponible.")
    saved = "enregistré" if report.cache_written else "inchangé"
    lines.append(f"  Cache {report.cache_file} : {saved}.")
    if report.failed:
        lines.append("Des requêtes ont échoué : relancez « maillage geocode » plus tard "
                     "(ce qui a réussi est déjà enregistré).")
    return "\n".join(lines)
