"""Staff questions typed in the directory's search box, on the sample site, in real Chromium.

Each question is typed as staff type it (DOMAIN.md, the issue's findings, the way people
write in a hurry: no accents, abbreviations, typos). For each one the test checks what a
person sees:

* the chips under the box: what the question was understood as (filters, « Près de … »);
* the results: the records the directory lists, computed here independently from the
  index the site ships (filters applied in Python), and, when the question names a place,
  ordered from the nearest (distances recomputed from the commune's centre).

The questions are answered from the URL (``/annuaire/?q=…``), like a link shared by e-mail
or the home page's search box; a few are typed key by key.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from browser_support import BROWSER_MARKS

pytestmark = BROWSER_MARKS

ALL_ROLES = {"medecin-referent", "professionnel-forfait", "coordination"}


def fold(text: str) -> str:
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@pytest.fixture(scope="module")
def index(site: Path) -> dict[str, Any]:
    return json.loads((site / "annuaire" / "index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def communes(site: Path) -> dict[str, list[Any]]:
    rows = json.loads((site / "annuaire" / "communes.json").read_text(encoding="utf-8"))
    return {r[0]: r for r in rows if len(r) == 5}


# --- the oracle: the answer computed from the index, without the page's code -------------

def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


Spec = dict[str, Any]


def matches(r: dict[str, Any], spec: Spec) -> bool:
    checks: dict[str, Callable[[Any], bool]] = {
        "profession": lambda v: r["k"] == "p" and r["c"] in v,
        "categorie": lambda v: r["k"] == "s" and r["c"] in v,
        "type": lambda v: r["k"] == v,
        "sante": lambda v: r.get("sp") in v,
        "nouveaux": lambda v: r.get("np") == v,
        "tiers": lambda v: r.get("tp") == (1 if v == "oui" else 0),
        "secteur": lambda v: r.get("se") == v,
        "langue": lambda v: v in r.get("la", []),
        "modalite": lambda v: v in r.get("m", []),
        "specialite": lambda v: v in r.get("s", []),
        "territoire": lambda v: v in r.get("t", []),
        "pmr": lambda v: r.get("w") == 1,
        "age": lambda v: "g" in r and r["g"][0] <= v <= r["g"][1],
        "ages": lambda v: "g" in r and r["g"][0] <= v[1] and v[0] <= r["g"][1],
        "nom": lambda v: any(w.startswith(v) for w in fold(r["n"] + " " + r.get("a", "")).replace("-", " ").split()),
        "texte": lambda v: v in fold(r.get("d", "")),
    }
    return all(checks[key](value) for key, value in spec.items() if key != "near")


def expected(index: dict[str, Any], spec: Spec) -> set[str]:
    return {r["i"] for r in index["r"] if matches(r, spec)}


def distance_to(index: dict[str, Any], commune: list[Any]) -> dict[str, float]:
    return {r["i"]: min(km(commune[3], commune[4], p[0], p[1]) for p in r["l"]) for r in index["r"]}


# --- the questions --------------------------------------------------------------------------

# (question as typed, chips shown under the box, what the answer must be)
QUESTIONS: list[tuple[str, list[str], Spec]] = [
    # The issue's findings.
    ("orthophoniste coutances", ["Orthophoniste", "Près de Coutances"],
     {"profession": {"orthophoniste"}, "near": "50147"}),
    ("psychologue santé protégée", ["Psychologue", "Santé protégée"],
     {"profession": {"psychologue"}, "sante": ALL_ROLES}),
    ("médecin référent", ["Médecin référent"], {"sante": {"medecin-referent"}}),
    # Two words of one filter, one inside the other: the narrower (not « either »).
    ("médecin référent santé protégée Saint-Lô", ["Médecin référent", "Santé protégée", "Près de Saint-Lô"],
     {"sante": {"medecin-referent"}, "near": "50502"}),
    # « les ados » is the child's age even after an article.
    ("qui suit les ados à Cherbourg", ["adolescent (12 à 17 ans)", "Près de Cherbourg-en-Cotentin"],
     {"ages": (12, 17), "near": "50129"}),
    ("santé protégée", ["Santé protégée"], {"sante": ALL_ROLES}),
    ("forfait", ["Soins au forfait"], {"sante": {"professionnel-forfait"}}),
    ("tiers payant", ["Tiers payant : oui"], {"tiers": "oui"}),
    ("anglais", ["Anglais"], {"langue": "en"}),
    ("fauteuil", ["Accessible en fauteuil roulant"], {"pmr": True}),
    ("CMP st lo", ["Centre médico-psychologique infanto-juvénile (CMP)", "Près de Saint-Lô"],
     {"categorie": {"cmp"}, "near": "50502"}),
    ("50200", ["Près de Coutances"], {"near": "50147"}),
    ("Cherbourg", ["Près de Cherbourg-en-Cotentin"], {"near": "50129"}),
    ("St Lo", ["Près de Saint-Lô"], {"near": "50502"}),
    ("Villedieu", ["Près de Villedieu-les-Poêles-Rouffigny"], {"near": "50639"}),
    ("coutance", ["Près de Coutances"], {"near": "50147"}),
    # DOMAIN.md, as staff would type them.
    ("Quel orthophoniste près de Coutances prend de nouveaux patients pour un enfant de 7 ans ?",
     ["Orthophoniste", "Près de Coutances", "Nouveaux patients : oui", "7 ans"],
     {"profession": {"orthophoniste"}, "nouveaux": "oui", "age": 7, "near": "50147"}),
    ("Quel CMP couvre Villedieu-les-Poêles ?",
     ["Centre médico-psychologique infanto-juvénile (CMP)",
      "Près de Villedieu-les-Poêles (Villedieu-les-Poêles-Rouffigny)"],
     {"categorie": {"cmp"}, "near": "50639"}),
    ("psychologues qui participent à Santé protégée", ["Psychologue", "Santé protégée"],
     {"profession": {"psychologue"}, "sante": ALL_ROLES}),
    ("psychologue sans frais pour la famille", ["Psychologue", "Soins au forfait"],
     {"profession": {"psychologue"}, "sante": {"professionnel-forfait"}}),
    # More of a working day.
    ("parle arabe", ["Arabe"], {"langue": "ar"}),
    ("PMR", ["Accessible en fauteuil roulant"], {"pmr": True}),
    ("kiné granville", ["Masseur-kinésithérapeute", "Près de Granville"],
     {"profession": {"masseur-kinesitherapeute"}, "near": "50218"}),
    ("psychomotricienne avranches", ["Psychomotricien", "Près d'Avranches"],
     {"profession": {"psychomotricien"}, "near": "50025"}),
    ("ergothérapeute secteur 1", ["Ergothérapeute", "Secteur 1"],
     {"profession": {"ergotherapeute"}, "secteur": "secteur-1"}),
    ("orthophoniste en visio", ["Orthophoniste", "En téléconsultation (visio)"],
     {"profession": {"orthophoniste"}, "modalite": "visio"}),
    ("médecin qui se déplace à domicile", ["Médecin généraliste", "À domicile ou en famille d'accueil"],
     {"profession": {"medecin-generaliste"}, "modalite": "domicile"}),
    ("CAMSP", ["Centre d'action médico-sociale précoce (CAMSP)"], {"categorie": {"camsp"}}),
    ("maison des ados", ["Maison des adolescents (MDA)"], {"categorie": {"maison-des-adolescents"}}),
    # « un ado », « un bébé » say the child's age (the records whose ages overlap), not a specialty.
    ("psychologue ado", ["Psychologue", "adolescent (12 à 17 ans)"], {"profession": {"psychologue"}, "ages": (12, 17)}),
    ("psychologue pour un ado de 15 ans saint-lô",
     ["Psychologue", "15 ans", "Près de Saint-Lô"],  # « ado » needs no chip of its own beside « 15 ans »
     {"profession": {"psychologue"}, "age": 15, "near": "50502"}),
    ("psychomot bébé", ["Psychomotricien", "bébé (0 à 2 ans)"], {"profession": {"psychomotricien"}, "ages": (0, 2)}),
    ("PMI Cherbourg", ["Centre de protection maternelle et infantile (PMI)", "Près de Cherbourg-en-Cotentin"],
     {"categorie": {"pmi"}, "near": "50129"}),
    ("dentiste qui accepte de nouveaux patients à Saint-Lô",
     ["Chirurgien-dentiste", "Nouveaux patients : oui", "Près de Saint-Lô"],
     {"profession": {"dentiste"}, "nouveaux": "oui", "near": "50502"}),
    ("médecin traitant 50100", ["Médecin généraliste", "Près de Cherbourg-en-Cotentin"],
     {"profession": {"medecin-generaliste"}, "near": "50129"}),
    ("autisme", ["Troubles du spectre de l'autisme (TSA)"], {"specialite": "tsa"}),
    ("troubles dys", ["Troubles spécifiques des apprentissages (troubles « dys »)"],
     {"specialite": "troubles-des-apprentissages"}),
    ("orthofoniste", ["Orthophoniste"], {"profession": {"orthophoniste"}}),
    # Spelt as it sounds: « ph »/« f », « th »/« t », « y »/« i », a doubled letter.
    ("ortofoniste st lo", ["Orthophoniste", "Près de Saint-Lô"], {"profession": {"orthophoniste"}, "near": "50502"}),
    ("psicologue", ["Psychologue"], {"profession": {"psychologue"}}),
    ("ergoterapeute", ["Ergothérapeute"], {"profession": {"ergotherapeute"}}),
    ("sage femme carentan", ["Sage-femme", "Près de Carentan (Carentan-les-Marais)"],
     {"profession": {"sage-femme"}, "near": "50099"}),
    ("Cherbourg-Octeville", ["Près de Cherbourg-Octeville (Cherbourg-en-Cotentin)"], {"near": "50129"}),
    ("psychologue tourlaville", ["Psychologue", "Près de Tourlaville (Cherbourg-en-Cotentin)"],
     {"profession": {"psychologue"}, "near": "50129"}),  # a former commune declared in registre.yaml
    ("psy anglais 12 ans", ["Psychologue", "Anglais", "12 ans"],
     {"profession": {"psychologue"}, "langue": "en", "age": 12}),
    ("infirmières puéricultrices", ["Infirmier puériculteur"], {"profession": {"infirmier-puericulteur"}}),
    ("pédopsy", ["Pédopsychiatre"], {"profession": {"pedopsychiatre"}}),
    ("structures nord cotentin", ["Structures", "Cherbourg et Nord-Cotentin"],
     {"type": "s", "territoire": "cotentin-nord"}),
    ("urgences pédiatriques st-lô", ["Urgences pédiatriques", "Près de Saint-Lô"],
     {"categorie": {"urgences-pediatriques"}, "near": "50502"}),
    # Names and descriptions: what is left of the question.
    ("charpentier", [], {"nom": "charpentier"}),
    ("psychologue charpentier", ["Psychologue"], {"profession": {"psychologue"}, "nom": "charpentier"}),
]


def covering_services(site: Path, insee: str) -> set[str]:
    """Ids of the sectorised services whose sector covers the commune ``insee`` (``commune/secteurs.json``)."""
    sectors = json.loads((site / "commune" / "secteurs.json").read_text(encoding="utf-8"))
    return {sectors["s"][x[0] if isinstance(x, list) else x]["i"] for x in sectors["c"].get(insee, [])}


def understood(page) -> list[str]:
    return [t.replace("×", "").strip() for t in page.locator("#ma-compris-liste button").all_inner_texts()]


def answer(page) -> list[str]:
    return page.evaluate("() => window.maillageAnnuaire.results()")


@pytest.mark.parametrize(("question", "chips", "spec"), QUESTIONS, ids=[q for q, _, _ in QUESTIONS])
def test_question(site, site_url, tab, index, communes, question, chips, spec) -> None:
    page = tab.page
    page.goto(f"{site_url}/annuaire/?q={quote(question)}")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    assert understood(page) == chips
    assert page.input_value("#ma-q") == question  # the question stays as typed
    ids = answer(page)
    want = expected(index, spec)
    assert set(ids) == want, (question, sorted(set(ids) ^ want))
    count = page.locator("#ma-compte").inner_text()
    assert count.startswith(f"{len(want)} résultat" if want else "Aucun résultat")
    if "near" in spec:
        commune = communes[spec["near"]]
        d = distance_to(index, commune)
        # A commune of the département: services whose sector covers it first, then the nearest first.
        page.wait_for_selector("#maillage-annuaire[data-secteurs='pret']")
        ids = answer(page)
        covering = covering_services(site, spec["near"])
        assert all((a not in covering, d[a]) <= (b not in covering, d[b] + 1e-6) for a, b in itertools.pairwise(ids)), \
            "covering services, then nearest first"
        assert re.search(r"du plus proche au plus éloigné (de |d'|du |des )", count)
        if ids:  # the first card shows its distance
            first = page.locator("#ma-liste > li").first.locator(".ma-distance").inner_text()
            assert first == f"{d[ids[0]]:.1f}\u00a0km".replace(".", ",") or d[ids[0]] >= 10


def test_at_least_thirty_questions() -> None:
    assert len(QUESTIONS) >= 30


def test_the_issue_cases_are_answered_as_staff_expect(site_url, tab, index) -> None:
    """« orthophoniste coutances » lists the nearest speech therapist taking new patients;
    « CMP st lo » puts the CMP of Saint-Lô first, not Carentan's (« st » was « rue du Stade »)."""
    page = tab.page
    page.goto(f"{site_url}/annuaire/?q=orthophoniste+coutances")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    by_id = {r["i"]: r for r in index["r"]}
    ids = answer(page)
    taking = [i for i in ids if by_id[i].get("np") == "oui"]
    assert taking and ids.index(taking[0]) < 5
    assert len(ids) == len([r for r in index["r"] if r["c"] == "orthophoniste"])
    page.goto(f"{site_url}/annuaire/?q=CMP+st+lo")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    first = by_id[answer(page)[0]]
    assert first["c"] == "cmp" and any(p[2] == "50502" for p in first["l"])


