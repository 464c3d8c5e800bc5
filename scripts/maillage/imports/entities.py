"""What a reader yields, whatever the national file: entries with their places.

A reader (FINESS extraction, RPPS extraction, tomorrow the FiNESS+ JSON feed) implements
:class:`Reader`: it streams its file(s) and returns an :class:`Extract` holding every
:class:`Entry` the :class:`Selection` asks for — those of the registry's département, in
scope, and those whose identifier the registry already knows, wherever they are now (a
practice that moved away is reported, not silently dropped).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, Protocol

Source = Literal["finess", "rpps"]
KindName = Literal["structure", "professionnel"]

# Register-owned fields of a place (the rest of a place belongs to people).
PLACE_FIELDS: tuple[str, ...] = ("adresse", "complement_adresse", "code_postal", "commune", "code_insee",
                                 "telephone")


@dataclass(frozen=True, slots=True)
class Place:
    """A site as the register describes it, normalised (see :mod:`maillage.imports.normalise`)."""

    key: str  # the site's identity in the register (FINESS ET, RPPS site identifier, or address)
    adresse: str
    code_postal: str
    commune: str
    code_insee: str
    departement: str
    complement_adresse: str | None = None
    telephone: str | None = None
    nom: str | None = None  # the site's name (set when a place is created, then owned by people)
    longitude: float | None = None  # FINESS cross-check only (BAN geocoding stays the source)
    latitude: float | None = None
    precision: str | None = None  # FINESS: how the coordinates were obtained

    def value(self, name: str) -> str | None:
        return getattr(self, name)  # type: ignore[no-any-return]

    def as_lieu(self) -> dict[str, str]:
        """The place as a new « lieux » item, keys in schema order."""
        lieu: dict[str, str] = {}
        if self.nom:
            lieu["nom"] = self.nom
        for name in PLACE_FIELDS:
            value = self.value(name)
            if value:
                lieu[name] = value
        return lieu


@dataclass(frozen=True, slots=True)
class Entry:
    """One establishment or one professional, as the register describes it."""

    source: Source
    kind: KindName
    scheme: str  # the record field holding its identifier: "finess", "rpps" or "adeli"
    identifier: str
    term: str | None  # its vocabulary term (profession or category); None: not mappable
    fields: dict[str, str]  # register-owned top-level fields (identity, identifiers)
    places: tuple[Place, ...]  # every place, in every département
    label: str  # French, for messages: "Centre médico-psychologique de Périers"
    creation: dict[str, str] = field(default_factory=dict)  # set once on a new record (sigle)
    facts: dict[str, str] = field(default_factory=dict)  # kept in the snapshot only (official codes)

    def places_in(self, departement: str) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.departement == departement)


@dataclass(frozen=True, slots=True)
class Selection:
    """What a reader keeps: the département's entries in scope, and every known identifier."""

    departement: str  # "50", "2A", "974"
    known: frozenset[str]  # identifiers already in the registries (any scheme)
    terms: frozenset[str]  # vocabulary terms in scope


@dataclass(slots=True)
class Extract:
    """What a reader returns: the entries kept, the extraction date, counts for the report."""

    source: Source
    date: str | None  # AAAA-MM-JJ, when the file says it
    entries: list[Entry]
    files: list[str]  # the files read, as displayed
    counts: Counter[str] = field(default_factory=Counter)  # French labels → numbers
    warnings: list[str] = field(default_factory=list)
    known_seen: set[str] = field(default_factory=set)  # known identifiers found anywhere in the file


class Reader(Protocol):
    """A national register's reader."""

    source: Source

    def read(self, selection: Selection) -> Extract: ...
