"""Untrusted record values become inert HTML: escaping, sanitised Markdown, safe links."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from maillage.core.hours import opening_hours_fr
from maillage.site.safe import escape, plain_title, render_markdown, safe_url, tel_url

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#58;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](//evil.example/)",
    "[x](http://evil.example/)",
    "[x](https://ok.example/\"onmouseover=\"alert(1))",
    "[x](https://ok.example/ \"title\" onmouseover=alert(1))",
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "![img](https://evil.example/pixel.png)",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<!-- --><script>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "[x]: javascript:alert(1)\n\n[lien][x]",
    "<details open ontoggle=alert(1)>",
    "`<script>alert(1)</script>`",
    "<style>*{display:none}</style>",
    "<form action=https://evil.example><button>ok</button></form>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
]

ALLOWED = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code"}


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML (text stays text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def assert_inert(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.elements:
        assert tag in ALLOWED, html
        for name, value in attrs:
            assert name in {"href", "title", "rel"}, html
            if name == "href":
                assert (value or "").startswith(("https://", "mailto:", "tel:")), html


@pytest.mark.parametrize("payload", XSS)
def test_markdown_fields_are_inert(payload: str) -> None:
    html = render_markdown(payload)
    assert_inert(str(html))
    assert "<script" not in html.lower()


@pytest.mark.parametrize("payload", XSS)
def test_escape_neutralises_everything(payload: str) -> None:
    text = str(escape(payload))
    assert "<" not in text and ">" not in text and '"' not in text and "'" not in text


def test_escape_keeps_text_readable() -> None:
    assert escape("Centre d'action médico-sociale & précoce") == \
        "Centre d&#x27;action médico-sociale &amp; précoce"
    assert escape(None) == ""


def test_light_markdown_is_kept() -> None:
    html = render_markdown("**Sur rendez-vous**, *le matin* :\n\n- bilan\n- suivi\n\n"
                           "[Site](https://example.org/a?b=1&c=2) · [écrire](mailto:a@example.org)"
                           " · [appeler](tel:+33261911234)")
    assert "<strong>Sur rendez-vous</strong>" in html and "<em>le matin</em>" in html
    assert "<li>bilan</li>" in html
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">Site</a>' in html
    assert '<a href="mailto:a@example.org" rel="nofollow noopener">écrire</a>' in html
    assert '<a href="tel:+33261911234" rel="nofollow noopener">appeler</a>' in html


def test_raw_html_is_shown_as_text_not_interpreted() -> None:
    assert render_markdown("a <b>gras</b>") == "<p>a &lt;b&gt;gras&lt;/b&gt;</p>"


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\nscript:alert(1)",
    "java\u200bscript:alert(1)", "&#106;avascript:alert(1)", "javascript&#58;alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd", "//evil.example",
    "http://example.org", "https:evil.example", "/relative", "", None, "ｊavascript:alert(1)",
    "https://exa\u0000mple.org", "https://example.org/\u202eevil",
])
def test_safe_url_refuses(url: str | None) -> None:
    assert safe_url(url) is None


@pytest.mark.parametrize("url", [
    "https://example.org/", "HTTPS://example.org/a?b=1&c=2", "mailto:contact@example.org", "tel:+33261911234",
])
def test_safe_url_accepts(url: str) -> None:
    assert safe_url(url) == url


def test_tel_links() -> None:
    assert tel_url("02 61 91 12 34") == "tel:+33261911234"
    assert tel_url("+33 2 61 91 12 34") == "tel:+33261911234"
    assert tel_url("02.61.91.12.34") == "tel:+33261911234"


def test_plain_title_cannot_open_a_tag_even_after_striptags() -> None:
    from markupsafe import Markup

    title = plain_title("</title><script>alert(1)</script> &lt;/title&gt;")
    assert "<" not in title and ">" not in title
    # Material prints page titles with |striptags, which unescapes entities.
    assert "<" not in Markup(title).striptags()


@pytest.mark.parametrize(("osm", "french"), [
    ("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
     ["Du lundi au vendredi : 9 h – 12 h et 14 h – 17 h", "Samedi : 9 h – 12 h"]),
    ("Mo,We,Fr 08:30-12:00", ["Lundi, mercredi et vendredi : 8 h 30 – 12 h"]),
    ("Mo-Tu 08:30-12:15", ["Lundi et mardi : 8 h 30 – 12 h 15"]),
    ("Mo-Fr 09:00-17:00; PH off", ["Du lundi au vendredi : 9 h – 17 h", "Jours fériés : fermé"]),
    ("24/7", ["Tous les jours, 24 h sur 24"]),
])
def test_opening_hours_in_french(osm: str, french: list[str]) -> None:
    assert opening_hours_fr(osm) == french


@pytest.mark.parametrize("osm", ["Mo-Fr 09:00-12:00 \"sur rendez-vous\"", "sunrise-sunset", "Fr-Mo 09:00-12:00",
                                 "Mo-Fr 9h-12h", "", "week 1-53 Mo 10:00-12:00"])
def test_unknown_opening_hours_fall_back_to_raw_text(osm: str) -> None:
    assert opening_hours_fr(osm) is None


def test_generated_pages_escape_every_record_value(small_registry) -> None:  # type: ignore[no-untyped-def]
    """Even values the validator would refuse come out inert from the templates."""
    from dataclasses import replace

    from maillage.assemble.build import model_from
    from maillage.core.model import Position
    from maillage.site.pages import generate_pages
    from maillage.validation import validate

    def resolver(lieu):  # type: ignore[no-untyped-def]
        return Position(49.05, -1.44, "commune", "gazetteer"), None

    model = model_from(validate(small_registry), resolver=resolver).view("public")
    evil = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
    pro = model.professionnels[0]
    lieu = replace(pro.lieux[0], nom=evil, adresse=evil, telephone=evil, horaires=evil,
                   rendez_vous="javascript:alert(1)")
    pro = replace(pro, nom=evil, prenom=evil, description=f"[x](javascript:alert(1)) {evil}",
                  site_web="javascript:alert(1)", lieux=(lieu,))
    model = replace(model, professionnels=(pro,))
    page = next(p for p in generate_pages(model) if p.src_uri == f"professionnels/{pro.id}.md")
    body = page.content.split("---\n", 2)[2]
    assert "<script" not in body and "<img" not in body and "javascript:" not in body
    parser = _Elements()
    parser.feed(body)
    for _tag, attrs in parser.elements:
        for name, value in attrs:
            assert not name.startswith("on"), body
            if name == "href":
                assert value and not value.lower().startswith(("javascript", "data")), body
    title = page.content.split("\n")[1]
    assert "<" not in title and ">" not in title
