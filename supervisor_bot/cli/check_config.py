"""`python main.py check-config`: validate every file and variable; name the file, the key and the problem."""

from __future__ import annotations

import datetime as dt

import pendulum

from supervisor_bot.app.clock import SystemClock
from supervisor_bot.cli.check_more import (
    Report,
    binding_names,
    liaisons_problems,
    lint_registry,
    lint_settings,
    network_lines,
)
from supervisor_bot.cli.check_plans import check_plans, stored_plans
from supervisor_bot.composition.assemble import office_of
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.matrix import Ask
from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.core.schedule import Cadence, RoundSchedule
from supervisor_bot.settings.calendar import covered_years, load_calendar
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.messenger import SECRET_VARIABLE
from supervisor_bot.settings.settings import Settings, default_settings_path, load_settings
from supervisor_bot.settings.storage import where
from supervisor_bot.views import fmt

_WEEKDAYS = "一二三四五六日"


__all__ = ["Report", "check"]


def check(today: dt.date | None = None, environ: dict[str, str] | None = None) -> Report:
    """The settings, the plan and the calendar checked; `today` (default: today where the deployment is) decides
    which years the calendar must cover."""
    report = Report()
    lint_settings(default_settings_path(), report)
    try:
        settings = load_settings(environ=environ)
    except ConfigError as error:
        if str(error) not in report.errors:
            report.errors.append(str(error))
        return report
    report.ok.append(f"设置文件：{settings.source}")
    lint_registry(settings, report)
    found = check_plans(settings, report)
    stored_plans(settings, found, report)
    for key, imported in found.items():
        _office(settings, report, imported, key)
    now = SystemClock().now() if today is None else pendulum.datetime(today.year, today.month, today.day)
    _calendar(settings, report, now.in_timezone(settings.timezone).date())
    for plan in settings.plans:  # each plan's own rounds
        _schedule(settings, plan.schedule, f"方案“{plan.key}”报送安排" if plan.key else "报送安排", report, now)
    _people(settings, report, found)
    return report


def _schedule(settings: Settings, s: RoundSchedule, label: str, report: Report, now: pendulum.DateTime) -> None:
    """The schedule as configured, and the next three rounds' opening and due moments by the calendar."""
    if s.fixed_due:
        when = f"{_due_day(s)} {s.due_at:%H:%M} 截止（非工作日提前至此前最后一个工作日），提前{s.due_workdays}个工作日 {s.opens_at:%H:%M} 开启"
    else:
        when = f"{_opening_day(s)} {s.opens_at:%H:%M} 开启，{s.due_workdays}个工作日后 {s.due_at:%H:%M} 截止"
    asked = "仅牵头单位报送（配合单位随措施列出，不单独督办）" if s.ask is Ask.LEADS else "所有责任单位报送"
    report.ok.append(f"{label}：{when}（{s.timezone}）；{asked}")
    try:
        calendar = load_calendar(settings.calendar_overrides)
    except ConfigError:
        return  # named by the calendar's own check
    for slot in s.next_slots(now, calendar):
        report.ok.append(
            f"　{fmt.round_name(slot.key)}：{fmt.day_time(slot.at, s.timezone)} 开启，"
            f"{fmt.day_time(s.due_for(slot.at, calendar), s.timezone)} 截止"
        )


def _due_day(s: RoundSchedule) -> str:
    if s.cadence is Cadence.QUARTERLY:
        return f"每季度第{s.month_of_quarter}个月{s.due_monthday}日"
    return f"每月{s.due_monthday}日"


def _opening_day(s: RoundSchedule) -> str:
    if s.cadence is Cadence.MONTHLY:
        return f"每月{s.monthday}日（非工作日顺延）"
    if s.cadence is Cadence.QUARTERLY:
        return f"每季度第{s.month_of_quarter}个月{s.monthday}日（非工作日顺延）"
    return f"每周{_WEEKDAYS[s.weekday]}"


def _office(settings: Settings, report: Report, imported: ImportResult, key: str) -> None:
    plan = next(p for p in settings.plans if p.key == key)
    office = office_of(settings, imported.matrix, plan.title)
    basis = (
        office.basis
        or "无（方案中没有建立督导、约谈机制的措施，也未设置 [escalation] basis），督办单和约谈建议不引用依据"
    )
    kind = settings.escalation.digest_kind[2:]  # 周报 or 月报, as the digest's cadence has it
    named = f"方案“{key}”" if key else "方案"
    report.ok.append(
        f"协调处室：{office.bureau}；{kind}报送：{office.leaders or '未设置'}；{named}：{office.plan_title}"
    )
    report.ok.append(f"督办依据：{basis}")


