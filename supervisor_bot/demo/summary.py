"""The one-page summary a rehearsal ends with: the rounds opened, the messages each unit received, who was
escalated and when, and the files written."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.matrix import Ask
from supervisor_bot.demo.cast import Habit
from supervisor_bot.demo.printer import Seen
from supervisor_bot.demo.stage import Played, Stage
from supervisor_bot.views import fmt

HABITS = {Habit.SILENT: "始终不报送", Habit.LATE: "迟报", Habit.STRUGGLING: "报有困难并附佐证材料"}
LADDER = ("【临期提醒】", "【催办】", "【督办单】", "【约谈建议】")


def _escalations(stage: Stage, played: Played) -> dict[str, list[Seen]]:
    """Each unit's ladder messages: 临期提醒 and 催办 in its chat, 督办单 and 约谈建议 in the bureau's."""
    chats = {m.chat_id: m.respondent for m in played.members}
    bureau = stage.cast.bureau.chat_id
    found: dict[str, list[Seen]] = {}
    for seen in played.printer.seen:
        unit = chats.get(seen.chat_id)
        if unit is not None and seen.text.startswith(LADDER[:2]):
            found.setdefault(unit, []).append(seen)
        elif seen.chat_id == bureau and seen.text.startswith("【督办单】"):
            named = seen.text.split("被督办单位：", 1)[-1].split("\n", 1)[0]
            found.setdefault(named, []).append(seen)
        elif seen.chat_id == bureau and seen.text.startswith("【约谈建议】"):
            named = seen.text.split("拟约谈：", 1)[-1].split("\n", 1)[0]
            found.setdefault(named, []).append(seen)
    return found


def _asked(stage: Stage) -> str:
    """Who reports, in each plan when they differ."""
    said = {
        r.plan: "仅牵头单位报送，配合单位随措施列出" if r.matrix.ask is Ask.LEADS else "各责任单位均报送"
        for r in stage.runtimes
    }
    if len(set(said.values())) == 1:
        return next(iter(said.values()))
    return "，".join(f"{key}{what}" for key, what in said.items())


def summary(stage: Stage, played: Played, written: list[Path]) -> str:
    rt = stage.runtime
    tz = rt.tz
    titles = "；".join(f"{r.plan} {r.office.plan_title}" if r.plan else r.office.plan_title for r in stage.runtimes)
    lines = [
        f"【演练小结】{titles}",
        f"模拟时间：{fmt.short(stage.start, tz)} 至 {fmt.short(stage.end, tz)}；{_asked(stage)}；"
        f"数据目录为临时目录，演练结束即删除，未触及本部署的数据目录。",
        "",
    ]
    rounds = played.rounds
    lines.append(f"一、报送轮次（{len(rounds)}轮）")
    for r in rounds:
        lines.append(f"{fmt.round_name(r.id)}：{fmt.day_time(r.opened_at, tz)}开启，{fmt.day_time(r.due_at, tz)}截止")
    lines += ["", f"二、各单位收到的消息（{len(played.members)}个单位）"]
    received: dict[int, int] = {}
    for seen in played.printer.seen:
        received[seen.chat_id] = received.get(seen.chat_id, 0) + 1
    for member in played.members:
        habit = stage.cast.habits.get(member.respondent)
        note = f"（{HABITS[habit]}）" if habit in HABITS else ""
        lines.append(f"{member.respondent}{note}：{received.get(member.chat_id, 0)}条")
    lines += ["", "三、督办升级"]
    escalated = _escalations(stage, played)
    if not escalated:
        lines.append("无。")
    for unit, found in escalated.items():
        steps = "；".join(f"{s.text.split('】', 1)[0]}】{fmt.short(s.at, tz)}" for s in found)
        lines.append(f"{unit}：{steps}")
    lines += ["", "四、输出文件"]
    lines += [str(path) for path in written]
    return "\n".join(lines)