def test_typed_key_by_key_and_chips_remove_their_words(site_url, tab, index) -> None:
    page = tab.page
    page.goto(f"{site_url}/annuaire/")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    page.locator("#ma-q").press_sequentially("psychologue santé protégée anglais", delay=20)
    page.wait_for_function("() => document.querySelectorAll('#ma-compris-liste button').length === 3")
    wanted = expected(index, {"profession": {"psychologue"}, "sante": ALL_ROLES, "langue": "en"})
    page.wait_for_function("n => window.maillageAnnuaire.results().length === n", arg=len(wanted))
    # The filters panel shows what the question asked for, ticked.
    assert page.locator("#ma-f-profession input[value='psychologue']").is_checked()
    assert page.locator("#ma-f-langue input[value='en']").is_checked()
    # Removing a chip removes its words, and only them.
    page.locator("#ma-compris-liste button", has_text="Santé protégée").click()
    page.wait_for_function("() => document.querySelectorAll('#ma-compris-liste button').length === 2")
    assert page.input_value("#ma-q") == "psychologue anglais"
    assert "q=psychologue+anglais" in page.url
    assert set(answer(page)) == expected(index, {"profession": {"psychologue"}, "langue": "en"})
    # Unticking a value the question asked for removes its words too.
    page.locator("#ma-f-langue input[value='en']").uncheck()
    page.wait_for_function("() => document.getElementById('ma-q').value === 'psychologue'")
    assert set(answer(page)) == expected(index, {"profession": {"psychologue"}})


