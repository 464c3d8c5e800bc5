"""The error catalogue is the single source of every message, and its documentation is generated."""

from __future__ import annotations

import re
from pathlib import Path

from maillage.core.problems import CATALOGUE
from maillage.dev import gen_docs
from maillage.dev.catalogue_doc import catalogue_markdown

SOURCE = Path(__file__).resolve().parents[1] / "scripts" / "maillage"
CODE_USE = re.compile(
    r"""(?:problem|self\.add|_at|at|\w+\.fail)\(\s*(?:[\w.]+,\s*)?["']([a-z0-9-]+)["']"""
)


def codes_used_in_source() -> set[str]:
    used: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= {m for m in CODE_USE.findall(text) if m in CATALOGUE or "-" in m}
        used |= set(re.findall(r'f"\{scheme\}-key"', text) and {"finess-key", "siret-key"})
    return used


def test_every_code_used_in_source_is_catalogued() -> None:
    unknown = {code for code in codes_used_in_source() if code not in CATALOGUE}
    assert not unknown


def test_every_catalogued_code_is_documented_once() -> None:
    doc = catalogue_markdown()
    for code in CATALOGUE:
        assert doc.count(f"#### `{code}`") == 1, code


def test_committed_documentation_is_up_to_date() -> None:
    assert gen_docs.main(check=True) == 0, "lancez : python -m maillage.dev.gen_docs"


def test_messages_are_french_sentences() -> None:
    for entry in CATALOGUE.values():
        assert entry.template.strip() and entry.meaning.endswith(".") and entry.fix.endswith("."), entry.code
