"""How the simulated liaisons behave: most report in good time and make progress; one is late, one reports a
measure 有困难 round after round (with a note and a 佐证材料), one never answers — so the whole ladder shows."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from supervisor_bot.core.matrix import Role
from supervisor_bot.core.respondents import Duty
from supervisor_bot.core.status import Status


class Habit(StrEnum):
    PROMPT = "prompt"  # reports well before the due time
    LATE = "late"  # reports, but after the due time
    SILENT = "silent"  # never answers
    STRUGGLING = "struggling"  # reports one measure 有困难 round after round, with a file


DONE_NOTES = (
    "已按要求完成，相关材料已报{bureau}备案。",
    "政策已落地实施，累计惠及企业{n}家。",
    "已完成阶段目标，形成长效机制。",
)
BLOCKED_NOTES = ("推进进度滞后，需市级层面统筹协调。", "资金拨付渠道尚未打通，需财政部门配合。")


@dataclass(frozen=True)
class Planned:
    measure: int
    status: Status
    note: str


@dataclass(frozen=True)
class Plan:
    late: bool  # after the due time, else within the round
    share: float  # how far into the time left (in good time), or how many hours after the due time (late)
    reports: tuple[Planned, ...]

    @property
    def delay(self) -> dt.timedelta:
        """After the checklist, for a clock that does not wait on the schedule: within 3–30 hours, or late, after
        80–90 (the WeCom showcase's month)."""
        return dt.timedelta(hours=80 + self.share) if self.late else dt.timedelta(hours=60 * self.share)


def choose_habits(units: Sequence[str], duties: Mapping[str, tuple[Duty, ...]]) -> dict[str, Habit]:
    """A cast for any plan: the last unit asked never answers; the first that leads a measure struggles with it;
    about one in four of the others reports late."""
    asked = [u for u in units if duties.get(u)]
    if not asked:
        return {}
    habits = {asked[-1]: Habit.SILENT}
    leading = [u for u in asked[:-1] if any(d.role is Role.LEAD for d in duties[u])]
    if leading:
        habits[leading[0]] = Habit.STRUGGLING
    others = [u for u in asked if u not in habits]
    for unit in others[2::4] or others[:1]:
        habits[unit] = Habit.LATE
    return habits


def plan(
    respondent: str,
    habit: Habit,
    week: int,
    duties: tuple[Duty, ...],
    already_done: set[int],
    bureau: str,
    seed: int = 2021,
) -> Plan | None:
    """What a liaison reports in the `week`-th round (0 = the first), or None if it stays silent."""
    if habit is Habit.SILENT:
        return None
    rng = random.Random(f"{seed}:{respondent}:{week}")
    reports = []
    for duty in duties:
        number = duty.measure.number
        if number in already_done:
            continue  # 已完成 is carried over
        finish = random.Random(f"{seed}:{respondent}:{number}").choice((1, 2, 3, 9, 9))
        if habit is Habit.STRUGGLING and duty is duties[0]:
            reports.append(Planned(number, Status.BLOCKED, BLOCKED_NOTES[week % len(BLOCKED_NOTES)]))
        elif week >= finish:
            note = rng.choice(DONE_NOTES).format(n=rng.randint(12, 380), bureau=bureau)
            reports.append(Planned(number, Status.DONE, note))
        elif week == 0 and rng.random() < 0.3:
            reports.append(Planned(number, Status.NOT_STARTED, ""))
        else:
            reports.append(Planned(number, Status.IN_PROGRESS, ""))
    if habit is Habit.LATE:
        return Plan(True, 2 + rng.uniform(0, 8), tuple(reports))
    return Plan(False, rng.uniform(0.05, 0.5), tuple(reports))


@dataclass(frozen=True)
class Chat:
    chat_id: int
    title: str


@dataclass(frozen=True)
class Cast:
    """The simulated people: the coordinator, the bureau's and the leaders' groups, how each unit's liaison
    behaves (the others report in good time), the unit bound in chat with /invite and /bind, and groups whose
    ids the settings give (`[bindings]`)."""

    coordinator: tuple[int, str]
    bureau: Chat
    leaders: Chat
    habits: Mapping[str, Habit]
    invited: str | None = None
    chats: Mapping[str, int] = field(default_factory=dict)

    def unit(self, habit: Habit) -> str | None:
        return next((name for name, h in self.habits.items() if h is habit), None)
