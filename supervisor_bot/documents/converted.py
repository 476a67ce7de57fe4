"""A plan saved as .doc or .wps (how WPS Office saves most attachments): converted by LibreOffice, if installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from supervisor_bot.core.errors import PlanFormatError
from supervisor_bot.core.plan_table import Block
from supervisor_bot.documents import word

TIMEOUT_SECONDS = 180


def office() -> str | None:
    """LibreOffice's command, if it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: Path) -> list[Block]:
    command = office()
    if command is None:
        raise PlanFormatError(
            0,
            f"无法读取{path.suffix}格式的方案文件 {path}：本机未安装 LibreOffice，无法转换旧版 Word/WPS 文件。"
            "请用 WPS 或 Word 打开该文件，“另存为”.docx 格式后再导入。",
        )
    with tempfile.TemporaryDirectory(prefix="plan-") as folder:
        profile = Path(folder, "profile").as_uri()  # its own profile: no clash with an office already open
        arguments = ["--headless", "--convert-to", "docx", "--outdir", folder, str(path.resolve())]
        done = subprocess.run(
            [command, f"-env:UserInstallation={profile}", *arguments],
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        converted = Path(folder, path.stem + ".docx")
        if done.returncode != 0 or not converted.exists():
            raise PlanFormatError(
                0, f"LibreOffice 未能转换方案文件 {path}：请用 WPS 或 Word 将其“另存为”.docx 格式后再导入"
            )
        return word.read(converted)
