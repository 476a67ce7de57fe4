"""Run the synchronous services one call at a time — storage never sees two at once — and, with a `flush`, hand
back a call's result only after the flush that makes its writes durable; calls that come together share one
flush (group commit): a liaison is never told a report was recorded before it is on disk, and under load many
reports ride on one disk write. A call made while a front handles an inbound update (`HANDLING`: Telegram's
update id) also records that update as handled, in the same flush, so that an update redelivered after a crash is
recognised.

Calls run on one worker thread, so that the event loop never waits on a slow call or a slow disk. Handing a call
to a thread and back costs about a millisecond on a busy loop, though — more than a press or a /status costs —
so with a store that answers from memory (the files, not a database across the network: it says so by giving
`pending`, whether it holds writes not yet flushed) a `quick` call runs on the event loop itself whenever the
worker is idle, and what it wrote is flushed there and then: on a disk that syncs in a fraction of a millisecond,
batching presses would save less than the turn of the loop it costs (under load the batches held one or two
presses). A flush slower than LOOP_FLUSH_LIMIT sends the next SLOW_SPELL flushes to the worker, where calls that
queue up share them, after which the loop tries again. A call that wrote nothing returns at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import queue
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
BATCH = 256
LOOP_FLUSH_LIMIT = 0.002  # seconds: flushes slower than this do not hold up the event loop
SLOW_SPELL = 100  # flushes sent to the worker after a slow one on the loop

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


def _nothing() -> None:
    """A job that only waits for the worker's next flush."""


class ServiceRunner:
    def __init__(
        self,
        flush: Callable[[], None] | None = None,
        handled: Callable[[int], None] | None = None,
        pending: Callable[[], bool] | None = None,
    ) -> None:
        self._flush = flush
        self._handled = handled
        self._pending = pending
        self._busy = threading.Lock()  # held while a call or a flush runs, on whichever thread
        self._slow = 0  # flushes still to go to the worker after a slow one on the loop
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name="store", daemon=True)
        self._thread.start()

    async def call(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((functools.partial(fn, *args, **kwargs), loop, future, HANDLING.get()))
        return await future

    async def quick(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """A call that reads and writes only what the store holds in memory (a press, a note, /status): on the
        event loop when the store allows it and the worker is idle, else as `call`. What it wrote — or found
        written and not yet durable — is flushed before it returns."""
        if self._pending is None or not self._busy.acquire(blocking=False):
            return await self.call(fn, *args, **kwargs)
        to_worker = False
        try:
            result = fn(*args, **kwargs)
            update_id = HANDLING.get()
            if update_id is not None and self._handled is not None:
                self._handled(update_id)
            if self._pending() and self._flush is not None:
                to_worker = self._slow > 0
                if not to_worker:
                    self._flush_here(self._flush)
        finally:
            self._busy.release()
        if to_worker:
            await self.call(_nothing)  # the worker's next flush
        return result

    def _flush_here(self, flush: Callable[[], None]) -> None:
        """Flush on the event loop; one that takes too long sends the next SLOW_SPELL flushes to the worker."""
        started = time.perf_counter()
        flush()
        if time.perf_counter() - started > LOOP_FLUSH_LIMIT:
            self._slow = SLOW_SPELL

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
            with self._busy:
                self._run(batch)

    def _run(self, batch: list[_Job]) -> None:
        outcomes: list[tuple[bool, Any]] = []
        for call, _, _, update_id in batch:
            try:
                result = call()
                if update_id is not None and self._handled is not None:
                    self._handled(update_id)  # (a database may refuse it: the caller hears, the worker lives on)
                outcomes.append((True, result))
            except BaseException as error:  # handed to the caller
                outcomes.append((False, error))
        if self._flush is not None:
            try:
                self._flush()
            except BaseException as error:  # nothing in the batch is durable: no one hears otherwise
                outcomes = [(False, error)] * len(batch)
            self._slow = max(0, self._slow - 1)
        for (_, loop, future, _), (ok, value) in zip(batch, outcomes, strict=True):
            _hand_back(loop, future, ok, value)

    def shutdown(self) -> None:
        self._jobs.put(None)
        self._thread.join()
