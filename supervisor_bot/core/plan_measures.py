"""What every importer shares: resolving the units a plan names, checking them, and building a measure."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from supervisor_bot.core import responsibility
from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.matrix import (
    Assignment,
    DateMeaning,
    Department,
    Matrix,
    Measure,
    MeasureDate,
    Subsection,
)
from supervisor_bot.core.plan_dates import find_dates
from supervisor_bot.core.plan_targets import find_targets
from supervisor_bot.core.registry import Ambiguous, DepartmentRegistry, Resolved, Unknown

# "（一）加大援企稳岗力度。对…": a short first sentence with no pause and no figures is the measure's title
_TITLE_SENTENCE = re.compile(r"^([^。，、；：！？0-9%]{2,16})。(.+)$")
_STRAY = re.compile(r"[，。；：、！？,;:!?]")
_ENUMERATION = re.compile(r"(?:^|(?<=[：:；;。，,、\s]))(?:\d{1,2}|[a-zA-Z])[)）]")
_PAIRS = {"（": "）", "(": ")", "〔": "〕", "【": "】", "[": "]", "〈": "〉", "<": ">", "《": "》"}


@dataclass(frozen=True)
class ImportProblem:
    """Something the importer could not settle by itself: reported, never dropped."""

    line: int
    measure: int | None
    message: str
    where: str | None = None  # "表格第5行" for a table; else the line
    name: str | None = None  # the unit's name as written, when the problem is that it did not resolve

    def __str__(self) -> str:
        place = self.where or f"第{self.line}行"
        return place + (f"（措施{self.measure}）" if self.measure is not None else "") + f"：{self.message}"


@dataclass(frozen=True)
class ImportResult:
    matrix: Matrix
    problems: tuple[ImportProblem, ...]


def unclosed(text: str) -> str | None:
    """The first bracket in the text that does not close (or closes what was never opened), if any.

    `1）`, `a)` opening an item of an enumeration close nothing: they are not brackets.
    """
    stack: list[str] = []
    closing = {v: k for k, v in _PAIRS.items()}
    enumerating = {m.end() - 1 for m in _ENUMERATION.finditer(text)}
    for i, ch in enumerate(text):
        if i in enumerating:
            continue
        if ch in _PAIRS:
            stack.append(ch)
        elif ch in closing:
            if not stack or stack[-1] != closing[ch]:
                return f"“{ch}”之前缺少“{closing[ch]}”"
            stack.pop()
    return f"“{stack[-1]}”之后缺少“{_PAIRS[stack[-1]]}”" if stack else None


def check_name(name: str, label: str, line: int, where: str | None = None) -> None:
    """A unit's name with stray punctuation (`各县区政府）`) is a mistake in the document, never a unit."""
    level = responsibility.depths(name)
    stray = next((m for m in _STRAY.finditer(name) if level[m.start()] == 0), None)  # a note's own 、 is no stray
    bracket = unclosed(name)
    if stray or bracket:
        found = f"标点“{stray.group(0)}”" if stray else f"不配对的括号（{bracket}）"
        message = f"措施{label}的单位名称“{name}”含有多余的{found}，应检查括号和标点是否完整"
        raise PlanFormatError(line, message, where)


@dataclass
class Units:
    """The departments met so far, and the problems with names; shared across the measures of one plan."""

    registry: DepartmentRegistry
    departments: dict[str, Department]
    problems: list[ImportProblem]

    def resolve(
        self, stated: responsibility.Responsibility, line: int, number: int, where: str | None = None
    ) -> tuple[Assignment, ...]:
        assignments: dict[str, Assignment] = {}
        for written, parts in stated.run_together:
            read = "”“".join(parts)
            message = f"单位名称“{written}”不在单位名录中，已按“{read}”{len(parts)}个单位读取（单位之间缺少“、”）"
            self.problems.append(ImportProblem(line, number, message, where))
        for named in stated.named:
            resolution = self.registry.resolve(named.name)
            if isinstance(resolution, Resolved):
                department = self.registry.get(resolution.name)
                assert department is not None
                name = department.name
                self.departments.setdefault(name, department)
            else:
                name = named.name
                if isinstance(resolution, Ambiguous):
                    message = f"单位名称“{name}”有歧义，可能是：{'、'.join(resolution.candidates)}"
                else:
                    assert isinstance(resolution, Unknown)
                    message = f"单位名称“{name}”不在单位名录中（请在 departments.toml 中登记或添加别名）"
                self.problems.append(ImportProblem(line, number, message, where, name))
                self.departments.setdefault(name, Department(name, registered=False))
            if name not in assignments or named.role.value == "lead":
                assignments[name] = Assignment(name, named.role)
        return tuple(assignments.values())


def known_parts(name: str, registry: DepartmentRegistry, depth: int = 0) -> list[str] | None:
    """`市财政局市教育局` → [市财政局, 市教育局] when the registry knows each part (and not the whole)."""
    if not registry.departments:
        return None
    if isinstance(registry.resolve(name), Resolved):
        return [name]
    if depth >= 3:
        return None
    for cut in range(2, len(name) - 1):
        if responsibility.depths(name)[cut]:
            continue
        head = name[:cut]
        if isinstance(registry.resolve(head), Resolved):
            rest = known_parts(name[cut:], registry, depth + 1)
            if rest is not None:
                return [head, *rest]
    return None


@dataclass(frozen=True)
class Draft:
    """A measure as read, before its dates and targets are found."""

    number: int
    label: str
    section: int
    body: str
    assignments: tuple[Assignment, ...]
    open_ended: bool
    subsection: Subsection | None = None
    line: int = 0
    leaders: tuple[str, ...] = ()
    deadline_text: str | None = None


def sentence_end(text: str) -> str:
    text = text.strip("，；、：: ")
    return text if not text or text[-1] in "。！？”" else text + "。"


def _deadline_dates(deadline_text: str | None) -> list[MeasureDate]:
    """A 完成时限 column's date is a deadline, whatever words surround it."""
    if not deadline_text:
        return []
    dates, _ = find_dates(deadline_text)
    return [_as_deadline(d, deadline_text) if d.meaning is DateMeaning.MENTIONED else d for d in dates]


def _as_deadline(found: MeasureDate, written: str) -> MeasureDate:
    """`2025年9月` in a 完成时限 column: done by the month's end."""
    date = found.date
    if not re.search(r"\d日", found.source):
        date = date.replace(day=calendar.monthrange(date.year, date.month)[1])
    return MeasureDate(date, DateMeaning.DEADLINE, written)


def build_measure(draft: Draft) -> Measure:
    text = sentence_end(draft.body)
    title = None
    titled = _TITLE_SENTENCE.match(text)
    if titled:
        title, text = titled.group(1), titled.group(2)
    full = f"{title}。{text}" if title else text
    dates, spans = find_dates(full)
    return Measure(
        number=draft.number,
        label=draft.label,
        section=draft.section,
        text=text,
        assignments=draft.assignments,
        open_ended=draft.open_ended,
        dates=tuple(dates + _deadline_dates(draft.deadline_text)),
        targets=tuple(find_targets(full, spans)),
        title=title,
        subsection=draft.subsection,
        line=draft.line,
        leaders=draft.leaders,
        deadline_text=draft.deadline_text,
    )
