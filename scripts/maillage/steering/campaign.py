"""Verification campaigns: which records are due, who to write to, and the messages to send.

``maillage remind`` selects the records due for verification — by default the « périmé »
bucket of :mod:`maillage.steering.freshness` (not verified for more than
``seuils.verification_mois`` months), or those older than ``--older-than`` months (0: all) — and
groups them by contact address: the internal contact (``interne.courriel``, from the
internal registry) when there is one, else the public e-mail of the record's first place
that has one. It writes:

* ``relance.csv``: a mail-merge table (``;``, UTF-8 with BOM, French headers), one row per
  contact;
* ``sans-contact.csv``: the records nobody can be written to (to call instead): the internal
  direct line and contact person when the internal registry has them, else the public number
  (a column says which);
* one ``.eml`` per contact: a French message showing each record's current public content,
  with two links per record: « Rien n'a changé » (the pre-filled confirmation form) and
  « Modifier ma fiche » (the correction form).

Maillage sends nothing: the département imports the table or the messages in its own mail
system. Everything is a pure function of the model and the business date (same input, same
bytes).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from maillage.core import links, statuses
from maillage.core.french import ages_fr, date_fr, join_fr, plural, weeks
from maillage.core.hours import opening_hours_fr
from maillage.core.kinds import BY_NAME
from maillage.core.labels import MODALITES, NOUVEAUX_PATIENTS, SANTE_PROTEGEE
from maillage.core.model import Model, Professionnel, Structure, add_months
from maillage.steering.freshness import bucket_of

PARIS = ZoneInfo("Europe/Paris")
Due = Professionnel | Structure
# Where the number of « sans-contact.csv » comes from (its « Origine du téléphone » column).
PHONE_INTERNAL = "ligne directe (registre interne)"
PHONE_PUBLIC = "téléphone publié sur la fiche"


@dataclass(frozen=True, slots=True)
class Contact:
    address: str  # lower-cased e-mail address
    name: str  # how to greet (internal contact name, else the record's name)
    records: tuple[Due, ...]

    @property
    def file_name(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.address.replace("@", "-at-")).strip("-")
        return f"{slug}.eml"


@dataclass(frozen=True, slots=True)
class Campaign:
    today: date
    older_than: int | None  # None: the « périmé » bucket of registre.yaml's verification period
    due: tuple[Due, ...]
    contacts: tuple[Contact, ...]
    without_contact: tuple[Due, ...]


def is_due(record: Due, today: date, period_months: int, older_than: int | None) -> bool:
    if older_than is None:
        return bucket_of(record.verifie_le, today, period_months) == "perime"
    if older_than == 0:  # « --older-than 0 »: every listed record, even one verified today
        return True
    return add_months(record.verifie_le, older_than) < today


def contact_of(record: Due) -> tuple[str, str | None] | None:
    """(address, person) for a record: its internal contact first, else a public e-mail; None if neither."""
    if record.interne and record.interne.courriel:
        return record.interne.courriel.strip().lower(), record.interne.contact
    for place in record.lieux:
        if place.courriel:
            return place.courriel.strip().lower(), None
    return None


def plan(model: Model, older_than: int | None = None) -> Campaign:
    """The campaign for ``model`` (the internal view gives internal contacts) at ``model.today``."""
    today, period = model.today, model.meta.verification_mois
    due = [r for r in (*model.professionnels, *model.structures)
           if r.statut in statuses.LISTED_PUBLICLY and is_due(r, today, period, older_than)]
    due.sort(key=lambda r: (r.verifie_le, r.kind, r.id))
    grouped: dict[str, list[Due]] = defaultdict(list)
    people: dict[str, str] = {}
    nobody: list[Due] = []
    for record in due:
        found = contact_of(record)
        if found is None:
            nobody.append(record)
            continue
        address, person = found
        grouped[address].append(record)
        if person:
            people.setdefault(address, person)
    contacts = tuple(
        Contact(a, people.get(a) or (grouped[a][0].titre if len(grouped[a]) == 1 else ""), tuple(grouped[a]))
        for a in sorted(grouped))
    return Campaign(today, older_than, tuple(due), contacts, tuple(nobody))


def phone_of(record: Due) -> tuple[str, str]:
    """(number to call, where it comes from): the internal direct line first, else the first public number."""
    if record.interne and record.interne.telephone:
        return record.interne.telephone, PHONE_INTERNAL
    public = next((p.telephone for p in record.lieux if p.telephone), "")
    return public, PHONE_PUBLIC if public else ""


# -- the message


def _facts(model: Model, r: Due) -> list[str]:
    """The record's current public content, one line each, as a partner would check it."""
    lines: list[str] = []
    if isinstance(r, Professionnel):
        lines.append(f"Profession : {model.label('professions', r.profession)}")
        if r.specialites:
            lines.append("Spécialités : " + ", ".join(model.label("specialites", s) for s in r.specialites))
        if r.ages:
            lines.append(f"Âges : {ages_fr(r.ages.min, r.ages.max)}")
        if r.modalites:
            lines.append("Consultations : " + join_fr([MODALITES.label(m) for m in r.modalites]))
        if r.nouveaux_patients:
            np = r.nouveaux_patients
            wait = f" (délai indicatif : {weeks(np.delai_semaines)})" if np.delai_semaines is not None else ""
            lines.append(f"Nouveaux patients : {NOUVEAUX_PATIENTS.short_label(np.accepte)}{wait}")
        if r.sante_protegee:
            lines.append(f"Santé protégée : {SANTE_PROTEGEE.short_label(r.sante_protegee.role)}")
    else:
        lines.append(f"Catégorie : {model.label('categories', r.categorie)}")
        if r.ages:
            lines.append(f"Âges : {ages_fr(r.ages.min, r.ages.max)}")
        if r.delai_attente_semaines is not None:
            lines.append(f"Délai d'attente indicatif : {weeks(r.delai_attente_semaines)}")
    for place in r.lieux:
        where = f"{place.nom} — " if place.nom else ""
        lines.append(f"Adresse : {where}{place.adresse_complete()}")
        if place.telephone:
            lines.append(f"  Téléphone : {place.telephone}")
        if place.courriel:
            lines.append(f"  Courriel : {place.courriel}")
        if place.horaires:
            hours = opening_hours_fr(place.horaires)
            lines.append("  Horaires : " + (" ; ".join(hours) if hours else place.horaires))
    return lines


