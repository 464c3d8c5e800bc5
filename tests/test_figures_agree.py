"""The same figure is the same on every page that shows it (one definition of each status and amount)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from conftest import REPO, TODAY
from maillage.cli.main import main

NUMBER = r"([0-9][0-9\u202f\u00a0 ]*)"


def _text(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u202f", " ").replace("\u00a0", " ")


def _int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


@pytest.fixture(scope="module")
def report() -> dict[str, object]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["report", "--registry", str(REPO / "registry"), "--format", "json", "--date", TODAY])
    assert code == 0
    return json.loads(out.getvalue())


def test_conventions_in_force_agree(sample_sites: dict[str, Path], report: dict[str, object]) -> None:
    site = sample_sites["public"]
    home = re.search(NUMBER + r"\s+conventions? en vigueur", _text(site, "."))
    conventions = re.search(r"dont\s+" + NUMBER + r"\s+en vigueur", _text(site, "conventions"))
    steering = re.search(NUMBER + r"\s+conventions? en vigueur", _text(site, "pilotage"))
    assert home and conventions and steering
    by_status = report["conventions"]["par_statut"]  # type: ignore[index]
    in_force = by_status.get("active", 0)
    assert _int(home.group(1)) == _int(conventions.group(1)) == _int(steering.group(1)) == in_force > 0


def test_amounts_per_financer_agree(sample_sites: dict[str, Path], report: dict[str, object]) -> None:
    site = sample_sites["public"]
    conventions, steering = _text(site, "conventions"), _text(site, "pilotage")
    financers = report["conventions"]["montants_annuels"]["financeurs"]  # type: ignore[index]
    assert financers
    for financer in financers:
        amount = f"{financer['montant_annuel']:,.2f}".replace(",", " ").replace(".", ",").removesuffix(",00") + " €"
        assert amount in conventions, (financer["libelle"], amount)
        assert amount in steering, (financer["libelle"], amount)


def test_home_counts_are_those_of_the_pages_they_link_to(sample_sites: dict[str, Path]) -> None:
    site = sample_sites["public"]
    home = _text(site, ".")
    professionals = _int(re.search(NUMBER + r"\s+professionnels\s", home).group(1))  # type: ignore[union-attr]
    listed = _text(site, "professionnels")
    assert re.search(rf"\b{professionals}\s+professionnels inscrits", listed)
