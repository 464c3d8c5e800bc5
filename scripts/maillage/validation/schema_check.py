"""JSON Schema validation of one document, each error told in plain French by the catalogue."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from maillage.core.problems import Problem, problem
from maillage.core.schemas import SchemaSet
from maillage.load.safe_yaml import Document

_BOOLEAN_WORDS = {"oui", "non", "yes", "no", "vrai", "faux", "o", "n", "y", "on", "off", "ok"}
_LINK_TRAPS = ("javascript:", "vbscript:", "data:", "http://", "file:", "ftp:")


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _suggest(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _types(error: ValidationError) -> list[str]:
    value = error.validator_value
    return list(value) if isinstance(value, list) else [str(value)]


def _value_shape(node: dict[str, Any], schemas: SchemaSet | None) -> str:
    """How a value of ``node`` is written, for a partner: its choices, a date, true | false, or « … »."""
    if schemas is not None and "$ref" in node and node["$ref"].startswith("definitions.schema.json"):
        node, _ = schemas.resolve(node, "definitions")
    if isinstance(node.get("enum"), list):
        return " | ".join(str(v) for v in node["enum"])
    if schemas is not None and node.get("pattern") == schemas.raw["definitions"]["$defs"]["date"]["pattern"]:
        return "AAAA-MM-JJ"
    return {"boolean": "true | false", "integer": "nombre"}.get(str(node.get("type")), "…")


def _block_shape(schema: dict[str, Any], schemas: SchemaSet | None) -> list[str] | None:
    """The required fields of a block and how each is written (``accepte: oui | liste-attente | non``)."""
    properties = schema.get("properties")
    required = [name for name in schema.get("required", []) if isinstance(properties, dict) and name in properties]
    if not required:
        return None
    return [f"{name}: {_value_shape(properties[name], schemas)}" for name in required]


_RANGE_REASONS = {"minimum": "minimum", "maximum": "maximum", "exclusiveMinimum": "exclusive-minimum",
                  "exclusiveMaximum": "exclusive-maximum"}


def translate(error: ValidationError, document: Document, schemas: SchemaSet | None = None) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    kind = error.validator
    inst = error.instance

    def at(code: str, p: tuple[str | int, ...] = path, key: bool = False, **fields: object) -> Problem:
        line, col = document.position(p, key)
        return problem(code, document.file, line, col, ".".join(map(str, p)), **fields)

    if kind == "required":
        missing = [name for name in error.validator_value if name not in (inst or {})]
        for name in missing:
            yield at("schema-required", field=name, parent=path)
    elif kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for name in sorted(set(inst) - set(allowed)):
            yield at("schema-unknown-field", (*path, name), key=True, field=name, parent=path,
                     suggestion=_suggest(name, allowed))
    elif kind == "type":
        expected = _types(error)
        if "boolean" in expected and isinstance(inst, str) and inst.strip().lower() in _BOOLEAN_WORDS:
            yield at("schema-boolean-word", field=path, value=inst)
        else:
            shape = _block_shape(error.schema, schemas) if expected == ["object"] else None
            yield at("schema-type", field=path, expected=expected, found=inst, shape=shape)
    elif kind == "enum":
        allowed = [str(v) for v in error.validator_value]
        yield at("schema-enum", value=_short(inst), field=path, allowed=allowed,
                 suggestion=_suggest(str(inst), allowed))
    elif kind == "pattern":
        pattern = str(error.validator_value)
        text = str(inst)
        if not text.strip():
            yield at("schema-length", field=path, reason="empty")
        elif pattern.startswith("^https://") and (
            not text.lower().startswith("https://") or any(t in text.lower() for t in _LINK_TRAPS)
        ):
            yield at("schema-link-scheme", field=path, value=_short(text))
        else:
            hint = error.schema.get("description")
            yield at("schema-format", value=_short(text), field=path, hint=hint if isinstance(hint, str) else None)
    elif kind == "minLength":
        limit = int(error.validator_value)
        if limit <= 1:
            yield at("schema-length", field=path, reason="empty")
        else:
            yield at("schema-length", field=path, reason="too-short", limit=limit)
    elif kind == "maxLength":
        yield at("schema-length", field=path, reason="too-long", limit=int(error.validator_value), length=len(inst))
    elif kind in _RANGE_REASONS:
        yield at("schema-range", field=path, reason=_RANGE_REASONS[kind], value=inst, limit=error.validator_value)
    elif kind == "minItems":
        yield at("schema-items", field=path, reason="too-few", limit=int(error.validator_value))
    elif kind == "maxItems":
        yield at("schema-items", field=path, reason="too-many", limit=int(error.validator_value), count=len(inst))
    elif kind == "uniqueItems":
        yield at("schema-items", field=path, reason="duplicates")
    elif kind in ("minProperties", "maxProperties") and "parties" in path:
        yield at("schema-party")
    elif kind in ("minProperties", "maxProperties") and "documents" in path:
        yield at("schema-other", field=path, reason="document")
    elif kind == "minProperties":
        yield at("schema-other", field=path, reason="empty-block")
    elif kind == "propertyNames":
        yield at("schema-other", field=path, reason="names")
    else:
        yield at("schema-other", field=path, reason="other")


def schema_problems(schemas: SchemaSet, kind: str, document: Document) -> list[Problem]:
    """Problems of ``document`` against the schema of ``kind`` (the fast compiled check first)."""
    data = document.data
    if schemas.is_valid(kind, data):
        return []
    validator = schemas.validators[kind]
    problems: list[Problem] = []
    for error in validator.iter_errors(data):
        problems.extend(translate(error, document, schemas))
    return problems
