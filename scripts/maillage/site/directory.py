"""The directory (``/annuaire/``) and the "which service for my commune" page (``/commune/``).

Two halves:

* :func:`directory_files` precomputes the static files the browser reads: a compact
  search index of professionals and structures, with the labels, plurals and synonyms
  of what the search box understands (``annuaire/index.json``); the communes for the
  place resolver (``annuaire/communes.json``, the département's; ``communes-voisines.json``
  and ``communes-france.json``, read on demand); for each commune, the sectorised
  structures that cover it (``commune/secteurs.json``); and the gap maps of
  ``/territoires/`` (:func:`maillage.site.steering.territory_map_files`). Bytes are
  deterministic: sorted keys, no whitespace, records in model order.
* :func:`directory_page` and :func:`commune_page` return the HTML skeleton that the
  site plugin inserts in the Markdown pages; ``docs/assets/maillage/annuaire.js`` and
  ``commune.js`` bring it to life. No inline script runs (the site's CSP is
  ``script-src 'self'``): configuration travels in a ``<script type="application/json">``
  block, parsed, never executed.

Only public fields are read: never ``interne``. Records hidden from the audience of
the model (see :meth:`maillage.model.Model.view`) are dropped here as well.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from maillage.core import statuses
from maillage.core.french import join_fr
from maillage.core.gazetteer import Commune, Gazetteer
from maillage.core.kinds import PROFESSIONNEL, STRUCTURE, record_url
from maillage.core.labels import (
    ACCESSIBILITE,
    FRAIS,
    KIND_SYNONYMS,
    MODALITES,
    NOUVEAUX_PATIENTS,
    ORIENTATION_PAR,
    SANTE_PROTEGEE,
    SECTEURS,
    TIERS_PAYANT,
    Choices,
)
from maillage.core.model import Lieu, Model, Professionnel, Structure, Term

INDEX_VERSION = 2
# Vocabularies of the index: its short key → the registry's vocabulary name.
VOCABULARIES = {"p": "professions", "c": "categories", "s": "specialites", "t": "territoires", "la": "langues"}
# Values fixed by the schemas: the index key → their labels and synonyms (core/labels.py).
CHOICES: dict[str, Choices] = {"m": MODALITES, "se": SECTEURS, "sp": SANTE_PROTEGEE, "np": NOUVEAUX_PATIENTS,
                               "tp": TIERS_PAYANT, "w": ACCESSIBILITE}
DESCRIPTION_LIMIT = 300  # characters of a record's description searched in the browser
# Linking words of a question (« orthophoniste qui prend de nouveaux patients pour un enfant
# de 7 ans »): the search box ignores them, in questions and in the phrases of the
# vocabularies alike. Folded (no accents), lower case.
SEARCH_FILLERS = tuple("""
a au aux avec ce ces cet cette chez d dans de des du elle en est et il je l la le les leur leurs ma
mes mon ne nos notre nous on ou par pour pres proche proches qui que quel quelle quels quelles sa se
ses son sont sur un une vers vos votre vous y autour alentours environs cote cherche chercher
recherche rechercher trouver besoin faut urgent parle parlent parlant parler langue langues accepte
acceptent acceptant prend prennent prenant enfant enfants fils fille filles garcon garcons mineur
mineure jeune age agee ans an moins km svp merci possible qu ils elles ayant avoir fait faire
participe participent participant travaille travaillent exerce exercent consulte consultent recoit
recoivent couvre couvrent couvrant dessert desservent propose proposent peut peuvent cela ca donc
alors
""".split())
_FILLERS = frozenset(SEARCH_FILLERS)

DEFAULT_TILES = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)
DEFAULT_ATTRIBUTION = "© IGN — Plan IGN"

# Leaflet and its clustering plug-in are loaded by annuaire.js when the map is first shown.
VENDOR_SCRIPTS = ("assets/vendor/minisearch/minisearch.js",)
STYLESHEETS = ("assets/maillage/annuaire.css",)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _coord(value: float) -> float:
    return round(value, 5)


def _visible(model: Model) -> tuple[tuple[Professionnel, ...], tuple[Structure, ...]]:
    return (
        tuple(p for p in model.professionnels if statuses.is_listed(p.statut, model.audience)),
        tuple(s for s in model.structures if statuses.is_listed(s.statut, model.audience)),
    )


def _place(lieu: Lieu, commune_names: dict[str, str]) -> list[Any]:
    """[lat, lon, INSEE, commune, phone, street (and complement), postal code, place name].

    The browser writes the one-line address as ``street, postal code commune``
    (:meth:`Lieu.adresse_complete`) rather than repeating the commune in each record.
    The commune is "" when it is the name ``communes.json`` gives that INSEE code (the
    browser takes it from there: 50 KB less at 10,000 records). The place name
    (« Cabinet du Port ») is searched; it is left out when there is none.
    """
    street = lieu.adresse + (f", {lieu.complement_adresse}" if lieu.complement_adresse else "")
    commune = "" if commune_names.get(lieu.code_insee) == lieu.commune else lieu.commune
    row = [
        _coord(lieu.position.latitude), _coord(lieu.position.longitude), lieu.code_insee, commune,
        lieu.telephone or "", street, lieu.code_postal,
    ]
    if lieu.nom:
        row.append(lieu.nom)
    return row


_WORD = re.compile(r"[^\W_]+")


def _fold(word: str) -> str:
    """Lower case without accents (« Rééducation » → « reeducation »), as the browser folds."""
    word = word.lower().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _description(text: str | None, understood: frozenset[str] = frozenset()) -> str:
    """The words of a description a search can use (never shown): folded, each once, in order,
    within :data:`DESCRIPTION_LIMIT`; without linking words, words of one or two letters, and
    the ``understood`` words (a question's « anglais » is a filter, never searched as text)."""
    words = dict.fromkeys(w for w in map(_fold, _WORD.findall(plain_text(text)))
                          if len(w) > 2 and w not in _FILLERS and w not in understood)
    out = " ".join(words)
    return out if len(out) <= DESCRIPTION_LIMIT else out[:DESCRIPTION_LIMIT].rsplit(" ", 1)[0]


@dataclass(frozen=True)
class _Context:
    commune_names: dict[str, str]  # INSEE → the name communes.json gives
    understood: frozenset[str]  # one-word terms the search box turns into filters
    today: date  # the business date: temporary information that has ended is left out


def _common(record: Professionnel | Structure, kind: str, category: str, context: _Context) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "i": record.id, "k": kind, "c": category,
        "l": [_place(lieu, context.commune_names) for lieu in record.lieux],
    }
    description = _description(record.description, context.understood)
    if description:
        entry["d"] = description
    territories = sorted({lieu.territoire for lieu in record.lieux if lieu.territoire})
    if territories:
        entry["t"] = territories
    if record.ages is not None:
        entry["g"] = [record.ages.min, record.ages.max]
    access = [lieu.accessible_pmr for lieu in record.lieux if lieu.accessible_pmr is not None]
    if access:
        entry["w"] = 1 if any(access) else 0
    if not statuses.is_available(record.statut):
        entry["x"] = 1
    upcoming = [[t.du.isoformat(), t.au.isoformat(), t.message] for t in record.temporaire
                if t.au >= context.today]
    if upcoming:
        entry["tmp"] = upcoming
    return entry


