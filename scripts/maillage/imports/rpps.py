"""Reader of the Annuaire santé public extraction (« PS_LibreAcces »): activities and savoir-faire.

The files are ``|``-separated with one header line and a trailing ``|`` on every line;
columns are located **by header name**, folded (accents, case, punctuation, « coord. »,
articles), because columns have been added and moved between vintages. Each ``--file``
is a plain text file or the publisher's zip; each file is recognised by its header: the
activity file (one line per professional and site), the savoir-faire file (specialties,
one line per professional and savoir-faire), the diplomas file (ignored).

Streaming: every line is split as bytes and decoded only when kept (the département's
lines in scope, and the lines of identifiers the registry already knows). A line with
another number of fields than the header is an error naming its line (a truncated file).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from maillage.core.gazetteer import Gazetteer
from maillage.imports import normalise as norm
from maillage.imports.entities import Entry, Extract, Place, Selection
from maillage.imports.errors import ImportFileError
from maillage.imports.mapping import ProfessionMap
from maillage.imports.textfile import Lines, Member, date_in_name, members
from maillage.validation.identifiers import rpps_ok

SOURCE_LABEL = "Annuaire santé (RPPS)"
ID_TYPES = {"8": "rpps", "0": "adeli"}
_DROP = frozenset({"coord", "de", "d", "du", "la", "le", "les", "l"})


def header_key(name: str) -> str:
    """« Code commune (coord. structure) » → ``codecommunestructure``; « Type d'identifiant PP » →
    ``typeidentifiantpp``."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()
    return "".join(w for w in re.split(r"[^a-z0-9]+", folded) if w and w not in _DROP)


# Logical column → accepted headers (folded with header_key).
COLUMNS: dict[str, tuple[str, ...]] = {
    "type_id": ("Type d'identifiant PP",),
    "id": ("Identifiant PP",),
    "id_national": ("Identification nationale PP",),
    "nom": ("Nom d'exercice",),
    "prenom": ("Prénom d'exercice",),
    "code_profession": ("Code profession",),
    "code_type_sf": ("Code type savoir-faire",),
    "code_sf": ("Code savoir-faire",),
    "code_mode": ("Code mode exercice",),
    "siret": ("Numéro SIRET site",),
    "finess_site": ("Numéro FINESS site",),
    "structure_id": ("Identifiant technique de la structure",),
    "raison_sociale": ("Raison sociale site",),
    "enseigne": ("Enseigne commerciale site",),
    "complement_destinataire": ("Complément destinataire (coord. structure)",),
    "complement_geo": ("Complément point géographique (coord. structure)",),
    "numero": ("Numéro Voie (coord. structure)",),
    "repetition": ("Indice répétition voie (coord. structure)",),
    "type_voie_code": ("Code type de voie (coord. structure)",),
    "type_voie": ("Libellé type de voie (coord. structure)",),
    "voie": ("Libellé Voie (coord. structure)",),
    "distribution": ("Mention distribution (coord. structure)",),
    "cedex": ("Bureau cedex (coord. structure)",),
    "code_postal": ("Code postal (coord. structure)",),
    "code_commune": ("Code commune (coord. structure)",),
    "commune": ("Libellé commune (coord. structure)",),
    "telephone": ("Téléphone (coord. structure)",),
    "departement": ("Code département (coord. structure)", "Code département (structure)"),
}
# The activity file header of a recent vintage (56 columns), for fixtures and benchmarks: the reader
# itself locates columns by name and accepts other orders and subsets.
RECENT_ACTIVITY_HEADER: tuple[str, ...] = (
    "Type d'identifiant PP", "Identifiant PP", "Identification nationale PP", "Code civilité d'exercice",
    "Libellé civilité exercice", "Code civilité", "Libellé civilité", "Nom d'exercice", "Prénom d'exercice",
    "Code profession", "Libellé profession", "Code catégorie professionnelle", "Libellé catégorie professionnelle",
    "Code type savoir-faire", "Libellé type savoir-faire", "Code savoir-faire", "Libellé savoir-faire",
    "Code mode exercice", "Libellé mode exercice", "Numéro SIRET site", "Numéro SIREN site", "Numéro FINESS site",
    "Numéro FINESS établissement juridique", "Identifiant technique de la structure", "Raison sociale site",
    "Enseigne commerciale site", "Complément destinataire (coord. structure)",
    "Complément point géographique (coord. structure)", "Numéro Voie (coord. structure)",
    "Indice répétition voie (coord. Structure)", "Code type de voie (coord. structure)",
    "Libellé type de voie (coord. structure)", "Libellé Voie (coord. structure)",
    "Mention distribution (coord. structure)", "Bureau cedex (coord. structure)", "Code postal (coord. structure)",
    "Code commune (coord. structure)", "Libellé commune (coord. structure)", "Code pays (coord. structure)",
    "Libellé pays (coord. structure)", "Téléphone (coord. structure)", "Téléphone 2 (coord. structure)",
    "Télécopie (coord. structure)", "Adresse e-mail (coord. structure)", "Code département (coord. structure)",
    "Libellé département (coord. structure)", "Ancien identifiant de la structure", "Autorité d'enregistrement",
    "Code secteur d'activité", "Libellé secteur d'activité", "Code section tableau pharmaciens",
    "Libellé section tableau pharmaciens", "Code fonction", "Libellé fonction", "Code genre d'activité",
    "Libellé genre d'activité",
)
REQUIRED_ACTIVITY = ("type_id", "id", "nom", "prenom", "code_profession")
REQUIRED_SAVOIR_FAIRE = ("id", "code_sf")


