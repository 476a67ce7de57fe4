"""The application's lifecycle: what it opens it closes, last opened first closed.

Order of opening: the store, the store's worker thread (ServiceRunner), then each front. Closing runs backwards:
the fronts stop taking input and settle what they have in flight, the worker finishes every queued call and its
flush, and only then the store closes — which rewrites its snapshot, so a clean stop leaves `state.json` current.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Protocol

from supervisor_bot.app.clock import Clock
from supervisor_bot.app.runner import ServiceRunner
from supervisor_bot.app.shell import ShellParts
from supervisor_bot.ports.store import AnswersFromMemory, Store
from supervisor_bot.services.runtime import Runtime
from supervisor_bot.telegram.context import UpdateLog

log = logging.getLogger("supervisor_bot")


class DurableStore(Store, UpdateLog, Protocol):
    """The store the application opens: the domain's data and, for the Telegram front, the updates handled."""


@asynccontextmanager
async def application(
    runtime: Runtime, store: DurableStore, clock: Clock, digest_dir: Path, plans: tuple[Runtime, ...] = ()
) -> AsyncIterator[ShellParts]:
    """The store and its worker, open from entry to exit; closed in reverse order however the body ends."""
    async with AsyncExitStack() as stack:
        stack.callback(store.close)
        pending = store.pending if isinstance(store, AnswersFromMemory) else None
        runner = ServiceRunner(flush=store.flush, handled=store.mark_update_handled, pending=pending)
        stack.callback(runner.shutdown)
        yield ShellParts(
            runtime, clock, runner, digest_dir, plans if len(plans) > 1 or any(p.plan for p in plans) else ()
        )
    log.info("supervisor bot stopped; store closed")


@asynccontextmanager
async def stop_signals() -> AsyncIterator[asyncio.Event]:
    """An event set by SIGINT or SIGTERM, for as long as the block runs."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    caught = (signal.SIGINT, signal.SIGTERM)
    for signum in caught:
        loop.add_signal_handler(signum, stop.set)
    try:
        yield stop
    finally:
        for signum in caught:
            with contextlib.suppress(ValueError, RuntimeError):
                loop.remove_signal_handler(signum)
