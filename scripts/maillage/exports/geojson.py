"""``registre.geojson``: an RFC 7946 FeatureCollection, one Point per place.

Coordinates are ``[longitude, latitude]`` (WGS 84) rounded to 6 decimals (about 10 cm).
"""

from __future__ import annotations

from typing import Any

from maillage.core import kinds
from maillage.core.model import Lieu, Model, Professionnel, Structure
from maillage.exports.json_export import COORDINATE_DECIMALS, dumps


def record_url(model: Model, record: Professionnel | Structure) -> str | None:
    """Absolute URL of a record page on the published site, when ``site.url`` is known."""
    if not model.meta.site_url:
        return None
    return f"{model.meta.site_url.rstrip('/')}/{kinds.record_url(record)}"


def feature(model: Model, record: Professionnel | Structure, place: Lieu) -> dict[str, Any]:
    props: dict[str, Any] = {"id": record.id, "lieu": place.id(record.id), "type": record.kind}
    if isinstance(record, Professionnel):
        props["profession"] = record.profession
        props["libelle"] = model.label("professions", record.profession)
        props["nom"] = record.nom_complet
    else:
        props["categorie"] = record.categorie
        props["libelle"] = model.label("categories", record.categorie)
        props["nom"] = record.nom
    props.update({
        "adresse": place.adresse_complete(), "commune": place.commune, "code_postal": place.code_postal,
        "code_insee": place.code_insee, "territoire": place.territoire, "statut": record.statut,
        "precision": place.position.precision, "telephone": place.telephone, "url": record_url(model, record),
    })
    return {
        "type": "Feature",
        "id": place.id(record.id),
        "geometry": {"type": "Point", "coordinates": [round(place.position.longitude, COORDINATE_DECIMALS),
                                                      round(place.position.latitude, COORDINATE_DECIMALS)]},
        "properties": {k: v for k, v in props.items() if v is not None},
    }


def collection(model: Model, lazy: bool = False) -> dict[str, Any]:
    """The FeatureCollection; ``lazy``: its features are a generator, for ``dumps`` to stream."""
    features = (feature(model, r, place) for r in (*model.professionnels, *model.structures) for place in r.lieux)
    return {"type": "FeatureCollection", "features": features if lazy else list(features)}


def render(model: Model) -> dict[str, bytes]:
    return {"registre.geojson": dumps(collection(model, lazy=True))}
