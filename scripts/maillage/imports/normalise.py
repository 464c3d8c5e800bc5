"""Normalisation of what the national files say: INSEE codes, addresses, names, phones.

* INSEE code from FINESS: département (2 characters) + commune (3 characters); Corsica is
  ``2A``/``2B``; overseas départements are ``9A``–``9F`` in FINESS and ``971``–``976`` in
  the INSEE code (``9D`` + ``411`` → ``97411``, Saint-Denis de La Réunion).
* Addresses: the street type abbreviations (``R``, ``AV``, ``BD``…) are expanded, the
  words re-cased (« DES ÉCOLES » → « des Écoles »); what is only postal (« BP 12 »,
  « CEDEX », a Cedex postal code) is kept out of ``adresse``, ``code_postal`` and
  ``commune`` — the three fields the geocoding query is built from — and goes into
  ``complement_adresse``.
* Commune name and postal code come from the gazetteer (official name of the INSEE code;
  the register's postal code if it serves the commune, else the commune's own).
* Phones: ten digits grouped by two (« 02 61 91 00 01 »); anything else is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from maillage.core.gazetteer import Commune, Gazetteer, departement_of

# --- INSEE codes -------------------------------------------------------------------------

OVERSEAS_FINESS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}


def insee_from_finess(departement: str, commune: str) -> str | None:
    """The INSEE code of a FINESS row (``None`` when the two fields cannot make one)."""
    dep = departement.strip().upper()
    com = commune.strip()
    if not com.isdigit():
        return None
    if dep in OVERSEAS_FINESS:
        overseas = OVERSEAS_FINESS[dep]
        if len(com) == 3 and com[0] == overseas[2]:
            return "97" + com
        if len(com) in (2, 3):
            return overseas + com[-2:]
        return None
    if len(dep) == 1 and dep.isdigit():
        dep = "0" + dep
    if not re.fullmatch(r"\d{2}|2[AB]", dep) or len(com) > 3:
        return None
    return dep + com.zfill(3)


def departement_of_finess(departement: str) -> str:
    """The département code of a FINESS ``departement`` field (``9D`` → ``974``)."""
    dep = departement.strip().upper()
    return OVERSEAS_FINESS.get(dep, dep.zfill(2) if dep.isdigit() else dep)


def departement_of_insee(code_insee: str) -> str | None:
    try:
        return departement_of(code_insee)
    except ValueError:
        return None


# --- words ------------------------------------------------------------------------------

_LOWER_WORDS = frozenset({"de", "des", "du", "la", "le", "les", "l", "d", "et", "sur", "sous", "en", "aux", "au",
                          "a", "à", "par", "pour", "dit", "dite"})
ACRONYMS = frozenset({
    "ADAPEI", "AEMO", "APAJH", "APF", "ARS", "ASE", "CAMSP", "CATTP", "CCAS", "CDS", "CEGIDD", "CH", "CHI",
    "CHS", "CHU", "CHR", "CJC", "CMP", "CMPP", "CMS", "CPEF", "CPTS", "CRA", "CSAPA", "DAC", "DITEP", "EEAP",
    "EHPAD", "EPSM", "ESAT", "FAM", "GHT", "HDJ", "IEM", "IJ", "IME", "IMPRO", "ITEP", "MAS", "MDA", "MDPH",
    "MSP", "PAEJ", "PCO", "PEP", "PMI", "SA", "SAMSAH", "SAS", "SARL", "SAVS", "SCM", "SCP", "SELARL", "SESSAD",
    "SSR", "SMR", "TND", "UAPED", "UDAF", "UNAPEI", "II", "III", "IV",
})
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+|[^\w\s]|\s+", re.UNICODE)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _case_word(word: str, first: bool) -> str:
    if word.upper() in ACRONYMS and word.isupper():
        return word
    lower = word.lower()
    if "'" in lower or "’" in lower:
        quote = "'" if "'" in lower else "’"
        head, tail = lower.split(quote, 1)
        if head in ("l", "d", "qu", "j"):
            head_cased = head.capitalize() if first else head
            return f"{head_cased}{quote}{tail[:1].upper()}{tail[1:]}"
        return f"{head.capitalize()}{quote}{tail[:1].upper()}{tail[1:]}"
    if not first and _fold(lower) in _LOWER_WORDS:
        return lower
    return lower[:1].upper() + lower[1:]


def french_case(text: str, capitalise_first: bool = True) -> str:
    """Re-case a text written in capitals: « CENTRE MÉDICO-PSYCHOLOGIQUE DE PÉRIERS » →
    « Centre Médico-Psychologique de Périers »; acronyms (CMP, CHU, IME…) stay as they are.

    A text already in mixed case is returned unchanged (someone chose its case). With
    ``capitalise_first=False`` (a street name after its type), a leading particle stays in
    lower case: « DE LA DORÉE » → « de la Dorée ».
    """
    text = " ".join(text.split())
    if not text or any(c.islower() for c in text):
        return text
    out: list[str] = []
    first = capitalise_first
    for token in _WORD.findall(text):
        if token.isspace() or not token[0].isalpha():
            out.append(token)
            continue
        out.append(_case_word(token, first))
        first = False
    return "".join(out)


def person_case(text: str) -> str:
    """A person's name in capitals, re-cased: « LE ROUX-DUPONT » → « Le Roux-Dupont »."""
    text = " ".join(text.split())
    if not text or any(c.islower() for c in text):
        return text
    out = []
    for token in _WORD.findall(text):
        if token[:1].isalpha():
            lower = token.lower()
            for quote in ("'", "’"):
                if quote in lower:
                    head, tail = lower.split(quote, 1)
                    lower = f"{head.capitalize()}{quote}{tail[:1].upper()}{tail[1:]}"
                    break
            else:
                lower = lower[:1].upper() + lower[1:]
            out.append(lower)
        else:
            out.append(token)
    return "".join(out)


