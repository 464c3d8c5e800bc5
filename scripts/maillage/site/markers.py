"""Markers the site provides for hand-written pages: ``<!-- maillage:NAME -->``.

A marker is a function ``(model) -> str`` returning Markdown or one HTML block.
The plugin merges, in this order (later wins): these site markers, the fallbacks
for the directory pages, ``maillage.markers.MARKERS`` (exports) and the
directory's ``directory_page`` / ``commune_page`` when the front end provides them.
"""

from __future__ import annotations

from collections.abc import Callable

from maillage.core import statuses
from maillage.core.french import date_fr, number_fr, plural
from maillage.core.labels import SANTE_PROTEGEE
from maillage.core.model import Model
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
    accepting = sum(1 for p in people if p.nouveaux_patients and p.nouveaux_patients.accepte == "oui")
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


def annuaire_repli(model: Model) -> str:
    n = len(model.professionnels) + len(model.structures)
    return (f"<p>L'annuaire interactif n'est pas encore disponible. En attendant, parcourez les "
            f'{plural(n, "fiche")} par <a href="../professionnels/">profession</a> ou par '
            f'<a href="../structures/">catégorie de structure</a>.</p>')


def commune_repli(model: Model) -> str:
    return ('<p>La recherche par commune n\'est pas encore disponible. Les pages des '
            '<a href="../structures/">structures</a> indiquent les communes que couvre chaque service '
            "sectorisé (CMP, CMPP, PMI…).</p>")


MARKERS: dict[str, Marker] = {
    "chiffres-cles": chiffres_cles,
    "bandeau-fictif": bandeau_fictif,
    "contact": contact,
    "contact-dpo": contact_dpo,
    "editeur": editeur,
    "licence": licence,
    "departement": departement,
}

# Used only when maillage.site.directory does not provide the real pages.
FALLBACKS: dict[str, Marker] = {
    "annuaire": annuaire_repli,
    "commune": commune_repli,
}

__all__ = ["FALLBACKS", "MARKERS", "Marker", "tel_url"]
