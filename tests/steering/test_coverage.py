"""Coverage: nearest active resource per commune, gaps weighted by population, territory figures."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from maillage.core.gazetteer import Gazetteer, haversine_km
from maillage.core.model import Model
from maillage.steering.coverage import compute_coverage
from steering_support import build_model, professionnel, structure

COUTANCES, SAINT_LO, GRANVILLE, AVRANCHES = "50147", "50502", "50218", "50025"
# INSEE municipal population 2021, as packaged in the gazetteer.
POPULATION = {COUTANCES: 8353, SAINT_LO: 19373, GRANVILLE: 12581, AVRANCHES: 10240}


def _communes(*codes: str):  # type: ignore[no-untyped-def]
    gazetteer = Gazetteer.load()
    return [gazetteer.commune(code) for code in codes]


def _brute_force(model: Model, type_: str, code: str, lat: float, lon: float,
                 accepting: bool = False) -> tuple[float, str, int] | None:
    """Independent reference: every active place of the kind, smallest (distance, id, place)."""
    records = model.professionnels if type_ == "profession" else model.structures
    best = None
    for r in records:
        kind = r.profession if type_ == "profession" else r.categorie  # type: ignore[union-attr]
        if r.statut != "actif" or kind != code:
            continue
        if accepting and not (r.nouveaux_patients and r.nouveaux_patients.accepte == "oui"):  # type: ignore[union-attr]
            continue
        for lieu in r.lieux:
            candidate = (haversine_km(lat, lon, lieu.position.latitude, lieu.position.longitude), r.id, lieu.numero)
            if best is None or candidate < best:
                best = candidate
    return best


@pytest.fixture
def manche_sud(tmp_path: Path, today: str) -> Model:
    """Four real communes of the Manche, hand-placed resources (distances between centroids:
    Coutances–Saint-Lô 27.25 km, Coutances–Granville 31.02, Coutances–Avranches 42.82,
    Saint-Lô–Granville 56.63, Saint-Lô–Avranches 52.19, Granville–Avranches 37.84)."""
    return build_model(
        tmp_path / "registry",
        professionnels={
            "lefevre-claire": professionnel("orthophoniste", COUTANCES, nom="Lefèvre", prenom="Claire"),
            "durand-paul": professionnel("orthophoniste", SAINT_LO, nom="Durand", prenom="Paul", accepte="non"),
            "inactif-orthophoniste": professionnel("orthophoniste", AVRANCHES, nom="Inactif", statut="inactif"),
            # Two paediatricians at the same address: a tie everywhere, the smallest id wins.
            "martin-bruno": professionnel("pediatre", GRANVILLE, nom="Martin", prenom="Bruno"),
            "martin-alice": professionnel("pediatre", GRANVILLE, nom="Martin", prenom="Alice"),
        },
        structures={"cmp-saint-lo": structure("cmp", SAINT_LO, nom="CMP de Saint-Lô")},
    )


def test_hand_computed_population_beyond_thresholds(manche_sud: Model) -> None:
    cov = compute_coverage(manche_sud, _communes(COUTANCES, SAINT_LO, GRANVILLE, AVRANCHES))
    assert cov.population == sum(POPULATION.values()) == 50547

    ortho = cov.gap("profession", "orthophoniste")
    assert ortho is not None and ortho.kind.threshold_km == 20
    # Granville (31.02 km from Coutances) and Avranches (42.82 km; its orthophoniste is inactive).
    assert [c.code_insee for c in ortho.communes_beyond] == [AVRANCHES, GRANVILLE]
    assert ortho.population_beyond == 12581 + 10240 == 22821
    assert ortho.records == 2
    # Only Claire Lefèvre (Coutances) accepts new patients: Saint-Lô falls beyond too.
    assert ortho.records_accepting == 1
    assert ortho.population_beyond_accepting == 19373 + 12581 + 10240

    cmp = cov.gap("categorie", "cmp")
    assert cmp is not None and cmp.records == 1
    assert sorted(c.code_insee for c in cmp.communes_beyond) == [AVRANCHES, GRANVILLE]  # 52.19 and 56.63 > 30
    assert cmp.population_beyond == 22821
    assert cmp.records_accepting is None  # structures have no "new patients" notion


def test_kind_without_any_record_has_no_distance_and_everyone_beyond(manche_sud: Model) -> None:
    cov = compute_coverage(manche_sud, _communes(COUTANCES, SAINT_LO, GRANVILLE, AVRANCHES))
    psy = cov.gap("profession", "psychologue")
    assert psy is not None and psy.records == 0
    assert psy.population_beyond == 50547
    for commune in cov.communes:
        nearest = commune.nearest[("profession", "psychologue")]
        assert nearest.distance_km is None and nearest.record_id is None


def test_distances_ties_and_inactive_records(manche_sud: Model) -> None:
    cov = compute_coverage(manche_sud, _communes(COUTANCES, SAINT_LO, GRANVILLE, AVRANCHES))
    rows = {c.code_insee: c for c in cov.communes}
    avranches = rows[AVRANCHES].nearest[("profession", "orthophoniste")]
    assert avranches.record_id == "lefevre-claire"  # the inactive one in Avranches itself is ignored
    assert avranches.distance_km == pytest.approx(42.82, abs=0.01)
    assert avranches.commune == "Coutances"
    for commune in cov.communes:
        assert commune.nearest[("profession", "pediatre")].record_id == "martin-alice"
    assert rows[GRANVILLE].nearest[("profession", "pediatre")].distance_km == 0.0
    assert all(g.kind.threshold_km is not None for g in cov.gaps)


def test_kinds_without_threshold_get_distances_but_no_gap(tmp_path: Path, today: str) -> None:
    model = build_model(tmp_path / "r", professionnels={
        "orthoptiste-a": professionnel("orthoptiste", COUTANCES, nom="Orthoptiste")})
    cov = compute_coverage(model, _communes(COUTANCES, SAINT_LO))
    kind = cov.kind("profession", "orthoptiste")
    assert kind.threshold_km is None
    assert cov.gap("profession", "orthoptiste") is None
    assert cov.communes[0].nearest[kind.key].distance_km == 0.0


def test_matches_brute_force_on_the_whole_departement(tmp_path: Path, today: str) -> None:
    rng = random.Random(7)
    gazetteer = Gazetteer.load()
    manche = gazetteer.in_departement("50")
    professions = ["orthophoniste", "psychologue", "pediatre"]
    pros, structs, fixed = {}, {}, {}
    for i in range(60):
        commune = rng.choice(manche)
        address = f"{i + 1} rue des Tests"
        # Points anywhere around the département, some outside it; a few share coordinates (ties).
        fixed[address] = (commune.latitude, commune.longitude) if i % 5 == 0 else \
            (rng.uniform(48.4, 49.8), rng.uniform(-2.0, -0.6))
        statut = "inactif" if i % 7 == 3 else "actif"
        if i % 4 == 3:
            structs[f"structure-{i:02d}"] = structure("cmp" if i % 8 == 3 else "pmi", commune.code_insee,
                                                      nom=f"Structure {i}", adresse=address, statut=statut)
        else:
            accepte = ("oui", "non", "liste-attente")[i % 3]
            pros[f"pro-{i:02d}"] = professionnel(professions[i % 3], commune.code_insee, nom=f"Nom{chr(65 + i % 26)}",
                                                 adresse=address, statut=statut, accepte=accepte)
    # One professional with two places: either place counts.
    pros["deux-lieux"] = professionnel("orthophoniste", "50129", nom="Deux", adresse="Lieu A",
                                       extra_lieux=(("50025", "Lieu B"),))
    model = build_model(tmp_path / "r", pros, structs, fixed=fixed)
    cov = compute_coverage(model)
    assert len(cov.communes) == len(manche) > 400
    checked = 0
    for commune in cov.communes:
        for kind in cov.kinds:
            expected = _brute_force(model, kind.type, kind.code, commune.latitude, commune.longitude)
            got = commune.nearest[kind.key]
            if expected is None:
                assert got.distance_km is None
            else:
                assert (got.distance_km, got.record_id, got.lieu) == pytest.approx(expected)
                assert got.record_id == expected[1]
                checked += 1
            if kind.type == "profession":
                expected = _brute_force(model, kind.type, kind.code, commune.latitude, commune.longitude, True)
                got = commune.nearest_accepting[kind.code]
                assert (None if got.record_id is None else (got.distance_km, got.record_id, got.lieu)) == expected
    assert checked > 1000


def test_territory_figures(tmp_path: Path, today: str) -> None:
    model = build_model(tmp_path / "r", professionnels={
        "a-ortho": professionnel("orthophoniste", COUTANCES, nom="A", delai=4, role="professionnel-forfait"),
        "b-ortho": professionnel("orthophoniste", COUTANCES, nom="B", accepte="non", delai=10),
        "c-psy": professionnel("psychologue", COUTANCES, nom="C", delai=7, role="professionnel-forfait"),
        "d-gen": professionnel("medecin-generaliste", SAINT_LO, nom="D", role="medecin-referent",
                               extra_lieux=((COUTANCES, "3 rue Basse"),)),
        "e-inactif": professionnel("psychologue", COUTANCES, nom="E", statut="inactif", delai=50),
    }, structures={"cmp-c": structure("cmp", COUTANCES, delai=12), "pmi-c": structure("pmi", COUTANCES)})
    cov = compute_coverage(model, _communes(COUTANCES, SAINT_LO))
    territories = {t.id: t for t in cov.territories}
    coutancais = territories["coutancais"]
    assert coutancais.label == "Coutançais"
    assert coutancais.professionals == {"medecin-generaliste": 1, "orthophoniste": 2, "psychologue": 1}
    assert coutancais.structures == {"cmp": 1, "pmi": 1}
    assert coutancais.sante_protegee == {"medecin-referent": 1, "professionnel-forfait": 2}
    assert coutancais.accepting_new == 3  # a-ortho, c-psy, d-gen
    assert coutancais.waiting_professionals.median == 7 and coutancais.waiting_professionals.count == 3
    assert coutancais.waiting_professionals.mean == pytest.approx(7.0)
    assert coutancais.waiting_structures.median == 12
    assert territories["saint-lois"].professionals == {"medecin-generaliste": 1}
    assert territories["saint-lois"].waiting_professionals.median is None
    assert None not in territories  # every place is in a territory
