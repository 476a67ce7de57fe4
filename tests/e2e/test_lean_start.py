"""Import on use: a bot that restarts on its data answers its first message without the document readers, the
spreadsheet and chart writers or the dashboard's templates loaded — they load where a plan file is read, a file is
written, a page is drawn. `check-config` reads the plan file only when it changed since the bot imported it.

The processes run with `python -X importtime`, which writes each module to stderr as its import completes: what the
bot has written there when its reply reaches the sandbox is what it loaded to give it.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import sys
from pathlib import Path

import pytest

from storage.imported_plan import FILE
from supervisor_bot.sandbox import RecordFilter, Sandbox
from supervisor_bot.settings.paths import PROJECT_ROOT

# python-docx, openpyxl, pdfplumber with pdfminer, Pillow and numpy, lxml; XlsxWriter, matplotlib; Jinja2
HEAVY = frozenset(
    {"docx", "openpyxl", "pdfplumber", "pdfminer", "PIL", "numpy", "lxml", "xlsxwriter", "matplotlib", "jinja2"}
)
ANSWERED = 30.0  # seconds a start may take to answer
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)\s*$", re.MULTILINE)


def imported(stderr: str) -> set[str]:
    return set(_IMPORTED.findall(stderr))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


# The project's two plans as a `[[plans]]` deployment: Jinan's weekly, the demo's own monthly
PLANS = (
    '\n[[plans]]\nkey = "稳就业"\nfile = "plans/jinan-2021-16.txt"\n'
    '\n[[plans]]\nkey = "民生实事"\nfile = "plans/minsheng-demo.txt"\nrounds = { cadence = "monthly", monthday = 6 }\n'
)


def free_port() -> int:
    """A port nobody listens on now ([web] listen takes 1–65535: 0, "any", is refused by check-config)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def deployment(tmp: Path, several: bool = False) -> tuple[Path, Path]:
    """The project's own settings, plans and registry, copied — its one plan, or (`several`) both its plans under
    `[[plans]]`; the dashboard on (on a free port); a data folder."""
    config = tmp / "config"
    shutil.copytree(PROJECT_ROOT / "config", config)
    settings = config / "settings.toml"
    listen = f'listen = "127.0.0.1:{free_port()}"'
    text, found = re.subn(r'(?m)^listen = ".*"$', listen, settings.read_text(encoding="utf-8"))
    assert found == 1
    if several:
        text, found = re.subn(r"(?m)^\[plan\]\n(?:#.*\n)*file = .*\ndepartments = .*\n", "", text)
        text = re.sub(r"(?m)^(data_dir = .*\n)", r'\1departments = "departments.toml"\n', text, count=1) + PLANS
        assert found == 1
    settings.write_text(text, encoding="utf-8")
    return settings, tmp / "data"


def environment(settings: Path, data: Path, base_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISOR_", "TELEGRAM_"))}
    return env | {"SUPERVISOR_CONFIG": str(settings), "SUPERVISOR_DATA_DIR": str(data), "TELEGRAM_BASE_URL": base_url}


async def first_answer(sandbox: Sandbox, env: dict[str, str], log: Path, person: int) -> str:
    """Start `main.py run` with a /help waiting in a private chat; stop it once it has answered. Its stderr up to
    the answer."""
    sandbox.add_user(person, f"访客{person}")
    sandbox.create_private_chat(person)
    mark = sandbox.mark()
    sandbox.post_command(person, person, "help")
    command = [sys.executable, "-X", "importtime", "main.py", "run"]
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=PROJECT_ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=stderr
        )
        try:
            reply = await sandbox.wait_for(RecordFilter(chat_id=person, method="sendMessage"), ANSWERED, after=mark)
            said = await asyncio.to_thread(log.read_text, encoding="utf-8", errors="replace")
        finally:
            process.send_signal(signal.SIGINT)
            stopped = await asyncio.wait_for(process.wait(), ANSWERED)
    assert stopped == 0, (await asyncio.to_thread(log.read_text, errors="replace"))[-3000:]
    assert reply.text and "/status" in reply.text  # the help text
    return said


@pytest.mark.parametrize("several", [False, True], ids=["plan", "plans"])
async def test_a_restarted_bot_answers_before_any_document_spreadsheet_chart_or_template_library_loads(
    tmp_path: Path, several: bool
) -> None:
    settings, data = deployment(tmp_path, several)
    stored = [data / "plans" / "稳就业" / FILE, data / "plans" / "民生实事" / FILE] if several else [data / FILE]
    async with Sandbox() as sandbox:
        env = environment(settings, data, sandbox.url)
        first = await first_answer(sandbox, env, tmp_path / "first.log", 5001)  # reads the plan files
        assert all(path.is_file() for path in stored)  # each plan's import, in its own folder
        again = await first_answer(sandbox, env, tmp_path / "again.log", 5002)
    assert "supervisor_bot.documents" in imported(first)
    modules = imported(again)
    assert {"telegram.ext", "supervisor_bot.telegram.app"} <= modules  # what the bot needs is listed
    assert "supervisor_bot.documents" not in modules
    assert heavy(modules) == []


async def _check_config(env: dict[str, str]) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-X",
        "importtime",
        "main.py",
        "check-config",
        cwd=PROJECT_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert "项措施" in out.decode(), out.decode() + err.decode()[-3000:]
    return err.decode()


@pytest.mark.parametrize("several", [False, True], ids=["plan", "plans"])
async def test_check_config_reads_the_plan_file_only_when_it_changed_since_the_bot_imported_it(
    tmp_path: Path, several: bool
) -> None:
    settings, data = deployment(tmp_path, several)
    async with Sandbox() as sandbox:
        await first_answer(sandbox, environment(settings, data, sandbox.url), tmp_path / "bot.log", 5003)
    env = environment(settings, data)
    folder = data / "plans" / "稳就业" if several else data
    stored = (folder / FILE).read_bytes()
    unchanged = imported(await _check_config(env))
    assert "supervisor_bot.documents" not in unchanged and heavy(unchanged) == []
    plan = settings.parent / "plans" / "jinan-2021-16.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the same plan, another file
    assert "supervisor_bot.documents" in imported(await _check_config(env))
    assert (folder / FILE).read_bytes() == stored  # a check never writes the data folder
