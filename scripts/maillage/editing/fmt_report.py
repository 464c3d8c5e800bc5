"""Tell, in French, which record files are not canonical and the exact fix (for the verification workflow).

``python -m maillage.editing.fmt_report [--registry DIR] [--strict]`` runs ``maillage fmt`` (Step 8)
on a copy of the registry, then, for each file it would change, prints a GitHub annotation
on the first line that differs and adds to the job summary the change to make, as a diff
(« la modification proposée »), with the command that does it. It never writes in the
registry and never pushes anything: a partner's fork stays theirs. Exit 1 with ``--strict``
when a file is not canonical; 0 otherwise (and when ``maillage fmt`` does not exist yet).
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from maillage.core.problem_formats import _escape_data, _escape_property


@dataclass(frozen=True, slots=True)
class Unformatted:
    file: str  # as the partner sees it: registry/professionnels/x.yaml
    line: int  # first line that differs (1-based)
    diff: str


def fmt_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("maillage.cli.fmt") is not None


def unformatted(registry: Path) -> list[Unformatted]:
    """Files ``maillage fmt`` would change, with the change (nothing is written in ``registry``)."""
    out: list[Unformatted] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "registry"
        shutil.copytree(registry, copy, ignore=shutil.ignore_patterns(".*"))
        subprocess.run([sys.executable, "-m", "maillage", "fmt", "--registry", str(copy)],
                       capture_output=True, text=True, check=False)
        for after in sorted(copy.rglob("*.yaml")):
            relative = after.relative_to(copy)
            before_text = (registry / relative).read_text(encoding="utf-8")
            after_text = after.read_text(encoding="utf-8")
            if before_text == after_text:
                continue
            name = (registry / relative).as_posix()
            diff_lines = list(difflib.unified_diff(before_text.splitlines(), after_text.splitlines(),
                                                   f"{name} (actuel)", f"{name} (canonique)", lineterm=""))
            first = next((i for i, (a, b) in enumerate(zip(before_text.splitlines(), after_text.splitlines(),
                                                           strict=False)) if a != b), 0)
            out.append(Unformatted(name, first + 1, "\n".join(diff_lines)))
    return out


def annotation(item: Unformatted) -> str:
    message = (f"Ce fichier n'est pas dans la forme canonique du registre (ordre des champs, commentaires, "
               f"guillemets). Correction : lancer « maillage fmt {item.file} », ou appliquer la modification "
               f"proposée dans le résumé de la vérification.")
    return f"::warning file={_escape_property(item.file)},line={item.line}::{_escape_data(message)}"


def summary(items: list[Unformatted]) -> str:
    if not items:
        return "## Mise en forme\n\nToutes les fiches sont dans leur forme canonique.\n"
    parts = ["## Mise en forme", "",
             f"{len(items)} fichier(s) ne sont pas dans la forme canonique. Rien n'est faux dans les données : "
             "l'éditeur en ligne ou un éditeur de texte a changé l'ordre des champs ou retiré des commentaires. "
             "Pour corriger, lancez `maillage fmt` sur ces fichiers, ou appliquez la modification proposée :", ""]
    for item in items:
        parts += [f"### `{item.file}`", "", "```diff", item.diff.replace("```", "'''"), "```", ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maillage.editing.fmt_report")
    parser.add_argument("--registry", type=Path, default=Path("registry"))
    parser.add_argument("--strict", action="store_true",
                        help="sortir avec le code 1 si un fichier est à remettre en forme")
    args = parser.parse_args(argv)
    if not fmt_available():
        print("La commande « maillage fmt » n'est pas disponible : mise en forme non vérifiée.")
        return 0
    items = unformatted(args.registry)
    for item in items:
        print(annotation(item))
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(summary(items))
    else:
        print(summary(items))
    return 1 if items and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
