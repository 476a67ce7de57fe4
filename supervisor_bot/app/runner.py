"""Run the synchronous services on one worker thread: the event loop never waits on disk, storage sees one
call at a time, and — with a `flush` — calls that queue up together share one fsync (group commit).

A call's result is handed back only after the flush that makes its writes durable: a liaison is never told a
report was recorded before it is on disk, and under load many reports ride on one disk write. A call made while
a front handles an inbound update (`HANDLING`: Telegram's update id) also records that update as handled, in the
same flush, so that an update redelivered after a crash is recognised.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import queue
import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
BATCH = 256

HANDLING: ContextVar[int | None] = ContextVar("HANDLING", default=None)
"""The id of the inbound update (a front's: Telegram's update id) being handled in this task, if any."""

_Job = tuple[Callable[[], Any], asyncio.AbstractEventLoop, "asyncio.Future[Any]", int | None]


def _hand_back(loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    with contextlib.suppress(RuntimeError):  # the loop has closed: no one is waiting any more
        loop.call_soon_threadsafe(_settle, future, ok, value)


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.cancelled():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


class ServiceRunner:
    def __init__(self, flush: Callable[[], None] | None = None, handled: Callable[[int], None] | None = None) -> None:
        self._flush = flush
        self._handled = handled
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name="store", daemon=True)
        self._thread.start()

    async def call(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((functools.partial(fn, *args, **kwargs), loop, future, HANDLING.get()))
        return await future

    def _work(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < BATCH:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self._jobs.put(None)  # finish this batch, then stop
                    break
                batch.append(job)
            self._run(batch)

    def _run(self, batch: list[_Job]) -> None:
        outcomes: list[tuple[bool, Any]] = []
        for call, _, _, update_id in batch:
            try:
                outcomes.append((True, call()))
            except BaseException as error:  # handed to the caller
                outcomes.append((False, error))
                continue
            if update_id is not None and self._handled is not None:
                self._handled(update_id)
        if self._flush is not None:
            try:
                self._flush()
            except BaseException as error:  # nothing in the batch is durable: no one hears otherwise
                outcomes = [(False, error)] * len(batch)
        for (_, loop, future, _), (ok, value) in zip(batch, outcomes, strict=True):
            _hand_back(loop, future, ok, value)

    def shutdown(self) -> None:
        self._jobs.put(None)
        self._thread.join()
