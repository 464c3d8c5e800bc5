"""Whole pages of the site, in real headless Chromium: record page, conventions, home, the
directory on a phone and in print, and accessibility (axe) of whole pages.

The site is built by ``maillage build`` from a copy of the sample registry (``registry/``)
plus one record written here, so the record-page test knows its data, with
MAILLAGE_TODAY=2026-11-22. It is served on localhost; every other request is blocked
(map tiles never load: the pages must work without them).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest

from browser_support import AXE, BROWSER_MARKS, REPO, serve
from browser_support import Tab as _BaseTab

TODAY = "2026-11-22"

pytestmark = BROWSER_MARKS

RECORD_ID = "zz-essai-page-fiche"
RECORD = """\
nom: Essai-Fiche
prenom: Hélène
profession: orthophoniste
lieux:
  - nom: Cabinet du Port
    adresse: 4 quai du Port
    code_postal: "50400"
    commune: Granville
    code_insee: "50218"
    telephone: 02 61 91 00 11
    horaires: Mo-Fr 09:00-12:00,14:00-18:30; Sa 09:00-12:00
  - adresse: 9 rue de la Gare
    code_postal: "50200"
    commune: Coutances
    code_insee: "50147"
    telephone: 02 61 91 00 22
ages: {min: 3, max: 12}
modalites: [cabinet]
nouveaux_patients:
  accepte: oui
  date_information: 2026-10-01
