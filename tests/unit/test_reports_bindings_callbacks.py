"""Reports and their audit, invite codes, and callback data: pure rules, no I/O."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pendulum
import pytest

from supervisor_bot.core.bindings import Binding, BindRefusal, Bound, Invite, redeem
from supervisor_bot.core.people import Actor
from supervisor_bot.core.reports import Refusal, Report, carry_over, check_note, check_reporter, record
from supervisor_bot.core.status import Status
from supervisor_bot.views.callbacks import MAX_BYTES, Act, Press, decode, encode

NOW = pendulum.datetime(2021, 9, 6, 10, 0, tz="Asia/Shanghai")
LIAISON = Actor(1, "张三")
BINDING = Binding("市财政局", -100, frozenset({1}))


@pytest.mark.parametrize(
    ("binding", "respondent", "chat", "actor", "expected"),
    [
        (BINDING, "市财政局", -100, LIAISON, None),
        (None, "市财政局", -100, LIAISON, Refusal.NOT_BOUND),
        (Binding("市财政局", -100, frozenset({1}), active=False), "市财政局", -100, LIAISON, Refusal.NOT_BOUND),
        (BINDING, "市财政局", -200, LIAISON, Refusal.WRONG_CHAT),
        (BINDING, "市教育局", -100, LIAISON, Refusal.WRONG_CHAT),
        (BINDING, "市财政局", -100, Actor(2, "路人"), Refusal.NOT_LIAISON),
    ],
)
def test_who_may_report(
    binding: Binding | None, respondent: str, chat: int, actor: Actor, expected: Refusal | None
) -> None:
    assert check_reporter(binding, respondent, chat, actor) is expected


@pytest.mark.parametrize(
    ("status", "note", "expected"),
    [
        (Status.IN_PROGRESS, "", None),
        (Status.NOT_STARTED, "", None),
        (Status.DONE, "", Refusal.NOTE_REQUIRED),
        (Status.BLOCKED, "  \n ", Refusal.NOTE_REQUIRED),
        (Status.DONE, "已完成", None),
        (Status.BLOCKED, "字" * 501, Refusal.NOTE_TOO_LONG),
    ],
)
def test_notes(status: Status, note: str, expected: Refusal | None) -> None:
    assert check_note(status, note) is expected


def test_a_correction_is_audited_with_before_and_after() -> None:
    first, audit1 = record(
        None,
        round_id="R",
        measure=8,
        respondent="市财政局",
        status=Status.BLOCKED,
        note="缺资金",
        actor=LIAISON,
        chat_id=-100,
        now=NOW,
    )
    second, audit2 = record(
        first,
        round_id="R",
        measure=8,
        respondent="市财政局",
        status=Status.BLOCKED,
        note="",
        actor=LIAISON,
        chat_id=-100,
        now=NOW.add(hours=1),
    )
    assert second.note == "缺资金"  # the same status keeps its note
    third, audit3 = record(
        second,
        round_id="R",
        measure=8,
        respondent="市财政局",
        status=Status.IN_PROGRESS,
        note="",
        actor=LIAISON,
        chat_id=-100,
        now=NOW.add(hours=2),
    )
    assert third.note == ""
    assert [(a.before, a.after) for a in (audit1, audit2, audit3)] == [
        (None, "blocked"),
        ("blocked", "blocked"),
        ("blocked", "in_progress"),
    ]
    assert audit3.actor == LIAISON and audit3.chat_id == -100 and audit3.at == NOW.add(hours=2)


def test_only_done_is_carried_over() -> None:
    done = Report("R1", 8, "市财政局", Status.DONE, "完成", NOW, LIAISON, -100)
    going = Report("R1", 9, "市财政局", Status.IN_PROGRESS, "", NOW, LIAISON, -100)
    assert carry_over([done, going], "R2") == [
        Report("R2", 8, "市财政局", Status.DONE, "完成", NOW, LIAISON, -100, carried=True)
    ]


def invite(**changes: Any) -> Invite:
    return replace(Invite("CODE2345", "市教育局", Actor(9, "协调员"), NOW, NOW.add(hours=72)), **changes)


def bind(
    code: Invite | None,
    chat: int = -300,
    is_group: bool = True,
    chat_binding: Binding | None = None,
    mine: Binding | None = None,
    now: pendulum.DateTime = NOW,
) -> Bound | BindRefusal:
    return redeem(
        code,
        chat_id=chat,
        is_group=is_group,
        title="群",
        actor=LIAISON,
        now=now,
        chat_binding=chat_binding,
        respondent_binding=mine,
    )


def test_redeem_an_invite() -> None:
    bound = bind(invite())
    assert isinstance(bound, Bound)
    assert bound.binding == Binding("市教育局", -300, frozenset({1}), True, "群")
    assert bound.invite.used_by == LIAISON and bound.invite.used_in_chat == -300


def test_a_second_liaison_in_the_same_chat() -> None:
    mine = Binding("市教育局", -300, frozenset({7}))
    bound = bind(invite(), chat_binding=mine, mine=mine)
    assert isinstance(bound, Bound) and bound.binding.liaisons == {1, 7} and not bound.new_chat


def test_moving_to_another_chat() -> None:
    bound = bind(invite(), mine=Binding("市教育局", -299, frozenset({7})))
    assert isinstance(bound, Bound) and bound.moved_from == -299 and bound.binding.liaisons == {1}


@pytest.mark.parametrize(
    ("code", "kwargs", "refusal"),
    [
        (None, {}, BindRefusal.UNKNOWN_CODE),
        (invite(used_at=NOW), {}, BindRefusal.USED),
        (invite(), {"now": NOW.add(hours=72)}, BindRefusal.EXPIRED),
        (invite(), {"is_group": False}, BindRefusal.PRIVATE_CHAT),
        (invite(), {"chat_binding": Binding("市财政局", -300)}, BindRefusal.CHAT_TAKEN),
    ],
)
def test_bind_refusals(code: Invite | None, kwargs: dict[str, object], refusal: BindRefusal) -> None:
    assert bind(code, **kwargs) is refusal  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "press",
    [
        Press(Act.PAGE, "1a", 6),
        Press(Act.MEASURE, "ffffffffffff", 63),
        Press(Act.STATUS, "2b", 8, Status.DONE),
        Press(Act.NOTE, "2b", 8),
        Press(Act.BACK, "2b"),
    ],
)
def test_callback_data_round_trip_within_64_bytes(press: Press) -> None:
    data = encode(press)
    assert len(data.encode()) <= MAX_BYTES
    assert decode(data) == press


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "st|2b|8",
        "st|2b|8|z",
        "zz|2b|1",
        "pg|2b|x",
        "bk|2b|1",
        "st|2B|8|d",
        "pg|2b|12345",
        "ms|" + "a" * 70 + "|1",
    ],
)
def test_forged_callback_data(data: str | None) -> None:
    assert decode(data) is None
