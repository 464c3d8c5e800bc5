"""Detect data about children in free text (the registry must never hold any).

:func:`find_child_data` reports three kinds of hit:

* ``nir``: something shaped like a social-security number
  (see :func:`maillage.identifiers.nir_candidates`);
* ``naissance``: a birth date ("né le 12/03/2015", "née le 3 mars 2016",
  "date de naissance : ...", "DDN 12/03/2015") with a first name a few words away;
* ``enfant_nomme``: wording that names a child ("l'enfant Lucas", "le petit Jules",
  "la jeune Emma D.", "enfant : Lina", "Noah (7 ans)", "mineur Tom").

Precision matters: descriptions of services ("Accueil des enfants de 0 à 6 ans",
"Maison des adolescents Saint-Lô", "Centre Jean Moulin", "Dr Martin reçoit les
enfants le mardi") must pass. A capitalised word counts as a first name when it is
in the embedded list of common given names (``FIRST_NAMES``), or when it is
followed by an initial ("Kylian D.") or an age ("Kylian (7 ans)"). Names alone are
never reported: only names inside one of the grammatical patterns above.

Excerpts have their digits masked (•) so that reports and CI logs do not repeat
a number or a date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from maillage.validation.identifiers import nir_candidates


@dataclass(frozen=True, slots=True)
class ChildDataHit:
    kind: str
    start: int
    end: int
    excerpt: str


# Common given names (accents folded, lower case), written for this project: the
# most frequent names given in France to children born since the 2000s, plus the
# most frequent names of earlier generations.
_FIRST_NAMES_TEXT = """
    aaron abdel abdou achille adam adel adele adem adrien agathe agnes aicha ali alice
    alicia alix alexandre alexis alma alya amandine ambre amelie amir amina amine anais
    andrea andre ange angele angelina anna anne annie antoine antonin anthony apolline
    armand arnaud arthur assia assya astrid aurelie aurelien axel axelle aya ayden ayla
    ayoub baptiste basile bastien benjamin benoit bilal blanche camille capucine carla
    caroline catherine celeste celia celine chahine charles charlie charlotte chloe
    christian christine christophe claire clara clarisse claude clemence clement cleo
    colette colin come constance corentin cyril damien daniel david diane diego dominique
    dylan eden elena eleonore eli elia elias elie elina eliott elisa elise ella elodie
    eloise elouan elsa emile emilie emma emmy emy enzo eric erwan esteban ethan eugenie
    eva evan eve ewen fabien fanny fatima fatoumata florence florian francois francoise
    frederic gabin gabriel gabrielle gael gaelle gaetan gaspard giulia guillaume hana
    hanae helene heloise henri hugo ibrahim ibrahima ilan ilyes imane imran ines inaya
    irene iris isaac isabelle ismael jade jasmine jean jeanne jenna jeremy jessica joachim
    joseph josephine jules julia julian julie julien juliette justin justine kais kamil
    kelya kenza kenzo kevin khadija killian kilian kylian laetitia lana laura laurent lea
    leandre leane leila lena leni lenny leo leon leonard leonie leonore lila lilou lily
    lina lino lisa lise liv liya loan lois loise lola lorenzo loris lou louane louis louisa
    louise louka louna luc luca lucas lucie lucile lucien luna luka lya lyam lyana lyna
    madeleine mae maeva mael maela maelle maelys mahe mahdi maissa malak malo mamadou manon
    marc marceau margaux margot marguerite maria marie marin marina marine marion marius
    mathias mathieu mathilde mathis mathys matheo mateo matteo maxence maxime maya mehdi
    melanie melina melissa meryl mia michel mila milan milo mohamed mohammed morgane moussa
    myriam naelle nael nahia naim naomi nathan nathalie nelia nicolas nina ninon nino noa
    noah noam noe noemie noham nolan nora nour nicole oceane olivia olivier oscar owen
    paco pauline paul paule philippe pierre quentin rafael raphael raphaelle rayan rayane
    remi robin romain romane romeo romy rose rosalie ruben sacha salma salome samuel sami
    sandrine sara sarah selena selma sebastien simon sirine sofia sohan solal solene soline
    sophie stella stephane suzanne swann sylvain tessa theo theodore thibault thibaut
    thomas tiago timeo timothe titouan tom tristan valentin valentine valerie victor
    victoire victoria vincent violette wassim yanis yann yasmine yassine youssef yusuf
    yael zelie zoe
"""
FIRST_NAMES: frozenset[str] = frozenset(_FIRST_NAMES_TEXT.split())

# Capitalised words that are never taken as a first name, even with an age or an
# initial after them (service vocabulary, articles, days, months...).
_NOT_NAMES_TEXT = """
    accueil aide association atelier au aux avec avenue ce centre cet cette chemin cmp
    cmpp camsp consultation dans de des docteur dr du elle elles en enfance enfant enfants
    espace et groupe hopital il ils je la le les lundi mardi mercredi jeudi vendredi samedi
    dimanche janvier fevrier mars avril mai juin juillet aout septembre octobre novembre
    decembre maison mme madame monsieur m mr nous on ou par place pole pour public rue
    saint sainte sante service sessad ime mdph pmi ase sur un une vous
