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
    SECTION = 1  # 一、 / 第一章
    SUBSECTION = 2  # （一）
    ARTICLE = 3  # 第一条 (办法, 细则)
    ITEM = 4  # 1.


_MARKERS: tuple[tuple[Level, re.Pattern[str]], ...] = (
    (Level.SECTION, re.compile(rf"^([{NUMERAL_CHARS}]+)\s*[、.](?!\d)")),
    (Level.SECTION, re.compile(rf"^第\s*([{NUMERAL_CHARS}]+)\s*(?:章|部分)")),
    (Level.SUBSECTION, re.compile(rf"^[(（]\s*([{NUMERAL_CHARS}]+)\s*[)）]")),
    # "22.2021年1月…" opens measure 22; "1.5%" or "3.5倍" is a number that a line break left at the start
    (Level.ITEM, re.compile(r"^(\d{1,3})\s*[.、](?!\d+\s*(?:%|‰|倍|万|亿|元))")),
    (Level.ARTICLE, re.compile(rf"^第\s*([{NUMERAL_CHARS}]+)\s*条")),
)
# （1）, ①, 1）: an enumeration inside a measure, never a measure of its own (no marker: the text runs on)
# a paragraph ends here: what follows it starts a new one, so a number there is a marker, never text
_PARAGRAPH_END = re.compile(
    r"[。.；;)）！？!?]$|^(?:(?:责任|牵头|分管)领导|(?:牵头|主责|责任|配合)(?:单位|部门)|完成时限|时间节点|完成时间)\s*[:：]"
)
# `二提升…` lost its 、; `二是…` (一是…二是…) is how a sentence counts its points
_BARE_SECTION = re.compile(rf"^([{NUMERAL_CHARS}]{{1,3}})(?=[\u4e00-\u9fff])(?![是要])")
_UNCLOSED = re.compile(rf"^[(（]\s*([{NUMERAL_CHARS}]{{1,3}})\s*(?=[^)）{NUMERAL_CHARS}\d\s])")
# a signature closing the document: the issuer on its line, the date on the next (`（此件公开发布）` may follow)
_DATE_LINE = re.compile(
    r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$"
)
_ISSUER_LINE = re.compile(r"^[^，。；,;：:]{2,30}(?:政府|办公室|办公厅|委员会|局|委|厅|办|指挥部|领导小组|中心)$")
_NOTE_LINE = re.compile(r"^[(（][^()（）]{2,12}[)）]$")
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
                label = re.sub(r"\s", "", match.group(0)).replace("(", "（").replace(")", "）")
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
    """The last number seen at each level (as printed), and whether a new parent began since.

    A number continues where it is the next one, or where it is 1 under a new parent: `（N）` may restart in each
    section or run on across them, and either reading is the document's own.
    """

    last: dict[Level, int] = field(default_factory=lambda: dict.fromkeys(Level, 0))
    fresh: dict[Level, bool] = field(default_factory=lambda: dict.fromkeys(Level, True))
    printed: dict[Level, str] = field(default_factory=dict)

    def continues(self, marker: Marker) -> bool:
        if marker.value == self.last[marker.level] + 1:
            return True
        return marker.value == 1 and self.fresh[marker.level] and marker.level not in (Level.SECTION, Level.ARTICLE)

    def skips(self, marker: Marker) -> bool:
        """A gap: the number is further on than the next one (a reading exists: the plan skipped a number)."""
        return marker.value > self.last[marker.level] + 1

    def expected(self, level: Level) -> str:
        return self.label(level, self.last[level] + 1)

    def label(self, level: Level, value: int) -> str:
        """A number printed in the form the plan uses at this level (`第三章`, `三、`, `3、`)."""
        form = self.printed.get(level)
        if form is None:
            return label_of(level, value)
        if re.search(r"\d", form):
            return re.sub(r"\d+", str(value), form, count=1)
        return re.sub(rf"[{NUMERAL_CHARS}]+", to_numeral(value), form, count=1)

    def gap(self, marker: Marker) -> str:
        last = self.last[marker.level]
        before = f"上一项是“{self.label(marker.level, last)}”" if last else f"应从“{self.expected(marker.level)}”开始"
        return f"编号“{marker.label}”不连续（{before}），已按“{marker.label}”读取，请核对是否漏项"

    def doubt(self, marker: Marker) -> str:
        """Why a marker that goes back, where a paragraph begins, cannot be read: a label the plan repeats."""
        last = self.last[marker.level]
        previous = self.label(marker.level, last)
        if marker.value == last:
            return f"编号“{marker.label}”重复（上一项也是“{previous}”），应为“{self.expected(marker.level)}”"
        return f"编号“{marker.label}”不连续（上一项是“{previous}”），应为“{self.expected(marker.level)}”"

    def accept(self, marker: Marker) -> None:
        self.last[marker.level] = marker.value
        self.fresh[marker.level] = False
        self.printed[marker.level] = marker.label
        for deeper in Level:
            if deeper > marker.level:
                self.fresh[deeper] = True


