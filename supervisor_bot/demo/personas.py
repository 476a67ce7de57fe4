"""How the demo's simulated liaisons behave: most report on time and make progress; some do not."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.respondents import Duty
from supervisor_bot.core.status import Status


class Habit(StrEnum):
    PROMPT = "prompt"  # reports within hours of the checklist
    LATE = "late"  # reports, but after the due time
    SILENT = "silent"  # never answers
    STRUGGLING = "struggling"  # reports one measure 有困难 round after round


SPECIAL = {"商河县": Habit.SILENT, "市民营经济局": Habit.LATE, "市住房城乡建设局": Habit.STRUGGLING}

DONE_NOTES = (
    "已按要求完成，相关材料已报市人社局备案。",
    "政策已落地实施，累计惠及企业{n}家。",
    "已完成阶段目标，形成长效机制。",
)
BLOCKED_NOTES = ("房源筹集进度滞后，需市级统筹协调用地指标。", "资金拨付渠道尚未打通，需财政部门配合。")


@dataclass(frozen=True)
class Planned:
    measure: int
    status: Status
    note: str


@dataclass(frozen=True)
class Plan:
    delay: dt.timedelta  # after the checklist arrives (simulated time)
    reports: tuple[Planned, ...]


def habit(respondent: str) -> Habit:
    return SPECIAL.get(respondent, Habit.PROMPT)


def plan(respondent: str, week: int, duties: tuple[Duty, ...], already_done: set[int], seed: int = 2021) -> Plan | None:
    """What a liaison reports in the `week`-th round (0 = the first), or None if it stays silent."""
    kind = habit(respondent)
    if kind is Habit.SILENT:
        return None
    rng = random.Random(f"{seed}:{respondent}:{week}")
    reports = []
    for duty in duties:
        number = duty.measure.number
        if number in already_done:
            continue  # 已完成 is carried over
        finish = random.Random(f"{seed}:{respondent}:{number}").choice((1, 2, 3, 9, 9))
        if kind is Habit.STRUGGLING and duty is duties[0]:
            reports.append(Planned(number, Status.BLOCKED, BLOCKED_NOTES[week % len(BLOCKED_NOTES)]))
        elif week >= finish:
            note = rng.choice(DONE_NOTES).format(n=rng.randint(12, 380))
            reports.append(Planned(number, Status.DONE, note))
        elif week == 0 and rng.random() < 0.3:
            reports.append(Planned(number, Status.NOT_STARTED, ""))
        else:
            reports.append(Planned(number, Status.IN_PROGRESS, ""))
    hours = rng.uniform(1, 30) if kind is Habit.PROMPT else 80 + rng.uniform(0, 10)
    return Plan(dt.timedelta(hours=hours), tuple(reports))
