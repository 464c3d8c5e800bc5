"""The contributor path and CI files: valid against GitHub's schemas, pinned, least privilege."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
# The workflow shipped for the département's private repository (the internal registry).
INTERNAL_WORKFLOW = REPO / "examples" / "internal-registry" / ".github" / "workflows" / "interne.yml"
FORMS = sorted(p for p in (REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
CHECK = [sys.executable, "-m", "check_jsonschema"]


def _check(schema: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CHECK, "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True)


def test_workflows_valid_against_github_schema() -> None:
    assert {p.name for p in WORKFLOWS} == {"verification.yml", "publication.yml", "entretien.yml", "formulaires.yml",
                                           "mise-en-forme.yml"}
    result = _check("vendor.github-workflows", [*WORKFLOWS, INTERNAL_WORKFLOW])
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_forms_and_config_valid_against_github_schema() -> None:
    assert {p.name for p in FORMS} == {"proposer-professionnel.yml", "proposer-structure.yml", "correction.yml",
                                      "donnees-personnelles.yml", "confirmation.yml"}
    result = _check("vendor.github-issue-forms", FORMS)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _check("vendor.github-issue-config", [REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: nope\n", encoding="utf-8")
    assert _check("vendor.github-workflows", [broken]).returncode != 0


@pytest.mark.parametrize("path", [*WORKFLOWS, INTERNAL_WORKFLOW], ids=lambda p: p.name)
def test_workflow_hardening(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "permissions" in data, "top-level permissions"
    assert data["permissions"] == {"contents": "read"}
    assert "pull_request_target" not in text
    for line in text.splitlines():
        if "uses:" in line:
            assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$", line.strip().lstrip("- ")), line
    for job in data["jobs"].values():
        for step in job.get("steps", []):
            if "actions/setup-python" in step.get("uses", ""):
                assert step["with"]["cache"] == "pip"
    # untrusted event data never expanded inside a shell script
    for job in data["jobs"].values():
        for step in job.get("steps", []):
            assert "${{" not in step.get("run", ""), step


def test_deploy_job_permissions_are_minimal() -> None:
    data = yaml.safe_load((REPO / ".github" / "workflows" / "publication.yml").read_text(encoding="utf-8"))
    assert data["jobs"]["deployer"]["permissions"] == {"pages": "write", "id-token": "write", "contents": "read"}
    uses = [s.get("uses", "") for j in data["jobs"].values() for s in j["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_pull_request_workflow_reads_only_and_annotates() -> None:
    data = yaml.safe_load((REPO / ".github" / "workflows" / "verification.yml").read_text(encoding="utf-8"))
    assert data[True] == {"pull_request": None, "workflow_dispatch": None}  # YAML 1.1 reads "on" as True
    runs = " ".join(s.get("run", "") for s in data["jobs"]["verifier"]["steps"])
    assert "maillage validate --format github" in runs and "maillage diff" in runs and "GITHUB_STEP_SUMMARY" in runs


def test_pre_commit_hooks_run_validation() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "maillage-validate" and hooks[0]["entry"] == "maillage validate"
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"][0]["hooks"][0]["entry"].endswith("maillage validate")


def test_issue_form_dropdowns_come_from_vocabularies() -> None:
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "proposer-professionnel.yml").read_text("utf-8"))
    professions = yaml.safe_load((REPO / "registry" / "vocabulaires" / "professions.yaml").read_text("utf-8"))
    dropdown = next(b for b in form["body"] if b.get("id") == "profession")
    assert dropdown["attributes"]["options"] == [t["libelle"] for t in professions["termes"]]


def test_editor_completion_is_configured() -> None:
    import json

    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema in settings["yaml.schemas"]:
        assert (REPO / schema).is_file()


def test_issue_form_workflow_least_privilege_and_no_interpolation() -> None:
    text = (REPO / ".github" / "workflows" / "formulaires.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data[True] == {"issues": {"types": ["opened", "edited"]}}
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    steps = job["steps"]
    assert steps[0]["with"]["persist-credentials"] is False
    # the issue's text reaches Python only through the event file, never through an expression
    assert "github.event.issue.body" not in text and "github.event.issue.title" not in text
    assert "--event \"$GITHUB_EVENT_PATH\"" in " ".join(s.get("run", "") for s in steps)
    expressions = re.findall(r"\$\{\{([^}]*)\}\}", text)
    allowed = ("steps.formulaire.outputs.", "steps.proposition.outputs.", "runner.temp", "github.event.issue.number")
    assert all(not e.strip() or e.strip().startswith(allowed) for e in expressions), expressions


def test_editor_formatting_pushes_only_to_branches_of_this_repository() -> None:
    data = yaml.safe_load((REPO / ".github" / "workflows" / "mise-en-forme.yml").read_text(encoding="utf-8"))
    (job,) = data["jobs"].values()
    assert job["if"] == ("github.event.pull_request.head.repo.full_name == github.repository && "
                         "startsWith(github.head_ref, 'cms/')")
    assert job["permissions"] == {"contents": "write"}
    verification = (REPO / ".github" / "workflows" / "verification.yml").read_text(encoding="utf-8")
    assert "maillage fmt --check --format github" in verification
    assert "true:cms/*) exit 0" in verification  # editor branches are formatted by mise-en-forme.yml
    assert "git push" not in verification


def test_public_workflows_never_read_internal_data() -> None:
    """This repository is public (logs, issues, pull requests): no workflow reads the internal registry."""
    for path in WORKFLOWS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        runs = "\n".join(s.get("run", "") for j in data["jobs"].values() for s in j.get("steps", []))
        assert "--audience interne" not in runs and "--internal" not in runs, path.name
        assert "MAILLAGE_INTERNAL" not in path.read_text(encoding="utf-8"), path.name
    entretien = yaml.safe_load((REPO / ".github" / "workflows" / "entretien.yml").read_text(encoding="utf-8"))
    report = " ".join(s.get("run", "") for s in entretien["jobs"]["rapport"]["steps"])
    assert "maillage report --format markdown --audience public" in report


def test_pull_requests_opened_by_workflows_carry_the_validation() -> None:
    """The default token's pull requests trigger no verification: the job validates and writes it in the body."""
    jobs = yaml.safe_load((REPO / ".github" / "workflows" / "entretien.yml").read_text(encoding="utf-8"))["jobs"]
    for name in ("geocodage", "imports"):
        steps = jobs[name]["steps"]
        opening = next(i for i, s in enumerate(steps) if "create-pull-request" in s.get("uses", ""))
        before = " ".join(s.get("run", "") for s in steps[:opening])
        assert "maillage validate --format text" in before and "demande.md" in before, name
        assert steps[opening]["with"]["body-path"].endswith("/demande.md")
        assert "steps.application.outputs.token" in steps[opening]["with"]["token"]  # the GitHub App, if configured


