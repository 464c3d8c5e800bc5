"""Temporary information (« fermé du 22 décembre au 2 janvier »): validated, shown while current, gone afterwards."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from browser_support import BROWSER_MARKS, Tab, serve
from conftest import PROFESSIONNEL, REPO, make_registry
from maillage.cli.main import main

ITEM = """\
temporaire:
  - du: {du}
    au: {au}
    message: Cabinet fermé pour congés ; en cas d'urgence, appeler le 15.
{extra}"""


def _with(du: str, au: str, extra: str = "") -> str:
    block = ITEM.format(du=du, au=au, extra=extra)
    return PROFESSIONNEL.replace("description: ", block + "description: ", 1)


def _validate(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]]]:
    registry = make_registry(tmp_path / "registry", professionnels={"lefevre-claire": text})
    capsys.readouterr()
    code = main(["validate", "--registry", str(registry), "--format", "json", "--date", "2026-11-22"])
    return code, json.loads(capsys.readouterr().out)["problems"]


def test_a_well_formed_temporary_information_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, problems = _validate(tmp_path, _with("2026-12-22", "2027-01-02", "    horaires: Mo-Fr 09:00-12:00\n"),
                               capsys)
    assert code == 0 and [p for p in problems if p["severity"] == "erreur"] == []


@pytest.mark.parametrize(("du", "au", "extra", "code", "message"), [
    ("2027-01-02", "2026-12-22", "", "temporary-order", "« du » doit précéder « au »"),
    ("2026-01-01", "2027-06-30", "", "temporary-too-long", "plus d'un an"),
    ("2026-12-22", "2027-01-02", "    horaires: tous les jours\n", "hours-invalid", "format OpenStreetMap"),
    ("2026-12-32", "2027-01-02", "", "schema-format", "AAAA-MM-JJ"),
])
def test_wrong_dates_or_hours_get_a_french_line_precise_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 du: str, au: str, extra: str, code: str,
                                                                 message: str) -> None:
    text = _with(du, au, extra)
    status, problems = _validate(tmp_path, text, capsys)
    assert status == 1
    found = [p for p in problems if p["code"] == code]
    assert found and message in found[0]["message"]
    line = found[0]["line"]
    expected = {"temporary-order": "au:", "temporary-too-long": "au:", "hours-invalid": "horaires:",
                "schema-format": "du:"}[code]
    assert expected in text.splitlines()[line - 1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("temporaire")
    registry = make_registry(base / "registry", professionnels={
        "lefevre-claire": _with("2026-12-22", "2027-01-02"),
        "martin-paul": (PROFESSIONNEL.replace("Lefèvre", "Martin").replace("Claire", "Paul")
                        .replace("10001234565", "10001234573").replace("12 rue des Halles", "3 rue Martin")),
    })
    out = base / "site"
    assert main(["build", "--registry", str(registry), "--site-dir", str(out), "--date", "2026-12-24",
                 "--config", str(REPO / "mkdocs.yml")]) == 0
    return out


def test_shown_on_the_record_page_and_in_exports_while_current(site: Path) -> None:
    page = (site / "professionnels" / "lefevre-claire" / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<div class="admonition warning maillage-temporaire"([^>]*)>(.*?)</div>', page, re.S)
    assert block is not None
    assert "hidden" not in block.group(1)  # the build date (24 December) is within the period
    # announced a month ahead on the record page, until its last day
    assert 'data-maillage-du="2026-11-22"' in block.group(1) and 'data-maillage-au="2027-01-02"' in block.group(1)
    assert "du 22 décembre 2026 au 2 janvier 2027" in block.group(2) and "Cabinet fermé pour congés" in block.group(2)
    assert "maillage-temporaire" not in (site / "professionnels" / "martin-paul" / "index.html").read_text()
    rows = list(csv.DictReader(io.StringIO((site / "donnees" / "professionnels.csv").read_text(encoding="utf-8"))))
    current = {r["id"]: r["information_temporaire"] for r in rows}
    assert current["lefevre-claire"].startswith("du 2026-12-22 au 2027-01-02 : Cabinet fermé")
    assert current["martin-paul"] == ""
    index = json.loads((site / "annuaire" / "index.json").read_text(encoding="utf-8"))
    entry = next(r for r in index["r"] if r["i"] == "lefevre-claire")
    message = "Cabinet fermé pour congés ; en cas d'urgence, appeler le 15."
    assert entry["tmp"] == [["2026-12-22", "2027-01-02", message]]


def test_an_ended_temporary_information_is_gone(tmp_path: Path) -> None:
    registry = make_registry(tmp_path / "registry",
                             professionnels={"lefevre-claire": _with("2026-10-01", "2026-10-15")})
    out = tmp_path / "site"
    assert main(["build", "--registry", str(registry), "--site-dir", str(out), "--date", "2026-11-22",
                 "--config", str(REPO / "mkdocs.yml")]) == 0
    assert "Cabinet fermé" not in (out / "professionnels" / "lefevre-claire" / "index.html").read_text()
    assert "Cabinet fermé" not in (out / "donnees" / "professionnels.csv").read_text(encoding="utf-8")
    assert "tmp" not in next(r for r in json.loads((out / "annuaire" / "index.json").read_text())["r"]
                             if r["i"] == "lefevre-claire")


@pytest.mark.parametrize("day, on_page, on_card", [
    ("2026-11-15", False, False),  # before the announcement
    ("2026-12-01", True, False),  # announced on the record page a month ahead; not yet on the card
    ("2026-12-23", True, True),  # during the closure
    ("2027-01-03", False, False),  # over: gone by itself
])
@BROWSER_MARKS[0]
@BROWSER_MARKS[1]
def test_the_browser_shows_it_only_around_its_period(browser: Any, sample_sites: dict[str, Path], day: str,
                                                     on_page: bool, on_card: bool) -> None:
    """The sample (built on 22 November) has a closure from 22 December to 2 January."""
    from datetime import datetime

    with serve(sample_sites["public"]) as base:
        for url, selector, shown in ((f"{base}/professionnels/lefevre-claire/", ".maillage-temporaire", on_page),
                                     (f"{base}/annuaire/?q=lef%C3%A8vre", ".ma-fiche", on_card)):
            tab = Tab(browser)
            tab.page.clock.set_fixed_time(datetime.fromisoformat(f"{day}T10:00:00"))
            tab.page.goto(url)
            tab.page.wait_for_selector(selector, state="attached")
            text = tab.page.inner_text("article")
            assert ("fermé pour les fêtes" in text) is shown, (url, day)
            tab.close()
