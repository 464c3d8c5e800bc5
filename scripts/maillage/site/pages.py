"""The generated pages of the site: pure functions of the model.

Each page is one HTML block rendered by a Jinja template with autoescaping: every
record value is escaped, free-text fields go through
:func:`maillage.site.safe.render_markdown`. The index pages (professionals, structures,
conventions, territories) become virtual Markdown pages of MkDocs (a YAML front matter
with the title, then the block); a record page is a :class:`RecordPage` (its folder, id,
title and block), which the plugin puts into the theme's shell of its folder (see
:mod:`maillage.site.plugin`): MkDocs never sees one page per record.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from maillage.core import french, labels, links, statuses
from maillage.core.french import sort_key
from maillage.core.gazetteer import Gazetteer
from maillage.core.hours import opening_hours_fr
from maillage.core.kinds import CONVENTION, KINDS, RecordKind, kind_of, record_url
from maillage.core.model import Convention, Model, Professionnel, Record, Structure, add_months
from maillage.history.log import HistoryEntry, RegistryHistory, visible_keys
from maillage.site.safe import mailto_url, plain_title, render_markdown, safe_url, tel_url
from maillage.site.steering import territories_page
from maillage.steering import followup
from maillage.steering.coverage import cached_coverage
from maillage.steering.freshness import bucket_of


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    src_uri: str  # path of the virtual Markdown file, relative to docs/
    content: str
    in_nav: bool = False


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("maillage.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # templates never change during a build: no stat() of each file per page
    )
    env.filters.update(
        markdown=render_markdown, date_fr=french.date_fr, euros=french.euros, tel=tel_url,
        mailto=mailto_url, safe_url=safe_url, hours=opening_hours_fr, urlquote=lambda s: quote(str(s), safe=""),
    )
    env.globals.update(labels=labels, french=french, statuses=statuses, record_url=record_url)
    return env


@dataclass(frozen=True, slots=True)
class RecordPage:
    """A record's page: ``<folder>/<id>/index.html`` is the folder's shell with this title and block."""

    folder: str  # professionnels, structures, conventions
    id: str
    title: str  # the record's title (the theme prints :func:`maillage.site.safe.plain_title` of it)
    block: str  # the page's HTML block: ``<div class="maillage-page">…</div>``

    def as_markdown(self) -> GeneratedPage:
        return GeneratedPage(f"{self.folder}/{self.id}.md", f"{_front(self.title, False)}{self.block}\n")


def page_block(body: str) -> str:
    """The page's HTML as one block, without blank lines, so Markdown would pass it through untouched."""
    lines = [line for line in body.splitlines() if line.strip()]
    html = "\n".join(lines)
    return f"<div class=\"maillage-page\">\n{html}\n</div>"


def _front(title: str, wide: bool) -> str:
    """YAML front matter; ``wide`` hides Material's side navigation and table of contents (big tables, maps)."""
    hide = "hide:\n  - navigation\n  - toc\n" if wide else ""
    return f"---\ntitle: {json.dumps(plain_title(title))}\n{hide}---\n\n"


def _page(src_uri: str, title: str, body: str, in_nav: bool = False, wide: bool = False) -> GeneratedPage:
    """A virtual Markdown page of MkDocs."""
    return GeneratedPage(src_uri, f"{_front(title, wide)}{page_block(body)}\n", in_nav)


NEWS_LIMIT = 50  # changes listed on /nouveautes/ and in its feed


