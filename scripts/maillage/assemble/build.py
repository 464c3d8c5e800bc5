"""Turn a validated registry into the typed :class:`~maillage.model.Model`.

This is the only place that reads raw record dictionaries for outputs. It never
touches the network: coordinates come from the record, the committed geocoding
cache, or the commune centroid (see :mod:`maillage.geocoding.resolve`). A place
that could not be placed precisely gives a catalogued problem (``geo-fallback``…)
at the line of its address, returned with the model (:class:`Assembly`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from maillage.core import clock, statuses
from maillage.core.gazetteer import Gazetteer
from maillage.core.model import (
    Ages,
    Convention,
    Conventionnement,
    DocumentConvention,
    Financement,
    Gestionnaire,
    Interne,
    Lieu,
    Meta,
    Model,
    NouveauxPatients,
    Partie,
    Position,
    Professionnel,
    SanteProtegee,
    Secteur,
    Structure,
    Temporaire,
    Term,
)
from maillage.core.problems import Finding, Problem
from maillage.load.registry import PART_KEY, InternalRegistry, LoadedRegistry, RawRecord
from maillage.validation import ValidationResult

# Where a place goes on the map, and the catalogued warning to report about it, if any.
Resolver = Callable[[dict[str, Any]], tuple[Position, Finding | None]]


class InvalidRegistry(Exception):
    """The registry has errors: outputs are not built from it."""

    def __init__(self, result: ValidationResult) -> None:
        super().__init__(f"{len(result.errors)} erreur(s) dans le registre")
        self.result = result

    @property
    def problems(self) -> list[Problem]:
        return self.result.problems


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _t(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ()


def _temporaire(value: Any) -> tuple[Temporaire, ...]:
    """Temporary information, in date order (validated: dates in order, at most a year)."""
    items = [Temporaire(date.fromisoformat(t["du"]), date.fromisoformat(t["au"]), t["message"], t.get("horaires"))
             for t in value or []]
    return tuple(sorted(items, key=lambda t: (t.du, t.au)))


def _ages(value: Any) -> Ages | None:
    return Ages(value["min"], value["max"]) if isinstance(value, dict) else None


def _interne(value: Any) -> Interne | None:
    if not isinstance(value, dict):
        return None
    interne = Interne(value.get("telephone"), value.get("courriel"), value.get("contact"), value.get("notes"))
    return interne if interne != Interne() else None


def _documents(d: dict[str, Any], interne: Any) -> tuple[DocumentConvention, ...]:
    """A convention's documents: its own, then those of its internal section (never public)."""
    own = [DocumentConvention(x["titre"], x.get("fichier"), x.get("url"), bool(x.get("public")))
           for x in d.get("documents") or []]
    hidden = interne.get("documents") if isinstance(interne, dict) else None
    own += [DocumentConvention(x["titre"], x.get("fichier"), x.get("url"), False) for x in hidden or []]
    return tuple(own)


def build_meta(raw: dict[str, Any]) -> Meta:
    dep, editeur, licence, contact = raw["departement"], raw["editeur"], raw["licence"], raw["contact"]
    depot, site, carte = raw.get("depot") or {}, raw.get("site") or {}, raw.get("carte") or {}
    geo, seuils = raw.get("geocodage") or {}, raw.get("seuils") or {}
    return Meta(
        titre=raw["titre"], departement_code=dep["code"], departement_nom=dep["nom"],
        editeur=editeur["nom"], licence_id=licence["id"], licence_titre=licence["titre"],
        licence_url=licence["url"], contact_courriel=contact["courriel"], fictif=bool(raw.get("fictif")),
        description=raw.get("description"), editeur_site=editeur.get("site_web"),
        contact_telephone=contact.get("telephone"), dpo_courriel=contact.get("delegue_protection_donnees"),
        depot_url=depot.get("url"), depot_branche=depot.get("branche", "main"), site_url=site.get("url"),
        tuiles=carte.get("tuiles"), tuiles_attribution=carte.get("attribution"),
        zoom_max=int(carte.get("zoom_max", 18)), score_minimum=float(geo.get("score_minimum", 0.5)),
        user_agent=geo.get("user_agent"), verification_mois=int(seuils.get("verification_mois", 12)),
        echeance_jours=int(seuils.get("echeance_jours", 90)),
        distances_km=tuple(sorted((k, float(v)) for k, v in (seuils.get("distances_km") or {}).items())),
        anciennes_communes=tuple((a["nom"], a["code_insee"], a.get("code_postal", ""))
                                 for a in dep.get("anciennes_communes") or ()),
    )


