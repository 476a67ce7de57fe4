"""What a rehearsal prints: every message the bot sends and what the simulated people do, stamped with the
simulated time, kept for conversation.txt and for the summary."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from supervisor_bot.demo.clock import RehearsalClock
from supervisor_bot.demo.liaisons import prompt_id_of
from supervisor_bot.sandbox import Sandbox
from supervisor_bot.views import fmt

WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Seen:
    """A message the bot sent, as the printer saw it: when (simulated), where, and its text."""

    at: dt.datetime
    chat_id: int
    text: str


class Printer:
    """Prints what happens, stamped with the simulated time, and keeps a copy for conversation.txt."""

    def __init__(self, sandbox: Sandbox, clock: RehearsalClock, titles: dict[int, str], echo: bool, tz: str) -> None:
        self.sandbox, self.clock, self.titles, self.echo, self.tz = sandbox, clock, titles, echo, tz
        self.lines: list[str] = []
        self.seen: list[Seen] = []

    def say(self, text: str, at: dt.datetime | None = None) -> None:
        stamp = fmt.local(at or self.clock.now(), self.tz)
        line = f"[{stamp.month:>2}月{stamp.day:>2}日 周{WEEKDAYS[stamp.weekday()]} {stamp.hour:02d}:{stamp.minute:02d}] {text}"
        self.lines.append(line)
        if self.echo:
            print(line, flush=True)

    async def run(self, stop: asyncio.Event) -> None:
        read = 0
        while not stop.is_set():
            fresh = self.sandbox.outgoing(after=read)
            read += len(fresh)
            for record in (r for r in fresh if r.is_send):
                text = record.text or record.caption or ""
                at = self.clock.at_wall(record.timestamp)
                self.seen.append(Seen(at, record.chat_id or 0, text))
                title = self.titles.get(record.chat_id or 0, str(record.chat_id))
                if record.files:
                    self.say(f"机器人 → {title}：[附件] {record.files[0].filename}", at)
                    continue
                if not text or prompt_id_of(record) or "请回复本消息" in text or text.startswith("已记录"):
                    continue  # checklists, note requests and confirmations: the liaisons' lines say it
                body = " / ".join(line for line in text.splitlines()[:4] if line.strip())
                self.say(f"机器人 → {title}：{fmt.clip(body, 160)}", at)
            await asyncio.sleep(0.02)
