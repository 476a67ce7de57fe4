"""The plan a process runs on: the stored import while the plan file, the registry and the importer's code are the
ones it was made from; the file read afresh when any of them changed, or when the stored import is unreadable."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.imported_plan import FILE
from supervisor_bot.composition import plan_source
from supervisor_bot.core.plan_import import ImportResult
from tests.conftest import DEPARTMENTS, JINAN_PLAN


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    plan, departments = tmp_path / "plan.txt", tmp_path / "departments.toml"
    plan.write_bytes(JINAN_PLAN.read_bytes())
    departments.write_bytes(DEPARTMENTS.read_bytes())
    return plan, departments, tmp_path / "data"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The plan files actually read (imported from the document), in order."""
    read: list[Path] = []
    real = plan_source.import_plan_file

    def counting(plan: Path, departments: Path) -> ImportResult:
        read.append(plan)
        return real(plan, departments)

    monkeypatch.setattr(plan_source, "import_plan_file", counting)
    return read


def test_a_second_start_reads_the_stored_import_not_the_file(files: tuple[Path, Path, Path], reads: list[Path]) -> None:
    plan, departments, data = files
    first = plan_source.plan_in_use(plan, departments, data)
    again = plan_source.plan_in_use(plan, departments, data)
    assert reads == [plan]
    assert again == first and len(again[0].measures) == 63


def test_a_changed_plan_or_registry_is_read_again(files: tuple[Path, Path, Path], reads: list[Path]) -> None:
    plan, departments, data = files
    plan_source.plan_in_use(plan, departments, data)
    plan.write_text(plan.read_text(encoding="utf-8").replace("济南", "泉城", 1), encoding="utf-8")
    plan_source.plan_in_use(plan, departments, data)
    departments.write_text(departments.read_text(encoding="utf-8") + "\n# 修订\n", encoding="utf-8")
    plan_source.plan_in_use(plan, departments, data)
    plan_source.plan_in_use(plan, departments, data)
    assert reads == [plan, plan, plan]


def test_a_changed_importer_is_a_changed_key(files: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    plan, departments, _ = files
    before = plan_source.import_key(plan, departments)
    monkeypatch.setattr(plan_source, "_importer_code", lambda: b"other code")
    assert plan_source.import_key(plan, departments) != before


def test_a_damaged_stored_import_is_read_as_absent(files: tuple[Path, Path, Path], reads: list[Path]) -> None:
    plan, departments, data = files
    plan_source.plan_in_use(plan, departments, data)
    (data / FILE).write_bytes(b'{"format": 1, "key": ')
    matrix, _ = plan_source.plan_in_use(plan, departments, data)
    assert reads == [plan, plan] and len(matrix.measures) == 63


def test_a_check_never_writes_the_data_folder(files: tuple[Path, Path, Path], reads: list[Path]) -> None:
    plan, departments, data = files
    plan_source.plan_in_use(plan, departments, data, keep=False)
    plan_source.plan_in_use(plan, departments, data, keep=False)
    assert reads == [plan, plan] and not data.exists()
