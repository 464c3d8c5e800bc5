"""``/nouveautes/atom.xml``: an Atom feed (RFC 4287) of the record changes shown on ``/nouveautes/``.

Entries are the latest changes of the records the audience sees (a withdrawn record has
none), each with a stable id (record and commit), its date, a French title (« Claire
Lefèvre : Mise à jour : numéro de téléphone (lieu 1) ») and a link to the record page. The
feed's own ``updated`` is the newest entry's date (the build stamp when there is none): the
same history gives the same bytes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from maillage.core.kinds import record_url
from maillage.core.model import Model, Record
from maillage.history.log import HistoryEntry

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _e(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def atom_feed(model: Model, changes: list[tuple[Record, HistoryEntry]], site_url: str, stamp: date) -> bytes:
    """The feed as bytes; ``site_url`` ends with ``/`` (absolute links are required by Atom readers)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    host = urlsplit(base).hostname or "maillage.invalid"
    updated = max((e.day for _r, e in changes), default=stamp)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}" xml:lang="fr">',
        f"  <title>{_e(f'Nouveautés — {model.meta.titre}')}</title>",
        f"  <subtitle>{_e('Fiches ajoutées ou mises à jour dans le registre')}</subtitle>",
        f'  <link rel="self" type="application/atom+xml" href="{_e(base)}nouveautes/atom.xml"/>',
        f'  <link rel="alternate" type="text/html" href="{_e(base)}nouveautes/"/>',
        f"  <id>{_e(f'tag:{host},2026:maillage/nouveautes')}</id>",
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <author><name>{_e(model.meta.editeur)}</name></author>",
    ]
    for record, entry in changes:
        url = f"{base}{record_url(record)}"
        lines += [
            "  <entry>",
            f"    <title>{_e(f'{record.titre} : {entry.summary()}')}</title>",
            f'    <link rel="alternate" type="text/html" href="{_e(url)}"/>',
            f"    <id>{_e(f'tag:{host},2026:maillage/{record.kind}/{record.id}/{entry.commit}')}</id>",
            f"    <updated>{_stamp(entry.day)}</updated>",
            f"    <summary>{_e(entry.summary())}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
