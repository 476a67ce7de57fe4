"""Two plans in one bot through a month, with a fake messenger: 稳就业 (Jinan's plan) weekly and 民生实事 (a plan of
the project's own) monthly. Checklists go out on each plan's own days, each naming its plan in its first line;
a department in both plans is bound once and gets one message per plan; a press in one plan never touches the
other; /status, /overdue and /measure answer per plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pendulum

from storage.memory import MemoryStore
from storage.plan_scope import PlanScope
from supervisor_bot.app import cycle
from supervisor_bot.app.clock import ManualClock
from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.shell import Shell
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.people import SYSTEM, Actor
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.reports import AuditEntry
from supervisor_bot.core.schedule import Cadence, RoundSchedule
from supervisor_bot.core.scoring import Period
from supervisor_bot.core.status import Status
from supervisor_bot.ports.store import Store
from supervisor_bot.services import dashboard, digests, plan_queries, queries, reporting
from supervisor_bot.services.dashboard import DashboardCache
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.services.scoring import scorecard_all
from supervisor_bot.settings.calendar import load_calendar
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.paths import PROJECT_ROOT, default_departments, default_plan
from supervisor_bot.views.callbacks import Act, Press
from supervisor_bot.views.rounds import RESENT
from tests.service.fakes import FakeMessenger

TZ = "Asia/Shanghai"
START = pendulum.datetime(2021, 9, 6, 8, 0, tz=TZ)
END = pendulum.datetime(2021, 10, 9, 20, 0, tz=TZ)
FIN, EDU, DISABLED = "市财政局", "市教育局", "市残联"  # 市残联 answers for measures in both plans too
CHATS = {FIN: "wecom:fin", EDU: "wecom:edu", DISABLED: "wecom:cl"}
LIAISONS = {unit: Actor(f"wecom:{chat[6:]}-liaison", f"{unit}联络员") for unit, chat in CHATS.items()}
BUREAU, LEADERS = "wecom:bureau", "wecom:leaders"
JOBS, LIVES = "稳就业", "民生实事"
DIGEST_W37 = pendulum.datetime(2021, 9, 17, 18, 0, tz=TZ)  # Friday 17:00's digest goes at the 18:00 tick
SECOND_PLAN = PROJECT_ROOT / "config" / "plans" / "minsheng-demo.txt"


def plan_runtimes(store: Store) -> tuple[Runtime, ...]:
    """稳就业 (Jinan's plan) weekly and 民生实事 (the project's own) monthly on the 6th, each on its view of `store`."""
    registry = load_registry(default_departments())
    calendar = load_calendar(default_plan().parent.parent / "calendar_overrides.toml")
    schedules = {JOBS: RoundSchedule(), LIVES: RoundSchedule(cadence=Cadence.MONTHLY, monthday=6)}
    files = {JOBS: default_plan(), LIVES: SECOND_PLAN}
    return tuple(
        Runtime(
            matrix=import_plan(files[key].read_text(encoding="utf-8"), registry).matrix,
            registry=registry,
            store=PlanScope(store, key),
            calendar=calendar,
            schedule=schedules[key],
            coordinators=frozenset({"wecom:wang"}),
            bureau_chat=BUREAU,
            leaders_chat=LEADERS,
            plan=key,
        )
        for key in (JOBS, LIVES)
    )


def two_plans(tmp: Path) -> tuple[Shell, FakeMessenger, MemoryStore]:
    store = MemoryStore()
    runtimes = plan_runtimes(store)
    for unit, chat in CHATS.items():
        binding = Binding(unit, chat, frozenset({LIAISONS[unit].user_id}), True, f"{unit}工作群")
        store.save_binding(binding, AuditEntry(START, SYSTEM, chat, "bind", respondent=unit))
    messenger = FakeMessenger()
    runner = ServiceRunner(flush=store.flush)
    shell = Shell(runtimes[0], ManualClock(START), runner, messenger, tmp / "digests", plans=runtimes)
    return shell, messenger, store


def _plan(shell: Shell, key: str) -> Shell:
    return next(s for s in shell.each_plan() if s.runtime.plan == key)


async def report_all(shell: Shell, unit: str, status: Status = Status.IN_PROGRESS) -> int:
    """The unit's liaison marks every measure of the plan on that plan's checklist."""
    rt = shell.runtime
    prompt = next(p for p in rt.store.prompts() if p.respondent == unit)
    assert prompt.message_id is not None
    for duty in rt.duties[unit]:
        pressed = Press(Act.STATUS, prompt.id, duty.measure.number, status)
        outcome = await shell.runner.call(
            reporting.press, rt, pressed, prompt.chat_id, prompt.message_id, LIAISONS[unit], shell.now()
        )
        assert isinstance(outcome, reporting.Show), outcome
    return len(rt.duties[unit])


def _days(messenger: FakeMessenger, chat: str, start: int, heading: str) -> list[str]:
    return [t for t in messenger.texts(chat)[start:] if t.startswith(heading)]


async def test_two_plans_through_a_month(tmp_path: Path) -> None:
    shell, messenger, store = two_plans(tmp_path)
    clock = shell.clock
    assert isinstance(clock, ManualClock)
    checklists: dict[dt.date, list[str]] = {}
    late_then: dict[str, queries.OverdueAnswer] = {}
    moment = START
    try:
        while moment <= END:
            clock.set(moment)
            before = len(messenger.texts(CHATS[FIN]))
            await cycle.tick(shell, moment)
            new = _days(messenger, CHATS[FIN], before, "【督办】")
            checklists.setdefault(moment.date(), []).extend(t.split("\n")[0] for t in new)
            if moment == START.add(days=1, hours=2):  # Tuesday: 市财政局 reports on 民生实事 only
                reported = await report_all(_plan(shell, LIVES), FIN)
                jobs, lives = _plan(shell, JOBS).runtime, _plan(shell, LIVES).runtime
                assert len(lives.store.reports(lives.current_round().id)) == reported  # type: ignore[union-attr]
                assert not jobs.store.reports(jobs.current_round().id)  # type: ignore[union-attr]
                status = plan_queries.status_all(shell.runtimes, FIN, moment)
                assert [rt.plan for rt, _ in status] == [JOBS, LIVES]  # one unit across plans
            if moment.hour == 18:
                _agree(shell, moment)
            if moment == DIGEST_W37:  # the tick that sent week 37's digest: /overdue then, for its ledger
                late_then = {rt.plan: a for rt, a in plan_queries.overdue_all(shell.runtimes, moment)}
            moment = moment.add(hours=2) if 8 <= moment.hour < 20 else moment.add(hours=12)
    finally:
        shell.runner.shutdown()

    sent = {day: lines for day, lines in checklists.items() if lines}
    assert sorted(sent) == [
        dt.date(2021, 9, 6),  # Monday: both plans' rounds open, one message per plan
        dt.date(2021, 9, 13),
        dt.date(2021, 9, 22),  # 中秋 moves the week's round to its first working day
        dt.date(2021, 9, 27),
        dt.date(2021, 10, 8),  # 国庆: the week's and the month's rounds on the first working day
    ]
    assert sent[dt.date(2021, 9, 6)] == [
        f"【督办】{JOBS} 2021年第36周 落实情况报送",
        f"【督办】{LIVES} 2021年9月 落实情况报送",
    ]
    assert sent[dt.date(2021, 9, 13)] == [f"【督办】{JOBS} 2021年第37周 落实情况报送"]
    assert sent[dt.date(2021, 10, 8)] == [
        f"【督办】{JOBS} 2021年第40周 落实情况报送",
        f"【督办】{LIVES} 2021年10月 落实情况报送",
    ]
    assert len(store.bindings()) == len(CHATS)  # one group per department, bound once, serves both plans
    lives_rounds = [r.id for r in _plan(shell, LIVES).runtime.store.rounds()]
    assert lives_rounds == [f"{LIVES}-2021-09", f"{LIVES}-2021-10"]
    assert all(r.plan == JOBS for r in _plan(shell, JOBS).runtime.store.rounds())
    pending = [i.respondent for i in store.interviews() if not i.held]
    assert pending and len(pending) == len(set(pending))  # 约谈 across plans: one pending per unit
    _digests_ledger_and_scores_agree(shell, messenger, tmp_path, late_then)


def _agree(shell: Shell, now: dt.datetime) -> None:
    """Each evening, in each plan: /status's overdue items are /overdue's, the digest's red items and the
    dashboard's overdue count; a unit overdue in a plan answers in that plan."""
    late = {rt.plan: a for rt, a in plan_queries.overdue_all(shell.runtimes, now)}
    for rt, status in plan_queries.status_all(shell.runtimes, "", now):
        answer = late[rt.plan]
        if not isinstance(status, queries.StatusPicture):
            assert isinstance(answer, queries.NoRound)
            continue
        assert isinstance(answer, queries.OverduePicture)
        items = {(o.measure, o.respondent) for o in answer.late}
        assert set(status.late) == items
        found = digests.digest(rt, rt.ladder, now, None, scored=False)
        assert found is not None and {(r.measure, r.respondent) for r in found.red} == items
        snap = dashboard.snapshot(rt, DashboardCache(rt.ladder), now)
        assert snap is not None and dashboard.overview(rt, snap).overdue_items == len(items)
        assert all(unit in rt.respondents for _, unit in items)