class SiteContext:
    """What every template needs beyond one record: names of other records, links, dates."""

    def __init__(self, model: Model, gazetteer: Gazetteer | None = None,
                 history: RegistryHistory | None = None) -> None:
        self.model = model
        self.meta = model.meta
        self.gazetteer = gazetteer or Gazetteer.load()
        self.history = history  # None: no Git history (exported tree, shallow clone): no « Historique »

    def history_of(self, record: Record) -> list[HistoryEntry]:
        """The latest changes of a record's public fields (at most ten, newest first)."""
        return self.history.of(record.kind, record.id) if self.history is not None else []

    def latest_changes(self, limit: int = NEWS_LIMIT) -> list[tuple[Record, HistoryEntry]]:
        """The newest changes of the records this audience sees (a withdrawn record has none)."""
        if self.history is None:
            return []
        records = self.records
        return [(records[rid], entry) for _kind, rid, entry
                in self.history.latest(visible_keys(self.model.records()), limit) if rid in records]

    @cached_property
    def records(self) -> dict[str, Record]:
        return self.model.by_id()

    @cached_property
    def conventions_of(self) -> dict[str, list[Convention]]:
        out: dict[str, list[Convention]] = defaultdict(list)
        for c in self.model.conventions:
            for ref in sorted({p.ref for p in c.parties if p.ref}):
                out[ref].append(c)
        return out

    @cached_property
    def children_of(self) -> dict[str, list[Structure]]:
        out: dict[str, list[Structure]] = defaultdict(list)
        for s in self.model.structures:
            if s.structure_parente:
                out[s.structure_parente].append(s)
        return out

    def label(self, vocabulary: str, term: str | None) -> str:
        return self.model.label(vocabulary, term)

    def plural_label(self, vocabulary: str, term: str) -> str:
        entry = self.model.vocabularies.get(vocabulary, {}).get(term)
        return (entry.pluriel or entry.libelle) if entry else term

    def commune_name(self, code_insee: str) -> str:
        commune = self.gazetteer.commune(code_insee)
        return commune.nom if commune else code_insee

    def name_of(self, ref: str | None) -> str:
        record = self.records.get(ref or "")
        return record.titre if record else (ref or "")

    def is_stale(self, verified: date) -> bool:
        """Past the verification period: the « périmé » bucket of the steering figures."""
        return bucket_of(verified, self.model.today, self.meta.verification_mois) == "perime"

    def correction_links(self, record: Record) -> dict[str, str] | None:
        if not self.meta.depot_url or not safe_url(self.meta.depot_url):
            return None
        issue, edit = links.correction_form(self.meta, record), links.repository_file(self.meta, record)
        if not issue or not edit:
            return None
        return {"issue": issue, "edit": edit}

    @staticmethod
    def map_data(record: Professionnel | Structure) -> dict[str, str]:
        """Attributes of the record's map container (``carte-fiche.js`` fills it)."""
        first = record.lieux[0].position
        points = [[round(lieu.position.latitude, 6), round(lieu.position.longitude, 6),
                   lieu.nom or lieu.adresse_complete()] for lieu in record.lieux]
        return {"lat": f"{first.latitude:.6f}", "lon": f"{first.longitude:.6f}", "nom": record.titre,
                "points": json.dumps(points, ensure_ascii=False, separators=(",", ":"))}

    # -- conventions

    def shown_between(self, start: date | None, end: date | None) -> Markup:
        """Attributes that show an element only between two dates (both included), in the browser from
        the visitor's date (``assets/maillage/dates.js``), and in the built page from the build date."""
        today = self.model.today
        hidden = (start is not None and today < start) or (end is not None and today > end)
        attrs = []
        if start is not None:
            attrs.append(f'data-maillage-du="{start.isoformat()}"')
        if end is not None:
            attrs.append(f'data-maillage-au="{end.isoformat()}"')
        if hidden:
            attrs.append("hidden")
        return Markup(" ".join(attrs))

    @staticmethod
    def next_day(day: date) -> date:
        return day + timedelta(days=1)

    @staticmethod
    def announce_from(start: date) -> date:
        """Temporary information is announced on the record page a month before it starts."""
        return start - timedelta(days=ANNOUNCE_DAYS)

    def stale_from(self, verified: date) -> date:
        """The first day a record verified on ``verified`` counts as « périmé » (see steering/freshness)."""
        return add_months(verified, self.meta.verification_mois) + timedelta(days=1)

    def relative(self, day: date) -> Markup:
        """« dans 12 jours », recomputed in the browser from the visitor's date."""
        return Markup('<span data-maillage-relatif="{}">{}</span>').format(day.isoformat(),
                                                                          french.days_from(day, self.model.today))

    def deadlines(self) -> list[dict[str, object]]:
        """Running conventions whose end or notice date falls within ``echeance_jours``, soonest first.

        Each reason names its own date and how far it is (« préavis à donner avant le 10 décembre
        2026 (dans 11 jours) ; fin le 10 février 2027 (dans 73 jours) »). Deadlines of the next
        quarter after that are in the page too, hidden: a page read weeks after its build shows
        what is due from the reader's date.
        """
        today, horizon = self.model.today, self.meta.echeance_jours
        found = followup.deadlines(self.model.conventions, today, horizon + READ_LATER_DAYS)
        by_convention: dict[str, list[followup.Deadline]] = defaultdict(list)
        for d in found:
            by_convention[d.convention_id].append(d)
        records = self.records
        out = []
        for cid, items in by_convention.items():
            reasons = [{"text": f"{DEADLINE_WORDING[d.what]} {french.date_fr(d.day)}", "day": d.day,
                        "from": d.day - timedelta(days=horizon)} for d in items]
            out.append({"convention": records[cid], "date": items[0].day, "reasons": reasons,
                        "from": items[0].day - timedelta(days=horizon), "to": items[-1].day})
        return sorted(out, key=lambda d: (d["date"], d["convention"].id))  # type: ignore[index, union-attr]

    def totals(self) -> tuple[followup.FinancerTotal, ...]:
        """Annual amounts per financer, estimated once for every page (see :mod:`maillage.steering.followup`)."""
        return followup.compute_followup(self.model).financers

    @staticmethod
    def financer(financeur: str, precision: str | None) -> str:
        if financeur == "autre" and precision:
            return precision
        return labels.FINANCEURS.label(financeur)


