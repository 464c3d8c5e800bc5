"""Whether a geocoder's answer is good enough to be recorded. Pure: no network, no files.

An answer is accepted only if it lies in the location's commune (its ``citycode``
is the record's INSEE code, or its arrondissement / parent), is at least
commune-level, and its score reaches the registry's ``geocodage.score_minimum``
(providers without a score, Nominatim and the gazetteer, skip that last test).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from maillage.core.gazetteer import Gazetteer
from maillage.geocoding.providers import AddressQuery, Candidate

DEFAULT_SCORE_MINIMUM = 0.5


class Verdict(StrEnum):
    ACCEPTED = "acceptée"
    LOW_SCORE = "score trop faible"
    WRONG_COMMUNE = "autre commune"
    NO_RESULT = "aucun résultat"
    TOO_VAGUE = "trop vague"


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    candidate: Candidate | None = None

    @property
    def accepted(self) -> bool:
        return self.verdict is Verdict.ACCEPTED


def same_commune(found: str, expected: str, gazetteer: Gazetteer) -> bool:
    """True when INSEE code ``found`` designates the commune ``expected``.

    The Géoplateforme answers with the arrondissement's code in Paris, Lyon and
    Marseille (75115) where a record holds the city's (75056), or the reverse.
    """
    found, expected = found.strip().upper(), expected.strip().upper()
    if found == expected:
        return True
    return any(c.parent == expected for c in gazetteer.variants(found)) or any(
        c.parent == found for c in gazetteer.variants(expected)
    )


def decide(query: AddressQuery, candidates: Sequence[Candidate], score_minimum: float,
           gazetteer: Gazetteer) -> Decision:
    """Pick the best answer in the right commune, or say why none is acceptable.

    ``candidates`` come best first, as the geocoder ranked them.
    """
    if not candidates:
        return Decision(Verdict.NO_RESULT)
    in_commune = [c for c in candidates
                  if c.citycode and same_commune(c.citycode, query.code_insee, gazetteer)]
    if not in_commune:
        return Decision(Verdict.WRONG_COMMUNE, candidates[0])
    best = in_commune[0]
    if best.precision is None:
        return Decision(Verdict.TOO_VAGUE, best)
    if best.score is not None and best.score < score_minimum:
        return Decision(Verdict.LOW_SCORE, best)
    return Decision(Verdict.ACCEPTED, best)


def commune_label(code: str | None, gazetteer: Gazetteer) -> str | None:
    """"Saint-Lô (50502)" for messages; the bare code when the gazetteer does not know it; None without a code."""
    if not code:
        return None
    commune = gazetteer.commune(code)
    return f"{commune.nom_article} ({code})" if commune else code
