"""Replies to people: help, refusals, binding, and errors with an example of what works."""

from __future__ import annotations

import datetime as dt

from supervisor_bot.core.bindings import BindRefusal, Bound, Invite
from supervisor_bot.core.office import Office
from supervisor_bot.core.reports import Refusal, Report
from supervisor_bot.views import fmt
from supervisor_bot.views.view import View

WEEKLY = "督办周报"


def commands(digest: str = WEEKLY) -> tuple[tuple[str, str], ...]:
    """The command menu, the digest named as the deployment's cadence has it (督办周报, 督办月报)."""
    return tuple((name, text.replace(WEEKLY, digest)) for name, text in COMMANDS)


COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始使用督办机器人"),
    ("help", "使用说明"),
    ("status", "落实情况：/status、/status 部门、/status 措施号"),
    ("overdue", "逾期未报送事项"),
    ("measure", "查看措施内容：/measure 措施号"),
    ("web", "督办看板登录链接（私聊）"),
    ("invite", "（协调员）邀请部门绑定工作群：/invite 单位名称"),
    ("round", "（协调员）立即开启一轮报送"),
    ("remind", "（协调员）向未报送单位催报"),
    ("yuetan", "（协调员）记录约谈：/yuetan 单位 日期 要点 整改期限YYYY-MM-DD"),
    ("digest", "（协调员）预览督办周报"),
    ("score", "（协调员、领导）考核得分：/score、/score 单位 期间"),
)

INTERVIEW_IN_DAYS = 7  # the examples' 约谈 a week from today, its 整改期限 a month after it
RECTIFY_DAYS = 30


def yuetan_example(unit: str, held: dt.date) -> str:
    """`/yuetan 单位 约谈日期 要点 整改期限…` with dates that make sense: the deadline after the interview."""
    deadline = held + dt.timedelta(days=RECTIFY_DAYS)
    return f"/yuetan {unit} {held.isoformat()} 明确专人负责，每轮按时报送 整改期限{deadline.isoformat()}"


def help_text(office: Office, today: dt.date, digest: str = WEEKLY) -> str:
    unit, measure = office.example_unit, office.example_measure
    yuetan = yuetan_example(unit, today + dt.timedelta(days=INTERVIEW_IN_DAYS))
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return f"""督办机器人：督促落实{office.plan_word}，定期向各责任单位收集进展。

所有人可用：
/status —— 本轮总体落实情况
/status {unit} —— 某单位各项措施的进展
/status {measure} —— 某项措施各责任单位的进展（措施号按方案原编号）
/overdue —— 逾期未报送事项
/measure {measure} —— 查看措施{measure}的内容、责任单位和时限
/web —— 督办看板的一次性登录链接（协调员、领导、联络员；私聊机器人）

协调员可用（私聊机器人）：
/invite {unit} —— 生成一次性绑定码，由该单位联络员在本单位工作群发送 /bind 绑定码
/round —— 立即开启一轮报送
/remind —— 向尚未报送的单位催报
{yuetan} —— 记录约谈及整改期限
/digest —— 预览{digest}（含督办台账和进展图）

协调员和领导可用：
/score —— 本考核期各单位得分（由低到高）；/score {unit} —— 该单位得分和每一项扣分；/score {unit} {quarter} —— 指定期间（{today.year}、{quarter}、{today:%Y-%m}）

督办单（发至{office.bureau}工作群）：协调员可对逾期事项“延期”或标记“已核实”；牵头单位报告“已完成”的，由协调员核实“销号”或“退回”。

联络员：在本单位工作群的督办清单中点击措施编号，选择“未启动”“推进中”“已完成”“有困难”；选择“已完成”“有困难”后须回复机器人的提示消息说明情况。佐证材料（文件或照片，不超过20MB）：回复显示该措施的清单或机器人的提示消息上传，也可回复清单并在文件说明中写明措施号（如“措施9”）。本轮结束前可随时更正。"""


def start_text(office: Office, today: dt.date, digest: str = WEEKLY) -> str:
    return "您好，这里是督办机器人。\n\n" + help_text(office, today, digest)


REFUSALS = {
    Refusal.NOT_BOUND: "本群尚未绑定责任单位，无法报送。请协调员使用 /invite 生成绑定码后，在本群发送 /bind 绑定码。",
    Refusal.NOT_LIAISON: "您不是本单位登记的联络员，不能报送或操作本单位的督办清单，未做任何更改。联络员须由协调员通过 /invite 生成绑定码，在本群发送 /bind 绑定码登记。",
    Refusal.NOT_THEIRS: "该措施不属于本单位的责任事项，报送未被接受。",
    Refusal.WRONG_CHAT: "该按钮不属于本群的督办清单，报送未被接受。请使用本单位工作群中的清单。",
    Refusal.STALE: "该清单已不是最新的督办清单，请使用本群最新发送的清单。",
    Refusal.FORGED: "无法识别的按钮或该清单已失效，未做任何更改。请使用本群最新的督办清单。",
    Refusal.ROUND_CLOSED: "本轮报送已结束，不能再更改。请在新一轮督办清单中报送。",
    Refusal.NO_ROUND: "目前没有进行中的报送轮次。",
    Refusal.NOTE_REQUIRED: "说明不能为空：“已完成”须说明完成情况，“有困难”须说明具体困难。请重新回复提示消息。",
    Refusal.NOTE_TOO_LONG: "说明过长（不超过500字），请精简后重新回复提示消息。",
    Refusal.NOTHING_TO_NOTE: "该措施本轮尚未报送进展，请先在清单中选择进展情况。",
}

