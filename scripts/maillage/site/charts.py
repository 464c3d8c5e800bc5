"""Tiny SVG charts rendered at build time: horizontal bars, a stacked bar, a commune gap map.

Every chart is a standalone ``<svg>`` element, accessible (``role="img"``, a ``<title>``
and a ``<desc>`` referenced by ``aria-labelledby``), with text labels beside the marks so
that no meaning rests on colour alone (the stacked bar also uses hatching, the gap map
also uses size and shape). No script; every text and attribute value is escaped.

``chart_id`` must be unique within a page: it prefixes the ids of the title, description
and patterns. The palette is Okabe–Ito (readable with the common colour-vision deficiencies).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from maillage.core.french import km_fr, number_fr

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
FONT = 'font-family="system-ui, sans-serif"'
_ID = re.compile(r"[^a-z0-9-]+")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _id(chart_id: str) -> str:
    return _ID.sub("-", chart_id.lower()).strip("-") or "graphique"


def _num(value: float) -> str:
    """Compact SVG coordinate (1 decimal, no trailing zero)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, width: float, height: float, title: str, desc: str) -> list[str]:
    cid = _id(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pilotage-svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" aria-labelledby="{cid}-titre {cid}-desc">',
        f'<title id="{cid}-titre">{_e(title)}</title>',
        f'<desc id="{cid}-desc">{_e(desc)}</desc>',
    ]


def bar_chart(items: Sequence[tuple[str, float]], *, chart_id: str, title: str, desc: str,
              value_text: Callable[[float], str] = number_fr, width: int = 640, color: str = PALETTE[0]) -> str:
    """Horizontal bars, one per (label, value): the label above its bar, the value at its end."""
    label_h, bar_h, gap, value_w = 16, 18, 10, 120
    row_h = label_h + bar_h + gap
    plot_w = width - value_w
    height = max(1, len(items)) * row_h + gap
    top = max((v for _, v in items), default=0) or 1
    out = _open(chart_id, width, height, title, desc)
    for i, (label, value) in enumerate(items):
        y = gap + i * row_h
        w = max(0.0, value) / top * plot_w
        out.append(f'<text x="0" y="{y + 12}" font-size="13" {FONT}>{_e(label)}</text>')
        out.append(f'<rect x="0" y="{y + label_h}" width="{_num(w)}" height="{bar_h}" fill="{_e(color)}"/>')
        out.append(f'<text x="{_num(w + 6)}" y="{y + label_h + 14}" font-size="13" {FONT}>'
                   f'{_e(value_text(value))}</text>')
    if not items:
        out.append(f'<text x="8" y="20" font-size="13" {FONT}>Aucune donnée</text>')
    out.append("</svg>")
    return "".join(out)


def stacked_bar(segments: Sequence[tuple[str, float]], *, chart_id: str, title: str, desc: str,
                value_text: Callable[[float], str] = number_fr, width: int = 640) -> str:
    """One horizontal bar split into (label, value) segments, with hatching and a text legend."""
    cid = _id(chart_id)
    bar_h, legend_line = 36, 22
    total = sum(max(0.0, v) for _, v in segments)
    height = bar_h + 16 + legend_line * max(1, len(segments)) + 8
    out = _open(chart_id, width, height, title, desc)
    out.append("<defs>")
    for i in range(len(segments)):
        color = PALETTE[i % len(PALETTE)]
        out.append(_pattern(f"{cid}-motif-{i}", i, color))
    out.append("</defs>")
    x = 0.0
    for i, (label, value) in enumerate(segments):
        w = (max(0.0, value) / total * width) if total else 0
        if w > 0:
            out.append(f'<rect x="{_num(x)}" y="0" width="{_num(w)}" height="{bar_h}" fill="url(#{cid}-motif-{i})" '
                       f'stroke="#fff"><title>{_e(label)} : {_e(value_text(value))}</title></rect>')
        x += w
    for i, (label, value) in enumerate(segments):
        y = bar_h + 16 + i * legend_line
        share = f" ({number_fr(100 * value / total)}\u00a0%)" if total else ""
        out.append(f'<rect x="0" y="{y}" width="16" height="16" fill="url(#{cid}-motif-{i})" stroke="#333"/>')
        out.append(f'<text x="24" y="{y + 13}" font-size="13" {FONT}>{_e(label)} : '
                   f'{_e(value_text(value))}{_e(share)}</text>')
    if not segments:
        out.append(f'<text x="8" y="{bar_h + 30}" font-size="13" {FONT}>Aucune donnée</text>')
    out.append("</svg>")
    return "".join(out)


def _pattern(pid: str, index: int, color: str) -> str:
    """Solid fill for the first segment, then distinct hatchings (meaning not carried by colour alone)."""
    style = index % 4
    head = f'<pattern id="{_e(pid)}" patternUnits="userSpaceOnUse" width="8" height="8">'
    base = f'<rect width="8" height="8" fill="{color}"/>'
    marks = ("", '<path d="M0 8L8 0" stroke="#fff" stroke-width="2"/>',
             '<circle cx="4" cy="4" r="1.6" fill="#fff"/>', '<path d="M0 4H8" stroke="#fff" stroke-width="2"/>')
    return f"{head}{base}{marks[style]}</pattern>"


