"""``kill -9`` at any moment never damages what was already published.

``maillage build``, ``maillage export`` and ``maillage geocode`` run as real processes
and are killed with SIGKILL after a random delay (seeded) within their measured run
time. After every kill:

* the previously built site and the previous export are byte-identical to before
  (every file hashed), never absent, never half-written;
* the geocoding cache is a valid file whose old rows are unchanged (new rows may have
  been saved: it is a superset);
* whatever the killed process left beside the target is a hidden temporary entry that
  no command reads as output, and the next successful run deletes it.

Builds are reproducible (``SOURCE_DATE_EPOCH`` is fixed), so a run that finishes before
its kill leaves the same bytes too.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import REPO
from maillage.core.gazetteer import Gazetteer
from maillage.dev import fake_geocoder as fake
from maillage.geocoding.cache import CACHE_FILE, GeoCache

pytestmark = pytest.mark.slow

TRIALS = 20
SEED = 20261122
EPOCH = "1795305600"  # 2026-11-22 00:00 UTC
LEFTOVER = re.compile(r"^\.(?P<target>[^/]+)\.(?:construction|nouveau|ancien)-\d+-")
CACHE_LEFTOVER = re.compile(r"^\.geocodage\.csv\.\d+-[^/]*\.tmp$")


# --- helpers -----------------------------------------------------------------------

def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "maillage.cli", *args]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MAILLAGE_TODAY", "MAILLAGE_REGISTRY",
                                                            "MAILLAGE_AUDIENCE")}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "scripts"), env.get("PYTHONPATH")]))
    return env


def run(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(args, cwd=cwd, env=environment(), capture_output=True, text=True, timeout=300)
    return done, time.monotonic() - started


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``: relative path -> sha256 (or "dir")."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        out[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def dead_pid() -> int:
    """The id of a process that has exited (to name a leftover of a crashed run)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def kill_trials(args: list[str], cwd: Path, duration: float, check: Callable[[int], None]) -> int:
    """Start ``args`` TRIALS times, SIGKILL each after a seeded random delay; returns how many were killed."""
    rng = random.Random(f"{SEED}-{args[3]}")
    killed = 0
    for trial in range(TRIALS):
        delay = rng.uniform(0.0, duration)
        process = subprocess.Popen(args, cwd=cwd, env=environment(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            killed += 1
        check(trial)
    return killed


def assert_only_leftovers(parent: Path, target: str, pattern: re.Pattern[str] = LEFTOVER) -> list[str]:
    """Besides ``target``, ``parent`` holds only hidden temporary entries of that target."""
    others = sorted(p.name for p in parent.iterdir() if p.name != target)
    for name in others:
        match = pattern.match(name)
        assert match is not None, f"fichier inattendu à côté de {target} : {name}"
        if "target" in pattern.groupindex:
            assert match.group("target") == target
    return others


# --- a small project (isolated from concurrent edits of the repository) -----------

@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("projet")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "scripts" / "maillage" / "site" / "overrides",
                    root / "scripts" / "maillage" / "site" / "overrides")
    shutil.copytree(REPO / "registry", root / "registry")
    return root


# --- build ---------------------------------------------------------------------------

def test_killed_build_leaves_the_previous_site_intact(project: Path, tmp_path: Path) -> None:
    publication = tmp_path / "publication"
    site = publication / "site"
    args = command("build", "--registry", str(project / "registry"), "--site-dir", str(site),
                   "--config", str(project / "mkdocs.yml"))
    done, duration = run(args, project)
    assert done.returncode == 0, done.stdout + done.stderr
    before = tree(site)
    assert "index.html" in before and "donnees/datapackage.json" in before
    seen_leftovers: set[str] = set()

    def check(trial: int) -> None:
        assert site.is_dir(), f"essai {trial} : le site a disparu"
        assert tree(site) == before, f"essai {trial} : le site publié a changé"
        seen_leftovers.update(assert_only_leftovers(publication, "site"))

    killed = kill_trials(args, project, duration, check)
    assert killed >= TRIALS // 2

    # A leftover is never taken for output: a hidden name, outside the site, not read by a build.
    planted = publication / f".site.construction-{dead_pid()}-abcdefgh"
    planted.mkdir(exist_ok=True)
    (planted / "index.html").write_text("<p>construction interrompue</p>")
    done, _ = run(args, project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert tree(site) == before
    assert sorted(p.name for p in publication.iterdir()) == ["site"], "restes non supprimés"


# --- export --------------------------------------------------------------------------

def test_killed_export_leaves_the_previous_export_intact(project: Path, tmp_path: Path) -> None:
    publication = tmp_path / "publication"
    out = publication / "donnees"
    args = command("export", "--registry", str(project / "registry"), "--out", str(out))
    done, duration = run(args, project)
    assert done.returncode == 0, done.stdout + done.stderr
    before = tree(out)
    assert "datapackage.json" in before

    def check(trial: int) -> None:
        assert out.is_dir(), f"essai {trial} : l'export a disparu"
        assert tree(out) == before, f"essai {trial} : l'export précédent a changé"
        assert_only_leftovers(publication, "donnees")

    killed = kill_trials(args, project, duration, check)
    assert killed >= TRIALS // 2

    planted = publication / f".donnees.nouveau-{dead_pid()}-abcdefgh"
    planted.mkdir(exist_ok=True)
    (planted / "professionnels.csv").write_text("id\nmoitie")
    done, _ = run(args, project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert tree(out) == before
    assert sorted(p.name for p in publication.iterdir()) == ["donnees"], "restes non supprimés"


# --- geocode -------------------------------------------------------------------------

OLD, NEW = 30, 80


def addresses(start: int, count: int, gazetteer: Gazetteer) -> dict[str, list[str]]:
    communes = [c for c in gazetteer.in_departement("50") if c.codes_postaux and c.has_position]
    out = {}
    for n in range(start, start + count):
        commune = communes[n % len(communes)]
        out[f"essai-{n:04d}"] = [fake.lieu_yaml(f"{n + 1} rue de l'Arrêt Brutal", commune.codes_postaux[0],
                                                commune.nom_article, commune.code_insee)]
    return out


@pytest.fixture(scope="module")
def server() -> Iterator[fake.FakeGeoplateforme]:
    with fake.FakeGeoplateforme(default=fake.auto_answer(Gazetteer.load())) as srv:
        yield srv


def rows(path: Path) -> dict[str, list[str]]:
    return {row.key: row.as_csv() for row in GeoCache.load(path)}


def test_killed_geocode_leaves_a_valid_cache_that_keeps_every_old_row(
        server: fake.FakeGeoplateforme, tmp_path: Path) -> None:
    gazetteer = Gazetteer.load()
    # A registry whose cache already knows OLD addresses, then NEW records to geocode.
    template = tmp_path / "modele"
    fake.write_registry(template, addresses(0, OLD, gazetteer))
    geocode = ["geocode", "--provider", "ban", "--endpoint", server.url]
    done, _ = run(command(*geocode, "--registry", str(template)), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    fake.write_registry(template, addresses(0, OLD + NEW, gazetteer))
    old_bytes = (template / CACHE_FILE).read_bytes()
    old_rows = rows(template / CACHE_FILE)
    assert len(old_rows) == OLD

    complete = tmp_path / "complet"
    shutil.copytree(template, complete)
    done, duration = run(command(*geocode, "--registry", str(complete)), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    full_rows = rows(complete / CACHE_FILE)
    assert len(full_rows) == OLD + NEW

    trial_dir = tmp_path / "essai"
    args = command(*geocode, "--registry", str(trial_dir))

    def reset() -> None:
        shutil.rmtree(trial_dir, ignore_errors=True)
        shutil.copytree(template, trial_dir)

    def check(trial: int) -> None:
        cache = trial_dir / CACHE_FILE
        data = cache.read_bytes()
        assert data.endswith(b"\n"), f"essai {trial} : cache tronqué"
        after = rows(cache)  # raises CacheError on a damaged file
        for key, row in old_rows.items():
            assert after.get(key) == row, f"essai {trial} : ligne ancienne modifiée ou perdue : {key}"
        for key, row in after.items():
            assert full_rows[key] == row, f"essai {trial} : ligne inattendue : {key}"
        assert_only_leftovers(trial_dir, "", re.compile(
            r"^(?:registre\.yaml|vocabulaires|professionnels|geocodage\.csv|\.geocodage\.csv\.\d+-[^/]*\.tmp)$"))
        reset()

    reset()
    killed = kill_trials(args, tmp_path, duration, check)
    assert killed >= TRIALS // 2

    # A temporary file of a killed run is not read as the cache, and the next run deletes it.
    leftover = trial_dir / f".geocodage.csv.{dead_pid()}-abcdefgh.tmp"
    leftover.write_bytes(old_bytes[: len(old_bytes) // 2])
    validated, _ = run(command("validate", "--registry", str(trial_dir)), tmp_path)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    done, _ = run(args, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert rows(trial_dir / CACHE_FILE) == full_rows
    assert not [p.name for p in trial_dir.iterdir() if CACHE_LEFTOVER.match(p.name)], "restes non supprimés"
