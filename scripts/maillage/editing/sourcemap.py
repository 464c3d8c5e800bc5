"""Where each entry of a record file stands, and which comments belong to it.

The canonical form (:mod:`maillage.editing.canonical`) and the writer
(:mod:`maillage.editing.writer`) share this map of a YAML text. It is read with the same
parser as the loader (libyaml through PyYAML), after :func:`maillage.load.safe_yaml.parse_text`
has accepted the text, so the positions are those of the values the registry reads.

An *entry* is a key of a mapping (``nom: …``) or an item of a list (``- …``). Comments
belong to entries by these rules, which :func:`read_source` applies once:

* a comment (or blank) line belongs to the entry that **follows** it (``leading``): the
  documentation line above ``verifie_le:`` moves and disappears with ``verifie_le``;
* in the comment lines just before an entry, those indented **more** than that entry
  continue the block above it: they are the ``after`` comments of the previous entry at
  the same level (the commented-out fields at the end of a ``lieux`` item);
* a comment at the end of a line (``nom: ""  # À REMPLIR``) belongs to the deepest entry
  that starts on that line (``eol``);
* comment lines before the first top-level key form the file ``header`` (with the
  ``# yaml-language-server`` line); those after the last entry, not indented, the ``trailer``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import yaml

from maillage.load.safe_yaml import parse_text

Path_ = tuple[str | int, ...]
MAP, SEQ, SCALAR = "map", "seq", "scalar"

_BLOCK_HEADER_COMMENT = re.compile(r"[|>][0-9+-]*[ \t]+(#.*)$")
_COMMENT = re.compile("#[^\n\r\x85\u2028\u2029]*")
# What libyaml counts as a line break (YAML 1.1): lines are numbered as the parser numbers them.
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


@dataclass(slots=True)
class Comment:
    """One comment or blank line, as written: its column and its text (``""`` for a blank line)."""

    line: int  # 0-based line number in the source
    col: int
    text: str

    def shifted(self, delta: int) -> str:
        return " " * max(0, self.col + delta) + self.text if self.text else ""


@dataclass(slots=True, eq=False)
class Node:
    """One entry (or the document root) and the lines it occupies."""

    path: Path_
    parent: Node | None
    key_line: int  # 0-based line where the entry starts: its key, or its item's "-"
    col: int  # column of the key or of the "-"
    flow: bool  # the entry sits inside a flow collection ([…] or {…})
    kind: str = SCALAR  # what its value is: MAP, SEQ or SCALAR
    value_flow: bool = False  # its value is a flow collection
    empty_scalar: bool = False  # ``key:`` with nothing after it
    last_line: int = 0  # last line holding part of its value (comments excluded)
    children: list[Node] = field(default_factory=list)
    by_key: dict[str, Node] = field(default_factory=dict)
    leading: list[Comment] = field(default_factory=list)
    eol: str | None = None
    after: list[Comment] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return len(self.path)

    @property
    def first_line(self) -> int:
        """First line of the entry's block, its leading comments included."""
        return self.leading[0].line if self.leading else self.key_line

    @property
    def end_line(self) -> int:
        """Last line of the entry's block, its ``after`` comments included."""
        return self.after[-1].line if self.after else self.last_line

    def deepest_last(self) -> Node:
        """The entry written last inside this one (itself when it has no children)."""
        node = self
        while node.children:
            node = node.children[-1]
        return node

    def shares_line_with_parent(self) -> bool:
        """True for the first key of a list item (``- nom: …``) and for nested list items."""
        parent = self.parent
        return parent is not None and parent.parent is not None and parent.key_line == self.key_line

    def line_clean(self) -> bool:
        """Its lines belong to it alone: it can be replaced or removed line by line."""
        return not self.flow and not self.shares_line_with_parent()

    def find(self, path: Path_) -> Node | None:
        node: Node | None = self
        for part in path[len(self.path):]:
            if node is None:
                return None
            if isinstance(part, int):
                node = node.children[part] if node.kind == SEQ and 0 <= part < len(node.children) else None
            else:
                node = node.by_key.get(part) if node.kind == MAP else None
        return node


