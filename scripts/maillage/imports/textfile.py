"""Open a national file (plain text or zip), detect its encoding, stream its lines.

The files are large (the national RPPS activity file is ~0.8 GB, 2.3 million lines), so
nothing here reads a whole file: lines are yielded as bytes, and only the lines a reader
keeps are decoded.

Encoding: a UTF-8 byte order mark means UTF-8; otherwise the first line that is not
plain ASCII decides: valid UTF-8 means UTF-8, anything else means Latin-1 (read as
Windows-1252, its superset for the printable characters, so that « œ » and « ’ »
survive; the few bytes Windows-1252 leaves undefined are read as Latin-1). A line that is
not valid UTF-8 in a file that was UTF-8 so far is a garbled file: the reader stops with
the line number.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from maillage.imports.errors import ImportFileError
from maillage.load.registry import display_path

BOM = b"\xef\xbb\xbf"
ZIP_MAGIC = b"PK\x03\x04"
UTF8, LATIN1 = "utf-8", "cp1252"
_READ_BUFFER = 1024 * 1024


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Bytes that Windows-1252 leaves undefined (0x81, 0x8D…) are read as Latin-1."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode("latin-1"), exc.end


codecs.register_error("maillage-latin1", _latin1_fallback)


@dataclass(frozen=True, slots=True)
class Member:
    """One file to read: a plain file, or one member of a zip archive."""

    display: str  # as shown in messages: "ps.zip › PS_LibreAcces_Personne_activite_….txt"
    name: str  # its own file name
    opener: Callable[[], BinaryIO]
    size: int

    def open(self) -> BinaryIO:
        return self.opener()


def members(path: Path) -> list[Member]:
    """The files inside ``path``: itself, or every file of a zip archive (in archive order)."""
    shown = display_path(path)
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFileError(shown, 0, f"impossible de lire le fichier ({exc.strerror or exc}).") from None
    if size == 0:
        raise ImportFileError(shown, 0, "le fichier est vide.")
    if magic != ZIP_MAGIC:
        return [Member(shown, path.name, lambda: path.open("rb"), size)]
    try:
        archive = zipfile.ZipFile(path)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFileError(shown, 0, f"l'archive zip est illisible ou tronquée ({exc}) : "
                                        "téléchargez-la de nouveau.") from None
    if not infos:
        raise ImportFileError(shown, 0, "l'archive zip ne contient aucun fichier.")
    return [Member(f"{shown} › {info.filename}", Path(info.filename).name,
                   (lambda info=info: archive.open(info)), info.file_size) for info in infos]  # type: ignore[misc]


class Lines:
    """Numbered lines of a member, as bytes without their line ending; :meth:`text` decodes one."""

    def __init__(self, member: Member) -> None:
        self.member = member
        self.encoding: str | None = None
        self.number = 0

    def error(self, message: str, line: int | None = None) -> ImportFileError:
        return ImportFileError(self.member.display, self.number if line is None else line, message)

    def __iter__(self) -> Iterator[bytes]:
        try:
            raw_stream = self.member.open()
        except (OSError, zipfile.BadZipFile) as exc:
            raise self.error(f"impossible d'ouvrir le fichier ({exc}).", 0) from None
        with raw_stream:
            stream = raw_stream if isinstance(raw_stream, io.BufferedReader) else io.BufferedReader(
                raw_stream, _READ_BUFFER)  # type: ignore[arg-type]
            number = 0
            decided = False
            try:
                for raw in stream:
                    number += 1
                    self.number = number
                    if number == 1 and raw.startswith(BOM):
                        raw = raw[len(BOM):]
                        self.encoding, decided = UTF8, True
                    if not decided and not raw.isascii():
                        try:
                            raw.decode(UTF8)
                            self.encoding = UTF8
                        except UnicodeDecodeError:
                            self.encoding = LATIN1
                        decided = True
                    raw = raw.rstrip(b"\r\n")
                    if b"\x00" in raw:
                        raise self.error("le fichier contient des octets nuls : ce n'est pas un fichier texte "
                                         "(ou il est endommagé).")
                    yield raw
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise self.error(f"l'archive zip est endommagée ou tronquée après cette ligne ({exc}) : "
                                 "téléchargez-la de nouveau.") from None

    def text(self, raw: bytes) -> str:
        """Decode one line (with the file's encoding, detected on its first non-ASCII line)."""
        if raw.isascii():
            return raw.decode("ascii")
        if self.encoding == LATIN1:
            return raw.decode(LATIN1, "maillage-latin1")
        try:
            return raw.decode(UTF8)
        except UnicodeDecodeError:
            raise self.error("caractères illisibles : le fichier était en UTF-8 jusqu'ici et cette ligne ne "
                             "l'est pas (fichier endommagé ou mélange d'encodages).") from None


_STAMP = re.compile(r"(20\d{2})(\d{2})(\d{2})(?:\d{4})?")


def date_in_name(name: str) -> str | None:
    """The extraction date in a publisher's file name (``…_202611200841.txt`` → ``2026-11-20``)."""
    match = _STAMP.search(name)
    if not match:
        return None
    year, month, day = match.groups()
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return None
    return f"{year}-{month}-{day}"
