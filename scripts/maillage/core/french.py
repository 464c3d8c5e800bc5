"""French wording of numbers, amounts, dates, durations, counts and lists: one set for every output.

The site, the steering report, the spreadsheet exports and iCalendar all format through
these functions, so the same figure reads the same everywhere:

* numbers: narrow no-break space between thousands, decimal comma (``1\u202f234,5``);
* money: ``euros(1234.5)`` → ``1\u202f234,50\u00a0€``; whole amounts without ``,00``;
* dates: ``1er mars 2026``; durations in days and weeks; ages;
* counts: ``plural(0, "fiche")`` → ``0 fiche`` (French: 0 and 1 take the singular);
* lists: ``a, b et c`` / ``a, b ou c``;
* line wrapping that never separates « guillemets » or a space before : ; ? ! from its word.
"""

from __future__ import annotations

import unicodedata
from datetime import date

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
NBSP, NNBSP = "\u00a0", "\u202f"


def number_fr(value: float, decimals: int = 0) -> str:
    """French number: narrow no-break space for thousands, comma for decimals."""
    return f"{value:,.{decimals}f}".replace(",", NNBSP).replace(".", ",")


def decimal_fr(value: float, decimals: int = 1) -> str:
    """A number with at most ``decimals`` decimals and no useless trailing ``,0``: ``12,3``, ``40``."""
    text = number_fr(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def km_fr(value: float) -> str:
    """Distance in km with one decimal, without a useless ``,0``: ``12,3``, ``40``."""
    return decimal_fr(value, 1)


def euros(amount: float) -> str:
    """``1\u202f234,50\u00a0€``; a whole amount has no decimals: ``145\u202f000\u00a0€``."""
    text = number_fr(round(amount, 2), 2)
    if text.endswith(",00"):
        text = text[:-3]
    return f"{text}{NBSP}€"


def percent(share: float | None) -> str:
    """A share (0–1) as a French percentage; ``—`` when unknown."""
    if share is None:
        return "—"
    if 0 < share < 0.01:
        return f"moins de 1{NBSP}%"
    return f"{number_fr(100 * share)}{NBSP}%"


def date_fr(day: date | None) -> str:
    """``1er mars 2026``; empty for no date."""
    if day is None:
        return ""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``0 fiche``, ``1 fiche``, ``2 fiches``, ``1\u202f234 fiches`` (French: 0 and 1 are singular)."""
    word = singular if abs(n) < 2 else (plural_form or singular + "s")
    return f"{number_fr(n)}{NBSP}{word}"


def weeks(value: float | None) -> str:
    """A waiting time in weeks: ``3 semaines``, ``1,5 semaine``, ``moins d'une semaine``; ``—`` when unknown."""
    if value is None:
        return "—"
    if value < 1:
        return "moins d'une semaine"
    return f"{decimal_fr(value)} semaine{'s' if value >= 2 else ''}"


def days_from(day: date, today: date) -> str:
    """Relative wording of a date: ``aujourd'hui``, ``demain``, ``dans 12 jours``, ``il y a 3 jours``."""
    delta = (day - today).days
    if delta == 0:
        return "aujourd'hui"
    if delta == 1:
        return "demain"
    if delta == -1:
        return "hier"
    if delta > 0:
        return f"dans {plural(delta, 'jour')}"
    return f"il y a {plural(-delta, 'jour')}"


def ages_fr(minimum: int, maximum: int) -> str:
    """``de 2 à 16 ans``, ``de la naissance à 6 ans``."""
    unit = f"{NBSP}an{'s' if maximum > 1 else ''}"
    if minimum == 0:
        return f"de la naissance à {maximum}{unit}"
    return f"de {minimum} à {maximum}{unit}"


def sort_key(text: str) -> tuple[str, str]:
    """Alphabetical order as a French reader expects it: accents and case count only to break ties
    (« Pédiatres » before « Psychologues », « Éric » among the E)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)), text


def join_fr(items: list[str], conjunction: str = "et") -> str:
    """``a``, ``a et b``, ``a, b et c`` (``conjunction="ou"`` for alternatives)."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


_GLUE_BEFORE = frozenset({"»", ":", ";", "?", "!"})


def wrap_french(text: str, width: int, separator: str | None = None) -> list[str]:
    """Lines of at most ``width`` characters when words allow.

    ``separator=None`` splits on any whitespace (comments); ``separator=" "`` keeps every
    other character as it is, so that joining the lines with single spaces gives ``text``
    back (YAML folded scalars).
    """
    tokens: list[str] = []
    for word in text.split(separator):
        if tokens and (word[:1] in _GLUE_BEFORE or tokens[-1].endswith("«")):
            tokens[-1] += " " + word
        else:
            tokens.append(word)
    lines: list[str] = []
    current = ""
    for token in tokens:
        if current and len(current) + 1 + len(token) > width:
            lines.append(current)
            current = token
        else:
            current = f"{current} {token}" if current else token
    return [*lines, current] if current else lines
