"""Rules that look at one record at a time, after its schema passed."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import opening_hours
import phonenumbers

from maillage.core.gazetteer import Gazetteer, haversine_km, normalise_name
from maillage.core.model import add_months
from maillage.core.problems import Problem, problem
from maillage.load.registry import RawRecord, Vocabulary
from maillage.validation import identifiers
from maillage.validation.privacy import find_child_data

ValuePath = tuple[str | int, ...]

# Fields whose values are codes, not prose: never scanned for child data.
_CODE_FIELDS = {"rpps", "adeli", "finess", "siret", "telephone", "code_postal", "code_insee", "courriel",
                "site_web", "rendez_vous", "url", "fichier", "horaires"}
_HTML = re.compile(r"<\s*[a-zA-Z!/?]|&#|&[a-zA-Z]+;|(?i:javascript|vbscript|livescript)\s*:|(?i:data)\s*:\s*[a-z]+/")
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_SAFE_SCHEMES = ("https://", "mailto:", "tel:", "#")
# Control characters, bidirectional controls (U+061C, U+200E/F, U+202A–E, U+2066–9), invisible
# characters (zero width, soft hyphen, word joiner, Hangul fillers, tag characters) and line or
# paragraph separators: they hide or reorder what a reader sees.
_FORBIDDEN_CHARS = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2069\u3164\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_POSTAL_CODE = re.compile(r"[0-9]{5}")
# Spaces that look like spaces but are not (copied from a word processor or a web page): no-break,
# narrow no-break and figure spaces.
NON_BREAKING_SPACES = re.compile("[\u00a0\u202f\u2007]")
# A vocabulary this small is listed in full when a value is not in it.
_LISTED_TERMS = 15


_CODE_INSEE = re.compile(r"([013-9][0-9]|2[0-9AB])[0-9]{3}")
# A social-security number has 13 digits; a named child needs a word and a first name.
_SHORTEST_CHILD_DATA = 12


@dataclass(slots=True)
class Context:
    gazetteer: Gazetteer
    vocabularies: dict[str, Vocabulary]
    today: date
    date_fields: frozenset[str]
    past_fields: frozenset[str]


def _items(value: Any) -> list[Any]:
    """The items of a list; anything else (a wrong type, reported by the schema) has none."""
    return value if isinstance(value, list) else []


def walk_strings(value: Any, path: ValuePath = ()) -> Iterator[tuple[ValuePath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_strings(item, (*path, index))


def _field_name(path: ValuePath) -> str:
    return next((p for p in reversed(path) if isinstance(p, str)), "")


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class RecordChecker:
    """Collects the problems of one record. ``attachments``: the files beside the conventions."""

    def __init__(self, record: RawRecord, ctx: Context, attachments: frozenset[str] = frozenset()) -> None:
        self.record = record
        self.ctx = ctx
        self.attachments = attachments
        self.problems: list[Problem] = []
        self._strings: list[tuple[ValuePath, str]] | None = None

    def add(self, code: str, path: ValuePath, key: bool = False, **fields: object) -> None:
        line, col = self.record.locate(path, key)
        self.problems.append(problem(code, self.record.file, line, col, ".".join(map(str, path)), **fields))

    # -- generic --------------------------------------------------------------
    def strings(self) -> list[tuple[ValuePath, str]]:
        if self._strings is None:
            self._strings = list(walk_strings(self.record.data))
        return self._strings

    def texts(self) -> None:
        strings = self.strings()
        # Screen the whole record at once: a pattern found in one value is also found in the
        # values joined by blank lines, so a clean joined text means every value is clean.
        prose = "\n\n".join(text for path, text in strings if _field_name(path) not in _CODE_FIELDS)
        scan_control = _FORBIDDEN_CHARS.search("\n\n".join(text for _, text in strings)) is not None
        scan_html = _HTML.search(prose) is not None or _MD_LINK.search(prose) is not None
        scan_child = len(prose) >= _SHORTEST_CHILD_DATA and bool(find_child_data(prose))
        if not (scan_control or scan_html or scan_child):
            return
        for path, text in strings:
            bad = _FORBIDDEN_CHARS.search(text) if scan_control else None
            if bad:
                self.add("text-control", path, field=path, char=f"U+{ord(bad.group()):04X}")
                continue
            if _field_name(path) in _CODE_FIELDS:
                continue
            if scan_html:
                html = _HTML.search(text)
                link = next((m for m in _MD_LINK.finditer(text)
                             if not m.group(1).lower().startswith(_SAFE_SCHEMES)), None)
                match = html or link
                if match is not None:
                    start = max(0, match.start() - 10)
                    self.add("text-html", path, field=path, excerpt=text[start:match.end() + 20])
            if not scan_child or len(text) < _SHORTEST_CHILD_DATA:
                continue
            for hit in find_child_data(text):
                self.add("child-data", path, field=path, kind=hit.kind, excerpt=hit.excerpt)
                break

    def dates(self) -> None:
        for path, text in self.strings():
            name = path[-1] if path and isinstance(path[-1], str) else ""
            if name not in self.ctx.date_fields:
                continue
            if not _ISO_DATE.fullmatch(text):
                continue  # a malformed date is reported once, by the schema
            parsed = _parse_date(text)
            if parsed is None:
                self.add("date-invalid", path, value=text)
            elif name in self.ctx.past_fields and parsed > self.ctx.today:
                self.add("date-future", path, field=path, value=text)

    def temporary(self) -> None:
        """Dated temporary information: first day before last, one year at most, hours readable."""
        for index, item in enumerate(_items(self.record.data.get("temporaire"))):
            if not isinstance(item, dict):
                continue  # a wrong type is reported by the schema
            start = _parse_date(item["du"]) if isinstance(item.get("du"), str) else None
            end = _parse_date(item["au"]) if isinstance(item.get("au"), str) else None
            if start and end and start > end:
                self.add("temporary-order", ("temporaire", index, "au"), du=start, au=end)
            elif start and end and add_months(start, 12) < end:
                self.add("temporary-too-long", ("temporaire", index, "au"), du=start, au=end)
            if isinstance(item.get("horaires"), str) and not valid_hours(item["horaires"]):
                self.add("hours-invalid", ("temporaire", index, "horaires"), value=item["horaires"])

    def ages(self, path: ValuePath, ages: Any) -> None:
        if (isinstance(ages, dict) and type(ages.get("min")) is int and type(ages.get("max")) is int
                and ages["min"] > ages["max"]):
            self.add("age-order", (*path, "min"), min=ages["min"], max=ages["max"])

    def vocab(self, name: str, path: ValuePath, value: Any) -> None:
        values = value if isinstance(value, list) else [value]
        vocab = self.ctx.vocabularies[name]
        for index, term in enumerate(values):
            if not isinstance(term, str) or not term or term in vocab.terms:
                continue  # an empty value is reported once, by the schema
            p = (*path, index) if isinstance(value, list) else path
            close = difflib.get_close_matches(term, list(vocab.terms), n=1, cutoff=0.6)
            if not close:
                folded = {normalise_name(str(t.get("libelle", ""))): k for k, t in vocab.terms.items()}
                hit = folded.get(normalise_name(term))
                close = [hit] if hit else []
            allowed = sorted(vocab.terms) if len(vocab.terms) <= _LISTED_TERMS else None
            self.add("vocab-unknown", p, value=term, vocab=vocab.title, suggestion=close[0] if close else None,
                     allowed=allowed)

    def phone(self, path: ValuePath, value: Any) -> None:
        """A phone copied with non-breaking spaces, or well written but not in the numbering plan (a number
        written in another way is reported once, by the schema, whose message gives the example)."""
        if not isinstance(value, str):
            return
        if NON_BREAKING_SPACES.search(value):
            self.add("phone-invalid", path, value=value, reason="non-breaking-space")
        elif _FR_WRITTEN.fullmatch(value) and not valid_phone(value):
            self.add("phone-invalid", path, value=value, reason="not-in-plan")

    def places(self) -> None:
        lieux = self.record.data.get("lieux")
        if not isinstance(lieux, list):
            return
        for index, lieu in enumerate(lieux):
            if not isinstance(lieu, dict):
                continue
            base: ValuePath = ("lieux", index)
            self.place_geo(base, lieu)
            if "telephone" in lieu:
                self.phone((*base, "telephone"), lieu["telephone"])
            if isinstance(lieu.get("horaires"), str) and not valid_hours(lieu["horaires"]):
                self.add("hours-invalid", (*base, "horaires"), value=lieu["horaires"])

    def insee_of(self, lieu: dict[str, Any]) -> tuple[str, str, str] | None:
        """The commune named by the place's commune and postal code, when they name exactly one:
        (its official name, the postal code, its INSEE code)."""
        cp, name = lieu.get("code_postal"), lieu.get("commune")
        if not (isinstance(cp, str) and _POSTAL_CODE.fullmatch(cp) and isinstance(name, str) and name.strip()):
            return None
        found = self.ctx.gazetteer.match(name, cp)
        codes = {c.code_insee for c in found}
        return (found[0].nom, cp, found[0].code_insee) if len(codes) == 1 else None

    def place_geo(self, base: ValuePath, lieu: dict[str, Any]) -> None:
        insee, cp, name = lieu.get("code_insee"), lieu.get("code_postal"), lieu.get("commune")
        if insee is None:  # missing: the schema says so, this says which code to write
            known = self.insee_of(lieu)
            if known is not None:
                self.add("geo-insee-missing", base, parent=base, commune=known[0], code_postal=known[1],
                         suggested_insee=known[2])
            return
        if not isinstance(insee, str) or not _CODE_INSEE.fullmatch(insee):
            known = self.insee_of(lieu) if isinstance(insee, str) and insee.strip() else None
            if known is not None:  # else a malformed code is reported once, by the schema
                self.add("geo-insee-unknown", (*base, "code_insee"), value=insee, commune=known[0],
                         code_postal=known[1], suggested_insee=known[2])
            return
        commune = self.ctx.gazetteer.commune(insee)
        if commune is None:
            known = self.insee_of(lieu)
            self.add("geo-insee-unknown", (*base, "code_insee"), value=insee, commune=known and known[0],
                     code_postal=known and known[1], suggested_insee=known and known[2])
            return
        if isinstance(cp, str) and _POSTAL_CODE.fullmatch(cp) and cp not in commune.codes_postaux:
            self.add("geo-postal-mismatch", (*base, "code_postal"), code_postal=cp,
                     commune_officielle=commune.nom, code_insee=insee,
                     attendus=list(commune.codes_postaux))
        if isinstance(name, str) and normalise_name(name) not in {
            normalise_name(commune.nom), normalise_name(commune.nom_article)
        }:
            candidates = self.ctx.gazetteer.match(name, cp) if isinstance(cp, str) else []
            other = candidates[0] if candidates else None
            self.add("geo-commune-mismatch", (*base, "commune"), commune=name, code_insee=insee,
                     commune_officielle=commune.nom, suggested_commune=other.nom if other else None,
                     suggested_insee=other.code_insee if other else None)
        coords = lieu.get("coordonnees")
        if isinstance(coords, dict):
            lat, lon = coords.get("latitude"), coords.get("longitude")
            if (isinstance(lat, int | float) and isinstance(lon, int | float)
                    and -90 <= lat <= 90 and -180 <= lon <= 180):  # out of range: reported by the schema
                distance = haversine_km(lat, lon, commune.latitude, commune.longitude)
                if distance > 25:
                    self.add("geo-manual-far", (*base, "coordonnees"), distance=round(distance),
                             commune=commune.nom)

    # -- per kind ---------------------------------------------------------------
    def professionnel(self) -> None:
        d = self.record.data
        np_ = d.get("nouveaux_patients")
        if (d.get("statut") in ("inactif", "cesse") and isinstance(np_, dict) and np_.get("accepte") == "oui"):
            self.add("status-new-patients", ("nouveaux_patients", "accepte"), status=d["statut"])
        self.vocab("professions", ("profession",), d.get("profession"))
        if "specialites" in d:
            self.vocab("specialites", ("specialites",), d["specialites"])
            self.specialty_fit(d)
        if "langues" in d:
            self.vocab("langues", ("langues",), d["langues"])
        if isinstance(d.get("rpps"), str):
            check = identifiers.rpps_ok(d["rpps"])
            if check is identifiers.IdCheck.BAD_KEY:  # a malformed number is reported by the schema
                self.add("rpps-key", ("rpps",), value=d["rpps"])
        self.ages(("ages",), d.get("ages"))
        role = (d.get("sante_protegee") or {}).get("role") if isinstance(d.get("sante_protegee"), dict) else None
        term = self.ctx.vocabularies["professions"].terms.get(str(d.get("profession")))
        if isinstance(role, str) and role and term is not None and role != "coordination":
            allowed = [str(r) for r in _items(term.get("sante_protegee"))]
            if role not in allowed:
                label = str(term.get("libelle", d.get("profession")))
                self.add("vocab-mismatch", ("sante_protegee", "role"), reason="role", role=role, profession=label,
                         allowed=allowed)
        self.interne_phone()

    def specialty_fit(self, d: dict[str, Any]) -> None:
        specialties = self.ctx.vocabularies["specialites"].terms
        profession = d.get("profession")
        if not isinstance(profession, str) or profession not in self.ctx.vocabularies["professions"].terms:
            return  # an unknown profession is reported once, by the vocabulary check
        for index, term in enumerate(_items(d.get("specialites"))):
            entry = specialties.get(term) if isinstance(term, str) else None
            if not entry or not entry.get("professions") or profession in entry["professions"]:
                continue
            self.add("vocab-mismatch", ("specialites", index), reason="specialty",
                     specialty=str(entry.get("libelle", term)), profession=profession)

    def structure(self) -> None:
        d = self.record.data
        self.vocab("categories", ("categorie",), d.get("categorie"))
        for scheme, path in (("finess", ("finess",)), ("siret", ("siret",)),
                             ("finess", ("gestionnaire", "finess")), ("siret", ("gestionnaire", "siret"))):
            value: Any = d
            for part in path:
                value = value.get(part) if isinstance(value, dict) else None
            if isinstance(value, str):
                ok = identifiers.finess_ok(value) if scheme == "finess" else identifiers.siret_ok(value)
                if ok is identifiers.IdCheck.BAD_KEY:  # a malformed number is reported by the schema
                    self.add(f"{scheme}-key", path, value=value)
        secteur = d.get("secteur")
        if isinstance(secteur, dict):
            if "territoires" in secteur:
                self.vocab("territoires", ("secteur", "territoires"), secteur["territoires"])
            for index, insee in enumerate(_items(secteur.get("communes"))):
                if isinstance(insee, str) and self.ctx.gazetteer.commune(insee) is None:
                    self.add("geo-insee-unknown", ("secteur", "communes", index), value=insee)
        self.ages(("ages",), d.get("ages"))
        self.interne_phone()

    def convention(self) -> None:
        d = self.record.data
        if "services" in d:
            self.vocab("services", ("services",), d["services"])
        if "territoires" in d:
            self.vocab("territoires", ("territoires",), d["territoires"])
        public = d.get("public")
        if isinstance(public, dict):
            self.ages(("public", "ages"), public.get("ages"))
        for index, line in enumerate(_items(d.get("financements"))):
            if isinstance(line, dict) and line.get("financeur") == "autre" and not line.get("financeur_precision"):
                self.add("finance-precision", ("financements", index, "financeur"))
        self.convention_dates(d)
        for index, doc in enumerate(_items(d.get("documents"))):
            if (isinstance(doc, dict) and isinstance(doc.get("fichier"), str)
                    and doc["fichier"] not in self.attachments):
                self.add("document-missing", ("documents", index, "fichier"), name=doc["fichier"])
        self.interne_phone()
        self.interne_documents()

    def convention_dates(self, d: dict[str, Any]) -> None:
        dates = d.get("dates") if isinstance(d.get("dates"), dict) else {}
        parsed = {k: _parse_date(v) for k, v in dates.items() if isinstance(v, str)}
        sig, eff, fin = parsed.get("signature"), parsed.get("effet"), parsed.get("fin")
        if sig and eff and sig > eff:  # a retroactive effect is common (subsidies): worth a look only
            self.add("date-retroactive", ("dates", "effet"), signature=sig, effet=eff)
        if eff and fin and eff >= fin:
            self.add("date-order", ("dates", "fin"), first_field="effet", first=eff, second_field="fin", second=fin)
        elif sig and fin and not eff and sig >= fin:
            self.add("date-order", ("dates", "fin"), first_field="signature", first=sig, second_field="fin",
                     second=fin)
        status = d.get("statut") if isinstance(d.get("statut"), str) else None
        today = self.ctx.today
        signed_states = {"signee", "active", "suspendue", "expiree", "resiliee"}
        if status in signed_states and "signature" not in dates:
            self.add("status-signed-without-date", ("statut",), status=status)
        if status in {"projet", "en-negociation"} and sig:
            self.add("status-unsigned-with-date", ("dates", "signature"), status=status)
        if status in {"projet", "en-negociation"} and fin and fin < today:
            self.add("status-draft-ended", ("statut",), status=status, fin=fin)
        renewal = (d.get("reconduction") or {}).get("type") if isinstance(d.get("reconduction"), dict) else None
        if status == "active" and fin and fin < today and renewal != "tacite":
            self.add("status-active-ended", ("statut",), fin=fin)
        if status == "signee" and eff and eff <= today and not (fin and fin < today):
            self.add("status-signed-in-effect", ("statut",), effet=eff)
        if status == "active" and eff and eff > today:
            self.add("status-active-not-in-effect", ("statut",), effet=eff)
        if status == "expiree" and fin and fin >= today:
            self.add("status-expired-not-ended", ("statut",), fin=fin)
        if status == "expiree" and not fin:
            self.add("status-expired-without-end", ("statut",))

    def interne_phone(self) -> None:
        interne = self.record.data.get("interne")
        if isinstance(interne, dict) and "telephone" in interne:
            self.phone(("interne", "telephone"), interne["telephone"])

    def interne_documents(self) -> None:
        """The files of a convention's documents that are not public (``interne.documents``) exist."""
        interne = self.record.data.get("interne")
        documents = interne.get("documents") if isinstance(interne, dict) else None
        for index, doc in enumerate(_items(documents)):
            if (isinstance(doc, dict) and isinstance(doc.get("fichier"), str)
                    and doc["fichier"] not in self.attachments):
                self.add("document-missing", ("interne", "documents", index, "fichier"), name=doc["fichier"])

    def part(self) -> list[Problem]:
        """An internal part (a file of the internal registry holding only « interne »): its texts, phone, documents."""
        self.texts()
        self.dates()
        self.interne_phone()
        self.interne_documents()
        return self.problems

    def run(self) -> list[Problem]:
        self.texts()
        self.dates()
        self.places()
        self.temporary()
        getattr(self, self.record.kind)()
        return self.problems




