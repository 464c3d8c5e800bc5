"""The contributor-facing catalogue of validation messages, generated from :mod:`maillage.errors`."""

from __future__ import annotations

import re
from itertools import groupby

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
"""


def _template_as_text(template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: f"‹{m.group(1)}›", template)


def catalogue_markdown() -> str:
    lines = [HEADER]
    order = list(dict.fromkeys(e.category for e in CATALOGUE.values()))
    entries = sorted(CATALOGUE.values(), key=lambda e: (order.index(e.category), e.code))
    for category, group in groupby(entries, key=lambda e: e.category):
        lines.append(f"\n### {category}\n")
        for entry in group:
            gravity = "erreur" if entry.severity is Severity.ERROR else "avertissement"
            lines.append(f"#### `{entry.code}` ({gravity})\n")
            lines.append(f"> {_template_as_text(entry.template)}\n")
            lines.append(f"- **Ce que cela veut dire** : {entry.meaning}")
            lines.append(f"- **Comment corriger** : {entry.fix}\n")
    return "\n".join(lines).rstrip() + "\n"
