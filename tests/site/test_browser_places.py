"""One place resolver for « Près de la commune », /commune/ and the search box, on the sample site.

Communes of the département first, then the rest of France; accents, case and hyphens do
not count; « St »/« Ste »; a beginning of a name unique in the département; delegated
communes; postal codes (several communes: a choice); small typos; an accessible
autocomplete (ARIA combobox, keyboard).
"""

from __future__ import annotations

import pytest

from browser_support import BROWSER_MARKS, Tab

pytestmark = BROWSER_MARKS


def commune_page(tab: Tab, url: str):
    tab.page.goto(url)
    tab.page.wait_for_selector("#maillage-commune[data-etat='pret']")
    return tab.page


def lookup(page, text: str) -> str:
    """Type a commune in /commune/, press Entrée, return the sentence above the services."""
    page.evaluate("() => { document.getElementById('mc-compte').textContent = ''; }")
    page.fill("#mc-commune", text)
    page.press("#mc-commune", "Enter")
    page.wait_for_function("() => document.getElementById('mc-compte').textContent !== ''")
    return page.locator("#mc-compte").inner_text()


@pytest.mark.parametrize(("typed", "insee", "name"), [
    ("Cherbourg", "50129", "Cherbourg-en-Cotentin"),  # the département's largest town, now a commune nouvelle
    ("cherbourg octeville", "50129", "Cherbourg-Octeville (Cherbourg-en-Cotentin)"),  # its delegated commune
    ("St Lo", "50502", "Saint-Lô"),
    ("SAINT-LÔ", "50502", "Saint-Lô"),
    ("Villedieu", "50639", "Villedieu-les-Poêles-Rouffigny"),  # a beginning unique in the département
    ("villedieu les poeles", "50639", "Villedieu-les-Poêles (Villedieu-les-Poêles-Rouffigny)"),
    ("coutance", "50147", "Coutances"),  # typo
    ("Granvile", "50218", "Granville"),  # typo
    ("la haye", "50236", "La Haye"),
    ("Ste Mere Eglise", "50523", "Sainte-Mère-Église"),
    # Former communes the official list lacks, declared in registre.yaml (departement.anciennes_communes):
    ("Tourlaville", "50129", "Tourlaville (Cherbourg-en-Cotentin)"),  # not Tourgéville (14)
    ("querqueville", "50129", "Querqueville (Cherbourg-en-Cotentin)"),  # not Turqueville
    ("Equeurdreville", "50129", "Équeurdreville-Hainneville (Cherbourg-en-Cotentin)"),
    ("la glacerie", "50129", "La Glacerie (Cherbourg-en-Cotentin)"),
    ("Octeville", "50129", "Octeville (Cherbourg-en-Cotentin)"),  # the exact name before Octeville-l'Avenel
    ("Tessy-sur-Vire", "50592", "Tessy-sur-Vire (Tessy-Bocage)"),
])
def test_commune_lookup_understands_how_people_write(site_url, tab, typed, insee, name) -> None:
    page = commune_page(tab, f"{site_url}/commune/")
    text = lookup(page, typed)
    assert name in text and "introuvable" not in text, text
    page.wait_for_function("insee => location.search === '?commune=' + insee", arg=insee)


def test_a_postal_code_of_several_communes_offers_a_choice(site_url, tab) -> None:
    page = commune_page(tab, f"{site_url}/commune/")
    text = lookup(page, "50200")
    assert "Coutances" in text  # the main commune at once
    choice = page.locator("#mc-choix")
    assert choice.is_visible() and "Le code postal 50200 correspond à" in choice.inner_text()
    buttons = choice.locator("button")
    assert buttons.count() >= 5 and buttons.first.inner_text() == "Coutances (50200)"
    choice.locator("button", has_text="Gratot").click()
    page.wait_for_function("() => /Gratot/.test(document.getElementById('mc-compte').textContent)")
    assert page.input_value("#mc-commune") == "Gratot (50200)"
    assert "commune=50219" in page.url and not choice.is_visible()


def test_a_commune_outside_the_departement_is_found_and_said_so(site_url, tab) -> None:
    page = commune_page(tab, f"{site_url}/commune/")
    text = lookup(page, "Caen")
    assert text.startswith("Caen (14) n'est pas une commune du département")
    text = lookup(page, "Lyon")  # the rest of France, downloaded on demand
    assert text.startswith("Lyon (69) n'est pas une commune du département")
    assert "introuvable" in lookup(page, "Xyzzyville")


def test_autocomplete_is_an_aria_combobox_driven_by_the_keyboard(site_url, tab) -> None:
    page = commune_page(tab, f"{site_url}/commune/")
    box = page.locator("#mc-commune")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("vill", delay=30)
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true" and listbox.get_attribute("role") == "listbox"
    options = listbox.locator("[role='option']")
    assert options.count() >= 2
    names = options.locator(".ma-suggestion-nom").all_inner_texts()
    assert all(any(w.startswith("vill") for w in n.lower().replace("-", " ").split()) for n in names), names
    assert names[0] == "Villedieu-les-Poêles-Rouffigny"  # names that begin so first, the most populated first
    box.press("ArrowDown")
    box.press("ArrowDown")
    second = options.nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    chosen = second.locator(".ma-suggestion-nom").inner_text()
    box.press("Enter")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.input_value("#mc-commune").startswith(chosen)
    page.wait_for_function("name => document.getElementById('mc-compte').textContent.includes(name)", arg=chosen)
    # Échap closes the list without choosing.
    box.fill("")
    box.press_sequentially("gran", delay=30)
    listbox.wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and page.input_value("#mc-commune") == "gran"


def test_directory_place_field_uses_the_same_resolver(site_url, tab) -> None:
    page = tab.page
    page.goto(f"{site_url}/annuaire/")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    page.fill("#ma-lieu", "Cherbourg")
    page.press("#ma-lieu", "Enter")
    page.wait_for_function(
        "() => /de Cherbourg-en-Cotentin\\.$/.test(document.getElementById('ma-compte').textContent)")
    assert "pres=50129" in page.url
    assert page.locator("#ma-puces button", has_text="Près de Cherbourg-en-Cotentin").is_visible()
    page.fill("#ma-lieu", "50200")
    page.press("#ma-lieu", "Enter")
    page.wait_for_function("() => /de Coutances\\.$/.test(document.getElementById('ma-compte').textContent)")
    assert page.locator("#ma-lieu-choix button").count() >= 5  # the other communes of 50200
    page.fill("#ma-lieu", "Coutences")
    page.press("#ma-lieu", "Enter")
    page.wait_for_function("() => !document.getElementById('ma-lieu-choix').querySelector('button')")
    assert page.locator("#ma-lieu-etat").inner_text() == ""
    assert "pres=50147" in page.url
