"""How long importing a plan takes, against a baseline measured in the same run.

The baseline is the text clean-up alone (reading lines, widths, footers): the importer's own share is the ratio.
Prints the figures and merges them into bench/results.json.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from supervisor_bot.core.plan_import import import_plan
from supervisor_bot.core.plan_text import source_lines
from supervisor_bot.settings.departments import load_registry
from supervisor_bot.settings.paths import default_departments, default_plan

RESULTS = Path(__file__).with_name("results.json")


def median_seconds(action: Callable[[], object], repeat: int = 30) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    text = default_plan().read_text(encoding="utf-8")
    registry = load_registry(default_departments())
    baseline = median_seconds(lambda: source_lines(text))
    full = median_seconds(lambda: import_plan(text, registry))
    figures = {
        "import_jinan_ms": round(full * 1000, 2),
        "import_cleanup_baseline_ms": round(baseline * 1000, 2),
        "import_ratio_to_cleanup": round(full / baseline, 1),
    }
    for name, value in figures.items():
        print(f"{name:32} {value}")
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps(results | figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
