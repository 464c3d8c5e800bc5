"""The sample site on a phone (390 px wide) and what makes the directory quick, in real Chromium.

* no main page is wider than the screen: wide tables scroll in their own container, maps
  scale;
* in the directory, after a filter change the first result is in view; Back from a record
  returns to the same place in the list; only the first cards are in the page after load;
  the map library is downloaded when the map is shown;
* ``/territoires/`` stays small (its maps are images, downloaded when opened);
* the home page's figures open the directory filtered the same way, with the same count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import BROWSER_MARKS, Tab, serve

pytestmark = BROWSER_MARKS

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

# Everything wider than the screen, unless a scrolling container (narrower than the screen) holds it.
OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const held = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      const scrolls = ['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX);
      if (scrolls && a.getBoundingClientRect().right <= vw + 1) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1 || getComputedStyle(el).position === 'fixed' || held(el)) continue;
    wide.push(el.tagName.toLowerCase() + '.' + String(el.className).slice(0, 40) + ' → ' + Math.round(r.right) + ' px');
  }
  return {page: document.documentElement.scrollWidth, screen: vw, wide: wide.slice(0, 5)};
}"""


@pytest.fixture
def phone(browser) -> Iterator[Tab]:
    t = Tab(browser, **PHONE)
    yield t
    t.close()
    assert t.errors == []


def first_of(site: Path, folder: str) -> str:
    return sorted(p.name for p in (site / folder).iterdir() if (p / "index.html").is_file())[0]


def main_pages(site: Path) -> list[str]:
    return ["/", "/annuaire/", "/annuaire/?q=orthophoniste+coutances+nouveaux+patients", "/commune/?commune=50147",
            "/conventions/", f"/conventions/{first_of(site, 'conventions')}/", "/territoires/", "/pilotage/",
            "/donnees/", "/professionnels/", "/structures/", f"/professionnels/{first_of(site, 'professionnels')}/",
            f"/structures/{first_of(site, 'structures')}/", "/contribuer/", "/a-propos/", "/accessibilite/"]


def test_no_main_page_is_wider_than_a_phone(site, site_url, phone) -> None:
    page = phone.page
    found = {}
    for path in main_pages(site):
        page.goto(site_url + path)
        page.wait_for_load_state("load")
        if path.startswith("/annuaire/"):
            page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
        if path.startswith("/territoires/"):
            # Every map opened: each scales to the screen (the first one is loaded).
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            page.wait_for_function("() => { const i = document.querySelector('.pilotage-carte img');"
                                   " return i.complete && i.naturalWidth > 0; }")
            widths = page.evaluate("() => [...document.querySelectorAll('.pilotage-carte img')]"
                                   ".map(i => i.getBoundingClientRect().width)")
            assert widths and max(widths) <= 390
        result = page.evaluate(OVERFLOW)
        if result["page"] > 390 or result["wide"]:
            found[path] = result
    assert found == {}


def test_a_table_wider_than_the_phone_says_it_scrolls(site_url, phone, browser) -> None:
    page = phone.page
    page.goto(f"{site_url}/conventions/")
    box = page.locator(".maillage-tableau-conteneur[data-maillage-defile]").first
    box.wait_for()
    assert box.evaluate("b => b.previousElementSibling.textContent").endswith("pour voir toutes ses colonnes.")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    wide = Tab(browser, viewport={"width": 1440, "height": 900})
    try:
        wide.page.goto(f"{site_url}/conventions/")
        wide.page.wait_for_load_state("load")
        assert wide.page.locator(".maillage-defile-aide").count() == 0  # it fits: nothing to say
    finally:
        wide.close()


def test_after_a_filter_change_the_first_result_is_in_view(site_url, phone, browser) -> None:
    page = phone.page
    page.goto(f"{site_url}/annuaire/")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    page.locator("#ma-filtres summary").click()
    page.locator("#ma-f-profession label", has_text="Psychologue").click()
    page.wait_for_function("() => document.getElementById('ma-compte').textContent.startsWith('20 résultats')")
    box = page.locator("#ma-liste > li").first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844, box
    assert page.locator("#ma-filtres-n").inner_text() == "(1 actif)"  # the folded filters say so
    # A wide screen, list scrolled down: the filter column stays, the list comes back to its top.
    wide = Tab(browser, viewport={"width": 1440, "height": 900})
    try:
        page = wide.page
        page.goto(f"{site_url}/annuaire/")
        page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
        page.evaluate("() => window.scrollTo(0, 1500)")
        page.locator("#ma-f-nouveaux label", has_text="Oui").click()
        # as many results as the index has professionals taking new patients
        expected = page.evaluate("() => fetch('../annuaire/index.json').then(r => r.json())"
                                 ".then(d => d.r.filter(x => x.np === 'oui').length)")
        page.wait_for_function("n => document.getElementById('ma-compte').textContent.startsWith(n + ' résultats')",
                               arg=expected)
        box = page.locator("#ma-liste > li").first.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 900, box
        assert wide.errors == []
    finally:
        wide.close()


