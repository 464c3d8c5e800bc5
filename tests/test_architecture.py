"""The package tree shows the pipeline, and imports flow one way (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "scripts" / "maillage"

# Which stages each stage may import (besides itself). The command line and the developer
# tools sit at the end and may use everything.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "load": {"core"},
    "validation": {"core", "load"},
    "geocoding": {"core", "load"},
    "assemble": {"core", "load", "validation", "geocoding"},
    "pipeline": {"core", "load", "validation", "geocoding", "assemble"},
    "steering": {"core"},
    "exports": {"core", "steering"},
    "history": {"core", "load"},
    "editing": {"core", "load", "validation", "geocoding"},  # geocoding: the cache rows moved with records
    "imports": {"core", "load", "validation", "geocoding", "editing", "steering"},
    "site": {"core", "load", "pipeline", "steering", "exports", "editing", "history"},
}
ENDS = {"cli", "dev", "__main__"}


def _imports(path: Path) -> set[str]:
    """The first-level ``maillage`` packages a module imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + ([f"maillage.{a.name}" for a in node.names] if node.module == "maillage" else [])
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found |= {n.split(".")[1] for n in names if n.startswith("maillage.")}
    return found - {"__version__"}


def _stage(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def test_every_stage_is_declared() -> None:
    stages = {_stage(p) for p in PACKAGE.rglob("*.py")} - {"__init__"}
    assert stages <= set(ALLOWED) | ENDS, stages - set(ALLOWED) - ENDS


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_imports_flow_one_way(stage: str) -> None:
    module = PACKAGE / f"{stage}.py"
    files = [module] if module.is_file() else sorted((PACKAGE / stage).rglob("*.py"))
    for path in files:
        wrong = _imports(path) - ALLOWED[stage] - {stage}
        assert not wrong, f"{path.relative_to(REPO)} importe {sorted(wrong)} : voir docs/architecture.md"
