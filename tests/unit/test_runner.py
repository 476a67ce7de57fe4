"""The service runner: one call at a time off the event loop; a batch's results only after its flush."""

from __future__ import annotations

import asyncio
import threading

import pytest

from supervisor_bot.app.runner import HANDLING, ServiceRunner


async def test_calls_run_on_one_other_thread_in_order() -> None:
    seen: list[tuple[int, str]] = []
    runner = ServiceRunner()

    def work(n: int) -> int:
        seen.append((n, threading.current_thread().name))
        return n * 2

    try:
        assert await asyncio.gather(*(runner.call(work, n) for n in range(20))) == [n * 2 for n in range(20)]
    finally:
        runner.shutdown()
    assert [n for n, _ in seen] == list(range(20))
    assert {name for _, name in seen} == {"store"}


async def test_results_wait_for_the_flush_and_a_batch_shares_it() -> None:
    log: list[str] = []
    runner = ServiceRunner(flush=lambda: log.append("flush"))

    def write(n: int) -> int:
        log.append(f"write {n}")
        return n

    try:
        results = await asyncio.gather(*(runner.call(write, n) for n in range(50)))
    finally:
        runner.shutdown()
    assert results == list(range(50))
    assert log[-1] == "flush"  # nothing was handed back before the last flush
    assert log.count("flush") < 50  # calls that queued up together shared a flush


async def test_a_failed_flush_fails_the_whole_batch() -> None:
    def broken() -> None:
        raise OSError("disk full")

    runner = ServiceRunner(flush=broken)
    try:
        with pytest.raises(OSError, match="disk full"):
            await runner.call(lambda: 1)
    finally:
        runner.shutdown()


async def test_an_error_in_a_call_reaches_its_caller_only() -> None:
    runner = ServiceRunner()

    def fail() -> None:
        raise ValueError("bad")

    try:
        outcomes = await asyncio.gather(runner.call(fail), runner.call(lambda: "ok"), return_exceptions=True)
    finally:
        runner.shutdown()
    assert isinstance(outcomes[0], ValueError) and outcomes[1] == "ok"


async def test_a_call_made_while_handling_an_update_records_it_before_the_flush() -> None:
    log: list[str] = []
    runner = ServiceRunner(flush=lambda: log.append("flush"), handled=lambda update: log.append(f"handled {update}"))

    async def handle(update_id: int) -> None:
        HANDLING.set(update_id)
        await runner.call(log.append, f"call {update_id}")

    def fails() -> None:
        raise ValueError("refused")

    try:
        await asyncio.create_task(handle(5))
        await runner.call(log.append, "tick")  # not inside an update
        HANDLING.set(6)
        with pytest.raises(ValueError):
            await runner.call(fails)
    finally:
        runner.shutdown()
    assert log == ["call 5", "handled 5", "flush", "tick", "flush", "flush"]


class _Memory:
    """A store that answers from memory: writes wait for `flush`."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.unflushed: list[str] = []

    def write(self, what: str) -> str:
        self.unflushed.append(what)
        self.log.append(f"write {what} on {threading.current_thread().name}")
        return what

    def read(self) -> str:
        self.log.append(f"read on {threading.current_thread().name}")
        return "read"

    def pending(self) -> bool:
        return bool(self.unflushed)

    def flush(self) -> None:
        if self.unflushed:
            self.log.append(f"flush {','.join(self.unflushed)} on {threading.current_thread().name}")
        self.unflushed = []


async def test_a_quick_call_runs_on_the_loop_and_is_durable_before_it_returns() -> None:
    log: list[str] = []
    store = _Memory(log)
    runner = ServiceRunner(flush=store.flush, pending=store.pending)
    loop_thread = threading.current_thread().name
    try:
        assert await runner.quick(store.write, "a") == "a"
        assert log == [f"write a on {loop_thread}", f"flush a on {loop_thread}"]
        assert await runner.quick(store.read) == "read"
    finally:
        runner.shutdown()
    assert log[-1] == f"read on {loop_thread}"  # a call that wrote nothing costs no flush


async def test_a_quick_call_waits_for_the_worker_when_it_is_busy() -> None:
    log: list[str] = []
    store = _Memory(log)
    runner = ServiceRunner(flush=store.flush, pending=store.pending)
    started, release = threading.Event(), threading.Event()

    def slow() -> None:
        started.set()
        release.wait(5)

    try:
        busy = asyncio.create_task(runner.call(slow))
        await asyncio.to_thread(started.wait, 5)
        quick = asyncio.create_task(runner.quick(store.write, "b"))
        await asyncio.sleep(0.05)
        assert not quick.done()  # storage never sees two calls at once
        release.set()
        assert await quick == "b"
        await busy
    finally:
        runner.shutdown()
    assert log == ["write b on store", "flush b on store"]


async def test_without_pending_a_quick_call_is_an_ordinary_one() -> None:
    log: list[str] = []
    store = _Memory(log)
    runner = ServiceRunner(flush=store.flush)  # a database across the network: never on the loop
    try:
        await runner.quick(store.write, "c")
    finally:
        runner.shutdown()
    assert log == ["write c on store", "flush c on store"]


async def test_a_slow_flush_on_the_loop_sends_the_next_ones_to_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    from supervisor_bot.app import runner as runner_module

    monkeypatch.setattr(runner_module, "LOOP_FLUSH_LIMIT", 0.0)  # every flush counts as slow
    log: list[str] = []
    store = _Memory(log)
    runner = ServiceRunner(flush=store.flush, pending=store.pending)
    loop_thread = threading.current_thread().name
    try:
        await runner.quick(store.write, "d")
        await runner.quick(store.write, "e")
    finally:
        runner.shutdown()
    assert log == [
        f"write d on {loop_thread}",
        f"flush d on {loop_thread}",
        f"write e on {loop_thread}",
        "flush e on store",
    ]


async def test_a_failed_flush_on_the_loop_reaches_the_caller() -> None:
    def broken() -> None:
        raise OSError("disk full")

    runner = ServiceRunner(flush=broken, pending=lambda: True)
    try:
        with pytest.raises(OSError, match="disk full"):
            await runner.quick(lambda: 1)
    finally:
        runner.shutdown()


async def test_a_quick_call_made_while_handling_an_update_records_it() -> None:
    log: list[str] = []
    store = _Memory(log)
    runner = ServiceRunner(
        flush=store.flush, handled=lambda update: log.append(f"handled {update}"), pending=store.pending
    )
    loop_thread = threading.current_thread().name

    async def handle(update_id: int) -> None:
        HANDLING.set(update_id)
        await runner.quick(store.write, "f")

    try:
        await asyncio.create_task(handle(7))
    finally:
        runner.shutdown()
    assert log == [f"write f on {loop_thread}", "handled 7", f"flush f on {loop_thread}"]


async def test_a_failure_to_record_the_update_reaches_the_caller_and_the_worker_lives_on() -> None:
    """A database gone mid-batch refused the update's record: the worker thread died with it, and every later call
    waited for ever (the bot hung on a database restart)."""

    def refuse(update_id: int) -> None:
        raise ConnectionError(f"the database is gone (update {update_id})")

    runner = ServiceRunner(handled=refuse)

    async def handle() -> int:
        HANDLING.set(8)
        return await runner.call(lambda: 1)

    try:
        with pytest.raises(ConnectionError, match="update 8"):
            await asyncio.create_task(handle())
        assert await asyncio.wait_for(runner.call(lambda: "still here"), 5) == "still here"
    finally:
        runner.shutdown()
