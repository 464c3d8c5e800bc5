"""Prospection: the imported candidates nearest to the gaps of coverage, as a recruitment plan."""

from __future__ import annotations

import json
from datetime import date

import pytest

from import_support import RPPS_ZIP, empty_registry, import_rpps, run
from maillage.assemble.build import model_from
from maillage.core.gazetteer import Gazetteer
from maillage.steering.coverage import compute_coverage
from maillage.steering.prospection import Prospect, compute_prospection, plan_for
from maillage.validation import validate

TODAY = date(2026, 11, 22)


@pytest.fixture
def coverage(tmp_path):
    registry, _internal = empty_registry(tmp_path)
    model = model_from(validate(registry, TODAY), TODAY).view("interne")
    return compute_coverage(model)


def _at(code: str) -> tuple[float, float, str]:
    c = Gazetteer.load().commune(code)
    assert c is not None
    return (c.latitude, c.longitude, c.nom)


def test_greedy_plan_brings_the_most_inhabitants_first(coverage) -> None:
    gap = coverage.gap("profession", "orthophoniste")
    assert gap is not None and len(gap.communes_beyond) == len(coverage.communes)  # nobody yet: every commune
    prospects = [
        Prospect("a-granville", "profession", "orthophoniste", "A", (_at("50218"),)),
        Prospect("b-granville", "profession", "orthophoniste", "B", (_at("50218"),)),  # same place as A
        Prospect("c-cherbourg", "profession", "orthophoniste", "C", (_at("50129"),)),
        Prospect("d-pediatre", "profession", "pediatre", "D", (_at("50129"),)),  # another profession
    ]
    plan = plan_for(gap, prospects, limit=5)
    assert plan.prospects == 3 and not plan.nearest_only
    chosen = [s.prospect.id for s in plan.suggestions]
    assert chosen[0] == "c-cherbourg"  # Cherbourg's 20 km hold more inhabitants than Granville's
    assert set(chosen) == {"c-cherbourg", "a-granville"}  # B adds nobody once A is chosen
    first, second = plan.suggestions
    assert first.population > second.population > 0
    assert "Cherbourg-en-Cotentin" in first.communes and not set(first.communes) & set(second.communes)
    assert plan.population_left == gap.population_beyond - first.population - second.population


def test_nearest_candidates_when_none_is_within_the_threshold(coverage) -> None:
    gap = coverage.gap("profession", "orthophoniste")
    far = [Prospect("loin", "profession", "orthophoniste", "Loin", (_at("14118"),))]  # Caen
    from dataclasses import replace

    manche_south = replace(gap, communes_beyond=tuple(c for c in gap.communes_beyond if c.code_insee == "50484"))
    plan = plan_for(manche_south, far)
    assert plan.nearest_only and plan.suggestions[0].prospect.id == "loin"
    assert plan.suggestions[0].distance_km > 20


def test_report_interne_lists_whom_to_approach(tmp_path, capsys) -> None:
    registry, internal = empty_registry(tmp_path)
    assert import_rpps(registry, internal, RPPS_ZIP) == 0
    capsys.readouterr()
    assert run("report", "--registry", registry, "--audience", "interne", "--internal", internal) == 0
    text = capsys.readouterr().out
    assert "## Prospection : qui solliciter pour couvrir les zones sans offre" in text
    assert "| 1 | Paul Durand | durand-paul | Périers |" in text
    assert run("report", "--registry", registry, "--audience", "interne", "--internal", internal,
               "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    pediatre = next(p for p in data["prospection"] if p["code"] == "pediatre")
    assert pediatre["a_solliciter"][0]["id"] == "martin-jeanne"
    assert pediatre["a_solliciter"][0]["habitants_couverts"] > 0


def test_prospection_is_never_in_the_public_report(tmp_path, capsys) -> None:
    registry, internal = empty_registry(tmp_path)
    import_rpps(registry, internal, RPPS_ZIP)
    capsys.readouterr()
    # The public audience never reads the internal registry; --internal alone means the internal audience.
    assert run("report", "--registry", registry, "--audience", "public", "--internal", internal) == 2
    assert "ne lit jamais le registre interne" in capsys.readouterr().err
    assert run("report", "--registry", registry) == 0
    assert "Prospection" not in capsys.readouterr().out
    assert run("report", "--registry", registry, "--internal", internal) == 0
    assert "Prospection" in capsys.readouterr().out


def test_compute_prospection_skips_gaps_without_communes(coverage) -> None:
    plans = compute_prospection(coverage, [])
    assert all(p.gap.communes_beyond for p in plans)
    assert all(p.prospects == 0 and not p.suggestions for p in plans)


def test_prospects_from_an_internal_model_with_candidates(tmp_path) -> None:
    registry, internal = empty_registry(tmp_path)
    import_rpps(registry, internal, RPPS_ZIP)
    from maillage.steering.prospection import prospects_from_model

    # The internal registry merged into the model: candidates apart, never partners.
    model = model_from(validate(registry, TODAY, internal=internal), TODAY)
    assert not model.professionnels and not model.structures
    assert prospects_from_model(model.view("public")) == [] and model.view("public").candidates == ()
    prospects = {p.id: p for p in prospects_from_model(model.view("interne"))}
    prospect = prospects["lambert-anne"]
    assert (prospect.id, prospect.type, prospect.code, prospect.title) == (
        "lambert-anne", "profession", "orthophoniste", "Anne Lambert")
    assert prospect.points[0][2] == "Granville"


def test_gaps_without_candidates_are_named_on_one_line(tmp_path, capsys) -> None:
    registry, internal = empty_registry(tmp_path)
    assert import_rpps(registry, internal, RPPS_ZIP) == 0
    capsys.readouterr()
    assert run("report", "--registry", registry, "--internal", internal) == 0
    text = capsys.readouterr().out
    prospection = text[text.index("## Prospection"):]
    lines = [line for line in prospection.splitlines() if "Aucun candidat importé" in line]
    assert len(lines) == 1, lines
    assert "Ergothérapeute" in lines[0] and "maillage import" in lines[0]
    assert "### Ergothérapeute" not in prospection  # no block of its own
    assert "### Pédiatre" in prospection  # the gaps with candidates keep theirs


def test_internal_audience_without_the_internal_registry_names_the_command_option(tmp_path, capsys) -> None:
    registry, _internal = empty_registry(tmp_path)
    assert run("report", "--registry", registry, "--audience", "interne") == 2
    err = capsys.readouterr().err
    assert "indiquez le registre interne avec --internal DOSSIER" in err
    assert "MAILLAGE_INTERNAL" not in err and "greffon" not in err
