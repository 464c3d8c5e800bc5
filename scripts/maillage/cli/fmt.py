"""``maillage fmt``: put record files in their canonical form (or, with ``--check``, list those that are not).

Only records are formatted (``professionnels/``, ``structures/``, ``conventions/``);
``registre.yaml`` and the vocabularies are left as they are written by hand.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from maillage.cli.options import add_registry_option
from maillage.core.files import atomic_write
from maillage.core.kinds import KINDS
from maillage.core.problem_formats import github_annotation
from maillage.core.problems import Problem, Severity
from maillage.core.schemas import load_schemas
from maillage.editing.canonical import CanonicalError, canonical_text, kind_of_file
from maillage.editing.writer import WriterError, carry_over
from maillage.load.registry import display_path
from maillage.load.safe_yaml import MAX_FILE_BYTES, LoadError, decode, parse_text, read_bytes

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "fmt", help="mettre les fiches en forme canonique (ordre des champs, guillemets, listes)",
        description="Réécrit les fiches (professionnels/, structures/, conventions/) dans leur forme "
                    "canonique : champs dans l'ordre du schéma, codes et numéros entre guillemets, dates "
                    "sans guillemets, listes à tirets, commentaires gardés avec leur champ. Les valeurs lues "
                    "ne changent jamais. Sans FICHIER : toutes les fiches du registre. registre.yaml et les "
                    "vocabulaires ne sont pas concernés.")
    parser.add_argument("files", nargs="*", type=Path, metavar="FICHIER",
                        help="fiches à traiter (par défaut : toutes les fiches du registre)")
    add_registry_option(parser)
    parser.add_argument("--check", action="store_true",
                        help="ne rien modifier : lister les fiches qui ne sont pas en forme canonique "
                             "(code de sortie 1 s'il y en a)")
    parser.add_argument("--diff", action="store_true",
                        help="afficher les lignes à changer (avec --check) ou changées")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="text (par défaut) ou github (annotations GitHub Actions)")
    parser.add_argument("--base", metavar="RÉVISION", default=None,
                        help="reporter les valeurs de chaque fiche sur sa version de RÉVISION (par exemple "
                             "origin/main) : commentaires et mise en page de cette version sont gardés, seules "
                             "les lignes des champs modifiés changent (fiches enregistrées par l'éditeur en ligne)")
    parser.set_defaults(run=run)


@dataclass(frozen=True, slots=True)
class Outcome:
    path: Path
    shown: str
    status: str  # "ok", "changed", "error"
    diff: str = ""
    problem: Problem | None = None


def _record_files(registry: Path) -> list[Path]:
    files: list[Path] = []
    for kind in KINDS:
        folder = registry / kind.folder
        if folder.is_dir():
            files.extend(sorted(p for p in folder.glob("*.yaml") if not p.name.startswith(".") and p.is_file()))
    return files


def base_version(path: Path, revision: str) -> str | None:
    """The text of ``path`` at a Git revision, or None (new file, not a repository, unknown revision)."""
    try:
        done = subprocess.run(["git", "-C", str(path.parent), "show", f"{revision}:./{path.name}"],
                              capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    try:
        return done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None


def format_file(path: Path, check: bool, base: str | None = None) -> Outcome:
    """Canonical form of one record file (carried over onto its ``base`` version); written back unless ``check``."""
    shown = display_path(path)
    kind = kind_of_file(path)
    assert kind is not None
    try:
        raw = read_bytes(path, shown, MAX_FILE_BYTES)
        text = decode(raw, shown)
        result = canonical_text(text, kind, shown)
        before = base_version(path, base) if base else None
        if before is not None:
            try:
                data = parse_text(result, shown, load_schemas().text_keys).data
                result = canonical_text(carry_over(before, data, kind, shown), kind, shown)
            except (LoadError, CanonicalError, WriterError):
                pass  # the base version does not help (unreadable, or values would change): canonical form alone
    except LoadError as exc:
        return Outcome(path, shown, "error", problem=exc.problem)
    except CanonicalError as exc:  # never expected: the file is left as it is
        return Outcome(path, shown, "error", problem=Problem("fmt-internal", Severity.ERROR, str(exc), shown))
    if result.encode("utf-8") == raw:
        return Outcome(path, shown, "ok")
    diff = "".join(difflib.unified_diff(text.splitlines(keepends=True), result.splitlines(keepends=True),
                                        f"a/{shown}", f"b/{shown}"))
    if not check:
        atomic_write(path, result.encode("utf-8"))
    return Outcome(path, shown, "changed", diff)


def _usage(message: str) -> int:
    print(f"maillage : {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    if args.files:
        paths: list[Path] = []
        for path in args.files:
            if not path.is_file():
                return _usage(f"« {path} » est introuvable (ou n'est pas un fichier).")
            if kind_of_file(path) is None:
                return _usage(f"« {path} » n'est pas une fiche : maillage fmt ne met en forme que les fichiers "
                              ".yaml des dossiers professionnels/, structures/ et conventions/ (registre.yaml et "
                              "les vocabulaires restent tels qu'écrits).")
            paths.append(path)
    else:
        if not args.registry.is_dir():
            return _usage(f"« {args.registry} » n'est pas un dossier de registre (indiquez-le avec --registry).")
        paths = _record_files(args.registry)
    outcomes = [format_file(path, args.check, args.base) for path in paths]
    return report(outcomes, args.check, args.diff, args.format)


def report(outcomes: list[Outcome], check: bool, show_diff: bool, fmt: str) -> int:
    errors = [o for o in outcomes if o.status == "error"]
    changed = [o for o in outcomes if o.status == "changed"]
    for outcome in outcomes:
        if outcome.status == "error":
            assert outcome.problem is not None
            if fmt == "github":
                print(github_annotation(outcome.problem))
            print(f"{outcome.problem.location()}: erreur [{outcome.problem.code}] {outcome.problem.message} "
                  "(fichier laissé tel quel)", file=sys.stderr if fmt == "github" else sys.stdout)
        elif outcome.status == "changed":
            if check:
                message = (f"{outcome.shown} n'est pas en forme canonique : lancez `maillage fmt {outcome.shown}` "
                           "(les valeurs ne changent pas, seule l'écriture est harmonisée).")
                if fmt == "github":
                    print(f"::warning file={outcome.shown},line=1,title=Maillage fmt::"
                          f"{message.replace('%', '%25').replace(chr(10), '%0A')}")
                else:
                    print(message)
            else:
                print(f"Mis en forme : {outcome.shown}")
            if show_diff:
                print(outcome.diff, end="")
    print(_summary(len(outcomes), len(changed), len(errors), check), file=sys.stderr if fmt == "github" else
          sys.stdout)
    if errors or (check and changed):
        return EXIT_FOUND
    return EXIT_OK


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n <= 1 else plural or word + 's'}"


def _summary(total: int, changed: int, errors: int, check: bool) -> str:
    parts = []
    if check:
        ok = total - changed - errors
        parts.append(f"{_plural(ok, 'fiche')} en forme canonique")
        if changed:
            parts.append(f"{_plural(changed, 'fiche')} à mettre en forme")
    else:
        parts.append(f"{_plural(changed, 'fiche mise', 'fiches mises')} en forme")
        parts.append(f"{_plural(total - changed - errors, 'fiche')} déjà en forme")
    if errors:
        left = "laissée telle quelle" if errors == 1 else "laissées telles quelles"
        parts.append(f"{_plural(errors, 'fiche illisible', 'fiches illisibles')} ({left})")
    return ", ".join(parts) + "."
