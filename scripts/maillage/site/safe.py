"""Turning untrusted record values into HTML that cannot run anything.

Every value that comes from a record is untrusted. Plain values are escaped with
:func:`escape`; the few free-text fields that allow light Markdown go through
:func:`render_markdown` (Markdown, then an ``nh3`` allow-list); link targets go
through :func:`safe_url`, which keeps only ``https:``, ``mailto:`` and ``tel:``.
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup

ALLOWED_SCHEMES = frozenset({"https", "mailto", "tel"})

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_REL = "nofollow noopener"

# Characters that browsers drop or treat as whitespace when they parse a URL scheme.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def escape(text: object) -> Markup:
    """HTML-escape any value (quotes included) so it is safe in text and attributes."""
    if text is None:
        return Markup("")
    return Markup(html.escape(str(text), quote=True))


def safe_url(url: str | None) -> str | None:
    """The URL if its scheme is allowed (https, mailto, tel), else ``None``.

    The result still has to be escaped when it is written into an attribute.
    Relative URLs, protocol-relative URLs (``//host``) and every other scheme
    (``javascript:``, ``data:``, ``vbscript:``, ``http:``…) are refused, whatever
    their case, entity encoding or embedded control characters.
    """
    if not url:
        return None
    decoded = html.unescape(str(url))
    decoded = unicodedata.normalize("NFKC", decoded)
    compact = _INVISIBLE.sub("", decoded)
    match = _SCHEME.match(compact)
    if not match or match.group(1).lower() not in ALLOWED_SCHEMES:
        return None
    if match.group(1).lower() == "https" and not compact[match.end():].startswith("//"):
        return None
    if compact != decoded.strip():
        # Hidden characters inside the URL: refuse rather than guess what the author meant.
        return None
    return compact


def tel_url(number: str) -> str:
    """A ``tel:`` link for a French number (``02 61 91 12 34`` → ``tel:+33261911234``)."""
    digits = re.sub(r"[^0-9+]", "", number)
    if digits.startswith("+"):
        return f"tel:{digits}"
    if digits.startswith("0") and len(digits) == 10:
        return f"tel:+33{digits[1:]}"
    return f"tel:{digits}"


def mailto_url(address: str) -> str:
    return "mailto:" + quote(address, safe="@.+-_")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return safe_url(value)
    return value


def sanitise_html(fragment: str) -> Markup:
    """Keep only the allow-listed tags and attributes, and only safe links."""
    cleaned = nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        attribute_filter=_filter_attribute,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )
    return Markup(cleaned)


def render_markdown(text: str | None) -> Markup:
    """Render light Markdown (bold, italics, lists, links) to sanitised HTML.

    Raw HTML in the source is escaped (shown as text), never interpreted; the
    result then goes through the ``nh3`` allow-list anyway.
    """
    if not text:
        return Markup("")
    source = html.escape(str(text), quote=False)
    rendered = _markdown_converter().reset().convert(source)
    return sanitise_html(rendered)


_CONVERTERS = threading.local()


def _markdown_converter() -> markdown.Markdown:
    """One converter per thread, reset between texts: building one costs more than converting
    a short text (it was 10 % of a 10,000-record build)."""
    converter = getattr(_CONVERTERS, "markdown", None)
    if converter is None:
        converter = _CONVERTERS.markdown = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    return converter


def plain_title(text: str) -> str:
    """A title safe for MkDocs' ``page.title``, which themes print without escaping.

    Angle brackets become look-alike quotes and ``&`` is escaped, so neither the
    raw output nor a ``striptags`` pass (which unescapes entities) can open a tag.
    """
    return str(text).replace("&", "&amp;").replace("<", "‹").replace(">", "›")
