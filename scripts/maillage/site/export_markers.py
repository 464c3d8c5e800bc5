"""Markers that hand-written pages may contain, and the functions that fill them.

A page containing ``<!-- maillage:NAME -->`` gets the marker replaced (by the site plugin)
with the Markdown returned by ``MARKERS[NAME](model)``.
"""

from __future__ import annotations

from collections.abc import Callable

from maillage.core.model import Model
from maillage.exports.docs import fields_markdown, files_markdown

MARKERS: dict[str, Callable[[Model], str]] = {
    "champs": fields_markdown,
    "fichiers": files_markdown,
}
