"""Lighthouse (mobile preset) on the sample site, served compressed like GitHub Pages.

Usage::

    python -m maillage.dev.bench_lighthouse [--pages / /annuaire/ …] [--runs 3] [--write-docs]

The site is built from ``registry/`` (``MAILLAGE_TODAY=2026-11-22``) into a temporary
folder and served on 127.0.0.1 by a small static server that compresses text responses
with gzip (as GitHub Pages and most CDNs do). Lighthouse 12.2.3 comes from the npm
registry: it is installed once with ``npm install`` into ``~/.cache/maillage-lighthouse``
(or ``$MAILLAGE_LIGHTHOUSE_DIR``) and drives Debian's Chromium (``/usr/bin/chromium``),
headless, with its default mobile settings (Moto G Power screen, simulated slow 4G,
4× CPU slowdown). Each page is measured ``--runs`` times; the median run is reported.
Needs Node.js ≥ 18 and, the first time, access to the npm registry. Not part of
``make test`` (network, minutes of CPU): ``make bench`` runs it.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from maillage.dev import benchdoc

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
LIGHTHOUSE_VERSION = "12.2.3"
DEFAULT_PAGES = ("/", "/annuaire/", "/professionnels/{record}/", "/structures/{structure}/", "/commune/",
                 "/territoires/")
COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".csv", ".geojson")


def lighthouse_bin() -> Path:
    """The ``lighthouse`` command, installed from npm on first use."""
    home = Path(os.environ.get("MAILLAGE_LIGHTHOUSE_DIR") or Path.home() / ".cache" / "maillage-lighthouse")
    binary = home / "node_modules" / ".bin" / "lighthouse"
    package = home / "node_modules" / "lighthouse" / "package.json"
    if binary.exists() and package.exists() and json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION:
        return binary
    home.mkdir(parents=True, exist_ok=True)
    print(f"Installation de lighthouse@{LIGHTHOUSE_VERSION} depuis npm dans {home}…", flush=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(home),
                    f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True, stdout=subprocess.DEVNULL)
    return binary


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the client accepts it (like GitHub Pages)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # redirect to the address with its trailing slash
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or path.suffix not in COMPRESSED:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def build_site(out: Path) -> Path:
    env = {**os.environ, "MAILLAGE_TODAY": "2026-11-22"}
    subprocess.run([sys.executable, "-m", "maillage.cli", "build", "--registry", str(REPO / "registry"),
                    "--site-dir", str(out)], check=True, env=env, stdout=subprocess.DEVNULL, cwd=REPO)
    return out


def first_id(site: Path, folder: str) -> str:
    return sorted(p.name for p in (site / folder).iterdir() if p.is_dir())[0]


def run_lighthouse(binary: Path, url: str, out: Path) -> dict[str, Any]:
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    subprocess.run([str(binary), url, "--quiet", "--only-categories=performance", "--output=json",
                    f"--output-path={out}", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                   check=True, env=env)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "fcp_s": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "dom": audits["dom-size"].get("numericValue"),
        "bytes_kb": audits["total-byte-weight"]["numericValue"] / 1024,
    }


def measure(pages: list[str], runs: int) -> list[tuple[str, dict[str, Any]]]:
    binary = lighthouse_bin()
    results = []
    with tempfile.TemporaryDirectory(prefix="maillage-lighthouse-") as tmp:
        site = build_site(Path(tmp) / "site")
        ids = {"record": first_id(site, "professionnels"), "structure": first_id(site, "structures")}
        handler = lambda *a, **k: GzipHandler(*a, directory=str(site), **k)  # noqa: E731
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            for template in pages:
                path = template.format(**ids)
                samples = [run_lighthouse(binary, base + path, Path(tmp) / "rapport.json") for _ in range(runs)]
                samples.sort(key=lambda s: s["score"])
                median = samples[len(samples) // 2]
                median["scores"] = [s["score"] for s in samples]
                median["tbt_max"] = max(s["tbt_ms"] for s in samples)
                median["tbt_median"] = statistics.median(s["tbt_ms"] for s in samples)
                print(path, median, flush=True)
                results.append((template, median))
        finally:
            server.shutdown()
            server.server_close()
    return results


def render(results: list[tuple[str, dict[str, Any]]], runs: int) -> str:
    lines = [
        f"Commande : `python -m maillage.dev.bench_lighthouse --write-docs` (Lighthouse {LIGHTHOUSE_VERSION} depuis "
        "npm, réglages mobiles par défaut : écran de Moto G Power, 4G lente simulée, processeur ralenti 4 fois ; "
        f"Chromium de Debian sans interface ; site d'exemple servi compressé en gzip ; {runs} passages par page, "
        f"passage médian ; {benchdoc.machine()}).",
        "",
        "| page | performance | scores des passages | First Contentful Paint | Largest Contentful Paint "
        "| Total Blocking Time (le plus long des passages) | Cumulative Layout Shift | éléments du DOM "
        "| poids transféré |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    names = {"/professionnels/{record}/": "fiche d'un professionnel",
             "/structures/{structure}/": "fiche d'une structure"}
    for template, r in results:
        page = names.get(template, f"`{template}`")
        dom = f"{r['dom']:,.0f}".replace(",", "\u202f") if r["dom"] is not None else "—"
        lines.append(f"| {page} | {r['score']} | {', '.join(map(str, r['scores']))} | {r['fcp_s']:.1f} s | "
                     f"{r['lcp_s']:.1f} s | {r['tbt_ms']:.0f} ms ({r['tbt_max']:.0f} ms) | {r['cls']:.3f} | {dom} | "
                     f"{r['bytes_kb']:.0f} Kio |")
    lines += ["", "Objectif : performance ≥ 90 et Total Blocking Time ≤ 200 ms pour l'accueil, l'annuaire et les "
              "fiches."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", nargs="+", default=list(DEFAULT_PAGES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists() or shutil.which("npm") is None:
        print("Il faut Chromium (/usr/bin/chromium) et Node.js avec npm.", file=sys.stderr)
        return 2
    results = measure(args.pages, args.runs)
    body = render(results, args.runs)
    print(body)
    if args.write_docs:
        benchdoc.write_section("lighthouse", "Lighthouse (mobile)", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