class _Builder:
    def __init__(self, loaded: LoadedRegistry, resolver: Resolver, territory_of: dict[str, str],
                 departement: list[str], parts: dict[tuple[str, str], dict[str, Any]] | None = None) -> None:
        self.loaded = loaded
        self.resolver = resolver
        self.territory_of = territory_of
        self.departement = departement
        self.parts = parts or {}  # (kind, id) -> the internal section given by the internal registry
        self.problems: list[Problem] = []

    def interne_of(self, r: RawRecord) -> Any:
        """The internal section of a record: from its internal part, else its own (internal-only records)."""
        part = self.parts.get((r.kind, r.id))
        return part if part is not None else r.data.get(PART_KEY)

    def lieux(self, record: RawRecord) -> tuple[Lieu, ...]:
        places = []
        for index, raw in enumerate(record.data["lieux"], start=1):
            position, warning = self.resolver(raw)
            # Withdrawn records are published nowhere; candidates are prospects, placed at their commune.
            if warning and record.data.get("statut") not in statuses.WITHDRAWN | statuses.CANDIDATE:
                where = ("lieux", index - 1, "adresse")
                line, column = record.locate(where)
                self.problems.append(warning.at(record.file, line, column, ".".join(map(str, where))))
            places.append(Lieu(
                numero=index, adresse=raw["adresse"], code_postal=raw["code_postal"], commune=raw["commune"],
                code_insee=raw["code_insee"], position=position,
                territoire=self.territory_of.get(raw["code_insee"]), nom=raw.get("nom"),
                complement_adresse=raw.get("complement_adresse"), telephone=raw.get("telephone"),
                courriel=raw.get("courriel"), rendez_vous=raw.get("rendez_vous"), horaires=raw.get("horaires"),
                accessible_pmr=raw.get("accessible_pmr"),
            ))
        return tuple(places)

    def professionnel(self, r: RawRecord) -> Professionnel:
        d = r.data
        conv = d.get("conventionnement")
        sp = d.get("sante_protegee")
        np_ = d.get("nouveaux_patients")
        return Professionnel(
            id=r.id, nom=d["nom"], prenom=d["prenom"], profession=d["profession"], lieux=self.lieux(r),
            statut=d["statut"], verifie_le=date.fromisoformat(d["verifie_le"]), source=d["source"],
            specialites=_t(d.get("specialites")), rpps=d.get("rpps"), adeli=d.get("adeli"), ages=_ages(d.get("ages")),
            modalites=_t(d.get("modalites")), langues=_t(d.get("langues")),
            conventionnement=Conventionnement(conv["secteur"], conv.get("optam"), conv.get("tiers_payant"))
            if conv else None,
            sante_protegee=SanteProtegee(sp["role"], _d(sp.get("depuis")), _d(sp.get("formation_le")))
            if sp else None,
            nouveaux_patients=NouveauxPatients(np_["accepte"], date.fromisoformat(np_["date_information"]),
                                               np_.get("delai_semaines")) if np_ else None,
            description=d.get("description"), site_web=d.get("site_web"), temporaire=_temporaire(d.get("temporaire")),
            interne=_interne(self.interne_of(r)),
        )

    def secteur(self, raw: Any) -> Secteur | None:
        if not isinstance(raw, dict):
            return None
        communes = set(_t(raw.get("communes")))
        territoires = _t(raw.get("territoires"))
        wanted = set(territoires)
        communes |= {insee for insee, t in self.territory_of.items() if t in wanted}
        whole = bool(raw.get("departement_entier"))
        if whole:
            communes |= set(self.departement)
        return Secteur(tuple(sorted(communes)), territoires, whole)

    def structure(self, r: RawRecord) -> Structure:
        d = r.data
        g = d.get("gestionnaire")
        orientation = d.get("orientation") or {}
        admission = d.get("admission") or {}
        delai = d.get("delai_attente") or {}
        frais = d.get("frais") or {}
        return Structure(
            id=r.id, nom=d["nom"], categorie=d["categorie"], lieux=self.lieux(r), statut=d["statut"],
            verifie_le=date.fromisoformat(d["verifie_le"]), source=d["source"], sigle=d.get("sigle"),
            finess=d.get("finess"), siret=d.get("siret"),
            gestionnaire=Gestionnaire(g["nom"], g.get("finess"), g.get("siret")) if g else None,
            structure_parente=d.get("structure_parente"), description=d.get("description"),
            site_web=d.get("site_web"), secteur=self.secteur(d.get("secteur")), ages=_ages(d.get("ages")),
            conditions_acces=d.get("conditions_acces"), orientation_requise=orientation.get("requise"),
            orientation_par=_t(orientation.get("par")), orientation_precisions=orientation.get("precisions"),
            admission_procedure=admission.get("procedure"), admission_documents=_t(admission.get("documents")),
            delai_attente_semaines=delai.get("semaines"), delai_attente_date=_d(delai.get("date_information")),
            frais=frais.get("type"), frais_precisions=frais.get("precisions"),
            temporaire=_temporaire(d.get("temporaire")), interne=_interne(self.interne_of(r)),
        )

    def convention(self, r: RawRecord) -> Convention:
        d = r.data
        dates = d.get("dates") or {}
        public = d.get("public") or {}
        renewal = d.get("reconduction") or {}
        return Convention(
            id=r.id, intitule=d["intitule"], objet=d["objet"], type=d["type"],
            parties=tuple(Partie(p["role"], p.get("professionnel"), p.get("structure"), p.get("organisme"))
                          for p in d["parties"]),
            statut=d["statut"], services=_t(d.get("services")), territoires=_t(d.get("territoires")),
            public_ages=_ages(public.get("ages")), public_description=public.get("description"),
            enfants_prevus=d.get("enfants_prevus"),
            financements=tuple(
                Financement(f["financeur"], f["mode"], f.get("financeur_precision"),
                            float(f["montant"]) if f.get("montant") is not None else None, f.get("unite"))
                for f in d.get("financements") or []
            ),
            signature=_d(dates.get("signature")), effet=_d(dates.get("effet")), fin=_d(dates.get("fin")),
            reconduction=renewal.get("type"), preavis_mois=renewal.get("preavis_mois"),
            documents=_documents(d, self.interne_of(r)), interne=_interne(self.interne_of(r)),
        )


