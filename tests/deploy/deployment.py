"""A small second deployment in a folder of its own: settings, registry, plan (another city's, 5 measures)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CONFIG

REGISTRY = """
[[department]]
name = "市政府督查室"

[[department]]
name = "市大数据局"
aliases = ["市大数据发展局"]

[[department]]
name = "市财政局"

[[department]]
name = "市教育局"

[[department]]
name = "市卫生健康委"
aliases = ["市卫健委"]
"""

PLAN = """关于印发某市数字政府建设分工方案的通知

一、夯实数字底座
1.建设全市统一的政务云平台，推进部门系统迁移上云。（市大数据局牵头，市财政局配合）
2.完善政务数据共享交换平台，年底前实现部门数据按需共享。（市大数据局、市教育局负责）
二、提升服务能力
3.推进“一网通办”，政务服务事项网上可办率达到95%。（市政府督查室牵头，市大数据局配合）
4.建设全民健康信息平台，推动电子健康卡普及应用。（市卫生健康委牵头，市大数据局配合）
5.推进教育数字化，建设智慧校园。（市教育局牵头，市财政局配合）
"""

SETTINGS = """
timezone = "Asia/Shanghai"
data_dir = "data"

[plan]
file = "plan.txt"
departments = "departments.toml"

[calendar]
overrides = "{calendar}"

[chats]
bureau = -100200
leaders = -100300
"""


def a_deployment(folder: Path, settings_extra: str = "", plan: str = PLAN, registry: str = REGISTRY) -> Path:
    """The folder's settings.toml (paths inside it relative to the folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "departments.toml").write_text(registry, encoding="utf-8")
    (folder / "plan.txt").write_text(plan, encoding="utf-8")
    settings = folder / "settings.toml"
    text = SETTINGS.format(calendar=CONFIG / "calendar_overrides.toml") + settings_extra
    settings.write_text(text, encoding="utf-8")
    return settings