def _ledger_scores(ledger: openpyxl.Workbook) -> None:
    """The ledger's 考核 sheet: one score per unit over both plans, each deduction naming its plan."""
    rows = list(ledger["考核"].iter_rows(values_only=True))
    assert rows[3][:3] == ("排名", "责任单位", "得分")
    scored = [row[1] for row in rows[4:] if str(row[0] or "").isdigit()]
    assert len(scored) == len(set(scored)) == len(CHATS)  # one row per unit, not one per plan
    details = rows[rows.index(next(r for r in rows if r[0] == "责任单位")) + 1 :]
    plans = {str(row[3]).split(" ", 1)[0] for row in details if row[0] == EDU and row[3]}
    assert plans == {JOBS, LIVES}  # silent in both plans: its deductions listed by plan, in one score


def _digests_ledger_and_scores_agree(
    shell: Shell, messenger: FakeMessenger, tmp: Path, late: dict[str, queries.OverdueAnswer]
) -> None:
    """One digest a week over both plans (a section each, the combined ranking), its ledger with a sheet per
    plan whose red items are /overdue's, and one score per unit with its deductions by plan."""
    sent = [t for t in messenger.texts(LEADERS) if t.startswith("【督办周报】督办事项落实情况")]
    assert len(sent) == 5  # the weeks of 6, 13, 22 (after 中秋), 27 September and 8 October
    assert all(f"【{JOBS}】" in t and f"【{LIVES}】" in t and "二、综合排名" in t for t in sent)
    ledger = openpyxl.load_workbook(tmp / "digests" / "2021-W37" / "ledger.xlsx")
    assert ledger.sheetnames == ["汇总", JOBS, LIVES, "考核"]
    for key in (JOBS, LIVES):
        answer = late[key]
        assert isinstance(answer, queries.OverduePicture) and answer.late
        header, *rows = list(ledger[key].iter_rows(values_only=True))
        light, unit = header.index("灯号"), header.index("责任单位")
        red = sorted(str(row[unit]) for row in rows if row[light] == "红灯")
        assert red == sorted(o.respondent for o in answer.late)  # the ledger's red items are /overdue's
    _ledger_scores(openpyxl.load_workbook(tmp / "digests" / "2021-W39" / "ledger.xlsx"))  # 考核 of the third quarter
    card = scorecard_all(shell.runtimes, Period(dt.date(2021, 9, 1), dt.date(2021, 10, 31)), END)
    assert len({s.unit for s in card.scores}) == len(card.scores) == len(CHATS)  # one score per unit
    fin = card.of(FIN)
    assert fin is not None and {d.event.plan for d in fin.deductions} == {JOBS}  # on time in 民生实事
    edu = card.of(EDU)
    assert edu is not None and {d.event.plan for d in edu.deductions} == {JOBS, LIVES}  # silent in both
    for key in (JOBS, LIVES):
        duties = {d.measure.number for d in _plan(shell, key).runtime.duties[FIN]}
        assert all(d.event.measure in duties for d in fin.deductions if d.event.plan == key and d.event.measure)