def label_of(level: Level, value: int) -> str:
    if level is Level.SECTION:
        return f"{to_numeral(value)}、"
    if level is Level.SUBSECTION:
        return f"（{to_numeral(value)}）"
    return f"第{to_numeral(value)}条" if level is Level.ARTICLE else f"{value}."


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
        value = parse_numeral(unclosed.group(1))
        if value and (
            value == numbering.last[Level.SUBSECTION] + 1 or (value == 1 and numbering.fresh[Level.SUBSECTION])
        ):
            label = label_of(Level.SUBSECTION, value)
            return f"编号“{written[: unclosed.end()].strip()}”的括号没有闭合，应写作“{label}”"
    return None


def _check(line: Line, marker: Marker | None, numbering: _Numbering) -> str | None:
    """Where a paragraph begins: a number that goes back or repeats, or a heading missing its mark, is an error;
    a number further on than the next is read as written and the gap returned as a warning."""
    if marker is not None and numbering.skips(marker):
        return numbering.gap(marker)
    problem = _missing_mark(line.text, numbering, line.written) if marker is None else numbering.doubt(marker)
    if problem:
        raise PlanFormatError(line.number, problem)
    return None


@dataclass(frozen=True)
class Outline:
    header: tuple[Line, ...]  # before the first marker: the notice, title, contact line
    roots: tuple[Node, ...]
    tail_line: int | None  # where 附件 / 抄送 begins, if it does
    gaps: tuple[tuple[int, str], ...] = ()  # (line, warning): numbers the plan skipped, read as written


def _signature(lines: list[Line]) -> int:
    """Where a closing signature (issuer, date) begins among the last lines, or len(lines) if there is none."""
    end = len(lines)
    while end and _NOTE_LINE.match(lines[end - 1].text) and len(lines) - end < 2:
        end -= 1
    if not end or not _DATE_LINE.match(lines[end - 1].text):
        return len(lines)
    start = end - 1
    return start - 1 if start and _ISSUER_LINE.match(lines[start - 1].text) else start


def outline(lines: list[Line]) -> Outline:
    """Split lines into header, a tree of numbered nodes, and the tail (a signature, attachments, 抄送)."""
    numbering = _Numbering()
    header: list[Line] = []
    roots: list[Node] = []
    stack: list[Node] = []
    tail_line = None
    previous, opened = "", False
    gaps: list[tuple[int, str]] = []
    signed = _signature(lines)
    for index, line in enumerate(lines):
        if stack and (_TAIL.match(line.text) or index == signed):
            tail_line = line.number
            break
        marker = read_marker(line.text)
        continues = marker is not None and numbering.continues(marker)
        if stack and not continues and (opened or _PARAGRAPH_END.search(previous)):
            gap = _check(line, marker, numbering)
            if gap is not None:
                gaps.append((line.number, gap))
                continues = True
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
    return Outline(tuple(header), tuple(roots), tail_line, tuple(gaps))


def walk(nodes: tuple[Node, ...] | list[Node]) -> list[Node]:
    """Every node, depth first, in document order."""
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node.children))
    return out