@dataclass(frozen=True, slots=True)
class Header:
    names: list[str]
    index: dict[str, int]  # logical column → position
    pipes: int  # number of « | » of the header line

    @classmethod
    def parse(cls, text: str) -> Header:
        names = text.split("|")
        keys = [header_key(n) for n in names]
        index: dict[str, int] = {}
        for logical, accepted in COLUMNS.items():
            for option in accepted:
                key = header_key(option)
                if key in keys:
                    index[logical] = keys.index(key)
                    break
        return cls(names, index, text.count("|"))

    @property
    def kind(self) -> str:
        if "code_commune" in self.index or "code_postal" in self.index or "raison_sociale" in self.index:
            return "activite"
        if "code_sf" in self.index:
            return "savoir-faire"
        if any("diplome" in header_key(n) for n in self.names):
            return "diplomes"
        return "inconnu"

    def missing(self, required: tuple[str, ...]) -> list[str]:
        return [COLUMNS[c][0] for c in required if c not in self.index]


@dataclass(slots=True)
class _Person:
    scheme: str
    identifier: str
    nom: str
    prenom: str
    code: str
    savoir_faire: set[str] = field(default_factory=set)
    sites: dict[str, Place] = field(default_factory=dict)
    line: int = 0
    display: str = ""


@dataclass(slots=True)
class _Opened:
    member: Member
    lines: Lines
    header: Header


def _open(member: Member) -> _Opened:
    lines = Lines(member)
    iterator = iter(lines)
    try:
        first = next(iterator)
    except StopIteration:
        raise lines.error("le fichier est vide.", 0) from None
    finally:
        close = getattr(iterator, "close", None)
        if close:
            close()
    text = lines.text(first)
    if "|" not in text:
        raise lines.error("ce fichier n'est pas une extraction de l'Annuaire santé : la première ligne devrait "
                          "être l'en-tête des colonnes séparées par « | » "
                          f"(lu : « {text[:60]} »).", 1)
    return _Opened(member, lines, Header.parse(text))


def _dep_of(commune: bytes, departement: bytes, postal: bytes) -> bytes:
    """The département of a site, from its INSEE code (else the département column, else the postal code)."""
    code = commune.strip()
    if len(code) == 5:
        return code[:3] if code.startswith((b"97", b"98")) else code[:2]
    dep = departement.strip()
    if dep:
        return dep.zfill(2) if dep.isdigit() and len(dep) == 1 else dep
    cp = postal.strip()
    if len(cp) == 5 and cp.isdigit() and not cp.startswith(b"20"):
        return cp[:3] if cp.startswith((b"97", b"98")) else cp[:2]
    return b""


