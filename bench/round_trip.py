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
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bench.common import MONDAY, UNLIMITED, BotWorld, echo_bot, our_bot, record, summary
from supervisor_bot.composition.lifecycle import DurableStore
from supervisor_bot.core.status import Status
from supervisor_bot.sandbox import RecordFilter, Sandbox
from supervisor_bot.views.callbacks import Act, Press, encode

ROUNDS = 200
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


def figures(commands: list[float], presses: list[float], burst: list[float], rate: float) -> dict[str, float]:
    command_p50, command_p99 = summary(commands)
    press_p50, press_p99 = summary(presses)
    return {
        "command_p50": command_p50,
        "command_p99": command_p99,
        "press_p50": press_p50,
        "press_p99": press_p99,
        "burst_p50": summary(burst)[0],
        "rate": rate,
    }


async def echo_figures() -> dict[str, float]:
    async with Sandbox(limits=UNLIMITED) as sandbox:
        sandbox.add_user(1, "用户")
        chat = sandbox.create_group("回声群", -500)["id"]
        async with echo_bot(sandbox, concurrent=False) as app:
            message = await app.bot.send_message(
                chat, "按钮", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x")]])
            )
            for _ in range(10):  # warm up connections
                await timed_command(sandbox, chat, 1, "status")
            commands = [await timed_command(sandbox, chat, 1, "status") for _ in range(ROUNDS)]
            presses = [await timed_press(sandbox, chat, message.message_id, 1, "x") for _ in range(ROUNDS)]
            burst = [await timed_press(sandbox, chat, message.message_id, 1, "x", 0) for _ in range(ROUNDS)]
            rate = await echo_throughput(sandbox)
    return figures(commands, presses, burst, rate)


Step = Callable[[int], Awaitable[None]]


async def closed_loop(workers: list[Step]) -> float:
    """Each worker repeats its step (step n, awaited) until the time is up; steps done per second."""
    done = 0
    deadline = time.perf_counter() + THROUGHPUT_SECONDS

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


async def echo_throughput(sandbox: Sandbox) -> float:
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
    return await closed_loop(workers)


def checklist_of(world: BotWorld, respondent: str) -> tuple[str, int]:
    prompt = next(p for p in world.shell.runtime.store.prompts() if p.respondent == respondent)
    assert prompt.message_id is not None
    return prompt.id, int(prompt.message_id)


async def our_figures(store: Callable[[Path], DurableStore] | None = None) -> dict[str, float]:
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
            presses: list[float] = []
            burst: list[float] = []
            for pace, into in ((PACE, presses), (0.0, burst)):
                for n in range(ROUNDS):
                    data = encode(Press(Act.STATUS, pid, measures[n % len(measures)], next(statuses)))
                    into.append(await timed_press(sandbox, chat, message, user, data, pace))
            groups = list(world.chats.items())  # across the groups: under 20 messages a minute in each
            commands = []
            for n in range(ROUNDS):
                name, group = groups[n % len(groups)]
                commands.append(await timed_command(sandbox, group, world.liaisons[name][0], "status"))
            stored = len(world.shell.runtime.store.audit(world.shell.runtime.current_round().id))  # type: ignore[union-attr]
            assert stored >= ROUNDS, "every press was stored"
            rate = await our_throughput(world)
    return figures(commands, presses, burst, rate)


async def our_throughput(world: BotWorld) -> float:
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
    return await closed_loop([liaison(name, user) for name, user in liaisons])


async def main() -> None:
    echo = await echo_figures()
    ours = await our_figures()
    record(
        {
            "echo_press_p50_ms": echo["press_p50"],
            "echo_press_p99_ms": echo["press_p99"],
            "press_p50_ms": ours["press_p50"],
            "press_p99_ms": ours["press_p99"],
            "press_p50_ratio": round(ours["press_p50"] / echo["press_p50"], 2),
            "echo_press_burst_p50_ms": echo["burst_p50"],
            "press_burst_p50_ms": ours["burst_p50"],
            "press_burst_p50_ratio": round(ours["burst_p50"] / echo["burst_p50"], 2),
            "echo_command_p50_ms": echo["command_p50"],
            "echo_command_p99_ms": echo["command_p99"],
            "status_p50_ms": ours["command_p50"],
            "status_p99_ms": ours["command_p99"],
            "status_p50_ratio": round(ours["command_p50"] / echo["command_p50"], 2),
            "echo_messages_per_s": round(echo["rate"], 1),
            "presses_per_s": round(ours["rate"], 1),
            "throughput_ratio": round(ours["rate"] / echo["rate"], 2),
        }
    )


if __name__ == "__main__":
    asyncio.run(main())
