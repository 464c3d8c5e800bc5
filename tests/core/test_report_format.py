"""Output formats of ``maillage validate``: text for people, annotations for GitHub, JSON for tools."""

from __future__ import annotations

import json
import re

from maillage.core.problem_formats import as_github, as_json, as_text, github_annotation
from maillage.core.problems import problem

# GitHub's documented workflow-command syntax: ::error file=…,line=…,col=…,title=…::message
ANNOTATION = re.compile(r"^::(error|warning) file=([^,:]*),line=(\d+),col=(\d+),title=([^,:]*)::(.*)$")


def test_github_annotation_escapes_data_and_properties() -> None:
    p = problem("text-html", "registry/a,b:c%.yaml", 3, 7, field=("x",), excerpt="50 % de\nretard, voir: ici")
    line = github_annotation(p)
    match = ANNOTATION.match(line)
    assert match, line
    assert match.group(2) == "registry/a%2Cb%3Ac%25.yaml"
    assert (match.group(3), match.group(4)) == ("3", "7")
    assert match.group(5) == "Maillage text-html"
    assert "\n" not in line and "50 %25 de%0Aretard, voir: ici" in match.group(6)


def test_warning_level_and_no_line() -> None:
    p = problem("file-extension", "registry/x.yml", name="x.yml")
    assert github_annotation(p).startswith("::warning file=registry/x.yml,title=")
    assert as_github([p]).count("\n") == 0


def test_text_groups_by_file_with_positions() -> None:
    problems = [problem("yaml-empty", "a.yaml"), problem("age-order", "b.yaml", 4, 3, min=9, max=2)]
    text = as_text(problems, 12)
    assert text.splitlines()[0] == "a.yaml"
    assert "  b.yaml:4:3: erreur [age-order] L'âge minimum (9) dépasse l'âge maximum (2)." in text
    assert text.endswith("2 erreurs, 0 avertissement dans 2 fichiers (12 fiches lues).")


def test_json_is_machine_readable() -> None:
    payload = json.loads(as_json([problem("yaml-empty", "a.yaml")], 1))
    assert payload["valid"] is False and payload["errors"] == 1
    assert payload["problems"][0] == {"code": "yaml-empty", "severity": "erreur", "message": "Le fichier est vide.",
                                      "file": "a.yaml", "line": 0, "column": 0, "path": ""}
