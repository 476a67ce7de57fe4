"""Words for a messenger where people speak to the bot by @-mention in a group or plainly in a one-to-one chat,
and each measure is a card (企业微信): the same services as the Telegram commands, in words for its users."""

from __future__ import annotations

import datetime as dt
import re

from supervisor_bot.core.bindings import BindRefusal, Invite
from supervisor_bot.core.evidence import MAX_BYTES, EvidenceRefusal
from supervisor_bot.core.office import Office
from supervisor_bot.core.reports import Refusal
from supervisor_bot.views import evidence, fmt, messages

# what people write after @督办 (or alone in the one-to-one chat), and the command each one is
COMMANDS = {
    "绑定": "bind",
    "邀请": "invite",
    "状态": "status",
    "进展": "status",
    "逾期": "overdue",
    "措施": "measure",
    "周报": "digest",
    "催报": "remind",
    "开启": "round",
    "约谈": "yuetan",
    "帮助": "help",
}


# Telegram's commands, where a text shared by every front names one, as said to the bot here
_SLASHED = re.compile(r"/(" + "|".join(sorted(set(COMMANDS.values()) | {"overdue"}, key=len, reverse=True)) + r")\b")
_WORD = {command: word for word, command in reversed(COMMANDS.items())}


def in_words(text: str) -> str:
    """`详见 /overdue` → `详见 @督办 逾期`: a shared text in the words people use with the bot here."""
    return _SLASHED.sub(lambda m: "@督办 " + _WORD[m.group(1)], text)


def help_text(office: Office, today: dt.date) -> str:
    unit, measure = office.example_unit, office.example_measure
    return f"""督办机器人：督促落实{office.plan_word}，定期向各责任单位收集进展。在群内请先@机器人再输入命令。

所有人可用：
@督办 状态 —— 本轮总体落实情况
@督办 状态 {unit} —— 某单位各项措施的进展
@督办 状态 {measure} —— 某项措施各责任单位的进展（措施号按方案原编号）
@督办 逾期 —— 逾期未报送事项
@督办 措施 {measure} —— 查看措施{measure}的内容、责任单位和时限

协调员可用：
邀请 {unit} —— 在与机器人的单聊中生成一次性绑定码，由该单位联络员在本单位工作群@督办 绑定 绑定码
@督办 周报 —— 预览督办周报（含督办台账和进展图）
@督办 催报 —— 向尚未报送的单位催报
@督办 开启 —— 立即开启一轮报送
@督办 约谈 单位 约谈日期 要点 整改期限 —— 记录约谈及整改期限

联络员：在本单位工作群@督办 绑定 绑定码（由协调员生成）完成绑定。每轮督办清单发到本群，每项措施一张卡片，点击“未启动”“推进中”“已完成”“有困难”即可报送；选择“已完成”“有困难”后须在本群@督办 说明情况（或在与机器人的单聊中直接发送说明）。佐证材料请在与机器人的单聊中发送文件，文件名写明措施号，例如“措施9-验收报告.pdf”。本轮结束前可随时更正。"""


def welcome(office: Office, today: dt.date) -> str:
    """To someone who opens the one-to-one chat with the bot."""
    return "您好，这里是督办机器人。佐证材料请在本单聊中发送；进展说明可在本单聊中直接发送。\n\n" + help_text(
        office, today
    )


def usage(command: str, office: Office) -> str:
    unit, measure = office.example_unit, office.example_measure
    return {
        "invite": f"用法：邀请 单位名称，例如：邀请 {unit}（请在与机器人的单聊中使用）",
        "bind": "用法：@督办 绑定 绑定码，例如：@督办 绑定 ABCD2345（绑定码由协调员生成）",
        "measure": f"用法：@督办 措施 措施号（按方案原编号），例如：@督办 措施 {measure}",
        "yuetan": f"用法：@督办 约谈 单位 约谈日期 要点 整改期限，例如：@督办 约谈 {unit} …",
    }[command]


