"""Benchmark of the directory (``/annuaire/``): index size, and search speed in Chromium.

Usage::

    python -m maillage.dev.bench_directory [--records 1000 10000] [--keystrokes 20] [--write-docs]

For each size, ``maillage synth --seed 1`` writes a fictional registry; the public
model is built (not timed) and :func:`maillage.site.directory.directory_files`
produces the JSON files, whose raw and gzipped sizes are reported. For the largest
size, a minimal static page (the directory skeleton, the JSON files and
``docs/assets``) is served on 127.0.0.1 and opened in headless Chromium
(``/usr/bin/chromium``, every non-local request blocked): the script reports the time
until the directory is ready (download, parse, search index, first render) and, for
each keystroke of a typed query, the time ``annuaire.js`` spends from the (debounced)
input to the rendered results — search, filters, facet counts and list — measured in
the page with ``performance.now()``. With ``--write-docs`` the results replace the
"Annuaire" section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from maillage import pipeline
from maillage.dev import benchdoc
from maillage.site.directory import directory_files, directory_page

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
QUERY = "orthophoniste coutances"
PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="script-src 'self'">
<title>Annuaire</title></head><body><main><h1>Annuaire</h1>
{body}</main></body></html>
"""


def synth(records: int, out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "maillage.cli", "synth", "--records", str(records), "--out", str(out),
                    "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    return out


def sizes(files: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    return {name: (len(data), len(gzip.compress(data, compresslevel=6, mtime=0))) for name, data in files.items()}


def write_site(files: dict[str, bytes], page: str, site: Path) -> None:
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    (site / "annuaire" / "index.html").write_text(PAGE.format(body=page), encoding="utf-8")
    shutil.copytree(REPO / "docs" / "assets", site / "assets", dirs_exist_ok=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def browser_timings(site: Path, keystrokes: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/annuaire/"
    query = (QUERY * 3)[:keystrokes]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#maillage-annuaire[data-etat='pret']", timeout=120_000)
            ready = time.perf_counter() - start
            page.focus("#ma-q")
            per_key = []
            for char in query:
                before = page.evaluate("() => window.maillageAnnuaire.timings.length")
                page.keyboard.type(char)
                page.wait_for_function("n => window.maillageAnnuaire.timings.length > n", arg=before)
                per_key.append(page.evaluate("() => window.maillageAnnuaire.timings.at(-1)"))
                page.wait_for_timeout(50)  # let the map catch up, as a user would
            results = page.evaluate("() => window.maillageAnnuaire.results().length")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    per_key.sort()
    return {
        "ready_s": ready, "median_ms": statistics.median(per_key), "p90_ms": per_key[int(0.9 * (len(per_key) - 1))],
        "max_ms": per_key[-1], "keystrokes": len(per_key), "results": results,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keystrokes", type=int, default=20)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("MAILLAGE_TODAY", "2026-11-22")
    rows = []
    timing: dict[str, float] | None = None
    with tempfile.TemporaryDirectory(prefix="maillage-bench-annuaire-") as tmp:
        for n in args.records:
            root = synth(n, Path(tmp) / f"registre-{n}")
            model = pipeline.run(root, "public").model
            assert model is not None, "the synthetic registry has errors"
            start = time.perf_counter()
            files = directory_files(model)
            built = time.perf_counter() - start
            count = len(model.professionnels) + len(model.structures)
            rows.append((n, count, built, sizes(files)))
            print(f"{n} fiches : {count} dans l'annuaire, {built:.2f} s", {k: v for k, v in sizes(files).items()})
            if n == max(args.records) and CHROMIUM.exists():
                site = Path(tmp) / f"site-{n}"
                write_site(files, directory_page(model), site)
                timing = browser_timings(site, args.keystrokes)
                print(timing)
    body = render(rows, timing, max(args.records), args.keystrokes)
    print(body)
    if args.write_docs:
        benchdoc.write_section("annuaire", "Annuaire", body)
    return 0


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f}".replace(",", "\u202f")


def render(rows, timing, largest: int, keystrokes: int) -> str:
    lines = [
        "Commande : `python -m maillage.dev.bench_directory --write-docs` (registres `maillage synth`, "
        f"graine 1 ; {benchdoc.machine()}).",
        "",
        "Taille des fichiers que le navigateur télécharge (`directory_files`, vue publique ; gzip niveau 6, "
        "comme un serveur web ou un CDN) :",
        "",
        "| fiches du registre | fiches dans l'annuaire | `annuaire/index.json` (brut / gzip, Kio) | "
        "`annuaire/communes.json` (gzip, Kio) | `commune/secteurs.json` (gzip, Kio) | calcul (s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, count, built, s in rows:
        index, communes, sectors = s["annuaire/index.json"], s["annuaire/communes.json"], s["commune/secteurs.json"]
        lines.append(f"| {n:,} | {count:,} | {_kb(index[0])} / {_kb(index[1])} | {_kb(communes[1])} | "
                     f"{_kb(sectors[1])} | {built:.2f} |".replace(",", "\u202f"))
    lines += ["", "Objectif : index de l'annuaire ≤ 500 Kio compressé à 10 000 fiches."]
    if timing:
        lines += [
            "",
            f"Dans Chromium sans interface, registre de {largest:,} fiches, la requête « {QUERY} » tapée "
            .replace(f"{largest:,}", f"{largest:,}".replace(",", "\u202f"))
            + f"touche par touche ({timing['keystrokes']} frappes) :",
            "",
            "| mesure | valeur |",
            "| --- | ---: |",
            f"| annuaire prêt (téléchargement, index de recherche, premier affichage) | {timing['ready_s']:.2f} s |",
            f"| recherche + filtres + facettes + liste, médiane par frappe | {timing['median_ms']:.1f} ms |",
            f"| idem, 90e centile | {timing['p90_ms']:.1f} ms |",
            f"| idem, pire frappe | {timing['max_ms']:.1f} ms |",
            "",
            "Le temps par frappe est mesuré dans la page (`performance.now()` autour de la mise à jour) ; "
            "la saisie attend 150 ms sans frappe avant de chercher (anti-rebond), et la carte se met à jour "
            "juste après la liste. La liste affiche 200 résultats au plus (« Afficher plus » pour la suite).",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
