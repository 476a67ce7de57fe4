"""Work that needs large libraries for a moment, done in a short-lived process of its own.

The weekly digest's 督办台账 and chart load XlsxWriter and matplotlib with numpy and Pillow — some 50 MB and half a
second — for a few hundred milliseconds of work a week. In the bot's own process they would stay loaded for good,
and the drawing would hold the storage worker (every press waits behind it). Here a fresh process does the work
and exits: the bot keeps only what it needs between digests, and presses go on while the files are drawn.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


async def apart(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`work(*args)` in a process started for it ("spawn": nothing of the bot's state is copied; the function and
    its arguments are pickled), its result or its exception returned here; the process ends with the work."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, _call, work, args, kwargs)
    finally:
        await asyncio.to_thread(pool.shutdown)


def _call(work: Callable[..., T], args: tuple[object, ...], kwargs: dict[str, object]) -> T:
    return work(*args, **kwargs)
