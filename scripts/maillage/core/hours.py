"""Opening hours in plain French, from the OpenStreetMap ``opening_hours`` syntax.

Only the common forms are translated ("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
"Mo,We 08:30-12:00", "PH off", "24/7"); anything else is shown as written, which
is always better than a wrong translation.
"""

from __future__ import annotations

import re

DAYS = {"Mo": "lundi", "Tu": "mardi", "We": "mercredi", "Th": "jeudi", "Fr": "vendredi",
        "Sa": "samedi", "Su": "dimanche"}
ORDER = list(DAYS)

_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_RANGE = re.compile(rf"^({_TIME})-({_TIME})$")
_DAY_PART = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")


def _time(value: str) -> str:
    hours, minutes = value.split(":")
    h = int(hours)
    return f"{h} h" if minutes == "00" else f"{h} h {minutes}"


def _days(spec: str) -> str | None:
    parts = []
    for piece in spec.split(","):
        if piece == "PH":
            parts.append("jours fériés")
            continue
        match = _DAY_PART.match(piece)
        if not match:
            return None
        start, end = match.groups()
        if end is None:
            parts.append(DAYS[start])
        elif ORDER.index(end) == ORDER.index(start) + 1:
            parts.append(f"{DAYS[start]} et {DAYS[end]}")
        elif ORDER.index(end) > ORDER.index(start):
            parts.append(f"du {DAYS[start]} au {DAYS[end]}")
        else:
            return None
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " et " + parts[-1]


def _times(spec: str) -> str | None:
    if spec in ("off", "closed"):
        return "fermé"
    ranges = []
    for piece in spec.split(","):
        match = _RANGE.match(piece)
        if not match:
            return None
        ranges.append(f"{_time(match.group(1))} – {_time(match.group(2))}")
    if len(ranges) == 1:
        return ranges[0]
    return ", ".join(ranges[:-1]) + " et " + ranges[-1]


def _rule(rule: str) -> str | None:
    rule = rule.strip()
    if rule == "24/7":
        return "Tous les jours, 24 h sur 24"
    pieces = rule.split(None, 1)
    if len(pieces) != 2:
        return None
    days, times = _days(pieces[0]), _times(pieces[1].strip())
    if days is None or times is None:
        return None
    return f"{days[0].upper()}{days[1:]} : {times}"


def opening_hours_fr(text: str | None) -> list[str] | None:
    """One French sentence per rule, or ``None`` when the text is not a form we know."""
    if not text or not text.strip():
        return None
    lines = []
    for rule in text.split(";"):
        if not rule.strip():
            continue
        line = _rule(rule)
        if line is None:
            return None
        lines.append(line)
    return lines or None
