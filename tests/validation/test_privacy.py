"""Tests of the child-data detector: what it must catch, and what it must let through."""

from __future__ import annotations

import pytest

from maillage.validation.privacy import FIRST_NAMES, ChildDataHit, find_child_data


def _kinds(text: str) -> list[str]:
    return [hit.kind for hit in find_child_data(text)]


@pytest.mark.parametrize(
    ("text", "kind", "flagged"),
    [
        ("Suivi de l'enfant Lucas depuis mars.", "enfant_nomme", "l'enfant Lucas"),
        ("le petit Jules est orienté vers le CMP", "enfant_nomme", "le petit Jules"),
        ("la jeune Emma D. a été reçue", "enfant_nomme", "la jeune Emma D."),
        ("Enfant : Lina", "enfant_nomme", "Enfant : Lina"),
        ("suivi de Noah (7 ans)", "enfant_nomme", "Noah (7 ans)"),
        ("mineur Tom placé en famille d'accueil", "enfant_nomme", "mineur Tom"),
        ("mon fils Lucas voit l'orthophoniste", "enfant_nomme", "mon fils Lucas"),
        ("un enfant prénommé Timéo", "enfant_nomme", "un enfant prénommé Timéo"),
        ("l'enfant Kenzy B. est accueilli", "enfant_nomme", "l'enfant Kenzy B."),
        ("pour Kenzy (6 ans)", "enfant_nomme", "Kenzy (6 ans)"),
        ("Emma D., 10 ans, est suivie", "enfant_nomme", "Emma D., 10 ans"),
        ("Prénom de l'enfant : Nahel", "enfant_nomme", "Prénom de l'enfant : Nahel"),
        ("l'enfant LUCAS", "enfant_nomme", "l'enfant LUCAS"),
        ("Lucas, né le 12/03/2015, est suivi", "naissance", "Lucas, né le 12/03/2015"),
        ("Emma née le 3 mars 2016", "naissance", "Emma née le 3 mars 2016"),
        (
            "Date de naissance : 12/03/2015, Inès",
            "naissance",
            "Date de naissance : 12/03/2015, Inès",
        ),
        ("DDN 12/03/2015 Léo", "naissance", "DDN 12/03/2015 Léo"),
        ("Kylian D. né le 1er janvier 2014", "naissance", "Kylian D. né le 1er janvier 2014"),
        ("Chloé, née en 2016, vit à Coutances", "naissance", "Chloé, née en 2016"),
        ("NIR 1 89 12 75 125 012 82", "nir", "1 89 12 75 125 012 82"),
    ],
)
def test_flagged(text: str, kind: str, flagged: str) -> None:
    hits = [h for h in find_child_data(text) if h.kind == kind]
    assert len(hits) == 1, find_child_data(text)
    hit = hits[0]
    assert text[hit.start : hit.end] == flagged
    assert not any(c.isdigit() for c in hit.excerpt)  # digits are masked
    assert hit.excerpt.replace("•", "0") == "".join("0" if c.isdigit() else c for c in flagged)