# --- gap map -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One commune on the gap map."""

    nom: str
    latitude: float
    longitude: float
    population: int
    distance_km: float | None  # None: no resource of this kind anywhere


# (upper bound as a share of the threshold, colour, radius, legend) — the last band is "beyond".
_BANDS = (
    (0.5, PALETTE[0], 2.5, "à moins de la moitié du seuil"),
    (1.0, PALETTE[4], 3.5, "entre la moitié du seuil et le seuil"),
    (2.0, PALETTE[1], 5.0, "au-delà du seuil"),
    (math.inf, PALETTE[3], 6.5, "au-delà du double du seuil"),
)


def _band(distance: float | None, threshold: float) -> int:
    if distance is None:
        return len(_BANDS)
    for i, (upper, *_rest) in enumerate(_BANDS):
        if distance <= upper * threshold:
            return i
    return len(_BANDS) - 1  # pragma: no cover


def gap_map(points: Sequence[MapPoint], *, chart_id: str, title: str, desc: str, threshold_km: float,
            width: int = 560) -> str:
    """Commune centroids as marks: colour, size and shape grow with the distance to the nearest resource.

    Equirectangular projection with a cos(latitude) correction at the mean latitude:
    faithful enough at the scale of a département. Communes beyond the threshold are
    drawn larger and on top; communes with no resource at all are crosses.
    """
    placed = [p for p in points if not (math.isnan(p.latitude) or math.isnan(p.longitude))]
    legend_h = 24 * (len(_BANDS) + 1) + 8
    if not placed:
        out = _open(chart_id, width, legend_h, title, desc)
        out.append(f'<text x="8" y="20" font-size="13" {FONT}>Aucune commune à afficher</text></svg>')
        return "".join(out)
    lat0 = math.radians(sum(p.latitude for p in placed) / len(placed))
    xs = [p.longitude * math.cos(lat0) for p in placed]
    ys = [-p.latitude for p in placed]
    margin = 10
    min_x, min_y = min(xs), min(ys)
    span_x = (max(xs) - min_x) or 1e-6
    span_y = (max(ys) - min_y) or 1e-6
    scale = (width - 2 * margin) / span_x
    map_h = span_y * scale + 2 * margin
    if map_h > 1.6 * width:  # a tall département: fit the height instead
        scale = (1.6 * width - 2 * margin) / span_y
        map_h = 1.6 * width
    height = map_h + legend_h
    out = _open(chart_id, width, height, title, desc)
    marks = sorted(zip(placed, xs, ys, strict=True), key=lambda t: (_band(t[0].distance_km, threshold_km), t[0].nom))
    for p, x, y in marks:
        cx = margin + (x - min_x) * scale
        cy = margin + (y - min_y) * scale
        band = _band(p.distance_km, threshold_km)
        if p.distance_km is None:
            label = f"{p.nom} : aucune ressource de ce type"
        else:
            label = f"{p.nom} : {km_fr(p.distance_km)} km, {number_fr(p.population)} habitants"
        tip = f"<title>{_e(label)}</title>"
        if band == len(_BANDS):
            d = f"M{_num(cx - 4)} {_num(cy - 4)}L{_num(cx + 4)} {_num(cy + 4)}M{_num(cx - 4)} {_num(cy + 4)}" \
                f"L{_num(cx + 4)} {_num(cy - 4)}"
            out.append(f'<path d="{d}" stroke="#000" stroke-width="2">{tip}</path>')
        else:
            _upper, color, radius, _legend = _BANDS[band]
            stroke = ' stroke="#000" stroke-width="0.8"' if band >= 2 else ""
            out.append(f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{radius}" fill="{color}"{stroke}>{tip}</circle>')
    y = map_h + 8
    half, full, double = km_fr(threshold_km / 2), km_fr(threshold_km), km_fr(2 * threshold_km)
    limits = (f"jusqu'à {half} km", f"de {half} à {full} km", f"de {full} à {double} km", f"plus de {double} km")
    per_band = [0] * (len(_BANDS) + 1)
    for p in placed:
        per_band[_band(p.distance_km, threshold_km)] += 1
    for index, ((_upper, color, radius, legend), limit) in enumerate(zip(_BANDS, limits, strict=True)):
        counts = per_band[index]
        out.append(f'<circle cx="12" cy="{_num(y + 8)}" r="{radius}" fill="{color}" stroke="#000" stroke-width="0.8"/>')
        out.append(f'<text x="26" y="{_num(y + 13)}" font-size="13" {FONT}>{_e(limit)} ({_e(legend)}) : '
                   f'{counts} commune{"s" if counts > 1 else ""}</text>')
        y += 24
    none = per_band[-1]
    out.append(f'<path d="M8 {_num(y + 4)}L16 {_num(y + 12)}M8 {_num(y + 12)}L16 {_num(y + 4)}" stroke="#000" '
               f'stroke-width="2"/>')
    out.append(f'<text x="26" y="{_num(y + 13)}" font-size="13" {FONT}>aucune ressource de ce type dans le registre : '
               f'{none} commune{"s" if none > 1 else ""}</text>')
    out.append("</svg>")
    return "".join(out)
