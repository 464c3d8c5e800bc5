"""Cross-site scripting: hostile payloads in every free-text and URL field of every record kind.

For each payload, one professional, one structure and one convention carry it in every
free-text and URL field. The validator either refuses a field with a specific code, or
accepts it; the accepted ones are then built into a real site (``maillage build``) whose
every HTML page, JSON index and export is checked: the text is data, never markup,
never a script, never a dangerous link. Real Chromium finally loads the directory and
record pages and no dialog opens, no injected script runs.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from browser_support import NEEDS_CHROMIUM, Tab, serve
from conftest import make_registry
from maillage.cli.main import main
from xss_support import (
    BASES,
    CONV,
    FIELD_CODES,
    FIELDS,
    FOLDER,
    PAYLOADS,
    PRO,
    STRUCT,
    TEXT_CODES,
    URL_CODES,
    _records,
    _schema_path,
    _targets,
    internal_of,
    write_record,
)


def test_every_free_text_and_url_field_is_covered() -> None:
    for kind in BASES:
        covered = {_schema_path(p) for p, _ in _targets(kind)}
        assert covered == set(FIELDS[kind]), (kind, set(FIELDS[kind]) - covered)


def test_payloads_are_many_and_distinct() -> None:
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)


def _validate(root: Path) -> tuple[int, list[dict[str, Any]]]:
    out = io.StringIO()
    internal = ["--internal", str(internal_of(root))] if internal_of(root).is_dir() else []
    with redirect_stdout(out):
        code = main(["validate", "--registry", str(root), "--format", "json", *internal])
    return code, json.loads(out.getvalue())["problems"]


def _verdicts(tmp: Path, index: int, payload: str) -> dict[tuple[str, tuple[str | int, ...]], set[str]]:
    """(kind, field path) → codes of the errors reported on that field (empty: accepted)."""
    root = make_registry(tmp / f"v{index}")
    refs = {"professionnel": "xss-pro", "structure": "xss-str"}
    for kind, rid in ((PRO, "xss-pro"), (STRUCT, "xss-str"), (CONV, "xss-conv")):
        write_record(root, kind, rid, _records(kind, payload, None, rid, refs))
    _code, problems = _validate(root)
    verdicts: dict[tuple[str, tuple[str | int, ...]], set[str]] = {}
    by_file = {PRO: "xss-pro.yaml", STRUCT: "xss-str.yaml", CONV: "xss-conv.yaml"}
    for kind in BASES:
        for path, _is_url in _targets(kind):
            dotted = ".".join(map(str, path))
            verdicts[(kind, path)] = {p["code"] for p in problems if p["file"].endswith(by_file[kind])
                                      and p["path"] == dotted and p["severity"] == "erreur"}
    unplaced = [p for p in problems if p["severity"] == "erreur"
                and not any(p["path"] == ".".join(map(str, path)) for kind in BASES for path, _ in _targets(kind))]
    assert unplaced == [], unplaced
    return verdicts


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[tuple[str, tuple[str | int, ...]], set[str]]]:
    mp = pytest.MonkeyPatch()
    mp.setenv("MAILLAGE_TODAY", "2026-11-22")
    try:
        tmp = tmp_path_factory.mktemp("xss-validate")
        return {payload: _verdicts(tmp, i, payload) for i, payload in enumerate(PAYLOADS)}
    finally:
        mp.undo()


_DANGEROUS_TEXT = re.compile(
    r"<\s*[a-zA-Z!/?]|javascript|vbscript|data:text|&#|&[a-z]+;|\]\(\s*<?(?!https://|mailto:|tel:)", re.IGNORECASE)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_validator_refuses_with_a_specific_code_or_accepts_inert_text(payload: str, verdicts) -> None:
    for (kind, path), codes in verdicts[payload].items():
        is_url = FIELDS[kind][_schema_path(path)]
        name = str(path[-1]) if isinstance(path[-1], str) else str(path[-2])
        if is_url:
            assert codes <= URL_CODES, (kind, path, codes)
            # Only a real https:// address without quotes or spaces can be a link.
            if not (payload.startswith("https://") and not re.search(r"[\s\"'<>`]", payload)):
                assert codes, (kind, path, "URL accepted")
        else:
            assert codes <= TEXT_CODES | FIELD_CODES.get(name, set()), (kind, path, codes)
            if _DANGEROUS_TEXT.search(payload) or re.search(r"[\u0000-\u0008\u200b\u2028]", payload):
                assert codes, (kind, path, "markup accepted as text")


# --- The accepted payloads, built into a real site ------------------------------------------

def _accepted(verdicts) -> dict[str, dict[str, set[tuple[str | int, ...]]]]:
    accepted: dict[str, dict[str, set[tuple[str | int, ...]]]] = {}
    for payload, table in verdicts.items():
        fields: dict[str, set[tuple[str | int, ...]]] = {kind: set() for kind in BASES}
        for (kind, path), codes in table.items():
            if not codes:
                fields[kind].add(path)
        if any(fields.values()):
            accepted[payload] = fields
    return accepted


@pytest.fixture(scope="module")
def built(verdicts, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    mp = pytest.MonkeyPatch()
    mp.setenv("MAILLAGE_TODAY", "2026-11-22")
    try:
        base = tmp_path_factory.mktemp("xss-site")
        accepted = _accepted(verdicts)
        root = make_registry(base / "registry")
        ids: dict[str, dict[str, str]] = {}
        for index, (payload, fields) in enumerate(sorted(accepted.items())):
            refs = {"professionnel": f"xss-{index}-pro", "structure": f"xss-{index}-str"}
            ids[payload] = {PRO: refs["professionnel"], STRUCT: refs["structure"], CONV: f"xss-{index}-conv"}
            for kind in BASES:
                text = _records(kind, payload, fields[kind], ids[payload][kind], refs)
                write_record(root, kind, ids[payload][kind], text)
        code, problems = _validate(root)
        assert code == 0, [p for p in problems if p["severity"] == "erreur"][:5]
        site = base / "site"
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            assert main(["build", "--registry", str(root), "--site-dir", str(site)]) == 0, err.getvalue()
        return {"site": site, "accepted": accepted, "ids": ids}
    finally:
        mp.undo()


def test_some_payloads_are_accepted_as_text(built) -> None:
    accepted = built["accepted"]
    assert "{{7*7}}" in accepted and "Tom & Jerry \"quotes\" 'apostrophes' <3" in accepted
    assert len(accepted) >= 10


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        self._in_script = tag in ("script", "style")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if not self._in_script:
            self.text.append(data)


_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background"}
_SAFE_SCHEME = re.compile(r"^(?:https:|mailto:|tel:|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)


def _check_page(path: Path, html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    for tag, attrs in page.elements:
        names = {name for name, _ in attrs}
        assert not [n for n in names if n.startswith("on")], (path, tag, attrs)
        for name, value in attrs:
            if name == "style":
                assert "url(" not in (value or "") and "expression" not in (value or ""), (path, tag, attrs)
            if name in _URL_ATTRIBUTES and value is not None:
                for candidate in (value.split(",") if name == "srcset" else [value]):
                    url = candidate.strip().split(" ")[0]
                    assert _SAFE_SCHEME.match(url), (path, tag, name, value)
                    assert not url.startswith("//"), (path, tag, name, value)
        if tag == "script":
            attributes = dict(attrs)
            assert attributes.get("src") or attributes.get("type") == "application/json", (path, attrs)
        assert tag not in ("iframe", "object", "embed", "base", "svg", "math") or not any(
            n for n in names if n in ("srcdoc", "action", "data")), (path, tag, attrs)
        if tag == "meta":
            assert dict(attrs).get("http-equiv", "").lower() != "refresh", (path, attrs)
    return page


def test_every_built_page_is_inert(built) -> None:
    site: Path = built["site"]
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 3 * len(built["accepted"])
    for path in pages:
        html = path.read_text(encoding="utf-8")
        _check_page(path, html)
        # A payload's "<" is always escaped (a quote may stay raw in text, never in an attribute:
        # the attribute check above would see the handler it opens).
        for payload in built["accepted"]:
            if "<" in payload:
                assert payload not in html, (path, payload)


def test_accepted_text_reads_exactly_as_written_on_record_pages(built) -> None:
    site: Path = built["site"]
    for payload, fields in built["accepted"].items():
        for kind in BASES:
            if not fields[kind]:
                continue
            rid = built["ids"][payload][kind]
            page = _check_page(site, (site / FOLDER[kind] / rid / "index.html").read_text(encoding="utf-8"))
            text = re.sub(r"\s+", " ", "".join(page.text))
            shown = re.sub(r"\s+", " ", payload).strip()
            markdown_fields = {("description",), ("interne", "notes"), ("objet",), ("conditions_acces",),
                               ("admission", "procedure")}
            plain = [p for p in fields[kind] if tuple(str(x) for x in p) not in markdown_fields
                     and p[-1] not in ("site_web", "rendez_vous", "url") and p[0] != "interne"]
            if plain and not re.search(r"[*_`\[\]#]", payload):
                assert shown in text, (kind, rid, payload)
            if "7*7" in payload:
                assert "49" not in text.replace(rid, ""), (kind, rid, payload)


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _name_payloads(built) -> list[str]:
    return [p for p, fields in built["accepted"].items() if ("nom",) in fields[PRO]]


def test_json_indexes_and_exports_carry_the_text_as_data(built) -> None:
    site: Path = built["site"]
    names = _name_payloads(built)
    assert names
    for relative in ("annuaire/index.json", "donnees/registre.json", "donnees/registre.geojson"):
        strings = set(_json_strings(json.loads((site / relative).read_text(encoding="utf-8"))))
        joined = "\n".join(strings)
        for payload in names:
            assert payload in strings or payload in joined, (relative, payload)
    for relative in ("donnees/professionnels.csv", "donnees/tableur/professionnels.csv"):
        raw = (site / relative).read_text(encoding="utf-8-sig")
        delimiter = ";" if "tableur" in relative else ","
        cells = {cell for row in csv.reader(io.StringIO(raw), delimiter=delimiter) for cell in row}
        for payload in names:
            formula = payload[:1] in "=+-@"
            assert payload in cells or (formula and "'" + payload in cells) or (
                formula and "tableur" not in relative), (relative, payload)
        if "tableur" in relative:
            assert not [c for c in cells if c[:1] in "=+@" and "cmd|" in c], relative
    # Every JSON file of the site parses (a payload never breaks out of a string).
    for path in site.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    for path in site.rglob("*.geojson"):
        json.loads(path.read_text(encoding="utf-8"))
    # Embedded JSON configuration cannot be closed by a payload.
    for path in site.rglob("*.html"):
        for block in re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>',
                                path.read_text(encoding="utf-8"), flags=re.S):
            json.loads(block)


def test_calendar_export_lines_are_not_broken_by_text(built) -> None:
    ics = (built["site"] / "donnees" / "conventions.ics").read_text(encoding="utf-8")
    for line in ics.split("\r\n"):
        if line:
            assert re.match(r"^(?:[A-Z-]+[;:]|[ \t])", line), line


# --- Real Chromium -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(built) -> Iterator[str]:
    with serve(built["site"]) as url:
        yield url


@pytest.mark.browser
@NEEDS_CHROMIUM
def test_no_payload_runs_in_chromium(built, served, browser) -> None:
    names = _name_payloads(built)
    urls = [f"{served}/annuaire/", f"{served}/conventions/", f"{served}/professionnels/",
            f"{served}/structures/"]
    urls += [f"{served}/annuaire/?q={quote(p)}" for p in names[:8]]
    for payload in list(built["accepted"])[:25]:
        for kind in BASES:
            urls.append(f"{served}/{FOLDER[kind]}/{built['ids'][payload][kind]}/")
    tab = Tab(browser)
    try:
        page = tab.page
        for url in urls:
            page.goto(url)
            if "/annuaire/" in url:
                page.wait_for_selector("#maillage-annuaire[data-etat='pret']")
            page.wait_for_load_state("load")
            page.mouse.move(200, 300)
            assert page.evaluate("() => window.__xss === undefined && (window.parent.__xss === undefined)"), url
            assert page.evaluate("() => document.querySelectorAll('iframe, object, embed').length") == 0, url
        assert tab.dialogs == []
        assert not [u for u in tab.blocked if "evil" in u], tab.blocked
    finally:
        tab.close()
