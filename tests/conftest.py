"""Shared fixtures: the project's own config files and the Jinan plan."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from supervisor_bot.core.plan_import import ImportResult, import_plan
from supervisor_bot.core.registry import DepartmentRegistry
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.paths import PROJECT_ROOT
from tests.postgres_server import Server, need, running_server

# python-telegram-bot 22 warns about its own default unless told to use timedelta (and pytest makes warnings errors)
os.environ.setdefault("PTB_TIMEDELTA", "1")

CONFIG = PROJECT_ROOT / "config"
JINAN_PLAN = CONFIG / "plans" / "jinan-2021-16.txt"
DEPARTMENTS = CONFIG / "departments.toml"


@pytest.fixture(scope="session")
def registry() -> DepartmentRegistry:
    return load_registry(DEPARTMENTS)


@pytest.fixture(scope="session")
def jinan(registry: DepartmentRegistry) -> ImportResult:
    return import_plan(JINAN_PLAN.read_text(encoding="utf-8"), registry)


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    return tmp_path / "plan.txt"


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server | None]:
    """The tests' own PostgreSQL server, started on first use (None: not installed — the tests skip)."""
    with running_server() as server:
        yield server


@pytest.fixture
def database(postgres: Server | None) -> str:
    """The URL of a new, empty database on the tests' server."""
    return need(postgres).fresh()
