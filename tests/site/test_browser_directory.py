"""The directory, the commune lookup and record maps, in real headless Chromium.

A static site is built from a fixture registry (11 records) and served on localhost;
every other request is blocked, so map tiles never load: everything must work without.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import AXE, BROWSER_MARKS, REPO, serve
from browser_support import Tab as _BaseTab
from directory_support import directory_model, make_directory_registry, write_static_site

pytestmark = BROWSER_MARKS

TOTAL = 11


def _real_site(base: Path) -> Path | None:
    """The site built by ``maillage build`` from the fixture registry, when that command exists."""
    try:
        from maillage.cli import build  # noqa: F401
    except ModuleNotFoundError:
        return None
    from maillage.cli.main import main

    registry = make_directory_registry(base / "registry-build")
    assert main(["build", "--registry", str(registry), "--site-dir", str(base / "built")]) == 0
    return base / "built"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    mp = pytest.MonkeyPatch()
    mp.setenv("MAILLAGE_TODAY", "2026-11-22")
    try:
        base = tmp_path_factory.mktemp("annuaire")
        site = _real_site(base) or write_static_site(directory_model(base / "registry").view("public"),
                                                     base / "site")
    finally:
        mp.undo()
    with serve(site) as url:
        yield url


class Page(_BaseTab):
    """A tab that accepts downloads (CSV) and opens the directory or the commune lookup."""

    def __init__(self, browser, **context_options) -> None:
        super().__init__(browser, accept_downloads=True, **context_options)

    def open(self, url: str) -> object:
        self.page.goto(url)
        self.page.wait_for_selector("#maillage-annuaire[data-etat='pret'], #maillage-commune[data-etat='pret']")
        return self.page


@pytest.fixture
def tab(browser) -> Iterator[Page]:
    page = Page(browser)
    yield page
    page.close()
    assert page.errors == []


def count_text(page) -> str:
    return page.locator("#ma-compte").inner_text()


def result_ids(page) -> list[str]:
    return page.locator("#ma-liste > li").evaluate_all("items => items.map(i => i.dataset.id)")


def wait_count(page, n: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('#ma-liste > li').length === n && document.getElementById('ma-compte')"
        ".textContent.length > 0", arg=n)


def type_query(page, text: str) -> None:
    """Type a question and wait until the list answers that very question (not an earlier one)."""
    before = page.locator("#maillage-annuaire").get_attribute("data-rendu")
    page.fill("#ma-q", text)
    page.wait_for_function(
        "([before, text]) => { const root = document.getElementById('maillage-annuaire');"
        " return root.dataset.rendu !== before && root.dataset.question === text; }", arg=[before, text])


def facet_box(page, facet: str, label: str):
    return page.locator(f"#ma-f-{facet} label", has_text=label).locator("xpath=preceding-sibling::input")


def facet_count(page, facet: str, label: str) -> int:
    text = page.locator(f"#ma-f-{facet} label", has_text=label).inner_text()
    return int(re.search(r"\((\d+)\)\s*$", text).group(1))


def test_loads_every_record_with_count_and_markers(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/")
    wait_count(page, TOTAL)
    assert count_text(page) == f"{TOTAL} résultats sur {TOTAL} fiches."
    page.wait_for_function(f"() => document.getElementById('ma-carte').dataset.fiches === '{TOTAL}'")
    assert page.locator("#ma-carte").get_attribute("data-marqueurs") == str(TOTAL)
    # Results are a list of links to the record pages.
    href = page.locator("#ma-liste li[data-id='lefevre-claire'] a.ma-nom").get_attribute("href")
    assert href == "../professionnels/lefevre-claire/"
    assert tab.blocked, "the map should have tried (and failed) to load external tiles"


def test_search_is_accent_and_case_insensitive(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/")
    # A commune in the question is a place, not a text filter: every speech therapist,
    # the one in Coutances first, then the others from the nearest.
    type_query(page, "orthophoniste coutances")
    assert result_ids(page) == ["lefevre-claire", "martin-paul", "leroy-marc"]
    assert count_text(page).startswith("3 résultats sur")
    assert count_text(page).endswith("de Coutances.")
    type_query(page, "Coutançes")
    ids = result_ids(page)
    assert set(ids[:3]) == {"lefevre-claire", "durand-sophie", "cmp-coutances"}
    assert page.locator("#ma-liste .ma-distance").all_inner_texts()[:4] == ["0,0\u00a0km"] * 3 + ["27\u00a0km"]
    type_query(page, "LEFEVRE")
    assert result_ids(page) == ["lefevre-claire"]
    type_query(page, "orthophonist")  # prefix
    assert set(result_ids(page)) == {"lefevre-claire", "martin-paul", "leroy-marc"}
    type_query(page, "psychomotricienn")  # typo tolerated
    assert result_ids(page) == ["bernard-luc"]
    # Markers follow the list.
    page.wait_for_function("() => document.getElementById('ma-carte').dataset.fiches === '1'")


def test_facets_narrow_with_counts(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/")
    assert facet_count(page, "type", "Professionnels") == 7
    assert facet_count(page, "type", "Structures") == 4
    assert facet_count(page, "profession", "Orthophoniste") == 3
    facet_box(page, "profession", "Orthophoniste").check()
    wait_count(page, 3)
    # Counts of the other facets follow the selection.
    assert facet_count(page, "nouveaux", "Oui") == 2
    assert facet_count(page, "commune", "Coutances") == 1
    assert facet_count(page, "tiers", "Oui") == 2
    # The facet's own counts ignore its selection (so one can widen it).
    assert facet_count(page, "profession", "Psychologue") == 1
    facet_box(page, "nouveaux", "Oui").check()
    wait_count(page, 2)
    assert set(result_ids(page)) == {"lefevre-claire", "leroy-marc"}
    facet_box(page, "specialite", "Bégaiement").check()
    wait_count(page, 1)
    assert result_ids(page) == ["leroy-marc"]
    assert "1 résultat" in count_text(page)


@pytest.mark.parametrize(("facet", "label", "expected"), [
    ("type", "Structures", {"cmp-coutances", "cmpp-saint-lo", "pmi-villedieu", "mda-manche"}),
    ("categorie", "(CMP)", {"cmp-coutances"}),
    ("territoire", "Coutan", {"lefevre-claire", "durand-sophie", "cmp-coutances"}),
    ("sante", "Médecin référent", {"petit-anne", "moreau-julie"}),
    ("sante", "forfait", {"durand-sophie", "bernard-luc"}),
    ("modalite", "visio", {"durand-sophie"}),
    ("secteur", "Secteur 2", {"petit-anne"}),
    ("tiers", "Non", {"martin-paul"}),
    ("langue", "Arabe", {"durand-sophie"}),
    ("pmr", "fauteuil", {"lefevre-claire", "bernard-luc"}),
    ("commune", "Saint-Lô", {"martin-paul", "cmpp-saint-lo", "mda-manche"}),
])
def test_each_facet_narrows(site_url, tab, facet, label, expected) -> None:
    page = tab.open(f"{site_url}/annuaire/")
    assert facet_count(page, facet, label) == len(expected)
    facet_box(page, facet, label).first.check()
    wait_count(page, len(expected))
    assert set(result_ids(page)) == expected
    assert page.url.count(f"{facet}=") == 1


def test_age_filter(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/")
    page.fill("#ma-age", "17")
    wait_count(page, 6)
    assert set(result_ids(page)) == {"martin-paul", "petit-anne", "moreau-julie", "cmp-coutances", "cmpp-saint-lo",
                                     "mda-manche"}
    page.fill("#ma-age", "1")
    wait_count(page, 7)
    assert "lefevre-claire" not in result_ids(page)
    assert "age=1" in page.url


def test_distance_sort_from_a_commune_and_radius(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/")
    page.fill("#ma-lieu", "Granville (50400)")
    page.wait_for_function("() => document.querySelector('#ma-liste > li').dataset.id === 'bernard-luc'")
    first = page.locator("#ma-liste > li").first
    assert first.locator(".ma-distance").inner_text() == "0,0\u00a0km"
    distances = page.locator("#ma-liste .ma-distance").all_inner_texts()
    values = [float(d.replace("\u00a0km", "").replace(",", ".")) for d in distances]
    assert len(values) == TOTAL and values == sorted(values)
    assert "Granville" in count_text(page)
    assert "pres=50218" in page.url
    page.select_option("#ma-rayon", "50")
    wait_count(page, 7)  # Granville, Coutances ×3 (31 km), Avranches (38 km), Villedieu ×2 (39 km)
    page.select_option("#ma-rayon", "30")
    wait_count(page, 1)
    assert result_ids(page)[0] == "bernard-luc"
    assert "rayon=30" in page.url
    page.select_option("#ma-rayon", "")
    wait_count(page, TOTAL)


def test_a_far_nearest_result_is_said(site_url, tab) -> None:
    """From Granville, the nearest speech therapist is in Coutances: the page says it is far."""
    page = tab.open(f"{site_url}/annuaire/?profession=orthophoniste&pres=50218")
    wait_count(page, 3)
    assert page.locator("#ma-note").inner_text() == ("Attention : aucun résultat à moins de 30\u00a0km ; le plus "
                                                     "proche est à 31\u00a0km.")
    page = tab.open(f"{site_url}/annuaire/?profession=orthophoniste&pres=50147")  # Coutances itself
    wait_count(page, 3)
    assert page.locator("#ma-note").inner_text() == ""


def test_the_near_field_wins_over_a_commune_in_the_question_and_says_so(site_url, tab) -> None:
    """« orthophoniste coutances » typed, then Granville chosen in « Près de la commune »: distances from
    Granville, and the question's commune is shown as not retained (nothing silently overridden)."""
    page = tab.open(f"{site_url}/annuaire/?q=orthophoniste+coutances&pres=50218")
    assert "de Granville" in count_text(page)
    chips = page.locator("#ma-compris-liste button").all_inner_texts()
    assert any("Près de Coutances" in c and "non retenu : la commune indiquée à côté l’emporte" in c
               for c in chips), chips