BIND_REFUSALS = {
    BindRefusal.UNKNOWN_CODE: "绑定码无效。请核对后重新发送，格式：/bind 绑定码（由协调员通过 /invite 生成）。",
    BindRefusal.EXPIRED: "绑定码已过期，请联系协调员重新生成（/invite 部门）。",
    BindRefusal.USED: "该绑定码已使用过，每个绑定码只能使用一次。请联系协调员重新生成。",
    BindRefusal.PRIVATE_CHAT: "请在本单位的工作群中发送 /bind 绑定码，而不是在私聊中。",
    BindRefusal.CHAT_TAKEN: "本群已绑定其他单位，不能再绑定。如需更换，请联系协调员。",
    BindRefusal.RESERVED_CHAT: "本群是协调处室或领导的督办群，不能绑定为责任单位工作群。请由联络员在本单位的工作群中发送 /bind 绑定码。",
}


def bound(outcome: Bound, user: str) -> str:
    respondent = outcome.binding.respondent
    if not outcome.new_chat:
        return f"已登记{user}为{respondent}的联络员。"
    moved = "（原工作群的绑定已解除）" if outcome.moved_from is not None else ""
    return f"绑定成功：本群为{respondent}的督办工作群{moved}，{user}为联络员。本轮督办清单将发送到本群。"


def invite_made(invite: Invite, tz: str) -> str:
    return (
        f"已为{invite.respondent}生成一次性绑定码，{fmt.day_time(invite.expires_at, tz)}前有效。\n"
        f"请将机器人拉入该单位工作群，由联络员在群内发送：\n\n/bind {invite.code}"
    )


def no_such_respondent(
    written: str, candidates: tuple[str, ...], office: Office, command: str = "invite", suggestion: str | None = None
) -> str:
    if suggestion and not candidates:
        return f'未找到单位"{written}"，是否为"{suggestion}"？请使用{office.plan_word}中的单位名称，例如：/{command} {suggestion}'
    if candidates:
        return f"“{written}”对应多个单位：{'、'.join(candidates)}。请写出完整名称，例如：/{command} {candidates[0]}"
    return f"未找到单位“{written}”。请使用{office.plan_word}中的单位名称，例如：/{command} {office.example_unit}"


def usage(command: str, office: Office) -> str:
    unit, measure = office.example_unit, office.example_measure
    return {
        "invite": f"用法：/invite 单位名称，例如：/invite {unit}（请在与机器人的私聊中使用）",
        "bind": "用法：/bind 绑定码，例如：/bind ABCD2345（绑定码由协调员通过 /invite 生成）",
        "measure": f"用法：/measure 措施号（按方案原编号），例如：/measure {measure}",
        "status": f"用法：/status、/status 单位名称 或 /status 措施号，例如：/status {unit}、/status {measure}",
    }[command]


COORDINATORS_ONLY = "该命令仅限协调员使用。"
PRIVATE_ONLY = "请在与机器人的私聊中使用该命令。"
NOT_A_NOTE = "如需报送，请在本群督办清单中点击措施编号并选择进展情况；选择“已完成”“有困难”后回复机器人的提示消息。"
NO_ROUND = "目前尚未开启报送轮次。"

# the bot added to a group: a department's group is asked to bind; the bureau's and the leaders' are not
GREETING = "您好，我是督办机器人。请本单位联络员发送 /bind 绑定码（由协调员通过 /invite 生成）完成绑定。"
GREETING_BUREAU = "您好，我是督办机器人。督办单、办结核实和约谈建议将发送到本群，由协调员处理。发送 /help 查看说明。"
GREETING_LEADERS = "您好，我是督办机器人。每周督办周报和约谈建议将发送到本群。发送 /help 查看说明。"


def greeting_leaders(digest: str = WEEKLY) -> str:
    every = "每月" if digest.endswith("月报") else "每周"
    return GREETING_LEADERS.replace("每周督办周报", every + digest)


def unknown_command(command: str, office: Office) -> str:
    return (
        f"无法识别的命令 /{command}。可用命令：/status、/overdue、/measure {office.example_measure}、/help。"
        f"例如：/status {office.example_unit}"
    )


def no_measure(text: str, count: int, office: Office) -> str:
    return (
        f"没有措施“{text}”：本方案共{count}项措施，可按方案原编号或顺序号（1—{count}）查询。"
        f"例如：/measure {office.example_measure}"
    )


SYSTEM_BUSY = "系统繁忙，本次操作未完成，请稍后重试。"
PRIVATE_TEXT = "请使用命令与机器人交互，例如 /status、/overdue、/measure 措施号。发送 /help 查看说明。"


def round_opened_now(round_id: str, due: str, prompted: int) -> str:
    return f"已开启{fmt.round_name(round_id)}报送，截止时间{due}，已向{prompted}个单位发送督办清单。"


def reminded(delivered: int, due: int) -> str:
    return f"已向{delivered}个尚有未报送事项的单位发送催报。" if due else "各单位均已报送，无需催报。"


def note_recorded(report: Report, who: str, label: str) -> View:
    """The confirmation that replaces the request for a note it answers."""
    status = f"{report.status.mark}{report.status.label}"
    return View(f"已记录：{label} {status}（{report.respondent}，{who}）。说明：{report.note}")
