"""Benchmark of the record history pass (``maillage.history.log``).

    python -m maillage.dev.bench_history [--records 10000] [--commits 20] [--write]

A ``maillage synth`` registry is committed once, then changed ``--commits - 1`` times (each
commit edits the verification date and the description of a tenth of the records, a
different tenth each time, so that every record has several versions). Measured: the first
history pass (no cache: the whole log), then an incremental pass after one more commit
(cache of the previous pass), and as reference in the same run the time ``git log
--name-status`` alone takes to list the same changes.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from maillage.dev.benchdoc import machine, write_section
from maillage.history.log import read_history

ENV = {"GIT_AUTHOR_NAME": "Banc", "GIT_AUTHOR_EMAIL": "banc@example.org", "GIT_COMMITTER_NAME": "Banc",
       "GIT_COMMITTER_EMAIL": "banc@example.org", "PATH": "/usr/bin:/bin"}


def _git(repo: Path, *args: str, when: int = 1_790_000_000) -> None:
    env = {**ENV, "GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _edit(files: list[Path], round_: int) -> None:
    for path in files:
        text = path.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if not line.startswith("# banc")]
        path.write_text("\n".join([*lines, f"# banc {round_}"]) + "\n", encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("source: ", f"source: Vérification n° {round_} — ", 1), encoding="utf-8")


def build_repo(folder: Path, records: int, commits: int) -> Path:
    repo = folder / "depot"
    subprocess.run([sys.executable, "-m", "maillage.cli", "synth", "--records", str(records), "--out",
                    str(repo / "registry"), "--seed", "1"], check=True, capture_output=True)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "registre")
    files = sorted(p for kind in ("professionnels", "structures") for p in (repo / "registry" / kind).glob("*.yaml"))
    rng = random.Random(1)
    rng.shuffle(files)
    tenth = max(1, len(files) // 10)
    for round_ in range(1, commits):
        start = (round_ - 1) * tenth % len(files)
        _edit(files[start:start + tenth], round_)
        _git(repo, "commit", "-q", "-am", f"vérifications {round_}", when=1_790_000_000 + round_ * 86_400)
    return repo


def measure(records: int, commits: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="maillage-bench-historique-") as tmp:
        repo = build_repo(Path(tmp), records, commits)
        registry = repo / "registry"
        started = time.perf_counter()
        subprocess.run(["git", "-C", str(repo), "log", "--name-status", "--format=%H", "--", "registry"],
                       check=True, capture_output=True)
        git_log = time.perf_counter() - started
        started = time.perf_counter()
        first = read_history(registry, use_cache=True)
        full = time.perf_counter() - started
        assert first is not None
        files = sorted((registry / "professionnels").glob("*.yaml"))[:50]
        _edit(files, commits)
        _git(repo, "commit", "-q", "-am", "une de plus", when=1_790_000_000 + commits * 86_400)
        started = time.perf_counter()
        again = read_history(registry, use_cache=True)
        incremental = time.perf_counter() - started
        assert again is not None and again.head != first.head
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        versions = sum(len(v) for v in first.records.values())
    return {"git_log": git_log, "full": full, "incremental": incremental, "peak_mb": peak,
            "entries": float(versions)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--write", action="store_true", help="écrire le résultat dans docs/benchmarks.md")
    args = parser.parse_args(argv)
    r = measure(args.records, args.commits)
    rows = [
        "| Mesure | Durée |",
        "| --- | ---: |",
        f"| `git log --name-status` seul (référence, même dépôt) | {r['git_log']:.2f} s |".replace(".", ","),
        f"| Historique complet (sans cache) | {r['full']:.2f} s |".replace(".", ","),
        f"| Historique après un commit de plus (cache) | {r['incremental']:.2f} s |".replace(".", ","),
    ]
    body = "\n".join([
        f"Registre `maillage synth` de {args.records:,} fiches".replace(",", "\u202f")
        + f", {args.commits} commits (chaque commit modifie la source d'un dixième des professionnels et structures), "
        "puis un commit de plus pour la reconstruction incrémentale. Une seule lecture du journal Git et un seul "
        "`git cat-file --batch` pour toutes les versions ; cache par commit dans `.git/maillage-historique.json`.",
        "",
        *rows,
        "",
        f"Mémoire maximale du processus : {r['peak_mb']:.0f} Mo. Machine : {machine()}.",
        "",
        f"Commande : `python -m maillage.dev.bench_history --records {args.records} --commits {args.commits} "
        "--write`.",
    ])
    print(body)
    if args.write:
        write_section("historique", "Historique des fiches", body)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
