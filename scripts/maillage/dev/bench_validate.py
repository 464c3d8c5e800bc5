"""Benchmark: ``maillage validate`` against the bare libyaml parse of the same files.

    python -m maillage.dev.bench_validate [--sizes 1000 10000] [--write]

Registries come from ``maillage synth`` (seed 1). The bare parse reads every record
file and loads it with ``yaml.load(..., Loader=yaml.CSafeLoader)``; the load is Maillage's
own (:func:`~maillage.load.registry.load_registry`: safe YAML, every position recorded);
validation is the full ``maillage validate`` work (that load, then schemas, rules,
registry-wide checks). Processor time (not wall time: the machine may be shared), best of
three runs each, in one process after a warm-up.
Target (issue « Step 1 »): validation ≤ 2 × bare parse at 10 000 records.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from maillage.core.gazetteer import Gazetteer
from maillage.core.kinds import KINDS
from maillage.core.schemas import load_schemas
from maillage.dev.benchdoc import machine, write_section
from maillage.load.registry import load_registry
from maillage.validation import validate


def synth(n: int, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "maillage.cli", "synth", "--records", str(n), "--out", str(out),
                    "--seed", "1"], check=True, capture_output=True)


def bare_parse(root: Path) -> float:
    start = time.process_time()
    for folder in (k.folder for k in KINDS):
        for path in sorted((root / folder).glob("*.yaml")):
            with path.open("rb") as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)
    return time.process_time() - start


def timed_load(root: Path) -> float:
    start = time.process_time()
    load_registry(root)
    return time.process_time() - start


def timed_validate(root: Path) -> tuple[float, int]:
    start = time.process_time()
    result = validate(root)
    elapsed = time.process_time() - start
    return elapsed, len(result.problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--write", action="store_true", help="écrire les résultats dans docs/benchmarks.md")
    args = parser.parse_args(argv)
    load_schemas(), Gazetteer.load()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            root = Path(tmp) / f"r{n}"
            synth(n, root)
            validate(root)  # warm-up (file cache, lazy imports)
            parse = min(bare_parse(root) for _ in range(3))
            load = min(timed_load(root) for _ in range(3))
            runs = [timed_validate(root) for _ in range(3)]
            best, problems = min(runs)
            rows.append((n, parse, load, best, best / parse, problems))
            print(f"{n:>6} fiches : analyse YAML {parse:.2f} s, chargement {load:.2f} s, validation {best:.2f} s, "
                  f"rapport {best / parse:.2f}, problèmes {problems}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = ["| fiches | analyse YAML seule (libyaml) | chargement Maillage (avec positions) | `maillage validate` "
             "| rapport | problèmes |",
             "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    table += [f"| {n:,} | {p:.2f} s | {c:.2f} s | {v:.2f} s | {r:.2f} × | {k} |".replace(",", " ")
              for n, p, c, v, r, k in rows]
    body = (
        "Commande : `python -m maillage.dev.bench_validate --write` (registres `maillage synth`, graine 1 ; "
        "temps processeur, meilleur de trois passages). Le chargement est compris dans la validation.\n\n"
        + "\n".join(table) +
        f"\n\nMachine : {machine()} ; mémoire maximale du processus : {peak:.0f} Mo. Objectif : validation "
        "≤ 2 × l'analyse YAML seule à 10 000 fiches.\n\nComment c'est tenu : le schéma est d'abord vérifié par "
        "un validateur compilé (`jsonschema-rs`) ; seules les fiches en échec passent par `jsonschema` pour "
        "obtenir des messages détaillés. La position (ligne, colonne) de chaque valeur est notée au chargement, "
        "dans un tableau compact (deux entiers par valeur et par clé, dans l'ordre du fichier) ; pour situer un "
        "problème, on parcourt la fiche en mémoire jusqu'au champ (une fiche aux nombreux problèmes est indexée "
        "une fois) : aucun fichier n'est relu."
    )
    if args.write:
        write_section("validation", "Validation", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