def test_words_nothing_matches_are_said_not_silently_dropped(site_url, tab, index) -> None:
    page = tab.page
    page.goto(f"{site_url}/annuaire/?q=orthophoniste+xylophone")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    assert set(answer(page)) == expected(index, {"profession": {"orthophoniste"}})
    assert "Aucune fiche ne contient « xylophone »" in page.locator("#ma-note").inner_text()
    # Alone, an unknown word finds nothing.
    page.goto(f"{site_url}/annuaire/?q=xylophone")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    assert answer(page) == []
    assert page.locator("#ma-compte").inner_text().startswith("Aucun résultat")


def test_two_letter_fragments_never_match_inside_words(site_url, tab, index) -> None:
    """« st » and « lo » find the word, never « rue du Stade », « Lotissement » or « Saint-Lois »."""
    by_id = {r["i"]: r for r in index["r"]}

    def words_of(r: dict[str, Any]) -> set[str]:
        text = " ".join([r["n"], r.get("a", ""), r.get("d", ""), *(p[7] for p in r["l"] if len(p) > 7)])
        return set("".join(c if c.isalnum() else " " for c in fold(text)).split())

    page = tab.page
    for fragment in ("st", "lo", "ru"):
        page.goto(f"{site_url}/annuaire/?q={fragment}")
        page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
        ids = answer(page)
        assert all(fragment in words_of(by_id[i]) for i in ids), (fragment, ids)
        assert len(ids) < 20, fragment


