"""The assignment matrix: which department answers for which measure, as a lead or a co-responsible."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Role(StrEnum):
    """A department's part in a measure."""

    LEAD = "lead"
    CO = "co"

    @property
    def label(self) -> str:
        return "牵头" if self is Role.LEAD else "配合"


class Ask(StrEnum):
    """Who of a measure's units the bot asks (`[rounds] ask`): every unit, or only its 牵头单位 — the 配合单位 then
    report to their lead, are listed with the measure as 配合 and are never chased or scored."""

    ALL = "all"
    LEADS = "leads"


class DateMeaning(StrEnum):
    """What an explicit date in a measure means."""

    POLICY_UNTIL = "policy_until"  # 政策延续实施至
    APPLICATION_CLOSES = "application_closes"  # 受理期截至
    PERIOD_START = "period_start"  # 2021年1月至12月 (start)
    PERIOD_END = "period_end"  # 2021年1月至12月 (end)
    DEADLINE = "deadline"  # 2019年底前
    EFFECTIVE_FROM = "effective_from"  # 2021年1月1日之后
    MENTIONED = "mentioned"  # a date with no recognised role

    @property
    def label(self) -> str:
        return _DATE_LABELS[self]

    @property
    def is_end(self) -> bool:
        """Whether the measure should be done (reported 已完成) by this date."""
        return self in (
            DateMeaning.POLICY_UNTIL,
            DateMeaning.APPLICATION_CLOSES,
            DateMeaning.PERIOD_END,
            DateMeaning.DEADLINE,
        )


_DATE_LABELS = {
    DateMeaning.POLICY_UNTIL: "政策执行至",
    DateMeaning.APPLICATION_CLOSES: "受理截止",
    DateMeaning.PERIOD_START: "实施期起",
    DateMeaning.PERIOD_END: "实施期止",
    DateMeaning.DEADLINE: "完成时限",
    DateMeaning.EFFECTIVE_FROM: "起始日期",
    DateMeaning.MENTIONED: "提及日期",
}


@dataclass(frozen=True)
class MeasureDate:
    date: dt.date
    meaning: DateMeaning
    source: str  # the words it was read from, e.g. "政策受理期截至2021年12月31日"


@dataclass(frozen=True)
class Department:
    """A canonical department; a collective body (各区县政府) lists its members."""

    name: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    registered: bool = True  # False: named by the plan but unknown to the registry
    reports: bool = True  # False (市直有关部门, 各有关单位): kept in the matrix, never asked, counted or overdue

    @property
    def is_collective(self) -> bool:
        return bool(self.members)


@dataclass(frozen=True)
class Assignment:
    department: str  # canonical name
    role: Role


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    label: str  # as numbered in the document, e.g. "一"


@dataclass(frozen=True)
class Subsection:
    number: int
    title: str
    label: str  # e.g. "（一）"


@dataclass(frozen=True)
class Measure:
    number: int
    label: str  # as numbered in the document, e.g. "1." or "（一）"
    section: int
    text: str
    assignments: tuple[Assignment, ...]
    open_ended: bool
    dates: tuple[MeasureDate, ...] = ()
    targets: tuple[str, ...] = ()
    title: str | None = None
    subsection: Subsection | None = None
    line: int = 0  # where the measure starts in the source text (the row, for a table)
    leaders: tuple[str, ...] = ()  # 责任领导 / 牵头领导: people, not units (a 约谈 concerns them)
    deadline_text: str | None = None  # the 完成时限 as written: 2025年6月底前, 长期坚持, 每季度末

    @property
    def departments(self) -> tuple[str, ...]:
        return tuple(a.department for a in self.assignments)

    @property
    def leads(self) -> tuple[str, ...]:
        return tuple(a.department for a in self.assignments if a.role is Role.LEAD)

    def role_of(self, department: str) -> Role | None:
        for a in self.assignments:
            if a.department == department:
                return a.role
        return None

    @property
    def shown_dates(self) -> tuple[MeasureDate, ...]:
        """The dates as shown: each meaning and day once (a deadline the text repeats is one deadline)."""
        seen: dict[tuple[DateMeaning, dt.date], MeasureDate] = {}
        for d in self.dates:
            seen.setdefault((d.meaning, d.date), d)
        return tuple(seen.values())

    @property
    def end_date(self) -> dt.date | None:
        """The latest date by which the measure should be done, if the plan gives one."""
        ends = [d.date for d in self.dates if d.meaning.is_end]
        return max(ends) if ends else None


@dataclass(frozen=True)
class Contact:
    text: str
    unit: str
    phone: str


