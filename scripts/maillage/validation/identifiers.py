"""Check keys of French identifiers (SIREN, SIRET, FINESS, RPPS, NIR). Pure functions.

Identifiers are strings in their compact form (no spaces): the ``*_ok`` checks are
strict and return an :class:`IdCheck`, truthy only when the identifier is valid, so
that callers can tell a malformed value from a wrong check digit. Use
:func:`compact` to strip the spaces and dots people type.

Key rules (and where they come from):

* SIREN (9 digits) and SIRET (14 digits): Luhn over the whole number (INSEE).
  Exception: La Poste establishments (SIREN 356000000) use "sum of the digits is a
  multiple of 5"; the head office 35600000000048 satisfies Luhn, so both are accepted.
* FINESS (9 characters): Luhn over the 9 characters, i.e. the 9th is a Luhn key
  computed on the first 8. Corsican numbers start with 2A or 2B; for the key the
  letter is replaced by its rank in the alphabet (A -> 1, B -> 2). No official
  text was found for this substitution: it was established on FINESS numbers of
  Corsican hospitals published by ARS Corse in the prefectures' recueils des actes
  administratifs (2A0000014 CH Ajaccio, 2A0000170 Bonifacio, 2A0000386
  Castelluccio, 2A0002606 Sartène, 2B0000020 Bastia, 2B0005342 Calvi, 2B0004246
  Corte-Tattone): all pass with A->1/B->2 and fail with 0, 19/18 or other digits.
  Mainland examples (010003820, 750712184, 130786049) pass plain Luhn.
* RPPS (11 digits, in practice starting with "10"): Luhn over the 11 digits. The
  ANS documents only the length; the Luhn key was verified on six numbers that
  practitioners publish on their own sites (e.g. 10008937095, 10111548680,
  10010075736), all valid, while made-up ones (10001234567) fail. The
  "identifiant national" used by the ANS annuaire is "8" + RPPS (12 characters):
  :func:`rpps_ok` accepts only the bare 11-digit RPPS.
* NIR (social-security number, 13 digits + 2-digit key): key = 97 - (number mod 97),
  with 2A -> 19 and 2B -> 18 in the département position (INSEE).
"""

from __future__ import annotations

import re
from enum import StrEnum


class IdCheck(StrEnum):
    """Outcome of an identifier check; only ``OK`` is truthy."""

    OK = "ok"
    BAD_FORMAT = "format"
    BAD_KEY = "cle"

    def __bool__(self) -> bool:
        return self is IdCheck.OK

    @property
    def message(self) -> str:
        """Short French explanation, for error messages."""
        return _MESSAGES[self]


_MESSAGES = {
    IdCheck.OK: "identifiant valide",
    IdCheck.BAD_FORMAT: "format incorrect",
    IdCheck.BAD_KEY: "clé de contrôle incorrecte (faute de frappe probable)",
}

_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f]+")


def compact(s: str) -> str:
    """Remove spaces (including non-breaking ones), dots and hyphens; upper-case letters."""
    return _SEPARATORS.sub("", s).upper()


# --- Luhn ------------------------------------------------------------------


def _luhn_sum(digits: str) -> int:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = ord(char) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total


def luhn_ok(digits: str) -> bool:
    """True when ``digits`` (ASCII digits only, non-empty) passes the Luhn check."""
    return bool(digits) and digits.isascii() and digits.isdigit() and _luhn_sum(digits) % 10 == 0


def luhn_key(digits: str) -> str:
    """The Luhn check digit to append to ``digits``."""
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"chiffres attendus : {digits!r}")
    return str((10 - _luhn_sum(digits + "0") % 10) % 10)


def make_luhn(prefix: str) -> str:
    """``prefix`` followed by its Luhn check digit."""
    return prefix + luhn_key(prefix)


def _digits(s: str, length: int) -> bool:
    return len(s) == length and s.isascii() and s.isdigit()


# --- SIREN / SIRET -----------------------------------------------------------

LA_POSTE_SIREN = "356000000"


def siren_ok(s: str) -> IdCheck:
    """SIREN: 9 digits, Luhn key."""
    if not _digits(s, 9):
        return IdCheck.BAD_FORMAT
    return IdCheck.OK if luhn_ok(s) else IdCheck.BAD_KEY


def siret_ok(s: str) -> IdCheck:
    """SIRET: 14 digits, Luhn key (La Poste: digit sum multiple of 5)."""
    if not _digits(s, 14):
        return IdCheck.BAD_FORMAT
    if luhn_ok(s):
        return IdCheck.OK
    if s.startswith(LA_POSTE_SIREN) and sum(map(int, s)) % 5 == 0:
        return IdCheck.OK
    return IdCheck.BAD_KEY


