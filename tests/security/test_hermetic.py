"""Tests never reach a real deployment: with a developer's deployment exported (SUPERVISOR_*, TELEGRAM_*, a proxy)
a reliability test — which starts bots and SIGKILLs them — runs on its own temporary folder, and the exported
deployment's folder is untouched, byte for byte (tests/conftest.py's autouse fixture clears them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import foreign
from tests.deploy.deployment import a_deployment

ROOT = Path(__file__).resolve().parents[2]


def _picture(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_the_environment_is_cleared_before_each_test() -> None:
    assert not [name for name in os.environ if foreign(name)]
    assert foreign("SUPERVISOR_DATA_DIR") and foreign("TELEGRAM_BOT_TOKEN") and foreign("https_proxy")
    assert foreign("ALL_PROXY") and not foreign("PATH") and not foreign("PTB_TIMEDELTA")


def test_a_reliability_test_leaves_an_exported_deployment_alone(tmp_path: Path) -> None:
    decoy = tmp_path / "decoy"
    settings = a_deployment(decoy)
    (decoy / "data").mkdir()
    (decoy / "data" / "state.json").write_text('{"bindings": {}}', encoding="utf-8")  # a deployment's real data
    before = _picture(decoy)
    unreachable = "http://127.0.0.1:9"  # nothing listens there: a test that used it would fail, not pass
    env = os.environ | {
        "SUPERVISOR_CONFIG": str(settings),
        "SUPERVISOR_SETTINGS": str(settings),
        "SUPERVISOR_DATA_DIR": str(decoy / "data"),
        "SUPERVISOR_CLOCK_START": "2030-01-07T09:00",
        "TELEGRAM_BOT_TOKEN": "123456789:AAdecoy-token-of-a-real-deployment",
        "TELEGRAM_BASE_URL": unreachable,
        "HTTPS_PROXY": unreachable,
        "HTTP_PROXY": unreachable,
        "RELIABILITY_KILLS": "1",
        "RELIABILITY_REPORTS": "5",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--basetemp",
            str(tmp_path / "inner"),
            "tests/reliability/test_crash.py",
            "-k",
            "files",  # the kills on the files (the database's run its own throw-away server: 20 kills, 95 s more)
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,  # a loaded machine: the inner run starts and kills bots
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert _picture(decoy) == before, "a test wrote into the exported deployment's folder"
