"""Shared fixtures: small registries built in a temporary folder from the repository's metadata,
and the sample registry's sites, built once for the whole test run."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-22"
EPOCH = "1795305600"  # 2026-11-22 00:00 UTC: the file stamp of the shared builds

PROFESSIONNEL = """\
nom: Lefèvre
prenom: Claire
profession: orthophoniste
specialites: [langage-oral]
rpps: "10001234565"
lieux:
  - nom: Cabinet des Halles
    adresse: 12 rue des Halles
    code_postal: "50200"
    commune: Coutances
    code_insee: "50147"
    telephone: 02 61 91 12 34
    courriel: cabinet-halles@example.org
    horaires: Mo-Fr 09:00-12:00,14:00-18:30
    accessible_pmr: true
ages: {min: 2, max: 16}
modalites: [cabinet, domicile]
langues: [fr]
conventionnement:
  secteur: secteur-1
  tiers_payant: true
nouveaux_patients:
  accepte: oui
  delai_semaines: 4
  date_information: 2026-10-01
description: Bilans et rééducation du langage.
statut: actif
verifie_le: 2026-10-01
source: Déclaration du professionnel
"""

# The internal part of PROFESSIONNEL: in the internal registry (never in the public one).
PROFESSIONNEL_INTERNE = """\
interne:
  telephone: 02 61 91 12 35
  notes: Préfère les courriels.
"""

STRUCTURE = """\
nom: Centre médico-psychologique infanto-juvénile de Coutances
sigle: CMP-IJ Coutances
categorie: cmp
finess: "509900015"
siret: "99000001000019"
gestionnaire:
  nom: Centre hospitalier fictif du Coutançais
lieux:
  - adresse: 5 avenue du Bocage
    code_postal: "50200"
    commune: Coutances
    code_insee: "50147"
    telephone: 02 61 91 20 00
    horaires: Mo-Fr 09:00-17:00
secteur:
  communes: ["50147"]
ages: {min: 0, max: 17}
orientation:
  requise: false
frais:
  type: gratuit
statut: actif
verifie_le: 2026-09-15
source: Site de la structure
"""

CONVENTION = """\
intitule: Soins psychologiques Santé protégée
objet: Accès rapide aux soins psychologiques pour les enfants confiés.
type: sante-protegee
parties:
  - structure: cmp-coutances
    role: prestataire
  - organisme: CPAM de la Manche
    role: financeur
services: [soins-psychologiques]
financements:
  - financeur: cpam
    mode: forfait
    montant: 240
    unite: par-enfant
dates:
  signature: 2025-01-10
  effet: 2025-02-01
  fin: 2027-12-31
reconduction:
  type: expresse
  preavis_mois: 3
statut: active
"""


def make_registry(root: Path, professionnels: dict[str, str] | None = None,
                  structures: dict[str, str] | None = None,
                  conventions: dict[str, str] | None = None) -> Path:
    """A registry folder with the repository's metadata and vocabularies plus the given records."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "registry" / "registre.yaml", root / "registre.yaml")
    shutil.copytree(REPO / "registry" / "vocabulaires", root / "vocabulaires",
                    ignore=shutil.ignore_patterns("*.py", "*.md"))
    for folder, records in (("professionnels", professionnels), ("structures", structures),
                            ("conventions", conventions)):
        (root / folder).mkdir(exist_ok=True)
        for rid, text in (records or {}).items():
            (root / folder / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return root


def make_internal(root: Path, professionnels: dict[str, str] | None = None,
                  structures: dict[str, str] | None = None, conventions: dict[str, str] | None = None) -> Path:
    """An internal registry folder (no metadata, the same record folders) with the given files."""
    for folder, records in (("professionnels", professionnels), ("structures", structures),
                            ("conventions", conventions)):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for rid, text in (records or {}).items():
            (root / folder / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return root


def split_registry(root: Path) -> Path:
    """Move what a fixture registry holds that is not public (internal sections, draft conventions,
    documents not public) into its internal registry, beside it, as ``maillage internal extract`` does."""
    from maillage.editing.border import extract

    internal = root.with_name(root.name + "-interne")
    extract(root, internal)
    internal.mkdir(exist_ok=True)
    return internal


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MAILLAGE_TODAY", TODAY)
    return TODAY


@pytest.fixture
def small_registry(tmp_path: Path, today: str) -> Path:
    return make_registry(
        tmp_path / "registry",
        professionnels={"lefevre-claire": PROFESSIONNEL},
        structures={"cmp-coutances": STRUCTURE},
        conventions={"sante-protegee-cmp-coutances": CONVENTION},
    )


@pytest.fixture
def small_internal(tmp_path: Path) -> Path:
    """The internal registry of ``small_registry``: the internal part of its professional."""
    return make_internal(tmp_path / "interne", professionnels={"lefevre-claire": PROFESSIONNEL_INTERNE})


@pytest.fixture(scope="session")
def sample_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample registry (``registry/``, with ``examples/internal-registry`` for the internal audience)
    built once per audience by ``maillage build``, for every test
    that only reads a built site: ``{"public": site, "interne": site}``. Business date TODAY
    (``--date``), file stamp EPOCH. Read them, never change them: the whole run shares them."""
    from maillage.cli.main import main

    base = tmp_path_factory.mktemp("sites-exemple")
    sites = {}
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    mp.delenv("MAILLAGE_TODAY", raising=False)
    try:
        for audience in ("public", "interne"):
            site = base / audience / "site"
            out, err = io.StringIO(), io.StringIO()
            with redirect_stdout(out), redirect_stderr(err):
                # The internal site: both registries (the example internal registry, examples/internal-registry).
                both = ["--internal", str(REPO / "examples" / "internal-registry")] if audience == "interne" else []
                code = main(["build", "--registry", str(REPO / "registry"), "--site-dir", str(site),
                             "--audience", audience, "--date", TODAY, "--config", str(REPO / "mkdocs.yml"), *both])
            assert code == 0, out.getvalue()[-2000:] + err.getvalue()[-2000:]
            sites[audience] = site
    finally:
        mp.undo()
    return sites


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium for the whole test session (see tests/browser_support.py)."""
    from browser_support import chromium

    with chromium() as instance:
        yield instance


# The browser tests that read the public sample site share these (a test module with its own fixture
# registry defines its own ``site_url`` and ``tab``, which take precedence).
@pytest.fixture(scope="module")
def site(sample_sites: dict[str, Path]) -> Path:
    """The public sample site, built once for the whole run (read it, never change it)."""
    return sample_sites["public"]


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    from browser_support import serve

    with serve(site) as url:
        yield url


@pytest.fixture
def tab(browser):  # type: ignore[no-untyped-def]
    from browser_support import Tab

    t = Tab(browser)
    yield t
    t.close()
    assert t.errors == []
