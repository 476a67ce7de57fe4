"""`.doc` and `.wps`: converted by LibreOffice where it is installed; otherwise a clear message what to do."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_document import import_document
from supervisor_bot.documents import converted, read_document
from tests.documents import Grid, write_docx_table

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def test_without_libreoffice_the_message_says_to_save_as_docx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    path = tmp_path / "方案.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(PlanFormatError) as error:
        read_document(path)
    assert "本机未安装 LibreOffice" in str(error.value)
    assert "“另存为”.docx 格式后再导入" in str(error.value)


def test_a_file_libreoffice_cannot_convert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(converted, "office", lambda: "false")  # a converter that fails, as for a damaged file
    path = tmp_path / "plan.doc"
    path.write_bytes(b"damaged")
    with pytest.raises(PlanFormatError, match="LibreOffice 未能转换"):
        read_document(path)


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer")
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_a_word_97_file_converts_and_imports(tmp_path: Path, suffix: str) -> None:
    assert OFFICE is not None
    grid = Grid([["序号", "重点任务", "牵头单位", "责任单位", "完成时限"], ["一、稳定就业"] * 5])
    grid.rows += [
        ["1", "落实稳岗政策。", "市人社局", "市财政局", "2025年6月底前"],
        ["2", "做好乙。", "市教育局", "", "长期坚持"],
    ]
    source = write_docx_table(tmp_path / "source.docx", grid)
    out = tmp_path / "out"
    profile = (tmp_path / "profile").as_uri()
    for target, path in (("odt", source), ("doc", out / "source.odt")):  # by way of .odt: it keeps the table
        command = [OFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target, "--outdir"]
        subprocess.run([*command, str(out), str(path)], check=True, capture_output=True, timeout=180)
    old = (out / "source.doc").rename(tmp_path / f"方案{suffix}")  # WPS Office saves Word 97 files as .wps
    measures = import_document(read_document(old)).matrix.measures
    assert [(m.text, m.leads, m.departments, m.deadline_text) for m in measures] == [
        ("落实稳岗政策。", ("市人社局",), ("市人社局", "市财政局"), "2025年6月底前"),
        ("做好乙。", ("市教育局",), ("市教育局",), "长期坚持"),
    ]