def test_vocabulary_words_name_one_term_each(site_url, tab) -> None:
    """Two terms said the same way would be silently left out of the search: none is."""
    page = tab.page
    page.goto(f"{site_url}/annuaire/")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    assert page.evaluate("() => window.maillageAnnuaire.ambiguous()") == []


def test_the_service_whose_sector_covers_the_commune_comes_first(site, site_url, tab, index) -> None:
    """« cmp qui couvre percy »: the CMP of Percy's sector first, said on its card, though another
    CMP (Avranches' antenna in Villedieu) is nearer; the others say they are out of sector."""
    covering = covering_services(site, "50393")
    by_id = {r["i"]: r for r in index["r"]}
    cmps = [i for i in covering if by_id.get(i, {}).get("c") == "cmp"]
    assert cmps  # the sample has a CMP for Percy
    page = tab.page
    page.goto(f"{site_url}/annuaire/?q={quote('cmp qui couvre percy')}")
    page.wait_for_selector("#maillage-annuaire[data-secteurs='pret']")
    ids = answer(page)
    assert ids[0] in cmps
    first = page.locator("#ma-liste > li").first
    assert first.locator(".ma-badge-secteur").inner_text() == "Son secteur couvre Percy (Percy-en-Normandie)"
    other = page.locator("#ma-liste > li[data-id='cmp-avranches']")
    assert other.locator(".ma-badge-hors-secteur").inner_text() == "Hors secteur pour Percy (Percy-en-Normandie)"
    # « qui couvre » is how staff ask, not words to look for in the records.
    assert understood(page) == ["Centre médico-psychologique infanto-juvénile (CMP)",
                                "Près de Percy (Percy-en-Normandie)"]
    assert page.locator("#ma-note").inner_text() == ""


