"""Privacy guard: no child data in any field, nothing internal in public outputs, withdrawn means gone.

(a) the validator refuses what looks like data about a child in every free-text field
    of every record kind, the internal notes included;
(b) no internal value of the example internal registry (``examples/internal-registry``: every
    field of its internal sections, its conventions not yet public, its documents not public)
    appears in any file of the public site, the public exports or the public report, nor in any
    tracked file of the public repository outside ``examples/`` (the internal outputs, made from
    both registries, do carry them);
(c) a withdrawn record, and a record whose file is removed, disappear from every output
    of both audiences, convention parties included — a record withdrawn publicly disappears
    from the internal outputs too, its internal part notwithstanding.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, make_registry
from maillage.cli.main import main
from xss_support import (
    BASES,
    CONV,
    FIELDS,
    PRO,
    STRUCT,
    _base_data,
    _dump,
    _schema_path,
    _set,
    _targets,
    internal_of,
    write_record,
)

SAMPLE = REPO / "registry"
INTERNAL = REPO / "examples" / "internal-registry"
BINARY = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".pdf", ".odt", ".docx", ".woff", ".woff2", ".gz",
          ".zip"}

CHILD_DATA = [
    "Dossier suivi : 1 15 03 50 147 023 76.",  # NIR with a valid key, spaced
    "Pour Emma née le 12/03/2016, accès rapide.",
    "Lucas, né le 3 mars 2015, est suivi ici.",
    "Date de naissance : 04/05/2017 (Noah).",
    "Suivi de l'enfant Lucas depuis mars.",
    "Le petit Jules vient le mardi.",
    "Enfant : Lina, orientée par l'ASE.",
    "Prénom de l'enfant : Kylian",
    "Accompagner Tom (7 ans) chez l'orthophoniste.",
]


def _nir_with_key(number13: str) -> str:
    from maillage.validation.identifiers import nir_key

    return f"{number13} {nir_key(number13):02d}"


def test_the_nir_examples_have_valid_keys() -> None:
    from maillage.validation.identifiers import nir_key

    assert nir_key("1150350147023") == 76
    assert _nir_with_key("2150350147023").endswith(f"{nir_key('2150350147023'):02d}")


def _validate(root: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    with redirect_stdout(out):  # the internal sections are checked in the internal registry, with the same guard
        main(["validate", "--registry", str(root), "--format", "json", "--internal", str(internal_of(root))])
    return json.loads(out.getvalue())["problems"]


# Fields that only take a short text, an opening-hours expression or an official commune name
# refuse these texts for their own reason first.
_OTHER_RULE = {"horaires": "hours-invalid", "commune": "geo-commune-mismatch"}
_SHORT = {"sigle": 40}  # a text longer than the field allows is refused by its length first


@pytest.mark.parametrize("text", [*CHILD_DATA, f"Numéro {_nir_with_key('2150350147023')}",
                                  f"Voir {_nir_with_key('1880275123456').replace(' ', '')} (facturation)."])
def test_child_data_is_refused_in_every_free_text_field(text: str, tmp_path: Path, today: str) -> None:
    root = make_registry(tmp_path / "registry")
    refs = {PRO: "cas-pro", STRUCT: "cas-str", CONV: "cas-conv"}
    for kind in BASES:
        data = _base_data(kind)
        for path, is_url in _targets(kind):
            if not is_url:
                _set(data, path, text)
        for identifier in ("rpps", "finess", "siret"):
            data.pop(identifier, None)
        if kind == CONV:
            data["parties"][0]["professionnel"] = refs[PRO]
            data["parties"][1]["structure"] = refs[STRUCT]
        write_record(root, kind, refs[kind], _dump(data))
    problems = _validate(root)
    checked = 0
    for kind in BASES:
        for path, is_url in _targets(kind):
            if is_url:
                continue
            name = str(path[-1]) if isinstance(path[-1], str) else str(path[-2])
            dotted = ".".join(map(str, path))
            codes = {p["code"] for p in problems if p["file"].endswith(f"{refs[kind]}.yaml") and p["path"] == dotted}
            expected = _OTHER_RULE.get(name, "child-data")
            if len(text) > _SHORT.get(name, 10_000):
                expected = "schema-length"
            assert expected in codes, (kind, dotted, codes)
            checked += 1
            if expected == "child-data":
                hit = next(p for p in problems if p["path"] == dotted and p["code"] == "child-data"
                           and p["file"].endswith(f"{refs[kind]}.yaml"))
                assert hit["line"] > 0 and hit["severity"] == "erreur"
                # Reports never repeat the number or the date.
                assert not re.search(r"\d{2}", hit["message"].split("«")[-1]), hit["message"]
    assert checked == sum(1 for kind in BASES for _p, url in _targets(kind) if not url)
    interne_paths = {(kind, _schema_path(p)) for kind in BASES for p, url in _targets(kind) if p[0] == "interne"}
    assert {(k, ("interne", "notes")) for k in BASES} <= interne_paths
    assert ("objet",) in FIELDS[CONV] and ("public", "description") in FIELDS[CONV]


# --- (b) internal values never reach public outputs --------------------------------------------

def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def internal_values(internal: Path = INTERNAL) -> set[str]:
    """Every internal value of an internal registry: each field of its internal sections, and the
    title, object and internal section of its own records (conventions not yet public…)."""
    values: set[str] = set()
    for folder in ("professionnels", "structures", "conventions"):
        for path in sorted((internal / folder).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            found = list(_strings(data.get("interne") or {}))
            if set(data) != {"interne"}:  # a record of its own: what names it is internal too
                found += [str(data.get(k)) for k in ("intitule", "objet", "nom") if data.get(k)]
            for value in found:
                text = " ".join(str(value).split())
                if len(text) >= 6:
                    values.add(text)
    return values


def _haystack(path: Path) -> str:
    """A file's text in every form a value can take there: raw, unescaped, decoded, unfolded."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    forms = [raw, html.unescape(raw)]
    if path.suffix in (".json", ".geojson"):
        forms.append(json.dumps(json.loads(raw), ensure_ascii=False))
    if path.suffix == ".ics":
        unfolded = raw.replace("\r\n ", "").replace("\r\n\t", "")
        forms.append(unfolded.replace("\\,", ",").replace("\\;", ";").replace("\\n", " ").replace("\\N", " "))
    return " ".join(" ".join(form.split()) for form in forms)


