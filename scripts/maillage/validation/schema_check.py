"""JSON Schema validation of one record, with every error told in plain French."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from maillage.core.problems import Problem, problem
from maillage.core.schemas import SchemaSet

Locator = Callable[[tuple[str | int, ...], bool], tuple[int, int]]

_EXPECTED = {
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "true ou false",
    "array": "une liste (lignes commençant par « - »)",
    "object": "un bloc de champs (« champ: valeur » en retrait)",
    "null": "vide",
}
EMPTY = "la valeur est vide : remplissez-la (ou supprimez la ligne si le champ est facultatif)"
_BOOLEAN_WORDS = {"oui", "non", "yes", "no", "vrai", "faux", "o", "n", "y", "on", "off", "ok"}
_LINK_TRAPS = ("javascript:", "vbscript:", "data:", "http://", "file:", "ftp:")


def field_label(path: tuple[str | int, ...]) -> str:
    """``('lieux', 1, 'code_postal')`` → ``lieux n° 2 › code_postal``."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            if parts:
                parts[-1] = f"{parts[-1]} n° {part + 1}"
            else:
                parts.append(f"n° {part + 1}")
        else:
            parts.append(part)
    return " › ".join(parts) if parts else "la fiche"


def describe(value: Any) -> str:
    if value is None:
        return "vide"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"le nombre {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "…"
        return f"le texte « {shown} »"
    if isinstance(value, list):
        return "une liste"
    return "un bloc de champs"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" Vouliez-vous dire « {close[0]} » ?" if close else ""


def _types(error: ValidationError) -> list[str]:
    value = error.validator_value
    return list(value) if isinstance(value, list) else [str(value)]


def translate(error: ValidationError, file: str, locate: Locator) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    label = field_label(path)
    kind = error.validator
    inst = error.instance

    def at(code: str, p: tuple[str | int, ...] = path, key: bool = False, **fields: object) -> Problem:
        line, col = locate(p, key)
        return problem(code, file, line, col, ".".join(map(str, p)), **fields)

    if kind == "required":
        missing = [name for name in error.validator_value if name not in (inst or {})]
        where = f" dans « {label} »" if path else ""
        for name in missing:
            yield at("schema-required", field=name, where=where)
    elif kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        where = f"dans « {label} »" if path else "dans ce type de fiche"
        for name in sorted(set(inst) - set(allowed)):
            yield at("schema-unknown-field", (*path, name), key=True, field=name, where=where,
                     suggestion=_suggest(name, allowed))
    elif kind == "type":
        expected = _types(error)
        if "boolean" in expected and isinstance(inst, str) and inst.strip().lower() in _BOOLEAN_WORDS:
            yield at("schema-boolean-word", field=label, value=inst)
        else:
            wanted = " ou ".join(_EXPECTED.get(t, t) for t in expected)
            yield at("schema-type", field=label, expected=wanted, found=describe(inst))
    elif kind == "enum":
        allowed = [str(v) for v in error.validator_value]
        yield at("schema-enum", value=_short(inst), field=label, allowed=", ".join(allowed),
                 suggestion=_suggest(str(inst), allowed))
    elif kind == "pattern":
        pattern = str(error.validator_value)
        text = str(inst)
        if not text.strip():
            yield at("schema-length", field=label, detail=EMPTY)
        elif pattern.startswith("^https://") and (
            not text.lower().startswith("https://") or any(t in text.lower() for t in _LINK_TRAPS)
        ):
            yield at("schema-link-scheme", field=label, value=_short(text))
        else:
            hint = error.schema.get("description") or "voir la documentation des champs."
            yield at("schema-format", value=_short(text), field=label, hint=hint)
    elif kind in ("minLength", "maxLength"):
        limit = error.validator_value
        if kind == "minLength":
            detail = (EMPTY if limit <= 1 else f"le texte doit faire au moins {limit} caractères")
        else:
            detail = f"le texte doit faire au plus {limit} caractères (il en fait {len(inst)})"
        yield at("schema-length", field=label, detail=detail)
    elif kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        limit = error.validator_value
        detail = {
            "minimum": f"la valeur {inst} est trop petite (minimum {limit})",
            "maximum": f"la valeur {inst} est trop grande (maximum {limit})",
            "exclusiveMinimum": f"la valeur {inst} doit être supérieure à {limit}",
            "exclusiveMaximum": f"la valeur {inst} doit être inférieure à {limit}",
        }[kind]
        yield at("schema-range", field=label, detail=detail)
    elif kind in ("minItems", "maxItems", "uniqueItems"):
        limit = error.validator_value
        detail = {
            "minItems": f"la liste doit contenir au moins {limit} élément(s)",
            "maxItems": f"la liste doit contenir au plus {limit} éléments (elle en a {len(inst)})",
            "uniqueItems": "la liste contient deux fois le même élément",
        }[kind]
        yield at("schema-items", field=label, detail=detail)
    elif kind in ("minProperties", "maxProperties") and "parties" in path:
        yield at("schema-party")
    elif kind in ("minProperties", "maxProperties") and "documents" in path:
        yield at("schema-other", field=label,
                 detail="indiquez le titre et soit un « fichier », soit une « url »")
    elif kind == "minProperties":
        yield at("schema-other", field=label, detail="le bloc est vide : remplissez au moins un champ")
    elif kind == "propertyNames":
        yield at("schema-other", field=label,
                 detail="les noms doivent être des identifiants (minuscules, chiffres, tirets)")
    else:
        yield at("schema-other", field=label, detail="valeur non conforme à la documentation des champs")


def schema_problems(schemas: SchemaSet, kind: str, data: Any, file: str, locate: Locator
                    ) -> list[Problem]:
    if schemas.is_valid(kind, data):
        return []
    validator = schemas.validators[kind]
    problems: list[Problem] = []
    for error in validator.iter_errors(data):
        problems.extend(translate(error, file, locate))
    return problems
