"""Monthly and quarterly deployments end to end: the bot on the sandbox, its clock driven through months at a
time (twice a simulated day), across 春节 and 国庆 with their 调休 working weekends."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pendulum

from supervisor_bot.core.ladder import LadderConfig
from supervisor_bot.core.schedule import Cadence, RoundSchedule
from supervisor_bot.sandbox import OutgoingRecord
from tests.e2e.harness import BUREAU_CHAT, LEADERS_CHAT, TZ, World, a_world

FIN, PRIVATE = "市财政局", "市民营经济局"  # neither reports anything


def bound(name: str) -> bool:
    return name in (FIN, PRIVATE)


@dataclass(frozen=True)
class Seen:
    at: pendulum.DateTime  # the simulated moment of the tick that did it
    record: OutgoingRecord


async def run_through(world: World, start: pendulum.DateTime, end: pendulum.DateTime) -> list[Seen]:
    """Tick at 09:00 and 17:00 of every day from `start` to `end`; what the bot did at each."""
    seen: list[Seen] = []
    day = start
    while day <= end:
        for hour in (9, 17):
            now = pendulum.datetime(day.year, day.month, day.day, hour, tz=TZ)
            mark = world.sandbox.mark()
            await world.tick(now)
            seen += [Seen(now, r) for r in world.sandbox.outgoing(after=mark)]
        day = day.add(days=1)
    return seen


def when(seen: list[Seen], chat: int, text: str, method: str = "sendMessage") -> list[pendulum.DateTime]:
    return [
        s.at for s in seen if s.record.chat_id == chat and s.record.method == method and text in (s.record.text or "")
    ]


def at(month: int, day: int, hour: int, year: int = 2025) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, tz=TZ)


async def test_a_monthly_quarter_across_chunjie(tmp_path: Path) -> None:
    schedule = RoundSchedule(cadence=Cadence.MONTHLY, monthday=1)
    ladder = LadderConfig(digest_cadence=Cadence.MONTHLY, digest_monthday=28)
    async with a_world(tmp_path, bound, schedule, ladder, start=at(1, 2, 9)) as world:
        seen = await run_through(world, at(1, 2, 9), at(3, 31, 9))
        fin = world.chats[FIN]
        assert when(seen, fin, "【督办】2025年1月") == [at(1, 2, 9)]  # 元旦 moved it from the 1st
        assert when(seen, fin, "【督办】2025年2月") == [at(2, 5, 9)]  # 春节 (1/28–2/4)
        assert when(seen, fin, "【督办】2025年3月") == [at(3, 3, 9)]  # the 1st is a Saturday
        assert when(seen, BUREAU_CHAT, "【督办】2025年2月报送已开始，截止时间2月8日（周六）17:00") == [at(2, 5, 9)]
        assert when(seen, world.chats[PRIVATE], "【催办】") == [at(1, 7, 17), at(2, 8, 17), at(3, 6, 17)]
        assert when(seen, BUREAU_CHAT, f"被督办单位：{PRIVATE}") == [at(1, 8, 17), at(2, 10, 17), at(3, 7, 17)]
        digests = [s for s in seen if s.record.chat_id == LEADERS_CHAT and "【督办月报】" in (s.record.text or "")]
        assert [s.at for s in digests] == [at(1, 27, 17), at(2, 28, 17), at(3, 28, 17)]  # 1/28 is 春节: the day before
        february = digests[1].record.text or ""
        assert "落实情况（2025年2月）" in february and "统计时间：2025年1月28日至2025年2月28日" in february
        assert "与上月持平" in february and "（" not in february.splitlines()[0].split("（", 1)[1]  # no nested brackets
        closed = [
            s for s in seen if s.record.chat_id == fin and s.record.is_edit and "报送已于" in (s.record.text or "")
        ]
        assert [(s.at, (s.record.text or "")[:13]) for s in closed] == [
            (at(2, 5, 9), "【督办】2025年1月报送"),
            (at(3, 3, 9), "【督办】2025年2月报送"),
        ]
        assert [r.id for r in world.runtime.store.rounds()] == ["2025-01", "2025-02", "2025-03"]


async def test_a_quarterly_half_year_across_guoqing(tmp_path: Path) -> None:
    schedule = RoundSchedule(cadence=Cadence.QUARTERLY, month_of_quarter=1, monthday=1)
    ladder = LadderConfig(digest_cadence=Cadence.MONTHLY, digest_monthday=28)
    async with a_world(tmp_path, bound, schedule, ladder, start=at(7, 1, 9)) as world:
        seen = await run_through(world, at(7, 1, 9), at(12, 31, 9))
        fin = world.chats[FIN]
        assert when(seen, fin, "【督办】2025年第3季度") == [at(7, 1, 9)]
        assert when(seen, fin, "【督办】2025年第4季度") == [at(10, 9, 9)]  # 国庆 and 中秋, 10/1–10/8
        assert when(seen, world.chats[PRIVATE], "【催办】") == [
            at(7, 4, 17),
            at(10, 13, 17),
        ]  # 10/11 is a 调休 Saturday
        digests = when(seen, LEADERS_CHAT, "【督办月报】")
        # 9/28 is a Sunday worked (调休); 12/28 a Sunday: the Friday before
        assert digests == [at(7, 28, 17), at(8, 28, 17), at(9, 28, 17), at(10, 28, 17), at(11, 28, 17), at(12, 26, 17)]
        assert [r.id for r in world.runtime.store.rounds()] == ["2025-Q3", "2025-Q4"]