@dataclass(slots=True)
class SourceMap:
    """A parsed record file: its values (as the loader reads them), lines, entries and comments."""

    text: str
    lines: list[str]
    data: dict[str, Any]
    root: Node
    header: list[Comment]
    trailer: list[Comment]

    def node(self, path: Path_) -> Node | None:
        return self.root.find(path)


class _Walker:
    def __init__(self, text: str, lines: list[str]) -> None:
        self.text = text
        self.lines = lines
        self.events = yaml.parse(text, Loader=yaml.CSafeLoader)
        self.spans: list[tuple[int, int]] = []  # character spans of scalars (no comment inside)
        self.eol: dict[int, str] = {}  # comments after a block scalar's indicator, by line
        self.starts: dict[int, list[Node]] = {}  # entries starting on each line

    def _item_col(self, line: int, col: int) -> int:
        """Column of the "-" in front of a list item whose value starts at ``col``."""
        text = self.lines[line] if line < len(self.lines) else ""
        j = min(col, len(text)) - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        return j if j >= 0 and text[j] == "-" else max(0, col - 2)

    def _scalar_end_line(self, event: Any) -> int:
        end = event.end_mark
        if event.style in ("|", ">"):
            last = end.line - 1 if end.column == 0 else end.line
            while last > event.start_mark.line and not self.lines[last].strip():
                last -= 1
            return last
        return end.line

    def value(self, event: Any, node: Node) -> int:
        """Walk the value that starts with ``event`` for entry ``node``; returns its last line."""
        kind = type(event)
        if kind is yaml.ScalarEvent:
            node.kind = SCALAR
            start, end = event.start_mark, event.end_mark
            if not event.style and event.value == "":
                node.empty_scalar = True
                return node.key_line
            self.spans.append((start.index, end.index))
            if event.style in ("|", ">"):
                header = self.lines[start.line][start.column:]
                match = _BLOCK_HEADER_COMMENT.match(header)
                if match:
                    self.eol[start.line] = match.group(1).rstrip()
            return self._scalar_end_line(event)
        flow = bool(event.flow_style)
        node.value_flow = flow
        last = event.start_mark.line
        if kind is yaml.SequenceStartEvent:
            node.kind = SEQ
            index = 0
            while True:
                ev = next(self.events)
                if type(ev) is yaml.SequenceEndEvent:
                    return max(last, ev.end_mark.line) if flow else last
                line, col = ev.start_mark.line, ev.start_mark.column
                child = Node((*node.path, index), node, line, col if flow else self._item_col(line, col), flow)
                node.children.append(child)
                self.starts.setdefault(line, []).append(child)
                child.last_line = self.value(ev, child)
                last = max(last, child.last_line)
                index += 1
        node.kind = MAP
        while True:
            ev = next(self.events)
            if type(ev) is yaml.MappingEndEvent:
                return max(last, ev.end_mark.line) if flow else last
            key = ev.value
            self.spans.append((ev.start_mark.index, ev.end_mark.index))
            child = Node((*node.path, key), node, ev.start_mark.line, ev.start_mark.column, flow)
            node.children.append(child)
            node.by_key[key] = child
            self.starts.setdefault(child.key_line, []).append(child)
            child.last_line = self.value(next(self.events), child)
            last = max(last, child.last_line)


def _line_starts(text: str) -> list[int]:
    if not _RARE_BREAKS.search(text):
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return starts
    return [0, *(m.end() for m in _BREAK.finditer(text))]


