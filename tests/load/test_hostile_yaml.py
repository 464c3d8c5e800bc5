"""Hostile YAML: every trap a record file can hold is refused with a catalogued code.

Each case adds one hostile file, in memory, to a small valid registry and validates it
with the same loader and validator as ``maillage validate`` (``validation_support``).
The report must name a code of the catalogue, in French, with a line and column
whenever the file can be parsed at all, and never crash nor hang. A few end-to-end
cases run the command itself on disk: it must write nothing and print no traceback.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import CONVENTION, PROFESSIONNEL, PROFESSIONNEL_INTERNE, REPO, STRUCTURE, make_registry
from maillage.cli.main import main
from maillage.core.problems import CATALOGUE
from maillage.load.safe_yaml import MAX_FILE_BYTES
from validation_support import GENEROUS_SECONDS, problems_of, validate_in_memory


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*"))}


def run_validate(tmp_path: Path, files: dict[str, str | bytes], monkeypatch: pytest.MonkeyPatch,
                 prepare: Callable[[Path], None] | None = None) -> tuple[int, list[dict[str, object]]]:
    """End to end: write ``files`` into a valid registry on disk, run ``maillage validate --format json``."""
    root = make_registry(tmp_path / "registry",
                         professionnels={"lefevre-claire": PROFESSIONNEL},
                         structures={"cmp-coutances": STRUCTURE},
                         conventions={"sante-protegee-cmp-coutances": CONVENTION})
    for relative, data in files.items():
        target = root / relative
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    if prepare is not None:
        prepare(root)
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    start = time.monotonic()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["validate", "--registry", str(root), "--format", "json"])
    elapsed = time.monotonic() - start
    assert elapsed < GENEROUS_SECONDS, f"validation took {elapsed:.0f} s"
    assert snapshot(tmp_path) == before, "validate must not write anything"
    assert err.getvalue() == ""
    report = json.loads(out.getvalue())
    problems = report["problems"]
    for p in problems:
        assert p["code"] in CATALOGUE, p
    assert report["valid"] == (code == 0)
    return code, problems


@dataclass
class Case:
    name: str
    content: str | bytes
    code: str
    line: int | None  # None: the file cannot be parsed into lines (encoding, size)


def _sub(old: str, new: str, base: str = PROFESSIONNEL) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


LAUGHS = "".join(
    [f"l0: &l0 [{', '.join(['lol'] * 9)}]\n"]
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9)]
)
MERGE = _sub("  - nom: Cabinet des Halles", "  - <<: {nom: Ailleurs}\n    nom: Cabinet des Halles")
MERGE_ALIAS = "defaut: &defaut {statut: actif}\n" + _sub("statut: actif", "<<: *defaut")

_cases = [
    # Aliases, anchors, billion laughs, merge keys.
    Case("anchor-and-alias", _sub("prenom: Claire", "prenom: &p Claire\nsource2: *p"), "yaml-alias", 2),
    Case("billion-laughs", LAUGHS, "yaml-alias", 1),
    Case("billion-laughs-flow", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "yaml-alias", 1),
    Case("alias-as-key", "a: &k nom\n*k : x\n", "yaml-alias", 1),
    Case("merge-key", MERGE, "yaml-merge-key", _line_of(MERGE, "<<")),
    Case("merge-key-alias", MERGE_ALIAS, "yaml-alias", 1),
    # Duplicate keys at every nesting level.
    Case("duplicate-top", _sub("statut: actif", "statut: actif\nstatut: retire"), "yaml-duplicate-key",
         _line_of(PROFESSIONNEL, "statut: actif") + 1),
    Case("duplicate-in-block", _sub("  secteur: secteur-1", "  secteur: secteur-1\n  secteur: secteur-2"),
         "yaml-duplicate-key", _line_of(PROFESSIONNEL, "secteur: secteur-1") + 1),
    Case("duplicate-in-list-item", _sub("    commune: Coutances", "    commune: Coutances\n    commune: Lessay"),
         "yaml-duplicate-key", _line_of(PROFESSIONNEL, "commune: Coutances") + 1),
    Case("duplicate-in-flow", _sub("ages: {min: 2, max: 16}", "ages: {min: 2, max: 16, min: 0}"),
         "yaml-duplicate-key", _line_of(PROFESSIONNEL, "ages:")),
    Case("duplicate-in-interne", _sub("  notes: Préfère les courriels.",
                                      "  notes: Préfère les courriels.\n  notes: Autre.",
                                      PROFESSIONNEL + PROFESSIONNEL_INTERNE),
         "yaml-duplicate-key", _line_of(PROFESSIONNEL + PROFESSIONNEL_INTERNE, "notes:") + 1),
    Case("duplicate-quoted-vs-plain", _sub("nom: Lefèvre", "nom: Lefèvre\n\"nom\": Autre"), "yaml-duplicate-key", 2),
    # Tags: core, Python, custom, %TAG directives.
    Case("tag-str", _sub("nom: Lefèvre", "nom: !!str Lefèvre"), "yaml-tag", 1),
    Case("tag-python-object", _sub("nom: Lefèvre", "nom: !!python/object/apply:os.system [\"id\"]"), "yaml-tag", 1),
    Case("tag-python-name", _sub("nom: Lefèvre", "nom: !!python/name:os.system ''"), "yaml-tag", 1),
    Case("tag-custom", _sub("nom: Lefèvre", "nom: !chiffre Lefèvre"), "yaml-tag", 1),
    Case("tag-on-mapping", _sub("ages: {min: 2, max: 16}", "ages: !!map {min: 2, max: 16}"), "yaml-tag",
         _line_of(PROFESSIONNEL, "ages:")),
    Case("tag-binary", _sub("nom: Lefèvre", "nom: !!binary TGVmw6h2cmU="), "yaml-tag", 1),
    Case("tag-directive", "%TAG !e! tag:evil.example,2000:\n---\n" + _sub("nom: Lefèvre", "nom: !e!x Lefèvre"),
         "yaml-tag", 3),
    Case("tag-on-key", _sub("nom: Lefèvre", "!!str nom: Lefèvre"), "yaml-tag", 1),
    # Tabs.
    Case("tab-indent", _sub("  - nom: Cabinet des Halles", "\t- nom: Cabinet des Halles"), "yaml-tab",
         _line_of(PROFESSIONNEL, "- nom: Cabinet")),
    Case("tab-indent-nested", _sub("    commune: Coutances", "  \tcommune: Coutances"), "yaml-tab",
         _line_of(PROFESSIONNEL, "commune: Coutances")),
    # Encodings and bytes.
    Case("invalid-utf8", PROFESSIONNEL.encode().replace(b"Claire", b"Cl\xffire"), "file-encoding", 2),
    Case("latin-1", PROFESSIONNEL.encode("latin-1"), "file-encoding", 1),
    Case("utf16-bom", PROFESSIONNEL.encode("utf-16"), "file-encoding", 1),
    Case("utf16-be-bom", b"\xfe\xff" + PROFESSIONNEL.encode("utf-16-be"), "file-encoding", 1),
    Case("utf32-bom", PROFESSIONNEL.encode("utf-32"), "file-encoding", 1),
    Case("nul-byte", _sub("nom: Lefèvre", "nom: Lef\x00vre"), "yaml-syntax", 1),
    Case("nul-byte-later", _sub("source: Déclaration", "source: Décl\x00aration"), "yaml-syntax",
         _line_of(PROFESSIONNEL, "source:")),
    Case("bell-byte", _sub("nom: Lefèvre", "nom: Lef\x07vre"), "yaml-syntax", 1),
    Case("escaped-nul", _sub("nom: Lefèvre", 'nom: "Lef\\0vre"'), "text-control", 1),
    Case("lone-surrogate-escape", _sub("nom: Lefèvre", 'nom: "Lef\\ud800vre"'), "yaml-syntax", 1),
    # Size.
    Case("over-the-cap", PROFESSIONNEL + "# " + "x" * (MAX_FILE_BYTES + 10) + "\n", "file-too-large", None),
    Case("huge-single-line", _sub("description: Bilans et rééducation du langage.",
                                  "description: " + "a" * (MAX_FILE_BYTES - 4096)), "schema-length",
         _line_of(PROFESSIONNEL, "description:")),
    Case("many-keys", PROFESSIONNEL + "".join(f"champ{i}: x\n" for i in range(10_000)), "schema-unknown-field",
         len(PROFESSIONNEL.splitlines()) + 1),
    # Nesting.
    Case("deep-flow-sequences", "nom: " + "[" * 50_000 + "]" * 50_000 + "\n", "yaml-syntax", 1),
    Case("deep-flow-mappings", "nom: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n", "yaml-syntax", 1),
    Case("deep-block-mappings", "".join("  " * i + f"n{i}:\n" for i in range(200)) + "  " * 200 + "x: 1\n",
         "yaml-syntax", 33),
    # Top level and documents.
    Case("top-level-list", "- nom: Lefèvre\n- prenom: Claire\n", "yaml-not-mapping", 1),
    Case("top-level-text", "Lefèvre Claire, orthophoniste\n", "yaml-not-mapping", 1),
    Case("top-level-number", "42\n", "yaml-not-mapping", 1),
    Case("empty", "", "yaml-empty", None),
    Case("only-a-comment", "# rien ici\n", "yaml-empty", None),
    Case("only-bom", b"\xef\xbb\xbf", "yaml-empty", None),
    Case("two-documents", PROFESSIONNEL + "---\nnom: Autre\n", "yaml-multiple-documents",
         len(PROFESSIONNEL.splitlines()) + 1),
    Case("document-end-then-more", PROFESSIONNEL + "...\n---\nnom: Autre\n", "yaml-multiple-documents",
         len(PROFESSIONNEL.splitlines()) + 2),
    Case("complex-key", PROFESSIONNEL + "? [a, b]\n: c\n", "yaml-complex-key",
         len(PROFESSIONNEL.splitlines()) + 1),
    Case("unclosed-flow", _sub("ages: {min: 2, max: 16}", "ages: {min: 2, max: 16"), "yaml-syntax", None),
]
CASES = {c.name: c for c in _cases}


def test_cases_are_distinct() -> None:
    assert len(CASES) == len(_cases)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_is_refused_with_its_code_and_position(name: str) -> None:
    case = CASES[name]
    code, problems = validate_in_memory({"professionnels/piege.yaml": case.content})
    assert code == 1
    mine = problems_of(problems, "professionnels/piege.yaml")
    assert case.code in [p["code"] for p in mine], mine
    hit = next(p for p in mine if p["code"] == case.code)
    assert hit["severity"] == "erreur"
    if case.line is not None:
        assert (hit["line"], hit["column"] > 0) == (case.line, True), hit
    # The other records are still read: nothing is reported about them except their likeness to this one.
    assert not [p for p in problems if "piege" not in str(p["file"]) + str(p["message"])], problems


def test_hostile_files_in_every_folder_are_all_reported_by_the_command(tmp_path: Path, today: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, str | bytes] = {
        "structures/bombe.yaml": LAUGHS,
        "conventions/double.yaml": CONVENTION.replace("statut: active", "statut: active\nstatut: projet"),
        "professionnels/etiquette.yaml": _sub("nom: Lefèvre", "nom: !!python/object:os.system {}"),
    }
    code, problems = run_validate(tmp_path, files, monkeypatch)
    assert code == 1
    assert {(str(p["file"]).split("/")[-1], p["code"]) for p in problems} >= {
        ("bombe.yaml", "yaml-alias"), ("double.yaml", "yaml-duplicate-key"), ("etiquette.yaml", "yaml-tag")}


def test_hostile_registry_metadata_and_vocabulary() -> None:
    meta = (REPO / "registry" / "registre.yaml").read_text(encoding="utf-8")
    code, problems = validate_in_memory({"registre.yaml": "a: &a [x]\nb: *a\n" + meta,
                                         "vocabulaires/langues.yaml": "!!python/object:os.system {}\n"})
    assert code == 1
    codes = {(str(p["file"]).split("/")[-1], p["code"]) for p in problems}
    assert ("registre.yaml", "yaml-alias") in codes
    assert ("langues.yaml", "yaml-tag") in codes


@pytest.mark.parametrize(("label", "content"), [
    ("crlf", PROFESSIONNEL.replace("\n", "\r\n")),
    ("utf8-bom", "\ufeff" + PROFESSIONNEL),
    ("yaml-directive", "%YAML 1.2\n---\n" + PROFESSIONNEL),
    ("explicit-document", "---\n" + PROFESSIONNEL + "...\n"),
])
def test_harmless_variants_are_read_as_intended(label: str, content: str) -> None:
    """Not every unusual file is hostile: these are the same record, and must stay valid."""
    code, problems = validate_in_memory({"professionnels/lefevre-claire.yaml": content.encode("utf-8")})
    assert code == 0 and not problems, problems


def test_harmless_variant_is_valid_for_the_command_too(tmp_path: Path, today: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_registry(tmp_path / "registry", structures={"cmp-coutances": STRUCTURE})
    (root / "professionnels" / "lefevre-claire.yaml").write_bytes(("\ufeff" + PROFESSIONNEL).replace(
        "\n", "\r\n").encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["validate", "--registry", str(root), "--format", "json"])
    assert code == 0, out.getvalue()
