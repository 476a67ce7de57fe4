"""The tick's pure decision: which round opens when, who is asked, and nothing twice."""

from __future__ import annotations

import datetime as dt

import pendulum

from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.rounds import Opening, Round, next_round_id
from supervisor_bot.core.schedule import RoundSchedule
from supervisor_bot.core.tick import OpenRound, SendPrompt, Snapshot, due
from supervisor_bot.settings.calendar import load_calendar
from tests.conftest import CONFIG

TZ = "Asia/Shanghai"
CAL = load_calendar(CONFIG / "calendar_overrides.toml")
SCHEDULE = RoundSchedule()
MONDAY = pendulum.datetime(2021, 9, 6, 9, 0, tz=TZ)
BINDINGS = (Binding("市财政局", -1), Binding("市教育局", -2), Binding("历下区", -3, active=False))


def w36() -> Round:
    return Round("2021-W36", "2021-W36", MONDAY, SCHEDULE.due_for(MONDAY, CAL))


def test_a_new_deployment_waits_for_the_next_opening() -> None:
    assert due(Snapshot((), BINDINGS, frozenset()), MONDAY.subtract(minutes=1), SCHEDULE, CAL) == []
    assert due(Snapshot((), BINDINGS, frozenset()), MONDAY.add(days=2), SCHEDULE, CAL) == []


def test_the_opening_asks_every_active_binding() -> None:
    actions = due(Snapshot((), BINDINGS, frozenset()), MONDAY, SCHEDULE, CAL)
    assert actions[0] == OpenRound(w36(), None, dt.timedelta(0))
    assert actions[1:] == [SendPrompt("2021-W36", "市财政局", -1), SendPrompt("2021-W36", "市教育局", -2)]


def test_no_one_is_asked_twice_and_late_binders_are_asked() -> None:
    snapshot = Snapshot((w36(),), BINDINGS, frozenset({"市财政局"}))
    assert due(snapshot, MONDAY.add(hours=3), SCHEDULE, CAL) == [SendPrompt("2021-W36", "市教育局", -2)]
    done = Snapshot((w36(),), BINDINGS, frozenset({"市财政局", "市教育局"}))
    assert due(done, MONDAY.add(hours=3), SCHEDULE, CAL) == []


def test_catching_up_on_a_missed_opening_closes_the_previous_round() -> None:
    later = MONDAY.add(weeks=1, hours=5)  # the bot was down over the opening at 09:00
    actions = due(Snapshot((w36(),), BINDINGS, frozenset({"市财政局"})), later, SCHEDULE, CAL)
    opening = actions[0]
    assert isinstance(opening, OpenRound)
    assert opening.round.id == "2021-W37" and opening.closes == w36() and opening.late_by == dt.timedelta(hours=5)
    assert [a for a in actions if isinstance(a, SendPrompt)] == [
        SendPrompt("2021-W37", "市财政局", -1),
        SendPrompt("2021-W37", "市教育局", -2),
    ]


def test_a_manual_round_this_week_replaces_the_scheduled_one() -> None:
    manual = Round("2021-W36", "2021-W36", MONDAY.subtract(hours=1), MONDAY.add(days=3), Opening.MANUAL)
    assert due(Snapshot((manual,), (), frozenset()), MONDAY.add(hours=1), SCHEDULE, CAL) == []
    assert next_round_id("2021-W36", [manual]) == "2021-W36-2"


def test_round_open_and_due() -> None:
    r = w36()
    assert r.is_open(MONDAY) and not r.is_past_due(MONDAY)
    assert r.is_past_due(pendulum.datetime(2021, 9, 9, 17, 0, tz=TZ))
    assert not r.closed(MONDAY.add(weeks=1)).is_open(MONDAY.add(weeks=1))
