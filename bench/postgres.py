"""PostgreSQL against the files, in one run, on a throw-away server started here as the tests start theirs.

- press, /status, throughput: bench.round_trip's measures of the same bot, its store on the data folder and then on
  the database; ratios database / files.
- province digest: a year of a province (16 cities × the Jinan matrix, bench.history) built on files, copied into
  the database by `store migrate`'s own code; the digest (text, 督办台账 .xlsx, chart) made on each store, as
  bench.growth makes it. Goal on the database: under 1 s.
- takeover: the active bot killed (SIGKILL) with a `--standby` waiting; seconds from the kill to the standby's
  "supervisor bot running" (goal: under 10 s).
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import ms, record, runtime
from bench.growth import build, deployment, digest_moment
from bench.history import BUREAU_CHAT, LEADERS_CHAT
from bench.round_trip import our_figures
from storage.postgres.migrate import to_database
from storage.postgres.store import PgStore
from storage.tinydb_store import TinyStore
from supervisor_bot.composition.lifecycle import DurableStore
from supervisor_bot.core.schedule import week_key
from supervisor_bot.sandbox import Sandbox
from supervisor_bot.services import digests as digest_service
from supervisor_bot.services import ladder as ladder_service
from supervisor_bot.services.digest_files import write_digest_files
from tests.postgres_server import Server, start_server
from tests.reliability.test_crash import write_settings
from tests.reliability.test_fanout_crash import until

ROOT_DIR = Path(__file__).resolve().parents[1]
DIGESTS = 3
TAKEOVERS = 3
WAITING = b"standby: waiting"


async def press_figures(server: Server) -> dict[str, Any]:
    files = await our_figures()
    database = await our_figures(lambda _: PgStore(server.fresh(), group_commit=True))
    out: dict[str, Any] = {}
    for key, name in (("press_p50", "press_p50"), ("command_p50", "status_p50"), ("rate", "presses_per_s")):
        out[f"pg_{name}"] = database[key]
        out[f"files_{name}"] = files[key]
        out[f"pg_{name}_ratio"] = round(database[key] / files[key], 2)
    return out


def digest_seconds(store: DurableStore, kind: str) -> tuple[float, float]:
    """The digest made (and its files written) DIGESTS times, after a tick and one not timed: the medians of the
    whole and of its making from the store (without the .xlsx and the chart)."""
    matrix, registry = deployment(kind)
    rt = runtime(store, matrix, registry, BUREAU_CHAT, leaders_chat=LEADERS_CHAT)
    now = digest_moment(rt)
    ladder_service.due_steps(rt, rt.ladder, now)
    previous = digest_service.previous_digest_key(week_key(now, rt.tz))
    times, builds = [], []
    with tempfile.TemporaryDirectory() as out:
        for n in range(DIGESTS + 1):
            start = time.perf_counter()
            made = digest_service.digest(rt, rt.ladder, now, previous)
            assert made is not None
            built = time.perf_counter()
            write_digest_files(made, Path(out) / str(n))
            times.append(time.perf_counter() - start)
            builds.append(built - start)
    store.close()
    return statistics.median(times[1:]), statistics.median(builds[1:])


def province_figures(server: Server) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = build("province", Path(tmp), {"1y": 52})["1y"]
        url = server.fresh()
        checked = to_database(folder, url)
        assert all(c.ok for c in checked), [c for c in checked if not c.ok]
        on_files, files_build = digest_seconds(TinyStore(folder, group_commit=True), "province")
        on_database, database_build = digest_seconds(PgStore(url, group_commit=True), "province")
    return {
        "pg_province_digest_1y_ms": ms(on_database),
        "files_province_digest_1y_ms": ms(on_files),
        "pg_province_digest_ratio": round(on_database / on_files, 2),
        "pg_province_digest_build_1y_ms": ms(database_build),
        "files_province_digest_build_1y_ms": ms(files_build),
        "pg_province_digest_target_met": database_build < 1.0,  # built (its files apart): < 1 s
    }


def _up(log: Path) -> Callable[[], bool]:
    return lambda: b"supervisor bot running" in log.read_bytes() or WAITING in log.read_bytes()


async def one_takeover(tmp: Path, url: str) -> float:
    async with Sandbox() as sandbox:
        chat = sandbox.create_group("市财政局督办工作群", -7001)["id"]
        sandbox.add_user(700001, "联络员")
        env = os.environ | {
            "SUPERVISOR_SETTINGS": str(write_settings(tmp, {"市财政局": chat}, {"市财政局": 700001}, "postgresql")),
            "SUPERVISOR_DATABASE_URL": url,
            "TELEGRAM_BASE_URL": sandbox.url,
            "SUPERVISOR_CLOCK_START": "2021-09-06T09:00",
        }
        logs = tmp / "active.log", tmp / "standby.log"
        bots = []
        for log, extra in zip(logs, ([], ["--standby"]), strict=True):
            with log.open("ab") as out:
                bots.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable, "main.py", "run", *extra, cwd=ROOT_DIR, env=env, stdout=out, stderr=out
                    )
                )
            await until(_up(log), "the bot never started")
        bots[0].kill()
        killed = time.perf_counter()
        await until(lambda: b"supervisor bot running" in logs[1].read_bytes(), "the standby never took over")
        took = time.perf_counter() - killed
        bots[1].send_signal(signal.SIGINT)
        await asyncio.gather(bots[0].wait(), bots[1].wait())
    return took


async def takeover_figures(server: Server) -> dict[str, Any]:
    times = []
    for _ in range(TAKEOVERS):
        with tempfile.TemporaryDirectory() as tmp:
            times.append(await one_takeover(Path(tmp), server.fresh()))
    return {"pg_takeover_s": round(statistics.median(times), 2), "pg_takeover_max_s": round(max(times), 2)}


async def main(parts: list[str]) -> None:
    """Every part, or those named (press, takeover, province); each recorded as soon as it is measured."""
    server = start_server()
    if server is None:
        print("PostgreSQL 未安装：跳过（make tools 会安装 Debian 的 postgresql）")
        return
    try:
        if not parts or "press" in parts:
            record(await press_figures(server))
        if not parts or "takeover" in parts:
            record(await takeover_figures(server))
        if not parts or "province" in parts:
            record(province_figures(server))
    finally:
        server.stop("immediate")
        shutil.rmtree(server.root, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