def test_a_dead_end_offers_the_results_without_each_criterion(site_url, tab, index) -> None:
    """« psychologue qui parle espagnol » finds nobody: the page says how many there would be without
    each criterion, and one click drops it."""
    psychologists = expected(index, {"profession": {"psychologue"}})
    spanish = expected(index, {"langue": "es"})
    assert psychologists and spanish and not psychologists & spanish  # the sample's dead end
    page = tab.page
    page.goto(f"{site_url}/annuaire/?q={quote('psychologue qui parle espagnol')}")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    assert answer(page) == []
    offers = page.locator("#ma-sans button").all_inner_texts()
    assert f"sans « Profession : Psychologue » : {len(spanish)} résultat{'s' if len(spanish) > 1 else ''}" in offers
    assert (f"sans « Langues parlées : Espagnol » : {len(psychologists)} résultats") in offers, offers
    page.locator("#ma-sans button", has_text="Espagnol").click()
    page.wait_for_function("n => window.maillageAnnuaire.results().length === n", arg=len(psychologists))
    assert not page.locator("#ma-sans").is_visible()
    assert "espagnol" not in page.input_value("#ma-q")


def test_a_title_before_a_name_is_not_a_profession(site_url, tab, index) -> None:
    """« docteur Renard » is Dr Renard (a paediatrician), not « médecin généraliste » + a name like it."""
    page = tab.page
    for question, record in (("docteur Renard", "renard-cedric"), ("Dr Lefèvre", "lefevre-claire")):
        page.goto(f"{site_url}/annuaire/?q={quote(question)}")
        page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
        assert understood(page) == [], question
        assert answer(page)[0] == record, (question, answer(page)[:3])
    # Alone, « docteur » still means a doctor.
    page.goto(f"{site_url}/annuaire/?q=docteur")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    assert understood(page) == ["Médecin généraliste"]


