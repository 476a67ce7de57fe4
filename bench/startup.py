"""Start-up and memory: from starting `python main.py run` to its first getUpdates, and its resident memory, with
five years of Jinan's weekly rounds in its data folder — against, in the same run, the same bot with one week of
history and with an empty data folder, a bare python-telegram-bot bot, and `python -c "import telegram"`.

The history is bench/history.py's (as bench/growth.py builds it): 1 and 260 rounds, each stopped at the Friday
17:00 of its last round, before the digest. The bot runs as in production — settings, TinyStore with group
commit, the tick every 30 s — against the in-process sandbox (TELEGRAM_BASE_URL), its clock started
(SUPERVISOR_CLOCK_START) at that Friday 17:00: its first tick builds and sends the week's digest, as after a
restart on a Friday evening. (With an empty folder there is no round, so no digest: the first tick does
nothing, and the chart's libraries are not loaded — 1w is the like-for-like baseline for memory.) Each variant
runs REPEAT times, in turn with the others, each from a fresh copy of its data; figures are medians.
- startup_first_poll_*_s: from spawning the process until the sandbox sees its first getUpdates;
- rss_first_poll_*_mb: VmRSS then; rss_after_tick_*_mb: VmRSS once the first tick is done (with a history: the
  digest's chart has reached the leaders' chat; and the process has used no CPU for a second);
  rss_peak_*_mb: VmHWM then.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
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

REPEAT = 5
ROOT = Path(__file__).resolve().parent.parent
IDLE = 1.0  # seconds without CPU use: the first tick is over
UNLIMITED = RateLimits(group_messages=10**9, group_window=1.0, total_messages=10**9, total_window=1.0)
ECHO_BOT = """
import sys
from telegram.ext import Application
app = Application.builder().token(sys.argv[1]).base_url(sys.argv[2] + "/bot").base_file_url(sys.argv[2] + "/file/bot")
app.build().run_polling()
"""


@dataclass(frozen=True)
class Sample:
    first_poll: float  # seconds from spawning
    rss_first_poll: float  # MB
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


def bot_environment(sandbox: Sandbox, data: Path, clock_start: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISOR_", "TELEGRAM_"))}
    return env | {
        "TELEGRAM_BASE_URL": sandbox.url,
        "SUPERVISOR_DATA_DIR": str(data),
        "SUPERVISOR_BUREAU_CHAT": str(BUREAU_CHAT),
        "SUPERVISOR_LEADERS_CHAT": str(LEADERS_CHAT),
        "SUPERVISOR_COORDINATORS": "1",
        "SUPERVISOR_CLOCK_START": clock_start,
        "SUPERVISOR_CLOCK_SPEED": "1",
    }


async def run_once(sandbox: Sandbox, command: list[str], env: dict[str, str], log: Path, digest: bool) -> Sample:
    """Spawn, wait for the first getUpdates, then for the first tick to be over; stop the process."""
    sandbox.world.calls.clear()
    mark = sandbox.mark()
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
            rss_first_poll = _status_kb(process.pid, "VmRSS")
            await asyncio.sleep(0.2)  # the tick job's first run is 0.1 s after the start
            if digest:  # the digest ends with the chart, sent to the leaders' chat
                chart = RecordFilter(chat_id=LEADERS_CHAT, method="sendPhoto")
                await sandbox.wait_for(chart, timeout=120, after=mark)
            await _idle(process.pid)
            rss_after_tick, peak = _status_kb(process.pid, "VmRSS"), _status_kb(process.pid, "VmHWM")
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
                try:
                    await asyncio.wait_for(process.wait(), 20)
                except TimeoutError:
                    process.kill()
                    await process.wait()
    return Sample(first_poll, rss_first_poll / 1024, rss_after_tick / 1024, peak / 1024)


async def import_telegram() -> float:
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", "import telegram", cwd=ROOT)
    await process.wait()
    return time.perf_counter() - start


def clock_start(history: Path) -> str:
    """The Friday 17:00 at which the history stops (its last round's digest moment)."""
    matrix, registry = deployment("jinan")
    store = TinyStore(history)
    try:
        moment = digest_moment(runtime(store, matrix, registry))
    finally:
        store.close()
    return moment.isoformat()


async def measure(histories: dict[str, Path], work: Path) -> dict[str, Any]:
    starts = {label: clock_start(history) for label, history in histories.items()}
    samples: dict[str, list[Sample]] = {"echo": [], "empty": [], "1w": [], "5y": []}
    imports: list[float] = []
    async with Sandbox(limits=UNLIMITED) as sandbox:
        matrix, _ = deployment("jinan")
        for number in range(1, len(respondents(matrix)) + 1):
            sandbox.create_group(f"单位{number}群", chat_of(number))
        sandbox.create_group("督办处室群", BUREAU_CHAT)
        sandbox.create_group("领导群", LEADERS_CHAT)
        bot = [sys.executable, str(ROOT / "main.py"), "run"]
        echo = [sys.executable, "-c", ECHO_BOT, sandbox.token, sandbox.url]
        for n in range(REPEAT):
            imports.append(await import_telegram())
            echo_env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISOR_", "TELEGRAM_"))}
            samples["echo"].append(await run_once(sandbox, echo, echo_env, work / f"echo{n}.log", digest=False))
            env = bot_environment(sandbox, work / f"empty{n}", starts["5y"])
            samples["empty"].append(await run_once(sandbox, bot, env, work / f"empty{n}.log", digest=False))
            for label, history in histories.items():
                data = work / f"{label}-{n}"
                shutil.copytree(history, data)
                env = bot_environment(sandbox, data, starts[label])
                samples[label].append(await run_once(sandbox, bot, env, work / f"{label}-{n}.log", digest=True))
                shutil.rmtree(data)

    def med(label: str, field: str) -> float:
        return float(statistics.median(getattr(s, field) for s in samples[label]))

    figures: dict[str, Any] = {"startup_import_telegram_s": round(statistics.median(imports), 3)}
    for label in samples:
        figures[f"startup_first_poll_{label}_s"] = round(med(label, "first_poll"), 3)
    for label in samples:
        figures[f"rss_first_poll_{label}_mb"] = round(med(label, "rss_first_poll"), 1)
        figures[f"rss_after_tick_{label}_mb"] = round(med(label, "rss_after_tick"), 1)
        figures[f"rss_peak_{label}_mb"] = round(med(label, "rss_peak"), 1)
    for baseline in ("empty", "1w", "echo"):
        ratio = med("5y", "first_poll") / med(baseline, "first_poll")
        figures[f"startup_ratio_5y_to_{baseline}"] = round(ratio, 2)
    for baseline in ("empty", "1w", "echo"):
        figures[f"rss_ratio_5y_to_{baseline}"] = round(med("5y", "rss_after_tick") / med(baseline, "rss_after_tick"), 2)
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        histories = build("jinan", root / "history", {"1w": 1, "5y": 260})
        print(f"history built in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        (root / "runs").mkdir()
        figures = asyncio.run(measure(histories, root / "runs"))
    figures["startup_history_rounds"] = 260
    record(figures)


if __name__ == "__main__":
    main()
