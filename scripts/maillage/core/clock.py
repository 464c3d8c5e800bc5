"""Two dates, never confused: the business date and the file stamp.

* The **business date** ("today") is what statuses, deadlines, freshness, « Registre au … »
  and the future-date checks are computed against. It is the real date of the day unless
  a command pins it: an explicit date given to :func:`today` (``--date AAAA-MM-JJ`` on the
  command line, the plugin's ``today`` option in ``mkdocs.yml``), else ``MAILLAGE_TODAY``
  (AAAA-MM-JJ), else the system clock. ``SOURCE_DATE_EPOCH`` never changes it.
* The **file stamp** only dates files so that two builds give the same bytes: the
  ``<lastmod>`` of ``sitemap.xml`` and the internal date of ``sitemap.xml.gz``. It is
  ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention; ``maillage build`` sets it to
  the last commit's time when it is not set, see :mod:`maillage.cli.build`), else the clock.
  MkDocs reads it itself; :func:`file_stamp` gives the same value to Maillage's code.
"""

from __future__ import annotations

import os
import time
from datetime import date

ENV_TODAY = "MAILLAGE_TODAY"
ENV_STAMP = "SOURCE_DATE_EPOCH"


class ClockError(ValueError):
    pass


def parse_day(text: str, source: str = "la date") -> date:
    """``AAAA-MM-JJ`` as a date, or a French :class:`ClockError` naming where it came from."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ClockError(f"{source} doit être une date AAAA-MM-JJ, pas « {text} ».") from None


def business_date(pinned: date | str | None = None) -> date:
    """The business date from an explicit value only: ``pinned`` (a date or AAAA-MM-JJ), else the real date."""
    if isinstance(pinned, date):
        return pinned
    if pinned:
        return parse_day(pinned)
    return date.today()


def today(pinned: date | str | None = None) -> date:
    """The business date: ``pinned`` if given, else ``MAILLAGE_TODAY``, else the real date (never the stamp)."""
    if pinned is not None and pinned != "":
        return business_date(pinned)
    from_env = os.environ.get(ENV_TODAY)
    if from_env:
        return parse_day(from_env, ENV_TODAY)
    return date.today()


def file_stamp() -> int:
    """Seconds since the epoch that date the files of a build: ``SOURCE_DATE_EPOCH``, else now."""
    value = os.environ.get(ENV_STAMP)
    if value:
        try:
            return int(value)
        except ValueError:
            raise ClockError(f"{ENV_STAMP} doit être un nombre de secondes, pas « {value} ».") from None
    return int(time.time())
