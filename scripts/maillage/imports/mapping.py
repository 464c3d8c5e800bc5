"""Official codes → vocabulary terms, as the vocabularies declare them.

* FINESS category (``categetab``) → structure category: ``code_finess`` of ``categories.yaml``.
* RPPS « Code profession » → profession: ``code_rpps`` (nomenclature TRE_G15) or
  ``code_usager_titre`` (TRE_R95, the « usagers de titre »: psychologists "93",
  psychotherapists "72", osteopaths "71") of ``professions.yaml``.
* When several professions share a code (every physician is "10"; nurses and paediatric
  nurses are "60"), the person's savoir-faire codes decide (``codes_savoir_faire``): the
  ordinal specialty (SM…, SI…, SCD…) first, then a complementary qualification (DESC
  DSM…, right to practise DEC…), then a competence (C…, CEX…, CAPA…); between two terms
  of the same rank, the one listed last in the vocabulary (the more specific: neuropédiatre
  after pédiatre). With no savoir-faire that decides, the one term of that code without
  ``codes_savoir_faire`` is the default (infirmier); when there is none (physicians), the
  person is not mapped and not imported.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from maillage.core.kinds import PROFESSIONNEL, STRUCTURE


def _rank(code: str) -> int:
    """How much a savoir-faire code says about the profession: 0 ordinal specialty, 1 DESC/right, 2 other."""
    if code.startswith(("SM", "SI", "SCD")):
        return 0
    if code.startswith(("DSM", "DEC")):
        return 1
    return 2


@dataclass(frozen=True, slots=True)
class CategoryMap:
    by_code: dict[str, str]  # FINESS category code → category term
    labels: dict[str, str]

    @classmethod
    def from_vocabulary(cls, terms: Mapping[str, Mapping[str, Any]]) -> CategoryMap:
        by_code: dict[str, str] = {}
        for term_id, term in terms.items():
            code = term.get("code_finess")
            if isinstance(code, str):
                by_code.setdefault(code, term_id)
        return cls(by_code, {t: str(v.get("libelle", t)) for t, v in terms.items()})

    @property
    def mappable(self) -> frozenset[str]:
        return frozenset(self.by_code.values())

    def codes_for(self, terms: Iterable[str]) -> frozenset[str]:
        wanted = set(terms)
        return frozenset(code for code, term in self.by_code.items() if term in wanted)

    def term(self, code: str) -> str | None:
        return self.by_code.get(code.strip())


@dataclass(frozen=True, slots=True)
class ProfessionMap:
    by_code: dict[str, tuple[str, ...]]  # profession code → terms sharing it, vocabulary order
    by_savoir_faire: dict[str, str]  # savoir-faire code → term
    order: dict[str, int]  # term → position in the vocabulary
    with_savoir_faire: frozenset[str]  # terms that declare savoir-faire codes
    labels: dict[str, str]

    @classmethod
    def from_vocabulary(cls, terms: Mapping[str, Mapping[str, Any]]) -> ProfessionMap:
        by_code: dict[str, list[str]] = {}
        usager: dict[str, list[str]] = {}
        by_sf: dict[str, str] = {}
        with_sf = set()
        for term_id, term in terms.items():
            if isinstance(term.get("code_rpps"), str):
                by_code.setdefault(term["code_rpps"], []).append(term_id)
            if isinstance(term.get("code_usager_titre"), str):
                usager.setdefault(term["code_usager_titre"], []).append(term_id)
            codes = term.get("codes_savoir_faire")
            if isinstance(codes, list) and codes:
                with_sf.add(term_id)
                for code in codes:
                    by_sf.setdefault(str(code), term_id)
        for code, ids in usager.items():  # TRE_G15 codes win over TRE_R95 ones (none overlap today)
            by_code.setdefault(code, ids)
        return cls({c: tuple(v) for c, v in by_code.items()}, by_sf, {t: i for i, t in enumerate(terms)},
                   frozenset(with_sf), {t: str(v.get("libelle", t)) for t, v in terms.items()})

    @property
    def mappable(self) -> frozenset[str]:
        return frozenset(t for ids in self.by_code.values() for t in ids)

    def codes_for(self, terms: Iterable[str]) -> frozenset[str]:
        wanted = set(terms)
        return frozenset(code for code, ids in self.by_code.items() if wanted & set(ids))

    def needs_savoir_faire(self, code: str) -> bool:
        """Whether the savoir-faire of a person with this profession code can change the term."""
        return any(t in self.with_savoir_faire for t in self.by_code.get(code, ()))

    def term(self, code: str, savoir_faire: Iterable[str] = ()) -> str | None:
        """The profession of a person with this profession code and these savoir-faire codes."""
        ids = self.by_code.get(code.strip())
        if not ids:
            return None
        matches = [(_rank(sf), -self.order[t], t) for sf in savoir_faire
                   if (t := self.by_savoir_faire.get(sf)) is not None and t in ids]
        if matches:
            return min(matches)[2]
        defaults = [t for t in ids if t not in self.with_savoir_faire]
        return defaults[0] if len(defaults) == 1 else None


def _key(text: str) -> str:
    """How a term is compared with what someone typed: no case, no accents, single spaces."""
    bare = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).casefold().split())


@dataclass(frozen=True, slots=True)
class TermNames:
    """The words that name the terms of one or more vocabularies: the id, the label, the plural and the
    ``synonymes`` a vocabulary declares, in any case and with or without accents (« CMP », « cmp »,
    « Centre médico-psychologique »). ``import --categories/--professions`` and
    ``candidates --all-of`` read their terms through it, so they accept and refuse the same words."""

    ids: tuple[str, ...]
    by_key: dict[str, tuple[str, ...]]  # compared word → term ids it names (several: ambiguous)

    @classmethod
    def from_vocabularies(cls, *vocabularies: Mapping[str, Mapping[str, Any]]) -> TermNames:
        ids: list[str] = []
        by_key: dict[str, list[str]] = {}
        for terms in vocabularies:
            for term_id, term in terms.items():
                ids.append(term_id)
                words = [term_id, term.get("libelle"), term.get("pluriel"), *(term.get("synonymes") or ())]
                for word in words:
                    if isinstance(word, str | int) and _key(str(word)):
                        named = by_key.setdefault(_key(str(word)), [])
                        if term_id not in named:
                            named.append(term_id)
        return cls(tuple(ids), {k: tuple(v) for k, v in by_key.items()})

    def find(self, text: str) -> str | None:
        """The term ``text`` names (its id first, then a label, plural or synonym), None if none or several."""
        if text in self.ids:
            return text
        named = self.by_key.get(_key(text), ())
        return named[0] if len(named) == 1 else None

    def hint(self, text: str) -> str:
        """« text », with the likely term(s) meant."""
        named = self.by_key.get(_key(text), ())
        if len(named) > 1:
            return f"« {text} » (plusieurs termes possibles : {', '.join('« ' + t + ' »' for t in named)})"
        close = difflib.get_close_matches(_key(text), list(self.by_key), n=1, cutoff=0.7)
        if close:
            return f"« {text} » (vouliez-vous dire « {self.by_key[close[0]][0]} » ?)"
        return f"« {text} »"

    def resolve(self, words: Iterable[str], option: str) -> list[str]:
        """The term ids of ``words``; ``ValueError`` (French, with suggestions) if one names no single term."""
        found = [(w, self.find(w)) for w in words]
        unknown = [w for w, t in found if t is None]
        if unknown:
            raise ValueError(f"{option} : terme inconnu du vocabulaire : {', '.join(self.hint(w) for w in unknown)}.")
        return list(dict.fromkeys(t for _, t in found if t is not None))


def resolve_scope(requested: str | None, mappable: frozenset[str], names: TermNames,
                  option: str) -> frozenset[str]:
    """The terms of ``--categories``/``--professions`` (all mappable ones by default).

    Raises ``ValueError`` with a French message for an unknown or unmappable term.
    """
    if not requested:
        return mappable
    wanted = names.resolve([t.strip() for t in requested.split(",") if t.strip()], option)
    unmappable = [t for t in wanted if t not in mappable]
    if unmappable:
        raise ValueError(f"{option} : aucun code officiel n'est déclaré pour "
                         f"{', '.join('« ' + t + ' »' for t in unmappable)} dans le vocabulaire : "
                         "le répertoire national ne peut pas les désigner.")
    return frozenset(wanted)


KIND_OF_SOURCE = {"finess": STRUCTURE.name, "rpps": PROFESSIONNEL.name}