def test_internal_workflow_publishes_only_to_private_destinations() -> None:
    text = INTERNAL_WORKFLOW.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["permissions"] == {"contents": "read"}
    assert "deploy-pages" not in text and "upload-pages-artifact" not in text and "configure-pages" not in text
    for job in data["jobs"].values():
        assert "pages" not in job.get("permissions", {})
        for step in job["steps"]:
            uses = step.get("uses", "")
            assert "pages" not in uses
            if uses.startswith("actions/checkout@") and "repository" in step.get("with", {}):
                assert step["with"]["persist-credentials"] is False  # the public repository, read-only
    steps = data["jobs"]["construire"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "maillage validate --internal" in runs and "maillage build --internal" in runs
    assert "maillage report --internal" in runs
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in steps)


def test_a_secretary_or_a_director_has_an_honest_path_in_the_privacy_form() -> None:
    path = REPO / ".github" / "ISSUE_TEMPLATE" / "donnees-personnelles.yml"
    form = yaml.safe_load(path.read_text(encoding="utf-8"))
    boxes = [e for e in form["body"] if e["type"] == "checkboxes"]
    required = [o["label"] for b in boxes for o in b["attributes"]["options"] if o.get("required")]
    assert required == ["Je suis la personne concernée par cette fiche, ou je la représente : secrétariat, "
                        "direction de la structure."]
    assert not form["description"].startswith("Professionnels :")
    assert "secrétariat" in (REPO / "docs" / "donnees-personnelles.md").read_text(encoding="utf-8")


def test_contributor_pages_read_well_where_the_contact_marker_is_not_replaced() -> None:
    """On GitHub the marker renders empty: no « écrivez à  en indiquant » left behind."""
    marker = re.compile(r"<!--\s*maillage:[a-z-]+\s*-->")
    for page in [*(REPO / "docs" / "contribuer").glob("*.md"), REPO / "docs" / "donnees-personnelles.md"]:
        text = " ".join(marker.sub("", page.read_text(encoding="utf-8")).split())
        assert not re.search(r"\b(?:à|au|ou à)\s*[,.]?\s+(?:en|ou|,)\b", text), page.name


def test_contributing_page_presents_the_online_editor_first_and_every_form() -> None:
    text = " ".join((REPO / "docs" / "contribuer" / "index.md").read_text(encoding="utf-8").split())
    ways = text[text.index("## Les façons"):text.index("## Les formulaires")]
    assert ways.index("éditeur en ligne") < ways.index("formulaire") < ways.index("dans le dépôt")
    assert "« Modifier le fichier de la fiche dans le dépôt »" in ways
    for form in FORMS:
        name = yaml.safe_load(form.read_text(encoding="utf-8"))["name"]
        assert name in text, name
    assert "« Rien n'a changé »" in text and "un robot" in text.lower() and "l'équipe la relit" in text
