"""Link integrity of the sample site: every internal link and asset of every page resolves.

The sample registry is built with ``maillage build`` into a temporary folder; for every
HTML page, every ``href``, ``src``, ``srcset``, ``url()`` in inline styles, and every data
file the scripts fetch (``data-index``, ``data-communes``, ``data-secteurs``) must point to a
file of the site (a folder URL means its ``index.html``); fragments must name an element of
the target page. External links are only listed, never fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

DATA_ATTRIBUTES = ("data-index", "data-communes", "data-secteurs")
URL_IN_STYLE = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: set[str] = set()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and tag != "meta":
                self.ids.add(value)
            if name in ("href", "src") and not (tag == "link" and dict(attrs).get("rel") in ("canonical",)):
                self.refs.append((tag, name, value))
            elif name == "srcset":
                self.refs += [(tag, name, part.strip().split(" ")[0]) for part in value.split(",") if part.strip()]
            elif name in DATA_ATTRIBUTES:
                self.refs.append((tag, name, value))
            elif name == "style":
                self.refs += [(tag, "style", url) for url in URL_IN_STYLE.findall(value)]

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.refs += [("style", "url()", url) for url in URL_IN_STYLE.findall(data)]


@pytest.fixture(scope="module")
def site(sample_sites: dict[str, Path]) -> Path:
    """The sample registry's public site, built once for the whole run (see conftest.sample_sites)."""
    return sample_sites["public"]


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _pages(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


def resolve(site: Path, page: Path, url: str) -> tuple[Path, str] | None:
    """The file an internal URL points to and its fragment; ``None`` for an external URL."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path, fragment = urldefrag(url)
    path = unquote(urlsplit(path).path)
    if not path:
        return page, fragment
    base = PurePosixPath("/" + page.relative_to(site).as_posix()).parent
    target = PurePosixPath(path) if path.startswith("/") else base / path
    parts_out: list[str] = []
    for part in target.parts[1:]:
        if part == "..":
            assert parts_out, f"{url} leaves the site from {page}"
            parts_out.pop()
        elif part != ".":
            parts_out.append(part)
    resolved = site.joinpath(*parts_out)
    if url.split("#")[0].split("?")[0].endswith("/") or resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved, fragment


def test_every_internal_link_and_asset_resolves(site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    broken: list[str] = []
    external: set[str] = set()
    checked = 0
    for page in _pages(site):
        links = _parse(page)
        ids[page] = links.ids
        for tag, attribute, url in links.refs:
            if url.startswith(("mailto:", "tel:", "data:")):
                continue
            target = resolve(site, page, url)
            if target is None:
                external.add(url)
                continue
            checked += 1
            if not target[0].is_file():
                broken.append(f"{page.relative_to(site)}: <{tag} {attribute}={url!r}> → {target[0].relative_to(site)}")
    assert broken == [], "\n".join(broken[:30])
    assert checked > 5000
    assert all(u.startswith("https://") for u in external), sorted(u for u in external
                                                                   if not u.startswith("https://"))[:10]


def test_every_fragment_names_an_element_of_its_page(site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    missing: list[str] = []
    for page in _pages(site):
        for _tag, attribute, url in _parse(page).refs:
            if attribute not in ("href",) or "#" not in url or url.startswith(("mailto:", "tel:")):
                continue
            target = resolve(site, page, url)
            if target is None or not target[1] or not target[0].is_file() or target[0].suffix != ".html":
                continue
            if target[0] == site / "admin" / "index.html":
                # The web editor's routes name a collection and a record, not an element.
                route = re.fullmatch(r"/collections/([a-z]+)/entries/([a-z0-9-]+)", target[1])
                if route is None or not (site / route[1] / route[2] / "index.html").is_file():
                    missing.append(f"{page.relative_to(site)}: {url}")
                continue
            if target[0] not in ids:
                ids[target[0]] = _parse(target[0]).ids
            if target[1] not in ids[target[0]] and target[1] != "__skip":
                missing.append(f"{page.relative_to(site)}: {url}")
    assert missing == [], "\n".join(missing[:30])


def test_data_files_the_scripts_fetch_exist(site: Path) -> None:
    for relative in ("annuaire/index.json", "annuaire/communes.json", "commune/secteurs.json"):
        assert (site / relative).is_file(), relative
    annuaire = _parse(site / "annuaire" / "index.html")
    commune = _parse(site / "commune" / "index.html")
    fetched = [(site / "annuaire" / "index.html", u) for _t, a, u in annuaire.refs if a in DATA_ATTRIBUTES]
    fetched += [(site / "commune" / "index.html", u) for _t, a, u in commune.refs if a in DATA_ATTRIBUTES]
    assert len(fetched) >= 4
    for page, url in fetched:
        target = resolve(site, page, url)
        assert target is not None and target[0].is_file(), url


def test_every_file_listed_on_the_data_page_exists(site: Path) -> None:
    page = site / "donnees" / "index.html"
    listed = {url for _t, attribute, url in _parse(page).refs if attribute == "href"
              and re.search(r"\.(csv|json|geojson|ics)$", url.split("#")[0])}
    for name in ("professionnels.csv", "structures.csv", "conventions.csv", "registre.json", "registre.geojson",
                 "datapackage.json", "data-inclusion/structures.json", "data-inclusion/services.json",
                 "conventions.ics"):
        assert any(url.endswith(name) for url in listed), name
    for url in listed:
        target = resolve(site, page, url)
        assert target is not None and target[0].is_file(), url


def test_record_pages_link_to_each_other_both_ways(site: Path) -> None:
    """Every record page is reachable from its list page (nothing is orphaned)."""
    for folder in ("professionnels", "structures", "conventions"):
        listed = {resolve(site, site / folder / "index.html", url)[0]  # type: ignore[index]
                  for _t, a, url in _parse(site / folder / "index.html").refs
                  if a == "href" and resolve(site, site / folder / "index.html", url) is not None}
        pages = {p for p in (site / folder).glob("*/index.html")}
        assert pages and pages <= listed, sorted(str(p) for p in pages - listed)[:5]
