"""`[messenger] kind = "wecom"` and `[wecom]`: the settings read, the secret only from WECOM_BOT_SECRET (never
shown), WeCom's string ids for people and chats, and check-config's report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supervisor_bot.cli.check_config import check
from supervisor_bot.composition.wecom import endpoint_for
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import load_settings
from tests.deploy.deployment import a_deployment

WECOM = """
[messenger]
kind = "wecom"

[wecom]
bot_id = "aib-test-bot"
ws_url = "ws://127.0.0.1:9/ws"

[people]
coordinators = ["wangxie"]

[bindings]
"市财政局" = "wrFinanceGroup"
"""
SECRET = {"WECOM_BOT_SECRET": "s3cret-value-xyz"}


def wecom_deployment(tmp_path: Path, extra: str = WECOM) -> Path:
    settings = a_deployment(tmp_path, extra)
    text = settings.read_text(encoding="utf-8").replace("bureau = -100200", 'bureau = "wrBureau"')
    settings.write_text(text.replace("leaders = -100300", 'leaders = "wrLeaders"'), encoding="utf-8")
    return settings


def test_the_wecom_settings_are_read(tmp_path: Path) -> None:
    settings = load_settings(wecom_deployment(tmp_path), SECRET)
    wecom = settings.messaging.wecom
    assert settings.messaging.on_wecom and wecom.bot_id == "aib-test-bot" and wecom.ws_url == "ws://127.0.0.1:9/ws"
    assert wecom.secret == "s3cret-value-xyz" and "s3cret" not in repr(settings)
    assert settings.coordinators == frozenset({"wangxie"}) and settings.bureau_chat == "wrBureau"
    assert settings.bindings == {"市财政局": "wrFinanceGroup"}
    endpoint = endpoint_for(settings)
    assert endpoint.bot_id == "aib-test-bot" and "s3cret" not in repr(endpoint)


def test_telegram_stays_the_default(tmp_path: Path) -> None:
    settings = load_settings(a_deployment(tmp_path), {})
    assert settings.messaging.kind == "telegram" and not settings.messaging.on_wecom


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ('\n[messenger]\nkind = "dingtalk"\n', "messenger.kind"),
        ('\n[messenger]\nkind = "wecom"\n', "wecom.bot_id"),
        ('\n[messenger]\nkind = "wecom"\n[wecom]\nbot_id = "x"\nws_url = "https://x"\n', "wecom.ws_url"),
        ('\n[messenger]\nkind = "wecom"\n[wecom]\nbot_id = "x"\nca_file = "missing.pem"\n', "wecom.ca_file"),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, extra: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_settings(wecom_deployment(tmp_path, extra), SECRET)


def test_a_missing_secret_stops_the_run_before_anything_opens(tmp_path: Path) -> None:
    settings = load_settings(wecom_deployment(tmp_path), {})
    with pytest.raises(ConfigError, match="WECOM_BOT_SECRET"):
        endpoint_for(settings)


def test_check_config_knows_wecom(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUPERVISOR_SETTINGS", str(wecom_deployment(tmp_path)))
    report = check(dt.date(2026, 3, 2), environ=SECRET)
    assert report.errors == [], report.errors
    text = report.render()
    assert "企业微信智能机器人" in text and "aib-test-bot" in text and "已设置" in text
    assert "s3cret" not in text and "TELEGRAM_BOT_TOKEN" not in text
    missing = check(dt.date(2026, 3, 2), environ={})
    assert any("WECOM_BOT_SECRET" in line for line in missing.errors)
