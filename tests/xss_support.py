"""What the cross-site scripting suite (tests/site/test_xss.py) and the privacy guard share: the
hostile payloads, the record bases carrying them in every free-text and URL field, and the helpers
that write them into a registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from conftest import CONVENTION, PROFESSIONNEL, PROFESSIONNEL_INTERNE, STRUCTURE
from maillage.core.schemas import load_schemas
from maillage.load.safe_yaml import parse_text

PAYLOADS = [
    # Script tags and event handlers.
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "<IMG SRC=x ONERROR=\"alert(1)\">",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    # Broken-out quotes and attributes.
    "\"><svg onload=window.__xss=1>",
    "'><img src=x onerror=alert(1)>",
    "\" onmouseover=\"window.__xss=1",
    "' onmouseover='window.__xss=1' x='",
    "` onmouseover=`alert(1)",
    # javascript: in every casing, with entities, whitespace and control characters.
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "JAVASCRIPT:window.__xss=1",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\u0000script:alert(1)",
    "java\u200bscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript&#58;alert(1)",
    "javascript&colon;alert(1)",
    "jav&#x09;ascript:alert(1)",
    "javascript\u3000:alert(1)",
    "ｊavascript:alert(1)",
    "https://example.org/#javascript:alert(1)",
    "https://example.org/\"onmouseover=\"alert(1)",
    "https://example.org/'onmouseover='alert(1)",
    "https://example.org/<script>",
    "https:javascript:alert(1)",
    "//evil.example/x",
    "http://evil.example/",
    # data:, vbscript: and file: URLs.
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    # SVG, MathML, iframes, forms, base, meta.
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<iframe src=javascript:alert(1)>",
    "<object data=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>ok</button></form>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    # CSS.
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "x{background:expression(alert(1))}",
    "width: expression(alert(1)); background: url(javascript:alert(1))",
    # Template injection (inert text: must come out exactly as written).
    "{{7*7}}",
    "{{ config.__class__.__init__.__globals__ }}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    "{% for x in range(3) %}{{x}}{% endfor %}",
    "${7*7} #{7*7} <%= 7*7 %>",
    "{{constructor.constructor('window.__xss=1')()}}",
    # Markdown link and image tricks.
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](x\" onerror=\"window.__xss=1)",
    "![x](https://evil.example/pixel.png)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x](https://example.org/ \"t\" onmouseover=alert(1))",
    "<javascript:alert(1)>",
    "<https://example.org/\" onmouseover=\"alert(1)>",
    "**[gras](javascript:alert(1))**",
    # Comments and breaking out of scripts.
    "<!-- --><script>alert(1)</script>",
    "--><script>alert(1)</script><!--",
    "</script><script>window.__xss=1</script>",
    "</textarea><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "\u2028\u2029</script>",
    # Harmless-looking text that still must stay text.
    "Tom & Jerry \"quotes\" 'apostrophes' <3",
    "a < b > c",
    "1 < 2 && 3 > 2",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "@SUM(1+1)",
]

PRO, STRUCT, CONV = "professionnel", "structure", "convention"
FOLDER = {PRO: "professionnels", STRUCT: "structures", CONV: "conventions"}

# Base records that fill every free-text and URL field of each kind (checked below).
# The internal sections are written to the internal registry beside the registry (``write_record``).
PRO_BASE = (PROFESSIONNEL + PROFESSIONNEL_INTERNE).replace(
    "    accessible_pmr: true\n",
    "    accessible_pmr: true\n    complement_adresse: Bâtiment B\n    rendez_vous: https://rdv.example.org/lefevre\n",
).replace("statut: actif\n", "temporaire:\n  - du: 2026-11-01\n    au: 2026-12-31\n    message: Cabinet fermé.\n"
          "    horaires: Mo-Fr 09:00-12:00\nstatut: actif\nsite_web: https://lefevre.example.org/\n").replace(
    "  notes: Préfère les courriels.\n", "  notes: Préfère les courriels.\n  contact: Mme Durand, secrétaire\n")
STRUCT_BASE = STRUCTURE.replace(
    "    horaires: Mo-Fr 09:00-17:00\n",
    "    horaires: Mo-Fr 09:00-17:00\n    nom: Antenne du centre\n    complement_adresse: Rez-de-chaussée\n"
    "    rendez_vous: https://rdv.example.org/cmp\n",
).replace("orientation:\n  requise: false\n", "orientation:\n  requise: false\n  precisions: Sur appel.\n"
          "admission:\n  procedure: Appeler le secrétariat.\n  documents: [Carnet de santé]\n"
          "conditions_acces: Enfants du secteur.\n"
          "description: Consultations pour enfants.\n"
          "site_web: https://cmp.example.org/\n").replace(
    "frais:\n  type: gratuit\n", "frais:\n  type: gratuit\n  precisions: Sans avance de frais.\n"
    "temporaire:\n  - du: 2026-11-01\n    au: 2026-12-31\n    message: Accueil fermé le mercredi.\n"
    "    horaires: Mo-Tu,Th-Fr 09:00-17:00\n").replace(
    "source: Site de la structure\n",
    "source: Site de la structure\ninterne:\n  contact: M. Morel, cadre\n  notes: Réunion annuelle.\n")
CONV_BASE = CONVENTION.replace(
    "parties:\n", "parties:\n  - professionnel: lefevre-claire\n    role: prestataire\n").replace(
    "services: [soins-psychologiques]\n",
    "services: [soins-psychologiques]\npublic:\n  description: Enfants confiés à l'ASE.\n",
).replace("    unite: par-enfant\n", "    unite: par-enfant\n  - financeur: autre\n    financeur_precision: CAF\n"
          "    mode: subvention\n").replace(
    "statut: active\n", "statut: active\ndocuments:\n  - titre: Convention signée\n"
    "    url: https://docs.example.org/convention.pdf\n    public: true\n"
    "interne:\n  contact: Mme Roux\n  notes: Bilan en juin.\n  documents:\n    - titre: Annexe financière\n"
    "      url: https://docs.example.org/annexe.pdf\n")
BASES = {PRO: PRO_BASE, STRUCT: STRUCT_BASE, CONV: CONV_BASE}

TEXT_CODES = {"text-html", "text-control", "schema-length", "child-data"}
FIELD_CODES = {"horaires": {"hours-invalid"}, "commune": {"geo-commune-mismatch"}}
URL_CODES = {"schema-link-scheme", "schema-format", "text-control", "schema-length"}


def _injectable(kind: str) -> dict[tuple[str, ...], bool]:
    """Every free-text or URL field of a kind's schema: its path ("*" for list items) → is it a URL."""
    schemas = load_schemas()
    fields: dict[tuple[str, ...], bool] = {}
    for path, node, base in schemas.walk(kind):
        target = node
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            target, _ = schemas.resolve(node["items"], base)
            path = (*path, "*")
        if target.get("type") != "string" or "enum" in target:
            continue
        pattern = target.get("pattern")
        if pattern is None or pattern.startswith("^https://"):
            fields[path] = pattern is not None
    return fields


