"""``maillage fmt``: records put in canonical form, ``--check`` for CI, bad files reported and untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import CONVENTION, PROFESSIONNEL, STRUCTURE, make_registry
from maillage.cli.main import main

REPO = Path(__file__).resolve().parents[2]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_registry(tmp_path / "registry", professionnels={"lefevre-claire": PROFESSIONNEL},
                         structures={"cmp-coutances": STRUCTURE},
                         conventions={"sante-protegee-cmp-coutances": CONVENTION})


def test_check_names_each_file_to_format_and_changes_nothing(registry: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(registry)
    assert main(["fmt", "--check", "--registry", "registry"]) == 1
    out = capsys.readouterr().out
    for name in ("registry/professionnels/lefevre-claire.yaml", "registry/structures/cmp-coutances.yaml",
                 "registry/conventions/sante-protegee-cmp-coutances.yaml"):
        assert f"{name} n'est pas en forme canonique : lancez `maillage fmt {name}`" in out
    assert "0 fiche en forme canonique, 3 fiches à mettre en forme." in out
    assert snapshot(registry) == before


def test_fmt_rewrites_keeps_values_and_is_idempotent(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from maillage.validation import validate

    problems_before = [(p.code, p.path) for p in validate(registry).problems]
    values_before = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in registry.glob("*/*.yaml")}
    assert main(["fmt", "--registry", "registry"]) == 0
    out = capsys.readouterr().out
    assert "Mis en forme : registry/professionnels/lefevre-claire.yaml" in out
    assert "3 fiches mises en forme, 0 fiche déjà en forme." in out
    text = (registry / "professionnels" / "lefevre-claire.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/professionnel.schema.json\nnom: Lefèvre\n")
    assert "ages:\n  min: 2\n  max: 16\n" in text and '    telephone: "02 61 91 12 34"\n' in text
    values_after = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in registry.glob("*/*.yaml")}
    assert values_after == values_before
    assert [(p.code, p.path) for p in validate(registry).problems] == problems_before
    after = snapshot(registry)
    assert main(["fmt", "--registry", "registry"]) == 0
    assert "0 fiche mise en forme, 3 fiches déjà en forme." in capsys.readouterr().out
    assert snapshot(registry) == after
    assert main(["fmt", "--check", "--registry", "registry"]) == 0
    assert capsys.readouterr().out.strip() == "3 fiches en forme canonique."


def test_only_the_files_given_are_touched(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = registry / "structures" / "cmp-coutances.yaml"
    before = snapshot(registry)
    assert main(["fmt", str(target)]) == 0
    after = snapshot(registry)
    assert [name for name in after if after[name] != before[name]] == ["structures/cmp-coutances.yaml"]
    assert main(["fmt", "--check", str(target)]) == 0


def test_unreadable_yaml_is_reported_in_french_and_left_untouched(registry: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    broken = registry / "professionnels" / "casse.yaml"
    broken.write_text("nom: Dupont\nprenom: [Jean\n", encoding="utf-8")
    duplicate = registry / "professionnels" / "double.yaml"
    duplicate.write_text("nom: A\nnom: B\n", encoding="utf-8")
    huge = registry / "professionnels" / "enorme.yaml"
    huge.write_text("nom: A\ndescription: " + "x " * 200_000 + "\n", encoding="utf-8")
    assert main(["fmt", "--registry", "registry"]) == 1
    out = capsys.readouterr().out
    assert "registry/professionnels/casse.yaml:3:1: erreur [yaml-syntax] Erreur de syntaxe YAML" in out
    assert "registry/professionnels/double.yaml:2:1: erreur [yaml-duplicate-key] Le champ « nom » est écrit " \
           "deux fois (première fois ligne 1). (fichier laissé tel quel)" in out
    assert "registry/professionnels/enorme.yaml: erreur [file-too-large]" in out
    assert "3 fiches illisibles (laissées telles quelles)" in out
    assert huge.stat().st_size > 400_000
    assert broken.read_text(encoding="utf-8") == "nom: Dupont\nprenom: [Jean\n"
    assert duplicate.read_text(encoding="utf-8") == "nom: A\nnom: B\n"
    # the readable files were formatted all the same
    assert main(["fmt", "--check", str(registry / "professionnels" / "lefevre-claire.yaml")]) == 0


def test_usage_errors_exit_2(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "registry/registre.yaml"]) == 2
    assert "n'est pas une fiche" in capsys.readouterr().err
    assert main(["fmt", "registry/professionnels/absente.yaml"]) == 2
    assert "introuvable" in capsys.readouterr().err
    assert main(["fmt", "--registry", "nulle-part"]) == 2
    assert "n'est pas un dossier de registre" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["fmt", "--format", "xml"])
    assert exit_.value.code == 2


def test_github_format_and_diff_show_what_to_change(registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = "registry/professionnels/lefevre-claire.yaml"
    assert main(["fmt", "--check", "--diff", "--format", "github", target]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"::warning file={target},line=1,title=Maillage fmt::{target} n'est pas en forme "
                                   f"canonique : lancez `maillage fmt {target}`")
    assert "\n-ages: {min: 2, max: 16}\n" in captured.out and "\n+ages:\n+  min: 2\n+  max: 16\n" in captured.out
    assert "1 fiche à mettre en forme" in captured.err


def test_the_sample_registry_passes_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--check", "--registry", str(REPO / "registry")]) == 0
    assert "fiches en forme canonique." in capsys.readouterr().out


def test_a_file_rewritten_by_the_web_editor_comes_back(registry: Path) -> None:
    """The web editor drops comments, reorders keys and quotes its own way: fmt restores the form."""
    assert main(["fmt", "--registry", "registry"]) == 0
    path = registry / "professionnels" / "lefevre-claire.yaml"
    canonical = path.read_text(encoding="utf-8")
    data = yaml.safe_load(canonical)
    data = {"verifie_le": "2026-10-01", **{k: v for k, v in reversed(list(data.items())) if k != "verifie_le"}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_style=None,
                                   default_flow_style=False, indent=4), encoding="utf-8")
    assert main(["fmt", "--check", str(path)]) == 1
    assert main(["fmt", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == canonical


def test_verification_workflow_checks_the_form_of_changed_records() -> None:
    workflow = (REPO / ".github" / "workflows" / "verification.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(workflow)
    steps = data["jobs"]["verifier"]["steps"]
    step = next(s for s in steps if "maillage fmt --check" in s.get("run", ""))
    run = step["run"]
    assert "git diff" in run and "--diff-filter=AMR" in run  # the records this pull request changes
    for folder in ("professionnels", "structures", "conventions"):
        assert f"registry/{folder}/" in run
    assert "lancez" in run or "maillage fmt" in run  # the French hint
    assert "${{" not in run
    # Formatting never makes a partner's pull request fail: it is a warning with the exact change.
    assert step.get("continue-on-error") is True
    final = steps[-1]
    assert "mise-en-forme" not in final.get("if", "") and "verification" in final.get("if", "")


def test_docs_say_what_fmt_does_and_when_to_run_it() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "| `fmt` |" in readme and "maillage fmt [--check]" in readme
    local = (REPO / "docs" / "contribuer" / "en-local.md").read_text(encoding="utf-8")
    assert "maillage fmt" in local and "--check" in local


def test_base_carries_an_editor_save_over_onto_the_committed_version(tmp_path: Path) -> None:
    """A record saved by the web editor (no comments, its own key order) becomes a one-line change."""
    import subprocess

    repo = tmp_path / "depot"
    registry = make_registry(repo / "registry", professionnels={"lefevre-claire": "# Cabinet ouvert en 2019\n"
                                                                 + PROFESSIONNEL})
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    target = registry / "professionnels" / "lefevre-claire.yaml"
    assert main(["fmt", "--registry", str(registry)]) == 0
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", "-C", str(repo), *command], check=True, env=env, capture_output=True)
    committed = target.read_text(encoding="utf-8")
    data = yaml.safe_load(committed)
    data["lieux"][0]["telephone"] = "02 61 91 99 99"
    target.write_text(yaml.safe_dump(dict(reversed(list(data.items()))), allow_unicode=True), encoding="utf-8")
    assert main(["fmt", "--check", "--base", "HEAD", "--registry", str(registry), str(target)]) == 1
    assert main(["fmt", "--base", "HEAD", "--registry", str(registry), str(target)]) == 0
    before, after = committed.splitlines(), target.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [('    telephone: "02 61 91 12 34"', '    telephone: "02 61 91 99 99"')]
    assert "# Cabinet ouvert en 2019" in after


def test_fmt_retypes_the_non_breaking_spaces_of_a_phone_and_nothing_else(
        registry: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A phone pasted from a word processor: ``maillage fmt`` makes its spaces ordinary, so the
    validator accepts it; a non-breaking space in a name (typography) stays."""
    file = registry / "professionnels" / "lefevre-claire.yaml"
    pasted = "02\u00a061\u202f91\u00a012\u00a034"
    file.write_text(PROFESSIONNEL.replace("telephone: 02 61 91 12 34", f"telephone: {pasted}")
                    .replace("nom: Cabinet des Halles", "nom: Cabinet\u00a0des Halles"), encoding="utf-8")
    assert main(["validate", "--registry", str(registry)]) == 1
    assert "espaces insécables" in capsys.readouterr().out
    assert main(["fmt", "--registry", str(registry)]) == 0
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert data["lieux"][0]["telephone"] == "02 61 91 12 34"
    assert data["lieux"][0]["nom"] == "Cabinet\u00a0des Halles"
    capsys.readouterr()
    assert main(["validate", "--registry", str(registry)]) == 0
    assert main(["fmt", "--check", "--registry", str(registry)]) == 0
