"""A synthetic province: Shandong's 16 cities, each with a copy of the Jinan plan's departments.

Every department of the Jinan matrix (and every member of a collective body) is repeated once per city, its
name prefixed with the city's (济南市财政局, 青岛市财政局, …); every measure names each city's copy in the role
the Jinan plan gives it. The measures, sections and document stay Jinan's: 63 measures, 16 × the respondents.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from bench.common import jinan
from supervisor_bot.core.matrix import Assignment, Department, Matrix
from supervisor_bot.core.registry import DepartmentRegistry

CITIES = (
    "济南",
    "青岛",
    "淄博",
    "枣庄",
    "东营",
    "烟台",
    "潍坊",
    "济宁",
    "泰安",
    "威海",
    "日照",
    "临沂",
    "德州",
    "聊城",
    "滨州",
    "菏泽",
)


def _prefixed(city: str, name: str) -> str:
    return f"{city}{name}"


def _department(city: str, department: Department) -> Department:
    return replace(
        department,
        name=_prefixed(city, department.name),
        aliases=tuple(_prefixed(city, a) for a in department.aliases),
        members=tuple(_prefixed(city, m) for m in department.members),
    )


@cache
def province(cities: tuple[str, ...] = CITIES) -> tuple[Matrix, DepartmentRegistry]:
    """The Jinan matrix and registry once per city, every name prefixed with the city's (built once, cached)."""
    matrix, registry = jinan()
    measures = tuple(
        replace(
            m,
            assignments=tuple(
                Assignment(_prefixed(city, a.department), a.role) for city in cities for a in m.assignments
            ),
        )
        for m in matrix.measures
    )
    departments = tuple(_department(city, d) for city in cities for d in matrix.departments)
    registered = tuple(_department(city, d) for city in cities for d in registry.departments)
    return replace(matrix, measures=measures, departments=departments), DepartmentRegistry(registered)