# --- addresses ----------------------------------------------------------------------------

# Street types of the FANTOIR / La Poste abbreviations, as FINESS and the RPPS write them.
STREET_TYPES: dict[str, str] = {
    "ALL": "allée", "AV": "avenue", "BD": "boulevard", "BRG": "bourg", "CAR": "carrefour", "CHE": "chemin",
    "CHEM": "chemin", "CHS": "chaussée", "CITE": "cité", "CLOS": "clos", "COR": "corniche", "CRS": "cours",
    "CTRE": "centre", "DOM": "domaine", "ESP": "esplanade", "FG": "faubourg", "GR": "grande rue",
    "HAM": "hameau", "IMP": "impasse", "LD": "lieu-dit", "LOT": "lotissement", "MAIL": "mail", "MTE": "montée",
    "PARC": "parc", "PAS": "passage", "PASS": "passage", "PL": "place", "PLN": "plaine", "PLT": "plateau",
    "PRO": "promenade", "PROM": "promenade", "PRV": "parvis", "QU": "quai", "QUA": "quartier", "QUAI": "quai",
    "R": "rue", "RES": "résidence", "RLE": "ruelle", "ROC": "rocade", "RPT": "rond-point", "RTE": "route",
    "SEN": "sentier", "SQ": "square", "TPL": "terre-plein", "TRA": "traverse", "VLA": "villa", "VLGE": "village",
    "VOIE": "voie", "ZA": "zone d'activité", "ZAC": "zone d'aménagement concerté", "ZI": "zone industrielle",
    "ZONE": "zone",
}
REPETITION = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}
_POSTAL_ONLY = re.compile(r"^(?:B\.?\s?P\.?|C\.?\s?S\.?|T\.?\s?S\.?\s?A\.?)\s*\d+", re.IGNORECASE)
_CEDEX = re.compile(r"\bcedex\b", re.IGNORECASE)
_POSTCODE = re.compile(r"\b(\d{5})\b")


def is_postal_only(text: str) -> bool:
    """« BP 12 », « CS 30001 », « TSA 10001 »: a delivery mention, not a place."""
    return bool(_POSTAL_ONLY.match(text.strip()))


def street_type(code: str, label: str = "") -> str:
    """The street type in full, lower case: the register's label if any, else the expanded code."""
    if label.strip():
        return french_case(label.strip()).lower()
    code = code.strip().upper().rstrip(".")
    return STREET_TYPES.get(code, code.lower())


