"""Load a plan file (any office format, by its extension) and the department registry, and import the matrix.

The document readers (supervisor_bot/documents/: pdfplumber, openpyxl, python-docx, lxml) load when a plan file is
read, never on import of this module: a process that does not read a plan file does not pay for them."""

from __future__ import annotations

from pathlib import Path

from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.settings.departments import load_registry


def read_plan_text(path: Path) -> str:
    """A plan's text: UTF-8 (with or without BOM), else GB18030 as Chinese offices often save it."""
    from supervisor_bot.documents.text import read_text

    return read_text(path)


def load_plan(plan: Path, departments: Path) -> ImportResult:
    """Raises PlanFormatError (the plan) or ConfigError (the registry)."""
    from supervisor_bot.core.plan_document import import_document
    from supervisor_bot.documents import read_document

    registry = load_registry(departments)
    return import_document(read_document(plan), registry)
