"""``maillage synth``: write a fictional registry of N records (demonstrations, tests, benchmarks)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from maillage.dev.synth import SynthError, write_registry


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "synth", help="écrire un registre fictif de N fiches",
        description="Écrit dans DOSSIER un registre complet et entièrement fictif (métadonnées, "
                    "vocabulaires, professionnels, structures, conventions) qui passe la validation. "
                    "Le même nombre de fiches, la même graine et la même date donnent les mêmes fichiers.")
    parser.add_argument("--records", type=int, required=True, metavar="N",
                        help="nombre de fiches (≈ 70 %% professionnels, 20 %% structures, 10 %% conventions)")
    parser.add_argument("--out", type=Path, required=True, metavar="DOSSIER",
                        help="dossier où écrire le registre (neuf ou vide)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="graine (0 par défaut)")
    parser.add_argument("--departement", default="50", metavar="CODE",
                        help="code du département dont les communes sont utilisées (50 par défaut)")
    parser.add_argument("--internal", type=Path, metavar="DOSSIER",
                        help="dossier du registre interne fictif qui l'accompagne (sections internes, conventions "
                             "en projet, documents non publics ; par défaut DOSSIER-interne à côté)")
    parser.add_argument("--force", action="store_true",
                        help="remplacer le registre déjà présent dans DOSSIER")
    parser.set_defaults(run=run)


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def run(args: argparse.Namespace) -> int:
    if args.records < 0:
        print("maillage : --records doit être un nombre positif ou nul.", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        result = write_registry(args.out, args.records, seed=args.seed, departement=args.departement,
                                internal=args.internal, force=args.force)
    except SynthError as exc:
        print(f"maillage : {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    c = result.counts
    print(f"Registre fictif de {_n(c.total)} fiches écrit dans {args.out} : "
          f"{_n(c.professionnels)} professionnels, {_n(c.structures)} structures, "
          f"{_n(c.conventions)} conventions (département {result.departement}, graine {result.seed}, "
          f"{elapsed:.1f}".replace(".", ",") + f" s ; données internes dans {result.internal}).")
    return 0
