"""Helpers for the steering tests (coverage, follow-up, freshness, report): tiny registries.

Records are written from short templates; places are put where the test says through a
fake resolver (the commune centroid by default, or fixed coordinates keyed by address).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from conftest import make_registry, split_registry
from maillage.assemble.build import model_from
from maillage.core.gazetteer import Gazetteer
from maillage.core.model import Model, Position
from maillage.validation import validate

TODAY = date(2026, 11, 22)


def professionnel(profession: str, insee: str, *, nom: str = "Martin", prenom: str = "Alice",
                  statut: str = "actif", accepte: str | None = "oui", delai: int | None = None,
                  adresse: str = "1 rue de la Gare", verifie_le: str = "2026-10-01",
                  role: str | None = None, extra_lieux: tuple[tuple[str, str], ...] = ()) -> str:
    """YAML of a professional practising in commune ``insee`` (plus ``extra_lieux``: (insee, adresse))."""
    lieux = "".join(_lieu(code, where) for code, where in ((insee, adresse), *extra_lieux))
    text = f"nom: {nom}\nprenom: {prenom}\nprofession: {profession}\nlieux:\n{lieux}"
    if accepte:
        text += f"nouveaux_patients:\n  accepte: {accepte}\n  date_information: 2026-10-01\n"
        if delai is not None:
            text += f"  delai_semaines: {delai}\n"
    if role:
        text += f"sante_protegee:\n  role: {role}\n"
    return text + f"statut: {statut}\nverifie_le: {verifie_le}\nsource: Déclaration du professionnel\n"


def structure(categorie: str, insee: str, *, nom: str = "Centre", statut: str = "actif",
              adresse: str = "2 place du Marché", delai: int | None = None, verifie_le: str = "2026-10-01") -> str:
    text = f"nom: {nom}\ncategorie: {categorie}\nlieux:\n{_lieu(insee, adresse)}"
    if delai is not None:
        text += f"delai_attente:\n  semaines: {delai}\n  date_information: 2026-10-01\n"
    return text + f"statut: {statut}\nverifie_le: {verifie_le}\nsource: Site de la structure\n"


def convention(*, statut: str = "active", type_: str = "sante-protegee", fin: str | None = "2027-12-31",
               effet: str | None = "2025-01-01", preavis: int | None = None, financements: str = "",
               territoires: tuple[str, ...] = (), services: tuple[str, ...] = ("soins-psychologiques",),
               enfants: int | None = None, partie: str = "organisme: Association fictive") -> str:
    text = (f"intitule: Convention {statut} {fin}\nobjet: Accès aux soins.\ntype: {type_}\n"
            f"parties:\n  - {partie}\n    role: partenaire\n")
    if services:
        text += f"services: [{', '.join(services)}]\n"
    if territoires:
        text += f"territoires: [{', '.join(territoires)}]\n"
    if enfants is not None:
        text += f"enfants_prevus: {enfants}\n"
    if financements:
        text += "financements:\n" + financements
    dates = {"signature": "2024-12-15" if statut not in ("projet", "en-negociation") else None,
             "effet": effet, "fin": fin}
    dates_text = "".join(f"  {k}: {v}\n" for k, v in dates.items() if v)
    if dates_text:
        text += "dates:\n" + dates_text
    if preavis is not None:
        text += f"reconduction:\n  type: expresse\n  preavis_mois: {preavis}\n"
    return text + f"statut: {statut}\n"


def financement(financeur: str, mode: str, montant: float | None = None, unite: str | None = None) -> str:
    text = f"  - financeur: {financeur}\n    mode: {mode}\n"
    if montant is not None:
        text += f"    montant: {montant}\n"
    if unite:
        text += f"    unite: {unite}\n"
    return text


def _lieu(insee: str, adresse: str) -> str:
    commune = Gazetteer.load().commune(insee)
    assert commune is not None, insee
    return (f"  - adresse: {adresse}\n    code_postal: \"{commune.codes_postaux[0]}\"\n"
            f"    commune: {commune.nom}\n    code_insee: \"{insee}\"\n")


def centroid_resolver(fixed: dict[str, tuple[float, float]] | None = None):  # type: ignore[no-untyped-def]
    """A resolver placing each place at ``fixed[adresse]`` or else at its commune centroid."""
    gazetteer = Gazetteer.load()

    def resolve(lieu: dict[str, Any]) -> tuple[Position, str | None]:
        if fixed and lieu["adresse"] in fixed:
            lat, lon = fixed[lieu["adresse"]]
            return Position(lat, lon, "numero", "manuel"), None
        commune = gazetteer.commune(lieu["code_insee"])
        assert commune is not None
        return Position(commune.latitude, commune.longitude, "commune", "gazetteer"), None

    return resolve


def build_model(root: Path, professionnels: dict[str, str] | None = None, structures: dict[str, str] | None = None,
                conventions: dict[str, str] | None = None,
                fixed: dict[str, tuple[float, float]] | None = None) -> Model:
    """The internal model of a fixture registry (fails the test if the registry has errors)."""
    make_registry(root, professionnels, structures, conventions)
    internal = split_registry(root)  # draft conventions and internal sections: in the internal registry
    result = validate(root, TODAY, internal=internal)
    assert not result.errors, "\n".join(f"{p.file}:{p.line} {p.code} {p.message}" for p in result.errors)
    return model_from(result, TODAY, resolver=centroid_resolver(fixed))
