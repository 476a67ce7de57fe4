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
