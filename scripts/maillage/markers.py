"""Markers that hand-written pages may contain, and the functions that fill them.

A page containing ``<!-- maillage:NAME -->`` gets the marker replaced (by the site plugin)
with the Markdown returned by ``MARKERS[NAME](model)``.
"""

from __future__ import annotations

from collections.abc import Callable

from .exports.docs import fields_markdown, files_markdown
from .model import Model

MARKERS: dict[str, Callable[[Model], str]] = {
    "champs": fields_markdown,
    "fichiers": files_markdown,
}
