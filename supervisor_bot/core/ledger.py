"""The 督办台账 and the weekly digest as values: what the ledger, the chart and the digest text show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from supervisor_bot.core.matrix import Role
from supervisor_bot.core.scoring import Scorecard


class Light(StrEnum):
    """红黄绿灯: green on time; yellow due soon or reported late; red overdue."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯"}[self]

    @property
    def mark(self) -> str:
        return {Light.GREEN: "🟢", Light.YELLOW: "🟡", Light.RED: "🔴"}[self]


class Level(IntEnum):
    """How far up the ladder an item has gone this round."""

    NONE = 0
    REMIND = 1  # 临期提醒
    URGE = 2  # 催办
    ESCALATE = 3  # 督办
    INTERVIEW = 4  # 约谈

    @property
    def label(self) -> str:
        return ("—", "临期提醒", "催办", "督办", "约谈")[self]


class Progress(StrEnum):
    """Where a measure (or an item) stands, as the digest counts it."""

    DONE = "done"  # 已完成 (销号, or reported and awaiting verification)
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    NOT_STARTED = "not_started"
    UNREPORTED = "unreported"

    @property
    def label(self) -> str:
        return {
            Progress.DONE: "已完成",
            Progress.IN_PROGRESS: "推进中",
            Progress.BLOCKED: "有困难",
            Progress.NOT_STARTED: "未启动",
            Progress.UNREPORTED: "未报送",
        }[self]


PROGRESS_ORDER = (Progress.DONE, Progress.IN_PROGRESS, Progress.BLOCKED, Progress.NOT_STARTED, Progress.UNREPORTED)


@dataclass(frozen=True)
class LedgerRow:
    """One measure × one responsible unit."""

    measure: int
    section: int
    measure_text: str
    respondent: str
    department: str  # the matrix department (the collective body, for a member)
    role: Role
    status: str  # 已完成 / 已完成待核实 / 已销号 / 推进中 / 有困难 / 未启动 / 未报送
    note: str
    reported_at: dt.datetime | None
    light: Light
    level: Level
    deadline: dt.date | None  # the date the item is measured against (an extension moves it)
    reason: str  # why it is red: 未按时报送 / 逾期未完成 / 连续两轮有困难; empty otherwise
    leaders: tuple[str, ...] = ()  # the plan's 责任领导 for the measure
    deadline_text: str | None = None  # the plan's 完成时限 as written
    end_date: dt.date | None = None  # the measure's own end date, where the plan gives one
    report_due: dt.date | None = None  # this round's report deadline for the item (a 延期 moves it)
    new: bool = False  # reported (or corrected) since the last digest was sent
    evidence: tuple[str, ...] = ()  # 佐证材料: the names of the files the unit sent for the measure
    label: str = ""  # the measure's number as the plan prints it (`5`, `二（一）`)
    cooperating: tuple[str, ...] = ()  # 配合单位 listed with the measure, not asked (`[rounds] ask = "leads"`)

    @property
    def shown(self) -> str:
        return self.label or str(self.measure)


@dataclass(frozen=True)
class SectionProgress:
    number: int
    label: str  # 一
    title: str
    counts: dict[Progress, int]  # measures by progress


@dataclass(frozen=True)
class OnTime:
    respondent: str
    on_time: int
    due: int

    @property
    def rate(self) -> float:
        return self.on_time / self.due if self.due else 1.0


@dataclass(frozen=True)
class Upcoming:
    date: dt.date
    what: str


@dataclass(frozen=True)
class InterviewLine:
    respondent: str
    when: dt.date | None  # held on, or proposed for
    text: str  # the 约谈's points, or why it is proposed
    rectify_by: dt.date | None = None  # a held 约谈's rectification deadline


@dataclass(frozen=True)
class Digest:
    title: str  # e.g. 贯彻落实…分工方案落实情况（2021年第37周）
    period_start: dt.date
    period_end: dt.date
    generated_at: dt.datetime
    round_id: str | None
    sections: tuple[SectionProgress, ...]
    totals: dict[Progress, int]  # measures by progress
    previous_totals: dict[Progress, int] | None  # last week's, for the change
    red: tuple[LedgerRow, ...]
    lowest_on_time: tuple[OnTime, ...]
    upcoming: tuple[Upcoming, ...]
    interviews_held: tuple[InterviewLine, ...]
    interviews_pending: tuple[InterviewLine, ...]
    ledger: tuple[LedgerRow, ...]
    addressee: str = ""  # whom it is for: 报：市政府办公厅
    unbound: tuple[str, ...] = ()  # units not yet bound to a group: listed apart, neither counted nor ranked
    kind: str = "督办周报"  # 督办周报, or 督办月报 for a monthly digest
    rated_rounds: int = 0  # rounds past their due time that the on-time rates cover (0: nothing was due yet)
    period_word: str = "周"  # 较上周 / 较上月
    scores: Scorecard | None = None  # 考核: the current period's scores so far
    new_since: dt.datetime | None = None  # when the last digest went out: reports after it are new (None: first)
    on_time: tuple[OnTime, ...] = ()  # every rated unit's on-time figures (lowest_on_time: the few lowest)
    low_rate_below: int = 80  # 按时报送率较低的单位: those below this rate (per cent)
    scheduled: dt.datetime | None = None  # set when sent late: when it was due to go out
    timezone: str = "Asia/Shanghai"  # the deployment's, for the times the text shows
    lead_unbound: tuple[str, ...] = ()  # labels of measures none of whose leads is bound yet: out of the figures
