"""The Jinan plan imports exactly — all 63 measures — from a Word file, a PDF and a portal's page of the same text."""

from __future__ import annotations

import dataclasses
import html
from pathlib import Path

import pytest

from supervisor_bot.core.plan_document import import_document
from supervisor_bot.core.plan_import import ImportResult
from supervisor_bot.core.registry import DepartmentRegistry
from supervisor_bot.documents import read_document
from tests.conftest import JINAN_PLAN
from tests.documents import write_docx_prose, write_pdf_prose
from tests.unit.test_jinan_import import EXPECTED


def written(tmp_path_factory: pytest.TempPathFactory, suffix: str) -> Path:
    text = JINAN_PLAN.read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("jinan") / f"jinan{suffix}"
    if suffix == ".docx":
        return write_docx_prose(path, text)
    if suffix == ".html":  # as portals publish: declared gb2312, written GB18030, inside layout tables
        paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
        page = (
            "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'><title>济南</title>"
            f"</head><body><table><tr><td>首页 &gt; 政务公开</td></tr><tr><td>{paragraphs}</td></tr></table>"
            "<script>var n = '1.不是措施';</script></body></html>"
        )
        path.write_bytes(page.encode("gb18030"))
        return path
    # the PDF's font (STSong) has no « »: the published PDF prints the title's quotes as 《》
    return write_pdf_prose(path, text.replace("«", "《").replace("»", "》"))


@pytest.fixture(scope="module", params=[".docx", ".pdf", ".html"])
def imported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, registry: DepartmentRegistry
) -> ImportResult:
    return import_document(read_document(written(tmp_path_factory, request.param)), registry)


def test_the_same_63_measures_as_from_the_text(imported: ImportResult, jinan: ImportResult) -> None:
    assert len(imported.matrix.measures) == 63 and imported.problems == ()
    for got, want in zip(imported.matrix.measures, jinan.matrix.measures, strict=True):
        assert dataclasses.replace(got, line=0) == dataclasses.replace(want, line=0), want.number
        section, departments, open_ended = EXPECTED[got.number]
        assert (got.section, got.departments, got.open_ended) == (section, departments, open_ended)


def test_the_same_sections_departments_and_particulars(imported: ImportResult, jinan: ImportResult) -> None:
    assert imported.matrix.sections == jinan.matrix.sections
    assert imported.matrix.departments == jinan.matrix.departments
    assert imported.matrix.document == jinan.matrix.document
