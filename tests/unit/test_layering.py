"""Who may import whom: the core is pure; only the edges touch Telegram and TinyDB."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from supervisor_bot.settings.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "supervisor_bot"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def top(name: str) -> str:
    return name.split(".")[0]


def test_the_core_imports_only_the_standard_library_pendulum_and_itself() -> None:
    allowed = set(sys.stdlib_module_names) | {"pendulum"}
    for path in (PACKAGE / "core").rglob("*.py"):
        for name in imports_of(path):
            assert top(name) in allowed or name.startswith("supervisor_bot.core"), f"{path}: {name}"


def test_only_the_telegram_edge_imports_telegram_and_only_storage_imports_tinydb_and_psycopg() -> None:
    for path in PROJECT_ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "bench" in path.parts:
            continue  # the tests and benchmarks drive both edges on purpose
        relative = path.relative_to(PROJECT_ROOT).parts
        for name in imports_of(path):
            if top(name) == "telegram":
                assert relative[:2] in {("supervisor_bot", "telegram")}, f"{path}: {name}"
            if top(name) in ("tinydb", "psycopg", "psycopg_pool"):
                assert relative[0] == "storage", f"{path}: {name}"


def test_the_core_never_reads_the_clock() -> None:
    for path in (PACKAGE / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("datetime.now(", "date.today(", "pendulum.now(", "time.time(", "utcnow("):
            assert forbidden not in text, f"{path} reads the clock ({forbidden})"


def test_the_application_shell_and_the_services_know_no_front() -> None:
    """app/, services/, ports/ and views/ are messenger-neutral: no Telegram, no web server, no storage engine."""
    fronts = {
        "telegram",
        "aiohttp",
        "tinydb",
        "psycopg",
        "psycopg_pool",
        "supervisor_bot.telegram",
        "supervisor_bot.web",
        "supervisor_bot.sandbox",
    }
    for layer in ("app", "services", "ports", "views", "core"):
        for path in (PACKAGE / layer).rglob("*.py"):
            for name in imports_of(path):
                assert not any(name == f or name.startswith(f + ".") for f in fronts), f"{path}: {name}"


def test_the_package_root_shows_the_layers_and_nothing_else() -> None:
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert modules == ["__init__.py"], modules


def test_only_the_document_readers_open_office_files() -> None:
    readers = {"docx", "pdfplumber", "pdfminer", "lxml"}
    for path in PACKAGE.rglob("*.py"):
        for name in imports_of(path):
            if top(name) in readers:
                assert path.parent == PACKAGE / "documents", f"{path}: {name}"


def test_psycopg_is_imported_only_by_the_postgresql_backend() -> None:
    """A deployment on files never loads the database driver: storage.postgres is imported inside functions."""
    for path in PROJECT_ROOT.glob("*/**/*.py"):
        relative = path.relative_to(PROJECT_ROOT).parts
        if ".venv" in relative or relative[0] in ("tests", "bench") or relative[:2] == ("storage", "postgres"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # the module's own imports, run when it is loaded
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storage.postgres"):
                raise AssertionError(f"{path}: imports {node.module} when loaded")