def _professional(p: Professionnel, context: _Context) -> dict[str, Any]:
    entry = _common(p, "p", p.profession, context)
    entry["n"] = p.nom_complet
    if p.specialites:
        entry["s"] = list(p.specialites)
    if p.modalites:
        entry["m"] = list(p.modalites)
    if p.langues:
        entry["la"] = list(p.langues)
    if p.new_patients is not None:
        entry["np"] = p.new_patients.accepte
    if p.sante_protegee is not None:
        entry["sp"] = p.sante_protegee.role
    if p.conventionnement is not None:
        entry["se"] = p.conventionnement.secteur
        if p.conventionnement.tiers_payant is not None:
            entry["tp"] = 1 if p.conventionnement.tiers_payant else 0
    return entry


def _structure(s: Structure, context: _Context) -> dict[str, Any]:
    entry = _common(s, "s", s.categorie, context)
    entry["n"] = s.nom
    if s.sigle:
        entry["a"] = s.sigle
    return entry


def _terms(model: Model, vocabulary: str) -> dict[str, Term]:
    return model.vocabularies.get(vocabulary, {})


def _search_words(model: Model) -> dict[str, Any]:
    """What the search box understands, besides names: plurals and synonyms of every term.

    ``pl``: vocabulary key → term → plural label; ``syn``: key → value → synonyms
    (vocabulary terms, values fixed by the schemas, kinds of record); ``any``: key → the
    words that mean "any value" (« Santé protégée »: every role).
    """
    plurals = {key: {tid: t.pluriel for tid, t in sorted(_terms(model, name).items()) if t.pluriel}
               for key, name in VOCABULARIES.items()}
    synonyms: dict[str, dict[str, list[str]]] = {
        key: {tid: list(t.synonymes) for tid, t in sorted(_terms(model, name).items()) if t.synonymes}
        for key, name in VOCABULARIES.items()
    }
    for key, choices in CHOICES.items():
        synonyms[key] = {value: list(words) for value, words in sorted(choices.synonyms.items())}
    synonyms["k"] = {"p": list(KIND_SYNONYMS["professionnel"]), "s": list(KIND_SYNONYMS["structure"])}
    return {
        "pl": {k: v for k, v in plurals.items() if v},
        "syn": {k: v for k, v in synonyms.items() if v},
        "any": {key: list(c.any_synonyms) for key, c in CHOICES.items() if c.any_synonyms},
    }


