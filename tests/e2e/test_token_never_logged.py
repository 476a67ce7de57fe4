"""The bot token is in every Bot API URL; nothing the bot logs may carry it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from supervisor_bot.telegram.app import quiet_http_logs
from tests.e2e.harness import COORDINATOR, MONDAY, a_world


async def test_the_token_never_reaches_the_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    quiet_http_logs()
    caplog.set_level(logging.DEBUG, logger="supervisor_bot")
    caplog.set_level(logging.INFO)
    async with a_world(tmp_path, bind=lambda name: name == "市财政局") as world:
        await world.tick(MONDAY)
        await world.command(COORDINATOR, COORDINATOR, "status")
        token = world.sandbox.token
    assert caplog.records, "the bot logged nothing at all"
    assert any("checklist for 市财政局" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if token in r.getMessage() or token.split(":")[1] in r.getMessage()]
