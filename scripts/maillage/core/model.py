"""The typed, immutable model every output reads (exports, site, reports).

Outputs never read raw YAML: they read these objects, built by
:mod:`maillage.modelbuild` from a validated registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from maillage.core.statuses import AVAILABLE_RECORD, DRAFT, HIDDEN_FROM_PUBLIC, WITHDRAWN

Audience = Literal["public", "interne"]
AUDIENCES: tuple[Audience, ...] = ("public", "interne")



@dataclass(frozen=True, slots=True)
class Position:
    latitude: float
    longitude: float
    precision: str  # numero | rue | lieu-dit | commune | manuel
    provider: str  # ban | nominatim | gazetteer | manuel
    licence: str = ""
    attribution: str = ""  # credit owed for the coordinates (OpenStreetMap contributors for Nominatim)


@dataclass(frozen=True, slots=True)
class Ages:
    min: int
    max: int

    def includes(self, age: int) -> bool:
        return self.min <= age <= self.max


@dataclass(frozen=True, slots=True)
class Interne:
    telephone: str | None = None
    courriel: str | None = None
    contact: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Lieu:
    numero: int  # 1-based rank of the place in its record
    adresse: str
    code_postal: str
    commune: str
    code_insee: str
    position: Position
    territoire: str | None = None
    nom: str | None = None
    complement_adresse: str | None = None
    telephone: str | None = None
    courriel: str | None = None
    rendez_vous: str | None = None
    horaires: str | None = None
    accessible_pmr: bool | None = None

    def id(self, record_id: str) -> str:
        return f"{record_id}-{self.numero}"

    def adresse_complete(self) -> str:
        parts = [self.adresse]
        if self.complement_adresse:
            parts.append(self.complement_adresse)
        parts.append(f"{self.code_postal} {self.commune}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Temporaire:
    """Dated temporary information (a closure, an absence, other hours), shown only from ``du`` to ``au``."""

    du: date
    au: date
    message: str
    horaires: str | None = None

    def current(self, today: date) -> bool:
        return self.du <= today <= self.au


@dataclass(frozen=True, slots=True)
class NouveauxPatients:
    accepte: str  # oui | liste-attente | non
    date_information: date
    delai_semaines: int | None = None


@dataclass(frozen=True, slots=True)
class SanteProtegee:
    role: str
    depuis: date | None = None
    formation_le: date | None = None


@dataclass(frozen=True, slots=True)
class Conventionnement:
    secteur: str
    optam: bool | None = None
    tiers_payant: bool | None = None


@dataclass(frozen=True, slots=True)
class Professionnel:
    id: str
    nom: str
    prenom: str
    profession: str
    lieux: tuple[Lieu, ...]
    statut: str
    verifie_le: date
    source: str
    specialites: tuple[str, ...] = ()
    rpps: str | None = None
    adeli: str | None = None
    ages: Ages | None = None
    modalites: tuple[str, ...] = ()
    langues: tuple[str, ...] = ()
    conventionnement: Conventionnement | None = None
    sante_protegee: SanteProtegee | None = None
    nouveaux_patients: NouveauxPatients | None = None
    description: str | None = None
    site_web: str | None = None
    temporaire: tuple[Temporaire, ...] = ()
    interne: Interne | None = None
    kind: Literal["professionnel"] = "professionnel"

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}"

    @property
    def new_patients(self) -> NouveauxPatients | None:
        """What the record says about new patients, only while the professional receives patients
        (a professional « temporairement indisponible » or whose activity stopped takes nobody new)."""
        return self.nouveaux_patients if self.statut in AVAILABLE_RECORD else None

    @property
    def takes_new_patients(self) -> bool:
        return self.new_patients is not None and self.new_patients.accepte == "oui"

    @property
    def titre(self) -> str:
        return self.nom_complet


@dataclass(frozen=True, slots=True)
class Gestionnaire:
    nom: str
    finess: str | None = None
    siret: str | None = None


@dataclass(frozen=True, slots=True)
class Secteur:
    communes: tuple[str, ...]  # every INSEE code covered, territories and whole département expanded
    territoires: tuple[str, ...] = ()
    departement_entier: bool = False


@dataclass(frozen=True, slots=True)
class Structure:
    id: str
    nom: str
    categorie: str
    lieux: tuple[Lieu, ...]
    statut: str
    verifie_le: date
    source: str
    sigle: str | None = None
    finess: str | None = None
    siret: str | None = None
    gestionnaire: Gestionnaire | None = None
    structure_parente: str | None = None
    description: str | None = None
    site_web: str | None = None
    secteur: Secteur | None = None
    ages: Ages | None = None
    conditions_acces: str | None = None
    orientation_requise: bool | None = None
    orientation_par: tuple[str, ...] = ()
    orientation_precisions: str | None = None
    admission_procedure: str | None = None
    admission_documents: tuple[str, ...] = ()
    delai_attente_semaines: int | None = None
    delai_attente_date: date | None = None
    frais: str | None = None
    frais_precisions: str | None = None
    temporaire: tuple[Temporaire, ...] = ()
    interne: Interne | None = None
    kind: Literal["structure"] = "structure"

    @property
    def titre(self) -> str:
        return self.nom


@dataclass(frozen=True, slots=True)
class Partie:
    role: str
    professionnel: str | None = None
    structure: str | None = None
    organisme: str | None = None

    @property
    def ref(self) -> str | None:
        return self.professionnel or self.structure


@dataclass(frozen=True, slots=True)
class Financement:
    financeur: str
    mode: str
    financeur_precision: str | None = None
    montant: float | None = None
    unite: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentConvention:
    titre: str
    fichier: str | None = None
    url: str | None = None
    public: bool = False


@dataclass(frozen=True, slots=True)
class Convention:
    id: str
    intitule: str
    objet: str
    type: str
    parties: tuple[Partie, ...]
    statut: str
    services: tuple[str, ...] = ()
    territoires: tuple[str, ...] = ()
    public_ages: Ages | None = None
    public_description: str | None = None
    enfants_prevus: int | None = None
    financements: tuple[Financement, ...] = ()
    signature: date | None = None
    effet: date | None = None
    fin: date | None = None
    reconduction: str | None = None
    preavis_mois: int | None = None
    documents: tuple[DocumentConvention, ...] = ()
    interne: Interne | None = None
    kind: Literal["convention"] = "convention"

    @property
    def titre(self) -> str:
        return self.intitule

    @property
    def date_preavis(self) -> date | None:
        """Last day to give notice before the end date, when a notice period applies."""
        if self.fin is None or not self.preavis_mois:
            return None
        return add_months(self.fin, -self.preavis_mois)


Record = Professionnel | Structure | Convention


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    libelle: str
    pluriel: str | None = None
    code: str | None = None
    synonymes: tuple[str, ...] = ()  # other ways staff say it (the directory's search understands them)


@dataclass(frozen=True, slots=True)
class Meta:
    titre: str
    departement_code: str
    departement_nom: str
    editeur: str
    licence_id: str
    licence_titre: str
    licence_url: str
    contact_courriel: str
    fictif: bool = False
    description: str | None = None
    editeur_site: str | None = None
    contact_telephone: str | None = None
    dpo_courriel: str | None = None
    depot_url: str | None = None
    depot_branche: str = "main"
    site_url: str | None = None
    tuiles: str | None = None
    tuiles_attribution: str | None = None
    zoom_max: int = 18
    score_minimum: float = 0.5
    user_agent: str | None = None
    verification_mois: int = 12
    echeance_jours: int = 90
    distances_km: tuple[tuple[str, float], ...] = ()
    # Former communes and everyday names the gazetteer lacks: (name, INSEE of today's commune, postal code or "").
    anciennes_communes: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Model:
    meta: Meta
    today: date
    audience: Audience
    vocabularies: dict[str, dict[str, Term]]
    professionnels: tuple[Professionnel, ...]
    structures: tuple[Structure, ...]
    conventions: tuple[Convention, ...]
    territory_of: dict[str, str] = field(default_factory=dict)  # INSEE code -> territory id
    # Records found by an import and not yet reviewed (``statut: candidat``, internal registry only):
    # prospects, not partners — never in ``professionnels``/``structures``, empty for the public.
    candidates: tuple[Professionnel | Structure, ...] = ()

    def label(self, vocabulary: str, term: str | None) -> str:
        if term is None:
            return ""
        entry = self.vocabularies.get(vocabulary, {}).get(term)
        return entry.libelle if entry else term

    def of_kind(self, folder: str) -> tuple[Record, ...]:
        """The records of one kind, by its folder (``professionnels``…: the attribute of the same name)."""
        return getattr(self, folder)  # type: ignore[no-any-return]

    def records(self) -> tuple[Record, ...]:
        return (*self.professionnels, *self.structures, *self.conventions)

    def by_id(self) -> dict[str, Record]:
        return {r.id: r for r in self.records()}

    def view(self, audience: Audience) -> Model:
        """The model as one audience may see it. Internal sections never reach ``public``."""
        hidden = WITHDRAWN if audience == "interne" else HIDDEN_FROM_PUBLIC
        visible_ids = {r.id for r in (*self.professionnels, *self.structures) if r.statut not in hidden}
        public = audience == "public"

        def person(p: Professionnel) -> Professionnel:
            return replace(p, interne=None) if public else p

        def place(s: Structure) -> Structure:
            parent = s.structure_parente if s.structure_parente in visible_ids else None
            return replace(s, interne=None if public else s.interne, structure_parente=parent)

        def agreement(c: Convention) -> Convention:
            parties = tuple(_hide_party(p, visible_ids) for p in c.parties)
            if not public:
                return replace(c, parties=parties)
            return replace(c, interne=None, parties=parties, documents=tuple(d for d in c.documents if d.public))

        excluded = WITHDRAWN | (DRAFT if public else frozenset())
        return replace(
            self, audience=audience, candidates=() if public else self.candidates,
            professionnels=tuple(person(p) for p in self.professionnels if p.id in visible_ids),
            structures=tuple(place(s) for s in self.structures if s.id in visible_ids),
            conventions=tuple(agreement(c) for c in self.conventions if c.statut not in excluded),
        )


def _hide_party(party: Partie, visible_ids: set[str]) -> Partie:
    """A party whose record is hidden stays a party, but loses its name and link."""
    if party.ref is None or party.ref in visible_ids:
        return party
    return Partie(role=party.role, organisme="Partenaire dont la fiche n'est pas publiée")


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover
