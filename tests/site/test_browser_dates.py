"""A site built on one day tells the truth on another: date wording recomputed from the visitor's clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from browser_support import BROWSER_MARKS, Tab, serve

pytestmark = BROWSER_MARKS  # the shared sample site was built with the business date 2026-11-22


@pytest.fixture(scope="module")
def base(sample_sites: dict[str, Path]) -> Iterator[str]:
    with serve(sample_sites["public"]) as url:
        yield url


def _open(browser: Any, url: str, day: str | None) -> Tab:
    tab = Tab(browser)
    if day is not None:
        tab.page.clock.set_fixed_time(datetime.fromisoformat(f"{day}T10:00:00"))
    tab.page.goto(url)
    return tab


def _due(tab: Tab) -> list[str]:
    return tab.page.eval_on_selector_all(
        "#echeances-liste > li", "items => items.filter(li => !li.hidden).map(li => li.innerText)")


def test_deadlines_follow_the_visitors_date(browser: Any, base: str) -> None:
    tab = _open(browser, f"{base}/conventions/", "2026-11-22")
    due = _due(tab)
    assert any("dans 8\u00a0jours" in item for item in due)  # a notice on 30 November
    assert not any("28 février 2027" in item for item in due)  # 98 days away: beyond the quarter
    tab.close()

    tab = _open(browser, f"{base}/conventions/", "2027-01-10")  # seven weeks after the build
    due = _due(tab)
    assert not any("30 novembre 2026" in item for item in due)  # past
    assert any("28 février 2027 (dans 49\u00a0jours)" in item for item in due)  # entered the quarter
    assert tab.errors == []
    tab.close()


def test_a_convention_past_its_end_no_longer_says_in_force(browser: Any, base: str) -> None:
    tab = _open(browser, f"{base}/conventions/sp-pediatre-coutances/", "2027-02-01")
    subtitle = tab.page.inner_text(".maillage-sous-titre")
    assert "Échue le 15 janvier 2027" in subtitle and "En vigueur" not in subtitle
    tab.close()
    tab = _open(browser, f"{base}/conventions/sp-pediatre-coutances/", "2026-11-22")
    subtitle = tab.page.inner_text(".maillage-sous-titre")
    assert "En vigueur" in subtitle and "Échue" not in subtitle
    tab.close()


def test_freshness_warning_appears_when_the_record_becomes_stale(browser: Any, base: str) -> None:
    url = f"{base}/professionnels/besnard-agnes/"  # verified on 9 January 2026
    tab = _open(browser, url, "2026-11-22")
    assert "datent de plus de 12 mois" not in tab.page.inner_text(".maillage-verification")
    tab.close()
    tab = _open(browser, url, "2027-02-01")
    assert "datent de plus de 12 mois" in tab.page.inner_text(".maillage-verification")
    tab.close()


def test_without_javascript_the_page_is_right_for_its_build_date(browser: Any, base: str) -> None:
    tab = Tab(browser, java_script_enabled=False)
    tab.page.goto(f"{base}/conventions/")
    due = tab.page.eval_on_selector_all("#echeances-liste > li:not([hidden])", "items => items.length")
    assert due > 0
    assert "dans 8\u00a0jours" in tab.page.inner_text("#echeances-liste")
    tab.close()
