"""The contributor-facing catalogue of validation messages, generated from :mod:`maillage.core.problems`.

Each message is shown as a partner would read it, filled with the example values that
the catalogue declares for its fields (in italics); a message whose end depends on the
case lists every declared reason. Message text is escaped, so that Markdown never turns
it into a link, an emphasis or HTML; the meaning and the fix are Markdown written in the
catalogue, where syntax examples are `code`.
"""

from __future__ import annotations

import re
from itertools import groupby

from maillage.core.problem_types import Entry
from maillage.core.problems import CATALOGUE, Severity

HEADER = """\
# Vérification des fiches : règles et messages

<!-- Ce fichier est produit par « python -m maillage.dev.gen_docs » à partir du
     catalogue des messages (scripts/maillage/core/problems.py). Ne le modifiez pas à la main. -->

`maillage validate` lit toutes les fiches et signale **tous** les problèmes en une fois,
avec le fichier, la ligne et la colonne concernés. Une **erreur** bloque la publication ;
un **avertissement** la laisse passer (sauf avec `--strict`) mais mérite d'être regardé.

Ce qui est vérifié, dans l'ordre :

1. **le fichier** : encodage UTF-8, taille raisonnable, nom du fichier = identifiant ;
2. **la syntaxe YAML**, sans pièges : pas d'alias ni d'étiquettes, pas de champ écrit deux
   fois, une seule fiche par fichier. Les codes (`code_postal: 06000`, `rpps`, `siret`…)
   sont toujours lus comme des textes, tels qu'ils sont écrits ; les dates restent des
   dates (`2025-03-01`) ; `oui`/`non` ne sont pas pris pour true/false : le message
   explique quoi écrire ;
3. **la structure de la fiche** (schémas JSON du dossier `schemas/`) : champs obligatoires,
   noms des champs, types, valeurs permises, formats ;
4. **les règles du registre** : identifiants uniques, numéros RPPS/FINESS/SIRET avec leur
   clé de contrôle, références entre fiches, ordre des dates, statut cohérent avec les
   dates, code postal ↔ commune ↔ code INSEE, vocabulaires, doublons probables, textes
   sans HTML ni caractères invisibles, et **aucune donnée sur un enfant**.

## Catalogue des messages

Chaque message est montré tel qu'il s'affiche, avec un exemple : les passages en
*italique* viennent de la fiche concernée (nom du champ, valeur lue, fichier…).
"""

# What Markdown (and its attr_list extension) would read as markup inside a line.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]])")


def escape_markdown(text: str) -> str:
    """Plain text that Markdown shows as is: no link, emphasis, code or HTML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _value(text: str) -> str:
    return f"*{escape_markdown(text)}*" if text.strip() else escape_markdown(text)


def example_message(entry: Entry, **chosen: str) -> str:
    """The message of ``entry`` filled with its example values, as Markdown (values in italics)."""
    return entry.render(entry.example(**chosen), mark=_value, literal=escape_markdown)


def _other_forms(entry: Entry) -> list[str]:
    """The message with each of its other declared reasons (the example shows the first one)."""
    lines: list[str] = []
    for name, reasons in entry.reasons().items():
        others = [key for key in reasons.choices if key != reasons.example]
        if not others:
            continue
        lines.append("Selon le cas, le message peut aussi être :\n")
        lines += [f"- {example_message(entry, **{name: key})}" for key in others]
        lines.append("")
    return lines


def catalogue_markdown() -> str:
    lines = [HEADER]
    order = list(dict.fromkeys(e.category for e in CATALOGUE.values()))
    entries = sorted(CATALOGUE.values(), key=lambda e: (order.index(e.category), e.code))
    for category, group in groupby(entries, key=lambda e: e.category):
        lines.append(f"\n### {category}\n")
        for entry in group:
            gravity = "erreur" if entry.severity is Severity.ERROR else "avertissement"
            lines.append(f"#### `{entry.code}` ({gravity})\n")
            lines.append(f"> {example_message(entry)}\n")
            lines.append(f"- **Ce que cela veut dire** : {entry.meaning}")
            lines.append(f"- **Comment corriger** : {entry.fix}\n")
            lines += _other_forms(entry)
    return "\n".join(lines).rstrip() + "\n"
