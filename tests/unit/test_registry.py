from __future__ import annotations

from pathlib import Path

import pytest

from supervisor_bot.core.matrix import Department
from supervisor_bot.core.registry import Ambiguous, DepartmentRegistry, Resolved, Unknown
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.errors import ConfigError

REGISTRY = DepartmentRegistry(
    [
        Department("市人力资源社会保障局", aliases=("市人社局",)),
        Department("各县(区)人民政府"),
        Department("市教育局"),
        Department("区教育局"),
    ]
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("市人力资源社会保障局", Resolved("市人力资源社会保障局")),
        ("市人社局", Resolved("市人力资源社会保障局")),
        ("人力资源社会保障局", Resolved("市人力资源社会保障局")),
        ("济南市人社局", Unknown("济南市人社局")),
        ("各县（区）人民政府", Resolved("各县(区)人民政府")),
        ("教育局", Ambiguous("教育局", ("区教育局", "市教育局"))),
        ("社会保障局", Unknown("社会保障局")),
        ("市财政局", Unknown("市财政局")),
    ],
)
def test_resolve(written: str, expected: object) -> None:
    assert REGISTRY.resolve(written) == expected


def test_the_project_registry_loads(registry: DepartmentRegistry) -> None:
    assert len(registry) == 33
    districts = registry.get("各区县政府")
    assert districts is not None and len(districts.members) == 12


@pytest.mark.parametrize(
    ("content", "key", "problem"),
    [
        ("[[department]]\naliases = ['x']\n", "department[1].name", "缺少单位名称"),
        ("[[department]]\nname = '甲'\naliases = '乙'\n", "department[1].aliases", "列表"),
        ("[[department]]\nname = '甲'\ncolour = 'red'\n", "department[1].colour", "无法识别"),
        (
            "[[department]]\nname = '甲'\n[[department]]\nname = '乙'\naliases = ['甲']\n",
            "department[2].aliases",
            "已用于",
        ),
        ("title = 'x'\n", "department", "至少"),
        ("[[department]\nname=", "", "TOML 格式错误"),
    ],
)
def test_a_broken_registry_names_the_file_and_the_key(tmp_path: Path, content: str, key: str, problem: str) -> None:
    path = tmp_path / "departments.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_registry(path)
    assert error.value.key == key
    assert problem in error.value.problem
    assert str(path) in str(error.value)


def test_a_missing_registry(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="文件不存在"):
        load_registry(tmp_path / "nope.toml")
