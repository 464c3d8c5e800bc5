"""``maillage confirm ID…``: records a partner confirmed unchanged (by mail or phone) get today's verification date.

Each record is named by its id (``lefevre-claire``, ``structure/cmp-coutances``) or by the
address of its page, as the « Rien n'a changé » issue form accepts it. ``--source`` says what
the confirmation was based on and replaces the record's ``source``; without it, a source that
names a national register (what ``maillage import`` writes: FINESS, RPPS) becomes
:data:`PARTNER_CONFIRMATION`, since the partner has now checked the record; any other source is kept.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

from maillage.cli.options import add_internal_option, add_registry_option, business_date
from maillage.core import clock
from maillage.core.french import date_fr, plural
from maillage.core.kinds import BY_NAME, KINDS
from maillage.core.links import read_record_reference
from maillage.editing.writer import RecordFile, WriterError
from maillage.imports.outcome import SOURCE_TITLES
from maillage.load.safe_yaml import LoadError

_REF = re.compile(r"^(?:(professionnel|structure)/)?([a-z0-9]+(?:-[a-z0-9]+)*)$")
PARTNER_CONFIRMATION = "Confirmation du partenaire"
# A source naming a national register (« Répertoire FINESS, extraction du … », « Annuaire santé (RPPS) »).
_NATIONAL_REGISTER = re.compile(r"\b(?:FINESS|RPPS)\b|" + "|".join(re.escape(t) for t in SOURCE_TITLES.values()),
                                re.IGNORECASE)
SOURCE_MAX = 200  # texte_court of the schemas


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "confirm", help="noter que des fiches ont été confirmées sans changement (vérifiées ce jour)",
        description="Met la date de vérification (verifie_le) des fiches indiquées à la date du jour, quand "
                    "leur partenaire a confirmé, par courriel ou par téléphone, que rien n'a changé. Seule "
                    "cette ligne change dans chaque fichier : une modification à relire et à enregistrer.")
    parser.add_argument("ids", nargs="+", metavar="ID",
                        help="fiches : identifiant (« lefevre-claire », « professionnel/lefevre-claire ») ou adresse "
                             "de la page de la fiche")
    add_registry_option(parser)
    add_internal_option(parser, "registre interne : les fiches qui n'existent qu'en interne peuvent aussi être "
                                "confirmées")
    parser.add_argument("--date", type=business_date, default=None, metavar="AAAA-MM-JJ",
                        help="date de la confirmation (par défaut : aujourd'hui)")
    parser.add_argument("--source", metavar="TEXTE",
                        help="sur quoi repose la confirmation (par exemple « Appel téléphonique du secrétariat ») : "
                             "remplace la source des fiches. Sans cette option, la source est gardée, sauf si elle "
                             f"cite un répertoire national (FINESS, RPPS) : elle devient « {PARTNER_CONFIRMATION} »")
    parser.set_defaults(run=run)


def _parse(ref: str) -> tuple[str | None, str] | None:
    """(kind or None, id) of an id, ``kind/id`` or a record page address; None if it is none of them."""
    text = ref.strip()
    match = _REF.match(text)
    if match is not None:
        return match.group(1), match.group(2)
    return read_record_reference(text)  # a record page's address, as the confirmation form reads it


def _known_ids(folders: list[Path]) -> list[str]:
    return sorted({p.stem for folder in folders for k in KINDS if k.verified
                   for p in (folder / k.folder).glob("*.yaml")})


def _find(registry: Path, ref: str, internal: Path | None = None) -> tuple[Path | None, str]:
    parsed = _parse(ref)
    if parsed is None:
        return None, (f"« {ref} » n'est ni un identifiant de fiche (minuscules, chiffres et tirets) ni l'adresse "
                      "de la page d'une fiche.")
    kind_name, record_id = parsed
    if kind_name is not None and not BY_NAME[kind_name].verified:
        return None, (f"« {ref} » est une {BY_NAME[kind_name].label} : seules les fiches de professionnels et de "
                      "structures se confirment.")
    kinds = [BY_NAME[kind_name]] if kind_name else [k for k in KINDS if k.verified]
    found = [registry / k.file(record_id) for k in kinds if (registry / k.file(record_id)).is_file()]
    if internal is not None:  # internal-only records (an internal part holds no verification date)
        found += [internal / k.file(record_id) for k in kinds
                  if (internal / k.file(record_id)).is_file()
                  and not (registry / k.file(record_id)).is_file()]
    if not found:
        where = f"dans {registry}" if internal is None else f"ni dans {registry} ni dans {internal}"
        close = difflib.get_close_matches(record_id, _known_ids([registry, *([internal] if internal else [])]), n=1)
        hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
        return None, f"aucune fiche de professionnel ou de structure « {record_id} » {where}.{hint}"
    if len(found) > 1:
        return None, (f"« {record_id} » désigne plusieurs fiches : précisez professionnel/{record_id} "
                      f"ou structure/{record_id}.")
    return found[0], ""


def new_source(current: object, given: str | None) -> str | None:
    """The ``source`` after the confirmation: ``given``; else « Confirmation du partenaire » in place of a
    national register; else None (unchanged)."""
    if given is not None:
        return given
    if isinstance(current, str) and _NATIONAL_REGISTER.search(current):
        return PARTNER_CONFIRMATION
    return None


def run(args: argparse.Namespace) -> int:
    day = clock.today(args.date)
    if day > clock.today():
        print(f"maillage : la date du {date_fr(day)} est dans le futur.", file=sys.stderr)
        return 2
    given = " ".join(args.source.split()) if args.source is not None else None
    if given is not None and not 1 <= len(given) <= SOURCE_MAX:
        print(f"maillage : --source attend un texte d'une ligne, de 1 à {SOURCE_MAX} caractères.", file=sys.stderr)
        return 2
    records: list[RecordFile] = []
    sources = 0
    for ref in dict.fromkeys(args.ids):
        path, problem = _find(args.registry, ref, args.internal)
        if path is None:
            print(f"maillage : {problem} Rien n'a été modifié.", file=sys.stderr)
            return 2
        try:
            record = RecordFile.open(path)
            record.set("verifie_le", day)
            source = new_source(record.get("source", None), given)
            if source is not None and record.get("source", None) != source:
                record.set("source", source)
                sources += 1
        except (LoadError, WriterError) as exc:
            message = exc.problem.message if isinstance(exc, LoadError) else str(exc)
            print(f"maillage : {path} : {message} Rien n'a été modifié.", file=sys.stderr)
            return 1
        records.append(record)
    changed = [r for r in records if r.changed]
    for record in changed:
        record.save()
    already = len(records) - len(changed)
    print(f"{plural(len(changed), 'fiche')} vérifiée{'s' if len(changed) > 1 else ''} le {date_fr(day)}"
          + (f" ({plural(already, 'fiche')} déjà à cette date)" if already else "")
          + (f", source mise à jour sur {plural(sources, 'fiche')}" if sources else "")
          + ". Relisez et enregistrez la modification (git diff, puis git commit).")
    return 0
