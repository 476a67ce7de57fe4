"""A round by hand and a round's end: /round's confirmation while a round is open, its buttons, and the line a
closed round's checklist is edited to (so that nobody presses a dead button).

Callback data: `rn|o|ROUND` open a new round (ending ROUND) · `rn|r|ROUND` send ROUND's checklists again —
where ROUND is the open round's id, so that a confirmation pressed after the round changed is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from supervisor_bot.core.rounds import Round
from supervisor_bot.views import fmt
from supervisor_bot.views.callbacks import MAX_BYTES
from supervisor_bot.views.view import Button, View

PATTERN = r"^rn\|"
_DATA = re.compile(r"rn\|([or])\|([0-9A-Za-z-]{1,40})")


class RoundChoice(StrEnum):
    OPEN = "o"  # end the open round and open a new one
    RESEND = "r"  # send the open round's checklists again


@dataclass(frozen=True)
class RoundPress:
    choice: RoundChoice
    round_id: str


def encode(press: RoundPress) -> str:
    data = f"rn|{press.choice.value}|{press.round_id}"
    assert len(data.encode()) <= MAX_BYTES, data
    return data


def decode(data: str | None) -> RoundPress | None:
    matched = _DATA.fullmatch(data or "")
    return RoundPress(RoundChoice(matched.group(1)), matched.group(2)) if matched else None


def still_open(round_: Round, reported: int, expected: int, prompted: int, tz: str) -> View:
    """/round while a round is open: what is open, and a choice — a new round, or the checklists again."""
    name = fmt.round_name(round_.id)
    text = (
        f"【开启新一轮】{name}报送尚未结束：{fmt.day_time(round_.opened_at, tz)}开始，"
        f"截止时间{fmt.day_time(round_.due_at, tz)}，已向{prompted}个单位发送督办清单，已报送{reported}项／应报送{expected}项。\n"
        f"开启新一轮将结束{name}：各单位将收到新一轮督办清单，{name}的报送和逾期记录保留，已完成事项转入新一轮。\n"
        "请选择："
    )
    return View(
        text,
        (
            (Button("确认开启新一轮", encode(RoundPress(RoundChoice.OPEN, round_.id))),),
            (Button(f"重发{name}督办清单", encode(RoundPress(RoundChoice.RESEND, round_.id))),),
        ),
    )


def resent(round_: Round, count: int) -> str:
    return f"已重新发送{fmt.round_name(round_.id)}督办清单（{count}个单位），本轮继续进行。"


RESENT = "（重发）如已收到相同清单，以本条为准"  # the first line of a checklist sent again after a restart
STALE = "该提示已失效（报送轮次已变化），未做任何更改。请重新发送 /round。"
COORDINATORS_ONLY = "只有协调员可以开启报送轮次。"


def checklist_closed(round_: Round, closed_at: dt.datetime | None, tz: str) -> View:
    """A closed round's checklist, edited so that it keeps no buttons."""
    when = f"已于{fmt.day_time(closed_at, tz)}结束" if closed_at is not None else "已结束"
    return View(f"【督办】{fmt.round_name(round_.id)}报送{when}，本清单不再接受报送。请在最新的督办清单中报送。")


def checklist_superseded(round_: Round) -> View:
    """A checklist sent again: the earlier message keeps no buttons."""
    return View(f"【督办】{fmt.round_name(round_.id)}督办清单已重新发送，请在最新的督办清单中报送。")
