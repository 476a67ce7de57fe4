"""Operating a deployment: which commands may touch a data folder while a bot runs on it, `[web] listen` and
`public_url` checked before `run`, an address the dashboard cannot take stopping `run` with exit 2 (systemd's
`Restart=on-failure` must not loop on a traceback), IPv6 links in brackets, `--config` before or after every
subcommand."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from storage.tinydb_store import TinyStore
from supervisor_bot.cli.check_config import check
from supervisor_bot.cli.main import EXIT_ALREADY_RUNNING, _parser, main
from supervisor_bot.composition.lock import data_dir_lock
from supervisor_bot.sandbox import Sandbox
from supervisor_bot.settings.web_address import listen_problem, public_url_problem
from tests.deploy.deployment import a_deployment
from tests.e2e.test_deployment_folder import a_folder

ROOT = Path(__file__).resolve().parents[2]
STARTED = 30.0
DAY = dt.date(2026, 3, 2)


def _subcommands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], bool]]:
    """Every (sub)command, and whether it takes --config after its name."""
    found: list[tuple[tuple[str, ...], bool]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                takes = any("--config" in a.option_strings for a in sub._actions)
                found.append(((*path, name), takes))
                found += _subcommands(sub, (*path, name))
    return found


def test_every_subcommand_takes_config_before_and_after_its_name(tmp_path: Path) -> None:
    parser = _parser()
    commands = _subcommands(parser)
    assert {c[0][0] for c in commands} >= {"run", "check-config", "digest", "score", "backup", "restore", "plan"}
    assert [name for name, takes in commands if not takes] == []
    chosen = tmp_path / "settings.toml"
    for before in (True, False):
        args = ["score", "--from", "2021-09-01", "--to", "2021-12-31"]
        argv = ["--config", str(chosen), *args] if before else [*args, "--config", str(chosen)]
        assert parser.parse_args(argv).config == chosen
    assert parser.parse_args(["plan", "diff", "new.docx", "--config", str(chosen)]).config == chosen
    assert parser.parse_args(["restore", "--config", str(chosen), "in.tar.gz"]).config == chosen


@pytest.mark.parametrize(
    "listen", ["127.0.0.1:8080", "[::1]:8080", "[::]:443", "0.0.0.0:65535", "localhost:1", "duban.example.gov.cn:80"]
)
def test_good_listen_addresses(listen: str) -> None:
    assert listen_problem(listen) is None


@pytest.mark.parametrize(
    ("listen", "said"),
    [
        ("127.0.0.1:99999", "1–65535"),
        ("127.0.0.1:0", "1–65535"),
        ("127.0.0.1", "缺少端口"),
        ("::1:8080", "须加方括号，例如 [::1]:8080"),
        ("[::g]:8080", "不是 IPv6 地址"),
        ("999.1.1.1:80", "不是 IPv4 地址"),
        ("du ban:80", "不是地址或主机名"),
        ("127.0.0.1:８０", "1–65535"),
    ],
)
def test_bad_listen_addresses_are_named(listen: str, said: str) -> None:
    problem = listen_problem(listen)
    assert problem is not None and said in problem and listen in problem


@pytest.mark.parametrize(
    "url", ["ftp://duban.example.gov.cn", "duban.example.gov.cn", "https://x.cn:99999", "https://x.cn/?a=1", "https://"]
)
def test_bad_public_urls_are_named(url: str) -> None:
    assert public_url_problem(url) is not None
    assert public_url_problem("https://duban.example.gov.cn/jiangchuan") is None


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("SUPERVISOR_WEB_LISTEN", "127.0.0.1:99999", "SUPERVISOR_WEB_LISTEN"),
        ("SUPERVISOR_WEB_LISTEN", "::1:8080", "SUPERVISOR_WEB_LISTEN"),
        ("SUPERVISOR_WEB_URL", "duban.example.gov.cn", "SUPERVISOR_WEB_URL"),
    ],
)
def test_check_config_refuses_a_bad_web_address(
    variable: str, value: str, key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPERVISOR_CONFIG", str(a_deployment(tmp_path)))
    report = check(DAY, environ={"TELEGRAM_BASE_URL": "http://127.0.0.1:8081", variable: value})
    assert any(key in line and value in line for line in report.errors), report.errors


def test_check_config_names_the_key_in_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISOR_CONFIG", str(a_deployment(tmp_path, '\n[web]\nlisten = "localhost:70000"\n')))
    report = check(DAY, environ={"TELEGRAM_BASE_URL": "http://127.0.0.1:8081"})
    assert any("web.listen" in line and "localhost:70000" in line for line in report.errors), report.errors


async def _run(env: dict[str, str], settings: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "main.py",
        "run",
        "--config",
        str(settings),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


def _env(sandbox: Sandbox, listen: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISOR_", "TELEGRAM_"))}
    return env | {
        "TELEGRAM_BASE_URL": sandbox.url,
        "SUPERVISOR_CLOCK_START": "2025-03-01T09:00",
        "SUPERVISOR_WEB_LISTEN": listen,
    }


async def test_a_port_in_use_stops_run_with_exit_2_naming_key_and_address(tmp_path: Path) -> None:
    settings = a_folder(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        listen = f"127.0.0.1:{taken.getsockname()[1]}"
        async with Sandbox() as sandbox:
            bot = await _run(_env(sandbox, listen), settings)
            _, err = await asyncio.wait_for(bot.communicate(), STARTED)
    text = err.decode()
    assert bot.returncode == 2, text[-2000:]
    assert "SUPERVISOR_WEB_LISTEN" in text and listen in text and "督办看板无法在" in text
    assert "Traceback" not in text


async def test_a_webhook_port_in_use_stops_run_with_exit_2_naming_key_and_address(tmp_path: Path) -> None:
    """`[telegram] webhook_listen` as `[web] listen`: an address the webhook server cannot take is a configuration
    error (exit 2, the key and the address named), not a traceback systemd restarts in a loop."""
    settings = a_folder(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        listen = f"127.0.0.1:{taken.getsockname()[1]}"
        text = settings.read_text(encoding="utf-8")
        hook = f'[telegram]\nwebhook_url = "http://{listen}/hook"\nwebhook_listen = "{listen}"\n'
        settings.write_text(text.replace("[telegram]\n", hook), encoding="utf-8")
        async with Sandbox() as sandbox:
            bot = await _run(_env(sandbox, ""), settings)
            _, err = await asyncio.wait_for(bot.communicate(), STARTED)
    said = err.decode()
    assert bot.returncode == 2, said[-2000:]
    assert "telegram.webhook_listen" in said and listen in said and str(settings) in said
    assert "Traceback" not in said


async def test_an_ipv6_dashboard_gives_bracketed_links(tmp_path: Path) -> None:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
            port = probe.getsockname()[1]
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    settings = a_folder(tmp_path)
    async with Sandbox() as sandbox:
        bot = await _run(_env(sandbox, f"[::1]:{port}"), settings)
        assert bot.stderr is not None
        seen = b""
        while b"supervisor bot running" not in seen:
            line = await asyncio.wait_for(bot.stderr.readline(), STARTED)
            assert line, seen.decode()[-2000:]
            seen += line
        bot.send_signal(signal.SIGINT)
        await asyncio.wait_for(bot.communicate(), STARTED)
    assert f"dashboard at http://[::1]:{port}" in seen.decode()


def test_reading_commands_never_write_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """digest and score on a folder whose state.jsonl holds changes: every file as it was, byte for byte."""
    settings = a_folder(tmp_path)
    monkeypatch.setenv("SUPERVISOR_CONFIG", str(settings))
    data = settings.parent / "data"
    assert main(["digest", "--out", str(tmp_path / "first")]) == 2  # no round yet
    assert not data.exists()  # not even made: the command read a copy
    store = TinyStore(data, group_commit=True)
    for _ in range(5):
        store.next_id("ticket")
        store.flush()  # each change a line of state.jsonl, as a running bot leaves it
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert (data / "state.jsonl").stat().st_size > 0
    main(["digest", "--out", str(tmp_path / "out")])
    assert main(["score", "--from", "2025-01-01", "--to", "2025-12-31"]) == 0
    after = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert after == before
    store.close()
    capsys.readouterr()


def test_writing_commands_refuse_while_a_bot_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = a_folder(tmp_path)
    monkeypatch.setenv("SUPERVISOR_CONFIG", str(settings))
    data = settings.parent / "data"
    archive = tmp_path / "copy.tar.gz"
    store = TinyStore(data)
    store.next_id("ticket")
    store.close()
    assert main(["backup", str(archive)]) == 0
    with data_dir_lock(data):  # as a running bot holds it
        for argv in (["plan", "update", str(settings.parent / "plan.txt")], ["restore", str(archive)]):
            assert main(argv) == EXIT_ALREADY_RUNNING, argv
            assert f"PID {os.getpid()}" in capsys.readouterr().err
        assert main(["backup", str(tmp_path / "again.tar.gz")]) == 0  # reading: allowed while the bot runs
