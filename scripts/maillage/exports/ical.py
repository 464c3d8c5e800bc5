"""``conventions.ics``: an iCalendar feed (RFC 5545) of convention end dates and notice deadlines.

Staff subscribe to it in their calendar. Events are all-day; UIDs are stable
(``<convention>-fin@…`` and ``<convention>-preavis@…``) so an update replaces the event
instead of duplicating it; DTSTAMP is derived from the convention's own dates, never from
the clock, so the same registry gives the same file.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from maillage.core.french import date_fr
from maillage.core.kinds import record_url
from maillage.core.labels import RECONDUCTION, ROLES_PARTIE, STATUTS_CONVENTION
from maillage.core.model import Convention, Model, Record

ALARM_DAYS = 14


def uid_domain(model: Model) -> str:
    return f"conventions.maillage-{model.meta.departement_code.lower()}"


def _stamp(c: Convention) -> datetime:
    known = [d for d in (c.signature, c.effet) if d] or [d for d in (c.fin,) if d]
    return datetime.combine(max(known), time(0, 0), tzinfo=UTC)


def _url(model: Model, c: Convention) -> str | None:
    return f"{model.meta.site_url.rstrip('/')}/{record_url(c)}" if model.meta.site_url else None


def _description(model: Model, c: Convention, by_id: dict[str, Record]) -> str:
    lines = [f"Convention : {c.intitule}", f"Statut : {STATUTS_CONVENTION.label(c.statut)}"]
    if c.fin:
        lines.append(f"Fin : {date_fr(c.fin)}")
    if c.reconduction:
        lines.append(f"Reconduction : {RECONDUCTION.label(c.reconduction)}")
    if c.date_preavis:
        lines.append(f"Préavis : {c.preavis_mois} mois, au plus tard le {date_fr(c.date_preavis)}")
    names = []
    for party in c.parties:
        target = by_id.get(party.ref or "")
        names.append(f"{target.titre if target else party.organisme or party.ref} "
                     f"({ROLES_PARTIE.label(party.role)})")
    lines.append("Parties : " + " ; ".join(names))
    if c.interne and c.interne.contact:
        lines.append(f"Contact interne : {c.interne.contact}")
    url = _url(model, c)
    if url:
        lines.append(url)
    return "\n".join(lines)


def _event(model: Model, c: Convention, what: str, day: date, summary: str, by_id: dict[str, Record]) -> Event:
    event = Event()
    event.add("uid", f"{c.id}-{what}@{uid_domain(model)}")
    event.add("dtstamp", _stamp(c))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", _description(model, c, by_id))
    event.add("categories", ["Conventions"])
    event.add("transp", "TRANSPARENT")
    url = _url(model, c)
    if url:
        event.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(days=-ALARM_DAYS))
    event.add_component(alarm)
    return event


def calendar(model: Model) -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//Maillage//Conventions {model.meta.departement_nom}//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Conventions — {model.meta.titre}")
    by_id = model.by_id()
    for c in model.conventions:
        if c.date_preavis:
            summary = (f"Préavis : dernier jour pour dénoncer la reconduction tacite de « {c.intitule} »"
                       if c.reconduction == "tacite"
                       else f"Préavis : dernier jour pour annoncer la fin ou le renouvellement de « {c.intitule} »")
            cal.add_component(_event(model, c, "preavis", c.date_preavis, summary, by_id))
        if c.fin:
            cal.add_component(_event(model, c, "fin", c.fin, f"Fin de la convention « {c.intitule} »", by_id))
    return cal


def render(model: Model) -> dict[str, bytes]:
    return {"conventions.ics": calendar(model).to_ical()}