READ_LATER_DAYS = 92  # deadlines that enter the window within a quarter after the build are in the page
ANNOUNCE_DAYS = 30  # a temporary closure shows on its record page a month ahead
DEADLINE_WORDING = {"fin": "fin le", "preavis": "préavis à donner avant le",
                    "denonciation": "date limite de dénonciation le"}


class PageRenderer:
    def __init__(self, model: Model, gazetteer: Gazetteer | None = None, map_assets: str = "",
                 history: RegistryHistory | None = None) -> None:
        self.ctx = SiteContext(model, gazetteer, history)
        self.env = _environment()
        self.model = model
        self.map_assets = map_assets  # trusted HTML (script/link tags) added after each record map

    def _render(self, template: str, root: str, **values: object) -> str:
        return self.env.get_template(template).render(ctx=self.ctx, model=self.model, meta=self.model.meta,
                                                      root=root, map_assets=self.map_assets, **values)

    def record(self, record: Record) -> RecordPage:
        """A record page: its kind's template (``core/kinds.py``) rendered for it."""
        kind = kind_of(record)
        body = self._render(kind.template, "../../", record=record)
        return RecordPage(kind.folder, record.id, record.titre, page_block(body))

    def index_grouped(self, kind: RecordKind) -> GeneratedPage:
        """The index of a kind with a main vocabulary: its records grouped by category, in French order."""
        assert kind.vocabulary is not None
        groups: dict[str, list[Record]] = defaultdict(list)
        for record in self.model.of_kind(kind.folder):
            groups[getattr(record, kind.category_field)].append(record)
        named = [(self.ctx.plural_label(kind.vocabulary, term), sorted(items, key=_record_order))
                 for term, items in groups.items()]
        body = self._render(kind.index_template, "../", groups=sorted(named, key=lambda g: sort_key(g[0])))
        return _page(f"{kind.folder}/index.md", kind.title, body, in_nav=True)

    def index_conventions(self) -> GeneratedPage:
        body = self._render(CONVENTION.index_template, "../", deadlines=self.ctx.deadlines(), totals=self.ctx.totals())
        return _page(f"{CONVENTION.folder}/index.md", CONVENTION.title, body, in_nav=True, wide=True)

    def territoires(self) -> GeneratedPage:
        body = territories_page(self.model, coverage=cached_coverage(self.model))
        return _page("territoires/index.md", "Territoires", body, in_nav=True, wide=True)

    def nouveautes(self) -> GeneratedPage:
        body = self._render("nouveautes.html.j2", "../", changes=self.ctx.latest_changes())
        return _page("nouveautes/index.md", "Nouveautés", body, in_nav=True)

    def index_pages(self) -> list[GeneratedPage]:
        pages = [self.index_grouped(k) if k.vocabulary else self.index_conventions() for k in KINDS]
        return [*pages, self.territoires(), self.nouveautes()]

    def records(self) -> list[Record]:
        """Every record that has a page, in the order of the site (the order of the kinds table)."""
        return [record for kind in KINDS for record in self.model.of_kind(kind.folder)]

    def record_pages(self) -> Iterator[RecordPage]:
        for record in self.records():
            yield self.record(record)


def _record_order(record: Record) -> tuple[tuple[str, str], ...]:
    """People by name then first name, services by name: in French alphabetical order."""
    if isinstance(record, Professionnel):
        return (sort_key(record.nom), sort_key(record.prenom), (record.id, ""))
    return (sort_key(record.titre), (record.id, ""))


def record_folders(model: Model) -> list[str]:
    """The folders holding record pages, in the order of the site (only those with records)."""
    return [kind.folder for kind in KINDS if model.of_kind(kind.folder)]


def generate_pages(model: Model, gazetteer: Gazetteer | None = None, map_assets: str = "") -> list[GeneratedPage]:
    """Every generated page of the site for this model (already viewed for its audience), as Markdown."""
    renderer = PageRenderer(model, gazetteer, map_assets)
    return [*renderer.index_pages(), *(page.as_markdown() for page in renderer.record_pages())]