def _one_word_terms(model: Model, words: dict[str, Any]) -> frozenset[str]:
    """Folded one-word labels, plurals and synonyms: the search box reads them as filters."""
    texts = [t.libelle for name in VOCABULARIES.values() for t in _terms(model, name).values()]
    texts += [p for per in words["pl"].values() for p in per.values()]
    texts += [w for per in words["syn"].values() for values in per.values() for w in values]
    return frozenset(_fold(t) for t in texts if len(_WORD.findall(t)) == 1)


def listed(model: Model) -> tuple[tuple[Professionnel, ...], tuple[Structure, ...]]:
    """The professionals and structures the directory lists (the home page counts the same ones)."""
    return _visible(model)


def directory_index(model: Model, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """The compact search index of ``annuaire/index.json`` (see the module docstring).

    Every vocabulary term is labelled, used or not: a question about a category the
    registry lacks (« CAMSP ») is still understood, and answered « aucun résultat ».
    """
    people, services = _visible(model)
    gaz = gazetteer or Gazetteer.load()
    words = _search_words(model)
    context = _Context({c.code_insee: c.nom_article for c in gaz.in_departement(model.meta.departement_code)},
                       _one_word_terms(model, words), model.today)
    records = [_professional(p, context) for p in people] + [_structure(s, context) for s in services]
    vocabulary: dict[str, dict[str, str]] = {
        key: {tid: t.libelle for tid, t in sorted(_terms(model, name).items())} for key, name in VOCABULARIES.items()
    }
    vocabulary.update({key: dict(choices.short) for key, choices in CHOICES.items()})
    vocabulary["k"] = {"p": PROFESSIONNEL.title, "s": STRUCTURE.title}
    vocabulary["k1"] = {"p": PROFESSIONNEL.label.capitalize(), "s": STRUCTURE.label.capitalize()}  # one record
    # Record pages are at <folder><id>/: the folder is given once per kind, not per record.
    folders = {"p": f"{PROFESSIONNEL.folder}/", "s": f"{STRUCTURE.folder}/"}
    return {"v": INDEX_VERSION, "dep": model.meta.departement_code, "voc": vocabulary, **words,
            "mots": list(SEARCH_FILLERS), "url": folders, "r": records}


NEIGHBOUR_KM = 15.0  # a département with a commune this close to one of ours is a neighbour


def _commune_rows(communes: list[Commune], parents: dict[str, str], digits: int = 5) -> list[list[Any]]:
    """[INSEE, name, postal codes, lat, lon(, commune nouvelle)] from the most to the least populated.

    Delegated communes (former communes merged into a commune nouvelle) come after the
    communes, under their own name and their commune nouvelle's code, with a sixth
    element: the commune nouvelle's name. People still say where they live with them.
    """
    ranked: list[tuple[tuple[Any, ...], list[Any]]] = []
    for c in communes:
        if not c.has_position:
            continue
        row = [c.code_insee, c.nom_article, list(c.codes_postaux), round(c.latitude, digits),
               round(c.longitude, digits)]
        if c.type == "COMD":
            if c.code_insee not in parents or c.nom_article == parents[c.code_insee]:
                continue
            row.append(parents[c.code_insee])
            ranked.append(((1, 0, c.code_insee, c.nom), row))
        else:
            ranked.append(((0, -c.population, c.code_insee, c.nom), row))
    ranked.sort(key=lambda pair: pair[0])
    return [row for _, row in ranked]


def _rows_of(gaz: Gazetteer, departements: set[str], digits: int = 5,
             former: tuple[tuple[str, str, str], ...] = ()) -> list[list[Any]]:
    chosen = [c for c in gaz if c.departement in departements and c.type in ("COM", "COMD")]
    parents = {c.code_insee: c.nom_article for c in chosen if c.type == "COM"}
    rows = _commune_rows(chosen, parents, digits)
    # The former communes registre.yaml declares (« Tourlaville »): rows like the delegated communes'.
    known = {(r[0], r[1]) for r in rows}
    for name, insee, postal in former:
        commune = gaz.commune(insee)
        if commune is None or insee not in parents or (insee, name) in known or not commune.has_position:
            continue
        rows.append([insee, name, [postal] if postal else list(commune.codes_postaux),
                     round(commune.latitude, digits), round(commune.longitude, digits), parents[insee]])
    return rows


def neighbours(gaz: Gazetteer, departement: str) -> set[str]:
    """Départements with a commune less than :data:`NEIGHBOUR_KM` from a commune of ``departement``."""
    own = [c for c in gaz.in_departement(departement) if c.has_position]
    if not own:
        return set()
    south, north = min(c.latitude for c in own) - 0.5, max(c.latitude for c in own) + 0.5
    west, east = min(c.longitude for c in own) - 0.7, max(c.longitude for c in own) + 0.7
    found: set[str] = set()
    for c in gaz:
        if (c.type != "COM" or c.departement == departement or c.departement in found or not c.has_position
                or not (south <= c.latitude <= north and west <= c.longitude <= east)):
            continue
        if any(c.distance_km(o.latitude, o.longitude) <= NEIGHBOUR_KM for o in own):
            found.add(c.departement)
    return found


def communes_list(model: Model, gazetteer: Gazetteer | None = None) -> list[list[Any]]:
    """The département's communes, then its delegated communes (see :func:`_commune_rows`).

    The most populated first, so an autocomplete shows the likeliest commune first and a
    postal code shared by several communes resolves to the main one.
    """
    return _rows_of(gazetteer or Gazetteer.load(), {model.meta.departement_code},
                    former=model.meta.anciennes_communes)


def commune_files(model: Model, gazetteer: Gazetteer | None = None) -> dict[str, bytes]:
    """The three commune lists of the place resolver (``communes.js``), read in this order.

    ``communes.json``: the département (read with the page); ``communes-voisines.json``:
    the neighbouring départements, and ``communes-france.json``: every other commune of
    France, both read only when a typed place is not found in the lists before (a family
    living across the border). Coordinates of the last two are rounded to about 100 m.
    """
    return dict(_commune_bytes(gazetteer or Gazetteer.load(), model.meta.departement_code,
                               model.meta.anciennes_communes))


@functools.lru_cache(maxsize=4)
def _commune_bytes(gaz: Gazetteer, dep: str, former: tuple[tuple[str, str, str], ...] = ()
                   ) -> tuple[tuple[str, bytes], ...]:
    """The bytes of :func:`commune_files`, computed once per gazetteer and département (1.6 MB of JSON)."""
    near = neighbours(gaz, dep)
    others = {c.departement for c in gaz} - near - {dep}
    return (
        ("annuaire/communes.json", _dumps(_rows_of(gaz, {dep}, former=former))),
        ("annuaire/communes-voisines.json", _dumps(_rows_of(gaz, near, 3))),
        ("annuaire/communes-france.json", _dumps(_rows_of(gaz, others, 3))),
    )


_MARKDOWN_MARKS = re.compile(r"(\*\*|__|`|^#+\s*|^\s*[-*]\s+)", re.MULTILINE)
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain_text(text: str | None) -> str:
    """Light Markdown flattened to one line of plain text (the browser inserts it as text)."""
    if not text:
        return ""
    flat = _MARKDOWN_MARKS.sub("", _MARKDOWN_LINK.sub(r"\1", text))
    return " ".join(flat.split())


def orientation_summary(s: Structure) -> str:
    """How to refer a child, in one French sentence or two."""
    parts = []
    if s.orientation_requise is True:
        who = [ORIENTATION_PAR.label(p) for p in s.orientation_par]
        parts.append("Orientation nécessaire" + (f" par {join_fr(who, 'ou')}." if who else "."))
    elif s.orientation_requise is False:
        parts.append("Accès direct, sans orientation.")
    if s.orientation_precisions:
        parts.append(plain_text(s.orientation_precisions))
    return " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts)


def sectors(model: Model, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """``commune/secteurs.json``: ``s`` the sectorised structures, ``c`` INSEE → indices in ``s``."""
    _, services = _visible(model)
    sectorised = sorted(
        (s for s in services if s.secteur is not None and s.secteur.communes),
        key=lambda s: (model.label("categories", s.categorie).casefold(), s.nom.casefold(), s.id),
    )
    structures = []
    for s in sectorised:
        any_phone = next((lieu.telephone for lieu in s.lieux if lieu.telephone), "")
        entry: dict[str, Any] = {
            "i": s.id, "n": s.nom, "c": model.label("categories", s.categorie), "u": record_url(s),
            # Every site: [name, address, phone]; the commune's list says which one is nearest.
            "l": [[lieu.nom or "", lieu.adresse_complete(), lieu.telephone or any_phone] for lieu in s.lieux],
            "o": orientation_summary(s),
            "adm": plain_text(s.admission_procedure), "doc": list(s.admission_documents),
        }
        if s.sigle:
            entry["a"] = s.sigle
        if s.ages is not None:
            entry["g"] = [s.ages.min, s.ages.max]
        if s.frais:
            entry["f"] = FRAIS.short_label(s.frais)
        if s.statut == "inactif":
            entry["x"] = 1
        structures.append(entry)
    gaz = gazetteer or Gazetteer.load()
    covered: dict[str, list[int | list[int]]] = {
        c.code_insee: [] for c in gaz.in_departement(model.meta.departement_code)
    }
    # For each commune, the most local services first: a CMP's sector before the département-wide PMI.
    by_size = sorted(range(len(sectorised)), key=lambda i: (len(sectorised[i].secteur.communes), i))  # type: ignore[union-attr]
    for index in by_size:
        s = sectorised[index]
        for insee in s.secteur.communes:  # type: ignore[union-attr]
            site = nearest_site(s, gaz.commune(insee))
            covered.setdefault(insee, []).append([index, site] if site else index)
    return {"v": INDEX_VERSION, "s": structures, "c": covered}


def nearest_site(s: Structure, commune: Commune | None) -> int:
    """The index of the site a family of ``commune`` would go to: one in the commune, else the nearest."""
    if commune is None or len(s.lieux) < 2:
        return 0
    for index, lieu in enumerate(s.lieux):
        if lieu.code_insee == commune.code_insee:
            return index
    if not commune.has_position:
        return 0
    return min(range(len(s.lieux)),
               key=lambda i: commune.distance_km(s.lieux[i].position.latitude, s.lieux[i].position.longitude))


def directory_files(model: Model, gazetteer: Gazetteer | None = None) -> dict[str, bytes]:
    """Site-relative path → bytes of every JSON file the directory and commune pages read."""
    from maillage.site.steering import territory_map_files
    from maillage.steering.coverage import cached_coverage

    gaz = gazetteer or Gazetteer.load()
    return {
        # The gap maps of /territoires/ travel with these data files (a hook of the build).
        **territory_map_files(model, cached_coverage(model)),
        "annuaire/index.json": _dumps(directory_index(model, gaz)),
        **commune_files(model, gaz),
        "commune/secteurs.json": _dumps(sectors(model, gaz)),
    }


# --- HTML skeletons ----------------------------------------------------------------

def map_config(model: Model, root: str = "../") -> dict[str, Any]:
    """What the front-end needs to draw maps: tiles, attribution, zoom, site root."""
    return {
        "tuiles": model.meta.tuiles or DEFAULT_TILES,
        "attribution": model.meta.tuiles_attribution or DEFAULT_ATTRIBUTION,
        "zoom_max": model.meta.zoom_max,
        "racine": root,
        "departement": model.meta.departement_code,
    }


def config_script(model: Model, root: str = "../") -> str:
    """The ``<script type="application/json" id="maillage-config">`` block (data, never run)."""
    data = json.dumps(map_config(model, root), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="maillage-config">{data}</script>'


def _assets(root: str, scripts: tuple[str, ...]) -> tuple[str, str]:
    links = "\n".join(f'<link rel="stylesheet" href="{html.escape(root + p)}">' for p in STYLESHEETS)
    tags = "\n".join(f'<script src="{html.escape(root + p)}" defer></script>' for p in scripts)
    return links, tags


def directory_page(model: Model, root: str = "../") -> str:
    """HTML body of ``/annuaire/`` (flush-left lines: safe inside Markdown).

    Order of the page, phone first: the search box (it reads whole questions: see
    ``annuaire.js``); one line with the commune, "around me", the radius and the child's
    age; then the filters, folded in a ``<details>`` (``annuaire.js`` opens it on wide
    screens, where it becomes a left column); then the result count, what the question
    was understood as and the active filters as removable chips; then the list and the
    map (side by side on wide screens, the map behind a "Voir la carte" button on
    phones). The place field is an ARIA combobox built by ``communes.js``.
    """
    links, scripts = _assets(root, (*VENDOR_SCRIPTS, "assets/maillage/communes.js", "assets/maillage/annuaire.js"))
    return "\n".join([
        links,
        config_script(model, root),
        '<div id="maillage-annuaire" class="maillage-annuaire" data-index="index.json"'
        ' data-communes="communes.json">',
        '<form class="ma-recherche" role="search" id="ma-form" action="#">',
        '<div class="ma-champ ma-champ-q">',
        '<label for="ma-q">Que cherchez-vous ?</label>',
        '<div class="ma-q-ligne">',
        '<input type="search" id="ma-q" name="q" autocomplete="off" spellcheck="false" enterkeyhint="search"'
        ' placeholder="ex. : orthophoniste Coutances" aria-describedby="ma-q-aide">',
        '<button type="submit" class="ma-bouton ma-bouton-plein">Rechercher</button>',
        "</div>",
        '<p id="ma-q-aide" class="ma-aide">Posez la question comme vous la diriez : une profession ou un service,'
        " une commune ou un code postal, « nouveaux patients », « Santé protégée », « parle anglais »,"
        " « 7 ans »… Ce qui est compris s'affiche sous la question : un clic le retire.</p>",
        '<div id="ma-compris" class="ma-compris" hidden>',
        '<span id="ma-compris-titre" class="ma-compris-titre">Compris :</span>',
        '<ul id="ma-compris-liste" class="ma-puces" aria-labelledby="ma-compris-titre"></ul>',
        "</div>",
        "</div>",
        '<div class="ma-ligne">',
        '<div class="ma-champ ma-champ-lieu">',
        '<label for="ma-lieu">Près de la commune</label>',
        '<input type="text" id="ma-lieu" name="pres" autocomplete="off" spellcheck="false"'
        ' placeholder="Nom ou code postal" aria-describedby="ma-lieu-etat">',
        "</div>",
        '<button type="button" id="ma-geoloc" class="ma-bouton ma-geoloc">Autour de moi</button>',
        '<div class="ma-champ ma-champ-rayon">',
        '<label for="ma-rayon">Rayon</label>',
        '<select id="ma-rayon" name="rayon">',
        '<option value="">Toutes distances</option>',
        *[f'<option value="{km}">{km} km</option>' for km in (5, 10, 20, 30, 50, 100)],
        "</select>",
        "</div>",
        '<div class="ma-champ ma-champ-age">',
        '<label for="ma-age">Âge de l\'enfant</label>',
        '<input type="number" id="ma-age" name="age" min="0" max="25" step="1" inputmode="numeric"'
        ' aria-describedby="ma-age-unite">',
        '<span id="ma-age-unite" class="ma-unite">ans</span>',
        "</div>",
        "</div>",
        '<p id="ma-lieu-etat" class="ma-aide ma-lieu-etat" role="status"></p>',
        '<div id="ma-lieu-choix" class="ma-choix" hidden></div>',
        "</form>",
        '<div class="ma-corps">',
        '<details id="ma-filtres" class="ma-filtres">',
        '<summary><span class="ma-filtres-titre">Filtres</span> <span id="ma-filtres-n" class="ma-filtres-n">'
        "</span></summary>",
        '<div id="ma-facettes" class="ma-facettes" role="group" aria-label="Filtres"></div>',
        "</details>",
        '<div class="ma-resultats">',
        '<div class="ma-barre" id="ma-barre">',
        '<p id="ma-compte" class="ma-compte" aria-live="polite" aria-atomic="true">Chargement de l\'annuaire…</p>',
        '<div class="ma-outils">',
        '<button type="button" id="ma-voir-carte" class="ma-bouton ma-voir-carte" aria-controls="ma-carte"'
        ' aria-expanded="false">Voir la carte</button>',
        '<button type="button" id="ma-imprimer" class="ma-bouton">Imprimer</button>',
        '<button type="button" id="ma-csv" class="ma-bouton">Télécharger (CSV)</button>',
        "</div>",
        "</div>",
        '<p id="ma-note" class="ma-note" role="status"></p>',
        '<p id="ma-criteres" class="ma-criteres"></p>',
        '<div id="ma-sans" class="ma-sans" hidden></div>',
        '<p id="ma-secteurs" class="ma-note" hidden><a id="ma-secteurs-lien" href="../commune/"></a></p>',
        '<div id="ma-actifs" class="ma-actifs" hidden>',
        '<ul id="ma-puces" class="ma-puces" aria-label="Filtres actifs" hidden></ul>',
        '<button type="button" id="ma-effacer" class="ma-lien ma-effacer">Effacer les filtres</button>',
        "</div>",
        '<div class="ma-zone">',
        '<div class="ma-liste-zone">',
        '<ol id="ma-liste" class="ma-liste" aria-label="Résultats"></ol>',
        '<button type="button" id="ma-plus" class="ma-bouton" hidden>Afficher plus de résultats</button>',
        "</div>",
        '<div id="ma-carte" class="ma-carte" role="region" aria-label="Carte des résultats"></div>',
        "</div>",
        "</div>",
        "</div>",
        "</div>",
        '<noscript><p>L\'annuaire interactif demande JavaScript. Les données complètes sont disponibles dans'
        f' les <a href="{html.escape(root)}donnees/">données ouvertes</a>.</p></noscript>',
        scripts,
    ]) + "\n"


def commune_page(model: Model, root: str = "../") -> str:
    """HTML body of ``/commune/``: "Quel service pour ma commune ?"."""
    links, scripts = _assets(root, ("assets/maillage/communes.js", "assets/maillage/commune.js"))
    return "\n".join([
        links,
        config_script(model, root),
        '<div id="maillage-commune" class="maillage-commune" data-secteurs="secteurs.json"'
        f' data-communes="{html.escape(root)}annuaire/communes.json">',
        '<form class="ma-recherche" role="search" id="mc-form" action="#">',
        '<div class="ma-champ">',
        '<label for="mc-commune">Commune de résidence de l\'enfant</label>',
        '<input type="text" id="mc-commune" name="commune" autocomplete="off" spellcheck="false"'
        ' aria-describedby="mc-aide">',
        '<p id="mc-aide" class="ma-aide">Nom de la commune (même sans accents, « St-Lô », « Villedieu ») ou code'
        " postal, puis Entrée.</p>",
        "</div>",
        '<button type="submit" class="ma-bouton">Voir les services</button>',
        "</form>",
        '<div id="mc-choix" class="ma-choix" hidden></div>',
        '<p id="mc-compte" class="ma-compte" aria-live="polite" aria-atomic="true">Chargement…</p>',
        '<ul id="mc-liste" class="mc-liste" aria-label="Services qui couvrent la commune"></ul>',
        "</div>",
        '<noscript><p>Cette recherche demande JavaScript. Chaque fiche de structure indique les communes'
        " qu'elle couvre.</p></noscript>",
        scripts,
    ]) + "\n"


def record_map(record: Professionnel | Structure) -> str:
    """The ``<div class="maillage-carte">`` of a record page (filled by ``carte-fiche.js``)."""
    points = [
        [_coord(lieu.position.latitude), _coord(lieu.position.longitude), lieu.nom or lieu.adresse_complete()]
        for lieu in record.lieux
    ]
    data = html.escape(json.dumps(points, ensure_ascii=False, separators=(",", ":")), quote=True)
    name = html.escape(record.titre, quote=True)
    return (f'<div class="maillage-carte" data-nom="{name}" data-points="{data}" role="region"'
            f' aria-label="Carte : {name}"></div>')