async def test_questions_are_answered_per_plan(tmp_path: Path) -> None:
    shell, _, _ = two_plans(tmp_path)
    try:
        await cycle.tick(shell, START.add(hours=2))
        now = START.add(hours=3)
        everything = plan_queries.status_all(shell.runtimes, "", now)
        assert [rt.plan for rt, _ in everything] == [JOBS, LIVES]
        one = plan_queries.status_all(shell.runtimes, LIVES, now)
        assert [rt.plan for rt, _ in one] == [LIVES] and isinstance(one[0][1], queries.StatusPicture)
        only_jobs = plan_queries.status_all(shell.runtimes, "市民营经济局", now)
        assert [rt.plan for rt, _ in only_jobs] == [JOBS]
        ambiguous = plan_queries.measure_all(shell.runtimes, "3")
        assert isinstance(ambiguous, plan_queries.AmbiguousMeasure) and ambiguous.plans == (JOBS, LIVES)
        named = plan_queries.measure_all(shell.runtimes, f"{LIVES} 3")
        assert not isinstance(named, plan_queries.AmbiguousMeasure)
        assert named[0].plan == LIVES and isinstance(named[1], queries.MeasureDetails)
        assert named[1].measure.text.startswith("扩大残疾人辅助器具")
        overdue = plan_queries.overdue_all(shell.runtimes, START.add(days=4, hours=10))
        assert [rt.plan for rt, _ in overdue] == [JOBS, LIVES]
    finally:
        shell.runner.shutdown()


async def test_a_checklist_in_doubt_is_sent_again_saying_so_above_its_plan(tmp_path: Path) -> None:
    """Both plans' checklists to 市财政局 in flight when the network went (each may have arrived): sent again,
    each says first that it is the one that counts, then names its plan; the other groups' are as ever."""
    shell, messenger, _ = two_plans(tmp_path)
    messenger.unreachable.add(CHATS[FIN])
    try:
        await cycle.tick(shell, START.add(hours=2))  # both plans' rounds open
        assert not messenger.texts(CHATS[FIN]) and messenger.texts(CHATS[EDU])
        messenger.unreachable.clear()
        await cycle.tick(shell, START.add(hours=2, minutes=10))
    finally:
        shell.runner.shutdown()
    again = [t.split("\n")[:2] for t in messenger.texts(CHATS[FIN])]
    assert again == [
        [RESENT, f"【督办】{JOBS} 2021年第36周 落实情况报送"],
        [RESENT, f"【督办】{LIVES} 2021年9月 落实情况报送"],
    ]
    firsts = [t.split("\n")[0] for t in messenger.texts(CHATS[EDU])]
    assert firsts == [f"【督办】{JOBS} 2021年第36周 落实情况报送", f"【督办】{LIVES} 2021年9月 落实情况报送"]