def _calendar(settings: Settings, report: Report, today: dt.date) -> None:
    try:
        load_calendar(settings.calendar_overrides)
    except ConfigError as error:
        report.errors.append(str(error))
        return
    years = covered_years(settings.calendar_overrides)
    report.ok.append(f"节假日日历：已覆盖{min(years)}—{max(years)}年")
    for year in (today.year, today.year + 1):
        if year not in years and (year == today.year or today.month >= 11):
            report.warnings.append(
                f"{settings.calendar_overrides}：{year}年节假日安排尚未覆盖，请按国务院办公厅通知补充"
            )


def _messenger(settings: Settings, report: Report) -> None:
    """The messenger this process speaks through, and what it needs to connect."""
    if settings.messaging.on_wecom:
        wecom = settings.messaging.wecom
        report.ok.append(f"通信平台：企业微信智能机器人（长连接 {wecom.ws_url}，bot_id {wecom.bot_id}）")
        if wecom.ca_file is not None:
            report.ok.append(f"企业微信证书：{wecom.ca_file}")
        if wecom.secret:
            report.ok.append(f"企业微信机器人 Secret：已设置（{SECRET_VARIABLE}，不显示）")
        else:
            report.errors.append(f"环境变量，配置项 {SECRET_VARIABLE}：未设置（连接企业微信智能机器人需要其 Secret）")
        return
    report.ok.append("通信平台：Telegram")
    if settings.token:
        report.ok.append("Telegram 令牌：已设置（不显示）")
    elif settings.uses_telegram:
        report.errors.append(
            "环境变量，配置项 TELEGRAM_BOT_TOKEN：未设置（连接 Telegram 需要令牌；或设置 TELEGRAM_BASE_URL 使用本地沙箱）"
        )
    report.ok.append(f"Bot API 地址：{settings.base_url}")
    network_lines(settings, report)


def _people(settings: Settings, report: Report, found: dict[str, ImportResult]) -> None:
    _messenger(settings, report)
    if settings.coordinators:
        report.ok.append(f"协调员：{len(settings.coordinators)}人")
    else:
        report.warnings.append(
            f"{settings.source}，配置项 people.coordinators：未设置协调员（或 SUPERVISOR_COORDINATORS），无人能使用 /invite、/round、/remind"
        )
    for key, chat in (("chats.bureau", settings.bureau_chat), ("chats.leaders", settings.leaders_chat)):
        if chat is None:
            report.warnings.append(f"{settings.source}，配置项 {key}：未设置群组 id")
    if found:
        unknown = _bound_names(settings, report, found)
        report.ok.append(f"已在设置中绑定工作群：{len(settings.bindings)}个")
        liaisons_problems(settings, report, unknown, _database(settings, report))
    report.ok.append(f"数据目录：{settings.data_dir}")


def _database(settings: Settings, report: Report) -> list[Binding] | None:
    """On PostgreSQL: the database reached (read-only: nothing is written) and its bindings; None on files."""
    if not settings.storage.postgresql:
        return None
    from supervisor_bot.composition.deployment import open_database

    try:
        store = open_database(settings, name="supervisor-bot check-config", read_only=True)
    except ConfigError as error:
        report.errors.append(str(error))
        return []
    try:
        bindings = store.bindings()
        report.ok.append(f"数据库：{where(settings.storage.database_url)}，可连接（已绑定工作群 {len(bindings)} 个）")
        return bindings
    finally:
        store.close()


def _bound_names(settings: Settings, report: Report, found: dict[str, ImportResult]) -> set[str]:
    """[bindings] and [liaisons] names no plan asks (with several plans, a unit of any plan may be bound)."""
    if len(found) == 1:
        return binding_names(settings, next(iter(found.values())).matrix, report)
    reports = {key: Report() for key in found}
    unknown = set.intersection(*(binding_names(settings, i.matrix, reports[key]) for key, i in found.items()))
    said = reports[next(iter(found))]
    report.errors += [e for e in said.errors if any(f".{name}：" in e for name in unknown)]
    report.warnings += [w for w in said.warnings if any(f".{name}：" in w for name in unknown)]
    return unknown
