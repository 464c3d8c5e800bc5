"""Tests of identifier keys (SIREN, SIRET, FINESS, RPPS, NIR)."""

from __future__ import annotations

import pytest

from maillage.validation.identifiers import (
    IdCheck,
    compact,
    fictional_finess,
    fictional_rpps,
    fictional_siret,
    finess_ok,
    luhn_key,
    luhn_ok,
    make_luhn,
    nir_candidates,
    nir_key,
    rpps_ok,
    siren_ok,
    siret_ok,
)


def test_luhn() -> None:
    assert luhn_ok("79927398713")  # the textbook example
    assert not luhn_ok("79927398710")
    assert not luhn_ok("")
    assert not luhn_ok("12a4")
    assert not luhn_ok("١٢٣")  # non-ASCII digits
    assert luhn_key("7992739871") == "3"
    assert make_luhn("7992739871") == "79927398713"
    with pytest.raises(ValueError):
        luhn_key("12 3")


def test_idcheck_truthiness_and_messages() -> None:
    assert IdCheck.OK and not IdCheck.BAD_KEY and not IdCheck.BAD_FORMAT
    assert IdCheck.BAD_KEY.message.startswith("clé de contrôle")
    assert IdCheck.BAD_FORMAT == "format"


def test_compact() -> None:
    assert compact("130 025 265 00013") == "13002526500013"
    assert compact("2a 000 001 4") == "2A0000014"
    assert compact("100.089.370\u00a095") == "10008937095"


def test_siret_and_siren() -> None:
    # DINUM (Direction interministérielle du numérique), public SIRET; Luhn checked by hand:
    # digits 1300252650001[3] -> doubled sum 27 + plain sum 13 = 40.
    assert siret_ok("13002526500013") is IdCheck.OK
    assert siren_ok("130025265") is IdCheck.OK
    assert siret_ok("73282932000074") is IdCheck.OK
    assert siret_ok("73282932000079") is IdCheck.BAD_KEY
    assert siret_ok("1300252650001") is IdCheck.BAD_FORMAT
    assert siret_ok("130 025 265 00013") is IdCheck.BAD_FORMAT
    assert siren_ok("130025266") is IdCheck.BAD_KEY
    assert siren_ok("13002526") is IdCheck.BAD_FORMAT


def test_siret_la_poste() -> None:
    assert siret_ok("35600000000048") is IdCheck.OK  # head office: Luhn
    assert siret_ok("35600000049837") is IdCheck.OK  # branch: digit sum 45, not Luhn
    assert siret_ok("35600000049838") is IdCheck.BAD_KEY
    assert siret_ok("35100000049837") is IdCheck.BAD_KEY  # digit sum 45 but not La Poste


@pytest.mark.parametrize(
    "finess",
    [
        "010003820",  # mainland examples
        "750712184",
        "130786049",
        "2A0000014",  # CH Ajaccio (ARS Corse)
        "2A0002606",  # Sartène
        "2B0000020",  # CH Bastia
        "2B0005342",  # CH Calvi
    ],
)
def test_finess_valid(finess: str) -> None:
    assert finess_ok(finess) is IdCheck.OK


def test_finess_invalid() -> None:
    assert finess_ok("010003821") is IdCheck.BAD_KEY
    assert finess_ok("2A0000015") is IdCheck.BAD_KEY
    assert finess_ok("2B0000014") is IdCheck.BAD_KEY  # Ajaccio's number with the wrong letter
    assert finess_ok("2C0000014") is IdCheck.BAD_FORMAT
    assert finess_ok("2a0000014") is IdCheck.BAD_FORMAT  # compact() upper-cases first
    assert finess_ok("01000382") is IdCheck.BAD_FORMAT
    assert finess_ok("0100038200") is IdCheck.BAD_FORMAT
    assert finess_ok("A10003820") is IdCheck.BAD_FORMAT


def test_rpps() -> None:
    assert rpps_ok("10008937095") is IdCheck.OK  # published by practitioners themselves
    assert rpps_ok("10111548680") is IdCheck.OK
    assert rpps_ok("10001234567") is IdCheck.BAD_KEY
    assert rpps_ok("1000893709") is IdCheck.BAD_FORMAT
    assert rpps_ok("810008937095") is IdCheck.BAD_FORMAT  # "8" + RPPS: identifiant national
    assert rpps_ok("1000893709X") is IdCheck.BAD_FORMAT


def test_fictional_identifiers_are_valid_and_deterministic() -> None:
    for n in (0, 1, 42, 9_999):
        assert rpps_ok(fictional_rpps(n)) and len(fictional_rpps(n)) == 11
        assert finess_ok(fictional_finess("50", n)) and fictional_finess("50", n).startswith("5099")
        assert finess_ok(fictional_finess("2B", n))
        assert siret_ok(fictional_siret(n)) and siren_ok(fictional_siret(n)[:9])
    assert fictional_rpps(7) == fictional_rpps(7)
    assert len({fictional_siret(n) for n in range(200)}) == 200
    with pytest.raises(ValueError):
        fictional_finess("975", 1)
    with pytest.raises(ValueError):
        fictional_rpps(-1)


def test_nir_key() -> None:
    assert nir_key("1891275125012") == 82
    assert nir_key("2951099126111") == 93
    # Corsica: 2A -> 19, 2B -> 18 before the modulo.
    assert nir_key("185052A004001") == 97 - 1850519004001 % 97
    assert nir_key("185052B004001") == 97 - 1850518004001 % 97


def _found(text: str) -> list[str]:
    return [text[a:b] for a, b in nir_candidates(text)]


@pytest.mark.parametrize(
    "text",
    [
        "NIR : 1 89 12 75 125 012 82",
        "n° sécu 189127512501282.",
        "1891275125012 82",
        "1.89.12.75.125.012.82",
        "2 95 10 99 126 111 93",
        "1 89 12 75 125 012",  # no key: still a candidate
        "1891275125012",
        f"1 85 05 2A 004 001 {nir_key('185052A004001'):02d}",
    ],
)
def test_nir_found(text: str) -> None:
    found = _found(text)
    assert len(found) == 1
    assert found[0][0] in "12"


@pytest.mark.parametrize(
    "text",
    [
        "1 89 12 75 125 012 83",  # wrong key
        "189127512501283",
        "Tél. 02 33 77 78 79",
        "+33 2 33 77 78 79",
        "0233777879",
        "SIRET 130 025 265 00013",
        "13002526500013",
        "RPPS 10008937095",
        "FINESS 2A0000014",
        "50000 Saint-Lô",
        "du 12/03/2015 au 31.12.2016",
        "5 89 12 75 125 012",  # first digit 5: not a NIR
        "1 89 13 75 125 012",  # month 13
        "1 89 12 00 125 012",  # département 00
        "12345678901234567",
    ],
)
def test_nir_not_found(text: str) -> None:
    assert _found(text) == []
