"""``maillage new``: commented templates that validate once their placeholders are filled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from maillage.cli.main import main
from maillage.core.kinds import KIND_NAMES as KINDS
from maillage.core.kinds import KINDS as ALL_KINDS
from maillage.core.schemas import load_schemas
from maillage.dev.synth import write_registry
from maillage.editing.templates import PLACEHOLDER_MARK
from maillage.validation import validate
from maillage.validation.identifiers import fictional_finess, fictional_rpps, fictional_siret

TODAY = "2026-11-22"
FOLDERS = {k.name: k.folder for k in ALL_KINDS}

# What a partner would type in place of each "" placeholder, by field name.
FILL = {
    "nom": "Testeur",
    "prenom": "Camille",
    "profession": "pediatre",
    "categorie": "cmp",
    "adresse": "3 rue des Lilas",
    "code_postal": "50000",
    "commune": "Saint-Lô",
    "code_insee": "50502",
    "source": "Déclaration du professionnel",
    "intitule": "Bilans de santé Santé protégée",
    "objet": "Bilans de santé à l'entrée dans le dispositif et bilans annuels.",
    "type": "sante-protegee",
    "rpps": fictional_rpps(420),
    "adeli": "509300420",
    "finess": fictional_finess("50", 420),
    "siret": fictional_siret(420),
    "telephone": "02 61 91 12 34",
    "signature": "2026-11-02",
}
# The internal section is not offered by the templates: it lives in the internal registry only.
PUBLIC_ONLY = ("interne",)
_PLACEHOLDER_LINE = re.compile(r'^(?P<head> *(?:- )?(?P<key>[a-z_]+): )""(?P<tail>.*)$')
_COMMENTED_FIELD = re.compile(r"^# (?P<rest> *(?:- \S.*|[a-z_]+:.*))$")


def fill(text: str, extra: dict[str, str]) -> str:
    """Replace every "" placeholder by a plausible value, keyed by field name."""
    values = {**FILL, **extra}
    out = []
    for line in text.split("\n"):
        m = _PLACEHOLDER_LINE.match(line)
        if m:
            line = f'{m["head"]}"{values[m["key"]]}"'
        out.append(line)
    return "\n".join(out)


def uncomment_all(text: str) -> str:
    """Activate every commented-out optional field (remove its leading "# ")."""
    return "\n".join(
        m["rest"] if (m := _COMMENTED_FIELD.match(line)) else line for line in text.split("\n")
    )


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAILLAGE_TODAY", TODAY)
    root = tmp_path / "registre"
    write_registry(root, 10, seed=1)
    return root


def existing_ids(root: Path, kind: str) -> list[str]:
    return sorted(p.stem for p in (root / FOLDERS[kind]).glob("*.yaml"))


def new(root: Path, kind: str, record_id: str) -> int:
    return main(["new", kind, record_id, "--registry", str(root)])


@pytest.mark.parametrize("kind", KINDS)
def test_template_is_commented_french_with_modeline(registry: Path, kind: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert new(registry, kind, f"nouvelle-{kind}") == 0
    path = registry / FOLDERS[kind] / f"nouvelle-{kind}.yaml"
    out = capsys.readouterr().out
    assert str(path.name) in out and "Étapes suivantes" in out and "maillage validate" in out
    text = path.read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert first.endswith(f"schemas/{kind}.schema.json")
    assert (path.parent / first.split("=", 1)[1]).resolve() == (
        Path(__file__).resolve().parents[2] / "schemas" / f"{kind}.schema.json")
    assert PLACEHOLDER_MARK in text
    # Every field of the schema appears in the template, with a comment just above it.
    lines = text.split("\n")
    assert "interne:" not in text.replace("« interne: »", "")  # only the note saying where it goes
    for path_, _node, _base in load_schemas().walk(kind):
        if path_[0] in PUBLIC_ONLY:
            continue
        name = path_[-1]
        pattern = re.compile(rf"^[ #]*(?:- )?{name}:")
        hits = [i for i, line in enumerate(lines) if pattern.match(line)]
        assert hits, f"champ {'.'.join(path_)} absent du modèle"
        assert any(lines[i - 1].lstrip("# ").strip() and "#" in lines[i - 1] for i in hits), name


@pytest.mark.parametrize("kind", KINDS)
def test_untouched_template_gives_errors_on_placeholder_lines(registry: Path, kind: str) -> None:
    assert new(registry, kind, "a-remplir") == 0
    path = registry / FOLDERS[kind] / "a-remplir.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    placeholder_lines = {i + 1 for i, line in enumerate(lines) if PLACEHOLDER_MARK in line
                         and not line.lstrip().startswith("#")}
    assert placeholder_lines
    result = validate(registry)
    mine = [p for p in result.problems if p.file.endswith(f"{FOLDERS[kind]}/a-remplir.yaml")]
    assert mine and all(p.is_error for p in mine)
    assert len(result.problems) == len(mine)  # the rest of the registry is untouched
    # Every error points at a placeholder line, and every placeholder is reported.
    assert {p.line for p in mine} == placeholder_lines
    assert all(p.message and "Traceback" not in p.message for p in mine)


@pytest.mark.parametrize("kind", KINDS)
def test_filled_template_is_valid(registry: Path, kind: str) -> None:
    extra = {"professionnel": existing_ids(registry, "professionnel")[0]}
    assert new(registry, kind, "fiche-remplie") == 0
    path = registry / FOLDERS[kind] / "fiche-remplie.yaml"
    path.write_text(fill(path.read_text(encoding="utf-8"), extra), encoding="utf-8")
    result = validate(registry)
    assert result.problems == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_optional_example_is_valid_once_uncommented(registry: Path, kind: str) -> None:
    extra = {"professionnel": existing_ids(registry, "professionnel")[0],
             "structure": existing_ids(registry, "structure")[0],
             "structure_parente": existing_ids(registry, "structure")[0]}
    assert new(registry, kind, "fiche-complete") == 0
    path = registry / FOLDERS[kind] / "fiche-complete.yaml"
    text = fill(uncomment_all(path.read_text(encoding="utf-8")), extra)
    path.write_text(text, encoding="utf-8")
    assert not re.search(r'^[^#]*: ""', text, re.MULTILINE)
    result = validate(registry)
    assert result.problems == []
    record = next(r for r in result.registry.records if r.id == "fiche-complete")
    documented = {p[0] for p, _n, _b in load_schemas().walk(kind)} - set(PUBLIC_ONLY)
    assert set(record.data) == documented


def test_refuses_invalid_id(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(registry, "professionnel", "Martin Claire") == 2
    err = capsys.readouterr().err
    assert "identifiant valide" in err and "martin-claire" in err
    assert not list((registry / "professionnels").glob("*Martin*"))
    assert new(registry, "structure", "x" * 81) == 2
    assert new(registry, "structure", "cmp--coutances") == 2


def test_never_overwrites(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taken = existing_ids(registry, "professionnel")[0]
    path = registry / "professionnels" / f"{taken}.yaml"
    before = path.read_bytes()
    assert new(registry, "professionnel", taken) == 2
    assert "existe déjà" in capsys.readouterr().err
    assert path.read_bytes() == before
    # The same id under another kind is refused too: ids are unique across the registry.
    assert new(registry, "structure", taken) == 2
    assert not (registry / "structures" / f"{taken}.yaml").exists()


def test_refuses_a_folder_that_is_not_a_registry(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert new(tmp_path, "professionnel", "martin-claire") == 2
    assert "n'est pas un registre" in capsys.readouterr().err
    assert not (tmp_path / "professionnels").exists()
