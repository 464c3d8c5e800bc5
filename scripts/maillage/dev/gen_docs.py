"""Regenerate the files derived from the code and the vocabularies.

    python -m maillage.dev.gen_docs           # write them
    python -m maillage.dev.gen_docs --check   # exit 1 if a committed file is stale

Derived files: the catalogue of validation messages (docs/contribuer/messages.md)
and the GitHub issue forms (.github/ISSUE_TEMPLATE/), fed by the vocabularies.
"""

from __future__ import annotations

import sys
from pathlib import Path

from maillage.dev.catalogue_doc import catalogue_markdown
from maillage.editing.forms import generated_files

REPO = Path(__file__).resolve().parents[3]


def expected_files() -> dict[Path, str]:
    files = {REPO / "docs" / "contribuer" / "messages.md": catalogue_markdown()}
    files.update(generated_files(REPO))
    return files


def main(check: bool = False) -> int:
    stale = []
    for path, text in expected_files().items():
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
