"""How long importing a plan takes, against a baseline measured in the same run.

The baseline is the text clean-up alone (reading lines, widths, footers): the importer's own share is the ratio.
Then a generated 150-measure plan in every format an office keeps it (text, Word prose and table, Excel, HTML,
PDF prose and table), and a 40-page PDF (the target: under 3 s). Prints the figures and merges them into
bench/results.json.
"""

from __future__ import annotations

import json
import math
import statistics
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from supervisor_bot.core.plan_document import import_document
from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.plan_text import source_lines
from supervisor_bot.documents import read_document
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.paths import default_departments, default_plan
from tests.documents import (
    Row,
    html_table,
    plan_grid,
    write_docx_prose,
    write_docx_table,
    write_pdf_prose,
    write_pdf_table,
    write_xlsx,
)

RESULTS = Path(__file__).with_name("results.json")
MEASURES = 150
PAGES = 40
_SENTENCE = "健全工作机制，细化任务分工，强化督促检查，确保各项政策措施落地见效，按月报送进展情况"


def median_seconds(action: Callable[[], object], repeat: int = 30) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sections(measures: int = MEASURES, per_section: int = 10) -> list[tuple[str, list[Row]]]:
    numerals = "一二三四五六七八九十"
    out = []
    for s in range(math.ceil(measures / per_section)):
        label = numerals[s] if s < 10 else "十" + numerals[s - 10]
        rows = [
            Row(
                f"推进第{s * per_section + n + 1}项重点工作，{_SENTENCE}；{_SENTENCE}。",
                "市发展改革委",
                "市财政局、市教育局等",
            )
            for n in range(min(per_section, measures - s * per_section))
        ]
        out.append((f"{label}、第{s + 1}部分重点任务", rows))
    return out


def prose(plan: list[tuple[str, list[Row]]], width: int = 0) -> str:
    """The plan as the text of a published notice; lines broken every `width` characters as a PDF's are."""
    lines, number = ["关于印发重点任务分工方案的通知"], 0
    for heading, rows in plan:
        lines.append(heading)
        for row in rows:
            number += 1
            lines.append(f"{number}.{row.task}（{row.lead}、{row.units}负责）")
    if width:
        lines = [part for line in lines for part in textwrap.wrap(line, width)]
    return "\n".join(lines) + "\n"


def files(folder: Path) -> dict[str, Path]:
    plan = sections()
    grid = plan_grid(plan, merge_leads=False)  # a lead merged over ten rows cannot split across PDF pages
    text = prose(plan)
    (folder / "plan.txt").write_text(text, encoding="utf-8")
    (folder / "plan.html").write_text(html_table(grid), encoding="utf-8")
    wrapped = prose(plan, width=22).splitlines()
    return {
        "txt": folder / "plan.txt",
        "docx_prose": write_docx_prose(folder / "prose.docx", text),
        "docx_table": write_docx_table(folder / "table.docx", grid),
        "xlsx": write_xlsx(folder / "plan.xlsx", grid),
        "html": folder / "plan.html",
        "pdf_table": write_pdf_table(folder / "table.pdf", grid),
        "pdf_40_pages": write_pdf_prose(folder / "prose.pdf", "\n".join(wrapped), math.ceil(len(wrapped) / PAGES)),
    }


def format_figures(baseline: float) -> dict[str, float]:
    registry = load_registry(default_departments())
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, path in files(Path(folder)).items():
            result = import_document(read_document(path), registry)
            assert len(result.matrix.measures) == MEASURES, (name, len(result.matrix.measures))
            seconds = median_seconds(lambda p=path: import_document(read_document(p), registry), repeat=5)  # type: ignore[misc]
            figures[f"import_150_{name}_ms"] = round(seconds * 1000, 1)
            figures[f"import_150_{name}_ratio_to_cleanup"] = round(seconds / baseline, 1)
    return figures


def main() -> None:
    text = default_plan().read_text(encoding="utf-8")
    registry = load_registry(default_departments())
    baseline = median_seconds(lambda: source_lines(text))
    full = median_seconds(lambda: import_plan(text, registry))
    generated = prose(sections())
    baseline_150 = median_seconds(lambda: source_lines(generated))
    figures: dict[str, float] = {
        "import_jinan_ms": round(full * 1000, 2),
        "import_cleanup_baseline_ms": round(baseline * 1000, 2),
        "import_ratio_to_cleanup": round(full / baseline, 1),
        "import_150_cleanup_baseline_ms": round(baseline_150 * 1000, 2),
    }
    figures |= format_figures(baseline_150)
    for name, value in figures.items():
        print(f"{name:44} {value}")
    pdf_seconds = figures["import_150_pdf_40_pages_ms"] / 1000
    print(f"{'40-page PDF under 3 s':44} {'yes' if pdf_seconds < 3 else 'NO'} ({pdf_seconds:.2f} s)")
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps(results | figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
