"""Fan-out: how close a tick's messages come to the floor Telegram's limits set, against a bare bot's.

Telegram allows a bot 30 messages a second in all and 20 a minute in each group; the sandbox enforces both as
sliding windows (supervisor_bot/sandbox/limits.py). A tick's time runs from its start until the sandbox accepted
the last of its checklists (or of the ladder's messages); the floor is the least time the sandbox's limits
allow for all the messages the tick sent, the coordinators' notice included (`floor_seconds`), and the ratio
is the one divided by the other.

- jinan: Monday's tick opens a round: a checklist to each of Jinan's respondents, then the coordinators' notice.
- province: the same for 16 cities × the Jinan matrix (bench/province.py), some 750 groups.
- ladder: Friday's tick after a round no one answered: a 催办 to every unit's group and a 督办单 per unit to the
  bureau's group, where 20 a minute binds. Its floor is two minutes of Telegram's time, so it runs on a clock
  `LADDER_SCALE` times faster — sandbox and bot apply Telegram's limits in that time, as the demo does.
- baseline: python-telegram-bot with its AIORateLimiter sending the same messages to the same chats, all at once,
  in a sandbox of its own with the same limits; with nothing to prepare, its time starts at its first send.

The bot, the baseline and the sandbox share one process and one event loop: what a message costs them in CPU
(some 5–10 ms here) shows in the figures, more so on a busy machine.

`fanout_ratio` is the worst of the bot's ratios.
"""

from __future__ import annotations

import asyncio
import math
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pendulum
from telegram.ext import AIORateLimiter, Application

from bench.common import MONDAY, TZ, our_bot, record
from bench.province import province
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.sandbox import OutgoingRecord, RateLimits, Sandbox

COORDINATOR = 1  # bench.common.runtime's coordinator: the notice goes to this private chat
BUREAU = -500
ESCALATION = pendulum.datetime(2021, 9, 10, 17, 0, tz=TZ)  # due Thursday 17:00, 督办 a working day later
LADDER_SCALE = 10.0  # the ladder's clock: Telegram's minute lasts 6 seconds


def floor_seconds(per_chat: Mapping[int, int], groups: set[int], limits: RateLimits) -> float:
    """The least time, from the first message to the last, in which the sandbox accepts these messages.

    `per_chat` counts the messages to each chat, `groups` are the chats the per-group limit applies to.
    Both limits are sliding windows: at most `total_messages` sends in any `total_window` seconds, at most
    `group_messages` to one group in any `group_window` seconds. So n messages in all go out in
    ceil(n / total_messages) bursts a window apart, the last burst (ceil(n / total_messages) - 1) windows after
    the first; likewise a group's k messages. The floor is the larger of the two bounds (a lower bound that
    this module's cases reach: the other chats fill the seconds a busy group waits).

    With Telegram's limits, 48 messages to 48 groups take 1 s (30 at once, 18 a second later); 47 督办单 to
    one group take 120 s (20, 20 a minute later, 7 a minute after that). An even 30 a second (48 / 30 = 1.6 s)
    is no floor: the sandbox, like Telegram, takes 30 at once.
    """
    total = sum(per_chat.values())
    bound = (math.ceil(total / limits.total_messages) - 1) * limits.total_window if total else 0.0
    for chat, count in per_chat.items():
        if chat in groups:
            bound = max(bound, (math.ceil(count / limits.group_messages) - 1) * limits.group_window)
    return bound


def scaled(scale: float) -> RateLimits:
    """Telegram's limits on a clock `scale` times faster."""
    limits = RateLimits()
    return RateLimits(
        limits.group_messages, limits.group_window / scale, limits.total_messages, limits.total_window / scale
    )


@dataclass(frozen=True)
class Run:
    """What one tick (or the baseline's burst) sent and how long it took."""

    seconds: float  # from the start until the sandbox accepted the last message measured
    lead: float  # from the start until it accepted the first (the tick's work before it sends)
    whole: float  # from the start until it accepted the tick's last message, the notice included
    sends: tuple[OutgoingRecord, ...]
    floor: float
    refused: int  # sends the sandbox answered with 429

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor

    @property
    def chats(self) -> Counter[int]:
        return Counter(r.chat_id for r in self.sends if r.chat_id is not None)


def count_refusals(sandbox: Sandbox) -> Callable[[], int]:
    """Count the sends the sandbox's limiter refuses (429) from now on."""
    limiter = sandbox.world.limiter
    check = limiter.check_send
    refused = 0

    def counting(chat_id: int, is_group: bool) -> None:
        nonlocal refused
        try:
            check(chat_id, is_group)
        except Exception:
            refused += 1
            raise

    limiter.check_send = counting  # type: ignore[method-assign]
    return lambda: refused


def measured(sandbox: Sandbox, start: float, mark: int, refused: int, skip: int | None = None) -> Run:
    """The messages sent since `mark`, timed from `start` until the last one not to chat `skip` arrived."""
    sends = tuple(sandbox.sent(after=mark))
    per_chat = Counter(r.chat_id for r in sends if r.chat_id is not None)
    groups = {chat for chat in per_chat if sandbox.world.chats[chat].is_group}
    floor = floor_seconds(per_chat, groups, sandbox.world.limiter.limits)
    times = [r.timestamp for r in sends]
    last = max(r.timestamp for r in sends if r.chat_id != skip)
    return Run(last - start, min(times) - start, max(times) - start, sends, floor, refused)


def _setup(sandbox: Sandbox, bureau: bool) -> None:
    sandbox.add_user(COORDINATOR, "协调人")
    sandbox.create_private_chat(COORDINATOR)
    if bureau:
        sandbox.create_group("市人社局就业促进与失业保险处", BUREAU)


