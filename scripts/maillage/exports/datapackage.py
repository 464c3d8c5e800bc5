"""``datapackage.json``: a Frictionless Tabular Data Package describing every CSV table.

Each resource carries a Table Schema generated from the JSON Schemas (titles,
descriptions, types, enums, required, primary and foreign keys), its size and SHA-256
hash; licence and sources come from ``registre.yaml``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from maillage.core.model import Model
from maillage.exports.columns import Column, Table
from maillage.exports.csv_tables import DIALECT, LIST_SEPARATOR
from maillage.exports.tables import TABLES


def dataset_name(model: Model) -> str:
    suffix = "" if model.audience == "public" else "-interne"
    return f"maillage-{model.meta.departement_code.lower()}{suffix}"


def field_schema(column: Column) -> dict[str, Any]:
    info = column.info
    description = info.description
    if info.is_list:
        description = f"{description} Plusieurs valeurs séparées par « {LIST_SEPARATOR} ».".strip()
    out: dict[str, Any] = {"name": column.name, "title": info.title, "description": description,
                           "type": info.type}
    if info.type == "date":
        out["format"] = "default"
    constraints: dict[str, Any] = {}
    if info.required:
        constraints["required"] = True
    if info.enum and not info.is_list:
        constraints["enum"] = list(info.enum)
    if info.is_list and info.enum:
        alternatives = "|".join(info.enum)
        constraints["pattern"] = f"({alternatives})({LIST_SEPARATOR}({alternatives}))*"
    if info.pattern:
        constraints["pattern"] = info.pattern.removeprefix("^").removesuffix("$")
    if info.type in ("integer", "number"):
        if info.minimum is not None:
            constraints["minimum"] = info.minimum
        if info.maximum is not None:
            constraints["maximum"] = info.maximum
    if info.max_length is not None and info.type == "string":
        constraints["maxLength"] = info.max_length
    if constraints:
        out["constraints"] = constraints
    return out


def table_schema(table: Table, model: Model) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [field_schema(c) for c in table.visible_columns(model)],
        "missingValues": [""],
        "primaryKey": list(table.primary_key),
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": fk.column, "reference": {"resource": fk.table, "fields": fk.target}}
            for fk in table.foreign_keys
        ]
    return schema


def descriptor(model: Model, csv_files: dict[str, bytes]) -> dict[str, Any]:
    meta = model.meta
    sources = [{"title": f"Registre Maillage — {meta.editeur}", "path": url}
               for url in (meta.depot_url, meta.site_url) if url]
    resources = []
    for table in TABLES:
        data = csv_files[table.filename]
        resources.append({
            "name": table.name, "title": table.title, "description": table.description,
            "path": table.filename, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "dialect": DIALECT,
            "bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
            "schema": table_schema(table, model),
        })
    description = meta.description or meta.titre
    if meta.fictif:
        description = f"DONNÉES FICTIVES. {description}"
    return {
        "profile": "tabular-data-package",
        "name": dataset_name(model),
        "title": meta.titre,
        "description": description,
        "homepage": meta.site_url or meta.editeur_site or meta.depot_url or "",
        "licenses": [{"name": meta.licence_id, "title": meta.licence_titre, "path": meta.licence_url}],
        "sources": sources,
        "contributors": [{"title": meta.editeur, "role": "publisher", "email": meta.contact_courriel}],
        "keywords": ["santé", "protection de l'enfance", "Santé protégée", meta.departement_nom],
        "resources": resources,
    }


def render(model: Model, csv_files: dict[str, bytes]) -> dict[str, bytes]:
    text = json.dumps(descriptor(model, csv_files), ensure_ascii=False, indent=2)
    return {"datapackage.json": (text + "\n").encode("utf-8")}
