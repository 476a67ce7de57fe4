"""Start-up and memory: from starting `python main.py run` to its first answer, and its resident memory then and after
its first tick with five years of Jinan's weekly rounds in its data folder — against, in the same run, a bare
python-telegram-bot bot that answers /help.

The bot runs as in production — the project's settings (config/, copied with its dashboard on a free port),
TinyStore with group commit, the tick every 30 s — against the in-process sandbox (TELEGRAM_BASE_URL). A person's
/help waits in a private chat of its own when each process starts; the first answer is the reply to it.
The history is bench/history.py's (as bench/growth.py builds it): 1 and 260 rounds, each stopped at the Friday
17:00 of its last round, before the digest. Variants, each run REPEAT times in turn with the others, each from a
fresh copy of its data; figures are medians:
- echo: the bare bot; empty: the bot's first start, on an empty data folder (it reads the plan file);
- 5y: a restart on five years of history (the bot has run on the folder before: it reads its stored plan), the
  clock (SUPERVISOR_CLOCK_START) an hour before the digest: nothing is due;
- 1w-digest, 5y-digest: the clock at that Friday 17:00: the first tick builds and sends the week's digest with its
  chart, as after a restart on a Friday evening.
Figures:
- startup_first_answer_*_s: from spawning the process until the sandbox has the reply to /help;
  startup_first_poll_*_s: until its first getUpdates;
- rss_first_answer_*_mb: VmRSS at the first answer; rss_after_tick_*_mb: VmRSS once the first tick is done (the
  digest's chart has reached the leaders' chat and the process has used no CPU for a second); rss_peak_*_mb: VmHWM.
"""

from __future__ import annotations

import asyncio
import compileall
import datetime as dt
import itertools
import os
import re
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import record, runtime
from bench.growth import build, deployment, digest_moment
from bench.history import BUREAU_CHAT, LEADERS_CHAT, chat_of
from storage.tinydb_store import TinyStore
from supervisor_bot.core.respondents import respondents
from supervisor_bot.sandbox import RateLimits, RecordFilter, Sandbox

REPEAT = int(os.environ.get("BENCH_STARTUP_REPEAT", "5"))
ROOT = Path(__file__).resolve().parent.parent
IDLE = 1.0  # seconds without CPU use: the first tick is over
UNLIMITED = RateLimits(group_messages=10**9, group_window=1.0, total_messages=10**9, total_window=1.0)
ECHO_BOT = """
import sys
from telegram.ext import Application, CommandHandler

async def help_command(update, context):
    await update.effective_message.reply_text("ok")

app = Application.builder().token(sys.argv[1]).base_url(sys.argv[2] + "/bot").base_file_url(sys.argv[2] + "/file/bot")
app = app.build()
app.add_handler(CommandHandler("help", help_command))
app.run_polling()
"""
_people = itertools.count(70_001)


@dataclass(frozen=True)
class Sample:
    first_poll: float  # seconds from spawning
    first_answer: float
    rss_first_answer: float  # MB
    rss_after_tick: float
    rss_peak: float


def _status_kb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return float(line.split()[1])
    raise LookupError(field)


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


async def _idle(pid: int) -> None:
    """Until the process has used no CPU for IDLE seconds."""
    last, still = _cpu_ticks(pid), 0.0
    while still < IDLE:
        await asyncio.sleep(0.1)
        now = _cpu_ticks(pid)
        still = still + 0.1 if now == last else 0.0
        last = now


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def deployment_config(folder: Path) -> Path:
    """The project's config/ copied, its dashboard listening on a free port; the settings file."""
    shutil.copytree(ROOT / "config", folder)
    settings = folder / "settings.toml"
    text = settings.read_text(encoding="utf-8")
    text, found = re.subn(
        r'(?m)^listen = ".*"$', 'listen = "' + os.environ.get("BENCH_LISTEN", f"127.0.0.1:{free_port()}") + '"', text
    )
    assert found == 1, "config/settings.toml: [web] listen not found"
    settings.write_text(text, encoding="utf-8")
    return settings


