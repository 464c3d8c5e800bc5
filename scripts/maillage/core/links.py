"""Addresses of a record on the published site and in the public repository, declared once.

Record pages (« Proposer une correction »), verification campaigns (``maillage remind``)
and the change feed link to the same places: the record page, the correction form, the
« Rien n'a changé » confirmation form and the file in the repository.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode, urlsplit

from maillage.core.kinds import BY_FOLDER, BY_NAME
from maillage.core.model import Meta, Record

CONFIRMATION_FORM = "confirmation.yml"
CORRECTION_FORM = "correction.yml"


def _https(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip().rstrip("/") if parts.scheme == "https" and parts.netloc else None


def page_url(meta: Meta, record: Record) -> str | None:
    """Absolute address of the record page, when ``site.url`` is known."""
    site = _https(meta.site_url)
    return f"{site}/{BY_NAME[record.kind].url(record.id)}" if site else None


def _issue_form(meta: Meta, template: str, title: str, **fields: str) -> str | None:
    repo = _https(meta.depot_url)
    if not repo:
        return None
    query = urlencode({"template": template, "title": title, **fields}, quote_via=quote)
    return f"{repo}/issues/new?{query}"


def record_reference(meta: Meta, record: Record) -> str:
    """What the forms' « which record » field holds: the record page's address when the site's address is
    known, else ``professionnel/lefevre-claire`` (both are read back by the form → proposal robot)."""
    return page_url(meta, record) or f"{record.kind}/{record.id}"


_PAGE = re.compile(r"/(professionnels|structures|conventions)/([a-z0-9]+(?:-[a-z0-9]+)*)/?(?:[#?].*)?$")
_KIND_ID = re.compile(r"^\s*(professionnel|structure|convention)/([a-z0-9]+(?:-[a-z0-9]+)*)\s*$")


def read_record_reference(text: str) -> tuple[str, str] | None:
    """(kind, id) of what :func:`record_reference` writes (a record page's address, or ``kind/id``), as
    people paste it back into a form or a command; None when it is neither."""
    given = text.strip()
    ref = _KIND_ID.match(given)
    if ref:
        return ref.group(1), ref.group(2)
    page = _PAGE.search(given)
    if page and "/" in given:
        return BY_FOLDER[page.group(1)].name, page.group(2)
    return None


def correction_form(meta: Meta, record: Record) -> str | None:
    """The correction issue form, its title and its required « Adresse de la fiche sur le site » field
    (``fiche``, see :mod:`maillage.editing.forms`) filled in with the record."""
    return _issue_form(meta, CORRECTION_FORM, f"Correction : {record.titre} ({record.id})",
                       fiche=record_reference(meta, record))


def confirmation_form(meta: Meta, record: Record) -> str | None:
    """The « Rien n'a changé » issue form for one record, filled in: one click, then « Submit »."""
    return _issue_form(meta, CONFIRMATION_FORM, f"Rien n'a changé : {record.titre} ({record.id})",
                       identifiant=f"{record.kind}/{record.id}")


def repository_file(meta: Meta, record: Record) -> str | None:
    """The record's file in GitHub's editor."""
    repo = _https(meta.depot_url)
    if not repo:
        return None
    return f"{repo}/edit/{quote(meta.depot_branche)}/registry/{BY_NAME[record.kind].file(record.id)}"
