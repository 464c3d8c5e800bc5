"""The command line speaks French: help, usage line and usage errors (exit 2)."""

from __future__ import annotations

import pytest

from maillage.cli.main import main


def test_help_is_french(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("utilisation : maillage")
    assert "afficher cette aide et quitter" in out and "commandes:" in out
    assert "usage:" not in out and "show this help" not in out and "positional arguments" not in out


def test_sub_command_help_is_french(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("utilisation : maillage export")
    assert "show this help" not in out


@pytest.mark.parametrize(("argv", "expected"), [
    (["export"], "il manque : --out"),
    (["validate", "--inconnu"], "option ou argument inconnu : --inconnu"),
    (["new", "bidule", "x"], "valeur « bidule » non prévue pour TYPE"),
    (["validate", "--format"], "--format attend une valeur"),
    (["synth", "--records", "beaucoup", "--out", "x"], "valeur « beaucoup » incorrecte pour --records"),
    (["remind", "--out", "x", "--date", "2026-13-01"], "--date : « 2026-13-01 » n'est pas une date AAAA-MM-JJ"),
])
def test_usage_errors_are_french_and_exit_2(argv: list[str], expected: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "utilisation : maillage" in err
    assert f"erreur : {expected}" in err
    assert "error:" not in err and "the following" not in err