def bot_environment(sandbox: Sandbox, settings: Path, data: Path, clock_start: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISOR_", "TELEGRAM_"))}
    return env | {
        "SUPERVISOR_CONFIG": str(settings),
        "TELEGRAM_BASE_URL": sandbox.url,
        "SUPERVISOR_DATA_DIR": str(data),
        "SUPERVISOR_BUREAU_CHAT": str(BUREAU_CHAT),
        "SUPERVISOR_LEADERS_CHAT": str(LEADERS_CHAT),
        "SUPERVISOR_COORDINATORS": "1",
        "SUPERVISOR_CLOCK_START": clock_start,
        "SUPERVISOR_CLOCK_SPEED": "1",
    }


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()


async def run_once(sandbox: Sandbox, command: list[str], env: dict[str, str], log: Path, digest: bool) -> Sample:
    """Spawn with a /help waiting; the first poll, the answer, then the end of the first tick; stop the process."""
    person = next(_people)
    sandbox.add_user(person, f"访客{person}")
    sandbox.create_private_chat(person)
    sandbox.world.calls.clear()
    mark = sandbox.mark()
    sandbox.post_command(person, person, "help")
    with log.open("wb") as output:
        start = time.perf_counter()
        process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env, stdout=output, stderr=output)
        try:
            while not sandbox.world.calls["getUpdates"]:
                if process.returncode is not None:
                    said = await asyncio.to_thread(log.read_text, errors="replace")
                    raise RuntimeError(f"{command[1:3]} exited before polling: {said[-2000:]}")
                await asyncio.sleep(0.002)
            first_poll = time.perf_counter() - start
            await sandbox.wait_for(RecordFilter(chat_id=person, method="sendMessage"), timeout=60, after=mark)
            first_answer = time.perf_counter() - start
            rss_first_answer = _status_kb(process.pid, "VmRSS")
            await asyncio.sleep(0.2)  # the tick job's first run is 0.1 s after the start
            if digest:  # the digest ends with the chart, sent to the leaders' chat
                chart = RecordFilter(chat_id=LEADERS_CHAT, method="sendPhoto")
                await sandbox.wait_for(chart, timeout=120, after=mark)
            await _idle(process.pid)
            rss_after_tick, peak = _status_kb(process.pid, "VmRSS"), _status_kb(process.pid, "VmHWM")
        finally:
            await _stop(process)
    return Sample(first_poll, first_answer, rss_first_answer / 1024, rss_after_tick / 1024, peak / 1024)


def clock_start(history: Path) -> dt.datetime:
    """The Friday 17:00 at which the history stops (its last round's digest moment)."""
    matrix, registry = deployment("jinan")
    store = TinyStore(history)
    try:
        return digest_moment(runtime(store, matrix, registry))
    finally:
        store.close()


@dataclass(frozen=True)
class Variant:
    label: str
    history: Path | None
    clock: dt.datetime | None  # None: the echo bot
    digest: bool


def variants(histories: dict[str, Path]) -> list[Variant]:
    starts = {label: clock_start(history) for label, history in histories.items()}
    quiet = starts["5y"] - dt.timedelta(hours=1)
    return [
        Variant("echo", None, None, digest=False),
        Variant("empty", None, quiet, digest=False),
        Variant("5y", histories["5y"], quiet, digest=False),
        Variant("1w-digest", histories["1w"], starts["1w"], digest=True),
        Variant("5y-digest", histories["5y"], starts["5y"], digest=True),
    ]


async def prepared(sandbox: Sandbox, bot: list[str], settings: Path, history: Path, work: Path) -> Path:
    """The history as a data folder the bot has run on (its plan stored, its dashboard's secret made): a copy
    started once, an hour before the digest, and stopped."""
    data = work / f"prepared-{history.name}"
    shutil.copytree(history, data)
    quiet = (clock_start(history) - dt.timedelta(hours=1)).isoformat()
    await run_once(sandbox, bot, bot_environment(sandbox, settings, data, quiet), work / f"{data.name}.log", False)
    return data


