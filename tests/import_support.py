"""Shared helpers of the ``maillage import`` tests: an empty registry of a département, tree snapshots."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from maillage.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "imports"
FINESS_V1 = FIXTURES / "finess-2026-11-20.csv"
FINESS_V2 = FIXTURES / "finess-2026-11-27.csv"
RPPS_ZIP = FIXTURES / "PS_LibreAcces_202611200841.zip"
RPPS_ACTIVITY = FIXTURES / "PS_LibreAcces_Personne_activite_202611200841.txt"
RPPS_ACTIVITY_V2 = FIXTURES / "PS_LibreAcces_Personne_activite_202611270841.txt"
RPPS_SAVOIR_FAIRE = FIXTURES / "PS_LibreAcces_SavoirFaire_202611200841.txt"


def empty_registry(base: Path, departement: str = "50", nom: str = "Manche") -> tuple[Path, Path]:
    """A registry with the sample's metadata and vocabularies but no record, and an empty internal registry."""
    registry, internal = base / "registry", base / "interne"
    registry.mkdir(parents=True)
    internal.mkdir()
    meta = (ROOT / "registry" / "registre.yaml").read_text(encoding="utf-8")
    meta = re.sub(r'departement:\n  code: "50"\n  nom: Manche', f'departement:\n  code: "{departement}"\n  nom: {nom}',
                  meta)
    (registry / "registre.yaml").write_text(meta, encoding="utf-8")
    shutil.copytree(ROOT / "registry" / "vocabulaires", registry / "vocabulaires")
    return registry, internal


def tree(*roots: Path) -> dict[str, str]:
    """Every file under ``roots`` with the hash of its bytes."""
    out = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def run(*args: str | Path) -> int:
    return main([str(a) for a in args])


def import_finess(registry: Path, internal: Path | None, file: Path = FINESS_V1, date: str = "2026-11-21",
                  *extra: str) -> int:
    args: list[str | Path] = ["import", "finess", "--file", file, "--registry", registry, "--date", date, *extra]
    if internal is not None:
        args += ["--internal", internal]
    return run(*args)


def import_rpps(registry: Path, internal: Path | None, *files: Path, date: str = "2026-11-21", extra: tuple = ()
                ) -> int:
    args: list[str | Path] = ["import", "rpps", "--registry", registry, "--date", date, *extra]
    for file in files:
        args += ["--file", file]
    if internal is not None:
        args += ["--internal", internal]
    return run(*args)