def test_back_from_a_record_returns_to_the_same_place_in_the_list(site_url, phone) -> None:
    page = phone.page
    page.goto(f"{site_url}/annuaire/?q=orthophoniste+psychologue")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    # Far down the list: more cards than the first page come in as it scrolls.
    target = page.locator("#ma-liste > li").nth(18)
    target.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('#ma-liste > li').length > 20")
    page.locator("#ma-liste > li").nth(30).scroll_into_view_if_needed()
    card = page.locator("#ma-liste > li").nth(30)
    record = card.get_attribute("data-id")
    before = card.bounding_box()["y"]
    card.locator("a.ma-nom").click()
    page.wait_for_url(re.compile(r"/(professionnels|structures)/"))
    page.go_back()
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    page.wait_for_timeout(100)
    back = page.locator(f"#ma-liste > li[data-id='{record}']")
    assert back.count() == 1
    after = back.bounding_box()["y"]
    assert abs(after - before) < 40, (before, after)


def test_directory_loads_light_and_the_map_library_on_demand(site_url, phone) -> None:
    page = phone.page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{site_url}/annuaire/")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.getElementsByTagName('*').length") <= 1500
    assert page.locator("#ma-liste > li").count() == 20  # a first page of the 183 results
    assert not [u for u in requested if "leaflet" in u]  # the map is folded: no map library
    assert not [u for u in requested if "communes-voisines" in u or "communes-france" in u]
    page.click("#ma-voir-carte")
    page.wait_for_function("() => document.getElementById('ma-carte').dataset.fiches === '183'")
    assert [u for u in requested if u.endswith("leaflet.js")]
    assert page.locator("#ma-carte .leaflet-marker-icon").count() > 0


def test_territoires_page_is_small_and_its_maps_load_when_opened(site, site_url, phone) -> None:
    html = (site / "territoires" / "index.html").read_bytes()
    assert len(html) < 300_000
    page = phone.page
    maps: list[str] = []
    page.on("request", lambda r: maps.append(r.url) if "/cartes/" in r.url else None)
    page.goto(f"{site_url}/territoires/")
    page.wait_for_load_state("load")
    assert page.evaluate("() => document.getElementsByTagName('*').length") < 6000
    opened = page.locator("details.pilotage-carte[open]")
    assert opened.count() == 1 and len(maps) == 1  # only the open map is downloaded
    closed = page.locator("details.pilotage-carte:not([open])").first
    closed.locator("summary").click()
    page.wait_for_function("() => [...document.querySelectorAll('.pilotage-carte[open] img')].every(i => i.complete)")
    assert len(maps) == 2
    image = closed.locator("img")
    assert image.get_attribute("alt").startswith("Distance à la ressource")


def test_home_figures_open_the_directory_with_the_same_count(site_url, browser) -> None:
    t = Tab(browser)
    try:
        page = t.page
        page.goto(f"{site_url}/")
        links = page.locator(".maillage-chiffres a[href*='annuaire/?']")
        figures = [(a.get_attribute("href"), a.locator("strong").inner_text()) for a in links.all()]
        assert len(figures) == 2  # Santé protégée, new patients
        for href, figure in figures:
            page.goto(f"{site_url}/{href}")
            page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
            assert page.locator("#ma-compte").inner_text().startswith(f"{figure} résultats sur"), href
            assert page.locator("#ma-puces button").count() >= 1  # the filter shows, removable
        assert t.errors == []
    finally:
        t.close()


def test_a_record_map_loads_leaflet_itself_when_the_page_does_not(site, phone, tmp_path) -> None:
    # A page of its own beside the shared site's assets (the shared site itself is never changed).
    (tmp_path / "assets").symlink_to(site / "assets", target_is_directory=True)
    folder = tmp_path / "essai-carte-seule"
    folder.mkdir()
    (folder / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Carte</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
        '<div style="height:1200px">Haut de page</div>'
        '<div class="maillage-carte" data-nom="Essai" data-points="[[49.0552,-1.44509,&quot;Cabinet&quot;]]"></div>'
        '<script src="../assets/maillage/carte-fiche.js" defer></script></body></html>', encoding="utf-8")
    page = phone.page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    with serve(tmp_path) as url:
        page.goto(f"{url}/essai-carte-seule/")
        page.wait_for_load_state("load")
        assert not [u for u in requested if "leaflet" in u]  # below the fold: not yet
        page.locator(".maillage-carte").scroll_into_view_if_needed()
        page.wait_for_selector(".maillage-carte[data-pret='1']")
        assert page.locator(".maillage-carte .leaflet-marker-icon").count() == 1


def test_a_record_page_shows_its_phone_number_on_the_first_screen(site, site_url, phone) -> None:
    """On a phone, the number to call is under the title, not below « En bref » and the description."""
    page = phone.page
    for folder in ("professionnels", "structures"):
        page.goto(f"{site_url}/{folder}/{first_of(site, folder)}/")
        call = page.locator(".maillage-appel a[href^='tel:']").first
        assert call.inner_text().startswith("Appeler le 02 61 91 ")
        assert call.bounding_box()["y"] + call.bounding_box()["height"] < 844
