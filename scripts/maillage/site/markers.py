"""Markers hand-written pages may contain: ``<!-- maillage:NAME -->``, declared in one table.

A marker is a function ``(model) -> str`` returning Markdown or one HTML block; the plugin
replaces each marker of a page with it (``on_page_markdown``).
"""

from __future__ import annotations

from collections.abc import Callable

from maillage.core import statuses
from maillage.core.french import date_fr, number_fr
from maillage.core.labels import SANTE_PROTEGEE
from maillage.core.model import Model
from maillage.exports.docs import fields_markdown, files_markdown
from maillage.site.directory import commune_page, directory_page
from maillage.site.safe import escape, mailto_url, tel_url

Marker = Callable[[Model], str]


def chiffres_cles(model: Model) -> str:
    today = model.today
    from maillage.site.directory import listed

    en_cours = [c for c in model.conventions if statuses.in_force(c.statut)]
    # The same records as the directory, and links to its filters (its URL state): the
    # count shown here is the count the directory then shows.
    people, _ = listed(model)
    sp = sum(1 for p in people if p.sante_protegee)
    accepting = sum(1 for p in people if p.takes_new_patients)
    roles = ",".join(sorted(SANTE_PROTEGEE))
    items = [
        (len(model.professionnels), "professionnel", "professionnels", "professionnels/"),
        (len(model.structures), "structure ou service", "structures et services", "structures/"),
        (len(en_cours), "convention en vigueur", "conventions en vigueur", "conventions/"),
        (sp, "professionnel Santé protégée", "professionnels Santé protégée", f"annuaire/?sante={roles}"),
        (accepting, "professionnel acceptant de nouveaux patients",
         "professionnels acceptant de nouveaux patients", "annuaire/?nouveaux=oui"),
    ]
    cells = "".join(
        f'<li><a href="{escape(href)}"><strong>{number_fr(n)}</strong> {escape(one if n < 2 else many)}</a></li>'
        for n, one, many, href in items
    )
    return (f'<div class="maillage-chiffres"><ul>{cells}</ul>'
            f'<p class="maillage-date">Registre au {escape(date_fr(today))}.</p></div>')


def bandeau_fictif(model: Model) -> str:
    if not model.meta.fictif:
        return ""
    return ('<div class="admonition warning maillage-fictif"><p class="admonition-title">Exemple fictif</p>'
            "<p>Toutes les fiches de ce registre sont inventées : ne les utilisez pas pour orienter un enfant."
            "</p></div>")


def contact(model: Model) -> str:
    meta = model.meta
    parts = [f'<a href="{escape(mailto_url(meta.contact_courriel))}">{escape(meta.contact_courriel)}</a>']
    if meta.contact_telephone:
        parts.append(f'<a href="{escape(tel_url(meta.contact_telephone))}">{escape(meta.contact_telephone)}</a>')
    return " ou ".join(parts)


def contact_dpo(model: Model) -> str:
    address = model.meta.dpo_courriel or model.meta.contact_courriel
    return f'<a href="{escape(mailto_url(address))}">{escape(address)}</a>'


def editeur(model: Model) -> str:
    return str(escape(model.meta.editeur))


def licence(model: Model) -> str:
    from maillage.site.safe import safe_url
    url = safe_url(model.meta.licence_url)
    title = escape(model.meta.licence_titre)
    return f'<a href="{escape(url)}">{title}</a>' if url else str(title)


def departement(model: Model) -> str:
    return str(escape(f"{model.meta.departement_nom} ({model.meta.departement_code})"))


def pilotage(model: Model) -> str:
    from maillage.site.steering import steering_page
    from maillage.steering.coverage import cached_coverage

    return steering_page(model, coverage=cached_coverage(model))


MARKERS: dict[str, Marker] = {
    "chiffres-cles": chiffres_cles,
    "bandeau-fictif": bandeau_fictif,
    "contact": contact,
    "contact-dpo": contact_dpo,
    "editeur": editeur,
    "licence": licence,
    "departement": departement,
    "champs": fields_markdown,
    "fichiers": files_markdown,
    "pilotage": pilotage,
    "annuaire": directory_page,
    "commune": commune_page,
}

__all__ = ["MARKERS", "Marker"]
