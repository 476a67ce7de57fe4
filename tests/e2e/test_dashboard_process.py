"""`main.py web` on "another machine" (its own data folder) beside the active bot, both on one PostgreSQL: the
dashboard reads everything from the database; a login link signed by the bot's secret works there (the secret is
shared through the database); its store refuses any write; a decision posted there is carried out by the active
bot — which checks it as its own dashboard would — and the page shows the bot's answer."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp
import psycopg
import pytest

from storage.postgres.store import PgStore
from supervisor_bot.sandbox import Sandbox
from supervisor_bot.views import bureau
from supervisor_bot.web.auth import SECRET_FILE, Person, Signer
from tests.conftest import CONFIG, DEPARTMENTS, JINAN_PLAN
from tests.reliability.test_fanout_crash import RUNNING, until

ROOT = Path(__file__).resolve().parents[2]
COORDINATOR = 900001


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _settings(folder: Path, listen: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "settings.toml"
    path.write_text(
        f'timezone = "Asia/Shanghai"\ndata_dir = "{folder / "data"}"\n[plan]\nfile = "{JINAN_PLAN}"\n'
        f'departments = "{DEPARTMENTS}"\n[calendar]\noverrides = "{CONFIG / "calendar_overrides.toml"}"\n'
        f'[people]\ncoordinators = [{COORDINATOR}]\n[storage]\nbackend = "postgresql"\n'
        + (f'[web]\nlisten = "{listen}"\n' if listen else ""),
        encoding="utf-8",
    )
    return path


async def _start(env: dict[str, str], settings: Path, log: Path, *command: str) -> asyncio.subprocess.Process:
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "main.py", *command, cwd=ROOT, env=env | {"SUPERVISOR_CONFIG": str(settings)},
            stdout=out, stderr=out,
        )  # fmt: skip


def _read_only_refuses(database: str) -> None:
    store = PgStore(database, read_only=True)
    try:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            store.mark_lasting_done("digest:x")
    finally:
        store.close()


async def test_a_dashboard_process_from_the_database(tmp_path: Path, database: str) -> None:
    port = _free_port()
    async with Sandbox() as sandbox:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISOR_", "TELEGRAM_"))}
        env |= {"SUPERVISOR_DATABASE_URL": database, "TELEGRAM_BASE_URL": sandbox.url}
        env |= {"SUPERVISOR_CLOCK_START": "2021-09-06T09:00", "SUPERVISOR_CLOCK_SPEED": "1"}
        bot_log, web_log = tmp_path / "bot.log", tmp_path / "web.log"
        bot = await _start(env, _settings(tmp_path / "a"), bot_log, "run")
        await until(lambda: RUNNING in bot_log.read_text(encoding="utf-8"), "the bot never ran")
        web = await _start(env, _settings(tmp_path / "b", f"127.0.0.1:{port}"), web_log, "web")
        try:
            await until(lambda: "dashboard at" in web_log.read_text(encoding="utf-8"), "the dashboard never ran")
            secret = (tmp_path / "a" / "data" / SECRET_FILE).read_text(encoding="ascii").strip()
            assert (tmp_path / "b" / "data" / SECRET_FILE).read_text(encoding="ascii").strip() == secret
            await asyncio.to_thread(_read_only_refuses, database)
            await _browse(f"http://127.0.0.1:{port}", Signer(bytes.fromhex(secret), 0.0))
        finally:
            web.send_signal(signal.SIGINT)
            bot.send_signal(signal.SIGINT)
            assert await web.wait() == 0, web_log.read_text(encoding="utf-8")[-2000:]
            assert await bot.wait() == 0, bot_log.read_text(encoding="utf-8")[-2000:]


async def _browse(url: str, signer: Signer) -> None:
    token = signer.login_token(Person(COORDINATOR, "王协调"), time.time())
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        async with client.get(f"{url}/login?t={token}", allow_redirects=False) as response:
            assert response.status == 302
        async with client.get(f"{url}/") as response:
            page = await response.text()
            assert response.status == 200 and "2021年第36周" in page  # the bot's round, read from the database
        cookie = next(c.value for c in client.cookie_jar if c.key == "dbsession")
        session = signer.session(cookie, time.time())
        assert session is not None
        form = {"csrf": signer.csrf(session), "act": "resolve", "ticket": "zz9", "measure": "3", "plan": ""}
        async with client.post(f"{url}/actions", data=form) as response:
            answer = await response.text()
        # carried out by the active bot: its own check of the ticket, written back through the database
        assert response.status == 403 and 'data-page="action-refused"' in answer
        assert any(text in answer for text in bureau.TICKET_REFUSALS.values())
