"""`python main.py run` with `[messenger] kind = "wecom"`, as a process against the WeCom sandbox: it connects,
answers, never logs the Secret, stops on SIGTERM — and stops by itself when another instance takes over."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from supervisor_bot.settings.paths import PROJECT_ROOT
from supervisor_bot.wecom.client import WeComClient
from supervisor_bot.wecom.frames import Frame
from supervisor_bot.wecom_sandbox.control import Control
from supervisor_bot.wecom_sandbox.server import Sandbox
from tests.deploy.test_wecom_settings import wecom_deployment
from tests.wecom.harness import endpoint, eventually

COORDINATOR = "wangxie"


async def nothing(frame: Frame) -> None:
    """The second instance only takes the connection over."""


async def started(tmp_path: Path, sandbox: Sandbox) -> asyncio.subprocess.Process:
    extra = (
        f'\n[messenger]\nkind = "wecom"\n\n[wecom]\nbot_id = "{sandbox.world.bot_id}"\nws_url = "{sandbox.ws_url}"\n'
    )
    extra += f'\n[people]\ncoordinators = ["{COORDINATOR}"]\n'
    settings = wecom_deployment(tmp_path, extra)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "WECOM_BOT_SECRET": sandbox.world.secret}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(PROJECT_ROOT / "main.py"),
        "run",
        "--config",
        str(settings),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _subscribed(sandbox: Sandbox) -> bool:
    return sandbox.world.subscriptions >= 1 and sandbox.live is not None


async def _answered(control: Control) -> bool:
    return any("督办机器人" in m["content"] for m in await control.messages(COORDINATOR))


async def test_run_on_wecom_answers_and_never_logs_the_secret(tmp_path: Path) -> None:
    sandbox = Sandbox()
    await sandbox.start()
    control = Control(sandbox.url)
    await control.call("member", userid=COORDINATOR)
    process = await started(tmp_path, sandbox)
    try:
        await eventually(lambda: _subscribed(sandbox), within=60)
        assert await control.say(COORDINATOR, "帮助")
        await eventually(lambda: _answered(control), within=20)
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        if process.returncode is None:
            process.kill()
        await control.close()
        await sandbox.stop()
    log = err.decode()
    assert process.returncode == 0, log[-3000:]
    assert "running on WeCom" in log and "stop requested" in log
    assert sandbox.world.secret not in log


async def test_a_second_instance_takes_over_and_the_first_stops(tmp_path: Path) -> None:
    sandbox = Sandbox()
    await sandbox.start()
    process = await started(tmp_path, sandbox)
    second = WeComClient(endpoint(sandbox), nothing)
    try:
        await eventually(lambda: _subscribed(sandbox), within=60)
        task = asyncio.create_task(second.run())
        _, err = await asyncio.wait_for(process.communicate(), 60)
        await second.stop()
        await task
    finally:
        if process.returncode is None:
            process.kill()
        await sandbox.stop()
    log = err.decode()
    assert process.returncode == 0, log[-3000:]
    assert "took over (disconnected_event)" in log and "another instance of this bot" in log
