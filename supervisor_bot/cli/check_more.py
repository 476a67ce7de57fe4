"""The checks of `check-config` that catch what people get wrong: unknown sections and keys, wrong kinds of id,
departments registered twice, names in the plan that resolve to no unit, a bound group where no one may report."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from storage.atomic_storage import StorageCorrupted
from storage.peek import stored_bindings
from supervisor_bot.core.bindings import Binding
from supervisor_bot.core.matrix import Ask, Matrix
from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.core.plan_names import closest_name, unresolved_names
from supervisor_bot.core.respondents import respondents
from supervisor_bot.settings import lint
from supervisor_bot.settings.errors import ConfigError
from supervisor_bot.settings.settings import Settings
from supervisor_bot.settings.toml_file import read_toml
from supervisor_bot.views import plans as texts


@dataclass
class Report:
    ok: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"✓ {line}" for line in self.ok]
        lines += [f"! {line}" for line in self.warnings]
        lines += [f"✗ {line}" for line in self.errors]
        verdict = "配置有误，请按上述提示修改。" if self.errors else "配置检查通过。"
        return "\n".join([*lines, "", verdict])


def lint_settings(path: Path, report: Report) -> None:
    """Unknown sections and keys (with the nearest known one), user ids for group ids and the reverse."""
    try:
        data = read_toml(path)
    except ConfigError as error:
        report.errors.append(str(error))
        return
    found = lint.unknown_keys(path, data) + lint.wrong_ids(path, data) + lint.shared_groups(path, data)
    report.errors += [str(problem) for problem in found]


def lint_registry(settings: Settings, report: Report) -> None:
    try:
        data = read_toml(settings.departments_file)
    except ConfigError:
        return  # the plan's import names the registry's problem
    report.errors += [str(problem) for problem in lint.duplicate_departments(settings.departments_file, data)]


def names_problems(settings: Settings, imported: ImportResult, report: Report, file: Path) -> None:
    """Unresolved names fail the check, each once with its measures; other doubts of the importer are warnings."""
    for name in unresolved_names(imported.problems):
        report.errors.append(
            f"{file}：单位名称未在单位名录中找到（或有歧义）{name.summary}——请在 "
            f"{settings.departments_file} 中登记或添加别名；不是报送单位的（如“各有关单位”）登记并标注 reports = false"
        )
    report.warnings += [f"{file}：{p}" for p in imported.problems if p.name is None]


def stored_plan(settings: Settings, imported: ImportResult, report: Report, key: str = "") -> None:
    """The plan file against the plan the stored data was made under (a plan of `[[plans]]`: in its folder)."""
    from supervisor_bot.composition.plan_check import stored_plan_diff
    from supervisor_bot.composition.plans import plan_folder

    try:
        stored, diff = stored_plan_diff(plan_folder(settings.data_dir, key), imported.matrix)
    except StorageCorrupted as error:
        report.errors.append(str(error))
        return
    if stored is None:
        report.ok.append("已存方案：数据目录中尚无（首次启动时记录）")
    elif diff is None or not diff.changes:
        report.ok.append(f"已存方案：与方案文件一致（{len(stored.measures)}项措施）")
    else:
        file = next((p.file for p in settings.plans if p.key == key), settings.plan_file)
        report.errors.append(f"{file}：{texts.mismatch(str(file), diff)}")


def network_lines(settings: Settings, report: Report) -> None:
    network = settings.network
    if network.proxy:
        report.ok.append(f"代理：{network.proxy.split('@')[-1]}")
    if network.webhook_url:
        report.ok.append(f"接收方式：webhook {network.webhook_url}（监听 {network.webhook_listen}）")
    else:
        report.ok.append("接收方式：轮询（getUpdates）")


def binding_names(settings: Settings, matrix: Matrix, report: Report) -> set[str]:
    """Units named in [bindings] and [liaisons] that the plan does not ask, each with the unit it most likely
    means; returns those names (their other checks would only contradict this one)."""
    everyone = {r.name for r in respondents(matrix.asking(Ask.ALL))}
    asked = {r.name for r in respondents(matrix.asking(settings.schedule.ask))}
    spellings = {name: name for name in everyone}
    for department in matrix.departments:
        if department.name in everyone:
            spellings.update((alias, department.name) for alias in department.aliases)
    unknown: set[str] = set()
    for section, values in (("bindings", settings.bindings), ("liaisons", settings.liaisons)):
        for name in values:
            if name in everyone and name not in asked:
                report.warnings.append(
                    f"{settings.source}，配置项 {section}.{name}：该单位在方案中只是配合单位，"
                    '按 [rounds] ask = "leads" 不单独报送，绑定的工作群不会收到督办清单'
                )
            elif name not in everyone:
                unknown.add(name)
                guess = closest_name(name, spellings)
                hint = f"，是否为“{guess}”？" if guess else "（或集体单位的成员）"
                report.errors.append(
                    f"配置错误：{settings.source}，配置项 {section}.{name}：不是分工方案中的责任单位{hint}"
                )
    return unknown


def liaisons_problems(
    settings: Settings, report: Report, unknown: AbstractSet[str] = frozenset(), bindings: list[Binding] | None = None
) -> None:
    """A group bound in the settings from which no one may report: no liaison in [liaisons], none stored (in the
    data folder, or the `bindings` read from the database)."""
    found = bindings if bindings is not None else stored_bindings(settings.data_dir)
    stored = {b.respondent: b.liaisons for b in found}
    for name in (n for n in settings.bindings if n not in unknown):
        if not (settings.liaisons.get(name) or stored.get(name)):
            report.warnings.append(
                f"{settings.source}，配置项 bindings.{name}：已绑定工作群，但没有可报送的联络员——请在 [liaisons] "
                f"中填写其用户 id，或由协调员 /invite {name} 后联络员在群内 /bind"
            )
