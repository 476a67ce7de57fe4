"""Notices the bot sends on its own: reminders, and word to coordinators."""

from __future__ import annotations

import datetime as dt

from supervisor_bot.core.matrix import Matrix
from supervisor_bot.core.queries import Item
from supervisor_bot.core.rounds import Round
from supervisor_bot.views import fmt
from supervisor_bot.views.view import View, split_text


def reminder(respondent: str, round_: Round, missing: list[Item], tz: str, now: dt.datetime, matrix: Matrix) -> View:
    numbers = "、".join(matrix.label(i.measure.number) for i in missing)
    late = "已超过报送截止时间" if round_.is_past_due(now) else f"报送截止时间为{fmt.day_time(round_.due_at, tz)}"
    text = (
        f"【催报】{respondent}：{fmt.round_name(round_.id)}督办清单中尚有{len(missing)}项未报送"
        f"（措施{numbers}），{late}。请联络员尽快在本群督办清单中报送。"
    )
    return View(split_text(text)[0])


def chat_removed(respondent: str, chat_title: str) -> str:
    return f"【提示】机器人已被移出{respondent}的工作群（{chat_title}），此后不再向该群发送督办清单。请重新邀请机器人入群并使用 /invite 绑定。"


def round_opened(round_: Round, tz: str, prompted: int, unbound: list[str], late: dt.timedelta) -> str:
    lines = [
        f"【督办】{fmt.round_name(round_.id)}报送已开始，截止时间{fmt.day_time(round_.due_at, tz)}，已向{prompted}个单位发送督办清单。"
    ]
    if late > dt.timedelta(hours=1):
        lines.append(f"（本轮原定{fmt.day_time(round_.opened_at, tz)}开始，机器人恢复运行后补发。）")
    if unbound:
        lines.append(f"尚未绑定工作群的单位（{len(unbound)}个）：{'、'.join(unbound)}。请使用 /invite 邀请绑定。")
    return "\n".join(lines)
