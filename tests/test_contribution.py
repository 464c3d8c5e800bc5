"""The contributor path and CI files: valid against GitHub's schemas, pinned, least privilege."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
CHECK = [sys.executable, "-m", "check_jsonschema"]


def _check(schema: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CHECK, "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True)


def test_workflows_valid_against_github_schema() -> None:
    assert {p.name for p in WORKFLOWS} == {"verification.yml", "publication.yml", "entretien.yml", "formulaires.yml",
                                           "mise-en-forme.yml"}
    result = _check("vendor.github-workflows", WORKFLOWS)
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


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
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