async def measure(histories: dict[str, Path], work: Path) -> dict[str, Any]:
    settings = deployment_config(work / "config")
    async with Sandbox(limits=UNLIMITED) as sandbox:
        matrix, _ = deployment("jinan")
        for number in range(1, len(respondents(matrix)) + 1):
            sandbox.create_group(f"单位{number}群", chat_of(number))
        sandbox.create_group("督办处室群", BUREAU_CHAT)
        sandbox.create_group("领导群", LEADERS_CHAT)
        bot = [sys.executable, str(ROOT / "main.py"), "run"]
        echo = [sys.executable, "-c", ECHO_BOT, sandbox.token, sandbox.url]
        ready = {label: await prepared(sandbox, bot, settings, history, work) for label, history in histories.items()}
        chosen = variants(ready)
        samples: dict[str, list[Sample]] = {v.label: [] for v in chosen}
        for n in range(REPEAT):
            for variant in chosen:
                log = work / f"{variant.label}-{n}.log"
                if variant.clock is None:
                    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISOR_", "TELEGRAM_"))}
                    samples["echo"].append(await run_once(sandbox, echo, env, log, digest=False))
                    continue
                data = work / f"{variant.label}-{n}"
                if variant.history is not None:
                    shutil.copytree(variant.history, data)
                env = bot_environment(sandbox, settings, data, variant.clock.isoformat())
                samples[variant.label].append(await run_once(sandbox, bot, env, log, digest=variant.digest))
                shutil.rmtree(data, ignore_errors=True)
    return figures(samples)


def figures(samples: dict[str, list[Sample]]) -> dict[str, Any]:
    def med(label: str, field: str) -> float:
        return float(statistics.median(getattr(s, field) for s in samples[label]))

    out: dict[str, Any] = {}
    for label in ("echo", "empty", "5y"):
        out[f"startup_first_answer_{label}_s"] = round(med(label, "first_answer"), 3)
        out[f"startup_first_poll_{label}_s"] = round(med(label, "first_poll"), 3)
        out[f"rss_first_answer_{label}_mb"] = round(med(label, "rss_first_answer"), 1)
    for label in ("empty", "5y"):
        out[f"startup_ratio_{label}_to_echo"] = round(med(label, "first_answer") / med("echo", "first_answer"), 2)
        out[f"rss_ratio_{label}_to_echo"] = round(med(label, "rss_first_answer") / med("echo", "rss_first_answer"), 2)
    for label in ("1w", "5y"):
        out[f"rss_after_tick_{label}_mb"] = round(med(f"{label}-digest", "rss_after_tick"), 1)
        out[f"rss_peak_{label}_mb"] = round(med(f"{label}-digest", "rss_peak"), 1)
    out["rss_after_tick_echo_mb"] = round(med("echo", "rss_after_tick"), 1)
    return out


def compiled() -> None:
    """The project's modules compiled to bytecode, as installing a package compiles it (and as the libraries both
    bots import are): with PYTHONDONTWRITEBYTECODE set, each start would compile ours afresh."""
    for package in ("supervisor_bot", "storage"):
        compileall.compile_dir(ROOT / package, quiet=1)


def main() -> None:
    compiled()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        built = os.environ.get("BENCH_HISTORIES")  # a folder with 1w/ and 5y/ from an earlier build: reused
        if built:
            histories = {label: Path(built) / label for label in ("1w", "5y")}
        else:
            histories = build("jinan", root / "history", {"1w": 1, "5y": 260})
        print(f"history built in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        (root / "runs").mkdir()
        found = asyncio.run(measure(histories, root / "runs"))
    found["startup_history_rounds"] = 260
    record(found)


if __name__ == "__main__":
    main()
