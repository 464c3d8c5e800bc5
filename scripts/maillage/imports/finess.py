"""Reader of the FINESS « extraction du fichier des établissements » (etalab, CSV without header).

Layout (see ``docs/import.md``): a first line ``finess;etalab;<version>;<AAAA-MM-JJ>``, then
one ``structureet`` row of 32 ``;``-separated fields per establishment, then, in the
geolocated file, one ``geolocalisation`` row per establishment. Rows of another type are
counted and ignored; a row that is not ``type;…`` at all, a ``structureet`` row with too
few fields (a truncated file) or with extra non-empty fields, is an error naming its line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from maillage.core.gazetteer import Gazetteer
from maillage.imports import normalise as norm
from maillage.imports.entities import Entry, Extract, Place, Selection
from maillage.imports.mapping import CategoryMap
from maillage.imports.projection import to_wgs84
from maillage.imports.textfile import Lines, members
from maillage.validation.identifiers import finess_ok, siret_ok

STRUCTURE_FIELDS = (
    "structureet", "nofinesset", "nofinessej", "rs", "rslongue", "complrs", "compldistrib", "numvoie", "typvoie",
    "voie", "compvoie", "lieuditbp", "commune", "departement", "libdepartement", "ligneacheminement", "telephone",
    "telecopie", "categetab", "libcategetab", "categagretab", "libcategagretab", "siret", "codeape", "codemft",
    "libmft", "codesph", "libsph", "dateouv", "dateautor", "datemaj", "numuai",
)
F = {name: i for i, name in enumerate(STRUCTURE_FIELDS)}
GEO_FIELDS = ("geolocalisation", "nofinesset", "coordxet", "coordyet", "sourcecoordet", "datemaj")
_FIRST_LINE = re.compile(r"^finess;etalab;[^;]*;(\d{4}-\d{2}-\d{2})")
_ROW_TYPE = re.compile(rb"^[a-z]+$")
SOURCE_LABEL = "Répertoire FINESS"


@dataclass(slots=True)
class _Pending:
    fields: list[str]
    geo: tuple[float, float, str] | None = None


@dataclass(slots=True)
class FinessReader:
    """Reads one FINESS extraction file (plain or zipped)."""

    path: Path
    categories: CategoryMap
    gazetteer: Gazetteer
    source: str = "finess"
    counts: Counter[str] = field(default_factory=Counter)

    def read(self, selection: Selection) -> Extract:
        files = members(self.path)
        member = next((m for m in files if m.name.lower().endswith((".csv", ".txt"))), files[0])
        lines = Lines(member)
        scope_codes = {c.encode() for c in self.categories.codes_for(selection.terms)}
        known = {k.encode() for k in selection.known}
        target = selection.departement
        pending: dict[str, _Pending] = {}
        counts: Counter[str] = Counter()
        extraction: str | None = None
        seen_known: set[str] = set()
        first = True
        for raw in lines:
            if first:
                first = False
                head = lines.text(raw)
                match = _FIRST_LINE.match(head)
                if not match:
                    raise lines.error("ce fichier n'est pas une extraction FINESS : la première ligne devrait "
                                      f"commencer par « finess;etalab;<version>;<date> » (lu : « {head[:60]} »).")
                extraction = match.group(1)
                continue
            if not raw.strip():
                continue
            if raw.startswith(b"structureet;"):
                parts = raw.split(b";")
                if len(parts) < len(STRUCTURE_FIELDS):
                    raise lines.error(f"ligne « structureet » incomplète : {len(parts)} champs lus, "
                                      f"{len(STRUCTURE_FIELDS)} attendus (fichier tronqué ?).")
                if len(parts) > len(STRUCTURE_FIELDS) and any(p.strip() for p in parts[len(STRUCTURE_FIELDS):]):
                    raise lines.error(f"ligne « structureet » de {len(parts)} champs, {len(STRUCTURE_FIELDS)} "
                                      "attendus : un « ; » de trop dans une valeur ou un fichier d'un autre format.")
                counts["établissements lus"] += 1
                number = parts[F["nofinesset"]].strip()
                is_known = number in known
                if is_known:
                    seen_known.add(number.decode("ascii", "replace"))
                in_dep = norm.departement_of_finess(parts[F["departement"]].decode("ascii", "replace")) == target
                if not is_known:
                    if not in_dep:
                        counts["hors du département"] += 1
                        continue
                    if parts[F["categetab"]].strip() not in scope_codes:
                        code = parts[F["categetab"]].strip().decode("ascii", "replace")
                        counts["catégorie non retenue" if self.categories.term(code) else
                               "catégorie absente du vocabulaire"] += 1
                        continue
                text = lines.text(raw).split(";")
                pending[text[F["nofinesset"]].strip()] = _Pending(text, None)
                pending[text[F["nofinesset"]].strip()].fields.append(str(lines.number))
            elif raw.startswith(b"geolocalisation;"):
                parts = raw.split(b";")
                if len(parts) < len(GEO_FIELDS) - 1:
                    raise lines.error(f"ligne « geolocalisation » incomplète : {len(parts)} champs lus, "
                                      f"{len(GEO_FIELDS)} attendus (fichier tronqué ?).")
                number_text = parts[1].strip().decode("ascii", "replace")
                row = pending.get(number_text)
                if row is None:
                    continue
                geo_text = lines.text(raw).split(";")
                source = ";".join(geo_text[4:-1]) if len(geo_text) > len(GEO_FIELDS) else geo_text[4]
                dep = norm.departement_of_finess(row.fields[F["departement"]])
                point = to_wgs84(geo_text[2], geo_text[3], source, dep)
                if point is not None:
                    row.geo = (point[0], point[1], source.strip())
            else:
                kind = raw.split(b";", 1)[0]
                if not _ROW_TYPE.match(kind):
                    raise lines.error("ligne illisible : chaque ligne doit commencer par son type "
                                      "(« structureet » ou « geolocalisation »).")
                counts[f"lignes « {kind.decode()} » ignorées"] += 1
        if first:
            raise lines.error("le fichier est vide.", 0)
        entries: list[Entry] = []
        warnings: list[str] = []
        for number, row in pending.items():
            entry = self._entry(number, row, warnings, member.display)
            if entry is not None:
                entries.append(entry)
        entries.sort(key=lambda e: e.identifier)
        counts["établissements retenus"] = len(entries)
        return Extract("finess", extraction, entries, [member.display], counts, warnings, seen_known)

    def _entry(self, number: str, row: _Pending, warnings: list[str], display: str) -> Entry | None:
        f = row.fields
        line = f[-1]
        name = norm.french_case(f[F["rslongue"]].strip() or f[F["rs"]].strip())[:200]
        if not finess_ok(number):
            warnings.append(f"{display}, ligne {line} : numéro FINESS « {number} » invalide (clé de contrôle) : "
                            "établissement ignoré.")
            return None
        acheminement = f[F["ligneacheminement"]].strip()
        code_postal = norm.postal_code_in(acheminement)
        label = acheminement.replace(code_postal or "", "", 1).strip()
        label = re.sub(r"\s*\bcedex\b.*$", "", label, flags=re.IGNORECASE).strip()
        insee = norm.insee_from_finess(f[F["departement"]], f[F["commune"]])
        place_of = norm.locality(self.gazetteer, insee, code_postal, label)
        if place_of is None:
            warnings.append(f"{display}, ligne {line} : commune introuvable (département « {f[F['departement']]} », "
                            f"commune « {f[F['commune']]} », « {acheminement} ») : {name} ignoré.")
            return None
        lieudit = f[F["lieuditbp"]].strip()
        postal_only = norm.is_postal_only(lieudit) if lieudit else False
        street = norm.street_line(f[F["numvoie"]], f[F["compvoie"]], f[F["typvoie"]], "", f[F["voie"]])
        if not street:
            street = norm.french_case(lieudit) if lieudit and not postal_only else place_of.commune
            lieudit = "" if street != place_of.commune else lieudit
        cedex = acheminement if norm.has_cedex(acheminement) else None
        complement = norm.join_complements(
            norm.french_case(f[F["compldistrib"]]), norm.french_case(lieudit) if lieudit and not postal_only
            else lieudit.upper() or None, cedex)
        geo = row.geo
        place = Place(
            key=number, adresse=street[:200], code_postal=place_of.code_postal, commune=place_of.commune,
            code_insee=place_of.code_insee, departement=place_of.departement, complement_adresse=complement,
            telephone=norm.phone(f[F["telephone"]]), nom=None,
            longitude=geo[0] if geo else None, latitude=geo[1] if geo else None, precision=geo[2] if geo else None,
        )
        code = f[F["categetab"]].strip()
        term = self.categories.term(code)
        fields = {"nom": name, "finess": number}
        if term:
            fields["categorie"] = term
        siret = f[F["siret"]].strip()
        if siret:
            if siret_ok(siret):
                fields["siret"] = siret
            else:
                warnings.append(f"{display}, ligne {line} : SIRET « {siret} » invalide : non repris pour {name}.")
        creation: dict[str, str] = {}
        short = norm.french_case(f[F["rs"]].strip())
        if short and norm.fold_key(short) != norm.fold_key(name) and len(short) <= 40:
            creation["sigle"] = short
        facts = {"categorie_finess": code, "finess_juridique": f[F["nofinessej"]].strip(),
                 "date_maj": f[F["datemaj"]].strip()}
        return Entry("finess", "structure", "finess", number, term, fields, (place,),
                     f"{name} (FINESS {number}, {place_of.commune})", creation, facts)
