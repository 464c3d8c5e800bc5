"""Two registries: moving data across the border, the commands that read the internal registry.

* ``maillage internal extract`` turns a registry that mixed both (the sample as it was) into
  the committed public registry and the example internal registry, the public files losing
  only lines, and does nothing the second time;
* ``maillage internal publish`` brings a convention that became public back, its internal
  section staying internal;
* a public record may not refer to an internal-only one; an internal part completes an
  existing public record;
* ``geocode``, ``confirm``, ``remind`` and ``mkdocs build`` (the plugin's ``internal`` option)
  read the internal registry and write nothing internal into the public tree.
"""

from __future__ import annotations

import difflib
import io
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from conftest import CONVENTION, PROFESSIONNEL, PROFESSIONNEL_INTERNE, REPO, STRUCTURE, make_internal, make_registry
from maillage.cli.main import main
from maillage.dev import make_sample

SAMPLE, EXAMPLE = REPO / "registry", REPO / "examples" / "internal-registry"
FOLDERS = ("professionnels", "structures", "conventions")


def run(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def files(root: Path) -> dict[str, bytes]:
    return {f"{folder}/{p.name}": p.read_bytes() for folder in FOLDERS if (root / folder).is_dir()
            for p in sorted((root / folder).iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample as a registry that mixed both looked: every internal value in the public tree."""
    root = tmp_path_factory.mktemp("melange") / "registry"
    shutil.copytree(SAMPLE / "vocabulaires", root / "vocabulaires")
    shutil.copy(SAMPLE / "registre.yaml", root / "registre.yaml")
    shutil.copy(SAMPLE / "geocodage.csv", root / "geocodage.csv")
    make_sample.write_whole(make_sample.build(root), root)
    return root


def test_extract_gives_the_two_sample_registries_and_the_public_files_only_lose_lines(
        mixed: Path, tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(mixed, registry)
    before = files(registry)
    code, out, _err = run("internal", "extract", "--registry", registry, "--to", tmp_path / "interne")
    assert code == 0
    # What moved is printed: 38 internal sections, 4 conventions not yet public, 2 documents not public.
    lines = out.splitlines()
    assert sum("(section interne)" in line for line in lines) == 38
    assert sum("(fiche entière)" in line for line in lines) == 4
    assert sum("document non public" in line for line in lines) == 2
    assert any("(fichier du document)" in line and ".pdf" in line for line in lines)
    # The result is exactly the committed public registry and the example internal registry.
    assert files(registry) == files(SAMPLE)
    assert files(tmp_path / "interne") == files(EXAMPLE)
    # Every public file that stays changed by removed lines only.
    for name, text in files(registry).items():
        old = before[name]
        if old == text or not name.endswith(".yaml"):
            continue
        diff = difflib.ndiff(old.decode().splitlines(), text.decode().splitlines())
        assert not [line for line in diff if line.startswith("+ ")], name
    # A second run finds nothing and changes nothing.
    code, out, _err = run("internal", "extract", "--registry", registry, "--to", tmp_path / "interne")
    assert code == 0 and "Rien à déplacer" in out
    assert files(registry) == files(SAMPLE) and files(tmp_path / "interne") == files(EXAMPLE)


def test_the_mixed_registry_is_refused_with_where_to_move_each_thing(mixed: Path, today: str) -> None:
    code, out, _err = run("validate", "--registry", mixed)
    assert code == 1
    assert out.count("[border-internal-section]") == 38
    assert out.count("[border-draft-convention]") == 4
    assert out.count("[border-document-not-public]") == 2
    line = next(x for x in out.splitlines() if "aubry-marianne.yaml" in x and "border-internal-section" in x)
    assert "professionnels/aubry-marianne.yaml" in line.split("fichier ", 1)[1]  # where to move it


def test_extract_never_overwrites_an_internal_section(tmp_path: Path, today: str) -> None:
    registry = make_registry(tmp_path / "registry", professionnels={"lefevre-claire": PROFESSIONNEL
                                                                    + PROFESSIONNEL_INTERNE})
    internal = make_internal(tmp_path / "interne", professionnels={"lefevre-claire": PROFESSIONNEL_INTERNE})
    before = (registry / "professionnels" / "lefevre-claire.yaml").read_bytes()
    code, _out, err = run("internal", "extract", "--registry", registry, "--to", internal)
    assert code == 1 and "réunissez-la à la main" in err and "rien n'a été déplacé" in err
    assert (registry / "professionnels" / "lefevre-claire.yaml").read_bytes() == before
    # The public registry is not an internal registry.
    code, _out, err = run("internal", "extract", "--registry", registry, "--to", registry)
    assert code == 2 and "registre public" in err


SIGNED_LATER = CONVENTION.replace("intitule: Soins psychologiques Santé protégée",
                                  "intitule: Convention signée depuis").replace(
    "statut: active", "statut: active\ndocuments:\n  - titre: Convention signée\n    fichier: signee.pdf\n"
    "    public: true\n  - titre: Annexe financière\n    fichier: annexe.pdf\n"
    "interne:\n  notes: Négociée avec le chef de pôle.")


def test_publish_brings_a_signed_convention_back_and_keeps_its_internal_part(tmp_path: Path, today: str) -> None:
    registry = make_registry(tmp_path / "registry", structures={"cmp-coutances": STRUCTURE})
    internal = make_internal(tmp_path / "interne", conventions={
        "en-cours": SIGNED_LATER.replace("statut: active", "statut: en-negociation").replace(
            "  signature: 2025-01-10\n", ""),
        "signee-depuis": SIGNED_LATER})
    for name in ("signee.pdf", "annexe.pdf"):
        (internal / "conventions" / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    code, _out, err = run("internal", "publish", "en-cours", "--registry", registry, "--internal", internal)
    assert code == 1 and "en-negociation" in err and not (registry / "conventions" / "en-cours.yaml").exists()
    code, out, _err = run("internal", "publish", "signee-depuis", "--registry", registry, "--internal", internal)
    assert code == 0 and "fiche publiée" in out
    public = yaml.safe_load((registry / "conventions" / "signee-depuis.yaml").read_text(encoding="utf-8"))
    part = yaml.safe_load((internal / "conventions" / "signee-depuis.yaml").read_text(encoding="utf-8"))
    assert "interne" not in public and public["documents"] == [
        {"titre": "Convention signée", "fichier": "signee.pdf", "public": True}]
    assert part == {"interne": {"notes": "Négociée avec le chef de pôle.",
                                "documents": [{"titre": "Annexe financière", "fichier": "annexe.pdf"}]}}
    public_docs, internal_docs = registry / "conventions", internal / "conventions"
    assert (public_docs / "signee.pdf").is_file() and not (internal_docs / "signee.pdf").exists()
    assert (internal_docs / "annexe.pdf").is_file() and not (public_docs / "annexe.pdf").exists()
    code, out, _err = run("validate", "--registry", registry, "--internal", internal)
    assert code == 0, out


def test_a_public_record_may_not_refer_to_an_internal_one(tmp_path: Path, today: str) -> None:
    referring = CONVENTION.replace("structure: cmp-coutances", "structure: cmp-interne")
    registry = make_registry(tmp_path / "registry", structures={"cmp-coutances": STRUCTURE},
                             conventions={"sp": referring})
    internal = make_internal(tmp_path / "interne", structures={"cmp-interne": STRUCTURE.replace(
        'finess: "509900015"\n', "").replace('siret: "99000001000019"\n', "").replace("Coutances", "Périers")
        .replace("50147", "50394").replace("50200", "50190")})
    code, out, _err = run("validate", "--registry", registry)
    assert code == 1 and "[ref-unknown]" in out  # alone, the public registry cannot know it
    code, out, _err = run("validate", "--registry", registry, "--internal", internal)
    assert code == 1 and "[ref-internal]" in out and "[ref-unknown]" not in out
    assert "registry/conventions/sp.yaml" in next(x for x in out.splitlines() if "[ref-internal]" in x)
    # The other way round is allowed: an internal record may refer to public ones.
    (registry / "conventions" / "sp.yaml").unlink()
    (internal / "conventions").mkdir(exist_ok=True)
    (internal / "conventions" / "projet.yaml").write_text(
        CONVENTION.replace("statut: active", "statut: projet").replace("  signature: 2025-01-10\n", ""),
        encoding="utf-8")
    code, out, _err = run("validate", "--registry", registry, "--internal", internal)
    assert code == 0, out


def test_geocode_writes_internal_addresses_in_the_internal_cache_only(tmp_path: Path, today: str) -> None:
    registry = make_registry(tmp_path / "registry", professionnels={"lefevre-claire": PROFESSIONNEL})
    candidate = PROFESSIONNEL.replace("Lefèvre", "Candidate").replace("12 rue des Halles", "4 rue Secrète").replace(
        "statut: actif", "statut: candidat").replace('rpps: "10001234565"\n', "")
    internal = make_internal(tmp_path / "interne", professionnels={"candidate-claire": candidate})
    code, _out, err = run("geocode", "--registry", registry, "--internal", internal, "--provider", "offline")
    assert code == 0, err
    public_cache = (registry / "geocodage.csv").read_text(encoding="utf-8")
    internal_cache = (internal / "geocodage.csv").read_text(encoding="utf-8")
    assert "halles" in public_cache.lower() and "secrete" not in public_cache.lower()
    assert "secrete" in internal_cache.lower() and "halles" not in internal_cache.lower()


def test_confirm_reaches_internal_only_records(tmp_path: Path, today: str) -> None:
    registry = make_registry(tmp_path / "registry", professionnels={"lefevre-claire": PROFESSIONNEL})
    own = PROFESSIONNEL.replace("Lefèvre", "Interne").replace('rpps: "10001234565"\n', "")
    internal = make_internal(tmp_path / "interne", professionnels={"interne-claire": own})
    code, _out, err = run("confirm", "interne-claire", "--registry", registry, "--date", "2026-11-20")
    assert code == 2 and "interne-claire" in err
    code, _out, err = run("confirm", "interne-claire", "--registry", registry, "--internal", internal,
                          "--date", "2026-11-20")
    assert code == 0, err
    assert "verifie_le: 2026-11-20" in (internal / "professionnels" / "interne-claire.yaml").read_text(encoding="utf-8")


def test_remind_writes_to_the_internal_contact_with_the_internal_registry(tmp_path: Path, today: str) -> None:
    old = PROFESSIONNEL.replace("verifie_le: 2026-10-01", "verifie_le: 2024-01-01")
    registry = make_registry(tmp_path / "registry", professionnels={"lefevre-claire": old})
    internal = make_internal(tmp_path / "interne", professionnels={
        "lefevre-claire": "interne:\n  courriel: secretariat-direct@example.org\n  notes: Note à ne pas envoyer.\n"})
    code, _out, err = run("remind", "--registry", registry, "--out", tmp_path / "public", "--date", "2026-11-22")
    assert code == 0, err
    assert "secretariat-direct" not in (tmp_path / "public" / "relance.csv").read_text(encoding="utf-8-sig")
    code, _out, err = run("remind", "--registry", registry, "--internal", internal, "--out", tmp_path / "interne-out",
                          "--date", "2026-11-22")
    assert code == 0, err
    table = (tmp_path / "interne-out" / "relance.csv").read_text(encoding="utf-8-sig")
    assert "secretariat-direct@example.org" in table
    messages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "interne-out").glob("*.eml"))
    assert messages and "Note à ne pas envoyer" not in messages


def test_mkdocs_build_takes_the_internal_registry_from_its_option(tmp_path: Path) -> None:
    """``mkdocs build`` alone: MAILLAGE_INTERNAL (the plugin's « internal » option) gives the internal site."""
    env = {**os.environ, "MAILLAGE_TODAY": "2026-11-22", "MAILLAGE_INTERNAL": str(EXAMPLE)}
    env.pop("MAILLAGE_AUDIENCE", None)
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"),
                           "-d", str(site)], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (site / "conventions" / "partenariat-pco-tnd" / "index.html").is_file()  # a draft: internal only
    hidden = next((EXAMPLE / "conventions").glob("*.pdf"))  # a document that is not public, and its convention
    owner = next(p.stem for p in (EXAMPLE / "conventions").glob("*.yaml")
                 if hidden.name in p.read_text(encoding="utf-8"))
    assert (site / "conventions" / owner / hidden.name).is_file()
    env["MAILLAGE_AUDIENCE"] = "public"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(REPO / "mkdocs.yml"),
                           "-d", str(tmp_path / "refus")], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode != 0 and "ne lit jamais le registre interne" in done.stderr


def test_make_serve_internal_serves_on_the_loopback_only() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    rule = makefile[makefile.index("serve-internal: site-internal"):].split("\n\n", 1)[0]
    assert "maillage.dev.serve" in rule and "--host" not in rule
    site_rule = makefile[makefile.index("site-internal: $(STAMP)"):].split("\n\n", 1)[0]
    assert "--internal $(INTERNAL)" in site_rule
    from maillage.dev import serve

    assert serve.serve.__defaults__ == ("127.0.0.1",)
    assert "/interne/" in (REPO / ".gitignore").read_text(encoding="utf-8").split()
