"""Two builds of the same commit give byte-identical sites and exports.

Each build runs in its own clone of the repository (different absolute paths), with its
own code (``PYTHONPATH`` points at the clone), a different hash seed, time zone and
umask: every file of ``site/`` and of the export is compared by hash. The business date
is pinned (``--date``, ``MAILLAGE_TODAY``); the file stamp is the last commit's time,
which ``maillage build`` takes itself when ``SOURCE_DATE_EPOCH`` is not set.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow

EPOCH = "1795305600"  # 2026-11-22 00:00 UTC
TODAY = "2026-11-22"


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(one: dict[str, str], two: dict[str, str]) -> list[str]:
    return sorted(name for name in one.keys() | two.keys() if one.get(name) != two.get(name))


def clone(destination: Path) -> Path:
    if not (REPO / ".git").exists():
        pytest.skip("pas de dépôt git")
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(destination)], check=True)
    return destination


def maillage(checkout: Path, *args: str, hash_seed: str, tz: str, umask: int,
             epoch: str | None = EPOCH) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SOURCE_DATE_EPOCH", "MAILLAGE_TODAY", "MAILLAGE_REGISTRY", "MAILLAGE_AUDIENCE",
                        "MAILLAGE_INTERNAL")}
    env.update(PYTHONPATH=str(checkout / "scripts"), PYTHONHASHSEED=hash_seed, TZ=tz, MAILLAGE_TODAY=TODAY)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    done = subprocess.run([sys.executable, "-m", "maillage.cli", *args], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=600,
                          preexec_fn=lambda: os.umask(umask))
    assert done.returncode == 0, done.stdout + done.stderr
    return done


VARIANTS = ({"hash_seed": "1", "tz": "UTC", "umask": 0o022},
            {"hash_seed": "4242", "tz": "Pacific/Auckland", "umask": 0o002})


@pytest.fixture(scope="module")
def clones(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("reproductible")
    return clone(base / "a"), clone(base / "un" / "chemin" / "plus" / "long" / "b")


def commit_epoch(checkout: Path) -> str:
    return subprocess.run(["git", "-C", str(checkout), "log", "-1", "--format=%ct"], check=True,
                          capture_output=True, text=True).stdout.strip()


@pytest.mark.parametrize("audience", ["public", "interne"])
def test_two_builds_of_the_same_commit_are_byte_identical(clones: tuple[Path, Path], audience: str) -> None:
    """The first clone leaves SOURCE_DATE_EPOCH unset (the build takes the last commit's time), the
    second sets it to that time: same bytes, and the sitemap is dated by the commit."""
    epoch = commit_epoch(clones[0])
    assert commit_epoch(clones[1]) == epoch
    trees = []
    # The internal outputs: both registries (the example internal registry is part of each clone).
    both = ("--internal", "examples/internal-registry") if audience == "interne" else ()
    for checkout, variant, stamp in zip(clones, VARIANTS, (None, epoch), strict=True):
        maillage(checkout, "build", "--site-dir", f"site-{audience}", "--audience", audience, *both, "--date", TODAY,
                 epoch=stamp, **variant)
        maillage(checkout, "export", "--out", f"donnees-{audience}", "--audience", audience, *both, epoch=stamp,
                 **variant)
        trees.append((tree(checkout / f"site-{audience}"), tree(checkout / f"donnees-{audience}")))
    (site_a, export_a), (site_b, export_b) = trees
    assert "sitemap.xml.gz" in site_a and "index.html" in site_a and "datapackage.json" in export_a
    assert not differences(site_a, site_b), "fichiers du site différents"
    assert not differences(export_a, export_b), "fichiers exportés différents"
    # The site carries the same open data as « maillage export ».
    assert {f"donnees/{name}": digest for name, digest in export_a.items()}.items() <= site_a.items()
    # Files are stamped with the commit's time; the business date is the one asked for.
    day = datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    sitemap = (clones[0] / f"site-{audience}" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<lastmod>{day}</lastmod>" in sitemap
    assert "Registre au 22 novembre 2026." in (clones[0] / f"site-{audience}" / "index.html").read_text("utf-8")


def test_a_larger_synthetic_registry_builds_identically(clones: tuple[Path, Path]) -> None:
    """More records, more sets and dicts to iterate: still the same bytes."""
    trees = []
    for checkout, variant in zip(clones, VARIANTS, strict=True):
        maillage(checkout, "synth", "--records", "400", "--out", "synth", "--seed", "3", **variant)
        maillage(checkout, "build", "--registry", "synth", "--site-dir", "site-synth", "--date", TODAY, **variant)
        trees.append(tree(checkout / "site-synth"))
    assert len(trees[0]) > 400
    assert not differences(*trees), "fichiers du site différents"
