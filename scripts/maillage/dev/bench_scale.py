"""Benchmark: the whole chain at 1,000, 10,000 and 50,000 records (time, memory, sizes).

Usage::

    python -m maillage.dev.bench_scale [--records 1000 10000 50000] [--bare 10000] [--write]

For each size, ``maillage synth --seed 1`` writes a fictional registry, then every step
runs as its own process, exactly as CI runs it, and is measured from outside: wall time,
and peak memory of that process (``os.wait4``: the child's own ``ru_maxrss``):

1. ``maillage validate``;
2. ``maillage geocode --provider offline`` (fills the cache with commune positions:
   synthetic addresses are not real ones), then ``maillage geocode --provider offline
   --dry-run`` (everything comes from the cache: what CI pays when nothing is new);
3. the model, with every position resolved from the cache (``validate`` then
   ``model_from`` in one process; the model part is reported);
4. ``maillage export`` (public);
5. ``maillage build`` (public, the repository's ``mkdocs.yml`` and ``docs/``, into a new
   folder), then the size of the site (bytes, files; GitHub Pages publishes at most 1 GB),
   the average size of a record page (the ``index.html`` of each record) and of the
   directory index ``annuaire/index.json`` (raw and gzip level 6, as a web server sends it).

``--bare N`` also builds N one-paragraph Markdown pages with Material for MkDocs alone
(``plugins: []``, pages out of the navigation like record pages) to compare. With
``--write`` the results replace the « Passage à l'échelle » section of
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from maillage.core.kinds import KINDS
from maillage.dev.benchdoc import machine, write_section

REPO = Path(__file__).resolve().parents[3]
EPOCH = "1795305600"  # 2026-11-22: the file stamp
TODAY = "2026-11-22"  # the business date: synthetic dates and statuses do not depend on the day it runs
CI_LIMIT_MINUTES = 90
BARE_TARGET = 1.0  # a full build within 1.0 × a bare Material build of as many pages
PEAK_TARGET_MB = 800  # the largest process of a 50,000-record build
PAGE_TARGET_KB = 12  # the average record page
PAGES_LIMIT_MB = 1000  # GitHub Pages' published-site limit (1 GB)
RECORD_FOLDERS = tuple(k.folder for k in KINDS)
STEPS = (
    ("synth", "`maillage synth` (génération, non comptée)"),
    ("validate", "`maillage validate`"),
    ("geocode", "`maillage geocode --provider offline` (remplit le cache)"),
    ("dry_run", "`maillage geocode --provider offline --dry-run` (tout en cache)"),
    ("model", "modèle, positions lues dans le cache"),
    ("export", "`maillage export`"),
    ("build", "`maillage build` (site complet)"),
)


@dataclass(frozen=True, slots=True)
class Measure:
    seconds: float
    peak_mb: float
    stdout: str = ""
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for


@dataclass(slots=True)
class SizeResult:
    records: int
    steps: dict[str, Measure] = field(default_factory=dict)
    model_seconds: float = 0.0
    pages: int = 0
    site_files: int = 0
    site_bytes: int = 0
    export_bytes: int = 0
    index_raw: int = 0
    index_gzip: int = 0
    record_pages: int = 0
    record_page_bytes: int = 0


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MAILLAGE_TODAY", "MAILLAGE_REGISTRY",
                                                            "MAILLAGE_AUDIENCE")}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    env["MAILLAGE_TODAY"] = TODAY
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def measured(args: list[str], cwd: Path = REPO) -> Measure:
    """Run ``args``; its wall time and its own peak resident memory (not its parent's)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(args, cwd=cwd, env=environment(), stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} : code {process.returncode}\n{text[-3000:]}")
    return Measure(seconds, usage.ru_maxrss / 1024, text,  # ru_maxrss is in KiB on Linux
                   usage.ru_utime + usage.ru_stime)


def maillage(*args: str) -> list[str]:
    return [sys.executable, "-m", "maillage.cli", *args]


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def run_size(records: int, work: Path) -> SizeResult:
    result = SizeResult(records)
    registry, site, donnees = work / f"registre-{records}", work / f"site-{records}", work / f"donnees-{records}"
    reg = str(registry)
    result.steps["synth"] = measured(maillage("synth", "--records", str(records), "--out", reg, "--seed", "1"))
    result.steps["validate"] = measured(maillage("validate", "--registry", reg))
    result.steps["geocode"] = measured(maillage("geocode", "--provider", "offline", "--registry", reg))
    result.steps["dry_run"] = measured(maillage("geocode", "--provider", "offline", "--dry-run", "--registry", reg))
    model = measured([sys.executable, "-m", "maillage.dev.bench_scale", "--model-step", reg])
    result.steps["model"] = model
    result.model_seconds = json.loads(model.stdout.strip().splitlines()[-1])["model"]
    result.steps["export"] = measured(maillage("export", "--registry", reg, "--out", str(donnees)))
    result.steps["build"] = measured(maillage("build", "--registry", reg, "--site-dir", str(site),
                                              "--config", str(REPO / "mkdocs.yml")))
    result.pages = sum(1 for _ in site.rglob("index.html"))
    result.site_files, result.site_bytes = folder_size(site)
    result.export_bytes = folder_size(donnees)[1]
    for folder in RECORD_FOLDERS:
        for page in (site / folder).glob("*/index.html"):
            result.record_pages += 1
            result.record_page_bytes += page.stat().st_size
    index = (site / "annuaire" / "index.json").read_bytes()
    result.index_raw, result.index_gzip = len(index), len(gzip.compress(index, compresslevel=6, mtime=0))
    return result


def model_step(registry: Path) -> None:
    """In a child process: validation, then the model (positions from the cache), timed apart."""
    from maillage.assemble.build import model_from
    from maillage.core import clock
    from maillage.validation import validate

    started = time.perf_counter()
    result = validate(registry, clock.today(TODAY))
    validated = time.perf_counter()
    model = model_from(result, clock.today(TODAY)).view("public")
    done = time.perf_counter()
    places = sum(len(r.lieux) for r in (*model.professionnels, *model.structures))
    print(json.dumps({"validate": validated - started, "model": done - validated, "lieux": places}))


COMPARE_RUNS = 3


def compare(pages: int, work: Path) -> tuple[Measure, Measure, list[float], list[float]]:
    """``maillage build`` of the ``pages``-record registry and a bare Material build of as many pages,
    alternated COMPARE_RUNS times in this run (the machine may be shared): the fastest of each."""
    registry = work / f"registre-{pages}"
    ours, bare = [], []
    for n in range(COMPARE_RUNS):
        ours.append(measured(maillage("build", "--registry", str(registry), "--site-dir", str(work / f"cmp-{n}"),
                                      "--config", str(REPO / "mkdocs.yml"))))
        bare.append(bare_material(pages, work / f"cmp-nu-{n}"))
    best = min(ours, key=lambda m: m.seconds), min(bare, key=lambda m: m.seconds)
    return best[0], best[1], [m.seconds for m in ours], [m.seconds for m in bare]


def bare_material(pages: int, work: Path) -> Measure:
    """Material for MkDocs alone, ``pages`` one-paragraph pages out of the navigation."""
    root = work / f"materiel-nu-{pages}"
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Accueil\n\nPage d'accueil.\n", encoding="utf-8")
    for n in range(pages):
        (docs / f"p{n:05d}.md").write_text(
            f"# Page {n}\n\nUn paragraphe pour la page {n}, quelques mots de plus pour ressembler à une fiche.\n",
            encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Témoin\ntheme:\n  name: material\n  language: fr\nplugins: []\n"
        "nav:\n  - index.md\nnot_in_nav: |\n  /p*.md\n", encoding="utf-8")
    return measured([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"),
                     "-d", str(root / "site")], cwd=root)


# --- report ------------------------------------------------------------------------

def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _s(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 1 else f"{seconds:.2f} s"


def _ms(seconds: float, records: int) -> str:
    return f"{1000 * seconds / records:.2f}"


def render(results: list[SizeResult], bare: tuple[int, Measure, Measure, list[float], list[float]] | None) -> str:
    sizes = [r.records for r in results]
    head = "| étape | " + " | ".join(f"{_n(n)} fiches" for n in sizes) + " | ms par fiche (" + \
        " → ".join(_n(n) for n in sizes) + ") |"
    lines = [head, "| --- |" + " ---: |" * (len(sizes) + 1)]
    for key, label in STEPS:
        cells, per_record = [], []
        for r in results:
            m = r.steps[key]
            seconds = r.model_seconds if key == "model" else m.seconds
            memory = "" if key == "model" else f" · {m.peak_mb:.0f} Mo"
            cells.append(_s(seconds) + memory)
            per_record.append(_ms(seconds, r.records))
        lines.append(f"| {label} | " + " | ".join(cells) + " | " + " → ".join(per_record) + " |")
    total = [sum(r.steps[k].seconds for k in ("validate", "geocode", "export", "build")) for r in results]
    lines.append("| **chaîne de CI** (validate + geocode + export + build) | " +
                 " | ".join(f"**{_s(t)}**" for t in total) + " | " +
                 " → ".join(_ms(t, r.records) for t, r in zip(total, results, strict=True)) + " |")

    size_lines = ["| fiches | pages | fichiers du site | taille du site | octets par fiche | "
                  "page de fiche (moyenne) | `annuaire/index.json` brut / gzip | données ouvertes |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        average = r.record_page_bytes / max(1, r.record_pages) / 1000
        size_lines.append(
            f"| {_n(r.records)} | {_n(r.pages)} | {_n(r.site_files)} | {r.site_bytes / 1e6:.0f} Mo | "
            f"{_n(r.site_bytes // r.records)} | {average:.1f} ko | "
            f"{r.index_raw / 1024:.0f} / {r.index_gzip / 1024:.0f} Kio | {r.export_bytes / 1e6:.0f} Mo |")

    parts = [
        "Commande : `python -m maillage.dev.bench_scale --write` (registres `maillage synth`, graine 1, "
        f"date du jour `MAILLAGE_TODAY={TODAY}`, `SOURCE_DATE_EPOCH={EPOCH}` ; chaque étape est un processus "
        "à part, mesuré de l'extérieur : durée réelle et mémoire maximale du processus, lue par `os.wait4` : "
        "pour `maillage build`, celle du plus gros de ses processus, ceux du groupe de processus compris). "
        "Machine : " + machine() + ".",
        "Durée · mémoire maximale de chaque étape :",
        "\n".join(lines),
        "Taille de ce qui est publié :",
        "\n".join(size_lines),
    ]
    by_size = {r.records: r for r in results}
    if len(results) >= 2:
        growth = []
        for key, label in (("build", "`maillage build`"), ("export", "`maillage export`"),
                           ("validate", "`maillage validate`")):
            marginal = [1000 * (b.steps[key].seconds - a.steps[key].seconds) / (b.records - a.records)
                        for a, b in pairwise(results)]
            steps = " puis ".join(
                f"{m:.2f} ms de {_n(a.records)} à {_n(b.records)}"
                for m, (a, b) in zip(marginal, pairwise(results), strict=True))
            growth.append(f"{label} : {steps}")
        size_growth = " puis ".join(
            f"{(b.site_bytes - a.site_bytes) / (b.records - a.records) / 1000:.1f} ko"
            for a, b in pairwise(results))
        parts.append(
            "Croissance : coût marginal d'une fiche de plus (différence de durée entre deux tailles, divisée "
            "par la différence de fiches ; il reste le même d'une tranche à l'autre quand le coût est "
            "linéaire, alors que le « ms par fiche » des petites tailles contient encore le démarrage de "
            "Python et de MkDocs) — " + " ; ".join(growth) + f". Taille du site : {size_growth} par fiche "
            "de plus.")
    if bare is not None and bare[0] in by_size:
        pages, ours, measure, ours_all, bare_all = bare
        parts.append(
            "Comparaison avec Material for MkDocs seul, mesuré dans la même exécution : "
            f"{_n(pages)} pages Markdown d'un paragraphe, hors navigation comme les fiches, `plugins: []` ; "
            f"les deux constructions alternent {len(ours_all)} fois (la machine est partagée) et le tableau "
            "garde la plus rapide de chacune (toutes : `maillage build` "
            + ", ".join(_s(t) for t in ours_all) + " ; Material seul " + ", ".join(_s(t) for t in bare_all)
            + ").\n\n"
            "| construction | durée | temps processeur | mémoire max. |\n| --- | ---: | ---: | ---: |\n"
            f"| Material seul, {_n(pages)} pages d'un paragraphe | {_s(measure.seconds)} | {_s(measure.cpu)} | "
            f"{measure.peak_mb:.0f} Mo |\n"
            f"| `maillage build`, {_n(pages)} fiches ({_n(by_size[pages].pages)} pages, validation, exports, "
            f"annuaire compris) | {_s(ours.seconds)} | {_s(ours.cpu)} | {ours.peak_mb:.0f} Mo |\n"
            f"| rapport | {ours.seconds / measure.seconds:.2f} × | {ours.cpu / measure.cpu:.2f} × | |\n\n"
            f"Objectif : au plus {BARE_TARGET:.1f} × en durée ; "
            + ("tenu" if ours.seconds <= BARE_TARGET * measure.seconds else "**pas tenu**")
            + ". Material seul n'occupe qu'un cœur ; `maillage build` en occupe deux à partir du modèle (groupe "
            "de processus) : sur une machine chargée par d'autres, il n'en a pas deux, et sa durée se rapproche "
            "de son temps processeur. La validation, le modèle et les pages de MkDocs passent sur un seul cœur.")
    if results:
        big = results[-1]
        ci = sum(big.steps[k].seconds for k in ("validate", "geocode", "export", "build"))
        build = big.steps["build"]
        average = big.record_page_bytes / max(1, big.record_pages) / 1000
        parts.append(
            f"À {_n(big.records)} fiches : toute la chaîne de CI prend {ci / 60:.1f} min sur cette machine à "
            f"2 cœurs, pour une limite de {CI_LIMIT_MINUTES} min ; mémoire maximale de `maillage build` "
            f"{build.peak_mb:.0f} Mo (objectif : au plus {PEAK_TARGET_MB} Mo, "
            + ("tenu" if build.peak_mb <= PEAK_TARGET_MB else "**pas tenu**")
            + f") ; page de fiche de {average:.1f} ko en moyenne (objectif : au plus {PAGE_TARGET_KB} ko, "
            + ("tenu" if average <= PAGE_TARGET_KB else "**pas tenu**")
            + f") ; site publié, données ouvertes comprises, de {big.site_bytes / 1e6:.0f} Mo (limite de GitHub "
            f"Pages : {PAGES_LIMIT_MB / 1000:.0f} Go, "
            + ("tenue" if big.site_bytes / 1e6 < PAGES_LIMIT_MB else "**dépassée**") + ").")
    parts.append(
        "Comment c'est tenu : les pages des fiches sont hors de la navigation (une navigation qui les "
        "liste rend la construction quadratique) ; MkDocs et Material ne produisent que les pages rédigées, "
        "les pages de sommaire et une page « modèle » par dossier de fiches, par leurs seuls événements "
        "publics ; chaque page de fiche est ce modèle rempli de son titre, de son adresse canonique et de "
        "son contenu (produit par nos gabarits, fonction pure du modèle de données), écrite dès qu'elle est "
        "produite, puis listée dans `sitemap.xml` et `sitemap.xml.gz` ; le modèle de page des fiches porte "
        "une navigation latérale courte (les rubriques principales, ce que montre le tiroir d'un téléphone) "
        "et sans indentation (une page de fiche pèse ainsi 11 ko au lieu de 18) ; données ouvertes et index "
        "de l'annuaire sont écrits fichier par fichier, jamais tous en mémoire ; au-delà de 2 000 fiches, sur "
        "plusieurs cœurs, un groupe de processus standard (`concurrent.futures`, créé une fois le modèle "
        "construit, qu'il hérite) écrit les données ouvertes et les pages de fiches par tranches (mêmes "
        "octets qu'en un seul processus ; une tâche qui échoue fait échouer la construction sans rien "
        "publier ; un processus dont le parent meurt s'arrête aussitôt) ; un seul convertisseur Markdown "
        "sert pour tous les champs de texte libre ; `maillage geocode` n'enregistre un point d'étape que "
        "lorsque le cache a grandi de 10 % (ou après 60 s). Le reste croît comme le nombre de fiches : une "
        "page par fiche, des exports et un index de l'annuaire qui les énumèrent une fois.")
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--bare", type=int, default=10000, metavar="N",
                        help="pages du témoin Material seul, une des tailles de --records (0 : pas de témoin)")
    parser.add_argument("--write", "--write-docs", action="store_true", dest="write",
                        help="écrire les résultats dans docs/benchmarks.md")
    parser.add_argument("--model-step", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.model_step:
        model_step(args.model_step)
        return 0
    results = []
    bare = None
    with tempfile.TemporaryDirectory(prefix="bench-echelle-") as tmp:
        work = Path(tmp)
        for records in args.records:
            result = run_size(records, work)
            results.append(result)
            print(f"{_n(records)} fiches : " + ", ".join(
                f"{key} {m.seconds:.1f} s / {m.peak_mb:.0f} Mo" for key, m in result.steps.items()), flush=True)
        if args.bare and args.bare in args.records:
            bare = (args.bare, *compare(args.bare, work))
            print(f"{_n(args.bare)} : maillage build {bare[3]} ; Material seul {bare[4]}", flush=True)
    body = render(results, bare)
    print(body)
    if args.write:
        write_section("echelle", "Passage à l'échelle", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
