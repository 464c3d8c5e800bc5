"""The date Maillage considers "today".

Everything that depends on the current date (statuses, deadlines, freshness) reads
it from here, so tests and reproducible builds can pin it: ``MAILLAGE_TODAY``
(AAAA-MM-JJ) wins, then ``SOURCE_DATE_EPOCH`` (the reproducible-builds
convention), then the system clock.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


class ClockError(ValueError):
    pass


def today() -> date:
    pinned = os.environ.get("MAILLAGE_TODAY")
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise ClockError(f"MAILLAGE_TODAY doit être une date AAAA-MM-JJ, pas « {pinned} ».") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except ValueError:
            raise ClockError(f"SOURCE_DATE_EPOCH doit être un nombre de secondes, pas « {epoch} ».") from None
    return date.today()