"""
_NOT_NAMES: frozenset[str] = frozenset(_NOT_NAMES_TEXT.split())

_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
_LOWER = "a-zàâäçéèêëîïôöùûüÿæœ"
# A capitalised word ("Lucas", "Marie-Lou", "Noé") or a word in capitals ("LUCAS").
_NAME = (
    rf"(?:[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
    rf"|[{_UPPER}]{{2,}}(?:-[{_UPPER}]{{2,}})?)(?![\w'’])"
)
_INITIAL = rf"[{_UPPER}]\."
_AGE = (
    r"(?:\(\s*\d{1,2}\s*(?:ans?|mois)(?:\s+et\s+demi)?\s*\)"
    r"|,\s*(?:âgée?\s+de\s+)?\d{1,2}\s*(?:ans?|mois)\b)"
)
_WORD = re.compile(rf"(?P<name>{_NAME})(?P<initial>\s+{_INITIAL})?")
_AGE_AFTER = re.compile(r"\s*" + _AGE)

_DETERMINER = r"(?:l['’]|[lL]es\s+|[uU]n\s+|[cC]et\s+|[mMsStT]on\s+|[vVnN]otre\s+|[lL]eur\s+)"
_SMALL = r"(?:[lL]e|[lL]a|[uU]n|[uU]ne|[cC]e|[cC]ette|[mMsStT]on|[mMsStT]a)\s+"
_POSSESSIVE = r"(?:[mMsStT]on|[mMsStT]a|[lL]eur|[vV]otre|[nN]otre)\s+"
_NAMED_CHILD = re.compile(
    # l'enfant Lucas, un enfant nommé Tom, les enfants Lucas et Emma, l'ado Léo
    rf"(?:{_DETERMINER}(?:enfant|adolescente?|ado|mineure?|patiente?)s?"
    # le petit Jules, la jeune Emma D., une fillette prénommée Lina
    rf"|{_SMALL}(?:petite?|jeune|fillette|garçonnet|garçon|bébé|nourrisson)"
    # mon fils Lucas, sa fille Emma
    rf"|{_POSSESSIVE}(?:fils|fille|frère|s[œo]eur)"
    # mineur Tom, mineure Lina
    r"|\bmineure?"
    r")\s*,?\s*(?:(?:nommée?|prénommée?|appelée?|dénommée?)\s+)?"
    rf"(?=[{_UPPER}])"
)
# enfant : Lina / prénom de l'enfant : Nahel (this label takes any capitalised word)
_LABEL = re.compile(
    r"\b(?:enfant|mineure?)\s*:\s*"
    rf"(?=[{_UPPER}])",
    re.IGNORECASE,
)
_STRONG_LABEL = re.compile(
    r"\b(?:pr[ée]nom|nom)\s+(?:de\s+l['’]enfant|du\s+mineur|de\s+la\s+mineure)\s*:\s*"
    rf"(?=[{_UPPER}])",
    re.IGNORECASE,
)
# Noah (7 ans), Emma D., 10 ans
_NAME_WITH_AGE = re.compile(rf"(?<![\w'’])(?P<name>{_NAME})(?:\s+{_INITIAL})?{_AGE_AFTER.pattern}")
_CONTEXT_BEFORE = re.compile(
    r"(?:suivie?s?\s+de|pour|concernant|accompagner|orienter)\s+$", re.IGNORECASE
)

_MONTHS = (
    r"janv(?:ier|\.)?|f[ée]v(?:rier|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?"
    r"|ao[uû]t|sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|d[ée]c(?:embre|\.)?"
)
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?!\d)"
    r"|(?:1er|\d{1,2})\s+(?:" + _MONTHS + r")\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2})"
)
_BIRTH = re.compile(
    r"(?:\bn[ée]e?s?\s+le\s+"
    r"|\bdate\s+de\s+naissance\s*(?:de\s+l['’]enfant\s*)?[:\-–]?\s*"
    r"|\bD\.?D\.?N\.?\s*[:\-–]?\s*"
    r"|\bn[ée]e?s?\s+en\s+(?=(?:19|20)\d\d\b))"
    r"(?:" + _DATE + r"|(?:19|20)\d\d\b)",
    re.IGNORECASE,
)
_NEAR_WORDS = 6
_TOKEN = re.compile(r"\S+")
_NAME_BEFORE = re.compile(rf"(?<![\w'’])(?P<name>{_NAME})(?P<initial>\s+{_INITIAL})?\s*,?\s*$")
_SENTENCE_START = re.compile(r"(?:^|[.;:!?()\n\-–—•*])\s*$")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.replace("œ", "oe").replace("Œ", "OE"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _is_known_name(word: str) -> bool:
    return all(part in FIRST_NAMES for part in _fold(word).split("-"))


def _is_plausible_name(word: str) -> bool:
    """A capitalised (not all-capitals) word that is not service vocabulary."""
    if word.isupper():
        return False
    return not any(part in _NOT_NAMES for part in _fold(word).split("-"))


def _mask(text: str) -> str:
    return re.sub(r"\d", "•", " ".join(text.split()))


def _child_name_at(text: str, pos: int) -> int | None:
    """End of the first name starting at ``pos``, if it reads as a child's first name."""
    m = _WORD.match(text, pos)
    if m is None:
        return None
    name = m.group("name")
    if _is_known_name(name):
        return m.end()
    # An unknown capitalised word needs evidence: an initial or an age right after it.
    if _is_plausible_name(name):
        if m.group("initial"):
            return m.end()
        age = _AGE_AFTER.match(text, m.end())
        if age:
            return age.end()
    return None


