"""Find a plan's outline — 一、sections, （一）sub-headings, 1. measures — in lines broken anywhere.

A line opens a new node only if it starts with a marker that continues the numbering where it stands
(the next section, the next or first sub-heading, the next or first measure). That rule, not layout,
tells a numbered paragraph from a line that merely happens to start with a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum

from supervisor_bot.core.chinese_numerals import NUMERAL_CHARS, parse_numeral, to_numeral
from supervisor_bot.core.errors import PlanFormatError
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
# a paragraph ends here: what follows it starts a new one, so a number there is a marker, never text
_PARAGRAPH_END = re.compile(r"[。.；;)）！？!?]$")
_BARE_SECTION = re.compile(rf"^([{NUMERAL_CHARS}]{{1,3}})(?=[\u4e00-\u9fff])")
_UNCLOSED = re.compile(rf"^[(（]\s*([{NUMERAL_CHARS}]{{1,3}}|\d{{1,3}})\s*(?=[^)）{NUMERAL_CHARS}\d\s])")
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
                label = match.group(0).strip().replace("(", "（").replace(")", "）").replace(" ", "")
                return Marker(level, value, label, text[match.end() :])
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

    def expected(self, level: Level) -> str:
        return label_of(level, self.last[level] + 1)

    def doubt(self, marker: Marker) -> str | None:
        """Why a marker that does not continue the numbering, where a paragraph begins, cannot be text."""
        if marker.level is Level.SUBITEM:
            return None
        last = self.last[marker.level]
        if last == 0:
            return f"编号“{marker.label}”不连续，应为“{self.expected(marker.level)}”"
        previous = label_of(marker.level, last)
        if marker.value == last:
            return f"编号“{marker.label}”重复（上一项也是“{previous}”），应为“{self.expected(marker.level)}”"
        return f"编号“{marker.label}”不连续（上一项是“{previous}”），应为“{self.expected(marker.level)}”"

    def accept(self, marker: Marker) -> None:
        self.last[marker.level] = marker.value
        self.fresh[marker.level] = False
        for deeper in Level:
            if deeper > marker.level:
                self.fresh[deeper] = True
                if marker.level is Level.SECTION and deeper is Level.SUBSECTION:
                    self.last[deeper] = 0


def label_of(level: Level, value: int) -> str:
    if level is Level.SECTION:
        return f"{to_numeral(value)}、"
    if level is Level.SUBSECTION:
        return f"（{to_numeral(value)}）"
    return f"{value}." if level is Level.ITEM else f"（{value}）"


def _heading_like(text: str) -> bool:
    return len(text) <= 40 and not re.search(r"[，。；,;]", text)


def _missing_mark(text: str, numbering: _Numbering, written: str) -> str | None:
    """`二提升…` (no 、) or `（二提升…` (no ）): a heading that lost its mark, where the next one is due."""
    bare = _BARE_SECTION.match(text)
    due = numbering.last[Level.SECTION] + 1
    if bare and numbering.last[Level.SECTION] and parse_numeral(bare.group(1)) == due and _heading_like(text):
        label = numbering.expected(Level.SECTION)
        return f"“{text}”像是部分标题，但编号后缺少“、”，应写作“{label}{text[bare.end() :]}”"
    unclosed = _UNCLOSED.match(text)
    if unclosed:
        value = int(unclosed.group(1)) if unclosed.group(1).isdigit() else parse_numeral(unclosed.group(1))
        level = Level.SUBITEM if unclosed.group(1).isdigit() else Level.SUBSECTION
        if value and value == numbering.last[level] + 1 and (level is Level.SUBSECTION or value > 1):
            return f"编号“{written[: unclosed.end()].strip()}”的括号没有闭合，应写作“{label_of(level, value)}”"
    return None


def _check(line: Line, marker: Marker | None, numbering: _Numbering, previous: str, opened: bool) -> None:
    """Structural doubt is an error: a number that repeats or skips, a heading missing its mark."""
    if not (opened or _PARAGRAPH_END.search(previous)):
        return
    problem = _missing_mark(line.text, numbering, line.written) if marker is None else numbering.doubt(marker)
    if problem:
        raise PlanFormatError(line.number, problem)


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
    previous, opened = "", False
    for line in lines:
        if stack and _TAIL.match(line.text):
            tail_line = line.number
            break
        marker = read_marker(line.text)
        continues = marker is not None and numbering.continues(marker)
        if stack and not continues:
            _check(line, marker, numbering, previous, opened)
        previous, opened = line.text, continues
        if marker and continues:
            numbering.accept(marker)
            node = Node(marker, line.number, [line.written[len(line.text) - len(marker.rest) :]])
            while stack and stack[-1].marker.level >= marker.level:
                stack.pop()
            if stack:
                node.parent = stack[-1]
                stack[-1].children.append(node)
            else:
                roots.append(node)
            stack.append(node)
        elif stack:
            stack[-1].parts.append(line.written)
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
