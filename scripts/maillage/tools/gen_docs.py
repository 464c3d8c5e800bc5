"""Regenerate the documentation files derived from the code: ``python -m maillage.tools.gen_docs``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..catalogue_doc import catalogue_markdown

REPO = Path(__file__).resolve().parents[3]
GENERATED = {REPO / "docs" / "validation.md": catalogue_markdown}


def main(check: bool = False) -> int:
    stale = []
    for path, produce in GENERATED.items():
        text = produce()
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(("à régénérer : " if check else "écrit : ") + str(path.relative_to(REPO)))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv))
