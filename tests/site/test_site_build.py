"""The site as staff see it: built once per audience from a small fixture registry."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import (
    CONVENTION,
    PROFESSIONNEL,
    PROFESSIONNEL_INTERNE,
    REPO,
    STRUCTURE,
    TODAY,
    make_registry,
    split_registry,
)
from maillage.cli.main import main

SENTINEL = "SENTINELLE-INTERNE-SITE"

PRO_SITE = (PROFESSIONNEL + PROFESSIONNEL_INTERNE).replace("Préfère les courriels.", SENTINEL).replace(
    "description: Bilans et rééducation du langage.",
    "description: \"**Bilans** du langage. Plus d'informations sur [le site du cabinet](https://example.org/cabinet).\"",
).replace("horaires: Mo-Fr 09:00-12:00,14:00-18:30",
          "horaires: Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00").replace(
    "accepte: oui", "accepte: liste-attente").replace(
    "secteur: secteur-1", "secteur: secteur-1\n  optam: false").replace(
    "conventionnement:", "sante_protegee:\n  role: professionnel-forfait\nconventionnement:")

# Ends 70 days after TODAY: must be listed under "À traiter ce trimestre".
CONVENTION_ECHEANCE = """\
intitule: Bilans orthophoniques — Cabinet des Halles
objet: Bilans orthophoniques rapides pour les enfants confiés.
type: prestation
parties:
  - professionnel: lefevre-claire
    role: prestataire
services: [soins-psychologiques]
financements:
  - financeur: departement
    mode: subvention
    montant: 12000
    unite: par-an
dates:
  signature: 2024-01-15
  effet: 2024-02-01
  fin: 2027-01-31
reconduction:
  type: expresse
statut: active
"""

CONVENTION_PROJET = CONVENTION.replace("intitule: Soins psychologiques Santé protégée",
                                       "intitule: Projet confidentiel de convention").replace(
    "statut: active", "statut: projet")


def _build(tmp: Path, registry: Path, audience: str, internal: Path | None = None) -> Path:
    site = tmp / f"site-{audience}"
    both = ["--internal", str(internal)] if internal is not None else []
    code = main(["build", "--registry", str(registry), "--site-dir", str(site), "--audience", audience,
                 "--config", str(REPO / "mkdocs.yml"), *both])
    assert code == 0
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    saved = os.environ.get("MAILLAGE_TODAY")
    os.environ["MAILLAGE_TODAY"] = TODAY
    try:
        tmp = tmp_path_factory.mktemp("site")
        registry = make_registry(
            tmp / "registry",
            professionnels={"lefevre-claire": PRO_SITE},
            structures={"cmp-coutances": STRUCTURE},
            conventions={"sante-protegee-cmp-coutances": CONVENTION,
                         "bilans-orthophonie-halles": CONVENTION_ECHEANCE,
                         "projet-confidentiel": CONVENTION_PROJET},
        )
        internal = split_registry(registry)  # the internal section and the draft: in the internal registry
        yield {"public": _build(tmp, registry, "public"), "interne": _build(tmp, registry, "interne", internal),
               "registry": registry, "tmp": tmp}
    finally:
        if saved is None:
            os.environ.pop("MAILLAGE_TODAY", None)
        else:
            os.environ["MAILLAGE_TODAY"] = saved


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    """The page's own content, without the theme around it."""
    start, end = html.index("<article"), html.index("</article>")
    return html[start:end]


