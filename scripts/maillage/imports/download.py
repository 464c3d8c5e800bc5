"""Download the national files named in ``registre.yaml`` (used by the weekly maintenance workflow).

    python -m maillage.imports.download finess|rpps [--registry DIR] --out FILE

``imports.<source>.url`` is either the file itself, or, for FINESS, a data.gouv.fr dataset
API address (``…/api/1/datasets/<dataset>/``): the most recent resource named
``etalab-cs1100507-stock-AAAAMMJJ-hhmm.csv`` (geolocated extraction; else ``cs1100502``)
is then chosen. The file is streamed to a temporary file and renamed when complete.
This is the only part of the import that uses the network; tests use a local server.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from maillage import __version__
from maillage.load.registry import load_registry

USER_AGENT = f"maillage/{__version__} (+https://github.com/example/maillage)"
PATTERNS = {"finess": (re.compile(r"etalab-cs1100507-stock-(\d{8})-(\d{4})\.csv$"),
                       re.compile(r"etalab-cs1100502-stock-(\d{8})-(\d{4})\.csv$"))}
TIMEOUT = 600


class DownloadError(Exception):
    pass


def _open(url: str) -> Any:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    return urllib.request.urlopen(request, timeout=TIMEOUT)


def configured_url(registry: Path, source: str) -> str:
    meta = load_registry(registry).meta
    url = ((meta.get("imports") or {}).get(source) or {}).get("url")
    if not isinstance(url, str) or not url:
        raise DownloadError(f"registre.yaml n'indique pas d'adresse pour « {source} » (imports.{source}.url).")
    return url


def resolve(url: str, source: str) -> str:
    """The file's address: ``url`` itself, or the latest matching resource of a data.gouv.fr dataset."""
    if "/api/1/datasets/" not in url:
        return url
    with _open(url) as response:
        dataset = json.load(response)
    resources = [r for r in dataset.get("resources", []) if isinstance(r, dict) and isinstance(r.get("url"), str)]
    for pattern in PATTERNS.get(source, ()):
        dated = [(m.groups(), r["url"]) for r in resources if (m := pattern.search(r["url"]))]
        if dated:
            return max(dated)[1]
    raise DownloadError(f"aucun fichier « {source} » reconnu dans le jeu de données {url}.")


def download(url: str, out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle, _open(url) as response:
            shutil.copyfileobj(response, handle, 1024 * 1024)
        size = Path(tmp).stat().st_size
        if size == 0:
            raise DownloadError(f"le fichier téléchargé depuis {url} est vide.")
        os.replace(tmp, out)
        return size
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maillage.imports.download",
                                     description="Télécharger un fichier national (adresse de registre.yaml).")
    parser.add_argument("source", choices=("finess", "rpps"))
    parser.add_argument("--registry", type=Path, default=Path("registry"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        url = resolve(configured_url(args.registry, args.source), args.source)
        size = download(url, args.out)
    except (DownloadError, OSError, ValueError) as exc:
        print(f"maillage : téléchargement impossible : {exc}", file=sys.stderr)
        return 1
    print(f"{args.out} : {size} octets depuis {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
