"""SVG charts: well-formed, accessible, escaped, labelled with text, projected sensibly."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from maillage.site.charts import MapPoint, bar_chart, gap_map, stacked_bar

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'Orthophonistes <script>alert("x")</script> & "co"'


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert not any(el.tag.endswith("script") or el.tag.endswith("foreignObject") for el in root.iter())
    assert not any(name.startswith("on") for el in root.iter() for name in el.attrib)
    return root


def _texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def test_bar_chart_labels_every_bar_and_escapes_text() -> None:
    svg = bar_chart([(HOSTILE, 12), ("Psychologues", 3)], chart_id="barres", title=f"Titre {HOSTILE}",
                    desc="Nombre par profession", value_text=lambda v: f"{v:g} fiches")
    assert "<script>" not in svg
    root = _parse(svg)
    assert root.find(f"{SVG}title").text == f"Titre {HOSTILE}"  # type: ignore[union-attr]
    texts = _texts(root)
    assert HOSTILE in texts and "Psychologues" in texts and "12 fiches" in texts and "3 fiches" in texts
    widths = [float(r.get("width", 0)) for r in root.iter(f"{SVG}rect")]
    assert widths[0] == 4 * widths[1]  # bars proportional to values


def test_stacked_bar_has_a_text_legend_with_shares_and_hatching() -> None:
    svg = stacked_bar([("CPAM", 30000), ("Département", 10000)], chart_id="part cpam!", title="Financeurs",
                      desc="Montants annuels")
    root = _parse(svg)
    texts = _texts(root)
    assert any(t.startswith("CPAM : 30\u202f000") and "(75\u00a0%)" in t for t in texts)
    assert any(t.startswith("Département : 10\u202f000") and "(25\u00a0%)" in t for t in texts)
    assert len(list(root.iter(f"{SVG}pattern"))) == 2
    assert root.get("aria-labelledby", "").startswith("part-cpam-titre")


def test_empty_charts_say_so() -> None:
    assert "Aucune donnée" in bar_chart([], chart_id="vide", title="t", desc="d")
    assert "Aucune donnée" in stacked_bar([], chart_id="vide2", title="t", desc="d")
    assert "Aucune commune" in gap_map([], chart_id="vide3", title="t", desc="d", threshold_km=20)


def test_gap_map_projects_communes_and_encodes_distance_beyond_colour() -> None:
    points = [
        MapPoint("Cherbourg-en-Cotentin", 49.62764, -1.63563, 77808, 5.0),  # north-west
        MapPoint("Saint-Lô", 49.11228, -1.08123, 19373, 15.0),  # east
        MapPoint("Avranches <b>", 48.67591, -1.34412, 10240, 45.0),  # south, beyond twice the threshold
        MapPoint("Granville", 48.87226, -1.7658, 12581, None),  # no resource at all
    ]
    svg = gap_map(points, chart_id="carte-orthophoniste", title="Orthophonistes", desc="Distance", threshold_km=20)
    root = _parse(svg)
    circles = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    by_name = {c.find(f"{SVG}title").text.split(" :")[0]: c for c in circles}  # type: ignore[union-attr]
    assert set(by_name) == {"Cherbourg-en-Cotentin", "Saint-Lô", "Avranches <b>"}
    x = {n: float(c.get("cx", 0)) for n, c in by_name.items()}
    y = {n: float(c.get("cy", 0)) for n, c in by_name.items()}
    assert x["Cherbourg-en-Cotentin"] < x["Avranches <b>"] < x["Saint-Lô"]  # west to east
    assert y["Cherbourg-en-Cotentin"] < y["Saint-Lô"] < y["Avranches <b>"]  # north to south
    # cos(latitude) correction: the east-west span is shrunk relative to the north-south one.
    lat0 = math.radians(sum(p.latitude for p in points) / 4)
    ratio = (x["Saint-Lô"] - x["Cherbourg-en-Cotentin"]) / (y["Avranches <b>"] - y["Cherbourg-en-Cotentin"])
    expected = (-1.08123 + 1.63563) * math.cos(lat0) / (49.62764 - 48.67591)
    assert math.isclose(ratio, expected, rel_tol=0.02)
    # Size grows with the distance band; the commune with no resource is a cross with its own title.
    radii = {n: float(c.get("r", 0)) for n, c in by_name.items()}
    assert radii["Cherbourg-en-Cotentin"] < radii["Saint-Lô"] < radii["Avranches <b>"]
    crosses = [p for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]
    assert crosses[0].find(f"{SVG}title").text == "Granville : aucune ressource de ce type"  # type: ignore[union-attr]
    legend = " ".join(_texts(root))
    assert "plus de 40 km" in legend and "aucune ressource de ce type dans le registre : 1 commune" in legend
    assert "45 km, 10\u202f240 habitants" in by_name["Avranches <b>"].find(f"{SVG}title").text  # type: ignore[union-attr,operator]