def _terms(loaded: LoadedRegistry) -> dict[str, dict[str, Term]]:
    out: dict[str, dict[str, Term]] = {}
    for name, vocab in loaded.vocabularies.items():
        out[name] = {
            tid: Term(tid, str(t.get("libelle", tid)), t.get("pluriel"),
                      t.get("code_rpps") or t.get("code_finess") or t.get("code"),
                      tuple(str(x) for x in t.get("synonymes") or ()))
            for tid, t in sorted(vocab.terms.items())
        }
    return out


def default_resolver(root: Path, gazetteer: Gazetteer, internal: Path | None = None) -> Resolver:
    """Places from the geocoding cache of ``root`` (and of the internal registry ``internal``, which
    holds the addresses of the internal-only records), else the commune centroid."""
    from maillage.geocoding.cache import GeoCache
    from maillage.geocoding.resolve import resolve_location

    cache = GeoCache.load(root / "geocodage.csv")
    if internal is not None and (internal / "geocodage.csv").is_file():
        cache = GeoCache([*GeoCache.load(internal / "geocodage.csv"), *cache])  # a public row wins

    def resolve(lieu: dict[str, Any]) -> tuple[Position, Finding | None]:
        point = resolve_location(lieu, cache, gazetteer)
        return (Position(point.latitude, point.longitude, point.precision, point.provider, point.licence,
                         point.attribution), point.warning)

    return resolve


@dataclass(frozen=True, slots=True)
class Assembly:
    """The full (internal) model, and the problems met while building it (places not geocoded)."""

    model: Model
    problems: list[Problem]


def assemble(loaded: LoadedRegistry, today: date | None = None, resolver: Resolver | None = None,
             internal: InternalRegistry | None = None) -> Assembly:
    """Build the model of a loaded registry that has no errors (merged with the internal registry
    ``internal``, validated with it, when given).

    The internal registry adds the internal section of public records (its internal parts) and
    its own records. Candidates (``statut: candidat``) are kept apart (:attr:`Model.candidates`).
    Without ``resolver``, places are resolved from the registries' geocoding caches; a damaged
    cache raises :class:`~maillage.geocoding.cache.CacheError`.
    """
    gazetteer = Gazetteer.load()
    meta = build_meta(loaded.meta)
    territory_of = {
        insee: tid
        for tid, term in sorted(loaded.vocabularies["territoires"].terms.items())
        for insee in term.get("communes") or []
    }
    departement = [c.code_insee for c in gazetteer.in_departement(meta.departement_code)]
    if resolver is None:
        resolver = default_resolver(loaded.root, gazetteer, internal.root if internal is not None else None)
    parts = {(p.kind, p.id): p.data[PART_KEY] for p in internal.parts} if internal is not None else {}
    builder = _Builder(loaded, resolver, territory_of, departement, parts)
    by_kind: dict[str, list[Any]] = {"professionnel": [], "structure": [], "convention": []}
    candidates: list[Professionnel | Structure] = []
    records = [*loaded.records, *(internal.records if internal is not None else ())]
    for record in sorted(records, key=lambda r: (r.kind, r.id)):
        built = getattr(builder, record.kind)(record)
        if record.kind != "convention" and built.statut in statuses.CANDIDATE:
            candidates.append(built)
        else:
            by_kind[record.kind].append(built)
    model = Model(
        meta=meta, today=today or clock.today(), audience="interne", vocabularies=_terms(loaded),
        professionnels=tuple(by_kind["professionnel"]), structures=tuple(by_kind["structure"]),
        conventions=tuple(by_kind["convention"]), territory_of=territory_of, candidates=tuple(candidates),
    )
    return Assembly(model, builder.problems)


def model_from(result: ValidationResult, today: date | None = None,
               resolver: Resolver | None = None) -> Model:
    """Build the full (internal) model from a validation result without errors (its warnings dropped:
    :func:`maillage.pipeline.run` reports them)."""
    from maillage.geocoding.cache import CacheError

    if result.errors:
        raise InvalidRegistry(result)
    try:
        return assemble(result.registry, today, resolver, result.internal).model
    except CacheError as exc:  # a damaged cache (e.g. a merge conflict) is an error of the registry
        raise InvalidRegistry(ValidationResult(result.registry, [exc.problem])) from None
