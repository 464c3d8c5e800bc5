"""Field metadata read from the JSON Schemas: the single source of titles, types and enums.

Export columns point at a schema path (``("conventionnement", "secteur")``); this module
turns that path into what a Table Schema or a documentation table needs, so no field is
ever described twice by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from maillage.core import statuses
from maillage.core.schemas import load_schemas

TABLE_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


@dataclass(frozen=True, slots=True)
class FieldInfo:
    title: str
    description: str
    type: str  # Table Schema type: string | integer | number | boolean | date
    required: bool = False
    is_list: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None


@cache
def _date_pattern() -> str:
    return str(load_schemas().raw["definitions"]["$defs"]["date"]["pattern"])


def _type_of(node: dict[str, Any]) -> str:
    if node.get("type") == "string" and node.get("pattern") == _date_pattern():
        return "date"
    return TABLE_TYPES.get(str(node.get("type")), "string")


@cache
def schema_field(kind: str, path: tuple[str, ...]) -> FieldInfo:
    """Metadata of the property at ``path`` in the schema of ``kind``.

    A field is required when every step of its path is required from the record root;
    ``"*"`` steps into the items of an array.
    """
    schemas = load_schemas()
    node, base = schemas.resolve(schemas.raw[kind], kind)
    required = True
    for part in path:
        if part == "*":  # into the items of an array
            required = required and bool(node.get("minItems"))
            node, base = schemas.resolve(node["items"], base)
            continue
        required = required and part in node.get("required", [])
        node, base = schemas.resolve(node["properties"][part], base)
    title = str(node.get("title", path[-1]))
    description = str(node.get("description", ""))
    if node.get("type") == "array":
        items, _ = schemas.resolve(node.get("items", {}), base)
        return FieldInfo(title, description, "string", required and bool(node.get("minItems")), True,
                         tuple(items.get("enum", ())))
    enum = tuple(node.get("enum", ()))
    if path == ("statut",) and kind != "convention":
        # Candidates (imported, not yet reviewed) stay in the internal registry: never in a data file.
        enum = tuple(e for e in enum if e not in statuses.CANDIDATE)
    return FieldInfo(
        title=title, description=description, type=_type_of(node), required=required,
        enum=enum, pattern=node.get("pattern") if _type_of(node) == "string" else None,
        minimum=node.get("minimum"), maximum=node.get("maximum"), max_length=node.get("maxLength"),
    )


def kind_title(kind: str) -> str:
    return str(load_schemas().raw[kind].get("title", kind))


def kind_description(kind: str) -> str:
    return str(load_schemas().raw[kind].get("description", ""))
