"""Markdown documentation of the exports, generated from the JSON Schemas and the table definitions.

Used by the ``<!-- maillage:champs -->`` and ``<!-- maillage:fichiers -->`` markers
(:mod:`maillage.markers`), so no field is documented twice by hand.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from maillage.core.kinds import KIND_NAMES as KINDS
from maillage.core.model import Model
from maillage.core.schemas import load_schemas
from maillage.exports.columns import Column, Table
from maillage.exports.csv_tables import LIST_SEPARATOR
from maillage.exports.fields import _type_of, kind_description, kind_title
from maillage.exports.spreadsheet import FOLDER as SPREADSHEET_FOLDER
from maillage.exports.spreadsheet import SHEETS
from maillage.exports.tables import TABLES

TYPE_LABELS = {"string": "texte", "integer": "entier", "number": "nombre", "boolean": "oui/non",
               "date": "date", "array": "liste", "object": "groupe"}

OTHER_FILES: tuple[tuple[str, str, str], ...] = (
    ("datapackage.json", "Data Package (Frictionless, JSON)",
     "Description de toutes les tables CSV : colonnes, types, valeurs permises, clés, licence et sources."),
    ("registre.json", "JSON",
     "Toutes les fiches publiées, imbriquées, avec les champs déduits (coordonnées, précision, code INSEE, "
     "territoire, libellés, date limite de préavis)."),
    ("registre.geojson", "GeoJSON (RFC 7946)",
     "Un point par lieu, coordonnées [longitude, latitude] en WGS 84 ; propriétés : identifiant, type, "
     "profession ou catégorie, nom, commune, code INSEE, statut, précision."),
    ("data-inclusion/structures.json", "JSON, standard data·inclusion v1",
     "Les structures et les cabinets des professionnels au format des structures data·inclusion."),
    ("data-inclusion/services.json", "JSON, standard data·inclusion v1",
     "Un service data·inclusion par lieu de chaque fiche."),
    ("conventions.ics", "iCalendar (RFC 5545)",
     "Dates de fin et dates limites de préavis des conventions, à ajouter comme agenda abonné."),
)


def _escape(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: Any) -> str:
    return " ".join(_escape(text).split()).replace("|", "\\|")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _download(name: str) -> str:
    """A file name that is also its download link (the data page sits beside the files, in donnees/).

    Raw HTML rather than a Markdown link: MkDocs would look for the file among the pages and warn.
    """
    return f'<a href="{quote(name)}" download>`{name}`</a>'


def _file_row(cells: list[str]) -> str:
    """A row whose first cell is a download link (the link is ours, the other cells are escaped)."""
    return "| " + " | ".join([_download(cells[0]), *(_cell(c) for c in cells[1:])]) + " |"


def _schema_rows(kind: str, model: Model) -> list[str]:
    schemas = load_schemas()
    root, _ = schemas.resolve(schemas.raw[kind], kind)
    rows = [_row(["Champ", "Titre", "Type", "Obligatoire", "Description"]), "| --- | --- | --- | --- | --- |"]
    for path, node, _base in schemas.walk(kind):
        if path[0] == "interne" and len(path) > 1 and model.audience == "public":
            continue
        parent, parent_base = root, kind  # each ancestor resolved in its own schema file
        for part in path[:-1]:
            parent, parent_base = (schemas.resolve(parent["properties"][part], parent_base) if part != "*"
                                   else schemas.resolve(parent["items"], parent_base))
        required = "oui" if path[-1] in parent.get("required", []) else ""
        kind_of = node.get("type", "")
        label = TYPE_LABELS.get(_type_of(node), "texte") if kind_of not in ("array", "object") \
            else TYPE_LABELS[kind_of]
        description = str(node.get("description", ""))
        values = node.get("enum") or (node.get("items", {}).get("enum") if kind_of == "array" else None)
        if values:
            description += " Valeurs : " + ", ".join(f"`{v}`" for v in values) + "."
        name = ".".join(p if p != "*" else "[]" for p in path).replace(".[]", "[]")
        rows.append(_row([f"`{name}`", str(node.get("title", path[-1])), label, required, description]))
    return rows


def _column_rows(columns: tuple[Column, ...]) -> list[str]:
    rows = [_row(["Colonne", "Titre", "Type", "Obligatoire", "Description"]), "| --- | --- | --- | --- | --- |"]
    for column in columns:
        info = column.info
        description = info.description
        if info.is_list:
            description += f" Plusieurs valeurs séparées par « {LIST_SEPARATOR} »."
        if info.enum:
            description += " Valeurs : " + ", ".join(f"`{v}`" for v in info.enum) + "."
        rows.append(_row([f"`{column.name}`", info.title, TYPE_LABELS.get(info.type, info.type),
                          "oui" if info.required else "", description]))
    return rows


def fields_markdown(model: Model) -> str:
    """Field documentation: each record kind (YAML fields), then each CSV table's columns."""
    parts = ["### Champs des fiches", ""]
    for kind in KINDS:
        parts += [f"#### {kind_title(kind)}", "", _escape(kind_description(kind)), "", *_schema_rows(kind, model), ""]
    parts += ["### Colonnes des tables CSV", ""]
    for table in TABLES:
        keys = ", ".join(f"`{k}`" for k in table.primary_key)
        links = "".join(f" `{fk.column}` renvoie à `{fk.table}.{fk.target}`." for fk in table.foreign_keys)
        parts += [f"#### `{table.filename}` — {table.title}", "",
                  f"{table.description} Clé : {keys}.{links}", "",
                  *_column_rows(table.visible_columns(model)), ""]
    return "\n".join(parts).rstrip() + "\n"


def _table_line(table: Table, folder: str = "") -> str:
    return _file_row([f"{folder}{table.filename}", "CSV", table.description])


def files_markdown(model: Model) -> str:
    """The list of export files, with their format and what they hold."""
    meta = model.meta
    rows = [_row(["Fichier", "Format", "Contenu"]), "| --- | --- | --- |"]
    rows += [_table_line(t) for t in TABLES]
    rows += [_file_row([name, kind, text]) for name, kind, text in OTHER_FILES]
    rows += [_file_row([f"{SPREADSHEET_FOLDER}/{t.filename}", "CSV pour tableur (Excel, français)",
                   f"{t.description} Version pour tableur : en-têtes en français, libellés, virgule décimale."])
             for t in SHEETS]
    licence = f"Licence : [{meta.licence_titre}]({meta.licence_url}) — éditeur : {meta.editeur}."
    if meta.fictif:
        licence += " **Ces données sont fictives.**"
    return "\n".join([licence, "", *rows]) + "\n"
