"""Line wrapping for French text: never separates « guillemets » or a space before : ; ? ! from their word."""

from __future__ import annotations

_GLUE_BEFORE = frozenset({"»", ":", ";", "?", "!"})


def wrap_french(text: str, width: int, separator: str | None = None) -> list[str]:
    """Lines of at most ``width`` characters when words allow.

    ``separator=None`` splits on any whitespace (comments); ``separator=" "`` keeps every
    other character as it is, so that joining the lines with single spaces gives ``text``
    back (YAML folded scalars).
    """
    tokens: list[str] = []
    for word in text.split(separator):
        if tokens and (word[:1] in _GLUE_BEFORE or tokens[-1].endswith("«")):
            tokens[-1] += " " + word
        else:
            tokens.append(word)
    lines: list[str] = []
    current = ""
    for token in tokens:
        if current and len(current) + 1 + len(token) > width:
            lines.append(current)
            current = token
        else:
            current = f"{current} {token}" if current else token
    return [*lines, current] if current else lines
