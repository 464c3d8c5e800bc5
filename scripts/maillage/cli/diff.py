"""``maillage diff BASE [HEAD]``: record-level changes between two git revisions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from maillage.history.recorddiff import GitError, as_json, as_markdown, diff_revisions


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("diff", help="fiches ajoutées, modifiées, renommées ou supprimées entre deux révisions",
                            description="Compare les fiches du registre entre deux révisions git.")
    parser.add_argument("base", metavar="BASE", help="révision de départ (par exemple origin/main)")
    parser.add_argument("head", metavar="HEAD", nargs="?", default="HEAD", help="révision d'arrivée (HEAD)")
    parser.add_argument("--registry", default="registry", metavar="DOSSIER",
                        help="dossier du registre dans le dépôt (par défaut : registry)")
    parser.add_argument("--repo", type=Path, default=Path("."), metavar="DÉPÔT", help="dépôt git (dossier courant)")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        changes = diff_revisions(args.repo, args.base, args.head, args.registry.strip("/"))
    except GitError as exc:
        print(f"maillage diff : {exc}", file=sys.stderr)
        return 2
    print(as_json(changes, args.base, args.head) if args.format == "json"
          else as_markdown(changes, args.base, args.head))
    return 0
