"""``argparse`` in French: help headings, usage line and usage errors.

``argparse`` writes its own words in English (« usage: », « options », « the following
arguments are required »). The parser below words them in French through argparse's
documented extension points (a ``formatter_class``, ``error()``); Maillage's own help
texts are already French.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

HEADINGS = {"positional arguments": "arguments", "options": "options", "optional arguments": "options"}

# argparse's usage errors (Python 3.11–3.13), in the order they are tried.
ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^the following arguments are required: (.*)$", r"il manque : \1"),
    (r"^unrecognized arguments: (.*)$", r"option ou argument inconnu : \1"),
    (r"^argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)$",
     r"valeur « \2 » non prévue pour \1 (choisissez parmi \3)"),
    (r"^argument (\S+): expected one argument$", r"\1 attend une valeur"),
    (r"^argument (\S+): expected at least one argument$", r"\1 attend au moins une valeur"),
    (r"^argument (\S+): invalid (\w+) value: '?([^']*)'?$", r"valeur « \3 » incorrecte pour \1"),
    (r"^argument (\S+): not allowed with argument (\S+)$", r"\1 ne peut pas être utilisé avec \2"),
    (r"^argument (\S+): ignored explicit argument '?([^']*)'?$", r"\1 n'accepte pas de valeur (« \2 »)"),
    (r"^ambiguous option: (\S+) could match (.*)$", r"option ambiguë : \1 peut désigner \2"),
    (r"^argument (\S+): (.*)$", r"\1 : \2"),  # our own French messages (ArgumentTypeError)
))


def translate(message: str) -> str:
    for pattern, replacement in ERRORS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class FrenchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "utilisation : " if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(HEADINGS.get(heading or "", heading))


class FrenchArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help and errors are in French (sub-command parsers too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="afficher cette aide et quitter")

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", FrenchSubcommandParser)
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {translate(message)}\n"
                     f"(« {self.prog} --help » pour l'aide)\n")


class FrenchSubcommandParser(FrenchArgumentParser):
    """The parser of a sub-command (``maillage remind``): it reports an unknown option itself.

    ``argparse`` hands a sub-command's unrecognised arguments back to the top-level parser,
    which then prints its own usage (« maillage [-h] [--version] COMMANDE … ») instead of the
    sub-command's. Everything after the sub-command's name belongs to the sub-command, so
    nothing is lost by refusing the leftovers here, with the sub-command's usage line.
    """

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error("unrecognized arguments: " + " ".join(extras))
        return parsed, extras
