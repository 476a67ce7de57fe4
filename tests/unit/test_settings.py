"""Settings: the commented TOML, the environment variables that override it, and errors naming file and key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest

from supervisor_bot.app.clock import FastClock, ManualClock
from supervisor_bot.cli.check_config import check
from supervisor_bot.core.schedule import Cadence
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import TELEGRAM_API, load_settings
from tests.conftest import CONFIG

SETTINGS = CONFIG / "settings.toml"
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_the_shipped_settings() -> None:
    s = load_settings(SETTINGS, environ={})
    assert s.timezone == "Asia/Shanghai"
    assert (s.schedule.weekday, s.schedule.opens_at, s.schedule.due_workdays, s.schedule.due_at) == (
        0,
        dt.time(9, 0),
        3,
        dt.time(17, 0),
    )
    assert s.escalation.escalate_workdays_after == 1 and s.escalation.interview_after_rounds == 2
    assert s.base_url == TELEGRAM_API and s.uses_telegram and s.token == ""
    assert s.plan_file == CONFIG / "plans" / "jinan-2021-16.txt"
    assert s.clock_start is None and s.clock_speed == 1.0


def test_environment_overrides() -> None:
    s = load_settings(
        SETTINGS,
        environ={
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/",
            "SUPERVISOR_COORDINATORS": "111, 222，333",
            "SUPERVISOR_BUREAU_CHAT": "-1001",
            "SUPERVISOR_LEADERS_CHAT": "-1002",
            "SUPERVISOR_DATA_DIR": "/tmp/supervisor-data",
            "SUPERVISOR_CLOCK_START": "2021-09-06T08:00",
            "SUPERVISOR_CLOCK_SPEED": "3600",
        },
    )
    assert s.token == TOKEN and s.base_url == "http://127.0.0.1:8081" and not s.uses_telegram
    assert s.coordinators == {111, 222, 333}
    assert (s.bureau_chat, s.leaders_chat) == (-1001, -1002)
    assert s.data_dir == Path("/tmp/supervisor-data")
    assert s.clock_start == pendulum.datetime(2021, 9, 6, 8, 0, tz="Asia/Shanghai")
    assert s.clock_speed == 3600
    assert TOKEN not in repr(s)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SUPERVISOR_COORDINATORS", "12,abc"),
        ("SUPERVISOR_BUREAU_CHAT", "群"),
        ("SUPERVISOR_CLOCK_START", "下周一"),
        ("SUPERVISOR_CLOCK_SPEED", "-5"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("TELEGRAM_BASE_URL", "ftp://x"),
    ],
)
def test_a_bad_environment_variable_is_named(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(SETTINGS, environ={variable: value})
    assert error.value.key == variable and error.value.path == "环境变量"


@pytest.mark.parametrize(
    ("replace", "key"),
    [
        (('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"'), "timezone"),
        (('weekday = "周一"', 'weekday = "周八"'), "rounds.weekday"),
        (('opens_at = "09:00"', 'opens_at = "9点"'), "rounds.opens_at"),
        (("due_workdays = 3", "due_workdays = 30"), "rounds.due_workdays"),
        (("due_workdays = 3", 'due_workdays = "三"'), "rounds.due_workdays"),
        (("coordinators = []", 'coordinators = ["张三"]'), "people.coordinators"),
        (("bureau = 0", "bureau = true"), "chats.bureau"),
        (('# "市财政局" = -1001234567890', '"市财政局" = "群"'), "bindings.市财政局"),
        (("interview_after_rounds = 2", "interview_after_rounds = 0"), "escalation.interview_after_rounds"),
        (('cadence = "weekly"', 'cadence = "yearly"'), "rounds.cadence"),
        (("monthday = 1", "monthday = 32"), "rounds.monthday"),
        (("month_of_quarter = 1", "month_of_quarter = 4"), "rounds.month_of_quarter"),
        (('cadence = "weekly"\nweekday = "周五"', 'cadence = "quarterly"\nweekday = "周五"'), "digest.cadence"),
    ],
)
def test_a_broken_settings_file_names_the_file_and_the_key(tmp_path: Path, replace: tuple[str, str], key: str) -> None:
    text = SETTINGS.read_text(encoding="utf-8")
    assert replace[0] in text
    broken = tmp_path / "settings.toml"
    broken.write_text(text.replace(replace[0], replace[1], 1), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(broken, environ={})
    assert error.value.key == key
    assert str(broken) in str(error.value)


def test_monthly_and_quarterly_cadences(tmp_path: Path) -> None:
    text = SETTINGS.read_text(encoding="utf-8")
    monthly = tmp_path / "settings.toml"
    monthly.write_text(
        text.replace('cadence = "weekly"', 'cadence = "quarterly"', 1)
        .replace("monthday = 1", "monthday = 15", 1)
        .replace("month_of_quarter = 1", "month_of_quarter = 3", 1)
        .replace('cadence = "weekly"\nweekday = "周五"', 'cadence = "monthly"\nweekday = "周五"'),
        encoding="utf-8",
    )
    s = load_settings(monthly, environ={})
    assert (s.schedule.cadence, s.schedule.monthday, s.schedule.month_of_quarter) == (Cadence.QUARTERLY, 15, 3)
    assert (s.escalation.digest_cadence, s.escalation.digest_monthday) == (Cadence.MONTHLY, 28)
    shipped = load_settings(SETTINGS, environ={})
    assert shipped.schedule.cadence is Cadence.WEEKLY and shipped.escalation.digest_cadence is Cadence.WEEKLY


def test_not_toml(tmp_path: Path) -> None:
    broken = tmp_path / "settings.toml"
    broken.write_text("[rounds\nweekday = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="TOML 格式错误"):
        load_settings(broken, environ={})


def test_check_config_reports_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(SETTINGS))
    report = check(dt.date(2021, 9, 1), environ={"TELEGRAM_BASE_URL": "http://127.0.0.1:8081"})
    assert report.errors == []
    assert any("63项措施" in line for line in report.ok)
    assert any("people.coordinators" in line for line in report.warnings)
    missing_token = check(dt.date(2021, 9, 1), environ={})
    assert any("TELEGRAM_BOT_TOKEN" in line for line in missing_token.errors)
    assert "配置有误" in missing_token.render()


def test_check_config_names_a_binding_that_is_no_department(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    text = SETTINGS.read_text(encoding="utf-8").replace('# "市财政局" = -1001234567890', '"市宇宙局" = -100123')
    text = text.replace('file = "plans/', f'file = "{CONFIG}/plans/').replace(
        'departments = "', f'departments = "{CONFIG}/'
    )
    text = text.replace('overrides = "', f'overrides = "{CONFIG}/')
    settings = tmp_path / "settings.toml"
    settings.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(settings))
    report = check(dt.date(2021, 9, 1), environ={"TELEGRAM_BOT_TOKEN": TOKEN})
    assert any("bindings.市宇宙局" in line and str(settings) in line for line in report.errors)


def test_clocks() -> None:
    ticks = iter([100.0, 101.0, 102.5])
    fast = FastClock(pendulum.datetime(2021, 9, 6, 8, tz="Asia/Shanghai"), 3600, monotonic=lambda: next(ticks))
    assert fast.now() == pendulum.datetime(2021, 9, 6, 9, tz="Asia/Shanghai")
    assert fast.now() == pendulum.datetime(2021, 9, 6, 10, 30, tz="Asia/Shanghai")
    manual = ManualClock(pendulum.datetime(2021, 9, 6, tz="UTC"))
    manual.advance(hours=2)
    assert manual.now() == pendulum.datetime(2021, 9, 6, 2, tz="UTC")
