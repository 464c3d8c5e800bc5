"""The machinery of the problem catalogue: typed fields, message templates, problems.

An :class:`Entry` declares once a problem's code, severity, message template and typed
fields (each with an example value). Building a problem checks the values given against
those fields: a missing, extra or wrongly typed field is a programming error
(:class:`ProblemFieldError`), caught by ``tests/test_catalogue.py`` over the whole
catalogue and at every call site.

Template syntax (French text, shown to partners as is):

* ``{name}`` inserts the field ``name``, rendered by its type;
* ``[ … ]`` is shown only when every field inside has a value (not ``None``, not empty);
* ``[ … | … ]`` shows the text after ``|`` otherwise.

A :class:`Reasons` field holds one of a closed set of explanations, each with its own
template and fields: call sites pick an explanation by its key, never write French.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "erreur"
    WARNING = "avertissement"


class ProblemFieldError(TypeError):
    """A problem built with fields that its catalogue entry does not declare (a programming error)."""


ValuePath = tuple[str | int, ...]


# --- Field types ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A text taken from a record, a file or a vocabulary (never a sentence written in code)."""

    example: str

    def accepts(self, value: object) -> bool:
        return isinstance(value, str)

    def render(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True, slots=True)
class Integer:
    example: int

    def accepts(self, value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def render(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True, slots=True)
class Number:
    """A number; ``decimals`` set: that many decimals after a comma (``0,50``), else as read (``-240``)."""

    example: float
    decimals: int | None = None

    def accepts(self, value: object) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    def render(self, value: Any) -> str:
        return str(value) if self.decimals is None else f"{value:.{self.decimals}f}".replace(".", ",")


@dataclass(frozen=True, slots=True)
class Day:
    """A calendar date, written AAAA-MM-JJ as in the records."""

    example: date

    def accepts(self, value: object) -> bool:
        return isinstance(value, date)

    def render(self, value: Any) -> str:
        return str(value.isoformat())


@dataclass(frozen=True, slots=True)
class Texts:
    """A list of texts, joined by ``separator``; ``empty`` is shown for an empty list."""

    example: tuple[str, ...]
    separator: str = ", "
    empty: str = "aucun"

    def accepts(self, value: object) -> bool:
        return isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)

    def render(self, value: Any) -> str:
        return self.separator.join(value) if value else self.empty


@dataclass(frozen=True, slots=True)
class OneOf:
    """One key of a closed set, shown as its French phrase."""

    phrases: Mapping[str, str]
    example: str

    def accepts(self, value: object) -> bool:
        return isinstance(value, str) and value in self.phrases

    def render(self, value: Any) -> str:
        return self.phrases[value]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Several keys of a closed set, shown as their phrases joined by ``separator``."""

    phrases: Mapping[str, str]
    example: tuple[str, ...]
    separator: str = " ou "

    def accepts(self, value: object) -> bool:
        return (isinstance(value, list | tuple) and bool(value)
                and all(isinstance(v, str) and v in self.phrases for v in value))

    def render(self, value: Any) -> str:
        return self.separator.join(self.phrases[v] for v in value)


def field_label(path: Sequence[str | int]) -> str:
    """``('lieux', 1, 'code_postal')`` → ``lieux n° 2 › code_postal``."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            if parts:
                parts[-1] = f"{parts[-1]} n° {part + 1}"
            else:
                parts.append(f"n° {part + 1}")
        else:
            parts.append(part)
    return " › ".join(parts) if parts else "la fiche"


@dataclass(frozen=True, slots=True)
class FieldPath:
    """Where a value stands in a record, as a path (``("lieux", 0, "code_postal")``), shown
    as ``lieux n° 1 › code_postal``."""

    example: ValuePath

    def accepts(self, value: object) -> bool:
        return isinstance(value, tuple) and all(isinstance(p, str | int) and not isinstance(p, bool)
                                                for p in value)

    def render(self, value: Any) -> str:
        return field_label(value)


def describe_value(value: Any) -> str:
    """A value read from YAML, described in French: « le texte « … » », « le nombre 5 »…"""
    if value is None:
        return "vide"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"le nombre {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "…"
        return f"le texte « {shown} »"
    if isinstance(value, list):
        return "une liste"
    return "un bloc de champs"


@dataclass(frozen=True, slots=True)
class YamlValue:
    """Any value read from a record, described in French (:func:`describe_value`)."""

    example: Any

    def accepts(self, value: object) -> bool:
        return value is None or isinstance(value, str | int | float | bool | list | dict)

    def render(self, value: Any) -> str:
        return describe_value(value)


@dataclass(frozen=True, slots=True)
class Maybe:
    """An optional field: may be omitted or ``None``; used inside ``[ … ]`` in the template."""

    inner: FieldType

    @property
    def example(self) -> Any:
        return self.inner.example

    def accepts(self, value: object) -> bool:
        return value is None or self.inner.accepts(value)

    def render(self, value: Any) -> str:
        return self.inner.render(value)