@dataclass(slots=True)
class RppsReader:
    """Reads the activity file and the savoir-faire file (plain, or the publisher's zip)."""

    paths: list[Path]
    professions: ProfessionMap
    gazetteer: Gazetteer
    source: str = "rpps"

    def read(self, selection: Selection) -> Extract:
        opened = [_open(m) for path in self.paths for m in members(path)]
        activity = [o for o in opened if o.header.kind == "activite"]
        savoir_faire = [o for o in opened if o.header.kind == "savoir-faire"]
        counts: Counter[str] = Counter()
        warnings: list[str] = []
        for o in opened:
            if o.header.kind == "diplomes":
                counts["fichiers des diplômes ignorés"] += 1
            elif o.header.kind == "inconnu":
                raise o.lines.error("fichier non reconnu : ni le fichier des activités (colonnes « Code commune "
                                    "(coord. structure) », « Raison sociale site »…) ni celui des savoir-faire "
                                    "(colonne « Code savoir-faire »).", 1)
        if not activity:
            shown = ", ".join(o.member.display for o in opened)
            raise ImportFileError(shown, 0, "aucun fichier des activités (« PS_LibreAcces_Personne_activite ») "
                                            "parmi les fichiers donnés.")
        for o in activity:
            missing = o.header.missing(REQUIRED_ACTIVITY)
            if "code_commune" not in o.header.index and "code_postal" not in o.header.index:
                missing.append(COLUMNS["code_commune"][0])
            if missing:
                raise o.lines.error(f"colonne(s) attendue(s) introuvable(s) dans l'en-tête : "
                                    f"{', '.join('« ' + m + ' »' for m in missing)}.", 1)
        for o in savoir_faire:
            missing = o.header.missing(REQUIRED_SAVOIR_FAIRE)
            if missing:
                raise o.lines.error(f"colonne(s) attendue(s) introuvable(s) dans l'en-tête : "
                                    f"{', '.join('« ' + m + ' »' for m in missing)}.", 1)

        scope_codes = {c.encode() for c in self.professions.codes_for(selection.terms)}
        known = {k.encode() for k in selection.known}
        target = selection.departement.encode()
        people: dict[str, _Person] = {}
        seen_known: set[str] = set()
        for o in activity:
            self._read_activity(o, scope_codes, known, target, people, seen_known, counts)
        needed = {key for key, p in people.items() if self.professions.needs_savoir_faire(p.code)}
        if needed and savoir_faire:
            for o in savoir_faire:
                self._read_savoir_faire(o, needed, people, counts)
        elif needed and not any("code_sf" in o.header.index for o in activity):
            warnings.append(f"fichier des savoir-faire absent : la spécialité de {len(needed)} médecin(s) ou "
                            "infirmier(s) n'est pas connue (donnez aussi « PS_LibreAcces_SavoirFaire », ou le zip "
                            "de l'éditeur).")

        entries: list[Entry] = []
        for key in sorted(people):
            person = people[key]
            term = self.professions.term(person.code, sorted(person.savoir_faire))
            is_known = person.identifier in selection.known
            if not is_known:
                if term is None:
                    counts["médecins sans spécialité reconnue" if person.code == "10"
                           else "professions sans terme du vocabulaire"] += 1
                    continue
                if term not in selection.terms:
                    counts["professions non retenues"] += 1
                    continue
            entries.append(self._entry(person, term))
        counts["professionnels retenus"] = len(entries)
        dates = [d for o in activity if (d := date_in_name(o.member.display))]
        return Extract("rpps", max(dates) if dates else None, entries,
                       [o.member.display for o in activity + savoir_faire], counts, warnings, seen_known)

    # -- activity file

    def _read_activity(self, o: _Opened, scope_codes: set[bytes], known: set[bytes], target: bytes,
                       people: dict[str, _Person], seen_known: set[str], counts: Counter[str]) -> None:
        h = o.header
        _i_type, i_id, i_code = h.index["type_id"], h.index["id"], h.index["code_profession"]
        i_commune, i_dep, i_cp = h.index.get("code_commune"), h.index.get("departement"), h.index.get("code_postal")
        fields = h.pipes + 1
        trailing = h.names[-1] == ""
        overseas = (b"97", b"98")
        marker = b"|" + target  # every field that locates a site in the département starts with its code
        lines = o.lines
        n_read = n_kept = 0
        first = True
        for raw in lines:
            if first:
                first = False
                continue
            if not raw:
                continue
            n_read += 1
            count = raw.count(b"|") + 1
            if count != fields and not (trailing and count == fields - 1):
                raise lines.error(f"{count} champs lus, {fields} attendus d'après l'en-tête : ligne tronquée, "
                                  "coupée en deux ou contenant un « | » de trop.")
            # Fast path (most lines): no field can start with the département's code, so the line is
            # another département's; only a known identifier keeps it.
            if marker not in raw and (not known or raw.split(b"|", i_id + 1)[i_id] not in known):
                continue
            f = raw.split(b"|")
            ident = f[i_id]
            if ident in known:
                seen_known.add(ident.decode("ascii", "replace"))
            else:
                code = f[i_code]
                if code not in scope_codes and code.strip() not in scope_codes:
                    continue
                commune = f[i_commune] if i_commune is not None else b""
                if len(commune) == 5:  # the common case, inlined: INSEE code → département
                    dep = commune[:3] if commune[:2] in overseas else commune[:2]
                else:
                    dep = _dep_of(commune, f[i_dep] if i_dep is not None else b"",
                                  f[i_cp] if i_cp is not None else b"")
                if dep != target:
                    continue
            n_kept += 1
            self._keep(o, lines.text(raw).split("|"), people, counts)
        counts["lignes d'activité lues"] += n_read
        counts["lignes d'activité retenues"] += n_kept

    def _keep(self, o: _Opened, f: list[str], people: dict[str, _Person], counts: Counter[str]) -> None:
        h = o.header
        col = h.index

        def get(name: str) -> str:
            i = col.get(name)
            return f[i].strip() if i is not None and i < len(f) else ""

        scheme = ID_TYPES.get(get("type_id"))
        identifier = get("id")
        if scheme == "rpps" and len(identifier) == 12 and identifier.startswith("8"):
            identifier = identifier[1:]
        if scheme is None or (scheme == "rpps" and not rpps_ok(identifier)) or (
                scheme == "adeli" and not re.fullmatch(r"\d{9}", identifier)):
            counts["identifiants invalides ou d'un autre type ignorés"] += 1
            return
        person = people.get(identifier)
        if person is None:
            person = people[identifier] = _Person(scheme, identifier, norm.person_case(get("nom")),
                                                  norm.person_case(get("prenom")), get("code_profession"),
                                                  line=o.lines.number, display=o.member.display)
        sf = get("code_sf")
        if sf:
            person.savoir_faire.add(sf)
        place = self._place(get, counts)
        if place is not None and place.key not in person.sites:
            person.sites[place.key] = place

    def _place(self, get, counts: Counter[str]) -> Place | None:  # type: ignore[no-untyped-def]
        code_postal = get("code_postal")
        cedex = get("cedex")
        if not code_postal and cedex:
            code_postal = norm.postal_code_in(cedex) or ""
        where = norm.locality(self.gazetteer, get("code_commune") or None, code_postal or None, get("commune"))
        if where is None:
            if get("code_commune") or code_postal:
                counts["sites dont la commune est introuvable"] += 1
            return None
        street = norm.street_line(get("numero"), get("repetition"), get("type_voie_code"), get("type_voie"),
                                  get("voie"))
        lieu_dit = get("complement_geo")
        if not street:
            street = norm.french_case(lieu_dit) if lieu_dit else where.commune
            lieu_dit = "" if lieu_dit and street != where.commune else lieu_dit
        distribution = get("distribution")
        complement = norm.join_complements(
            norm.french_case(get("complement_destinataire")), norm.french_case(lieu_dit) if lieu_dit else None,
            distribution.upper() if distribution and norm.is_postal_only(distribution) else
            norm.french_case(distribution), cedex if cedex and norm.has_cedex(cedex) else None)
        name = norm.french_case(get("enseigne") or get("raison_sociale"))[:200] or None
        key = get("structure_id") or (f"siret:{get('siret')}" if get("siret") else "") or (
            f"finess:{get('finess_site')}" if get("finess_site") else "")
        if not key:
            key = "adresse:" + " ".join(norm.address_key(street, where.code_insee))
        return Place(key=key, adresse=street[:200], code_postal=where.code_postal, commune=where.commune,
                     code_insee=where.code_insee, departement=where.departement, complement_adresse=complement,
                     telephone=norm.phone(get("telephone")), nom=name)

    # -- savoir-faire file

    def _read_savoir_faire(self, o: _Opened, needed: set[str], people: dict[str, _Person],
                           counts: Counter[str]) -> None:
        h = o.header
        i_id, i_sf = h.index["id"], h.index["code_sf"]
        pipes = h.pipes
        trailing = h.names[-1] == ""
        lines = o.lines
        wanted = {n.encode() for n in needed}
        first = True
        for raw in lines:
            if first:
                first = False
                continue
            if not raw:
                continue
            count = raw.count(b"|")
            if count != pipes and not (trailing and count == pipes - 1):
                raise lines.error(f"{count + 1} champs lus, {pipes + 1} attendus d'après l'en-tête : ligne tronquée, "
                                  "coupée en deux ou contenant un « | » de trop.")
            f = raw.split(b"|")
            ident = f[i_id].strip()
            if len(ident) == 12 and ident.startswith(b"8"):
                ident = ident[1:]
            if ident not in wanted:
                continue
            code = f[i_sf].strip().decode("ascii", "replace")
            if code:
                people[ident.decode("ascii")].savoir_faire.add(code)
                counts["savoir-faire retenus"] += 1

    @staticmethod
    def _entry(person: _Person, term: str | None) -> Entry:
        fields = {"nom": person.nom, "prenom": person.prenom, person.scheme: person.identifier}
        if term:
            fields["profession"] = term
        places = tuple(sorted(person.sites.values(), key=lambda p: p.key))
        facts = {"code_profession": person.code, "savoir_faire": ";".join(sorted(person.savoir_faire))}
        label = f"{person.prenom} {person.nom} ({person.scheme.upper()} {person.identifier})"
        return Entry("rpps", "professionnel", person.scheme, person.identifier, term, fields, places, label,
                     {}, facts)
