"""The JSON Schemas of the registry, loaded once and compiled once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from maillage.core import kinds as _kinds

SCHEMA_NAMES = (*(k.schema for k in _kinds.KINDS), "registre", "vocabulaire", "definitions", "interne")


def part_schema(kind: str) -> str:
    """The name of the schema of an internal part of ``kind`` (a file of the internal registry holding
    only the ``interne`` section of the public record with the same id): ``interne-professionnel``."""
    return f"interne-{kind}"


def schemas_dir() -> Path:
    """The repository's ``schemas/`` folder, or the copy shipped inside the package."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[3] / "schemas", here.parents[1] / "data" / "schemas"):
        if (candidate / "definitions.schema.json").is_file():
            return candidate
    raise FileNotFoundError("schemas/ introuvable")


@dataclass(frozen=True)
class SchemaSet:
    raw: dict[str, dict[str, Any]]
    validators: dict[str, Draft202012Validator]
    registry: Registry
    text_keys: frozenset[str]
    fast: dict[str, Any]

    def is_valid(self, kind: str, instance: Any) -> bool:
        """Fast check (compiled, Rust) of the same schema; details come from ``validators``."""
        return bool(self.fast[kind].is_valid(instance))

    def bundled(self, kind: str) -> dict[str, Any]:
        """The schema of a kind with every ``$ref`` inlined (our schemas are not recursive)."""
        return self._inline(self.raw[kind], kind)

    def _inline(self, node: Any, base: str) -> Any:
        if isinstance(node, list):
            return [self._inline(item, base) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            node, base = self.resolve(node, base)
        return {key: (value if key in ("enum", "required", "const") else self._inline(value, base))
                for key, value in node.items() if key not in ("$id", "$defs", "$schema")}

    def resolve(self, node: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
        """Follow ``$ref`` chains; returns the target node and its base name."""
        seen = 0
        while "$ref" in node and seen < 20:
            ref = node["$ref"]
            doc, _, pointer = ref.partition("#")
            if doc:
                base = doc.removesuffix(".schema.json")
            target: Any = self.raw[base]
            for part in [p for p in pointer.split("/") if p]:
                target = target[part]
            merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            node = merged
            seen += 1
        return node, base

    def subschema(self, kind: str, path: tuple[str | int, ...]) -> dict[str, Any] | None:
        """The schema that applies at a data path, or None if the path leaves the schema."""
        node, base = self.resolve(self.raw[kind], kind)
        for part in path:
            if isinstance(part, int):
                items = node.get("items")
                if not isinstance(items, dict):
                    return None
                node, base = self.resolve(items, base)
            else:
                props = node.get("properties", {})
                if part not in props:
                    return None
                node, base = self.resolve(props[part], base)
        return node

    def walk(self, kind: str) -> Iterator[tuple[tuple[str, ...], dict[str, Any], str]]:
        """Every named property of a kind's schema: path (list items marked "*"), node, base."""
        root, base = self.resolve(self.raw[kind], kind)
        yield from self._walk(root, base, ())

    def _walk(self, node: dict[str, Any], base: str, path: tuple[str, ...]
              ) -> Iterator[tuple[tuple[str, ...], dict[str, Any], str]]:
        for name, prop in node.get("properties", {}).items():
            resolved, rbase = self.resolve(prop, base)
            yield (*path, name), resolved, rbase
            if resolved.get("type") == "object":
                yield from self._walk(resolved, rbase, (*path, name))
            elif resolved.get("type") == "array" and isinstance(resolved.get("items"), dict):
                items, ibase = self.resolve(resolved["items"], rbase)
                if items.get("type") == "object":
                    yield from self._walk(items, ibase, (*path, name, "*"))


@cache
def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A schema pattern with ECMA-262 anchors: a final ``$`` matches only at the very end.

    Python's ``$`` also matches before a final newline, so ``"50200\\n"`` would pass
    ``^[0-9]{5}$`` here while the compiled (Rust) validator refuses it.
    """
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


def _is_text(node: dict[str, Any]) -> bool:
    return node.get("type") == "string"


@cache
def load_schemas(directory: Path | None = None) -> SchemaSet:
    directory = directory or schemas_dir()
    raw: dict[str, dict[str, Any]] = {}
    resources = []
    for name in SCHEMA_NAMES:
        with (directory / f"{name}.schema.json").open(encoding="utf-8") as handle:
            schema = json.load(handle)
        raw[name] = schema
        resources.append((schema["$id"], Resource.from_contents(schema)))
    registry: Registry = Registry().with_resources(resources)
    validators = {
        name: _Validator(raw[name], registry=registry)
        for name in SCHEMA_NAMES if name != "definitions"
    }
    # Internal parts: one kind's « interne » section alone (interne.schema.json#/$defs/<kind>).
    for kind in _kinds.KIND_NAMES:
        raw[part_schema(kind)] = {"$ref": f"interne.schema.json#/$defs/{kind}"}
        validators[part_schema(kind)] = _Validator({"$ref": f"{raw['interne']['$id']}#/$defs/{kind}"},
                                                   registry=registry)
    partial = SchemaSet(raw, validators, registry, frozenset(), {})
    text_keys: set[str] = set()
    numeric_keys: set[str] = set()
    for kind in (*_kinds.KIND_NAMES, "registre", "vocabulaire"):
        for path, node, base in partial.walk(kind):
            name = path[-1]
            target = node
            if node.get("type") == "array" and isinstance(node.get("items"), dict):
                target, _ = partial.resolve(node["items"], base)
            if _is_text(target):
                text_keys.add(name)
            elif target.get("type") in ("integer", "number", "boolean"):
                numeric_keys.add(name)
    fast = {name: jsonschema_rs.Draft202012Validator(partial.bundled(name)) for name in validators}
    # A key is read as text only where the schemas never expect a number or yes/no under it.
    return SchemaSet(raw, validators, registry, frozenset(text_keys - numeric_keys), fast)
