"""Two dates, never confused: the business date ("today") and the file stamp (SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import gzip
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from conftest import REPO
from maillage.cli.main import main
from maillage.core import clock
from maillage.core.french import date_fr

WEEK_AGO = int(time.time()) - 7 * 86400


def test_an_explicit_date_wins_then_maillage_today_then_the_real_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(WEEK_AGO))
    monkeypatch.setenv("MAILLAGE_TODAY", "2026-11-22")
    assert clock.today(date(2027, 1, 5)) == date(2027, 1, 5)
    assert clock.today("2027-01-05") == date(2027, 1, 5)
    assert clock.today() == date(2026, 11, 22)
    monkeypatch.delenv("MAILLAGE_TODAY")
    before = date.today()
    assert clock.today() in {before, date.today()}  # the stamp of a week ago is never the business date
    assert clock.business_date(None) in {before, date.today()}


def test_a_wrong_date_is_a_french_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_TODAY", "22/11/2026")
    with pytest.raises(clock.ClockError, match="MAILLAGE_TODAY doit être une date AAAA-MM-JJ"):
        clock.today()
    with pytest.raises(clock.ClockError, match="AAAA-MM-JJ"):
        clock.business_date("demain")


def test_the_file_stamp_is_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795305600")
    assert clock.file_stamp() == 1795305600
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert abs(clock.file_stamp() - time.time()) < 3600


def test_build_rejects_a_malformed_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--date", "22/11/2026"])
    assert exit_.value.code == 2
    assert "--date doit être une date AAAA-MM-JJ" in capsys.readouterr().err


def test_a_registry_dated_today_builds_whatever_the_file_stamp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """``maillage synth`` then ``maillage build`` with a stamp a week old (the last commit): no « date in the
    future » error, « Registre au » is today, the compressed sitemap is dated by the stamp."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(WEEK_AGO))
    monkeypatch.delenv("MAILLAGE_TODAY", raising=False)
    registry, site = tmp_path / "registre", tmp_path / "site"
    before = date.today()
    assert main(["synth", "--records", "30", "--out", str(registry), "--seed", "2"]) == 0
    code = main(["build", "--registry", str(registry), "--site-dir", str(site), "--config", str(REPO / "mkdocs.yml")])
    assert code == 0, capsys.readouterr().out[-3000:]
    home = (site / "index.html").read_text(encoding="utf-8")
    shown = re.search(r"Registre au ([^.<]+)\.", home)
    assert shown is not None and shown.group(1) in {date_fr(before), date_fr(date.today())}
    stamped = datetime.fromtimestamp(int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little"), tz=UTC)
    assert stamped.date() == datetime.fromtimestamp(WEEK_AGO, tz=UTC).date()  # MkDocs keeps the day
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()


def test_build_pins_the_business_date_with_date(sample_sites: dict[str, Path]) -> None:
    """The shared sample sites are built with ``--date 2026-11-22``."""
    assert "Registre au 22 novembre 2026." in (sample_sites["public"] / "index.html").read_text(encoding="utf-8")