def _french_national_pattern() -> re.Pattern[str]:
    """The numbering plan of libphonenumber's metadata for France, compiled once."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region("FR")
    kinds = ("fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "voip", "uan")
    patterns = [d.national_number_pattern for d in (getattr(meta, k, None) for k in kinds)
                if d is not None and d.national_number_pattern]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_FR_NATIONAL = _french_national_pattern()
_FR_WRITTEN = re.compile(r"(?:0|\+33 ?)([1-9](?:[ .]?\d{2}){4})")


def valid_phone(value: str) -> bool:
    """True for a French number that exists in the national numbering plan."""
    written = _FR_WRITTEN.fullmatch(value)
    if written:  # the usual forms: read the plan directly, as libphonenumber would
        return _FR_NATIONAL.fullmatch(re.sub(r"[ .]", "", written.group(1))) is not None
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, "FR"))
    except phonenumbers.NumberParseException:
        return False


def valid_hours(expression: str) -> bool:
    """True when the OpenStreetMap opening_hours parser accepts the expression."""
    if not expression.strip():
        return False
    try:
        return bool(opening_hours.validate(expression))
    except Exception:  # the parser raises its own error types on some inputs
        return False


def check_record(record: RawRecord, ctx: Context, attachments: frozenset[str] = frozenset()) -> list[Problem]:
    return RecordChecker(record, ctx, attachments).run()


def check_part(part: RawRecord, ctx: Context, attachments: frozenset[str] = frozenset()) -> list[Problem]:
    """Problems of an internal part on its own (``attachments``: the files beside the internal conventions)."""
    return RecordChecker(part, ctx, attachments).part()