async def bot_round(matrix: Matrix | None = None, registry: Any = None) -> Run:
    """Monday's tick: the round opens and every checklist goes out."""
    with tempfile.TemporaryDirectory() as tmp:
        async with Sandbox() as sandbox:
            _setup(sandbox, bureau=False)
            async with our_bot(sandbox, Path(tmp), matrix=matrix, registry=registry) as world:
                refused = count_refusals(sandbox)
                mark, start = sandbox.mark(), time.time()
                await world.tick(MONDAY)
                run = measured(sandbox, start, mark, refused(), skip=COORDINATOR)
    checklists = sum(1 for r in run.sends if r.chat_id != COORDINATOR)
    assert checklists == len(world.shell.runtime.respondents), "every respondent got its checklist"
    return run


async def bot_ladder() -> Run:
    """Friday's tick after a round nobody answered: 催办 to every unit, a 督办单 per unit to the bureau."""
    limits = scaled(LADDER_SCALE)
    with tempfile.TemporaryDirectory() as tmp:
        async with Sandbox(limits=limits) as sandbox:
            _setup(sandbox, bureau=True)
            async with our_bot(sandbox, Path(tmp), time_scale=LADDER_SCALE, bureau_chat=BUREAU) as world:
                await world.tick(MONDAY)
                await asyncio.sleep(limits.group_window * 1.1)  # the windows empty: the floor starts from none
                refused = count_refusals(sandbox)
                mark, start = sandbox.mark(), time.time()
                await world.tick(ESCALATION)
                run = measured(sandbox, start, mark, refused())
    units = len(world.shell.runtime.respondents)
    assert run.chats[BUREAU] == units and len(run.sends) == 2 * units, "a 催办 and a 督办单 for every unit"
    return run


async def baseline(model: Run, limits: RateLimits) -> Run:
    """A bare python-telegram-bot bot with AIORateLimiter sends `model`'s messages to the same chats, all at once."""
    scale = RateLimits().total_window / limits.total_window
    async with Sandbox(limits=limits) as sandbox:
        for chat in model.chats:
            if chat < 0:
                sandbox.create_group(f"群{-chat}", chat)
            else:
                sandbox.add_user(chat, f"用户{chat}")
                sandbox.create_private_chat(chat)
        limiter = AIORateLimiter(
            overall_time_period=1 / scale, group_time_period=60 / scale, max_retries=len(model.sends)
        )
        app = (
            Application.builder()
            .token(sandbox.token)
            .base_url(f"{sandbox.url}/bot")
            .base_file_url(f"{sandbox.url}/file/bot")
            .rate_limiter(limiter)
            .build()
        )
        async with app:
            await app.bot.get_me()  # a connection open, as the bot's is
            messages = [(r.chat_id, r.text or "…") for r in model.sends if r.chat_id is not None]
            refused = count_refusals(sandbox)
            mark, start = sandbox.mark(), time.time()
            await asyncio.gather(*(app.bot.send_message(chat, text) for chat, text in messages))
            run = measured(sandbox, start, mark, refused(), skip=COORDINATOR)
    assert run.chats == model.chats
    return run


def median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def show(name: str, ours: list[Run], bases: list[Run]) -> dict[str, Any]:
    """Print a case's runs and return its figures: of the median run, the bot's and the baseline's."""
    bot, base = median(ours), median(bases)
    groups = sum(1 for chat in bot.chats if chat < 0)
    times = ", ".join(f"{r.seconds:.2f}" for r in ours)
    base_times = ", ".join(f"{r.seconds:.2f}" for r in bases)
    print(
        f"{name}: {len(bot.sends)} messages to {len(bot.chats)} chats ({groups} groups, "
        f"at most {max(bot.chats.values())} to one); floor {bot.floor:.2f} s\n"
        f"  bot      {bot.seconds:.2f} s = {bot.ratio:.3f} × floor (runs: {times} s; first message after "
        f"{bot.lead:.2f} s; with the notice {bot.whole:.2f} s; {bot.refused} × 429)\n"
        f"  baseline {base.seconds:.2f} s = {base.ratio:.3f} × floor (runs: {base_times} s; {base.refused} × 429)"
    )
    return {
        f"fanout_{name}_messages": len(bot.sends),
        f"fanout_{name}_floor_s": round(bot.floor, 3),
        f"fanout_{name}_s": round(bot.seconds, 3),
        f"fanout_{name}_ratio": round(bot.ratio, 3),
        f"fanout_{name}_first_s": round(bot.lead, 3),
        f"fanout_{name}_429s": bot.refused,
        f"fanout_{name}_baseline_s": round(base.seconds, 3),
        f"fanout_{name}_baseline_ratio": round(base.ratio, 3),
        f"fanout_{name}_baseline_429s": base.refused,
        f"fanout_{name}_vs_baseline": round(bot.seconds / base.seconds, 3),
    }


async def main() -> None:
    figures: dict[str, Any] = {}
    cases: list[tuple[str, Callable[[], Awaitable[Run]], RateLimits, int]] = [
        ("jinan", bot_round, RateLimits(), 3),  # a second or so: the median of three
        ("province", lambda: bot_round(*province()), RateLimits(), 1),
        ("ladder", bot_ladder, scaled(LADDER_SCALE), 1),
    ]
    ratios = []
    for name, case, limits, repeats in cases:
        ours = [await case() for _ in range(repeats)]
        bases = [await baseline(median(ours), limits) for _ in range(repeats)]
        figures |= show(name, ours, bases)
        ratios.append(median(ours).ratio)
    figures["fanout_ratio"] = round(max(ratios), 3)
    record(figures)


if __name__ == "__main__":
    asyncio.run(main())