statut: actif
verifie_le: 2026-10-01
source: Déclaration de la professionnelle
"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from maillage.cli.main import main

    base = tmp_path_factory.mktemp("pages")
    registry = base / "registry"
    shutil.copytree(REPO / "registry", registry)
    (registry / "professionnels" / f"{RECORD_ID}.yaml").write_text(RECORD, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("MAILLAGE_TODAY", TODAY)
    try:
        assert main(["build", "--registry", str(registry), "--site-dir", str(base / "site")]) == 0
    finally:
        mp.undo()
    with serve(base / "site") as url:
        yield url


class Tab(_BaseTab):
    """A tab that also knows how to open the directory and wait until it is ready."""

    def directory(self, url: str):
        self.page.goto(url)
        self.page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
        return self.page


@pytest.fixture
def tab(browser) -> Iterator[Tab]:
    t = Tab(browser)
    yield t
    t.context.close()
    assert t.errors == []


@pytest.fixture
def phone(browser) -> Iterator[Tab]:
    t = Tab(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield t
    t.context.close()
    assert t.errors == []


# --- record page ------------------------------------------------------------------------

def test_record_page(site_url, tab) -> None:
    page = tab.page
    page.goto(f"{site_url}/professionnels/{RECORD_ID}/")
    assert page.locator("h1").inner_text() == "Hélène Essai-Fiche"
    assert "Orthophoniste" in page.locator(".maillage-sous-titre").inner_text()
    hours = page.locator(".maillage-horaires").first.inner_text().splitlines()
    assert hours == ["Du lundi au vendredi : 9 h – 12 h et 14 h – 18 h 30", "Samedi : 9 h – 12 h"]
    tel = page.locator(".maillage-contacts a[href^='tel:']")
    assert tel.count() == 2
    assert tel.first.inner_text() == "02 61 91 00 11"
    assert re.sub(r"\D", "", tel.first.get_attribute("href")).endswith("261910011")
    # The small map: one marker per place, even without tiles.
    page.wait_for_selector(".maillage-carte[data-pret='1']")
    assert page.locator(".maillage-carte").get_attribute("data-marqueurs") == "2"
    assert page.locator(".maillage-carte .leaflet-marker-icon").count() >= 1
    # "Proposer une correction": a heading and links to the issue form and the file.
    assert page.locator("#proposer-une-correction").inner_text() == "Proposer une correction"
    links = page.locator(".maillage-correction a").evaluate_all("a => a.map(x => x.href)")
    assert any("/issues/new" in href and RECORD_ID in href for href in links), links
    assert any(href.startswith("https://") and href.endswith(f"/professionnels/{RECORD_ID}.yaml") for href in links)


# --- conventions --------------------------------------------------------------------------

def _column(page, index: int, attribute: str | None = None) -> list[str]:
    script = ("([i, attr]) => [...document.querySelectorAll('table[data-maillage-tableau] tbody tr')]"
              ".filter(r => !r.hidden).map(r => attr ? (r.cells[i].getAttribute(attr) || '')"
              " : r.cells[i].textContent.trim())")
    return page.evaluate(script, [index, attribute])


def test_conventions_table_sorts_filters_and_lists_deadlines(site_url, tab) -> None:
    page = tab.page
    page.goto(f"{site_url}/conventions/")
    table = page.locator("table[data-maillage-tableau]")
    rows = table.locator("tbody tr")
    total = rows.count()
    assert total > 5
    # Sort by end date with the keyboard: Tab reaches the header's button, Enter sorts.
    end = table.locator("th", has_text=re.compile(r"^Fin$"))
    end.locator("button").focus()
    page.keyboard.press("Enter")
    assert end.get_attribute("aria-sort") == "ascending"
    ends = _column(page, 6, "data-sort")
    dates = [d for d in ends if d]
    assert len(dates) > 1 and dates == sorted(dates)
    assert ends == dates + [""] * (len(ends) - len(dates))  # conventions without an end date last
    page.keyboard.press("Enter")
    assert end.get_attribute("aria-sort") == "descending"
    assert [d for d in _column(page, 6, "data-sort") if d] == sorted(dates, reverse=True)
    # Sort by title with a click.
    table.locator("th", has_text="Intitulé").locator("button").click()
    titles = _column(page, 0)
    assert titles[0].casefold() <= titles[-1].casefold()
    # Filter by status.
    statuses = _column(page, 2)
    status = "Expirée" if "Expirée" in statuses else statuses[0]
    page.fill(".maillage-filtre", status)
    shown = _column(page, 2)
    assert shown and set(shown) == {status}
    assert len(shown) == statuses.count(status) < total
    assert page.locator(".maillage-tableau-statut").inner_text().startswith(f"{len(shown)} ligne")
    page.fill(".maillage-filtre", "")
    assert rows.evaluate_all("rs => rs.filter(r => !r.hidden).length") == total
    # "À traiter ce trimestre": each highlighted row is in the list above the table.
    box = page.locator(".maillage-echeances")
    assert box.locator("h2").inner_text() == "À traiter ce trimestre"
    due = box.locator("li.maillage-echeance:not([hidden]) a").evaluate_all(
        "a => a.map(x => x.getAttribute('href'))")
    assert due, "the sample registry has conventions due within the quarter on 2026-11-22"
    highlighted = page.locator("tr.maillage-echeance-proche td:first-child a").evaluate_all(
        "a => a.map(x => x.getAttribute('href'))")
    assert sorted(highlighted) == sorted(set(due))


# --- home → directory -------------------------------------------------------------------

def test_home_search_opens_the_directory_with_the_query(site_url, tab) -> None:
    page = tab.page
    page.goto(f"{site_url}/")
    page.fill("#recherche-accueil", "orthophoniste")
    page.press("#recherche-accueil", "Enter")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    assert urlparse(page.url).path == "/annuaire/"
    assert parse_qs(urlparse(page.url).query)["q"] == ["orthophoniste"]
    assert page.input_value("#ma-q") == "orthophoniste"
    types = page.locator("#ma-liste .ma-type").all_inner_texts()
    assert types and types[0] == "Orthophoniste"


# --- the directory on a phone -----------------------------------------------------------

def test_phone_shows_results_in_the_first_screen(site_url, phone) -> None:
    page = phone.directory(f"{site_url}/annuaire/")
    assert not page.locator("#ma-filtres").evaluate("d => d.open")  # filters folded
    assert not page.locator("#ma-carte").is_visible()  # map folded behind a button
    page.fill("#ma-q", "orthophoniste")
    page.press("#ma-q", "Enter")
    page.wait_for_function("() => /^\\d+ résultats? sur/.test(document.getElementById('ma-compte').textContent)"
                           " && document.querySelector('#ma-liste .ma-type')")
    page.evaluate("window.scrollTo(0, 0)")
    # Measured in one go in the page (the list may be drawn again meanwhile: a locator's box would be gone).
    box = "s => { const r = document.querySelector(s).getBoundingClientRect(); return {y: r.y, height: r.height}; }"
    card = page.evaluate(box, "#ma-liste > li")
    assert card["y"] + 60 <= 900, card  # the name, type and commune of the first card show
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    tel = page.evaluate(box, "#ma-liste .ma-tel")
    assert tel["height"] >= 44  # big enough to tap
    # Filters: count in the summary, chips above the results, one tap removes one.
    page.locator("#ma-filtres summary").click()
    page.locator("#ma-f-nouveaux label", has_text="Oui").click()
    page.fill("#ma-age", "7")
    page.wait_for_function("() => document.querySelectorAll('#ma-puces button').length === 2")
    assert page.locator("#ma-filtres-n").inner_text() == "(1 actif)"
    assert "nouveaux=oui" in page.url and "age=7" in page.url
    page.locator("#ma-puces button", has_text="7 ans").click()
    page.wait_for_function("() => document.querySelectorAll('#ma-puces button').length === 1")
    assert page.input_value("#ma-age") == ""
    page.click("#ma-effacer")
    page.wait_for_function("() => document.getElementById('ma-puces').hidden")
    assert page.locator("#ma-filtres-n").inner_text() == ""
    assert "nouveaux=" not in page.url and "q=orthophoniste" in page.url
    # "Voir la carte" shows the map, with markers.
    page.click("#ma-voir-carte")
    assert page.locator("#ma-carte").is_visible()
    assert page.get_attribute("#ma-voir-carte", "aria-expanded") == "true"
    page.wait_for_function("() => document.querySelectorAll('#ma-carte .leaflet-marker-icon').length > 0")


def test_wide_screen_puts_filters_left_and_map_right(site_url, browser) -> None:
    t = Tab(browser, viewport={"width": 1440, "height": 900})
    try:
        page = t.directory(f"{site_url}/annuaire/?q=orthophoniste")
        assert page.locator("#ma-filtres").evaluate("d => d.open")
        filters = page.locator("#ma-filtres").bounding_box()
        listing = page.locator("#ma-liste").bounding_box()
        carte = page.locator("#ma-carte").bounding_box()
        assert filters["x"] + filters["width"] <= listing["x"] < carte["x"]
        assert abs(listing["y"] - carte["y"]) < 5  # side by side
        assert listing["y"] < 700  # results in the first screen
        assert page.locator("nav.md-nav--primary").evaluate("n => n.offsetParent === null")  # no left navigation
        assert t.errors == []
    finally:
        t.context.close()


# --- print ------------------------------------------------------------------------------

def test_directory_print_view(site_url, tab) -> None:
    page = tab.directory(f"{site_url}/annuaire/?q=orthophoniste&profession=orthophoniste&pres=50147")
    page.emulate_media(media="print")
    for hidden in ("#ma-form", "#ma-filtres", "#ma-puces", "#ma-carte", "#ma-imprimer", "#ma-csv", ".md-header"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("#ma-compte").is_visible()
    first = page.locator("#ma-liste > li").first
    assert first.locator(".ma-nom").is_visible()
    assert re.search(r"\d{5} ", first.locator(".ma-adresse").first.inner_text())
    assert re.fullmatch(r"0\d( \d\d){4}", first.locator(".ma-tel").first.inner_text())
    assert first.locator(".ma-distance").inner_text().endswith("km")


# --- accessibility ----------------------------------------------------------------------

AXE_RUN = """async () => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
    return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .flatMap(v => v.nodes.map(n => ({id: v.id, impact: v.impact, target: n.target.join(' '),
                                         html: n.html.slice(0, 120)})));
}"""


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["bureau", "telephone"])
def test_axe_whole_pages(site_url, browser, viewport) -> None:
    # axe is injected as an inline script: only this test bypasses the page's CSP.
    t = Tab(browser, bypass_csp=True, viewport={"width": viewport[0], "height": viewport[1]})
    try:
        found = {}
        for path in ("/", "/annuaire/?q=coutances&profession=orthophoniste&age=7", f"/professionnels/{RECORD_ID}/",
                     "/conventions/"):
            page = t.page
            page.goto(site_url + path)
            if path.startswith("/annuaire/"):
                page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
            else:
                page.wait_for_load_state("load")
            if path.startswith("/professionnels/"):
                page.wait_for_selector(".maillage-carte[data-pret='1']")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(AXE_RUN)
            if violations:
                found[path] = violations
        assert found == {}
        assert t.errors == []
    finally:
        t.context.close()


@pytest.mark.browser
def test_close_professions_are_not_confused(site_url, tab) -> None:  # type: ignore[no-untyped-def]
    """Typing « orthophoniste » lists speech therapists, not orthoptists; a typo is still forgiven."""
    page = tab.page
    page.goto(f"{site_url}/annuaire/?q=orthophoniste")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    texts = page.locator("#ma-liste > li").all_inner_texts()
    assert texts and all("Orthophoniste" in t for t in texts)
    page.goto(f"{site_url}/annuaire/?q=orthofoniste")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    assert page.locator("#ma-liste > li").count() == len(texts)


@pytest.mark.browser
def test_conventions_filter_by_status_dropdown(site_url, tab) -> None:  # type: ignore[no-untyped-def]
    page = tab.page
    page.goto(f"{site_url}/conventions/")
    select = page.get_by_label("Statut", exact=True)
    total = page.locator("table[data-maillage-tableau] tbody tr").count()
    select.select_option("Expirée")
    visible = page.locator("table[data-maillage-tableau] tbody tr:not([hidden])")
    statuses = visible.locator("td:nth-child(3)").all_inner_texts()
    assert statuses and set(statuses) == {"Expirée"} and len(statuses) < total
    page.get_by_label("Financeur", exact=True).select_option("Département")
    financers = visible.locator("td:nth-child(5)").all_inner_texts()
    assert all("Département" in f for f in financers)
    assert page.locator(".maillage-tableau-statut").inner_text().endswith(f"sur {total}")
    # the wide layout: no side navigation on this page
    assert not page.locator(".md-sidebar--primary").is_visible()