def test_professional_page_shows_what_staff_need(sites: dict[str, Path]) -> None:
    page = article(read(sites["public"], "professionnels/lefevre-claire"))
    assert "<h1>Claire Lefèvre</h1>" in page
    assert "Orthophoniste" in page
    assert "Du lundi au vendredi : 9 h – 12 h et 14 h – 18 h 30" in page
    assert "Samedi : 9 h – 12 h" in page
    assert '<a href="tel:+33261911234">02 61 91 12 34</a>' in page
    assert "Nouveaux patients sur liste d&#39;attente" in page
    assert "délai indicatif : 4 semaines (information du 1er octobre 2026)" in page
    assert "Soins au forfait Santé protégée" in page
    assert "de 2 à 16\u00a0ans" in page
    assert "Accessible en fauteuil roulant" in page
    assert "Informations vérifiées le 1er octobre 2026" in page
    # light Markdown is rendered, links get rel="nofollow noopener"
    assert "<strong>Bilans</strong>" in page
    assert '<a href="https://example.org/cabinet" rel="nofollow noopener">le site du cabinet</a>' in page
    # the map container carries the coordinates, the page reads fine without it
    assert re.search(r'<div class="maillage-carte" data-lat="49\.\d+" data-lon="-1\.\d+"', page)
    # the conventions it is party to
    assert 'href="../../conventions/bilans-orthophonie-halles/"' in page


def test_record_page_offers_corrections(sites: dict[str, Path]) -> None:
    page = article(read(sites["public"], "professionnels/lefevre-claire"))
    assert "Proposer une correction" in page
    # the title, and the form's required « Adresse de la fiche sur le site » (field « fiche »), filled in
    assert ('href="https://github.com/example/maillage/issues/new?template=correction.yml&amp;title='
            "Correction%20%3A%20Claire%20Lef%C3%A8vre%20%28lefevre-claire%29"
            "&amp;fiche=https%3A%2F%2Fmaillage.example.org%2Fprofessionnels%2Flefevre-claire%2F\"") in page
    assert 'href="https://github.com/example/maillage/edit/main/registry/professionnels/lefevre-claire.yaml"' in page


def test_structure_page_lists_covered_communes_and_access(sites: dict[str, Path]) -> None:
    page = article(read(sites["public"], "structures/cmp-coutances"))
    assert "Centre médico-psychologique infanto-juvénile de Coutances" in page
    assert "Communes couvertes" in page and "Coutances" in page
    assert "Accès direct, sans orientation préalable" in page
    assert "Gratuit pour la famille" in page
    assert 'href="../../conventions/sante-protegee-cmp-coutances/"' in page


def test_conventions_page_highlights_what_expires_this_quarter(sites: dict[str, Path]) -> None:
    page = article(read(sites["public"], "conventions"))
    urgent = page[page.index("À traiter ce trimestre"):page.index("Toutes les conventions")]
    assert "Bilans orthophoniques — Cabinet des Halles" in urgent
    assert "fin le 31 janvier 2027" in urgent
    assert "Soins psychologiques Santé protégée" not in urgent  # ends in December 2027
    table = page[page.index("Toutes les conventions"):]
    assert "<table" in table and "data-maillage-tableau" in table
    assert "Soins psychologiques Santé protégée" in table
    assert "CPAM de la Manche" in table
    # totals per financer
    assert "12\u00a0000\u00a0€" in page.replace("\u202f", "\u00a0")


def test_convention_page(sites: dict[str, Path]) -> None:
    page = article(read(sites["public"], "conventions/sante-protegee-cmp-coutances"))
    assert 'href="../../structures/cmp-coutances/"' in page
    assert "CPAM (Assurance maladie) — au forfait : 240\u00a0€ par enfant" in page
    assert "Prise d'effet" in page and "1er février 2025" in page
    assert "au plus tard le 30 septembre 2027" in page


def test_internal_content_only_in_the_internal_build(sites: dict[str, Path]) -> None:
    public_files = [p.read_text(encoding="utf-8", errors="replace") for p in sites["public"].rglob("*")
                    if p.is_file() and p.suffix in {".html", ".json", ".csv", ".geojson", ".ics"}]
    assert not any(SENTINEL in text for text in public_files)
    assert not any("Projet confidentiel" in text for text in public_files)
    assert "Réservé au Département" not in read(sites["public"], "professionnels/lefevre-claire")

    internal = article(read(sites["interne"], "professionnels/lefevre-claire"))
    block = internal[internal.index("maillage-interne"):]
    assert "Réservé au Département" in block and SENTINEL in block
    assert "Version interne" in read(sites["interne"], "")
    assert (sites["interne"] / "conventions" / "projet-confidentiel" / "index.html").is_file()


