"""Every benchmark, in sequence, each writing its section of ``docs/benchmarks.md`` (``make bench``).

    python -m maillage.dev.bench [--only NAME ...] [--no-write]

Each script runs in its own process (so one's memory does not weigh on the next), with
the options that reproduce the tables of the page. The directory benchmark needs
Chromium (``/usr/bin/chromium``) for its browser part; the Lighthouse one needs Chromium,
Node.js and, the first time, the npm registry (it installs lighthouse@12.2.3 in
``~/.cache/maillage-lighthouse``). Expect about 20 minutes on a 2-core machine, most of it
at 50,000 records.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

# name, module, options, option that writes into docs/benchmarks.md
BENCHMARKS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("validation", "maillage.dev.bench_validate", ("--sizes", "1000", "10000"), "--write"),
    ("exports", "maillage.dev.bench_export", ("--records", "1000", "10000"), "--write"),
    ("annuaire", "maillage.dev.bench_directory", ("--records", "1000", "10000"), "--write-docs"),
    ("couverture", "maillage.dev.bench_coverage", ("--records", "10000", "50000"), "--write-docs"),
    ("geocodage", "maillage.dev.bench_geocode", ("--addresses", "1000"), "--write-docs"),
    ("lighthouse", "maillage.dev.bench_lighthouse", ("--runs", "3"), "--write-docs"),
    ("echelle", "maillage.dev.bench_scale", ("--records", "1000", "10000", "50000", "--bare", "10000"),
     "--write"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=[b[0] for b in BENCHMARKS], metavar="NOM",
                        help="ne lancer que ces mesures : " + ", ".join(b[0] for b in BENCHMARKS))
    parser.add_argument("--no-write", action="store_true", help="afficher sans modifier docs/benchmarks.md")
    args = parser.parse_args(argv)
    failed = []
    for name, module, options, write in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        command = [sys.executable, "-m", module, *options, *(() if args.no_write else (write,))]
        print(f"== {name} : {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        done = subprocess.run(command, check=False)
        print(f"== {name} : {'terminé' if done.returncode == 0 else f'échec (code {done.returncode})'} "
              f"en {time.perf_counter() - started:.0f} s", flush=True)
        if done.returncode != 0:
            failed.append(name)
    if failed:
        print("Mesures en échec : " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