_RARE_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def read_source(text: str, file: str = "<texte>", text_keys: frozenset[str] | None = None) -> SourceMap:
    """Map a record file's text; raises :class:`maillage.load.safe_yaml.LoadError` like the loader."""
    if text_keys is None:
        from maillage.core.schemas import load_schemas

        text_keys = load_schemas().text_keys
    data = parse_text(text, file, text_keys).data  # the loader's verdict and values come first
    lines = _BREAK.split(text) if _RARE_BREAKS.search(text) else text.split("\n")
    walker = _Walker(text, lines)
    events = walker.events
    next(events)  # StreamStart
    next(events)  # DocumentStart
    first = next(events)
    root = Node((), None, first.start_mark.line, first.start_mark.column, False)
    root.last_line = walker.value(first, root)
    starts = _line_starts(text)

    # Comments are in the gaps between scalars: there, a "#" can only start a comment.
    full: dict[int, Comment] = {}
    eol: dict[int, str] = dict(walker.eol)
    position = 0
    for start, end in [*sorted(walker.spans), (len(text), len(text))]:
        if start > position:
            for match in _COMMENT.finditer(text, position, start):
                index = match.start()
                line = bisect_right(starts, index) - 1
                col = index - starts[line]
                comment = match.group().rstrip()
                if lines[line][:col].strip():
                    eol[line] = comment
                else:
                    full[line] = Comment(line, col, comment)
        position = max(position, end)

    # Lines inside a multi-line scalar are content, even when blank.
    inside: set[int] = set()
    for start, end in walker.spans:
        first_line = bisect_right(starts, start) - 1
        last_line = bisect_right(starts, max(start, end - 1)) - 1
        if last_line > first_line:
            inside.update(range(first_line + 1, last_line + 1))
    for number, line_text in enumerate(lines):
        if not line_text.strip() and number not in inside and number not in full:
            full[number] = Comment(number, 0, "")

    # End-of-line comments: to the deepest block entry starting on the line, or else ending on it
    # (after a text written on several lines); otherwise a comment line of its own.
    ends: dict[int, list[Node]] = {}
    if any(not any(not n.flow for n in walker.starts.get(line, ())) for line in eol):
        for nodes in walker.starts.values():
            for node in nodes:
                if not node.flow and node.eol is None:
                    ends.setdefault(node.last_line, []).append(node)
    for line, comment in eol.items():
        candidates = [n for n in walker.starts.get(line, ()) if not n.flow] or ends.get(line, [])
        if candidates:
            target = max(candidates, key=lambda n: n.depth)
            target.eol = comment
        else:
            indent = len(lines[line]) - len(lines[line].lstrip(" "))
            full[line] = Comment(line, indent, comment)

    header: list[Comment] = []
    trailer: list[Comment] = []
    ordered = sorted(full.values(), key=lambda c: c.line)
    entry_lines = sorted(walker.starts)
    run: list[Comment] = []
    cursor = 0
    for comment in ordered:
        if run:
            while cursor < len(entry_lines) and entry_lines[cursor] <= run[-1].line:
                cursor += 1
            if cursor < len(entry_lines) and entry_lines[cursor] < comment.line:
                _attach(run, entry_lines[cursor], walker, root, header, lines)
                run = []
        run.append(comment)
    if run:
        while cursor < len(entry_lines) and entry_lines[cursor] <= run[-1].line:
            cursor += 1
        if cursor < len(entry_lines):
            _attach(run, entry_lines[cursor], walker, root, header, lines)
        elif not root.children:  # a record without fields ("{}"): comments above it are the header
            header.extend(c for c in run if c.line < root.key_line)
            trailer.extend(c for c in run if c.line >= root.key_line)
        else:
            _attach_trailer(run, root, trailer)
    return SourceMap(text, lines, data, root, header, trailer)


def _attach(run: list[Comment], line: int, walker: _Walker, root: Node, header: list[Comment],
            lines: list[str]) -> None:
    if not run:
        return
    entries = walker.starts[line]
    target = min(entries, key=lambda n: n.depth)  # the shallowest entry of the line: the item before its key
    if target.parent is root and target is root.children[0]:
        header.extend(run)
        return
    if target.parent is root and root.value_flow:
        header.extend(run)
        return
    indent = len(lines[line]) - len(lines[line].lstrip(" "))
    siblings = target.parent.children if target.parent is not None else []
    position = siblings.index(target)
    split = 0
    if position > 0:
        while split < len(run) and (run[split].text == "" or run[split].col > indent):
            split += 1
        while split > 0 and run[split - 1].text == "":  # blank lines open the next block
            split -= 1
        siblings[position - 1].after.extend(run[:split])
    target.leading.extend(run[split:])


def _attach_trailer(run: list[Comment], root: Node, trailer: list[Comment]) -> None:
    split = 0
    if root.children and not root.value_flow:
        while split < len(run) and (run[split].text == "" or run[split].col > 0):
            split += 1
        while split > 0 and run[split - 1].text == "":
            split -= 1
        root.children[-1].after.extend(run[:split])
    trailer.extend(run[split:])
