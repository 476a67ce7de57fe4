"""The digest's text and its two attachments, written to a folder: 督办台账 (xlsx) and the progress chart (png)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from supervisor_bot.core.ledger import Digest
from supervisor_bot.views.digest import digest_text


@dataclass(frozen=True)
class DigestFiles:
    text: str
    text_path: Path
    ledger: Path
    chart: Path


def write_digest_files(digest: Digest, folder: Path) -> DigestFiles:
    # matplotlib (and numpy) take most of the bot's start-up and some 30 MB, XlsxWriter some 70 ms: loaded with the
    # first digest instead
    from supervisor_bot.exports.ledger_xlsx import write_ledger
    from supervisor_bot.exports.progress_chart import render_progress

    folder.mkdir(parents=True, exist_ok=True)
    text = digest_text(digest)
    files = DigestFiles(text, folder / "digest.txt", folder / "ledger.xlsx", folder / "progress.png")
    files.text_path.write_text(text + "\n", encoding="utf-8")
    write_ledger(digest, files.ledger)
    render_progress(digest, files.chart)
    return files
