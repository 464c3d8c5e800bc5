"""The statuses of records and conventions, declared once with their French label and meanings.

Every page, export, report and rule asks a *meaning* (« is this convention in force? »),
never a list of status values of its own. The named sets below are derived from the
tables, so a new status is one line here.

Record statuses (professionals and structures):

* ``actif`` — listed and available (counted in coverage, shown everywhere);
* ``inactif`` — listed, temporarily unavailable;
* ``cesse`` — activity stopped: internal outputs only;
* ``retire`` — withdrawn (GDPR objection, error): in no output at all;
* ``candidat`` — found in a national register by ``maillage import``, not yet checked by a
  person: it lives only in the internal registry (internal outputs), until
  ``maillage candidates accept`` makes it ``actif`` in the public registry.

Convention statuses:

* drafts (``projet``, ``en-negociation``): internal working documents, never public;
* signed (``signee``, ``active``, ``suspendue``, ``expiree``, ``resiliee``);
* **in force**: ``active`` only (« en vigueur »);
* **running** (still binds someone, its deadlines matter): ``signee``, ``active``, ``suspendue``;
* **committed** (its amounts are counted): ``signee``, ``active`` (a suspended convention
  pays nothing while suspended);
* **ended**: ``expiree``, ``resiliee``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Status:
    id: str
    label: str  # French, as shown on a badge
    meanings: frozenset[str]


def _status(id_: str, label: str, *meanings: str) -> Status:
    return Status(id_, label, frozenset(meanings))


# Meanings of a record status.
LISTED = "listed"  # shown to the public audience
AVAILABLE = "available"  # counted as an active resource (coverage, directory « actif »)
INTERNAL_ONLY = "internal-only"  # shown to the internal audience only
WITHDRAWN_ = "withdrawn"  # shown to nobody
CANDIDATE_ = "candidate"  # imported, not yet reviewed: internal registry only

RECORD_STATUSES: tuple[Status, ...] = (
    _status("actif", "Active", LISTED, AVAILABLE),
    _status("inactif", "Temporairement indisponible", LISTED),
    _status("cesse", "Activité arrêtée", INTERNAL_ONLY),
    _status("retire", "Retirée", WITHDRAWN_),
    _status("candidat", "À examiner (importée)", INTERNAL_ONLY, CANDIDATE_),
)

# Meanings of a convention status.
DRAFT_ = "draft"
SIGNED_ = "signed"
IN_FORCE_ = "in-force"
RUNNING_ = "running"
COMMITTED_ = "committed"
ENDED_ = "ended"

CONVENTION_STATUSES: tuple[Status, ...] = (
    _status("projet", "Projet", DRAFT_),
    _status("en-negociation", "En négociation", DRAFT_),
    _status("signee", "Signée", SIGNED_, RUNNING_, COMMITTED_),
    _status("active", "En vigueur", SIGNED_, IN_FORCE_, RUNNING_, COMMITTED_),
    _status("suspendue", "Suspendue", SIGNED_, RUNNING_),
    _status("expiree", "Expirée", SIGNED_, ENDED_),
    _status("resiliee", "Résiliée", SIGNED_, ENDED_),
)


def _with(statuses: tuple[Status, ...], meaning: str) -> frozenset[str]:
    return frozenset(s.id for s in statuses if meaning in s.meanings)


# -- records
RECORD_LABELS: dict[str, str] = {s.id: s.label for s in RECORD_STATUSES}
LISTED_PUBLICLY = _with(RECORD_STATUSES, LISTED)  # actif, inactif
AVAILABLE_RECORD = _with(RECORD_STATUSES, AVAILABLE)  # actif
WITHDRAWN = _with(RECORD_STATUSES, WITHDRAWN_)  # retire
CANDIDATE = _with(RECORD_STATUSES, CANDIDATE_)  # candidat
HIDDEN_FROM_PUBLIC = frozenset(RECORD_LABELS) - LISTED_PUBLICLY  # cesse, retire, candidat

# -- conventions
CONVENTION_LABELS: dict[str, str] = {s.id: s.label for s in CONVENTION_STATUSES}
DRAFT = _with(CONVENTION_STATUSES, DRAFT_)  # projet, en-negociation: never public
SIGNED = _with(CONVENTION_STATUSES, SIGNED_)
IN_FORCE = _with(CONVENTION_STATUSES, IN_FORCE_)  # active
RUNNING = _with(CONVENTION_STATUSES, RUNNING_)  # signee, active, suspendue
COMMITTED = _with(CONVENTION_STATUSES, COMMITTED_)  # signee, active
ENDED = _with(CONVENTION_STATUSES, ENDED_)  # expiree, resiliee


def is_listed(statut: str, audience: str) -> bool:
    """Whether a professional or structure with this status appears in outputs for ``audience``."""
    if statut in WITHDRAWN:
        return False
    return audience != "public" or statut in LISTED_PUBLICLY


def is_available(statut: str) -> bool:
    return statut in AVAILABLE_RECORD


def convention_is_public(statut: str) -> bool:
    return statut not in DRAFT


def in_force(statut: str) -> bool:
    """« En vigueur »: the one definition used by the home page, /conventions/, /pilotage/ and reports."""
    return statut in IN_FORCE


def running(statut: str) -> bool:
    """Still binds someone: its end and notice dates are deadlines to watch."""
    return statut in RUNNING


def committed(statut: str) -> bool:
    """Its financing lines count in the amounts per financer."""
    return statut in COMMITTED
