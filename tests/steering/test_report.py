"""``maillage report`` (Markdown and JSON), the steering page bodies and ``couverture.csv``."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import markdown
import pytest

from conftest import make_registry, split_registry
from maillage.cli.main import main
from maillage.core.gazetteer import Gazetteer
from maillage.core.model import Model
from maillage.exports.coverage_table import COUVERTURE
from maillage.exports.csv_tables import render_table
from maillage.site.steering import steering_page, territories_page, territory_map_files
from maillage.steering.coverage import compute_coverage
from steering_support import build_model, convention, financement, professionnel, structure

NAME = 'Centre "L\'Escale" & Cie'
HOSTILE = 'CMP <b onmouseover="x">Test</b> & "Cie"'

RECORDS = {
    "professionnels": {
        "lefevre-claire": professionnel("orthophoniste", "50147", nom="Lefèvre", prenom="Claire", delai=4),
        "durand-paul": professionnel("orthophoniste", "50502", nom="Durand", prenom="Paul", accepte="non",
                                     verifie_le="2025-01-15", role="professionnel-forfait"),
    },
    "structures": {"cmp-hostile": structure("cmp", "50502", nom=NAME, delai=8)},
    "conventions": {
        "bientot": convention(fin="2026-12-31", preavis=1, enfants=20,
                              financements=financement("cpam", "forfait", 240, "par-enfant")
                              + financement("departement", "subvention", 3000, "par-an")),
    },
}


@pytest.fixture
def registry(tmp_path: Path, today: str) -> Path:
    return make_registry(tmp_path / "registry", **RECORDS)


@pytest.fixture
def model(tmp_path: Path, today: str) -> Model:
    """The fixture model, with a hostile structure name the validator would refuse: pages escape anyway."""
    built = build_model(tmp_path / "model", **RECORDS)
    return replace(built, structures=tuple(replace(s, nom=HOSTILE) for s in built.structures))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["report", *args])
    return code, capsys.readouterr().out


def test_json_report_structure(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "--registry", str(registry), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"registre", "couverture", "conventions", "fraicheur"}
    assert data["registre"]["departement"] == {"code": "50", "nom": "Manche"}
    assert data["registre"]["date"] == "2026-11-22" and data["registre"]["audience"] == "public"
    assert data["registre"]["communes"] == len(Gazetteer.load().in_departement("50"))
    ortho = next(g for g in data["couverture"]["ecarts"] if g["code"] == "orthophoniste")
    assert ortho["seuil_km"] == 20 and ortho["fiches_actives"] == 2 and ortho["fiches_acceptant_nouveaux_patients"] == 1
    assert ortho["habitants_au_dela"] == sum(c["population"] for c in ortho["communes"])
    assert ortho["habitants_au_dela_nouveaux_patients"] >= ortho["habitants_au_dela"]
    assert all(c["distance_km"] is None or c["distance_km"] > 20 for c in ortho["communes"])
    assert {t["id"] for t in data["couverture"]["territoires"]} >= {"coutancais", "saint-lois"}
    conventions = data["conventions"]
    assert conventions["par_statut"] == {"active": 1}
    assert [d["echeance"] for d in conventions["echeances"]["30"]] == ["preavis"]  # 2026-11-30
    assert [d["echeance"] for d in conventions["echeances"]["90"]] == ["preavis", "fin"]
    amounts = {f["financeur"]: f["montant_annuel"] for f in conventions["montants_annuels"]["financeurs"]}
    assert amounts == {"cpam": 4800, "departement": 3000}
    assert conventions["montants_annuels"]["part_cpam"] == round(4800 / 7800, 4)
    freshness = data["fraicheur"]
    assert freshness["par_type"]["professionnel"] == {"recent": 1, "a-verifier": 0, "perime": 1}
    assert [r["id"] for r in freshness["non_verifiees"]["fiches"]] == ["durand-paul"]


def test_markdown_report_headings(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "--registry", str(registry))
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert headings == ["# Pilotage du réseau — Manche", "## Couverture du territoire", "## Offre par territoire",
                        "## Conventions", "### Par statut", "### Par type", "### Échéances",
                        "### Montants annuels par financeur", "## Fraîcheur des fiches",
                        "### Fiches non vérifiées depuis plus de 12 mois (1)"]
    assert "vol d'oiseau" in out
    assert re.search(r"habitants\*\* \(\d+\u00a0%\) vivent à plus de 20 km de la ressource « Orthophoniste »", out)
    assert "| Orthophoniste | 20 km | 2 |" in out


def test_invalid_registry_exits_1_with_the_validator_text(tmp_path: Path, today: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = make_registry(tmp_path / "r", professionnels={"casse": "nom: Sans profession\n"})
    code, out = _run(capsys, "--registry", str(root))
    assert code == 1
    assert "casse.yaml" in out and "erreur" in out


def test_usage_errors_exit_2(tmp_path: Path, today: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["report", "--format", "pdf"])
    assert exc.value.code == 2
    assert main(["report", "--registry", str(tmp_path / "absent")]) == 2


def _fragment_ok(html: str) -> ET.Element:
    assert "\n\n" not in html  # a blank line would end the HTML block in Markdown
    assert not any(line[:1] in (" ", "\t") for line in html.splitlines())  # indentation would become code
    assert "<script" not in html.lower()
    return ET.fromstring(html)  # well-formed (XHTML-compatible) markup


def test_territories_page(model: Model) -> None:
    html = territories_page(model)
    root = _fragment_ok(html)
    assert HOSTILE not in html and "CMP &lt;b onmouseover=&quot;x&quot;&gt;Test&lt;/b&gt; &amp; &quot;Cie&quot;" in html
    details = root.findall(".//details")
    cov = compute_coverage(model)
    assert len(details) == len(cov.gaps) and details[0].get("open") is not None
    # Each map is an SVG file beside the page, shown as an image (the page stays small).
    maps = territory_map_files(model, cov)
    for d in details:
        image = d.find(".//img")
        assert d.find("summary") is not None and image is not None and image.get("alt")
        svg = ET.fromstring(maps["territoires/" + image.get("src")])
        assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("width") == image.get("width")
    ortho = root.find(".//details[@id='carte-profession-orthophoniste']")
    assert ortho is not None
    beyond = cov.gap("profession", "orthophoniste").communes_beyond  # type: ignore[union-attr]
    assert len(ortho.findall(".//tbody/tr")) == len(beyond)
    assert "Saint-Hilaire-du-Harcouët et Mortainais" in html  # territory table
    assert 'href="../professionnels/lefevre-claire/"' in html


def test_steering_page(model: Model) -> None:
    html = steering_page(model)
    root = _fragment_ok(html)
    values = [e.text for e in root.iter("span") if e.get("class") == "pilotage-chiffre-valeur"]
    assert "62\u00a0%" in values  # CPAM share: 4,800 / (4,800 + 3,000)
    assert "1" in values  # conventions due within 90 days
    assert {h.text for h in root.iter("h2")} == {"Couverture du territoire", "Conventions", "Fraîcheur des fiches"}
    assert "4\u202f800\u00a0€" in html and 'href="../conventions/bientot/"' in html
    assert 'href="../territoires/"' in html
    assert HOSTILE not in html


def test_coverage_csv(model: Model) -> None:
    data = render_table(COUVERTURE, model)
    assert data == render_table(COUVERTURE, model)  # deterministic
    # same dialect as every open-data table: UTF-8 without BOM, RFC 4180 (CRLF)
    assert not data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    cov = compute_coverage(model)
    assert tuple(rows[0]) == tuple(c.name for c in COUVERTURE.columns)
    assert len(rows) == len(cov.communes) * len(cov.kinds)
    coutances = {(r["type"], r["code"]): r for r in rows if r["code_insee"] == "50147"}
    ortho = coutances[("profession", "orthophoniste")]
    assert ortho["commune"] == "Coutances" and ortho["population"] == "8353"
    assert (ortho["distance_km"], ortho["plus_proche_id"], ortho["au_dela_du_seuil"]) == ("0.00", "lefevre-claire",
                                                                                         "non")
    cmp = coutances[("categorie", "cmp")]
    assert cmp["distance_km"] == "27.25" and cmp["plus_proche_id"] == "cmp-hostile" and cmp["seuil_km"] == "30.0"
    assert cmp["distance_km_nouveaux_patients"] == ""
    psy = coutances[("profession", "psychologue")]
    assert (psy["distance_km"], psy["plus_proche_id"], psy["au_dela_du_seuil"]) == ("", "", "oui")


@pytest.mark.parametrize("page", [territories_page, steering_page])
def test_page_bodies_pass_through_markdown_untouched(model: Model, page) -> None:  # type: ignore[no-untyped-def]
    body = page(model)
    html = markdown.markdown(f"# Titre\n\nIntroduction.\n\n{body}\n\nTexte après.\n",
                             extensions=["md_in_html", "attr_list", "tables"])
    assert body in html and "<p>Texte après.</p>" in html


def test_internal_audience_counts_draft_conventions(tmp_path: Path, today: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = make_registry(tmp_path / "r", conventions={
        "en-projet": convention(statut="projet", effet=None, fin=None),
        "active": convention(fin="2027-06-30")})
    inner = split_registry(root)  # the convention under way lives in the internal registry
    assert (inner / "conventions" / "en-projet.yaml").is_file()
    _, public = _run(capsys, "--registry", str(root), "--format", "json")
    _, internal = _run(capsys, "--registry", str(root), "--format", "json", "--audience", "interne",
                       "--internal", str(inner))
    assert json.loads(public)["conventions"]["par_statut"] == {"active": 1}
    assert json.loads(internal)["conventions"]["par_statut"] == {"active": 1, "projet": 1}
    assert json.loads(internal)["registre"]["audience"] == "interne"


def test_deadlines_are_dated_in_french_and_explained(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "--registry", str(registry))
    assert code == 0
    section = out[out.index("### Échéances"):out.index("### Montants")]
    assert "| 31 décembre 2026 | Fin |" in section
    assert "| 30 novembre 2026 | Préavis |" in section
    assert not any(re.match(r"\| \d{4}-\d{2}-\d{2} \|", line) for line in section.splitlines())
    assert "« Préavis » : dernier jour pour prévenir" in section and "« Dénonciation » : dernier jour" in section
    stale = out[out.index("### Fiches non vérifiées"):]
    assert "15 janvier 2025" in stale and "2025-01-15" not in stale