@dataclass(frozen=True)
class Document:
    number: str | None  # 济政办函〔2021〕16号
    issuer: str | None
    date: dt.date | None
    title: str | None  # the notice's title
    plan_title: str | None  # the plan's own title
    contact: Contact | None
    lead_rule_stated: bool = False  # the document says 列第一位者为牵头单位


@dataclass(frozen=True)
class Matrix:
    document: Document
    sections: tuple[Section, ...]
    measures: tuple[Measure, ...]
    departments: tuple[Department, ...]
    ask: Ask = Ask.ALL  # who is asked, chased and scored: every unit, or each measure's 牵头单位 (`[rounds] ask`)
    _by_number: dict[int, Measure] = field(init=False, repr=False, compare=False)
    _by_department: dict[str, Department] = field(init=False, repr=False, compare=False)
    _roles: dict[str, tuple[tuple[Measure, Role], ...]] = field(init=False, repr=False, compare=False)
    _labels: dict[int, str] = field(init=False, repr=False, compare=False)
    plan: str = ""  # the plan's key in a deployment of several plans: every item is named with it

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_number", {m.number: m for m in self.measures})
        object.__setattr__(self, "_by_department", {d.name: d for d in self.departments})
        roles: dict[str, dict[int, tuple[Measure, Role]]] = {}
        for n, m in enumerate(self.measures):  # each department's measures in plan order, with its role
            for a in m.assignments:
                roles.setdefault(a.department, {}).setdefault(n, (m, a.role))  # as role_of: the first named
        object.__setattr__(self, "_roles", {name: tuple(found.values()) for name, found in roles.items()})
        object.__setattr__(self, "_labels", _labels(self.measures, self.sections))

    def asking(self, ask: Ask) -> Matrix:
        """The same plan, supervised under `[rounds] ask`."""
        return self if ask is self.ask else replace(self, ask=ask)

    def asks(self, role: Role) -> bool:
        """Whether a unit in this role is asked, chased and scored (配合单位 are not under `ask = "leads"`)."""
        return self.ask is Ask.ALL or role is Role.LEAD

    def listed_only(self, measure: Measure) -> tuple[str, ...]:
        """The measure's units listed with it as 配合 but never asked (under `ask = "leads"`)."""
        return tuple(a.department for a in measure.assignments if not self.asks(a.role))

    def measure(self, number: int) -> Measure | None:
        return self._by_number.get(number)

    def label(self, number: int) -> str:
        """The measure's number as the plan prints it: `5`, `（三）`, or `二（一）` where `（一）` repeats."""
        return self._labels.get(number, str(number))

    def item(self, number: int) -> str:
        """How a message names a measure: `措施5`, or `营商环境 措施5` where several plans are supervised."""
        return f"{self.plan} 措施{self.label(number)}" if self.plan else f"措施{self.label(number)}"

    def find(self, written: str) -> Measure | None:
        """A measure by the plan's label (`二（一）`, `（三）`, `5.`) or by its running number."""
        text = plain_label(written)
        by_label = [n for n, label in self._labels.items() if label == text]
        if len(by_label) == 1:
            return self._by_number.get(by_label[0])
        number = int(text) if text.isdecimal() and len(text) <= 6 else None
        return self._by_number.get(number) if number is not None else None

    def department(self, name: str) -> Department | None:
        return self._by_department.get(name)

    def section(self, number: int) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)

    def measures_of(self, department: str, role: Role | None = None) -> tuple[Measure, ...]:
        """The measures a department answers for, optionally only in one role."""
        return tuple(m for m, r in self._roles.get(department, ()) if role is None or r is role)

    def roles_of(self, department: str) -> tuple[tuple[Measure, Role], ...]:
        """The measures a department answers for, in plan order, each with its role in it."""
        return self._roles.get(department, ())


_HALF = str.maketrans("０１２３４５６７８９()", "0123456789（）")


def plain_label(written: str) -> str:
    """A label as written, without its trailing stop and with full-width digits and brackets made one form."""
    return written.strip().translate(_HALF).rstrip(".、．。 ").strip()


def _labels(measures: tuple[Measure, ...], sections: tuple[Section, ...]) -> dict[int, str]:
    """Each measure's printed label; a label the plan repeats (`（一）` in every part) carries its part's: `二（一）`."""
    plain = {m.number: plain_label(m.label) or str(m.number) for m in measures}
    counts: dict[str, int] = {}
    for label in plain.values():
        counts[label] = counts.get(label, 0) + 1
    section_label = {s.number: s.label for s in sections}
    return {
        m.number: plain[m.number]
        if counts[plain[m.number]] == 1
        else section_label.get(m.section, "") + plain[m.number]
        for m in measures
    }
