"""app.apart: work done in a process of its own, its result or its exception returned to the bot's event loop."""

from __future__ import annotations

import os
import sys

import pytest

from supervisor_bot.app.apart import apart


def _loaded_there(name: str) -> tuple[int, bool]:
    __import__(name)
    return os.getpid(), name in sys.modules


def _refuse(reason: str) -> None:
    raise ValueError(reason)


async def test_the_work_runs_in_another_process_and_its_libraries_stay_there() -> None:
    before = "xlsxwriter" in sys.modules
    pid, loaded = await apart(_loaded_there, "xlsxwriter")
    assert pid != os.getpid() and loaded
    assert ("xlsxwriter" in sys.modules) == before


async def test_its_exception_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="不能生成"):
        await apart(_refuse, "不能生成")