def test_record_pages_stay_out_of_the_navigation(sites: dict[str, Path]) -> None:
    home = read(sites["public"], "")
    assert 'href="professionnels/"' in home and 'href="conventions/"' in home
    assert "lefevre-claire" not in home and "cmp-coutances" not in home
    assert "lefevre-claire" in read(sites["public"], "professionnels")


def test_home_page(sites: dict[str, Path]) -> None:
    home = read(sites["public"], "")
    assert '<form class="maillage-recherche" action="annuaire/" method="get" role="search">' in home
    assert 'name="q"' in home
    assert "maillage-chiffres" in home and "<strong>1</strong> professionnel" in home
    assert "Exemple fictif" in home
    assert "<title>Accueil - Maillage — Manche (exemple fictif)</title>" in home
    privacy = read(sites["public"], "donnees-personnelles")
    assert 'href="mailto:dpo@example.org"' in privacy
    assert "maillage:" not in privacy


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize("audience", ["public", "interne"])
def test_no_inline_script_anywhere(sites: dict[str, Path], audience: str) -> None:
    pages = list(sites[audience].rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for match in INLINE_SCRIPT.finditer(html):
            assert 'type="application/json"' in match.group(1), f"{page}: {match.group(0)}"
        assert not EVENT_HANDLER.search(html), f"{page}: {EVENT_HANDLER.search(html).group(0)}"
        if page.relative_to(sites[audience]).as_posix() == "admin/index.html":
            # The web editor: a standalone page with its own policy (tests/test_cms.py), the only
            # one that allows 'unsafe-eval' (Decap CMS needs it).
            assert "script-src 'self' 'unsafe-eval'" in html, page
            continue
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
        assert policy is not None and "unsafe-eval" not in policy.group(1), page
        if page.name == "index.html" and "404" not in str(page):
            assert "Content-Security-Policy" in html and "script-src &#39;self&#39;" in html, page


def test_invalid_registry_stops_the_build_with_a_french_message(
        sites: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    broken = make_registry(sites["tmp"] / "broken", professionnels={
        "lefevre-claire": PROFESSIONNEL.replace('rpps: "10001234565"', 'rpps: "10001234567"')})
    target = sites["tmp"] / "site-existant"
    target.mkdir()
    (target / "index.html").write_text("ancien site", encoding="utf-8")
    os.environ["MAILLAGE_TODAY"] = TODAY
    code = main(["build", "--registry", str(broken), "--site-dir", str(target),
                 "--config", str(REPO / "mkdocs.yml")])
    out = capsys.readouterr()
    assert code == 1
    assert "lefevre-claire.yaml:5" in out.out and "RPPS" in out.out and "erreur" in out.out
    assert "Le site n'a pas été construit" in out.err
    assert (target / "index.html").read_text(encoding="utf-8") == "ancien site"


def test_mkdocs_alone_reports_registry_errors_in_french(
        sites: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    broken = make_registry(sites["tmp"] / "broken-mkdocs", professionnels={
        "lefevre-claire": PROFESSIONNEL.replace('code_postal: "50200"', 'code_postal: "5020"')})
    saved = os.environ.get("MAILLAGE_REGISTRY")
    os.environ["MAILLAGE_REGISTRY"] = str(broken)
    try:
        config = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(sites["tmp"] / "mk"))
        with pytest.raises(Abort):
            build(config)
    finally:
        if saved is None:
            os.environ.pop("MAILLAGE_REGISTRY", None)
        else:
            os.environ["MAILLAGE_REGISTRY"] = saved
    message = caplog.text
    assert "Le registre contient des erreurs" in message
    assert "lefevre-claire.yaml" in message