def mailbox(name: str, address: str) -> Address:
    """One address header value: ``name`` (any text: commas, accents, quotes, parentheses) and ``address``.

    The ``email`` package quotes or encodes the name as the header needs (RFC 5322 / RFC 2047),
    so « Dr Vautier, médecin de PMI » stays one recipient and « (exemple fictif) » is not read
    as a comment. Line breaks in a name (a YAML block scalar) become spaces: a header never
    gets a second line of someone else's making.
    """
    username, _, domain = address.rpartition("@")
    return Address(display_name=" ".join(name.split()), username=username, domain=domain)


def message(model: Model, campaign: Campaign, contact: Contact) -> EmailMessage:
    meta = model.meta
    msg = EmailMessage(policy=email_policy.default)
    sender = meta.contact_courriel
    msg["From"] = mailbox(meta.editeur, sender)
    msg["To"] = mailbox(contact.name, contact.address)
    msg["Subject"] = f"Vos informations dans l'annuaire Santé protégée ({meta.departement_nom}) sont-elles à jour ?"
    msg["Date"] = format_datetime(datetime.combine(campaign.today, time(9, 0), tzinfo=PARIS))
    digest = hashlib.sha256(f"{campaign.today}|{contact.address}".encode()).hexdigest()[:16]
    msg["Message-ID"] = f"<relance-{campaign.today.isoformat()}-{digest}@{sender.partition('@')[2] or 'maillage'}>"
    count = len(contact.records)
    lines = [
        "Bonjour,",
        "",
        "Nous publions un annuaire des professionnels et des services qui soignent les enfants confiés "
        f"à l'aide sociale à l'enfance ({meta.titre}). "
        + ("Votre fiche y figure et nous voulons qu'elle reste juste." if count == 1
           else f"{plural(count, 'fiche')} vous concernant y figurent et nous voulons qu'elles restent justes."),
        "",
        "Pouvez-vous vérifier les informations ci-dessous ? Pour chaque fiche :",
        "- si rien n'a changé, cliquez sur « Rien n'a changé » : un formulaire déjà rempli s'ouvre sur "
        "GitHub (un compte gratuit y est nécessaire), il suffit de l'envoyer ;",
        "- sinon, cliquez sur « Modifier ma fiche » et indiquez ce qui a changé.",
        "Sans compte GitHub, répondez simplement à ce message : « rien n'a changé », ou ce qui a changé.",
        "",
    ]
    for r in contact.records:
        lines += ["—" * 40, r.titre, f"Informations vérifiées le {date_fr(r.verifie_le)}.", ""]
        lines += _facts(model, r)
        page = links.page_url(meta, r)
        if page:
            lines.append(f"Voir la fiche : {page}")
        confirm = links.confirmation_form(meta, r)
        correct = links.correction_form(meta, r)
        if confirm:
            lines.append(f"Rien n'a changé : {confirm}")
        if correct:
            lines.append(f"Modifier ma fiche : {correct}")
        lines.append("")
    lines += ["—" * 40, "",
              "Vous pouvez à tout moment demander la rectification ou le retrait de vos informations "
              f"(règlement général sur la protection des données) en écrivant à {meta.dpo_courriel or sender}.",
              "", "Merci de votre aide,", meta.editeur, sender]
    if meta.contact_telephone:
        lines.append(meta.contact_telephone)
    msg.set_content("\n".join(lines) + "\n", subtype="plain", charset="utf-8", cte="quoted-printable")
    return msg


# -- the files


def _table(headers: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([("'" + c) if c.startswith(("=", "+", "-", "@", "\t", "\r")) else c for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def files(model: Model, campaign: Campaign) -> dict[str, bytes]:
    """Relative name → bytes of every file of the campaign."""
    out: dict[str, bytes] = {}
    rows = []
    for contact in campaign.contacts:
        out[contact.file_name] = bytes(message(model, campaign, contact))
        rows.append([contact.address, contact.name, str(len(contact.records)),
                     " ; ".join(r.titre for r in contact.records),
                     " ; ".join(f"{r.kind}/{r.id}" for r in contact.records),
                     date_fr(min(r.verifie_le for r in contact.records)), contact.file_name])
    out["relance.csv"] = _table(["Courriel", "Destinataire", "Nombre de fiches", "Fiches", "Identifiants",
                                 "Plus ancienne vérification", "Message"], rows)
    nobody = []
    for r in campaign.without_contact:
        phone, origin = phone_of(r)
        nobody.append([f"{r.kind}/{r.id}", BY_NAME[r.kind].label, r.titre, phone, origin,
                       (r.interne.contact or "") if r.interne else "",
                       r.lieux[0].commune if r.lieux else "", date_fr(r.verifie_le),
                       links.page_url(model.meta, r) or ""])
    out["sans-contact.csv"] = _table(["Identifiant", "Type", "Fiche", "Téléphone", "Origine du téléphone",
                                      "Contact (registre interne)", "Commune", "Vérifiée le", "Page"], nobody)
    return out
