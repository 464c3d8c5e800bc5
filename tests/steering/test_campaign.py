"""Verification campaigns (``maillage remind``): selection, grouping by contact, mail-merge files, messages."""

from __future__ import annotations

import csv
import email
import io
from email import policy
from pathlib import Path

import pytest

from conftest import PROFESSIONNEL, STRUCTURE, make_registry
from maillage.cli.main import main


def _pro(name: str, first: str, verified: str, mail: str | None, rpps: str) -> str:
    text = (PROFESSIONNEL.replace("Lefèvre", name).replace("Claire", first)
            .replace("verifie_le: 2026-10-01", f"verifie_le: {verified}").replace("10001234565", rpps)
            .replace("12 rue des Halles", f"{len(name)} rue {name}"))
    if mail is None:
        return text.replace("    courriel: cabinet-halles@example.org\n", "")
    return text.replace("cabinet-halles@example.org", mail)


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return make_registry(
        tmp_path / "registry",
        professionnels={
            # verified long ago, one shared address for two records
            "ancien-a": _pro("Ancien", "Anne", "2025-01-10", "cabinet@example.org", "10001234565"),
            "ancien-b": _pro("Autre", "Bruno", "2025-03-02", "Cabinet@Example.org", "10001234573"),
            # verified long ago, no e-mail: call instead
            "sans-courriel": _pro("Muet", "Marc", "2025-02-01", None, "10001234581"),
            # recent: not due
            "recent": _pro("Recent", "Rita", "2026-10-01", "recent@example.org", "10001234599"),
        },
        structures={"cmp-coutances": STRUCTURE.replace("verifie_le: 2026-09-15", "verifie_le: 2025-06-01")},
    )


def run(registry: Path, out: Path, *extra: str) -> int:
    return main(["remind", "--registry", str(registry), "--out", str(out), "--date", "2026-11-29", *extra])


def _table(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_records_past_the_threshold_grouped_by_contact(registry: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "campagne"
    assert run(registry, out) == 0
    assert "4\u00a0fiches à faire vérifier : 1\u00a0message" in capsys.readouterr().out
    rows = _table(out / "relance.csv")
    assert [r["Courriel"] for r in rows] == ["cabinet@example.org"]
    assert rows[0]["Nombre de fiches"] == "2"
    assert rows[0]["Identifiants"] == "professionnel/ancien-a ; professionnel/ancien-b"
    assert rows[0]["Plus ancienne vérification"] == "10 janvier 2025"
    nobody = _table(out / "sans-contact.csv")
    assert sorted(r["Identifiant"] for r in nobody) == ["professionnel/sans-courriel", "structure/cmp-coutances"]
    assert all(r["Téléphone"] for r in nobody)


def test_messages_parse_and_carry_two_links_per_record(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "campagne"
    assert run(registry, out) == 0
    raw = (out / "cabinet-at-example-org.eml").read_bytes()
    raw.decode("ascii")  # quoted-printable: 7-bit clean on the wire
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "cabinet@example.org"
    assert message["From"].addresses[0].addr_spec == "sante-protegee@example.org"
    assert "sont-elles à jour" in message["Subject"]
    body = message.get_content()
    assert message.get_content_charset() == "utf-8"
    assert body.count("Rien n'a changé : https://github.com/example/maillage/issues/new?template=confirmation.yml") == 2
    assert "identifiant=professionnel%2Fancien-a" in body
    assert body.count("Modifier ma fiche : https://github.com/example/maillage/issues/new?template=correction.yml") == 2
    assert "Du lundi au vendredi" in body  # hours in French, not « Mo-Fr »
    assert "Préfère les courriels" not in body  # internal notes never go to partners


def test_older_than_overrides_the_threshold(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "campagne"
    assert run(registry, out, "--older-than", "1") == 0
    addresses = [r["Courriel"] for r in _table(out / "relance.csv")]
    assert addresses == ["cabinet@example.org", "recent@example.org"]


def test_same_registry_and_date_give_the_same_bytes(registry: Path, tmp_path: Path) -> None:
    assert run(registry, tmp_path / "a") == 0
    assert run(registry, tmp_path / "b") == 0
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_refuses_to_replace_an_unrelated_folder(registry: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "rapport.odt").write_bytes(b"important")
    assert run(registry, precious) == 2
    assert "n'est pas un dossier vide ni une campagne précédente" in capsys.readouterr().err
    assert (precious / "rapport.odt").read_bytes() == b"important"
    assert run(registry, tmp_path / "c", "--older-than", "0") == 2