@dataclass(frozen=True, slots=True)
class Reason:
    """One explanation of a :class:`Reasons` field: its French template and its own fields."""

    template: str
    fields: Mapping[str, FieldType] = field(default_factory=dict)
    parts: tuple[Part, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", parse_template(self.template))


@dataclass(frozen=True, slots=True)
class Reasons:
    """A closed set of explanations; the value is the key of the one that applies."""

    choices: Mapping[str, Reason]
    example: str

    def accepts(self, value: object) -> bool:
        return isinstance(value, str) and value in self.choices

    def render(self, value: Any) -> str:  # pragma: no cover - rendered through its template
        raise NotImplementedError


FieldType = Text | Integer | Number | Day | Texts | OneOf | AnyOf | FieldPath | YamlValue | Maybe | Reasons


# --- Templates --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    name: str


@dataclass(frozen=True, slots=True)
class Group:
    parts: tuple[str | Slot, ...]
    otherwise: tuple[str | Slot, ...]


Part = str | Slot | Group
_TOKEN = re.compile(r"\{(\w*)\}|[\[\]|{}]")


def parse_template(text: str) -> tuple[Part, ...]:
    """Parse the template syntax described in the module docstring (groups do not nest)."""
    top: list[Part] = []
    group: list[str | Slot] | None = None
    otherwise: list[str | Slot] | None = None
    position = 0
    for match in _TOKEN.finditer(text):
        current: list[Any] = top if group is None else (group if otherwise is None else otherwise)
        if match.start() > position:
            current.append(text[position:match.start()])
        position = match.end()
        token = match.group()
        if match.group(1):
            current.append(Slot(match.group(1)))
        elif token == "[" and group is None:
            group = []
        elif token == "|" and group is not None and otherwise is None:
            otherwise = []
        elif token == "]" and group is not None:
            top.append(Group(tuple(group), tuple(otherwise or ())))
            group, otherwise = None, None
        else:
            raise ValueError(f"template {text!r}: unexpected {token!r} at {match.start()}")
    if group is not None:
        raise ValueError(f"template {text!r}: unclosed [")
    if position < len(text):
        top.append(text[position:])
    return tuple(top)


def slots(parts: Sequence[Part]) -> list[tuple[str, bool]]:
    """Every field named in ``parts``, with whether it stands inside a ``[ … ]`` group."""
    found: list[tuple[str, bool]] = []
    for part in parts:
        if isinstance(part, Slot):
            found.append((part.name, False))
        elif isinstance(part, Group):
            found += [(p.name, True) for p in (*part.parts, *part.otherwise) if isinstance(p, Slot)]
    return found


def _present(value: object) -> bool:
    return value is not None and value != "" and value != () and value != []


def _identity(text: str) -> str:
    return text


# --- Entries and problems ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One problem of the catalogue: everything about it, written once."""

    code: str
    severity: Severity
    category: str
    template: str
    meaning: str  # Markdown (documentation only): syntax examples as `code`
    fix: str  # Markdown (documentation only)
    fields: Mapping[str, FieldType] = field(default_factory=dict)
    parts: tuple[Part, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", parse_template(self.template))
        self._check_declaration()

    # -- declaration ------------------------------------------------------------------
    def reasons(self) -> dict[str, Reasons]:
        return {name: kind for name, kind in self.fields.items() if isinstance(kind, Reasons)}

    def _check_declaration(self) -> None:
        used = slots(self.parts)
        for name, reasons in self.reasons().items():
            for key, reason in reasons.choices.items():
                clash = set(reason.fields) & set(self.fields)
                if clash:
                    raise ValueError(f"{self.code}: reason {key} redeclares {clash}")
                inner = slots(reason.parts)
                used += inner
                for slot, _ in inner:
                    if slot not in reason.fields and slot not in self.fields:
                        raise ValueError(f"{self.code}: reason {key} uses undeclared field {slot}")
                unused = set(reason.fields) - {s for s, _ in inner}
                if unused:
                    raise ValueError(f"{self.code}: reason {key} declares unused fields {unused}")
            if (name, False) not in used:
                raise ValueError(f"{self.code}: reasons field {name} is not in the template")
        names = {name for name, _ in used}
        for slot in names:
            if slot not in self.fields and not any(slot in r.fields for rs in self.reasons().values()
                                                   for r in rs.choices.values()):
                raise ValueError(f"{self.code}: template uses undeclared field {slot}")
        unused = set(self.fields) - names
        if unused:
            raise ValueError(f"{self.code}: fields {unused} are declared but never shown")
        for name, in_group in used:
            kind = self.fields.get(name)
            if isinstance(kind, Maybe) and not in_group:
                raise ValueError(f"{self.code}: optional field {name} must stand inside [ … ]")

    # -- values -----------------------------------------------------------------------
    def declared(self, values: Mapping[str, object]) -> dict[str, FieldType]:
        """The fields that apply to ``values`` (the entry's, plus those of the reasons chosen)."""
        declared = dict(self.fields)
        for name, reasons in self.reasons().items():
            key = values.get(name)
            if isinstance(key, str) and key in reasons.choices:
                declared.update(reasons.choices[key].fields)
        return declared

    def check(self, values: Mapping[str, object]) -> None:
        """Raise :class:`ProblemFieldError` unless ``values`` match the declared fields exactly."""
        _check_values(self.code, self.declared(values), values)

    def example(self, **chosen: str) -> dict[str, object]:
        """Example values of every field (a reason: ``chosen[name]`` or the declared example)."""
        values: dict[str, object] = {name: kind.example for name, kind in self.fields.items()}
        for name, reasons in self.reasons().items():
            key = chosen.get(name, reasons.example)
            values[name] = key
            values.update({n: k.example for n, k in reasons.choices[key].fields.items()})
        return values

    def render(self, values: Mapping[str, object], mark: Callable[[str], str] = _identity,
               literal: Callable[[str], str] = _identity) -> str:
        """The message for ``values`` (checked first). ``mark`` wraps each value shown and
        ``literal`` each piece of fixed text (the documentation escapes and highlights them)."""
        self.check(values)
        declared = self.declared(values)
        return self._render(self.parts, values, declared, mark, literal)

    def render_reason(self, name: str, key: str, values: Mapping[str, object],
                      mark: Callable[[str], str] = _identity, literal: Callable[[str], str] = _identity) -> str:
        """The text of the reason ``key`` of the :class:`Reasons` field ``name`` alone, for ``values``
        (the fields it shows; others are allowed if declared)."""
        reasons = self.fields.get(name)
        if not isinstance(reasons, Reasons) or key not in reasons.choices:
            raise ProblemFieldError(f"{self.code}: no reason {key!r} in field {name!r}")
        reason = reasons.choices[key]
        declared = {**self.fields, **reason.fields}
        extra = set(values) - set(declared)
        if extra:
            raise ProblemFieldError(f"{self.code}: undeclared field(s) {sorted(extra)}")
        shown = {slot for slot, _ in slots(reason.parts)}
        _check_values(self.code, {n: declared[n] for n in shown}, {n: v for n, v in values.items() if n in shown})
        return self._render(reason.parts, values, declared, mark, literal)

    def _render(self, parts: Sequence[Part], values: Mapping[str, object], declared: Mapping[str, FieldType],
                mark: Callable[[str], str], literal: Callable[[str], str]) -> str:
        out: list[str] = []
        for part in parts:
            if isinstance(part, str):
                out.append(literal(part))
            elif isinstance(part, Slot):
                kind = declared[part.name]
                value = values.get(part.name)
                if isinstance(kind, Reasons):
                    reason = kind.choices[str(value)]
                    out.append(self._render(reason.parts, values, declared, mark, literal))
                else:
                    out.append(mark(kind.render(value)))
            else:
                shown = all(_present(values.get(slot.name)) for slot in part.parts if isinstance(slot, Slot))
                out.append(self._render(part.parts if shown else part.otherwise, values, declared, mark, literal))
        return "".join(out)


def _check_values(code: str, declared: Mapping[str, FieldType], values: Mapping[str, object]) -> None:
    extra = set(values) - set(declared)
    if extra:
        raise ProblemFieldError(f"{code}: undeclared field(s) {sorted(extra)}")
    for name, kind in declared.items():
        if name not in values:
            if isinstance(kind, Maybe):
                continue
            raise ProblemFieldError(f"{code}: missing field {name!r}")
        if not kind.accepts(values[name]):
            raise ProblemFieldError(f"{code}: field {name!r} does not accept {values[name]!r} "
                                    f"({type(kind).__name__})")


@dataclass(frozen=True, slots=True)
class Finding:
    """A catalogued message not yet tied to a place in a file (e.g. from geocoding)."""

    code: str
    severity: Severity
    message: str
    fields: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    def at(self, file: str, line: int = 0, column: int = 0, path: str = "") -> Problem:
        return Problem(self.code, self.severity, self.message, file, line, column, path, self.fields)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing a partner must see: where, what, how bad."""

    code: str
    severity: Severity
    message: str
    file: str
    line: int = 0
    column: int = 0
    path: str = ""
    fields: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


class ProblemList:
    """What a result with ``problems`` answers: its errors, its warnings, its exit code (CLI contract)."""

    __slots__ = ()
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def exit_code(self, strict: bool = False) -> int:
        """0, or 1 when there are errors (or warnings, with ``strict``)."""
        return 1 if self.errors or (strict and self.warnings) else 0


def sort_key(p: Problem) -> tuple[str, int, int, str]:
    return (p.file, p.line, p.column, p.code)
