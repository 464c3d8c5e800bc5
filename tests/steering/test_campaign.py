"""Verification campaigns (``maillage remind``): selection, grouping by contact, mail-merge files, messages."""

from __future__ import annotations

import csv
import email
import email.message
import io
import json
import shutil
import subprocess
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from conftest import PROFESSIONNEL, STRUCTURE, make_registry
from maillage.cli.main import main
from maillage.steering import campaign


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
    assert run(registry, tmp_path / "c", "--older-than", "-1") == 2


# -- address headers, the internal registry, widening, the public checkout

# Names short enough for one RFC 2047 encoded word: when a longer one is split into several, the email
# package writes them as RFC 2047 says (mail clients join them), but CPython's own address parser keeps
# the folding space between them (« Dupr é »), which would make this check about the parser, not us.
HOSTILE_NAMES = {
    "virgule": "Dr Vaubert, médecin départemental de PMI",
    "guillemets": 'Mme « Zoé » "Lefèvre-Dupré"',
    "parentheses": "Secrétariat (accueil) ; Dr Hervé",
    "chevrons": "Consultations des < 6 ans, Dr Hervé",
    "retour-ligne": "Mme Durand\nBcc: intrus@example.org",
}


def _internal(tmp_path: Path, parts: dict[str, str]) -> Path:
    root = tmp_path / "interne"
    (root / "professionnels").mkdir(parents=True)
    for rid, text in parts.items():
        (root / "professionnels" / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return root


def _part(mail: str | None = None, contact: str | None = None, phone: str | None = None) -> str:
    lines = ["interne:"]
    if phone:
        lines.append(f'  telephone: "{phone}"')
    if mail:
        lines.append(f"  courriel: {mail}")
    if contact:
        lines.append("  contact: " + json.dumps(contact, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _parse(path: Path) -> email.message.EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_every_address_header_holds_one_recipient_with_the_full_name(tmp_path: Path) -> None:
    professionals = {f"pro-{key}": _pro(f"Nom{n}", "Anne", "2025-01-10", f"public-{key}@example.org", rpps)
                     for n, (key, rpps) in enumerate(zip(HOSTILE_NAMES, ("10001234565", "10001234573", "10001234581",
                                                                         "10001234599", "10001234607"), strict=True))}
    public = make_registry(tmp_path / "registry", professionnels={
        rid: text.replace("interne:\n  telephone: 02 61 91 12 35\n  notes: Préfère les courriels.\n", "")
        for rid, text in professionals.items()})
    internal = _internal(tmp_path, {f"pro-{key}": _part(f"direct-{key}@example.org", name)
                                    for key, name in HOSTILE_NAMES.items()})
    out = tmp_path / "campagne"
    assert run(public, out, "--internal", str(internal)) == 0
    messages = sorted(out.glob("*.eml"))
    assert len(messages) == len(HOSTILE_NAMES)
    for key, name in HOSTILE_NAMES.items():
        message = _parse(out / f"direct-{key}-at-example-org.eml")
        to = message["To"].addresses
        assert len(to) == 1, (key, str(message["To"]))
        assert to[0].addr_spec == f"direct-{key}@example.org"
        assert to[0].display_name == " ".join(name.split())  # a line break becomes a space, never a header
        assert message["Bcc"] is None and message["Cc"] is None
        sender = message["From"].addresses
        assert [(a.display_name, a.addr_spec) for a in sender] == [
            ("Département de la Manche (exemple fictif)", "sante-protegee@example.org")]
    rows = _table(out / "relance.csv")
    assert {r["Destinataire"] for r in rows} == set(HOSTILE_NAMES.values())


@pytest.mark.parametrize("name", ["Accueil <direction@example.org>, Œuvre", 'Le "Cabinet", (Dr) <x@y>',
                                  "Dr Vaubert,\r\nBcc: intrus@example.org"])
def test_names_the_validator_would_refuse_still_give_one_recipient(name: str) -> None:
    message = email.message.EmailMessage(policy=policy.default)
    message["To"] = campaign.mailbox(name, "direction-pmi@example.org")
    message.set_content("x\n")
    parsed = BytesParser(policy=policy.default).parsebytes(bytes(message))
    assert [(a.display_name, a.addr_spec) for a in parsed["To"].addresses] == [
        (" ".join(name.split()), "direction-pmi@example.org")]
    assert parsed["Bcc"] is None


def test_messages_word_each_fact_once(registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "campagne"
    assert run(registry, out) == 0
    body = _parse(out / "cabinet-at-example-org.eml").get_content()
    assert "(professionnel)" not in body  # the kind in parentheses after a name reads oddly
    assert "Anne Ancien\n" in body
    facts = [line for line in body.splitlines() if line.startswith("Nouveaux patients")]
    assert facts and all(line.count("ouveaux patients") == 1 for line in facts), facts


def test_sans_contact_gives_the_internal_direct_line_and_contact_first(registry: Path, tmp_path: Path) -> None:
    internal = _internal(tmp_path, {"sans-courriel": _part(None, "M. Aubrac, accueil du cabinet", "02 61 91 77 01")})
    assert run(registry, tmp_path / "interne-campagne", "--internal", str(internal)) == 0
    rows = {r["Identifiant"]: r for r in _table(tmp_path / "interne-campagne" / "sans-contact.csv")}
    direct = rows["professionnel/sans-courriel"]
    assert (direct["Téléphone"], direct["Origine du téléphone"], direct["Contact (registre interne)"]) == (
        "02 61 91 77 01", "ligne directe (registre interne)", "M. Aubrac, accueil du cabinet")
    other = rows["structure/cmp-coutances"]
    assert (other["Téléphone"], other["Origine du téléphone"], other["Contact (registre interne)"]) == (
        "02 61 91 20 00", "téléphone publié sur la fiche", "")
    # without the internal registry: the public number, whatever the internal registry holds
    assert run(registry, tmp_path / "publique") == 0
    public = {r["Identifiant"]: r for r in _table(tmp_path / "publique" / "sans-contact.csv")}
    assert public["professionnel/sans-courriel"]["Origine du téléphone"] == "téléphone publié sur la fiche"
    assert public["professionnel/sans-courriel"]["Téléphone"] != "02 61 91 77 01"


def test_nothing_due_says_how_to_widen_and_older_than_0_takes_every_record(
        registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(registry, tmp_path / "a", "--older-than", "60") == 0
    out = capsys.readouterr().out
    assert "Aucune fiche à faire vérifier" in out and "--older-than N" in out and "--older-than 0" in out
    assert main(["remind", "--registry", str(registry), "--out", str(tmp_path / "b"), "--date", "2026-10-01",
                 "--older-than", "0"]) == 0
    assert "5\u00a0fiches à faire vérifier" in capsys.readouterr().out  # even « recent », verified that very day


def _git_init(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git absent")
def test_internal_campaign_is_never_written_inside_the_public_checkout(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checkout = tmp_path / "maillage"
    registry = make_registry(checkout / "registry", professionnels={
        "ancien-a": _pro("Ancien", "Anne", "2025-01-10", "cabinet@example.org", "10001234565")})
    _git_init(checkout)
    internal = _internal(tmp_path, {"ancien-a": _part("direct@example.org", "Mme Roussel")})
    for inside in (checkout / "relance", checkout / "docs" / "relance", checkout / "registry" / "relance"):
        assert run(registry, inside, "--internal", str(internal)) == 2
        err = capsys.readouterr().err
        assert "copie de travail du dépôt public" in err and "hors du dépôt public" in err
        assert not inside.exists()
    # outside the public checkout, or in a separate repository checked out beneath it: written
    assert run(registry, tmp_path / "campagnes" / "relance", "--internal", str(internal)) == 0
    nested = checkout / "interne"
    nested.mkdir()
    _git_init(nested)
    assert run(registry, nested / "relance", "--internal", str(internal)) == 0
    # the public campaign (public addresses only) may go anywhere
    assert run(registry, checkout / "relance-publique") == 0


def test_refusal_to_replace_a_folder_names_it_and_says_why(registry: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "rapport.odt").write_bytes(b"important")
    assert run(registry, precious) == 2
    err = capsys.readouterr().err
    assert str(precious) in err and "rien n'a été écrit" in err
    assert "remplace entièrement son dossier --out, et seulement lui" in err
    assert "il sera entièrement remplacé" not in err


def test_remind_usage_error_shows_the_remind_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["remind", "--out", "x", "--audience", "interne"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("utilisation : maillage remind ")
    assert "maillage remind : erreur : option ou argument inconnu : --audience interne" in err
    assert "COMMANDE" not in err