FIELDS = {kind: _injectable(kind) for kind in BASES}


def _base_data(kind: str) -> dict[str, Any]:
    return parse_text(BASES[kind], "base.yaml", load_schemas().text_keys).data


def _string_paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, (*path, index))


def _schema_path(path: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple("*" if isinstance(p, int) else p for p in path)


def _targets(kind: str) -> list[tuple[tuple[str | int, ...], bool]]:
    """Concrete paths of the base record to inject into, with whether each is a URL field."""
    return [(p, FIELDS[kind][_schema_path(p)]) for p in _string_paths(_base_data(kind))
            if _schema_path(p) in FIELDS[kind]]


def _set(data: Any, path: tuple[str | int, ...], value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


def internal_of(root: Path) -> Path:
    """The internal registry beside a test registry."""
    return root.with_name(root.name + "-interne")


def write_record(root: Path, kind: str, rid: str, text: str) -> None:
    """Write a record as the two registries hold it: its internal section in the internal registry."""
    from maillage.editing.border import split_record

    public, internal = split_record(kind, yaml.safe_load(text))
    if public is not None:
        (root / FOLDER[kind] / f"{rid}.yaml").write_text(_dump(public), encoding="utf-8")
    if internal is not None:
        (internal_of(root) / FOLDER[kind]).mkdir(parents=True, exist_ok=True)
        (internal_of(root) / FOLDER[kind] / f"{rid}.yaml").write_text(_dump(internal), encoding="utf-8")


def _records(kind: str, payload: str, only: set[tuple[str | int, ...]] | None, rid: str,
             refs: dict[str, str]) -> str:
    data = _base_data(kind)
    for path, _is_url in _targets(kind):
        if only is None or path in only:
            _set(data, path, payload)
    for identifier in ("rpps", "finess", "siret"):
        data.pop(identifier, None)
    if kind == CONV:
        data["parties"][0]["professionnel"] = refs["professionnel"]
        data["parties"][1]["structure"] = refs["structure"]
    return _dump(data)
