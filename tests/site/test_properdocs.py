"""The site builds with ProperDocs, the maintained drop-in fork of MkDocs 1.x, as with MkDocs.

MkDocs 1.x is no longer maintained and its announced 2.0 drops plugins: the project must
be able to move. The plugin only uses MkDocs' public plugin events and theme blocks, so
``properdocs build`` gives the same site, byte for byte, but for the ``generator`` tag.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EPOCH, REPO, TODAY

pytest.importorskip("properdocs")


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILLAGE_")}
    env.update(PYTHONPATH=str(REPO / "scripts"), SOURCE_DATE_EPOCH=EPOCH, DISABLE_MKDOCS_2_WARNING="true", **extra)
    return env


GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(GENERATOR.sub(b"", p.read_bytes())).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_properdocs_builds_the_same_sample_site_as_mkdocs(sample_sites: dict[str, Path], tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "properdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"),
                           "-d", str(site)], cwd=REPO, env=environment(MAILLAGE_TODAY=TODAY),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "ProperDocs" in home  # it was ProperDocs that built it
    ours, theirs = tree(sample_sites["public"]), tree(site)
    assert "professionnels/aubry-valerie/index.html" in theirs and "donnees/datapackage.json" in theirs
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


LOAD = """
import json, sys
if sys.argv[1] == "properdocs":
    import properdocs.replacement  # what `properdocs` does first: every mkdocs.* import is ProperDocs'
import mkdocs
from mkdocs.config import load_config
plugin = load_config(config_file=sys.argv[2]).plugins["maillage"]
print(json.dumps({"engine": mkdocs.__name__, "plugin": type(plugin).__module__, **plugin.config}, default=str))
"""


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_plugin_loads_and_reads_its_options_from_mkdocs_yml(engine: str) -> None:
    """``mkdocs.yml`` gives the options, reading the documented variables with MkDocs' ``!ENV`` tag."""
    done = subprocess.run([sys.executable, "-c", LOAD, engine, str(REPO / "mkdocs.yml")], cwd=REPO,
                          env=environment(MAILLAGE_REGISTRY="/ailleurs/registre", MAILLAGE_AUDIENCE="interne",
                                          MAILLAGE_TODAY=TODAY),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["engine"] == engine
    assert loaded["plugin"] == "maillage.site.plugin"
    assert (loaded["registry"], loaded["audience"], loaded["today"], loaded["internal"]) == \
        ("/ailleurs/registre", "interne", TODAY, None)
    done = subprocess.run([sys.executable, "-c", LOAD, engine, str(REPO / "mkdocs.yml")], cwd=REPO,
                          env=environment(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    defaults = json.loads(done.stdout.strip().splitlines()[-1])
    # No audience by default: public, or interne when the internal registry is given (pipeline.audience_for).
    assert (defaults["registry"], defaults["audience"], defaults["today"], defaults["internal"]) == \
        ("registry", None, None, None)
