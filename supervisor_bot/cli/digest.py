"""`python main.py digest --out DIR`: the weekly digest from stored data — the same text and files the bot sends."""

from __future__ import annotations

import sys
from pathlib import Path

import pendulum
import pendulum.parsing.exceptions

from supervisor_bot.composition.assemble import Assembled
from supervisor_bot.composition.reading import assembled_for_reading
from supervisor_bot.services import digests, plan_digests
from supervisor_bot.services.digest_files import write_digest_files
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import Settings, load_settings


def write_digest(out: Path, at: str | None) -> int:
    settings = load_settings()
    with assembled_for_reading(settings) as assembled:  # a copy: the live store is never written
        return _write(assembled, settings, out, at)


def _write(assembled: Assembled, settings: Settings, out: Path, at: str | None) -> int:
    rt = assembled.runtime
    now = assembled.clock.now()
    if at:
        try:
            parsed = pendulum.parse(at, tz=settings.timezone)
        except (ValueError, pendulum.parsing.exceptions.ParserError):
            parsed = None
        if not isinstance(parsed, pendulum.DateTime):
            raise ConfigError("命令行", "--at", f"“{at}”不是时间，例如 2021-09-10T17:00")
        now = parsed
    previous = digests.previous_digest_key(digests.period_now(rt, now))
    if settings.keyed:  # several plans: the one digest the leaders get, a section per plan
        return _write_plans(assembled, settings, out, now, previous)
    result = digests.digest(rt, rt.ladder, now, previous)
    if result is None:
        print(f"错误：{settings.data_dir} 中还没有任何报送轮次，无法生成周报。", file=sys.stderr)
        return 2
    files = write_digest_files(result, out)
    print(files.text)
    print(f"\n已写出：{files.text_path}、{files.ledger}、{files.chart}", file=sys.stderr)
    return 0


def _write_plans(assembled: Assembled, settings: Settings, out: Path, now: pendulum.DateTime, previous: str) -> int:
    combined = plan_digests.combined_digest(assembled.runtimes, now, previous)
    if combined is None:
        print(f"错误：{settings.data_dir} 中还没有任何报送轮次，无法生成周报。", file=sys.stderr)
        return 2
    files = plan_digests.write_combined_files(combined, out)
    print(files.text)
    charts = "、".join(str(chart) for _, chart in files.charts)
    print(f"\n已写出：{out / 'digest.txt'}、{files.ledger}、{charts}", file=sys.stderr)
    return 0