def street_line(numero: str, repetition: str, type_code: str, type_label: str, voie: str) -> str:
    """« 12 », « B », « R », « », « DES ÉCOLES » → « 12 bis rue des Écoles »."""
    parts = []
    numero = numero.strip().lstrip("0") or numero.strip()
    rep = repetition.strip()
    if numero:
        parts.append(numero + (" " + REPETITION.get(rep.upper(), rep.lower()) if rep else ""))
    kind = street_type(type_code, type_label)
    name = french_case(voie.strip(), capitalise_first=not kind)
    if kind and not (name and _fold(name.lower()).startswith(_fold(kind.lower()) + " ")):
        parts.append(kind)
    if name:
        parts.append(name)
    return " ".join(p for p in parts if p)


def postal_code_in(text: str) -> str | None:
    match = _POSTCODE.search(text)
    return match.group(1) if match else None


def has_cedex(text: str) -> bool:
    return bool(_CEDEX.search(text))


def join_complements(*parts: str | None) -> str | None:
    """Non-empty parts joined by « , » (duplicates dropped), capped at 200 characters."""
    seen: list[str] = []
    for part in parts:
        if part and part.strip() and part.strip() not in seen:
            seen.append(part.strip())
    text = ", ".join(seen)
    return text[:200].rstrip(" ,") or None


# --- communes --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Locality:
    code_insee: str
    commune: str  # official name
    code_postal: str  # a postal code that serves the commune
    departement: str


def locality(gazetteer: Gazetteer, code_insee: str | None, code_postal: str | None,
             label: str = "") -> Locality | None:
    """The commune of a register row: by INSEE code, else by postal code and name.

    The postal code is the register's when it serves the commune (a Cedex code does not),
    else the commune's first postal code.
    """
    commune: Commune | None = gazetteer.commune(code_insee) if code_insee else None
    if commune is not None and commune.type == "COMD" and commune.parent:
        commune = gazetteer.commune(commune.parent) or commune
    if commune is None and code_postal:
        found = gazetteer.match(label, code_postal) if label else []
        if not found:
            candidates = [c for c in gazetteer.by_postal_code(code_postal) if c.type == "COM"]
            found = candidates if len(candidates) == 1 else []
        commune = found[0] if found else None
        if commune is not None and commune.type == "COMD" and commune.parent:
            commune = gazetteer.commune(commune.parent) or commune
    if commune is None:
        return None
    postal = code_postal if code_postal and code_postal in commune.codes_postaux else (
        commune.codes_postaux[0] if commune.codes_postaux else (code_postal or ""))
    if not re.fullmatch(r"\d{5}", postal or ""):
        return None
    return Locality(commune.code_insee, commune.nom, postal, commune.departement)


# --- phones --------------------------------------------------------------------------------


def phone(raw: str) -> str | None:
    """« 0261910001 », « +33 2 61 91 00 01 », « 02.61.91.00.01 » → « 02 61 91 00 01 »; else ``None``."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) != 10 or not digits.startswith("0") or digits[1] == "0":
        return None
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))


# --- comparison keys and slugs --------------------------------------------------------------


def fold_key(text: str | None) -> str:
    """Accents, case, punctuation and spacing folded: how two values are compared."""
    if not text:
        return ""
    folded = _fold(str(text)).lower().replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def phone_key(text: str | None) -> str:
    return phone(text or "") or fold_key(text)


def address_key(adresse: str | None, code_insee: str | None) -> tuple[str, str]:
    """How two places are compared: street line folded, with its street type expanded, and INSEE code."""
    words = fold_key(adresse).split()
    expanded = []
    for word in words:
        full = STREET_TYPES.get(word.upper())
        expanded.append(fold_key(full) if full and len(word) <= 4 and word.upper() != "MAIL" else word)
    return (" ".join(expanded), (code_insee or "").upper())


def slug(text: str, limit: int = 80) -> str:
    """A record identifier: ASCII lower case and hyphens (« Le Roux, Zoé » → « le-roux-zoe »)."""
    folded = _fold(text).lower().replace("œ", "oe").replace("æ", "ae")
    value = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(value) > limit:
        value = value[:limit].rsplit("-", 1)[0] if "-" in value[:limit] else value[:limit]
    return value.strip("-")
