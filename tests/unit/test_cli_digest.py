"""`python main.py digest --out DIR`: the digest's text and files from stored data."""

from __future__ import annotations

import re
from pathlib import Path

import pendulum
import pytest

from storage.tinydb_store import TinyStore
from supervisor_bot.cli import main
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.people import SYSTEM, Actor
from supervisor_bot.core.reports import AuditEntry, Report
from supervisor_bot.core.rounds import Round
from supervisor_bot.core.status import Status

TZ = "Asia/Shanghai"


def test_digest_from_stored_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    store = TinyStore(data)
    opened = pendulum.datetime(2021, 9, 6, 9, tz=TZ)
    store.save_round(Round("2021-W36", "2021-W36", opened, opened.add(days=3, hours=8)))
    store.save_reports(
        "2021-W36",
        [
            Report(
                "2021-W36", 61, "市人力资源社会保障局", Status.DONE, "已表彰", opened.add(hours=2), Actor(1, "张"), -1
            )
        ],
        [],
    )
    bound = Binding("市人力资源社会保障局", -1, frozenset({1}))
    store.save_binding(bound, AuditEntry(opened, SYSTEM, -1, "bind", respondent=bound.respondent))
    store.close()
    monkeypatch.setenv("SUPERVISOR_DATA_DIR", str(data))
    out = tmp_path / "out"
    assert main(["digest", "--out", str(out), "--at", "2021-09-10T17:00"]) == 0
    text = (out / "digest.txt").read_text(encoding="utf-8")
    assert text.startswith(
        "【督办周报】贯彻落实鲁政字〔2021〕136号文件做好稳就业保就业工作分工方案落实情况（2021年第36周）\n报：市政府办公厅\n"
    )
    assert "尚未绑定工作群的单位（46个" in text
    counted = re.search(r"全部(\d+)项措施中，已完成1项", text)
    apart = re.search(r"另有(\d+)项措施的牵头单位尚未绑定工作群，暂不计入", text)
    assert counted and apart and int(counted.group(1)) + int(apart.group(1)) == 63  # only the bound lead's count
    assert (out / "ledger.xlsx").read_bytes()[:2] == b"PK"
    assert (out / "progress.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "已写出" in capsys.readouterr().err


def test_digest_without_any_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUPERVISOR_DATA_DIR", str(tmp_path / "empty"))
    assert main(["digest", "--out", str(tmp_path / "out")]) == 2
    assert "还没有任何报送轮次" in capsys.readouterr().err


def test_digest_with_a_bad_moment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUPERVISOR_DATA_DIR", str(tmp_path / "empty"))
    assert main(["digest", "--out", str(tmp_path / "out"), "--at", "星期五"]) == 2
    assert "--at" in capsys.readouterr().err
