"""Named stages where the atomicity tests kill a command, instead of a random delay.

``MAILLAGE_TEST_KILL_AT=<stage>`` (or ``<stage>:<n>``, the n-th time it is reached) makes
the process kill itself with SIGKILL when that stage is reached, as ``kill -9`` would:
no cleanup, no ``finally``. Nothing else reads this variable; unset (always, outside the
tests), :func:`reached` only compares a string. ``tests/test_atomicity.py`` kills every
command at every stage listed in :data:`STAGES` and checks what was published.
"""

from __future__ import annotations

import os
import signal
import sys

ENV = "MAILLAGE_TEST_KILL_AT"

STAGES: dict[str, str] = {
    # maillage build
    "construction-valide": "registre vérifié, rien d'écrit",
    "construction-modele": "modèle construit, MkDocs pas encore lancé",
    "construction-pages": "pages rédigées et de sommaire écrites par MkDocs",
    "construction-fiches": "la moitié des pages de fiches écrites",
    "construction-donnees": "données ouvertes écrites dans le dossier de construction",
    "construction-avant-echange": "site complet, juste avant l'échange",
    "construction-echange": "site échangé, restes pas encore supprimés",
    # maillage export
    "export-partiel": "deux fichiers écrits sur plusieurs",
    "export-ecrit": "tous les fichiers écrits, juste avant l'échange",
    "export-echange": "export échangé, restes pas encore supprimés",
    # maillage geocode
    "geocodage-reponses": "une réponse reçue et notée (:n : la n-ième), cache peut-être enregistré entre-temps",
    "geocodage-ecriture": "fichier temporaire du cache à moitié écrit",
    "geocodage-enregistre": "cache enregistré (point d'étape ou fin), restes pas encore supprimés",
}

_counts: dict[str, int] = {}


def reached(stage: str) -> None:
    """Kill this process now if the tests asked for it at ``stage`` (see the module doc)."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != stage:
        return
    _counts[stage] = _counts.get(stage, 0) + 1
    if _counts[stage] < (int(nth) if nth.isdigit() else 1):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)