def _files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() not in BINARY and not path.name.endswith(".map"):
            yield path


def _run(args: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(args)
    assert code == 0, out.getvalue()[-2000:] + err.getvalue()[-2000:]


def outputs(registry: Path, base: Path, audience: str, internal: Path = INTERNAL) -> list[Path]:
    """Site, exports and report of one audience (the internal one from both registries)."""
    site, exports, report = base / f"site-{audience}", base / f"export-{audience}", base / f"rapport-{audience}"
    both = ["--internal", str(internal)] if audience == "interne" else []
    _run(["build", "--registry", str(registry), "--site-dir", str(site), "--audience", audience, *both])
    _run(["export", "--registry", str(registry), "--out", str(exports), "--audience", audience, *both])
    report.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["report", "--registry", str(registry), "--audience", audience, *both]) == 0
    (report / "rapport.md").write_text(out.getvalue(), encoding="utf-8")
    return [site, exports, report]


@pytest.fixture(scope="module")
def sample_outputs(tmp_path_factory: pytest.TempPathFactory, sample_sites: dict[str, Path]) -> dict[str, list[Path]]:
    """The sample registry's sites (built once for the whole run, see conftest), its exports and its report
    (the internal ones from both registries)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("MAILLAGE_TODAY", "2026-11-22")
    try:
        base = tmp_path_factory.mktemp("privacy-sample")
        out = {}
        for audience in ("public", "interne"):
            both = ["--internal", str(INTERNAL)] if audience == "interne" else []
            exports, report = base / f"export-{audience}", base / f"rapport-{audience}"
            _run(["export", "--registry", str(SAMPLE), "--out", str(exports), "--audience", audience, *both])
            text = io.StringIO()
            with redirect_stdout(text):
                assert main(["report", "--registry", str(SAMPLE), "--audience", audience, *both]) == 0
            report.mkdir(parents=True, exist_ok=True)
            (report / "rapport.md").write_text(text.getvalue(), encoding="utf-8")
            out[audience] = [sample_sites[audience], exports, report]
        return out
    finally:
        mp.undo()


def test_no_internal_value_reaches_the_public_site_or_exports(sample_outputs) -> None:
    values = internal_values()
    assert len(values) >= 30
    scanned = 0
    kinds: set[str] = set()
    for folder in sample_outputs["public"]:
        for path in _files(folder):
            haystack = _haystack(path)
            leaks = [v for v in values if v in haystack]
            assert leaks == [], (path, leaks[:3])
            scanned += 1
            kinds.add(path.suffix)
    assert scanned > 200
    assert {".html", ".json", ".csv", ".geojson", ".ics", ".js", ".md"} <= kinds


def test_the_internal_outputs_do_carry_them(sample_outputs) -> None:
    values = internal_values()
    site, exports, report = sample_outputs["interne"]
    for folder in (site, exports):
        haystack = " ".join(_haystack(path) for path in _files(folder))
        missing = [v for v in values if v not in haystack]
        assert missing == [], folder.name
    # The report gives figures, not texts: the internal one counts the conventions not yet public (from
    # the internal registry) and adds the prospection; the public one has neither.
    internal_report = (report / "rapport.md").read_text(encoding="utf-8")
    public_report = (sample_outputs["public"][2] / "rapport.md").read_text(encoding="utf-8")
    for line in ("| En négociation | 2 |", "| Projet | 2 |", "## Prospection"):
        assert line in internal_report and line not in public_report, line


# Generators of the fictional example data: their job is to write the example internal registry.
FICTION_SOURCES = {"scripts/maillage/dev/make_sample.py", "scripts/maillage/dev/synth.py"}


def test_no_internal_value_in_any_tracked_file_of_the_public_repository() -> None:
    import subprocess

    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("pas un dépôt git")
    tracked = [name for name in listed.stdout.decode("utf-8").split("\0") if name]
    assert "examples/internal-registry/README.md" in tracked and "registry/registre.yaml" in tracked
    values = internal_values()
    scanned = 0
    for name in tracked:
        path = REPO / name
        if name.startswith("examples/") or name in FICTION_SOURCES or not path.is_file():
            continue
        if path.suffix.lower() in BINARY or path.stat().st_size > 5_000_000:
            continue
        text = " ".join(path.read_text(encoding="utf-8", errors="replace").split())
        assert [v for v in values if v in text] == [], name
        scanned += 1
    assert scanned > 300


# --- (c) withdrawn and removed records disappear ---------------------------------------------

def _record(registry: Path, folder: str, rid: str) -> dict[str, Any]:
    return yaml.safe_load((registry / folder / f"{rid}.yaml").read_text(encoding="utf-8"))


def _traces(registry: Path, rid: str) -> list[str]:
    """What would identify a professional in an output: id, page link, RPPS, full name, phones."""
    data = _record(registry, "professionnels", rid)
    traces = [rid, f"professionnels/{rid}", f"{data['prenom']} {data['nom']}", f"{data['nom']} {data['prenom']}"]
    if data.get("rpps"):
        traces.append(str(data["rpps"]))
    return traces


def _referenced(registry: Path) -> set[str]:
    refs: set[str] = set()
    for path in (registry / "conventions").glob("*.yaml"):
        for party in yaml.safe_load(path.read_text(encoding="utf-8")).get("parties") or []:
            refs.update(str(v) for k, v in party.items() if k in ("professionnel", "structure"))
    return refs


def _found(folders: list[Path], traces: list[str]) -> list[tuple[str, str]]:
    hits = []
    for folder in folders:
        for path in _files(folder):
            haystack = _haystack(path)
            hits += [(path.relative_to(folder.parent).as_posix(), t) for t in traces if t in haystack]
    return hits


@pytest.fixture(scope="module")
def withdrawal(tmp_path_factory: pytest.TempPathFactory, sample_outputs: dict[str, list[Path]]) -> dict[str, Any]:
    mp = pytest.MonkeyPatch()
    mp.setenv("MAILLAGE_TODAY", "2026-11-22")
    try:
        base = tmp_path_factory.mktemp("privacy-withdrawal")
        registry = base / "registry"
        shutil.copytree(SAMPLE, registry)
        referenced = _referenced(registry)
        pros = sorted(p.stem for p in (registry / "professionnels").glob("*.yaml"))
        with_part = {p.stem for p in (INTERNAL / "professionnels").glob("*.yaml")}
        # Withdrawn publicly, with an internal part in the internal registry: gone from internal outputs too.
        withdrawn = next(rid for rid in pros if rid in referenced and rid in with_part
                         and _record(registry, "professionnels", rid).get("statut") == "actif")
        removed = next(rid for rid in pros if rid not in referenced and rid != withdrawn
                       and _record(registry, "professionnels", rid).get("statut") == "actif")
        part = yaml.safe_load((INTERNAL / "professionnels" / f"{withdrawn}.yaml").read_text(encoding="utf-8"))
        others = " ".join(p.read_text(encoding="utf-8") for f in ("professionnels", "structures", "conventions")
                          for p in (INTERNAL / f).glob("*.yaml") if p.stem != withdrawn)
        internal_traces = [" ".join(v.split()) for v in _strings(part["interne"]) if len(v) >= 6 and v not in others]
        assert internal_traces
        traces = {withdrawn: [*_traces(registry, withdrawn), *internal_traces], removed: _traces(registry, removed)}
        # Before: both are published (otherwise the test would prove nothing). The copy is still the
        # sample registry: its outputs are the shared ones.
        before = sample_outputs
        path = registry / "professionnels" / f"{withdrawn}.yaml"
        text = path.read_text(encoding="utf-8")
        assert "\nstatut: actif\n" in text
        path.write_text(text.replace("\nstatut: actif\n", "\nstatut: retire\n"), encoding="utf-8")
        (registry / "professionnels" / f"{removed}.yaml").unlink()
        after = {audience: outputs(registry, base / "apres", audience) for audience in ("public", "interne")}
        return {"withdrawn": withdrawn, "removed": removed, "traces": traces, "before": before, "after": after}
    finally:
        mp.undo()


@pytest.mark.parametrize("audience", ["public", "interne"])
def test_withdrawn_and_removed_records_were_published_before(withdrawal, audience: str) -> None:
    for rid in (withdrawal["withdrawn"], withdrawal["removed"]):
        hits = _found(withdrawal["before"][audience], withdrawal["traces"][rid])
        assert any("professionnels/" + rid in h for h, _ in hits), rid
        assert any(h.endswith("index.json") for h, _ in hits), rid
        assert any(h.endswith(".csv") for h, _ in hits), rid


@pytest.mark.parametrize("audience", ["public", "interne"])
@pytest.mark.parametrize("which", ["withdrawn", "removed"])
def test_withdrawn_or_removed_record_disappears_from_every_output(withdrawal, audience: str, which: str) -> None:
    rid = withdrawal[which]
    hits = _found(withdrawal["after"][audience], withdrawal["traces"][rid])
    assert hits == [], hits[:10]
    site = withdrawal["after"][audience][0]
    assert not (site / "professionnels" / rid).exists()


@pytest.mark.parametrize("audience", ["public", "interne"])
def test_the_convention_that_named_the_withdrawn_record_no_longer_does(withdrawal, audience: str) -> None:
    rid = withdrawal["withdrawn"]
    site = withdrawal["after"][audience][0]
    conventions = [p for p in (site / "conventions").glob("*/index.html")]
    assert conventions
    for page in conventions:
        text = _haystack(page)
        assert not [t for t in withdrawal["traces"][rid] if t in text], page
    parties = (withdrawal["after"][audience][1] / "convention_parties.csv").read_text(encoding="utf-8")
    assert rid not in parties