# Descriptions of services, professionals, places and dates that are not about a child.
FALSE_POSITIVE_CORPUS = [
    "Accueil des enfants de 0 à 6 ans",
    "Le CAMSP est né de la fusion de deux associations en 2010.",
    "Le centre, né le 1er janvier 2010 de la fusion de deux services, accueille les familles.",
    "Dr Martin reçoit les enfants le mardi",
    "Centre Jean Moulin",
    "Maison des adolescents Saint-Lô",
    "Maison d'enfants à caractère social Jeanne d'Arc",
    "Maison d'enfants Marie-Louise",
    "MJC Maison des jeunes Léo Lagrange",
    "Crèche Le Petit Prince",
    "Mineurs Non Accompagnés (MNA)",
    "Service de la Petite Enfance",
    "CAMSP (0-6 ans)",
    "Enfants : accueil le mercredi",
    "Enfants : Tous âges",
    "Association L'Enfant Bleu",
    "Consultations pour les enfants, les adolescents et leurs familles ; Dr Rose Martin.",
    "Le Dr Léa Dubois, orthophoniste, accueille les enfants à partir de 3 ans.",
    "Tél. 02 33 77 78 79 ; SIRET 130 025 265 00013 ; RPPS 10008937095 ; 50000 Saint-Lô",
    "FINESS 500000054, FINESS 2A0000014",
    "Ouvert depuis le 12/03/2015.",
    "Convention signée le 12/03/2024 par Marie Dupont, directrice.",
    "Délai d'attente : 3 mois. Enfants de 6 à 12 ans.",
    "Le jeune enfant et sa famille",
    "Accompagnement des jeunes Majeurs",
    "Groupe de parole pour les parents d'adolescents (12-18 ans)",
    "Centre médico-psychologique Jean-Baptiste Lamarck",
    "Pôle Enfant Adolescent, Dr Paul Durand",
    "Mme Claire Petit, psychologue, reçoit les enfants et leurs parents.",
    "Date de naissance de l'enfant à fournir lors de l'inscription",
    "Accueil des enfants nés après le 1er janvier 2018.",
    "Nos psychologues : Emma Durand (10 ans d'expérience)",
    "Rendez-vous au 1 rue Saint-Thomas, 50000 Saint-Lô, le lundi de 9 h à 12 h.",
    "Bilan psychomoteur pour les enfants de 4 à 12 ans, sur prescription.",
    "Le SESSAD Les Hirondelles accompagne 35 enfants et adolescents.",
    "Hôpital Louis Pasteur, service de pédiatrie, 46 rue du Val de Saire, 50100 Cherbourg",
    "Né en 2012, le réseau compte 40 professionnels.",
    "Prise en charge des mineurs confiés à l'ASE",
]


@pytest.mark.parametrize("text", FALSE_POSITIVE_CORPUS)
def test_not_flagged(text: str) -> None:
    assert find_child_data(text) == []


def test_whole_corpus_at_once() -> None:
    assert find_child_data("\n".join(FALSE_POSITIVE_CORPUS)) == []


def test_positions_and_order() -> None:
    text = "Orientation de l'enfant Lucas ; NIR 1891275125012 ; la petite Zoé."
    hits = find_child_data(text)
    assert [h.kind for h in hits] == ["enfant_nomme", "nir", "enfant_nomme"]
    assert [text[h.start : h.end] for h in hits] == [
        "l'enfant Lucas",
        "1891275125012",
        "la petite Zoé",
    ]
    assert hits == sorted(hits, key=lambda h: h.start)
    assert isinstance(hits[0], ChildDataHit)


def test_nir_with_wrong_key_is_not_reported() -> None:
    assert _kinds("1 89 12 75 125 012 83") == []


def test_first_names_list() -> None:
    assert 300 <= len(FIRST_NAMES) <= 1000
    assert {"lucas", "emma", "noah", "lina", "jules", "zoe", "timeo"} <= FIRST_NAMES
    assert all(name.isascii() and name.islower() for name in FIRST_NAMES)


def test_fast_trigger_search_finds_what_the_plain_scan_finds() -> None:
    """The keyword-anchored search is an optimisation: it must match exactly the plain scan."""
    import random

    from maillage.validation import privacy

    rng = random.Random(20261122)
    words = ("l' les un cet mon notre leur le la une ce cette ma sa ta son enfant enfants ado mineur mineure "
             "patient petit petite jeune fillette garçon bébé fils fille frère sœur Lucas Emma Jules , nommé "
             "prénommée Centre accueille des de 3 à 6 ans").split()
    texts = ["Suivi de   l'enfant   Lucas", "les  enfants Lucas et Emma", "Cette fillette prénommée Lina"]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))).replace("l' ", "l'")
              for _ in range(5000)]
    for text in texts:
        plain = [(m.start(), m.end()) for m in privacy._NAMED_CHILD.finditer(text)]
        fast = [(m.start(), m.end()) for m in privacy._named_child_triggers(text)]
        assert fast == plain, text
