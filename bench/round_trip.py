"""Round trips and throughput over the local sandbox, against a bare python-telegram-bot echo bot in the same run.

- press: a liaison's button press until the bot's answer (sent once the report is durably stored);
  the echo bot's: a button press until its answer. Presses come PACE apart, as a person's would (far
  faster, still): each is measured on its own, not queued behind the redraw of the one before. The same
  presses back to back (`press_burst_*`: the next press the moment the answer arrives, so it waits for the
  bot's redraw of the checklist, in this one process with the sandbox) are measured and reported too.
- status: `/status` until the reply; the echo bot's: a command until its reply.
- throughput: 100 liaisons pressing at once, each waiting for its answer before the next press, against 100 users
  sending text to the echo bot, each waiting for the echo. Rate limits are off in the sandbox for both: this
  measures the bots, not Telegram's limits.
The two bots run side by side, each on a sandbox of its own, and take turns sample by sample (a press of one, then
a press of the other), a fifth of the samples at a time (BLOCKS): a ratio is the median over the blocks of each
block's ratio, so that a shared machine's changing load falls on both alike. (Measured a block of each at a time,
seconds apart, the same code gave press ratios from 1.16 to 1.58 in runs a minute apart.)
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bench.common import MONDAY, UNLIMITED, BotWorld, echo_bot, our_bot, record, summary
from supervisor_bot.composition.lifecycle import DurableStore
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter, Sandbox
from supervisor_bot.views.callbacks import Act, Press, encode

ROUNDS = 200
BLOCKS = 5  # the bots measured in turn, ROUNDS / BLOCKS samples at a time; ratios are medians over the blocks
THROUGHPUT_SECONDS = 6.0
USERS = 100
HRSS = "市人力资源社会保障局"


PACE = 0.04  # between commands (under Telegram's 30 messages a second, so the rate limiter never waits) and presses


async def timed_command(sandbox: Sandbox, chat: int, user: int, command: str, args: str = "") -> float:
    await asyncio.sleep(PACE)
    mark = sandbox.mark()
    start = time.perf_counter()
    sandbox.post_command(chat, user, command, args)
    await sandbox.wait_for(RecordFilter(chat_id=chat, method="sendMessage"), timeout=30, after=mark)
    return time.perf_counter() - start


async def timed_press(sandbox: Sandbox, chat: int, message: int, user: int, data: str, pace: float = PACE) -> float:
    await asyncio.sleep(pace)
    start = time.perf_counter()
    query = sandbox.press_button(chat, message, user, raw_data=data)
    await sandbox.wait_for_callback_answer(query, timeout=30)
    return time.perf_counter() - start


Step = Callable[[int], Awaitable[None]]


async def closed_loop(workers: list[Step], seconds: float) -> float:
    """Each worker repeats its step (step n, awaited) until the time is up; steps done per second."""
    done = 0
    deadline = time.perf_counter() + seconds

    async def loop(step: Step) -> None:
        nonlocal done
        for n in itertools.count():
            if time.perf_counter() > deadline:
                return
            await step(n)
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(loop(w) for w in workers))
    return done / (time.perf_counter() - start)


@dataclass
class Side:
    """One bot under measurement: a command, a press (paced), and a closed loop of presses, one step at a time."""

    command: Callable[[int], Awaitable[float]]
    press: Callable[[int, float], Awaitable[float]]
    rate: Callable[[float], Awaitable[float]]  # steps per second over that many seconds
    commands: list[float] = field(default_factory=list)
    presses: list[float] = field(default_factory=list)
    burst: list[float] = field(default_factory=list)
    rates: list[float] = field(default_factory=list)


async def measure_block(*sides: Side, n: int) -> None:
    """`n` samples of each kind from each side, the sides taking turns sample by sample (so that the machine's
    changing load falls on them alike), then each side's closed loop in turn."""
    for i in range(n):
        for side in sides:
            side.presses.append(await side.press(i, PACE))
    for i in range(n):
        for side in sides:
            side.burst.append(await side.press(i, 0.0))
    for i in range(n):
        for side in sides:
            side.commands.append(await side.command(i))
    for side in sides:
        side.rates.append(await side.rate(THROUGHPUT_SECONDS / BLOCKS))


@asynccontextmanager
async def echo_side() -> AsyncIterator[Side]:
    async with Sandbox(limits=UNLIMITED) as sandbox:
        sandbox.add_user(1, "用户")
        chat = sandbox.create_group("回声群", -500)["id"]
        async with echo_bot(sandbox, concurrent=False) as app:
            message = await app.bot.send_message(
                chat, "按钮", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x")]])
            )
            workers = echo_workers(sandbox)

            async def command(_: int) -> float:
                return await timed_command(sandbox, chat, 1, "status")

            async def press(_: int, pace: float) -> float:
                return await timed_press(sandbox, chat, message.message_id, 1, "x", pace)

            async def rate(seconds: float) -> float:
                return await closed_loop(workers, seconds)

            for n in range(10):  # warm up connections
                await command(n)
            yield Side(command, press, rate)


def echo_workers(sandbox: Sandbox) -> list[Step]:
    def user(uid: int, chat: int) -> Step:
        async def step(n: int) -> None:
            mark = sandbox.mark()
            text = f"{uid}-{n}"
            sandbox.post_command(chat, uid, "echo", text)
            await sandbox.wait_for(RecordFilter(chat_id=chat, text_contains=text), timeout=60, after=mark)

        return step

    workers = []
    for n in range(USERS):
        uid, chat = 10_000 + n, -600 - n % 47
        sandbox.add_user(uid, f"u{n}")
        if chat not in sandbox.world.chats:
            sandbox.create_group(f"群{n % 47}", chat)
        workers.append(user(uid, chat))
    return workers


