"""The web editor in Chromium, offline: Decap CMS's test backend stands in for GitHub.

The page is the real ``docs/admin/index.html`` with the vendored bundle and the configuration
``maillage cms-config`` generates; only the backend is swapped for Decap's in-memory
``test-repo`` (the same editorial workflow: a save makes an unpublished entry, which is what
becomes a branch and a pull request on GitHub). A partner opens a record from its page link,
changes a phone number in the form and saves: the file produced validates and, once made
canonical, differs from the original on that line only.
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from browser_support import BROWSER_MARKS, Tab, serve
from conftest import REPO
from maillage.cli.main import main
from maillage.core.schemas import load_schemas
from maillage.editing import cms
from maillage.load.safe_yaml import parse_text

pytestmark = BROWSER_MARKS

RECORD = "anquetil-alice"
OLD_PHONE, NEW_PHONE = "02 61 91 75 38", "02 61 91 99 99"
CSP_WATCH = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
             "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


def _repo_files(registry: Path) -> dict[str, Any]:
    """Decap's test backend reads ``window.repoFiles``: nested folders, and each collection folder by its path."""
    nested: dict[str, Any] = {}
    for folder in ("professionnels", "structures", "conventions"):
        nested[folder] = {p.name: {"content": p.read_text(encoding="utf-8")}
                          for p in sorted((registry / folder).glob("*.yaml"))}
    return {"registry": nested}


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("editeur")
    (root / "admin").mkdir()
    shutil.copy(REPO / "docs" / "admin" / "index.html", root / "admin" / "index.html")
    shutil.copytree(REPO / "docs" / "assets" / "vendor" / "decap-cms", root / "assets" / "vendor" / "decap-cms")
    config = cms.build_config(REPO / "registry", REPO)
    config["backend"] = {"name": "test-repo"}  # the only change: no GitHub, no network
    (root / "admin" / "config.yml").write_text(cms.render(config), encoding="utf-8")
    return root


def _open(browser: Any, base: str, route: str) -> Tab:
    tab = Tab(browser, viewport={"width": 1280, "height": 900})
    files = json.dumps(_repo_files(REPO / "registry"))
    tab.page.add_init_script(
        CSP_WATCH + f"window.repoFiles = {files};"
        "for (const k of ['professionnels', 'structures', 'conventions'])"
        "  window.repoFiles['registry/' + k] = window.repoFiles.registry[k];")
    tab.page.goto(f"{base}/admin/{route}")
    tab.page.get_by_role("button", name="Se connecter").click()
    return tab


def test_partner_changes_a_phone_number_in_the_form(browser: Any, editor_site: Path, tmp_path: Path) -> None:
    original = (REPO / "registry" / "professionnels" / f"{RECORD}.yaml").read_text(encoding="utf-8")
    with serve(editor_site) as base:
        # The record page's link « Corriger la fiche dans l'éditeur en ligne ».
        tab = _open(browser, base, f"#/collections/professionnels/entries/{RECORD}")
        page = tab.page
        phone = page.get_by_label("Numéro de téléphone")
        phone.wait_for()
        assert page.get_by_label("Nom", exact=True).input_value() == "Anquetil"
        assert phone.input_value() == OLD_PHONE
        # French everywhere, the schema's help under the field, no internal section.
        body = page.inner_text("body")
        assert "Enregistrer" in body and "Identifiant national du professionnel (11 chiffres)." in body
        assert "Informations internes" not in body and "Ligne directe" not in body
        phone.fill(NEW_PHONE)
        page.get_by_role("button", name="Enregistrer").click()
        page.get_by_text("Entrée enregistrée").wait_for()
        saved = page.evaluate("Object.fromEntries(Object.entries(window.repoFilesUnpublished))")
        violations = page.evaluate("window.__csp")
        assert violations == [] and tab.blocked == [] and tab.errors == []
        tab.close()

    entry = saved[f"professionnels/{RECORD}"]
    assert entry["status"] == "draft"  # editorial workflow: a proposal, not a publication
    (diff,) = entry["diffs"]
    assert diff["path"] == f"registry/professionnels/{RECORD}.yaml"
    produced = diff["content"]
    assert "#" not in produced  # the editor drops comments: « maillage fmt » puts the file back in shape

    # The file produced validates, in a copy of the registry.
    registry = tmp_path / "registry"
    shutil.copytree(REPO / "registry", registry)
    (registry / "professionnels" / f"{RECORD}.yaml").write_text(produced, encoding="utf-8")
    assert main(["validate", "--registry", str(registry)]) == 0

    # Only the phone changed: in the data, and (once canonical) in the text.
    keys = load_schemas().text_keys
    before = parse_text(original, "avant.yaml", keys).data
    after = parse_text(produced, "apres.yaml", keys).data
    assert after["lieux"][0]["telephone"] == NEW_PHONE
    after["lieux"][0]["telephone"] = OLD_PHONE
    assert after == before
    # « maillage fmt --base » carries the saved values over onto the version the editor started from:
    # the pull request shows one changed line.
    registry = tmp_path / "depot" / "registry"
    shutil.copytree(REPO / "registry", registry)
    target = registry / "professionnels" / f"{RECORD}.yaml"
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", "-C", str(tmp_path / "depot"), *command], check=True, env=env, capture_output=True)
    target.write_text(produced, encoding="utf-8")
    assert main(["fmt", "--base", "HEAD", "--registry", str(registry), str(target)]) == 0
    changed = [line for line in difflib.unified_diff(original.splitlines(), target.read_text().splitlines(),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [f'-    telephone: "{OLD_PHONE}"', f'+    telephone: "{NEW_PHONE}"']


def test_selects_offer_vocabulary_labels_and_no_hidden_status(browser: Any, editor_site: Path) -> None:
    with serve(editor_site) as base:
        tab = _open(browser, base, "#/collections/conventions/new")
        page = tab.page
        page.get_by_label("Intitulé").wait_for()
        status = page.locator("[id^='statut-field']")
        status.click()
        options = page.locator("[class*='option']").all_inner_texts()
        assert "Signée" in options and "En vigueur" in options
        assert not [o for o in options if "Projet" in o or "négociation" in o]
        assert tab.errors == [] and tab.blocked == [] and page.evaluate("window.__csp") == []
        tab.close()


def test_generated_config_is_accepted_by_decap(browser: Any, editor_site: Path) -> None:
    """Decap validates its configuration at start-up: an error would replace the whole page."""
    with serve(editor_site) as base:
        tab = _open(browser, base, "#/collections/structures")
        page = tab.page
        page.get_by_role("link", name="Structures").first.wait_for()
        text = page.inner_text("body")
        assert "Erreur de configuration" not in text and "Config Errors" not in text
        assert "Professionnels" in text and "Conventions" in text
        assert yaml.safe_load((editor_site / "admin" / "config.yml").read_text(encoding="utf-8"))
        tab.close()
