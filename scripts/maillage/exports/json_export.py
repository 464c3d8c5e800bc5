"""``registre.json``: every record of the view, nested, with derived fields.

Derived fields: vocabulary labels, each place's id, coordinates (6 decimals), precision,
geocoder, INSEE code and territory, and each convention's notice deadline. Empty values
are left out; key order follows the model, so the output is stable.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any

from maillage.core.model import Convention, Lieu, Meta, Model, Position, Professionnel, Structure

COORDINATE_DECIMALS = 6


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_SCALARS = (str, int, float, bool, type(None))


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls) if f.name != "kind")
    return names


def plain(value: Any) -> Any:
    """A JSON-ready copy of a model value (dataclasses become objects, empties disappear)."""
    if isinstance(value, _SCALARS):
        return value
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        for name in _field_names(type(value)):
            item = plain(getattr(value, name))
            if item is not None and item != []:
                out[name] = item
        return out
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def position(p: Position) -> dict[str, Any]:
    out: dict[str, Any] = {"latitude": round(p.latitude, COORDINATE_DECIMALS),
                           "longitude": round(p.longitude, COORDINATE_DECIMALS),
                           "precision": p.precision, "geocodeur": p.provider}
    if p.licence:
        out["licence"] = p.licence
    if p.attribution:
        out["attribution"] = p.attribution
    return out


def lieu(record_id: str, place: Lieu) -> dict[str, Any]:
    out = {"id": place.id(record_id), **plain(place)}
    out["position"] = position(place.position)
    return out


def record(model: Model, r: Professionnel | Structure | Convention) -> dict[str, Any]:
    out: dict[str, Any] = {"id": r.id, "type": r.kind, **plain(r)}
    if isinstance(r, Professionnel):
        out["profession_libelle"] = model.label("professions", r.profession)
    elif isinstance(r, Structure):
        out["categorie_libelle"] = model.label("categories", r.categorie)
    if isinstance(r, Convention):
        if r.date_preavis:
            out["date_preavis"] = r.date_preavis.isoformat()
    else:
        out["lieux"] = [lieu(r.id, place) for place in r.lieux]
    return out


def registry_meta(model: Model) -> dict[str, Any]:
    m: Meta = model.meta
    meta: dict[str, Any] = {
        "titre": m.titre, "departement": {"code": m.departement_code, "nom": m.departement_nom},
        "editeur": m.editeur, "licence": {"id": m.licence_id, "titre": m.licence_titre, "url": m.licence_url},
        "contact": m.contact_courriel, "fictif": m.fictif, "audience": model.audience,
    }
    for key, value in (("site", m.site_url), ("depot", m.depot_url)):
        if value:
            meta[key] = value
    return meta


def document(model: Model, lazy: bool = False) -> dict[str, Any]:
    """The whole document; ``lazy``: its record lists are generators, for :func:`dumps` to stream."""
    lists = {name: (record(model, r) for r in records)
             for name, records in (("professionnels", model.professionnels), ("structures", model.structures),
                                   ("conventions", model.conventions))}
    return {"registre": registry_meta(model),
            **(lists if lazy else {name: list(items) for name, items in lists.items()})}


def _pieces(value: Any, depth: int) -> Iterator[str]:
    """``json.dumps(value, ensure_ascii=False, indent=1)`` in pieces, nested ``depth`` levels deep; a
    generator (as a value of a dict, or the whole value) is written item by item, like a list."""
    pad = " " * (depth + 1)
    if isinstance(value, dict) and any(isinstance(item, Iterator) for item in value.values()):
        for n, (key, item) in enumerate(value.items()):
            yield ("{\n" if n == 0 else ",\n") + pad + json.dumps(key, ensure_ascii=False) + ": "
            yield from _pieces(item, depth + 1)
        yield "\n" + " " * depth + "}"
    elif isinstance(value, Iterator):
        empty = True
        for item in value:
            yield ("[\n" if empty else ",\n") + pad
            yield from _pieces(item, depth + 1)
            empty = False
        yield "[]" if empty else "\n" + " " * depth + "]"
    else:  # the separators of indent=1 hold the only line breaks: strings have theirs escaped
        yield json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)


def dumps(data: Any) -> bytes:
    """Indented JSON (one space), UTF-8, final line break. Generators inside ``data`` are written item
    by item (same bytes as the list), so a 50,000-record document is never held whole as objects."""
    out = io.BytesIO()  # getvalue() hands over its buffer: no second copy of a 90 MB file
    for piece in _pieces(data, 0):
        out.write(piece.encode("utf-8"))
    out.write(b"\n")
    return out.getvalue()


def render(model: Model) -> dict[str, bytes]:
    return {"registre.json": dumps(document(model, lazy=True))}