# --- FINESS ------------------------------------------------------------------

_FINESS = re.compile(r"^(?:\d{2}|2[AB])\d{7}$")
_CORSICA_FINESS = {"A": "1", "B": "2"}


def finess_ok(s: str) -> IdCheck:
    """FINESS: 9 characters (digits; 2A/2B for Corsica), Luhn key (A -> 1, B -> 2)."""
    if not (s.isascii() and _FINESS.match(s)):
        return IdCheck.BAD_FORMAT
    digits = s[0] + _CORSICA_FINESS.get(s[1], s[1]) + s[2:]
    return IdCheck.OK if luhn_ok(digits) else IdCheck.BAD_KEY


# --- RPPS --------------------------------------------------------------------


def rpps_ok(s: str) -> IdCheck:
    """RPPS: 11 digits, Luhn key over the 11 digits."""
    if not _digits(s, 11):
        return IdCheck.BAD_FORMAT
    return IdCheck.OK if luhn_ok(s) else IdCheck.BAD_KEY


# --- fictional identifiers for synthetic data ----------------------------------


def fictional_rpps(n: int) -> str:
    """A valid-key RPPS for synthetic data: "199" + n on 7 digits + key.

    Real RPPS numbers start with "10"; the "199" prefix keeps fictional ones apart.
    """
    if not 0 <= n < 10**7:
        raise ValueError("n doit être compris entre 0 et 9 999 999")
    return make_luhn(f"199{n:07d}")


def fictional_finess(dep: str, n: int) -> str:
    """A valid-key FINESS for synthetic data: ``dep`` + "99" + ``n`` on 4 digits + key.

    ``dep`` is a 2-character département ("50", "2A"); overseas, pass "97".
    """
    dep = dep.upper()
    if not re.fullmatch(r"\d{2}|2[AB]", dep):
        raise ValueError(f"département sur 2 caractères attendu : {dep!r}")
    if not 0 <= n < 10**4:
        raise ValueError("n doit être compris entre 0 et 9 999")
    body = f"{dep}99{n:04d}"
    key = luhn_key(body[0] + _CORSICA_FINESS.get(body[1], body[1]) + body[2:])
    return body + key


def fictional_siret(n: int) -> str:
    """A valid-key SIRET for synthetic data: SIREN "99" + ``n`` on 6 digits + key, NIC "0001" + key.

    Fictional numbers are not reserved by INSEE: never publish them as real ones.
    """
    if not 0 <= n < 10**6:
        raise ValueError("n doit être compris entre 0 et 999 999")
    return make_luhn(make_luhn(f"99{n:06d}") + "0001")


# --- NIR ---------------------------------------------------------------------

_CORSICA_NIR = {"2A": "19", "2B": "18"}
_SEP = r"[ .\u00a0\u202f]"
_NIR_BODY = (
    r"(?P<sex>[1-478]){s}(?P<year>\d\d){s}(?P<month>0[1-9]|1[0-2]|[2-9]\d){s}"
    r"(?P<dep>0[1-9]|[1-9]\d|2[AaBb]){s}(?P<commune>\d{{3}}){s}(?P<order>\d{{3}})"
)
_NIR_RE = re.compile(rf"(?<!\w){_NIR_BODY.format(s=_SEP + '?')}(?:{_SEP}?(?P<key>\d\d))?(?!\w)")


def nir_key(number13: str) -> int:
    """NIR key of the 13-character number (2A/2B in the département position)."""
    dep = number13[5:7].upper()
    digits = number13[:5] + _CORSICA_NIR.get(dep, dep) + number13[7:]
    return 97 - int(digits) % 97


def nir_candidates(text: str) -> list[tuple[int, int]]:
    """Spans of text that look like a French social-security number (NIR).

    Shape: sex (1, 2, 3, 4, 7, 8), year, month (01-12 or 20-99), département
    (2 digits or 2A/2B), commune (3), order (3), then an optional 2-digit key;
    groups written together or separated by a space or a dot. With a key, the span
    is kept only if the key is right; without one, any 13-character NIR-shaped run
    is reported.
    Phone numbers, SIRET, RPPS, postal codes and dates do not have that shape.
    """
    spans = []
    for m in _NIR_RE.finditer(text):
        body = "".join(m.group(g) for g in ("sex", "year", "month", "dep", "commune", "order"))
        key = m.group("key")
        if key is not None and int(key) != nir_key(body):
            continue
        spans.append((m.start(), m.end()))
    return spans
