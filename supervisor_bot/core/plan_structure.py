"""Find a plan's outline — 一、sections, （一）sub-headings, 1. measures — in lines broken anywhere.

A line opens a new node only if it starts with a marker that continues the numbering where it stands
(the next section, the next or first sub-heading, the next or first measure). That rule, not layout,
tells a numbered paragraph from a line that merely happens to start with a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum

from supervisor_bot.core.chinese_numerals import NUMERAL_CHARS, parse_numeral
from supervisor_bot.core.plan_text import Line


class Level(IntEnum):
    SECTION = 1  # 一、
    SUBSECTION = 2  # （一）
    ITEM = 3  # 1.
    SUBITEM = 4  # （1）


_MARKERS: tuple[tuple[Level, re.Pattern[str]], ...] = (
    (Level.SECTION, re.compile(rf"^([{NUMERAL_CHARS}]+)\s*[、.](?!\d)")),
    (Level.SUBSECTION, re.compile(rf"^[(（]\s*([{NUMERAL_CHARS}]+)\s*[)）]")),
    # "22.2021年1月…" opens measure 22; "1.5%" or "3.5倍" is a number that a line break left at the start
    (Level.ITEM, re.compile(r"^(\d{1,3})\s*[.、](?!\d+\s*(?:%|‰|倍|万|亿|元))")),
    (Level.SUBITEM, re.compile(r"^[(（]\s*(\d{1,3})\s*[)）]")),
)
_TAIL = re.compile(r"^(?:附\s*件\s*\d*\s*(?:[:：]|$)|抄\s*送\s*[:：]|主\s*题\s*词\s*[:：])")


@dataclass(frozen=True)
class Marker:
    level: Level
    value: int
    label: str  # the marker as printed, e.g. "1." or "（一）"
    rest: str  # the line after the marker


def read_marker(text: str) -> Marker | None:
    for level, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            value = int(match.group(1)) if match.group(1).isdigit() else parse_numeral(match.group(1))
            if value:
                return Marker(level, value, match.group(0).strip(), text[match.end() :])
    return None


@dataclass
class Node:
    """A numbered paragraph and the lines that follow it up to the next one."""

    marker: Marker
    line: int
    parts: list[str] = field(default_factory=list)
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    @property
    def raw(self) -> str:
        return "".join(self.parts)


@dataclass
class _Numbering:
    """The last number seen at each level, and whether a new parent began since."""

    last: dict[Level, int] = field(default_factory=lambda: dict.fromkeys(Level, 0))
    fresh: dict[Level, bool] = field(default_factory=lambda: dict.fromkeys(Level, True))

    def continues(self, marker: Marker) -> bool:
        if marker.value == self.last[marker.level] + 1:
            return True
        return marker.value == 1 and self.fresh[marker.level] and marker.level is not Level.SECTION

    def accept(self, marker: Marker) -> None:
        self.last[marker.level] = marker.value
        self.fresh[marker.level] = False
        for deeper in Level:
            if deeper > marker.level:
                self.fresh[deeper] = True
                if marker.level is Level.SECTION and deeper is Level.SUBSECTION:
                    self.last[deeper] = 0


@dataclass(frozen=True)
class Outline:
    header: tuple[Line, ...]  # before the first marker: the notice, title, contact line
    roots: tuple[Node, ...]
    tail_line: int | None  # where 附件 / 抄送 begins, if it does


def outline(lines: list[Line]) -> Outline:
    """Split lines into header, a tree of numbered nodes, and the tail (attachments, 抄送)."""
    numbering = _Numbering()
    header: list[Line] = []
    roots: list[Node] = []
    stack: list[Node] = []
    tail_line = None
    for line in lines:
        if stack and _TAIL.match(line.text):
            tail_line = line.number
            break
        marker = read_marker(line.text)
        if marker and numbering.continues(marker):
            numbering.accept(marker)
            node = Node(marker, line.number, [marker.rest])
            while stack and stack[-1].marker.level >= marker.level:
                stack.pop()
            if stack:
                node.parent = stack[-1]
                stack[-1].children.append(node)
            else:
                roots.append(node)
            stack.append(node)
        elif stack:
            stack[-1].parts.append(line.text)
        else:
            header.append(line)
    return Outline(tuple(header), tuple(roots), tail_line)


def walk(nodes: tuple[Node, ...] | list[Node]) -> list[Node]:
    """Every node, depth first, in document order."""
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node.children))
    return out
