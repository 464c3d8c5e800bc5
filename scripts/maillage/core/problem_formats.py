"""Printing validation problems: grouped text, GitHub annotations, JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import groupby

from maillage.core.problems import Problem, Severity


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def summary(problems: list[Problem], records: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"Registre valide : {_plural(records, 'fiche')} lue{'s' if records > 1 else ''}, aucun problème."
    files = len({p.file for p in problems})
    return (f"{_plural(errors, 'erreur')}, {_plural(warnings, 'avertissement')} dans "
            f"{_plural(files, 'fichier')} ({_plural(records, 'fiche')} lue{'s' if records > 1 else ''}).")


def as_line(p: Problem) -> str:
    """``file:line:column: gravité [code] message``: one problem on one line."""
    return f"{p.location()}: {p.severity.value} [{p.code}] {p.message}"


def as_text(problems: list[Problem], records: int) -> str:
    lines: list[str] = []
    for file, group in groupby(problems, key=lambda p: p.file):
        lines.append(file)
        for p in group:
            lines.append(f"  {as_line(p)}")
        lines.append("")
    lines.append(summary(problems, records))
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(p: Problem) -> str:
    level = "error" if p.severity is Severity.ERROR else "warning"
    props = [f"file={_escape_property(p.file)}"]
    if p.line:
        props += [f"line={p.line}", f"col={p.column}"]
    props.append(f"title={_escape_property(f'Maillage {p.code}')}")
    return f"::{level} {','.join(props)}::{_escape_data(p.message)}"


def as_github(problems: Iterable[Problem]) -> str:
    return "\n".join(github_annotation(p) for p in problems)


def as_json(problems: list[Problem], records: int) -> str:
    errors = sum(p.is_error for p in problems)
    payload = {
        "valid": errors == 0,
        "records": records,
        "errors": errors,
        "warnings": len(problems) - errors,
        "problems": [
            {"code": p.code, "severity": p.severity.value, "message": p.message, "file": p.file,
             "line": p.line, "column": p.column, "path": p.path}
            for p in problems
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
