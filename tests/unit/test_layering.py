"""Who may import whom: the core is pure; only the edges touch Telegram and TinyDB."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from supervisor_bot.settings.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "supervisor_bot"


def imports_of(path: Path) -> set[str]:
    """Every module the file imports, relative imports resolved to their absolute names (`from . import x`
    counts as the package and as `package.x`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom):
            package = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts[:-1])
            base = ".".join(package[: len(package) - (node.level - 1)] + ([node.module] if node.module else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if not node.module)
    return names


def test_relative_imports_are_resolved() -> None:
    found = imports_of(PACKAGE / "sandbox" / "server.py")
    assert "supervisor_bot.sandbox.acting" in found, sorted(found)


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
        "supervisor_bot.wecom",
        "supervisor_bot.wecom_sandbox",
    }
    for layer in ("app", "services", "ports", "views", "core", "outcomes"):
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


def test_outcomes_are_plain_values_over_the_core() -> None:
    allowed = set(sys.stdlib_module_names) | {"pendulum"}
    for path in (PACKAGE / "outcomes").rglob("*.py"):
        for name in imports_of(path):
            assert top(name) in allowed or name.startswith(("supervisor_bot.core", "supervisor_bot.outcomes")), name


def test_views_never_import_services() -> None:
    """Services return outcomes and views; views render values and call nothing."""
    for path in (PACKAGE / "views").rglob("*.py"):
        for name in imports_of(path):
            assert not name.startswith("supervisor_bot.services"), f"{path}: {name}"


def test_only_the_wecom_front_speaks_wecom_frames() -> None:
    """WeCom's commands and card JSON live in wecom/ (and its sandbox); its SDK only in the tests."""
    words = ("aibot_", "template_card", "button_list", "task_id")
    allowed = {PACKAGE / "wecom", PACKAGE / "wecom_sandbox"}
    for path in PACKAGE.rglob("*.py"):
        if any(folder in path.parents for folder in allowed):
            continue
        text = path.read_text(encoding="utf-8")
        assert not any(word in text for word in words), f"{path} speaks WeCom"
        assert not any(top(name) == "wecom_aibot_sdk" for name in imports_of(path)), f"{path} imports the SDK"
        if path.parent.name not in ("composition", "cli", "demo"):  # the places that assemble a front
            assert not any(n.startswith("supervisor_bot.wecom") for n in imports_of(path)), f"{path} imports wecom"
