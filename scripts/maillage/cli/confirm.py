"""``maillage confirm ID…``: records a partner confirmed unchanged (by mail or phone) get today's verification date."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from maillage.cli.options import add_internal_option, add_registry_option, business_date
from maillage.core import clock
from maillage.core.french import plural
from maillage.core.kinds import BY_NAME, KINDS
from maillage.editing.writer import RecordFile, WriterError
from maillage.load.safe_yaml import LoadError

_REF = re.compile(r"^(?:(professionnel|structure)/)?([a-z0-9]+(?:-[a-z0-9]+)*)$")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "confirm", help="noter que des fiches ont été confirmées sans changement (vérifiées ce jour)",
        description="Met la date de vérification (verifie_le) des fiches indiquées à la date du jour, quand "
                    "leur partenaire a confirmé, par courriel ou par téléphone, que rien n'a changé. Seule "
                    "cette ligne change dans chaque fichier : une modification à relire et à enregistrer.")
    parser.add_argument("ids", nargs="+", metavar="ID",
                        help="identifiants des fiches (« lefevre-claire » ou « professionnel/lefevre-claire »)")
    add_registry_option(parser)
    add_internal_option(parser, "registre interne : les fiches qui n'existent qu'en interne peuvent aussi être "
                                "confirmées")
    parser.add_argument("--date", type=business_date, default=None, metavar="AAAA-MM-JJ",
                        help="date de la confirmation (par défaut : aujourd'hui)")
    parser.set_defaults(run=run)


def _find(registry: Path, ref: str, internal: Path | None = None) -> tuple[Path | None, str]:
    match = _REF.match(ref.strip())
    if match is None:
        return None, f"« {ref} » n'est pas un identifiant de fiche (minuscules, chiffres et tirets)."
    kinds = [BY_NAME[match.group(1)]] if match.group(1) else [k for k in KINDS if k.verified]
    found = [registry / k.file(match.group(2)) for k in kinds if (registry / k.file(match.group(2))).is_file()]
    if internal is not None:  # internal-only records (an internal part holds no verification date)
        found += [internal / k.file(match.group(2)) for k in kinds
                  if (internal / k.file(match.group(2))).is_file()
                  and not (registry / k.file(match.group(2))).is_file()]
    if not found:
        where = f"dans {registry}" if internal is None else f"ni dans {registry} ni dans {internal}"
        return None, f"aucune fiche de professionnel ou de structure « {match.group(2)} » {where}."
    if len(found) > 1:
        return None, (f"« {match.group(2)} » désigne plusieurs fiches : précisez professionnel/{match.group(2)} "
                      f"ou structure/{match.group(2)}.")
    return found[0], ""


def run(args: argparse.Namespace) -> int:
    day = clock.today(args.date)
    if day > clock.today():
        print(f"maillage : la date {day.isoformat()} est dans le futur.", file=sys.stderr)
        return 2
    records: list[RecordFile] = []
    for ref in dict.fromkeys(args.ids):
        path, problem = _find(args.registry, ref, args.internal)
        if path is None:
            print(f"maillage : {problem} Rien n'a été modifié.", file=sys.stderr)
            return 2
        try:
            record = RecordFile.open(path)
            record.set("verifie_le", day)
        except (LoadError, WriterError) as exc:
            message = exc.problem.message if isinstance(exc, LoadError) else str(exc)
            print(f"maillage : {path} : {message} Rien n'a été modifié.", file=sys.stderr)
            return 1
        records.append(record)
    changed = [r for r in records if r.changed]
    for record in changed:
        record.save()
    print(f"{plural(len(changed), 'fiche')} vérifiée{'s' if len(changed) > 1 else ''} le {day.isoformat()} "
          f"({plural(len(records) - len(changed), 'fiche')} déjà à cette date). Relisez et enregistrez la "
          "modification (git diff, puis git commit).")
    return 0
