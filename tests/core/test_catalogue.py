"""The error catalogue is the single source of every message, typed, and its documentation is generated."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import markdown
import pytest

from maillage.core.problem_types import Maybe, ProblemFieldError, Reasons
from maillage.core.problems import CATALOGUE, RESERVED, finding, problem
from maillage.dev import gen_docs
from maillage.dev.catalogue_doc import catalogue_markdown, escape_markdown, example_message

SOURCE = Path(__file__).resolve().parents[2] / "scripts" / "maillage"
CODE_USE = re.compile(
    r"""(?:problem|finding|self\.add|self\.warn|_at|at|\w+\.fail)\(\s*(?:[\w.]+,\s*)?["']([a-z0-9-]+)["']"""
)
# Helpers that build a problem from a code given first (or after one argument): their own parameters.
BUILDERS = {"problem": set(), "finding": set(), "add": {"key"}, "_at": {"key"}, "at": {"key"}, "fail": set(),
            "warn": set()}


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


# --- Typed fields -----------------------------------------------------------------------------


def _every_form() -> list[tuple[str, dict[str, str]]]:
    """Each entry with each of its reasons."""
    forms: list[tuple[str, dict[str, str]]] = []
    for code, entry in CATALOGUE.items():
        reasons = entry.reasons()
        forms.append((code, {}))
        for name, field in reasons.items():
            forms += [(code, {name: key}) for key in field.choices if key != field.example]
    return forms


FORMS = _every_form()


@pytest.mark.parametrize(("code", "chosen"), FORMS, ids=[f"{c}-{'-'.join(k.values())}" for c, k in FORMS])
def test_every_form_builds_from_its_example_and_refuses_wrong_fields(code: str, chosen: dict[str, str]) -> None:
    entry = CATALOGUE[code]
    values = entry.example(**chosen)
    built = problem(code, "registry/professionnels/x.yaml", 3, 5, **values)
    assert built.severity is entry.severity and built.message and built.location().endswith(":3:5")
    assert "{" not in built.message and "None" not in built.message, built.message
    declared = entry.declared(values)
    for name, kind in declared.items():
        if isinstance(kind, Maybe):  # optional: the message says less (or says it otherwise) without it
            without = finding(code, **{k: v for k, v in values.items() if k != name}).message
            assert without != built.message and "None" not in without, name
            continue
        # Without its reason, a reason's own fields are undeclared: an error too.
        with pytest.raises(ProblemFieldError, match=None if isinstance(kind, Reasons) else "missing"):
            finding(code, **{k: v for k, v in values.items() if k != name})
        with pytest.raises(ProblemFieldError, match=None if isinstance(kind, Reasons) else "does not accept"):
            finding(code, **{**values, name: object()})
    with pytest.raises(ProblemFieldError, match="undeclared"):
        finding(code, **values, detail="Une phrase écrite ailleurs.")


def test_reasons_are_a_closed_set() -> None:
    with pytest.raises(ProblemFieldError):
        finding("yaml-syntax", reason="une explication libre")
    with pytest.raises(KeyError):
        problem("code-inconnu", "x.yaml")


def test_no_field_carries_free_sentences() -> None:
    """No « detail »: a sentence is written once, in the catalogue, and chosen by its key."""
    for entry in CATALOGUE.values():
        names = set(entry.fields) | {n for r in entry.reasons().values() for c in r.choices.values() for n in c.fields}
        assert not names & {"detail", "message", "text", "where"}, entry.code
        assert not names & RESERVED, entry.code


def _declared_names(code: str, chosen: dict[str, str]) -> tuple[set[str], set[str], bool]:
    """For ``code`` and the reasons a call names literally: (the fields it may give, those it must give,
    whether every reason is known)."""
    entry = CATALOGUE[code]
    allowed, required = set(entry.fields), {n for n, k in entry.fields.items() if not isinstance(k, Maybe)}
    known = True
    for name, field in entry.reasons().items():
        assert isinstance(field, Reasons)
        if name in chosen:
            choice = field.choices[chosen[name]]
            allowed |= set(choice.fields)
            required |= {n for n, k in choice.fields.items() if not isinstance(k, Maybe)}
        else:
            known = False
            allowed |= {n for c in field.choices.values() for n in c.fields}
    return allowed, required, known


def test_every_call_site_gives_the_declared_fields() -> None:
    """Statically, over the whole source: a call with a catalogued code gives exactly its fields."""
    checked = 0
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name not in BUILDERS or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and first.value in CATALOGUE):
                continue
            if any(k.arg is None for k in node.keywords):
                continue  # **fields: checked when the problem is built
            given = {k.arg for k in node.keywords} - BUILDERS[name] - RESERVED
            chosen = {str(k.arg): k.value.value for k in node.keywords
                      if isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)}
            allowed, required, known = _declared_names(first.value, chosen)
            where = f"{path.relative_to(SOURCE)}:{node.lineno} {first.value}"
            assert given <= allowed, (where, given - allowed)
            if known:
                assert required <= given, (where, required - given)
            checked += 1
    assert checked > 60


# --- The generated page -----------------------------------------------------------------------


def _page_html() -> str:
    text = (gen_docs.REPO / "docs" / "contribuer" / "messages.md").read_text(encoding="utf-8")
    return markdown.markdown(text, extensions=["admonition", "attr_list", "md_in_html", "toc"])


def test_page_shows_examples_never_placeholders() -> None:
    text = catalogue_markdown()
    assert "‹" not in text and "{" not in text.replace("\\{", "")
    for code, entry in CATALOGUE.items():
        assert example_message(entry) in text, code


def test_page_shows_syntax_as_code_and_no_live_link() -> None:
    html = _page_html()
    assert "<a " not in html  # « écrivez [texte](https://…) » is shown, not turned into a link
    assert "<code>[texte](https://…)</code>" in html
    assert "<code>maillage new</code>" in html
    # Messages quoting YAML syntax keep their characters: « &nom », « *nom », « <<: ».
    assert "(« &amp;nom », « *nom »)" in html and "« &lt;&lt;: »" in html


def test_escaping_keeps_text_as_written() -> None:
    html = markdown.markdown(escape_markdown("[a](https://x) *b* _c_ <i>d</i> `e` {: #f}"))
    assert html == "<p>[a](https://x) *b* _c_ &lt;i&gt;d&lt;/i&gt; `e` {: #f}</p>"