def invite_made(invite: Invite, tz: str) -> str:
    return (
        f"已为{invite.respondent}生成一次性绑定码，{fmt.day_time(invite.expires_at, tz)}前有效。\n"
        f"请将机器人添加到该单位工作群，由联络员在群内发送：@督办 绑定 {invite.code}"
    )


def no_such_unit(written: str, candidates: tuple[str, ...], suggestion: str | None, office: Office) -> str:
    if candidates:
        return f"“{written}”对应多个单位：{'、'.join(candidates)}。请写出完整名称，例如：邀请 {candidates[0]}"
    guess = f"，是否为“{suggestion}”" if suggestion else ""
    return f"未找到单位“{written}”{guess}。请使用{office.plan_word}中的单位名称，例如：邀请 {suggestion or office.example_unit}"


NOT_A_NOTE = (
    "如需报送，请在本群督办清单的措施卡片上选择进展情况；选择“已完成”“有困难”后@督办 说明情况。"
    "发送“@督办 帮助”查看说明。"
)
NO_GROUP = "未找到您担任联络员的工作群（或您同时是多个单位的联络员）。请在本单位工作群内@督办 说明情况。"
EVIDENCE_IN_ONE_TO_ONE = "佐证材料请在与机器人的单聊中发送（群内发送的文件机器人无法接收）。"
LINK_EXPIRED = "文件下载链接已过期（企业微信仅保留5分钟），未保存。请重新发送该文件。"
CARD_CLOSED = "本轮报送已结束，该卡片不再接受报送。"
UNKNOWN_CARD = "该卡片已失效，请使用本群最新的督办清单。"
RETURN_REASON = "请@督办 说明退回理由。"
ROUND_STALE = "该提示已失效（报送轮次已变化），未做任何更改。请重新发送“@督办 开启”。"

# the refusals in the words of this messenger (no commands with a slash, no "reply to the message")
REFUSALS = {
    **messages.REFUSALS,
    Refusal.NOT_BOUND: "本群尚未绑定责任单位，无法报送。请联络员在本群发送“@督办 绑定 绑定码”（绑定码由协调员生成）。",
    Refusal.NOT_LIAISON: "您不是本单位登记的联络员，不能报送或操作本单位的督办清单，未做任何更改。联络员须在本群发送“@督办 绑定 绑定码”登记。",
    Refusal.NOTE_REQUIRED: "说明不能为空：“已完成”须说明完成情况，“有困难”须说明具体困难。请重新@督办 说明。",
    Refusal.NOTE_TOO_LONG: "说明过长（不超过500字），请精简后重新@督办 说明。",
    Refusal.NOTHING_TO_NOTE: "该措施本轮尚未报送进展，请先在措施卡片上选择进展情况。",
}
BIND_REFUSALS = {
    **messages.BIND_REFUSALS,
    BindRefusal.UNKNOWN_CODE: "绑定码无效。请核对后重新发送，格式：@督办 绑定 绑定码（由协调员生成）。",
    BindRefusal.EXPIRED: "绑定码已过期，请联系协调员重新生成。",
    BindRefusal.PRIVATE_CHAT: "请在本单位的工作群中@督办 绑定 绑定码，而不是在单聊中。",
    BindRefusal.RESERVED_CHAT: "本群是协调处室或领导的督办群，不能绑定为责任单位工作群。请联络员在本单位的工作群中@督办 绑定 绑定码。",
}
DECLINED = {
    **evidence.DECLINED,
    EvidenceRefusal.TOO_LARGE: f"文件超过{MAX_BYTES // (1024 * 1024)}MB，未保存。请压缩或拆分后重新发送，或将材料另行报送协调处室。",
    EvidenceRefusal.NO_MEASURE: "未能确定佐证材料对应的措施，未保存。请在文件名中写明措施号（例如“措施9-验收报告.pdf”）后重新发送。",
    EvidenceRefusal.NOT_RECEIVED: "文件未能接收，未保存。请稍后重新发送。",
}