def test_geolocation_sorts_by_distance(browser, site_url) -> None:
    tab = Page(browser, geolocation={"latitude": 49.63, "longitude": -1.63}, permissions=["geolocation"])
    try:
        page = tab.open(f"{site_url}/annuaire/")
        page.click("#ma-geoloc")
        page.wait_for_function("() => document.querySelector('#ma-liste > li').dataset.id === 'leroy-marc'")
        assert "votre position" in count_text(page)
        assert "pres=" not in page.url  # a device position is never written in the URL
        assert tab.errors == []
    finally:
        tab.close()


def test_url_restores_state(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/?q=coutances&profession=orthophoniste,psychologue&age=5")
    wait_count(page, 4)  # the commune of the question sorts: those of Coutances first
    assert set(result_ids(page)[:2]) == {"lefevre-claire", "durand-sophie"}
    assert set(result_ids(page)[2:]) == {"martin-paul", "leroy-marc"}
    assert page.input_value("#ma-q") == "coutances"
    assert page.input_value("#ma-age") == "5"
    assert facet_box(page, "profession", "Orthophoniste").is_checked()
    assert facet_box(page, "profession", "Psychologue").is_checked()
    page = tab.open(f"{site_url}/annuaire/?pres=50025&rayon=10")
    wait_count(page, 1)
    assert result_ids(page) == ["petit-anne"]
    assert page.input_value("#ma-lieu") == "Avranches (50300)"
    assert page.input_value("#ma-rayon") == "10"


def test_map_markers_equal_results(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/?type=s")
    wait_count(page, 4)
    page.wait_for_function("() => document.getElementById('ma-carte').dataset.fiches === '4'")
    page.wait_for_function("() => document.querySelectorAll('#ma-carte .leaflet-marker-icon').length > 0")
    # Clusters or single markers: the numbers shown add up to the results.
    shown = page.evaluate("""() => [...document.querySelectorAll('#ma-carte .leaflet-marker-icon')]
        .reduce((n, m) => n + (m.classList.contains('marker-cluster') ? Number(m.textContent) : 1), 0)""")
    assert shown == 4
    # Hovering a result highlights it on the map.
    page.hover("#ma-liste li[data-id='pmi-villedieu'] .ma-nom")
    page.wait_for_selector("#ma-carte path.leaflet-interactive, #ma-carte svg path")


def test_marker_popup_has_name_and_link(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/?q=leroy")
    wait_count(page, 1)
    page.locator("#ma-carte .leaflet-marker-icon").first.click()
    link = page.locator("#ma-carte .leaflet-popup-content a")
    link.wait_for()
    assert link.inner_text() == "Marc Leroy"
    assert link.get_attribute("href") == "../professionnels/leroy-marc/"


def test_print_view(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/?profession=orthophoniste")
    wait_count(page, 3)
    page.emulate_media(media="print")
    assert not page.locator("#ma-carte").is_visible()
    assert not page.locator("#ma-q").is_visible()
    assert not page.locator("#ma-imprimer").is_visible()
    assert page.locator("#ma-compte").is_visible()
    # The chips are not printed: one line says what the list answers.
    criteria = page.locator("#ma-criteres")
    assert criteria.is_visible()
    assert criteria.inner_text().startswith("Critères : Profession : Orthophoniste. Liste établie le ")
    # The page's help under the directory is not printed.
    assert not page.locator("h2", has_text="Poser sa question").is_visible()
    address = page.locator("#ma-liste li[data-id='lefevre-claire'] .ma-adresse")
    assert address.is_visible() and address.inner_text() == "12 rue des Halles, 50200 Coutances"
    assert page.locator("#ma-liste li[data-id='lefevre-claire'] .ma-tel").inner_text() == "02 61 91 12 34"
    page.emulate_media(media="screen")
    assert page.locator("#ma-carte").is_visible()
    assert not page.locator("#ma-criteres").is_visible()
    # A filter whose value already names it is not named twice; a question is quoted as typed.
    page = tab.open(f"{site_url}/annuaire/?q=lef%C3%A8vre&nouveaux=oui")
    criteria = page.locator("#ma-criteres").inner_text()
    assert criteria.startswith("Critères : « lefevre » ; Nouveaux patients : Oui."), criteria


def test_print_button_calls_print(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.click("#ma-imprimer")
    assert page.evaluate("window.__printed") == 1


def test_csv_of_current_selection(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/?profession=orthophoniste&pres=50147")
    wait_count(page, 3)
    with page.expect_download() as info:
        page.click("#ma-csv")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    raw = Path(download.path()).read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nom", "Type", "Profession ou catégorie"]
    assert [r[0] for r in rows[1:]] == ["Claire Lefèvre", "Paul Martin", "Marc Leroy"]  # nearest first
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Adresse"] == "12 rue des Halles, 50200 Coutances"
    assert first["Téléphone"] == "02 61 91 12 34"
    assert first["Distance (km)"] == "0,0"
    assert first["Type"] == "Professionnel"
    assert first["Âges"] == "de 2 à 16\u00a0ans"  # words, not « 2-16 » that a spreadsheet reads as a date
    assert first["Fiche"].endswith("/professionnels/lefevre-claire/")


def test_commune_lookup(site_url, tab) -> None:
    page = tab.open(f"{site_url}/commune/")
    page.fill("#mc-commune", "Périers (50190)")
    page.wait_for_selector("#mc-liste li[data-id='cmp-coutances']")
    assert page.locator("#mc-liste > li").count() == 1
    assert "1 service sectorisé couvre Périers" in page.locator("#mc-compte").inner_text()
    # Cards, not a bulleted list indented by the theme.
    assert page.locator("#mc-liste > li").first.evaluate("e => getComputedStyle(e).marginLeft") == "0px"
    assert page.locator("#mc-liste").evaluate("e => getComputedStyle(e).listStyleType") == "none"
    item = page.locator("#mc-liste li[data-id='cmp-coutances']")
    assert "Accès direct" in item.inner_text()
    assert item.locator("a[href^='tel:']").inner_text() == "02 61 91 20 00"
    assert "commune=50394" in page.url
    # Restored from the URL; territory-based sectors are expanded.
    page = tab.open(f"{site_url}/commune/?commune=50502")
    page.wait_for_selector("#mc-liste li[data-id='cmpp-saint-lo']")
    assert page.input_value("#mc-commune") == "Saint-Lô (50000)"
    text = page.locator("#mc-liste li[data-id='cmpp-saint-lo']").inner_text()
    assert "Orientation nécessaire par un médecin ou la PMI." in text
    assert "Appeler le secrétariat" in text and "**" not in text
    assert page.locator("#mc-liste li[data-id='cmpp-saint-lo'] h2 a").get_attribute("href") == \
        "../structures/cmpp-saint-lo/"
    page = tab.open(f"{site_url}/commune/?commune=50639")
    page.wait_for_selector("#mc-liste li[data-id='pmi-villedieu']")
    # By postal code too.
    page.fill("#mc-commune", "50200")
    page.press("#mc-commune", "Enter")
    page.wait_for_selector("#mc-liste li[data-id='cmp-coutances']")


def test_record_page_map(site_url, tab) -> None:
    page = tab.page
    page.goto(f"{site_url}/professionnels/lefevre-claire/")
    page.wait_for_selector(".maillage-carte[data-pret='1']")
    assert page.locator(".maillage-carte").get_attribute("data-marqueurs") == "1"
    assert page.locator(".maillage-carte .leaflet-marker-icon").count() == 1


def test_no_record_text_is_parsed_as_html(site_url, tab) -> None:
    page = tab.open(f"{site_url}/annuaire/")
    wait_count(page, TOTAL)
    source = (REPO / "docs" / "assets" / "maillage").glob("*.js")
    for script in source:
        assert "innerHTML" not in script.read_text(encoding="utf-8"), script.name


def test_axe_finds_no_serious_violation(browser, site_url) -> None:
    # axe is injected as an inline script: only this test bypasses the page's CSP.
    tab = Page(browser, bypass_csp=True)
    try:
        _axe(tab, site_url)
    finally:
        tab.close()


def _axe(tab: Page, site_url: str) -> None:
    # Whole pages, theme included (header, footer, map controls): nothing serious or critical.
    for path in ("/annuaire/?q=coutances&profession=orthophoniste&age=7", "/commune/?commune=50147"):
        page = tab.open(site_url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .flatMap(v => v.nodes.map(n => ({id: v.id, impact: v.impact, target: n.target.join(' '),
                                                 html: n.html.slice(0, 120)})));
        }""")
        assert result == [], (path, result)

