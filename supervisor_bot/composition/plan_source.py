"""The plan a process runs on: imported from its file only when the file, the department registry or the code that
imports them changed since the import kept in the data folder (storage.imported_plan); else that import.

Reading a plan file takes the document readers — pdfplumber with pdfminer, Pillow and numpy; openpyxl; python-docx;
lxml — about half a second and 40 MB to load, and a large PDF a second more to read: a bot that starts on the plan
it ran on yesterday needs none of it."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from storage.imported_plan import read_imported, write_imported
from supervisor_bot.composition.plans import plan_folder
from supervisor_bot.core.matrix import Matrix
from supervisor_bot.settings.paths import PROJECT_ROOT

if TYPE_CHECKING:
    from supervisor_bot.core.plan_measures import ImportProblem, ImportResult
    from supervisor_bot.settings.plans import PlanSettings
    from supervisor_bot.settings.settings import Settings

# The code a matrix is made by, made of and stored by: a change to any of it makes the stored import stale
_IMPORTER_CODE = (
    "supervisor_bot/core",
    "supervisor_bot/documents",
    "supervisor_bot/settings/departments.py",
    "storage/matrix_codec.py",
)


def _importer_code() -> bytes:
    digest = hashlib.sha256(f"python {sys.version_info[:2]}".encode())
    for part in _IMPORTER_CODE:
        root = PROJECT_ROOT / part
        for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.digest()


def import_key(plan: Path, departments: Path) -> str:
    """What an import is made from: the plan's bytes and format (its extension), the registry's bytes, the code."""
    digest = hashlib.sha256(_importer_code())
    for path in (plan, departments):
        digest.update(path.suffix.lower().encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    return digest.hexdigest()


def import_plan_file(plan: Path, departments: Path) -> ImportResult:
    """The plan read from its file: the document readers load here, on first use."""
    from supervisor_bot.services.plans import load_plan

    return load_plan(plan, departments)


def plan_in_use(
    plan: Path, departments: Path, data_dir: Path, *, keep: bool = True
) -> tuple[Matrix, tuple[ImportProblem, ...]]:
    """The matrix and the import's problems: stored, if made from these very files, else the plan read afresh —
    and, with `keep`, stored for the next start (a read-only check passes keep=False and never writes the data)."""
    key = import_key(plan, departments)
    stored = read_imported(data_dir, key)
    if stored is not None:
        return stored
    result = import_plan_file(plan, departments)
    if keep:
        write_imported(data_dir, key, result.matrix, result.problems)
    return result.matrix, result.problems


def deployment_plan(
    settings: Settings, plan: PlanSettings, *, keep: bool = True
) -> tuple[Matrix, tuple[ImportProblem, ...]]:
    """One plan of a deployment, its import kept in the plan's own folder (`plans/<key>/` for each of `[[plans]]`,
    the data folder for the one plan of `[plan]`)."""
    folder = plan_folder(settings.data_dir, plan.key)
    return plan_in_use(plan.file, settings.departments_file, folder, keep=keep)