def test_few_results_offer_the_results_without_each_criterion(site_url, tab, index) -> None:
    """A rare tag narrows to one or two records: the page says how many there are without it."""
    page = tab.page
    page.goto(f"{site_url}/annuaire/?q={quote('orthophoniste dyslexie')}")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    shown = answer(page)
    assert 0 < len(shown) < 3
    text = page.locator("#ma-sans").inner_text()
    assert text.startswith("Peu de fiches répondent à tous ces critères.")
    therapists = expected(index, {"profession": {"orthophoniste"}})
    assert f"» : {len(therapists)} résultats" in text


def test_sectorised_services_are_one_link_away(site_url, tab) -> None:
    page = tab.page
    page.goto(f"{site_url}/annuaire/?q=CMP+Villedieu")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
    link = page.locator("#ma-secteurs a")
    assert link.is_visible() and link.get_attribute("href") == "../commune/?commune=50639"
    link.click()
    page.wait_for_selector("#maillage-commune[data-etat='pret']")
    assert "Villedieu-les-Poêles-Rouffigny" in page.locator("#mc-compte").inner_text()


def test_filter_values_by_count_selected_first_zero_reachable(site_url, tab, index) -> None:
    page = tab.page
    page.goto(f"{site_url}/annuaire/")
    page.wait_for_selector("#maillage-annuaire[data-etat='pret']")

    def shown(facet: str) -> list[tuple[str, int]]:
        labels = page.locator(f"#ma-f-{facet} li:not([hidden]) label").all_inner_texts()
        return [(t.rsplit(" (", 1)[0], int(t.rsplit("(", 1)[1].rstrip(")"))) for t in labels]

    professions = shown("profession")
    counts = [n for _, n in professions]
    assert len(professions) == 8 and counts == sorted(counts, reverse=True)
    biggest = max((sum(1 for r in index["r"] if r["k"] == "p" and r["c"] == c), c)
                  for c in {r["c"] for r in index["r"] if r["k"] == "p"})
    assert counts[0] == biggest[0]  # « Médecin généraliste (23) » shows, not « Gynécologue (1) »
    # A selected value comes first, whatever its count.
    page.locator("#ma-f-profession button.ma-voir-tout").click()
    page.locator("#ma-f-profession label", has_text="Gynécologue").click()
    page.wait_for_function("() => /^1 résultat/.test(document.getElementById('ma-compte').textContent)")
    assert shown("profession")[0] == ("Gynécologue", 1)
    # Values of other facets that the selection leaves at 0 stay reachable.
    more = page.locator("#ma-f-type button.ma-voir-tout")
    assert more.inner_text() == "Afficher 1 autre"
    more.click()
    assert ("Structures", 0) in shown("type")
    page.locator("#ma-f-type label", has_text="Structures").click()
    page.wait_for_function("() => /^Aucun résultat/.test(document.getElementById('ma-compte').textContent)")
