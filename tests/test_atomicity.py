"""``kill -9`` at any moment never damages what was already published.

``maillage build``, ``maillage export`` and ``maillage geocode`` run as real processes
and are killed with SIGKILL at each named stage of their work (no random delay: the
test-only hook :func:`maillage.core.testhooks.reached` kills the process when the stage
named by ``MAILLAGE_TEST_KILL_AT`` is reached, so every trial interrupts what it means to
interrupt, whatever the load of the machine). After every kill:

* the previously built site and the previous export are byte-identical to before
  (every file hashed), never absent, never half-written;
* the geocoding cache is a valid file whose old rows are unchanged (new rows may have
  been saved: it is a superset);
* whatever the killed process left beside the target is a hidden temporary entry that
  no command reads as output, and the next successful run deletes it;
* no worker process of a killed build is left running.

Builds are reproducible (``SOURCE_DATE_EPOCH`` and the business date are fixed), so a
run killed after its swap leaves the same bytes too.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, TODAY
from maillage.core.gazetteer import Gazetteer
from maillage.core.testhooks import ENV as KILL_AT
from maillage.core.testhooks import STAGES
from maillage.dev import fake_geocoder as fake
from maillage.geocoding.cache import CACHE_FILE, GeoCache

pytestmark = pytest.mark.slow

EPOCH = "1795305600"  # 2026-11-22 00:00 UTC
LEFTOVER = re.compile(r"^\.(?P<target>[^/]+)\.(?:construction|nouveau|ancien)-\d+-")
CACHE_LEFTOVER = re.compile(r"^\.geocodage\.csv\.\d+-[^/]*\.tmp$")
BUILD_STAGES = [name for name in STAGES if name.startswith("construction-")]
EXPORT_STAGES = [name for name in STAGES if name.startswith("export-")]


# --- helpers -----------------------------------------------------------------------

def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "maillage.cli", *args]


def environment(kill_at: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILLAGE_")}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    env["MAILLAGE_TODAY"] = TODAY
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "scripts"), env.get("PYTHONPATH")]))
    if kill_at:
        env[KILL_AT] = kill_at
    return env


def run(args: list[str], cwd: Path, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=environment(kill_at), capture_output=True, text=True, timeout=600)


def killed_at(args: list[str], cwd: Path, stage: str) -> None:
    """Run ``args`` and let it kill itself at ``stage``: it must die of SIGKILL (the stage was reached)."""
    done = run(args, cwd, kill_at=stage)
    assert done.returncode == -signal.SIGKILL, f"{stage} : pas tué ({done.returncode})\n{done.stderr[-2000:]}"
    survivors = _processes_with(f"{KILL_AT}={stage}")
    deadline = time.monotonic() + 60  # a bound for a stuck worker, not a timing assertion
    while survivors and time.monotonic() < deadline:
        time.sleep(0.1)
        survivors = _processes_with(f"{KILL_AT}={stage}")
    assert survivors == [], f"{stage} : processus encore en vie après la mort de la commande"


def _processes_with(variable: str) -> list[int]:
    """Processes of this machine whose environment holds ``variable`` (the killed command's workers)."""
    found = []
    marker = variable.encode() + b"\0"
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


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
    # The sample is small: ask for the pool of worker processes, so kills land in it too.
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      processes: null" in config or "  - maillage:\n" in config
    (root / "mkdocs-pool.yml").write_text(
        config.replace("  - maillage:\n", "  - maillage:\n      processes: 2\n", 1), encoding="utf-8")
    return root


# --- build ---------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["mkdocs.yml", "mkdocs-pool.yml"], ids=["un-processus", "pool"])
def published_site(request: pytest.FixtureRequest, project: Path,
                   tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path, dict[str, str]]:
    publication = tmp_path_factory.mktemp("publication")
    site = publication / "site"
    args = command("build", "--registry", str(project / "registry"), "--site-dir", str(site),
                   "--config", str(project / request.param))
    done = run(args, project)
    assert done.returncode == 0, done.stdout + done.stderr
    before = tree(site)
    assert "index.html" in before and "donnees/datapackage.json" in before
    assert "professionnels/aubry-valerie/index.html" in before
    return args, site, before


@pytest.mark.parametrize("stage", BUILD_STAGES)
def test_killed_build_leaves_the_previous_site_intact(published_site: tuple[list[str], Path, dict[str, str]],
                                                      project: Path, stage: str) -> None:
    args, site, before = published_site
    killed_at(args, project, stage)
    assert site.is_dir(), f"{stage} : le site a disparu"
    assert tree(site) == before, f"{stage} : le site publié a changé"
    assert_only_leftovers(site.parent, "site")


def test_the_next_build_deletes_what_killed_builds_left(published_site: tuple[list[str], Path, dict[str, str]],
                                                         project: Path) -> None:
    args, site, before = published_site
    publication = site.parent
    killed_at(args, project, "construction-fiches")
    # A leftover is never taken for output: a hidden name, outside the site, not read by a build.
    planted = publication / f".site.construction-{dead_pid()}-abcdefgh"
    planted.mkdir(exist_ok=True)
    (planted / "index.html").write_text("<p>construction interrompue</p>")
    assert len(assert_only_leftovers(publication, "site")) >= 2
    done = run(args, project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert tree(site) == before
    assert sorted(p.name for p in publication.iterdir()) == ["site"], "restes non supprimés"


# --- export --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def published_export(project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("publication") / "donnees"
    args = command("export", "--registry", str(project / "registry"), "--out", str(out))
    done = run(args, project)
    assert done.returncode == 0, done.stdout + done.stderr
    before = tree(out)
    assert "datapackage.json" in before
    return args, out, before


@pytest.mark.parametrize("stage", EXPORT_STAGES)
def test_killed_export_leaves_the_previous_export_intact(
        published_export: tuple[list[str], Path, dict[str, str]], project: Path, stage: str) -> None:
    args, out, before = published_export
    killed_at(args, project, stage)
    assert out.is_dir(), f"{stage} : l'export a disparu"
    assert tree(out) == before, f"{stage} : l'export précédent a changé"
    assert_only_leftovers(out.parent, "donnees")


def test_the_next_export_deletes_what_killed_exports_left(
        published_export: tuple[list[str], Path, dict[str, str]], project: Path) -> None:
    args, out, before = published_export
    publication = out.parent
    killed_at(args, project, "export-partiel")
    planted = publication / f".donnees.nouveau-{dead_pid()}-abcdefgh"
    planted.mkdir(exist_ok=True)
    (planted / "professionnels.csv").write_text("id\nmoitie")
    done = run(args, project)
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


@pytest.fixture(scope="module")
def geocoding(server: fake.FakeGeoplateforme, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A registry whose cache already knows OLD addresses, then NEW records to geocode; and the full cache."""
    base = tmp_path_factory.mktemp("geocodage")
    gazetteer = Gazetteer.load()
    template = base / "modele"
    fake.write_registry(template, addresses(0, OLD, gazetteer))
    geocode = ["geocode", "--provider", "ban", "--endpoint", server.url]
    done = run(command(*geocode, "--registry", str(template)), base)
    assert done.returncode == 0, done.stdout + done.stderr
    fake.write_registry(template, addresses(0, OLD + NEW, gazetteer))
    old_rows = rows(template / CACHE_FILE)
    assert len(old_rows) == OLD

    complete = base / "complet"
    shutil.copytree(template, complete)
    done = run(command(*geocode, "--registry", str(complete)), base)
    assert done.returncode == 0, done.stdout + done.stderr
    full_rows = rows(complete / CACHE_FILE)
    assert len(full_rows) == OLD + NEW
    return {"base": base, "template": template, "geocode": geocode, "old_rows": old_rows, "full_rows": full_rows,
            "old_bytes": (template / CACHE_FILE).read_bytes()}


GEOCODE_STAGES = {
    f"geocodage-reponses:{NEW // 2}": "ancien",  # half the answers received, none saved yet
    "geocodage-ecriture": "ancien",  # the temporary file of the cache half-written
    "geocodage-enregistre": "complet",  # the cache saved, its leftovers not yet deleted
}


@pytest.mark.parametrize("stage", list(GEOCODE_STAGES))
def test_killed_geocode_leaves_a_valid_cache_that_keeps_every_old_row(geocoding: dict, stage: str) -> None:
    base, old_rows, full_rows = geocoding["base"], geocoding["old_rows"], geocoding["full_rows"]
    trial_dir = base / f"essai-{stage.replace(':', '-')}"
    shutil.copytree(geocoding["template"], trial_dir)
    killed_at(command(*geocoding["geocode"], "--registry", str(trial_dir)), base, stage)
    cache = trial_dir / CACHE_FILE
    assert cache.read_bytes().endswith(b"\n"), f"{stage} : cache tronqué"
    after = rows(cache)  # raises CacheError on a damaged file
    for key, row in old_rows.items():
        assert after.get(key) == row, f"{stage} : ligne ancienne modifiée ou perdue : {key}"
    for key, row in after.items():
        assert full_rows[key] == row, f"{stage} : ligne inattendue : {key}"
    assert after == (old_rows if GEOCODE_STAGES[stage] == "ancien" else full_rows)
    left = assert_only_leftovers(trial_dir, "", re.compile(
        r"^(?:registre\.yaml|vocabulaires|professionnels|geocodage\.csv|\.geocodage\.csv\.\d+-[^/]*\.tmp)$"))
    if stage == "geocodage-ecriture":
        assert [name for name in left if CACHE_LEFTOVER.match(name)], "le fichier temporaire devait rester"


def test_the_next_geocode_deletes_what_killed_runs_left(geocoding: dict) -> None:
    base, old_bytes = geocoding["base"], geocoding["old_bytes"]
    trial_dir = base / "essai-restes"
    shutil.copytree(geocoding["template"], trial_dir)
    args = command(*geocoding["geocode"], "--registry", str(trial_dir))
    killed_at(args, base, "geocodage-ecriture")
    # A temporary file of a killed run is not read as the cache, and the next run deletes it.
    leftover = trial_dir / f".geocodage.csv.{dead_pid()}-abcdefgh.tmp"
    leftover.write_bytes(old_bytes[: len(old_bytes) // 2])
    validated = run(command("validate", "--registry", str(trial_dir)), base)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    done = run(args, base)
    assert done.returncode == 0, done.stdout + done.stderr
    assert rows(trial_dir / CACHE_FILE) == geocoding["full_rows"]
    assert not [p.name for p in trial_dir.iterdir() if CACHE_LEFTOVER.match(p.name)], "restes non supprimés"
