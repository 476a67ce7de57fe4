"""The supervision ladder with an injected clock: each level's timing across a weekend and a 调休 make-up day,
extensions and resolutions, 约谈 proposals, rectification deadlines and the digest's day."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from supervisor_bot.core.ladder import (
    Escalate,
    LadderConfig,
    LadderView,
    ProposeInterview,
    RectifyCheck,
    Remind,
    SendDigest,
    Urge,
    digest_time,
    due_steps,
    escalate_at,
    remind_at,
)
from supervisor_bot.core.matrix import Role
from supervisor_bot.core.oversight import Extension, Interview, OverdueItem, Reason, effective_due
from supervisor_bot.core.people import Actor
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.settings.calendar import load_calendar
from tests.conftest import CONFIG

TZ = "Asia/Shanghai"
CAL = load_calendar(CONFIG / "calendar_overrides.toml")
CONFIG_ = LadderConfig()


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2021, month, day, hour, minute, tz=TZ)


def a_round(schedule: RoundSchedule, opening: pendulum.DateTime, round_id: str = "R") -> Round:
    return Round(round_id, round_id, opening, schedule.due_for(opening, CAL))


W38 = a_round(RoundSchedule(), at(9, 22, 9), "2021-W38")  # 中秋: opens Wed 22nd, due Sun 26th (调休)
FRIDAY_DUE = a_round(RoundSchedule(due_workdays=4), at(9, 6, 9), "2021-W36")  # due Friday 10th


def item(respondent: str = "市财政局", measure: int = 9, since: dt.datetime = W38.due_at) -> OverdueItem:
    return OverdueItem(measure, respondent, Role.CO, Reason.UNREPORTED, since, since.date())


def view(round_: Round, **kw: object) -> LadderView:
    base: dict[str, object] = {
        "round": round_,
        "bound": frozenset({"市财政局", "市教育局"}),
        "unreported": {"市财政局": (9, 12), "市教育局": ()},
        "overdue": (),
        "done": frozenset(),
        "escalated_before": (),
    }
    base.update(kw)
    return LadderView(**base)  # type: ignore[arg-type]


def test_the_ladders_times_across_a_makeup_sunday() -> None:
    assert W38.due_at == at(9, 26, 17)  # a Sunday, worked (调休)
    assert remind_at(W38, CONFIG_, CAL, TZ) == at(9, 24, 17)  # the working day before: Friday
    assert escalate_at(W38, CONFIG_, CAL, TZ) == at(9, 27, 17)  # one working day after: Monday


def test_the_ladders_times_across_a_weekend() -> None:
    assert FRIDAY_DUE.due_at == at(9, 10, 17)
    assert remind_at(FRIDAY_DUE, CONFIG_, CAL, TZ) == at(9, 9, 17)
    assert escalate_at(FRIDAY_DUE, CONFIG_, CAL, TZ) == at(9, 13, 17)  # Monday: the weekend does not count


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(9, 24, 16, 59), []),
        (at(9, 24, 17), [Remind("市财政局", (9, 12))]),
        (at(9, 26, 16, 59), [Remind("市财政局", (9, 12))]),
    ],
)
def test_remind_only_before_the_due_time(now: pendulum.DateTime, expected: list[object]) -> None:
    steps = [s for s in due_steps(view(W38), now, CONFIG_, CAL, TZ) if not isinstance(s, SendDigest)]
    assert steps == expected


def test_urge_at_the_due_time_escalate_a_working_day_later() -> None:
    late = (item(),)
    at_due = due_steps(view(W38, overdue=late), at(9, 26, 17), CONFIG_, CAL, TZ)
    assert [s for s in at_due if not isinstance(s, SendDigest)] == [Urge("市财政局", late)]
    saturday_evening = due_steps(
        view(W38, overdue=late, done=frozenset({"urge:市财政局"})), at(9, 27, 16, 59), CONFIG_, CAL, TZ
    )
    assert [s for s in saturday_evening if not isinstance(s, SendDigest)] == []
    monday = due_steps(view(W38, overdue=late, done=frozenset({"urge:市财政局"})), at(9, 27, 17), CONFIG_, CAL, TZ)
    assert Escalate("市财政局", late) in monday


def test_each_step_fires_once_and_stops_when_reported() -> None:
    done = frozenset({"remind:市财政局", "urge:市财政局", "escalate:市财政局"})
    assert [
        s
        for s in due_steps(view(W38, overdue=(item(),), done=done), at(9, 28, 10), CONFIG_, CAL, TZ)
        if not isinstance(s, SendDigest)
    ] == []
    reported = view(W38, unreported={"市财政局": ()}, overdue=())
    assert [s for s in due_steps(reported, at(9, 28, 10), CONFIG_, CAL, TZ) if not isinstance(s, SendDigest)] == []


def test_a_restart_after_the_due_time_catches_up_without_a_stale_reminder() -> None:
    steps = due_steps(view(W38, overdue=(item(),)), at(9, 28, 10), CONFIG_, CAL, TZ)
    kinds = [type(s) for s in steps if not isinstance(s, SendDigest)]
    assert kinds == [Urge, Escalate]  # the reminder is moot once the due time has passed


def test_an_unbound_unit_is_escalated_but_not_urged_in_a_chat() -> None:
    late = (item("历下区", 56),)
    steps = due_steps(view(W38, overdue=late), at(9, 27, 17), CONFIG_, CAL, TZ)
    assert [type(s) for s in steps if not isinstance(s, SendDigest)] == [Escalate]


def test_an_extension_moves_the_due_time() -> None:
    ext = Extension(9, "市财政局", dt.date(2021, 9, 30), Actor(1, "王"), at(9, 27, 18))
    assert effective_due(W38, ext, TZ) == at(9, 30, 17)
    earlier = Extension(9, "市财政局", dt.date(2021, 9, 20), Actor(1, "王"), at(9, 27, 18))
    assert effective_due(W38, earlier, TZ) == W38.due_at


def test_an_interview_after_two_rounds_in_a_row() -> None:
    late = (item(),)
    steps = due_steps(
        view(W38, overdue=late, escalated_before=(frozenset({"市财政局"}),)), at(9, 27, 17), CONFIG_, CAL, TZ
    )
    proposal = next(s for s in steps if isinstance(s, ProposeInterview))
    assert proposal.reasons == ("连续2轮逾期未报送或未完成",)
    assert proposal.proposed_for == at(9, 30, 9, 30)  # three working days later
    once = view(
        W38,
        overdue=late,
        escalated_before=(frozenset({"市财政局"}),),
        interviews=(Interview("市财政局", at(9, 27, 17), at(9, 30, 9, 30), ("x",), (9,)),),
    )
    assert not [s for s in due_steps(once, at(9, 28, 17), CONFIG_, CAL, TZ) if isinstance(s, ProposeInterview)]


def test_an_interview_when_an_item_stays_overdue_ten_working_days_after_escalation() -> None:
    late = (item(),)
    first = {(9, "市财政局"): at(9, 13, 17)}
    steps = due_steps(view(W38, overdue=late, first_escalated=first), at(9, 27, 17), CONFIG_, CAL, TZ)
    assert [s.reasons for s in steps if isinstance(s, ProposeInterview)] == [("措施9督办后10个工作日仍未整改",)]
    sooner = {(9, "市财政局"): at(9, 16, 17)}
    assert not [
        s
        for s in due_steps(view(W38, overdue=late, first_escalated=sooner), at(9, 27, 17), CONFIG_, CAL, TZ)
        if isinstance(s, ProposeInterview)
    ]


def test_a_rectification_deadline_is_reminded_then_checked() -> None:
    held = Interview(
        "市财政局",
        at(9, 13),
        at(9, 15),
        ("x",),
        (9,),
        dt.date(2021, 9, 15),
        "要点",
        dt.date(2021, 9, 27),
        Actor(1, "王"),
    )
    eve = due_steps(view(W38, interviews=(held,)), at(9, 26, 9), CONFIG_, CAL, TZ)
    assert [s.final for s in eve if isinstance(s, RectifyCheck)] == [
        False
    ]  # the working day before: Sunday 26th (调休)
    day = due_steps(
        view(W38, interviews=(held,), lasting_done=frozenset({"rectify:市财政局:2021-09-27:remind"})),
        at(9, 27, 17),
        CONFIG_,
        CAL,
        TZ,
    )
    assert [s.final for s in day if isinstance(s, RectifyCheck)] == [True]


def test_the_digest_day() -> None:
    assert digest_time(dt.date(2021, 9, 8), CONFIG_, CAL, TZ) == at(9, 10, 17)
    assert digest_time(dt.date(2021, 9, 29), CONFIG_, CAL, TZ) == at(9, 30, 17)  # 国庆 Friday: the Thursday before
    steps = due_steps(view(W38), at(9, 24, 17), CONFIG_, CAL, TZ)
    assert SendDigest("2021-W38", at(9, 24, 17)) in steps
    assert not [
        s
        for s in due_steps(view(W38, lasting_done=frozenset({"digest:2021-W38"})), at(9, 24, 18), CONFIG_, CAL, TZ)
        if isinstance(s, SendDigest)
    ]


def test_an_interview_counts_rounds_in_a_row_across_plans() -> None:
    """市财政局 escalated in the other plan's round just before, not asked in the round before that (a plan it
    has no measure in), escalated in its own plan's round before: three rounds in a row across plans."""
    late = (item(),)
    fin = frozenset({"市财政局"})
    across = view(
        W38,
        overdue=late,
        escalated_before=(fin, frozenset(), fin),
        asked_before=(fin, frozenset({"市教育局"}), fin),
    )
    proposal = next(s for s in due_steps(across, at(9, 27, 17), CONFIG_, CAL, TZ) if isinstance(s, ProposeInterview))
    assert proposal.reasons == ("连续3轮逾期未报送或未完成",)
    broken = view(W38, overdue=late, escalated_before=(frozenset(), fin), asked_before=(fin, fin))
    assert not [s for s in due_steps(broken, at(9, 27, 17), CONFIG_, CAL, TZ) if isinstance(s, ProposeInterview)]