# The child words _NAMED_CHILD is built around, searched in lower-cased text (fast, no flag).
_CHILD_WORDS = re.compile(
    "enfant|ado|mineur|patient|petit|jeune|fillette|garçon|bébé|nourrisson|fils|fille|frère|sœur|soeur"
)
_LONGEST_LEAD = 8  # "notre ", "cette ", "l'" … : what may stand before a child word, spaces aside


def _named_child_triggers(text: str) -> Iterator[re.Match[str]]:
    """Same matches as ``_NAMED_CHILD.finditer(text)``, found from the child words.

    Trying the full pattern at every position of long texts is slow; it can only match
    a few characters before one of its child words, so it is tried there only.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare character changes length when lower-cased
        yield from _NAMED_CHILD.finditer(text)
        return
    last_end = 0
    for word in _CHILD_WORDS.finditer(lowered):
        start = word.start()
        while start > 0 and text[start - 1].isspace():
            start -= 1
        for pos in range(max(last_end, start - _LONGEST_LEAD), word.start() + 1):
            match = _NAMED_CHILD.match(text, pos)
            if match is not None:
                yield match
                last_end = match.end()
                break


def _named_children(text: str) -> Iterator[tuple[int, int]]:
    for trigger in _named_child_triggers(text):
        end = _child_name_at(text, trigger.end())
        if end is not None:
            yield trigger.start(), end
    for pattern in (_LABEL,):
        for trigger in pattern.finditer(text):
            end = _child_name_at(text, trigger.end())
            if end is not None:
                yield trigger.start(), end
    for trigger in _STRONG_LABEL.finditer(text):
        m = _WORD.match(text, trigger.end())
        if m is not None and _is_plausible_name(m.group("name")):
            yield trigger.start(), m.end()
    for m in _NAME_WITH_AGE.finditer(text):
        name = m.group("name")
        if _is_known_name(name) or (
            _is_plausible_name(name)
            and _CONTEXT_BEFORE.search(text, max(0, m.start() - 30), m.start())
        ):
            yield m.start(), m.end()


def _names_near(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """First names within a few words before ``start`` or after ``end``."""
    lo = max(0, start - 120)
    words_before = list(_TOKEN.finditer(text, lo, start))[-_NEAR_WORDS:]
    window_start = words_before[0].start() if words_before else start
    words_after = list(_TOKEN.finditer(text, end, end + 120))[:_NEAR_WORDS]
    window_end = words_after[-1].end() if words_after else end
    for lo, hi in ((window_start, start), (end, window_end)):
        for m in _WORD.finditer(text, lo, hi):
            if _is_known_name(m.group("name")):
                yield m.start(), m.end()
    # "Kylian D. né le ...", or "Kylian, né le ..." at the start of a sentence: an unknown
    # name right before the marker (not a place: "... de Coutances, né le" is not taken).
    m = _NAME_BEFORE.search(text, max(0, start - 40), start)
    if m and _is_plausible_name(m.group("name")) and "\n" not in text[m.end("name") : start]:
        sentence_start = _SENTENCE_START.search(text, max(0, m.start() - 5), m.start())
        if m.group("initial") or sentence_start or m.start() == 0:
            yield m.start(), m.end()


def _births(text: str) -> Iterator[tuple[int, int]]:
    for m in _BIRTH.finditer(text):
        names = list(_names_near(text, m.start(), m.end()))
        if names:
            yield min(m.start(), *(a for a, _ in names)), max(m.end(), *(b for _, b in names))


def find_child_data(text: str) -> list[ChildDataHit]:
    """Places in ``text`` that look like data about a child, sorted by position."""
    spans = [("nir", a, b) for a, b in nir_candidates(text)]
    spans += [("naissance", a, b) for a, b in _births(text)]
    spans += [("enfant_nomme", a, b) for a, b in _named_children(text)]
    return [
        ChildDataHit(kind, a, b, _mask(text[a:b]))
        for kind, a, b in sorted(set(spans), key=lambda s: (s[1], s[2], s[0]))
    ]