def checklist_of(world: BotWorld, respondent: str) -> tuple[str, int]:
    prompt = next(p for p in world.shell.runtime.store.prompts() if p.respondent == respondent)
    assert prompt.message_id is not None
    return prompt.id, int(prompt.message_id)


async def our_figures(store: Callable[[Path], DurableStore] | None = None) -> dict[str, float]:
    """Our bot alone (bench.postgres compares its stores): medians of presses, /status, and presses a second."""
    async with our_side(store) as ours:
        for _ in range(BLOCKS):
            await measure_block(ours, n=ROUNDS // BLOCKS)
    return {
        "press_p50": summary(ours.presses)[0],
        "command_p50": summary(ours.commands)[0],
        "rate": round(statistics.median(ours.rates), 1),
    }


@asynccontextmanager
async def our_side(store: Callable[[Path], DurableStore] | None = None) -> AsyncIterator[Side]:
    """`store`: the bot's store for its data folder (default: the files, TinyStore)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chosen = store(folder) if store is not None else None
        async with (
            Sandbox(limits=UNLIMITED) as sandbox,
            our_bot(sandbox, folder, liaisons_per_group=3, store=chosen) as world,
        ):
            await world.tick(MONDAY)
            pid, message = checklist_of(world, HRSS)
            chat, user = world.chats[HRSS], world.liaisons[HRSS][0]
            measures = [d.measure.number for d in world.shell.runtime.duties[HRSS]]
            statuses = itertools.cycle([Status.IN_PROGRESS, Status.NOT_STARTED])
            groups = list(world.chats.items())  # commands across the groups: under 20 messages a minute in each
            workers = our_workers(world)
            sent = itertools.count()

            async def command(_: int) -> float:
                name, group = groups[next(sent) % len(groups)]
                return await timed_command(sandbox, group, world.liaisons[name][0], "status")

            async def press(n: int, pace: float) -> float:
                data = encode(Press(Act.STATUS, pid, measures[n % len(measures)], next(statuses)))
                return await timed_press(sandbox, chat, message, user, data, pace)

            async def rate(seconds: float) -> float:
                return await closed_loop(workers, seconds)

            yield Side(command, press, rate)
            stored = len(world.shell.runtime.store.audit(world.shell.runtime.current_round().id))  # type: ignore[union-attr]
            assert stored >= ROUNDS, "every press was stored"


def our_workers(world: BotWorld) -> list[Step]:
    sandbox = world.sandbox

    def liaison(name: str, user: int) -> Step:
        pid, message = checklist_of(world, name)
        measures = [d.measure.number for d in world.shell.runtime.duties[name]]
        statuses = itertools.cycle([Status.IN_PROGRESS, Status.NOT_STARTED])

        async def step(n: int) -> None:
            data = encode(Press(Act.STATUS, pid, measures[(n + user) % len(measures)], next(statuses)))
            query = sandbox.press_button(world.chats[name], message, user, raw_data=data)
            answer = await sandbox.wait_for_callback_answer(query, timeout=60)
            assert not answer.show_alert, answer.text

        return step

    liaisons = [(name, user) for name in world.chats for user in world.liaisons[name]][:USERS]
    return [liaison(name, user) for name, user in liaisons]


def block_ratio(ours: list[float], echo: list[float], per_block: int) -> float:
    """The median over the blocks of each block's ratio of medians (ours to the echo's)."""
    ratios = [
        statistics.median(ours[b : b + per_block]) / statistics.median(echo[b : b + per_block])
        for b in range(0, len(ours), per_block)
    ]
    return round(statistics.median(ratios), 2)


async def main() -> None:
    per_block = ROUNDS // BLOCKS
    async with echo_side() as echo, our_side() as ours:
        for _ in range(BLOCKS):
            await measure_block(echo, ours, n=per_block)
    rates = [o / e for o, e in zip(ours.rates, echo.rates, strict=True)]
    record(
        {
            "echo_press_p50_ms": summary(echo.presses)[0],
            "echo_press_p99_ms": summary(echo.presses)[1],
            "press_p50_ms": summary(ours.presses)[0],
            "press_p99_ms": summary(ours.presses)[1],
            "press_p50_ratio": block_ratio(ours.presses, echo.presses, per_block),
            "echo_press_burst_p50_ms": summary(echo.burst)[0],
            "press_burst_p50_ms": summary(ours.burst)[0],
            "press_burst_p50_ratio": block_ratio(ours.burst, echo.burst, per_block),
            "echo_command_p50_ms": summary(echo.commands)[0],
            "echo_command_p99_ms": summary(echo.commands)[1],
            "status_p50_ms": summary(ours.commands)[0],
            "status_p99_ms": summary(ours.commands)[1],
            "status_p50_ratio": block_ratio(ours.commands, echo.commands, per_block),
            "echo_messages_per_s": round(statistics.median(echo.rates), 1),
            "presses_per_s": round(statistics.median(ours.rates), 1),
            "throughput_ratio": round(statistics.median(rates), 2),
        }
    )


if __name__ == "__main__":
    asyncio.run(main())
